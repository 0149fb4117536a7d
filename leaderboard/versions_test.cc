#include "leaderboard/versions.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leaderboard/diff.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

std::string TmpDir(const std::string& name) {
  const char* base = getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Row MakeRow(const std::string& suite, const std::string& configuration, double accuracy, double geomean = 0) {
  Row row;
  row.set_kind("measured");
  row.set_suite(suite);
  row.set_release("1.0");
  row.set_configuration(configuration);
  row.set_hardware("GPU");
  row.set_key(absl::StrCat(suite, "|1.0|", configuration, "||GPU"));
  row.set_runs(1);
  row.set_tasks(4);
  row.set_tasks_measured(4);
  row.set_execution_accuracy(accuracy);
  if (geomean > 0) row.mutable_speedup_geomean()->set_value(geomean);
  return row;
}

Leaderboard Board(std::vector<Row> rows) {
  Leaderboard board;
  for (auto& r : rows) *board.add_rows() = std::move(r);
  board.set_records_loaded(3);
  return board;
}

int Lines(const std::string& path) {
  auto text = ReadFile(path);
  return text.ok() ? static_cast<int>(std::count(text->begin(), text->end(), '\n')) : -1;
}

TEST(VersionsTest, PublishNumbersVersionsAndNeverOverwrites) {
  const std::string dir = TmpDir("versions");
  PublishOptions options{dir, "first", "2026-11-25", 0};
  auto first = Publish(Board({MakeRow("s", "a", 0.5)}), options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, dir + "/0001");
  for (const char* f : {"leaderboard.md", "leaderboard.json", "leaderboard.html"}) {
    EXPECT_TRUE(IsRegularFile(*first + "/" + f)) << f;
  }
  EXPECT_THAT(*ReadFile(*first + "/leaderboard.md"), HasSubstr("version 0001 (2026-11-25)"));
  options.note = "second";
  auto second = Publish(Board({MakeRow("s", "a", 0.75)}), options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, dir + "/0002");
  EXPECT_EQ(LatestVersion(dir), 2);

  const std::string changelog = dir + "/CHANGELOG.md";
  EXPECT_THAT(*ReadFile(changelog), HasSubstr("| [0001](0001/leaderboard.md) | 2026-11-25 | 1 measured, 0 reported | 3 counted, 0 skipped | first |"));
  EXPECT_THAT(*ReadFile(changelog), HasSubstr("| second |"));
  const int lines = Lines(changelog);
  const std::string before = *ReadFile(dir + "/0001/leaderboard.json");

  // Asking for version 1 again is refused, and nothing changes.
  options.version = 1;
  options.note = "overwrite attempt";
  auto again = Publish(Board({MakeRow("s", "b", 1.0)}), options);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("never overwritten"));
  EXPECT_EQ(*ReadFile(dir + "/0001/leaderboard.json"), before);
  EXPECT_EQ(Lines(changelog), lines);

  // Versions read back by number, folder or file.
  auto loaded = LoadLeaderboard("1", dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->version(), 1);
  EXPECT_EQ(loaded->rows(0).execution_accuracy(), 0.5);
  EXPECT_TRUE(LoadLeaderboard(dir + "/0002", dir).ok());
  EXPECT_TRUE(LoadLeaderboard(dir + "/0002/leaderboard.json", dir).ok());
  EXPECT_EQ(LoadLeaderboard("7", dir).status().code(), absl::StatusCode::kNotFound);
}

TEST(VersionsTest, PagesLinkTheTreeFromWhereTheyLive) {
  EXPECT_EQ(LinkBase("leaderboard/versions/0008", "/repo"), "../../../");
  EXPECT_EQ(LinkBase("/repo/leaderboard/versions/.0008.partial/", "/repo"), "../../../");
  EXPECT_EQ(LinkBase(".", "/repo"), "");
  EXPECT_EQ(LinkBase("/tmp/lb", "/repo"), "/repo/");
  EXPECT_EQ(LinkBase("../elsewhere", "/repo/"), "/repo/");
}

// A version written by a newer leaderboard (fields this one does not know) still reads.
TEST(VersionsTest, UnknownFieldsAreIgnored) {
  const std::string dir = TmpDir("newer");
  ASSERT_TRUE(WriteFile(dir + "/leaderboard.json",
                        "{\"rows\": [{\"key\": \"k\", \"a_later_field\": 1}], \"version\": 3}").ok());
  auto loaded = LoadLeaderboard(dir, dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->rows(0).key(), "k");
}

TEST(VersionsTest, CorruptLeaderboardJsonIsNamed) {
  const std::string dir = TmpDir("corrupt");
  ASSERT_TRUE(WriteFile(dir + "/leaderboard.json", "{\"rows\": [").ok());
  auto loaded = LoadLeaderboard(dir, dir);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(dir + "/leaderboard.json"));
}

// Before: s: a (60%), b (50%), c (40%); t: x. After: s: b (70%), a (60%), d (10%); t: x.
// b moved up (2 -> 1) with a new figure, a moved down (1 -> 2) with the same figures,
// c disappeared, d appeared, x is unchanged.
TEST(DiffTest, RowsThatMovedAppearedAndDisappeared) {
  Leaderboard before = Board({MakeRow("s", "a", 0.6, 1.2), MakeRow("s", "b", 0.5), MakeRow("s", "c", 0.4),
                              MakeRow("t", "x", 0.9)});
  Leaderboard after = Board({MakeRow("s", "b", 0.7), MakeRow("s", "a", 0.6, 1.2), MakeRow("s", "d", 0.1),
                             MakeRow("t", "x", 0.9)});
  LeaderboardDiff diff = DiffLeaderboards(before, after);
  ASSERT_EQ(diff.appeared.size(), 1u);
  EXPECT_EQ(diff.appeared[0].configuration(), "d");
  ASSERT_EQ(diff.disappeared.size(), 1u);
  EXPECT_EQ(diff.disappeared[0].configuration(), "c");
  ASSERT_EQ(diff.changed.size(), 2u);
  EXPECT_EQ(diff.changed[0].after.configuration(), "b");
  EXPECT_EQ(diff.changed[0].rank_before, 2);
  EXPECT_EQ(diff.changed[0].rank_after, 1);
  EXPECT_EQ(diff.changed[1].after.configuration(), "a");
  EXPECT_EQ(diff.changed[1].rank_before, 1);
  EXPECT_EQ(diff.changed[1].rank_after, 2);
  EXPECT_EQ(diff.unchanged, 1);
  const std::string text = RenderDiff(diff, "0001", "0002");
  EXPECT_THAT(text, HasSubstr("# Leaderboard diff: 0001 → 0002"));
  EXPECT_THAT(text, HasSubstr("## Appeared (1)"));
  EXPECT_THAT(text, HasSubstr("## Disappeared (1)"));
  EXPECT_THAT(text, HasSubstr("| s 1.0 · b · GPU | 2 → 1 | 1 | 4/4 | - | 50.0% → 70.0% |"));
  EXPECT_THAT(text, HasSubstr("1 rows unchanged."));

  // Coverage is a figure: more tasks measured is a change.
  Leaderboard wider = before;
  wider.mutable_rows(3)->set_tasks_measured(3);
  ASSERT_EQ(DiffLeaderboards(before, wider).changed.size(), 1u);

  LeaderboardDiff same = DiffLeaderboards(before, before);
  EXPECT_TRUE(same.appeared.empty() && same.disappeared.empty() && same.changed.empty());
  EXPECT_EQ(same.unchanged, 4);
}

}  // namespace
}  // namespace tritonbench
