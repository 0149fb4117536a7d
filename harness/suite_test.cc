#include "harness/suite.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

fs::path TempRoot(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path root = fs::path(tmp ? tmp : "/tmp") / name;
  fs::remove_all(root);
  fs::create_directories(root);
  return root;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(ListTaskDirsTest, ListsFoldersWithASpecInOrder) {
  fs::path root = TempRoot("suite_list");
  Write(root / "b_task/task.textproto", "id: 'b_task'");
  Write(root / "a_task/task.textproto", "id: 'a_task'");
  Write(root / "not_a_task/notes.md", "hi");
  Write(root / "BUILD", "");
  auto dirs = ListTaskDirs(root.string());
  ASSERT_TRUE(dirs.ok()) << dirs.status();
  EXPECT_THAT(*dirs, ::testing::ElementsAre((root / "a_task").string(), (root / "b_task").string()));
}

TEST(ListTaskDirsTest, EmptySuiteIsAnError) {
  fs::path root = TempRoot("suite_empty");
  auto dirs = ListTaskDirs(root.string());
  ASSERT_FALSE(dirs.ok());
  EXPECT_THAT(std::string(dirs.status().message()), ::testing::HasSubstr("no task folders"));
}

TEST(ContentHashTest, DependsOnContentNotLocation) {
  fs::path one = TempRoot("hash_one"), two = TempRoot("hash_two");
  for (const fs::path& root : {one, two}) {
    Write(root / "t/task.textproto", "id: 't'");
    Write(root / "t/kernel.py", "print(1)");
  }
  auto h1 = ContentHash({(one / "t").string()});
  auto h2 = ContentHash({(two / "t").string()});
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_EQ(*h1, *h2);
  EXPECT_EQ(h1->size(), 64u);

  Write(two / "t/kernel.py", "print(2)");
  EXPECT_NE(*h1, *ContentHash({(two / "t").string()}));
  Write(two / "t/kernel.py", "print(1)");
  Write(two / "t/extra.py", "");
  EXPECT_NE(*h1, *ContentHash({(two / "t").string()}));
}

TEST(ContentHashTest, PerFolderHashesEqualEachFolderHashedAlone) {
  fs::path root = TempRoot("hash_per_dir");
  Write(root / "a/task.textproto", "id: 'a'");
  Write(root / "b/task.textproto", "id: 'b'");
  Write(root / "b/kernel.py", "print(1)");
  const std::string a = (root / "a").string(), b = (root / "b").string();
  std::map<std::string, std::string> per_dir;
  auto both = ContentHash({b, a}, &per_dir);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both, *ContentHash({a, b}));
  ASSERT_EQ(per_dir.size(), 2u);
  EXPECT_EQ(per_dir["a"], *ContentHash({a}));
  EXPECT_EQ(per_dir["b"], *ContentHash({b}));
  EXPECT_NE(per_dir["a"], per_dir["b"]);
}

TEST(FileSha256Test, MatchesTheStandardVector) {
  fs::path root = TempRoot("sha");
  Write(root / "abc", "abc");
  auto h = FileSha256((root / "abc").string());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace tritonbench
