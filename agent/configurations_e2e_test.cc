// End to end, on the CPU interpreter: the local test server plays the LLM (a wrong
// kernel, then a fixed one, then a faster one: agent/testdata/scripted/), the real
// provider stack records every call, the real harness evaluates, and each
// configuration's steps and stats land in its run record, with its provenance; the
// kept kernel is evaluated a second time on new inputs and that result is reported.
// Replaying the recorded transcripts reproduces the kernels byte for byte and the
// verdicts. These runs are test fixtures, never a model's result.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "agent/configuration.h"
#include "agent/configuration_runner.h"
#include "agent/llm/provider_factory.h"
#include "agent/testing/scripted_http_server.h"
#include "common/files.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

std::string Scripted(const std::string& name) {
  auto text = ReadFile("agent/testdata/scripted/" + name + ".txt");
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

EvaluatorOptions CpuOptions() {
  EvaluatorOptions options;
  const char* python = std::getenv("TB_PYTHON");
  options.python = python ? python : "python3";
  options.worker_path = "harness/python/worker.py";
  options.scratch_dir = ::testing::TempDir();
  options.settings = DefaultSettings();
  options.settings.set_device("cpu");
  options.settings.set_timeout_seconds(120);
  options.settings.set_memory_limit_mb(4096);
  return options;
}

// The harness, noting every evaluation's candidate file and input salt.
class NotingEvaluator : public CandidateEvaluator {
 public:
  explicit NotingEvaluator(CandidateEvaluator* harness) : harness_(harness) {}
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& path, uint64_t salt) override {
    {
      absl::MutexLock lock(&mu_);
      calls_.emplace_back(BaseName(path), salt);
    }
    return harness_->Evaluate(task, path, salt);
  }
  bool timed() const override { return harness_->timed(); }
  std::vector<std::pair<std::string, uint64_t>> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  CandidateEvaluator* harness_;
  absl::Mutex mu_;
  std::vector<std::pair<std::string, uint64_t>> calls_;
};

class ConfigurationsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(std::getenv("TB_PYTHON"), nullptr) << "run tools/setup.sh: TB_PYTHON must name the venv's python";
    auto task = LoadTask("suites/tritonbench_revised/vector_addition");
    ASSERT_TRUE(task.ok()) << task.status();
    task_ = *task;
  }

  // Starts the server with `answers` (in order) and runs `config` with recording on.
  RunRecord RunScripted(Configuration config, const std::vector<std::string>& answers, const std::string& name) {
    ServerScript script;
    Route* route = script.add_routes();
    route->set_path("/v1/chat/completions");
    for (const auto& a : answers) *route->add_responses() = OpenAiAnswer(a, 500, 200);
    auto server = ScriptedHttpServer::Start(script);
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ProviderConfig pc;
    pc.provider = "openai";
    pc.base_url = server_->base_url();
    pc.api_key_env = "";  // a local server takes no key
    pc.record_dir = Dir(name + "_transcripts");
    auto provider = CreateProvider(pc);
    EXPECT_TRUE(provider.ok()) << provider.status();
    return RunWith(std::move(config), provider->get(), false, Dir(name));
  }

  RunRecord Replay(Configuration config, const std::string& recorded, const std::string& name) {
    ProviderConfig pc;
    pc.provider = "openai";
    pc.replay_dir = Dir(recorded + "_transcripts");
    pc.api_key_env = "TB_TEST_UNSET_KEY_VARIABLE";
    auto provider = CreateProvider(pc);
    EXPECT_TRUE(provider.ok()) << provider.status();
    return RunWith(std::move(config), provider->get(), true, Dir(name));
  }

  RunRecord RunWith(Configuration config, LlmProvider* provider, bool replayed, const std::string& out) {
    HarnessCandidateEvaluator harness(CpuOptions(), /*timed=*/false, 1);
    NotingEvaluator evaluator(&harness);
    auto runner = ConfigurationRunner::Create(std::move(config), "", provider, std::nullopt, replayed, &evaluator);
    EXPECT_TRUE(runner.ok()) << runner.status();
    auto record = (*runner)->Run({task_}, out, RunRecord(), nullptr, nullptr);
    EXPECT_TRUE(record.ok()) << record.status();
    evaluations_ = evaluator.calls();
    return record.ok() ? *record : RunRecord();
  }

  // The kept candidate `file` was evaluated in the search (salt 0) and once more on new
  // inputs, last; the reported result is that second evaluation's.
  void ExpectFreshEvaluationReported(const RunRecord& r, const std::string& file, size_t evaluations) {
    ASSERT_EQ(evaluations_.size(), evaluations);
    int search = 0;
    for (size_t i = 0; i + 1 < evaluations_.size(); ++i) {
      EXPECT_EQ(evaluations_[i].second, 0u) << "the search uses the spec's inputs";
      if (evaluations_[i].first == file) ++search;
    }
    EXPECT_EQ(search, 1) << file << " was evaluated once in the search";
    EXPECT_EQ(evaluations_.back().first, file) << "then again, last";
    EXPECT_NE(evaluations_.back().second, 0u) << "on new inputs";
    ASSERT_EQ(r.results_size(), 1);
    EXPECT_EQ(r.results(0).input_salt(), evaluations_.back().second) << "the fresh result is the one reported";
    EXPECT_EQ(BaseName(r.results(0).candidate_path()), file);
  }

  static void ExpectProvenance(const RunRecord& r, bool knowledge) {
    EXPECT_EQ(r.provenance().configuration_sha256().size(), 64u);
    EXPECT_EQ(r.provenance().prompts_sha256().size(), 64u);
    EXPECT_EQ(r.provenance().knowledge_sha256().size(), knowledge ? 64u : 0u);
  }

  static std::string Dir(const std::string& name) { return absl::StrCat(::testing::TempDir(), "/", name); }

  static std::string Log(const std::string& run) {
    auto log = ReadFile(Dir(run) + "/candidates/vector_addition/agent_log.txt");
    return log.ok() ? *log : "";
  }

  static Configuration Config(const std::string& name) {
    auto c = LoadConfiguration("agent/configs/" + name + ".textproto");
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

  std::vector<std::string> Requests() {
    std::vector<std::string> bodies;
    for (const auto& r : server_->requests()) {
      if (r.path() == "/v1/chat/completions") bodies.push_back(r.body());
    }
    return bodies;
  }

  Task task_;
  std::unique_ptr<ScriptedHttpServer> server_;
  // (candidate file name, input salt) of the last run's evaluations, in order.
  std::vector<std::pair<std::string, uint64_t>> evaluations_;
  const std::vector<std::string> answers_ = {Scripted("wrong"), Scripted("fixed"), Scripted("faster")};
};

TEST_F(ConfigurationsE2eTest, ZeroShotTakesTheFirstAnswer) {
  RunRecord r = RunScripted(Config("zero_shot"), answers_, "zero");
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.configuration(), "zero_shot");
  EXPECT_FALSE(r.results(0).execution_ok());
  EXPECT_EQ(FailureKind_Name(r.results(0).failure_kind()), "WRONG_VALUES") << r.results(0).message();
  const TaskGeneration& g = r.generations(0);
  EXPECT_EQ(g.iterations(), 1);
  EXPECT_EQ(g.llm_calls(), 1);
  EXPECT_EQ(g.prompt_tokens(), 500);
  EXPECT_EQ(g.completion_tokens(), 200);
  EXPECT_FALSE(g.has_iterations_to_first_correct());
  EXPECT_FALSE(r.results(0).timing_available()) << "no speedup on the CPU interpreter";
  ExpectFreshEvaluationReported(r, "iter1_c0.py", 2);
  EXPECT_FALSE(g.search_execution_ok());
  EXPECT_FALSE(g.has_search_speedup());
  EXPECT_EQ(g.timed_candidates(), 0);
  ExpectProvenance(r, /*knowledge=*/false);
  EXPECT_EQ(r.provenance().corpus_sha256(), "");
  EXPECT_TRUE(absl::StrContains(Log("zero"), "fresh evaluation of the kept candidate iter1_c0.py (new process, new "
                                             "inputs): WRONG_VALUES (search: WRONG_VALUES)"))
      << Log("zero");
  ASSERT_EQ(Requests().size(), 1u);
  EXPECT_TRUE(absl::StrContains(Requests()[0], "def vector_addition(x: torch.Tensor, y: torch.Tensor)"));
}

TEST_F(ConfigurationsE2eTest, OneShotPutsTheExampleInThePrompt) {
  RunRecord r = RunScripted(Config("one_shot"), {Scripted("fixed")}, "one");
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_TRUE(r.results(0).execution_ok()) << r.results(0).message();
  EXPECT_EQ(r.generations(0).iterations_to_first_correct(), 1);
  ExpectFreshEvaluationReported(r, "iter1_c0.py", 2);
  EXPECT_TRUE(r.generations(0).search_execution_ok());
  ExpectProvenance(r, /*knowledge=*/false);
  EXPECT_EQ(r.provenance().corpus_sha256().size(), 64u);
  ASSERT_EQ(Requests().size(), 1u);
  EXPECT_TRUE(absl::StrContains(Requests()[0], "Here is an example of a Triton kernel for a related problem"));
  EXPECT_TRUE(absl::StrContains(Log("one"), "retrieved example: "));
}

TEST_F(ConfigurationsE2eTest, GeakReflectsDebugsAndReplaysIdentically) {
  // The checked-in agent configuration with its budgets shrunk for CI: one run, one
  // candidate a round, three rounds.
  Configuration c = Config("geak_agent");
  c.mutable_agent()->set_iterations(3);
  c.mutable_agent()->set_candidates_per_round(1);
  c.mutable_agent()->set_parallel_runs(1);
  RunRecord r = RunScripted(c, {Scripted("wrong"), Scripted("reflection"), Scripted("fixed"), Scripted("faster")},
                            "geak");
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_TRUE(r.results(0).execution_ok()) << r.results(0).message();
  const TaskGeneration& g = r.generations(0);
  EXPECT_EQ(g.iterations(), 2) << Log("geak");
  EXPECT_EQ(g.iterations_to_first_correct(), 2);
  EXPECT_EQ(g.llm_calls(), 3);  // generate, reflect, generate
  EXPECT_EQ(g.llm_calls_to_first_correct(), 3);
  ExpectFreshEvaluationReported(r, "run0_iter2_c0.py", 3);
  EXPECT_TRUE(g.search_execution_ok());
  EXPECT_EQ(g.timed_candidates(), 0) << "nothing is timed on the CPU interpreter";
  ExpectProvenance(r, /*knowledge=*/true);
  auto lines = ReadFile(Dir("geak") + "/results.jsonl");
  ASSERT_TRUE(lines.ok());
  EXPECT_TRUE(absl::StrContains(*lines, absl::StrCat("\"input_salt\":\"", r.results(0).input_salt(), "\"")))
      << *lines;
  const std::string log = Log("geak");
  EXPECT_TRUE(absl::StrContains(log, "fresh evaluation of the kept candidate run0_iter2_c0.py (new process, new "
                                     "inputs): correct (search: correct)"))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "iteration 1: fresh: generated 1, correct 0 [WRONG_VALUES]")) << log;
  EXPECT_TRUE(absl::StrContains(log, "reflected on 1 failure(s)")) << log;
  EXPECT_TRUE(absl::StrContains(log, "iteration 2: debug (attempt 1 on this line): generated 1, correct 1 [ok]")) << log;
  EXPECT_TRUE(absl::StrContains(log, "the CPU interpreter measures no latency")) << log;
  auto requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(absl::StrContains(requests[1], "In at most three sentences"));
  EXPECT_TRUE(absl::StrContains(requests[2], "the task asks for x + y")) << "the reflection reaches the next prompt";
  EXPECT_TRUE(absl::StrContains(requests[2], "WRONG_VALUES")) << "the error reaches the debug prompt";

  // Replay: no server, the same kernels byte for byte, the same verdicts.
  server_.reset();
  RunRecord again = Replay(c, "geak", "geak_replay");
  ASSERT_EQ(again.results_size(), 1);
  EXPECT_EQ(again.results(0).execution_ok(), r.results(0).execution_ok());
  EXPECT_EQ(again.generations(0).iterations(), g.iterations());
  EXPECT_EQ(again.generations(0).llm_calls(), g.llm_calls());
  EXPECT_EQ(again.provenance().SerializeAsString(), r.provenance().SerializeAsString())
      << "the same configuration, prompts and knowledge";
  ExpectFreshEvaluationReported(again, "run0_iter2_c0.py", 3);
  EXPECT_NE(again.results(0).input_salt(), r.results(0).input_salt()) << "each fresh evaluation draws its own";
  for (const char* file : {"run0_iter1_c0.py", "run0_iter2_c0.py"}) {
    auto a = ReadFile(Dir("geak") + "/candidates/vector_addition/" + file);
    auto b = ReadFile(Dir("geak_replay") + "/candidates/vector_addition/" + file);
    ASSERT_TRUE(a.ok() && b.ok()) << file;
    EXPECT_EQ(*a, *b) << file;
  }
  auto calls = ReadFile(Dir("geak_replay") + "/candidates/vector_addition/llm_calls.jsonl");
  ASSERT_TRUE(calls.ok());
  EXPECT_TRUE(absl::StrContains(*calls, "\"replayed\":true")) << *calls;
  EXPECT_EQ(Log("geak_replay"), log);
}

}  // namespace
}  // namespace tritonbench
