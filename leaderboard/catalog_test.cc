#include "leaderboard/catalog.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/release.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

constexpr char kFixtureSuites[] = "leaderboard/testdata/suites";
constexpr char kFixtureRuns[] = "leaderboard/testdata/runs";

std::string Hash(char c) { return std::string(64, c); }

std::string TmpDir(const std::string& name) {
  std::string dir = absl::StrCat(getenv("TEST_TMPDIR"), "/", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A suite "s" in memory: release 1.0 {a: A, b: B}, release 1.1 {a: A, b: C}.
SuiteCatalog MemorySuite() {
  SuiteCatalog suite;
  suite.name = "s";
  suite.dir = "suites/s";
  suite.releases.set_suite("s");
  for (const auto& [name, b] : {std::pair<const char*, char>{"1.0", 'b'}, {"1.1", 'c'}}) {
    Release* r = suite.releases.add_releases();
    r->set_name(name);
    r->set_date("2026-12-01");
    ReleasedTask* a = r->add_tasks();
    a->set_id("a");
    a->set_content_hash(Hash('a'));
    ReleasedTask* t = r->add_tasks();
    t->set_id("b");
    t->set_content_hash(Hash(b));
    r->set_manifest_hash(ManifestHash(*r));
  }
  return suite;
}

LoadedRun MakeRun(const std::string& dir, std::vector<std::pair<std::string, std::string>> results,
              const std::string& release = "") {
  LoadedRun run;
  run.dir = dir;
  run.record.set_suite("s");
  run.record.set_suite_content_hash(Hash('f'));
  run.record.set_configuration("ground_truth");
  run.record.set_release(release);
  for (const auto& [task, hash] : results) {
    EvaluationResult* r = run.record.add_results();
    r->set_task_id(task);
    r->set_task_content_hash(hash);
  }
  return run;
}

std::map<std::string, int> ResultsPerRelease(const Placement& p, const std::string& dir) {
  std::map<std::string, int> out;
  for (const auto& m : p.releases) {
    for (const auto& r : m.runs) {
      if (r.run->dir == dir) out[m.release->name()] = static_cast<int>(r.results.size());
    }
  }
  return out;
}

// The checked-in fixture suite: the tree's task hashes (harness/suite.h) are release
// 1.1's, and its manifest checks (ParseReleases), so make_fixtures.py hashes as the C++.
TEST(CatalogTest, FixtureSuiteMatchesItsNewestRelease) {
  auto catalogs = ReadSuiteCatalogs(kFixtureSuites);
  ASSERT_TRUE(catalogs.ok()) << catalogs.status();
  ASSERT_EQ(catalogs->size(), 1u);
  const SuiteCatalog& suite = catalogs->front();
  EXPECT_EQ(suite.name, "fixture_suite");
  EXPECT_EQ(suite.dir, "leaderboard/testdata/suites/fixture_suite");
  ASSERT_EQ(suite.releases.releases_size(), 2);
  const Release& latest = suite.releases.releases(1);
  EXPECT_EQ(latest.name(), "1.1");
  ASSERT_EQ(latest.tasks_size(), 5);
  for (const auto& t : latest.tasks()) EXPECT_EQ(suite.tree_hashes.at(t.id()), t.content_hash()) << t.id();
  EXPECT_NE(suite.releases.releases(0).tasks(3).content_hash(), suite.tree_hashes.at("softmax"));
  EXPECT_EQ(suite.categories.at("flip"), "indexing");
  EXPECT_EQ(suite.task_dirs.at("add"), "leaderboard/testdata/suites/fixture_suite/add");
}

// The fixture runs: which count where, which are unreleased and which are refused.
TEST(CatalogTest, FixtureRunsArePlacedListedOrRefused) {
  auto catalogs = ReadSuiteCatalogs(kFixtureSuites);
  ASSERT_TRUE(catalogs.ok()) << catalogs.status();
  auto loaded = LoadRuns({kFixtureRuns});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  Placement p = PlaceResults(*loaded, *catalogs);
  ASSERT_EQ(p.releases.size(), 2u);
  EXPECT_EQ(p.releases[0].release->name(), "1.1");  // newest first
  EXPECT_EQ(p.releases[0].runs.size(), 10u);
  EXPECT_EQ(p.releases[1].runs.size(), 10u);
  const std::string runs = kFixtureRuns;
  // Tasks unchanged since 1.0 count in both releases; extra and softmax only in 1.1.
  EXPECT_EQ(ResultsPerRelease(p, runs + "/ground_truth/run1"), (std::map<std::string, int>{{"1.0", 3}, {"1.1", 5}}));
  // A record older than task hashes whose tasks are unchanged in the tree.
  EXPECT_EQ(ResultsPerRelease(p, runs + "/legacy/unchanged"), (std::map<std::string, int>{{"1.0", 2}, {"1.1", 2}}));

  ASSERT_EQ(p.refused.size(), 2u);
  EXPECT_EQ(p.refused[0].path(), runs + "/bad/release_mismatch/run_record.json");
  EXPECT_THAT(p.refused[0].reason(),
              HasSubstr("run_record.json: results[1].release: '1.1', but task 'softmax' was measured with content "
                        "13c567f47aec and release 1.1 holds f034c15b7f3f"));
  EXPECT_EQ(p.refused[1].path(), runs + "/bad/unknown_release/run_record.json");
  EXPECT_THAT(p.refused[1].reason(),
              HasSubstr("run_record.json: release: '2.0' is not a release of fixture_suite "
                        "(leaderboard/testdata/suites/fixture_suite/releases.textproto lists 1.0, 1.1)"));

  ASSERT_EQ(p.unreleased.size(), 2u);
  EXPECT_EQ(p.unreleased[0].path(), runs + "/legacy/changed/run_record.json");
  EXPECT_EQ(p.unreleased[0].results(), 2);
  EXPECT_THAT(p.unreleased[0].reason(), HasSubstr("no task_content_hash"));
  EXPECT_EQ(p.unreleased[1].path(), runs + "/unreleased/run1/run_record.json");
  EXPECT_EQ(p.unreleased[1].results(), 1);
  EXPECT_THAT(p.unreleased[1].reason(), HasSubstr("task content matches no release of fixture_suite (matmul "));
}

TEST(CatalogTest, ContradictionsNameTheField) {
  std::vector<SuiteCatalog> catalogs = {MemorySuite()};
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("bad_hash", {{"a", "ABC"}}));
  LoadedRun wrong_manifest = MakeRun("wrong_manifest", {{"a", Hash('a')}}, "1.1");
  wrong_manifest.record.set_release_manifest_hash(Hash('d'));
  loaded.runs.push_back(wrong_manifest);
  loaded.runs.push_back(MakeRun("not_in_named", {{"b", Hash('b')}}, "1.1"));
  LoadedRun ok = MakeRun("measured_then_released", {{"b", Hash('c')}}, kUnreleased);
  ok.record.mutable_results(0)->set_release(kUnreleased);
  loaded.runs.push_back(ok);
  Placement p = PlaceResults(loaded, catalogs);
  ASSERT_EQ(p.refused.size(), 3u);
  EXPECT_THAT(p.refused[0].reason(),
              HasSubstr("run_record.json: results[0].task_content_hash: 'ABC' (task 'a') is not 64 lower-case hex"));
  EXPECT_THAT(p.refused[1].reason(), HasSubstr("run_record.json: release_manifest_hash: dddddddddddd differs from "
                                               "release 1.1's"));
  EXPECT_THAT(p.refused[2].reason(), HasSubstr("run_record.json: release: '1.1', but task 'b' was measured with "
                                               "content bbbbbbbbbbbb and release 1.1 holds cccccccccccc"));
  // "unreleased" when measured is no contradiction: the release was cut afterwards.
  EXPECT_EQ(ResultsPerRelease(p, "measured_then_released"), (std::map<std::string, int>{{"1.1", 1}}));
}

TEST(CatalogTest, UnknownSuitesAndSuitesWithoutManifestAreUnreleased) {
  SuiteCatalog bare = MemorySuite();
  bare.releases.clear_releases();
  bare.no_releases = "suites/s/releases.textproto: the suite has no release manifest";
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("r", {{"a", Hash('a')}}));
  LoadedRun elsewhere = MakeRun("other", {{"a", Hash('a')}});
  elsewhere.record.set_suite("other_suite");
  loaded.runs.push_back(elsewhere);
  Placement p = PlaceResults(loaded, {bare});
  EXPECT_TRUE(p.releases.empty());
  ASSERT_EQ(p.unreleased.size(), 2u);
  EXPECT_THAT(p.unreleased[0].reason(), HasSubstr("has no release manifest"));
  EXPECT_THAT(p.unreleased[1].reason(), HasSubstr("no suite folder 'other_suite'"));
}

TEST(CatalogTest, MalformedManifestFailsNamingTheFile) {
  const std::string root = TmpDir("suites");
  std::filesystem::copy(std::string(kFixtureSuites) + "/fixture_suite", root + "/fixture_suite",
                        std::filesystem::copy_options::recursive);
  const std::string manifest = root + "/fixture_suite/releases.textproto";
  std::filesystem::permissions(manifest, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  auto text = ReadFile(manifest);
  ASSERT_TRUE(text.ok());
  ASSERT_TRUE(WriteFile(manifest, text->substr(0, text->find("manifest_hash")) + "}\n").ok());
  auto catalogs = ReadSuiteCatalogs(root);
  ASSERT_FALSE(catalogs.ok());
  EXPECT_THAT(std::string(catalogs.status().message()), HasSubstr(manifest));
  EXPECT_THAT(std::string(catalogs.status().message()), HasSubstr("manifest_hash"));
  EXPECT_EQ(ReadSuiteCatalogs(root + "/nowhere").status().code(), absl::StatusCode::kNotFound);
}

// An import's folder beside this project's: both read, the imported suite marked; a
// suite name under two roots is refused, naming both.
TEST(CatalogTest, SeveralRootsAreReadAndAnImportedSuiteIsMarked) {
  const std::string root = TmpDir("imported");
  const std::string task = absl::StrCat(root, "/geak_tbg/add_example");
  std::filesystem::create_directories(task);
  ASSERT_TRUE(WriteFile(task + "/task.textproto",
                        "id: \"add_example\" suite: \"geak_tbg\" category: \"upstream\" instruction: \"Add.\"\n"
                        "upstream { kind: TRITONBENCH_G file: \"add_example.py\" }\n")
                  .ok());
  auto both = ReadSuiteCatalogs(std::vector<std::string>{kFixtureSuites, root});
  ASSERT_TRUE(both.ok()) << both.status();
  std::map<std::string, bool> upstream;
  for (const auto& s : *both) upstream[s.name] = s.upstream;
  ASSERT_EQ(upstream.count("geak_tbg"), 1u);
  EXPECT_TRUE(upstream["geak_tbg"]);
  EXPECT_FALSE(upstream["fixture_suite"]);
  auto twice = ReadSuiteCatalogs(std::vector<std::string>{root, root});
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(std::string(twice.status().message()), HasSubstr("'geak_tbg' is in two suites folders"));
}

}  // namespace
}  // namespace tritonbench
