#include "harness/release.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/release_cut.h"
#include "harness/run_release.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

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

// A suite folder with tasks a and b (each a spec and a kernel).
fs::path MakeSuite(const std::string& name) {
  fs::path suite = TempRoot(name) / "demo";
  for (const char* id : {"a", "b"}) {
    Write(suite / id / "task.textproto", absl::StrCat("id: '", id, "'\n"));
    Write(suite / id / "kernel.py", absl::StrCat("# ", id, "\n"));
  }
  return suite;
}

Release OneRelease(const std::string& name, const std::string& date,
                   std::map<std::string, std::string> tasks = {{"a", kHashA}, {"b", kHashB}}) {
  return MakeRelease(name, date, "summary", tasks);
}

TEST(ManifestHashTest, IsTheHashOfTheTaskLines) {
  Release r = OneRelease("1.0", "2026-12-07");
  EXPECT_EQ(ManifestHash(r), Sha256Hex(absl::StrCat("a", std::string(1, '\0'), kHashA, "\nb", std::string(1, '\0'),
                                                    kHashB, "\n")));
  EXPECT_EQ(r.manifest_hash(), ManifestHash(r));
}

TEST(ParseReleasesTest, FormattedManifestReadsBackAndIsDeterministic) {
  SuiteReleases releases;
  releases.set_suite("demo");
  *releases.add_releases() = OneRelease("1.0", "2026-12-07");
  Release second = OneRelease("1.1", "2026-12-08", {{"a", kHashB}});
  second.set_summary("It's \"quoted\", back\\slashed, ünïcode");
  second.set_manifest_hash(ManifestHash(second));
  *releases.add_releases() = second;
  const std::string text = FormatReleases(releases);
  EXPECT_EQ(text, FormatReleases(releases));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("  tasks { id: \"a\" content_hash: \"", kHashA, "\" }\n")));
  EXPECT_THAT(text, HasSubstr("It's"));
  EXPECT_THAT(text, HasSubstr("ünïcode"));
  auto parsed = ParseReleases(text, "demo/releases.textproto");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->releases(1).summary(), second.summary());
  EXPECT_EQ(parsed->releases(1).manifest_hash(), second.manifest_hash());
}

absl::Status ParseOne(const Release& release, const std::string& suite = "demo") {
  SuiteReleases releases;
  releases.set_suite(suite);
  *releases.add_releases() = release;
  return ParseReleases(FormatReleases(releases), "m.textproto").status();
}

TEST(ParseReleasesTest, ErrorsNameTheLineAndField) {
  Release unsorted = OneRelease("1.0", "2026-12-07");
  unsorted.mutable_tasks()->SwapElements(0, 1);
  unsorted.set_manifest_hash(ManifestHash(unsorted));
  EXPECT_THAT(std::string(ParseOne(unsorted).message()),
              HasSubstr("m.textproto:13: releases[0].tasks[1]: 'a' is out of order"));

  Release bad_hash = OneRelease("1.0", "2026-12-07");
  bad_hash.mutable_tasks(1)->set_content_hash("B");
  EXPECT_THAT(std::string(ParseOne(bad_hash).message()),
              HasSubstr("releases[0].tasks[1]: content_hash of 'b' is not 64 lower-case hex digits"));

  Release wrong_total = OneRelease("1.0", "2026-12-07");
  wrong_total.set_manifest_hash(kHashA);
  EXPECT_THAT(std::string(ParseOne(wrong_total).message()),
              HasSubstr("m.textproto:11: releases[0].manifest_hash: '" + kHashA + "' does not match its tasks"));

  EXPECT_THAT(std::string(ParseOne(OneRelease("1.0", "7.12.2026")).message()),
              HasSubstr("releases[0].date: '7.12.2026' is not YYYY-MM-DD"));
  EXPECT_THAT(std::string(ParseOne(OneRelease("1.0", "2026-12-07"), "").message()), HasSubstr("suite: required"));

  SuiteReleases two;
  two.set_suite("demo");
  *two.add_releases() = OneRelease("1.0", "2026-12-07");
  *two.add_releases() = OneRelease("1.0", "2026-12-08");
  EXPECT_THAT(std::string(ParseReleases(FormatReleases(two), "m").status().message()),
              HasSubstr("releases[1].name: '1.0' is named twice"));
  two.mutable_releases(1)->set_name("1.1");
  two.mutable_releases(1)->set_date("2026-12-06");
  EXPECT_THAT(std::string(ParseReleases(FormatReleases(two), "m").status().message()),
              HasSubstr("releases[1].date: '2026-12-06' is before the previous release's 2026-12-07"));
  EXPECT_THAT(std::string(ParseReleases("suite: 'demo' releases { nme: '1' }", "m").status().message()),
              HasSubstr("m:1:"));
}

TEST(ReleaseOfTest, TheNewestReleaseListingTheContent) {
  SuiteReleases releases;
  releases.set_suite("demo");
  *releases.add_releases() = OneRelease("1.0", "2026-12-07");
  *releases.add_releases() = OneRelease("1.1", "2026-12-08", {{"a", kHashA}, {"b", std::string(64, 'c')}});
  ASSERT_NE(ReleaseOfTask(releases, "a", kHashA), nullptr);
  EXPECT_EQ(ReleaseOfTask(releases, "a", kHashA)->name(), "1.1");
  EXPECT_EQ(ReleaseOfTask(releases, "b", kHashB)->name(), "1.0");
  EXPECT_EQ(ReleaseOfTask(releases, "b", kHashA), nullptr);
  EXPECT_EQ(ReleaseOfTask(releases, "z", kHashA), nullptr);
  EXPECT_EQ(ReleaseOfTasks(releases, {{"a", kHashA}})->name(), "1.1");
  EXPECT_EQ(ReleaseOfTasks(releases, {{"a", kHashA}, {"b", kHashB}})->name(), "1.0");
  EXPECT_EQ(ReleaseOfTasks(releases, {{"a", kHashA}, {"b", kHashA}}), nullptr);
  EXPECT_EQ(ReleaseOfTasks(releases, {}), nullptr);
}

TEST(DiffTasksTest, AddedRemovedChanged) {
  Release r = OneRelease("1.0", "2026-12-07");
  TaskDiff diff = DiffTasks(&r, {{"a", kHashA}, {"b", kHashA}, {"c", kHashA}});
  EXPECT_THAT(diff.changed, ElementsAre("b"));
  EXPECT_THAT(diff.added, ElementsAre("c"));
  EXPECT_TRUE(diff.removed.empty());
  diff = DiffTasks(&r, {{"a", kHashA}});
  EXPECT_THAT(diff.removed, ElementsAre("b"));
  EXPECT_TRUE(DiffTasks(&r, {{"a", kHashA}, {"b", kHashB}}).empty());
  EXPECT_THAT(DiffTasks(nullptr, {{"a", kHashA}}).added, ElementsAre("a"));
}

TEST(NextReleaseNameTest, IncrementsTheLastNumber) {
  EXPECT_EQ(NextReleaseName("1.0"), "1.1");
  EXPECT_EQ(NextReleaseName("1.9"), "1.10");
  EXPECT_EQ(NextReleaseName("2"), "3");
  EXPECT_EQ(NextReleaseName("first"), "");
}

TEST(ChangelogTest, SectionsGoNewestFirstAndReplace) {
  const std::string first = "## 1.0 (2026-12-07)\n\nOne.\n";
  std::string log = AddChangelogSection("", "demo", first);
  EXPECT_THAT(log, HasSubstr("# demo: changelog\n"));
  EXPECT_TRUE(HasChangelogHeading(log, "1.0"));
  EXPECT_FALSE(HasChangelogHeading(log, "1"));
  log += "\nWhy a changed: it was wrong.\n";
  log = AddChangelogSection(log, "demo", "## 1.1 (2026-12-08)\n\nTwo.\n");
  EXPECT_LT(log.find("## 1.1"), log.find("## 1.0"));
  EXPECT_THAT(log, HasSubstr("Why a changed"));
  log = AddChangelogSection(log, "demo", "## 1.1 (2026-12-09)\n\nTwo again.\n", "1.1");
  EXPECT_THAT(log, Not(HasSubstr("2026-12-08")));
  EXPECT_THAT(log, HasSubstr("## 1.1 (2026-12-09)\n\nTwo again.\n\n## 1.0"));
  EXPECT_THAT(log, HasSubstr("Why a changed"));

  Release one = OneRelease("1.0", "2026-12-07");
  Release two = OneRelease("1.1", "2026-12-08", {{"a", kHashB}, {"c", kHashA}});
  const std::string section = ChangelogSection(two, &one);
  EXPECT_THAT(section, HasSubstr("## 1.1 (2026-12-08)\n\nsummary\n"));
  EXPECT_THAT(section, HasSubstr("- changed: `a`\n- added: `c`\n- removed: `b`\n"));
  EXPECT_THAT(ChangelogSection(one, nullptr), HasSubstr("2 tasks"));
}

TEST(CutReleaseTest, CutsChecksRefusesAndAmends) {
  fs::path suite = MakeSuite("cut");
  CutOptions options{suite.string(), "1.0", "The first.", "2026-12-07"};
  auto missing = CheckSuite(suite.string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr((suite / "releases.textproto").string()));

  auto cut = CutRelease(options);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_EQ(cut->tasks_size(), 2);
  auto check = CheckSuite(suite.string());
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << CheckReport(*check);
  auto loaded = LoadReleases(suite.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->suite(), "demo");

  options.name = "1.1";
  EXPECT_THAT(std::string(CutRelease(options).status().message()), HasSubstr("nothing to release"));
  Write(suite / "b" / "kernel.py", "# b, edited\n");
  check = CheckSuite(suite.string());
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->ok());
  EXPECT_THAT(check->diff.changed, ElementsAre("b"));
  EXPECT_THAT(CheckReport(*check), HasSubstr("changed (1): b"));
  options.name = "1.0";
  EXPECT_THAT(std::string(CutRelease(options).status().message()), HasSubstr("release '1.0' exists"));
  options.date = "2026-12-7";
  EXPECT_EQ(CutRelease(options).status().code(), absl::StatusCode::kInvalidArgument);

  // Amending re-cuts 1.0 with the tree as it is now, keeping one section in the changelog.
  CutOptions amend{suite.string(), "", "", "2026-12-08", /*amend=*/true};
  auto amended = CutRelease(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->name(), "1.0");
  EXPECT_EQ(amended->summary(), "The first.");
  check = CheckSuite(suite.string());
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << CheckReport(*check);
  auto log = ReadFile((suite / "CHANGELOG.md").string());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->find("## 1.0"), log->rfind("## 1.0"));
  EXPECT_THAT(*log, HasSubstr("## 1.0 (2026-12-08)"));

  // A changelog heading of a name not yet in the manifest is refused.
  Write(suite / "a" / "kernel.py", "# a, edited\n");
  auto text = ReadFile((suite / "CHANGELOG.md").string());
  Write(suite / "CHANGELOG.md", *text + "\n## 1.1 (draft)\n");
  CutOptions next{suite.string(), "1.1", "Second.", "2026-12-09"};
  EXPECT_THAT(std::string(CutRelease(next).status().message()), HasSubstr("already has a section '## 1.1'"));
}

TEST(LoadReleasesTest, SuiteMustBeTheFolderNameAlsoForDot) {
  fs::path suite = MakeSuite("dot");
  ASSERT_TRUE(CutRelease({suite.string(), "1.0", "x", "2026-12-07"}).ok());
  const fs::path here = fs::current_path();
  fs::current_path(suite);
  auto loaded = LoadReleases(".");
  fs::current_path(here);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  fs::path other = TempRoot("dot2") / "other";
  fs::create_directories(other);
  fs::copy_file(suite / "releases.textproto", other / "releases.textproto");
  EXPECT_THAT(std::string(LoadReleases(other.string()).status().message()),
              HasSubstr("suite: 'demo' must equal the folder name 'other'"));
}

TEST(RunReleasesTest, MarksResultsAndRuns) {
  fs::path suite = MakeSuite("marks");
  ASSERT_TRUE(CutRelease({suite.string(), "1.0", "x", "2026-12-07"}).ok());
  const std::vector<std::string> dirs = {(suite / "a").string(), (suite / "b").string() + "/"};
  auto releases = RunReleases::Load(dirs);
  ASSERT_TRUE(releases.ok()) << releases.status();
  auto manifest = LoadReleases(suite.string());
  ASSERT_TRUE(manifest.ok());

  RunRecord record;
  releases->MarkRun(&record);
  EXPECT_EQ(record.release(), "1.0");
  EXPECT_EQ(record.release_manifest_hash(), manifest->releases(0).manifest_hash());

  std::map<std::string, std::string> hashes;
  ASSERT_TRUE(ContentHash({(suite / "a").string(), (suite / "b").string()}, &hashes).ok());
  EvaluationResult result;
  result.set_task_id("a");
  result.set_task_content_hash(hashes["a"]);
  releases->MarkResult(&result);
  EXPECT_EQ(result.release(), "1.0");
  *record.add_results() = result;
  releases->ConfirmRun(&record);
  EXPECT_EQ(record.release(), "1.0");

  // A result with no evaluation behind it (no code in the answer) gets the loaded hash.
  EvaluationResult no_code;
  no_code.set_task_id("b");
  releases->MarkResult(&no_code);
  EXPECT_EQ(no_code.task_content_hash(), hashes["b"]);
  EXPECT_EQ(no_code.release(), "1.0");

  // A result measured on other content (the task edited during the run).
  result.set_task_content_hash(kHashA);
  releases->MarkResult(&result);
  EXPECT_EQ(result.release(), kUnreleased);
  *record.add_results() = result;
  releases->ConfirmRun(&record);
  EXPECT_EQ(record.release(), kUnreleased);
  EXPECT_EQ(record.release_manifest_hash(), "");

  // Edited in the tree before the run: the run is unreleased.
  Write(suite / "b" / "kernel.py", "# edited\n");
  releases = RunReleases::Load(dirs);
  ASSERT_TRUE(releases.ok());
  releases->MarkRun(&record);
  EXPECT_EQ(record.release(), kUnreleased);
  // Task a alone still is of 1.0.
  releases = RunReleases::Load({(suite / "a").string()});
  releases->MarkRun(&record);
  EXPECT_EQ(record.release(), "1.0");
}

TEST(RunReleasesTest, NoManifestIsUnreleasedABrokenOneAnError) {
  fs::path suite = MakeSuite("none");
  auto releases = RunReleases::Load({(suite / "a").string()});
  ASSERT_TRUE(releases.ok()) << releases.status();
  RunRecord record;
  releases->MarkRun(&record);
  EXPECT_EQ(record.release(), kUnreleased);
  EvaluationResult result;
  result.set_task_id("a");
  releases->MarkResult(&result);
  EXPECT_EQ(result.release(), kUnreleased);

  Write(suite / "releases.textproto", "suite: 'demo' releases { name: '1.0' date: 'x' }\n");
  auto broken = RunReleases::Load({(suite / "a").string()});
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(std::string(broken.status().message()), HasSubstr("releases.textproto:1: releases[0].date"));
}

}  // namespace
}  // namespace tritonbench
