#include "common/files.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp ? tmp : "/tmp") / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(FilesTest, WriteFileAtomicallyReplacesTheContentsAndLeavesNoTemporary) {
  const fs::path dir = FreshDir("atomic_replace");
  const std::string path = (dir / "record.json").string();
  ASSERT_TRUE(WriteFile(path, "old contents, longer than the new ones").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(*ReadFile(path), "new");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(FilesTest, WriteFileAtomicallyIntoAMissingFolderNamesTheFile) {
  const fs::path dir = FreshDir("atomic_missing");
  const std::string path = (dir / "absent" / "record.json").string();
  absl::Status s = WriteFileAtomically(path, "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(s.message()), HasSubstr("absent/record.json"));
}

TEST(FilesTest, WriteFileAtomicallyKeepsTheOldFileWhenTheRenameFails) {
  // The target is a non-empty folder: the temporary is written, the rename refused.
  const fs::path dir = FreshDir("atomic_rename_fails");
  const fs::path target = dir / "record.json";
  fs::create_directories(target / "inside");
  absl::Status s = WriteFileAtomically(target.string(), "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(s.message()), HasSubstr("cannot rename"));
  EXPECT_TRUE(fs::is_directory(target / "inside"));
}

TEST(FilesTest, BaseNameIgnoresOneTrailingSlash) {
  EXPECT_EQ(BaseName("a/b/"), "b");
  EXPECT_EQ(BaseName("a/b"), "b");
  EXPECT_EQ(BaseName("b"), "b");
}

}  // namespace
}  // namespace tritonbench
