// The configurations' logic with a fake model and a fake evaluator (no Python): the
// steps each configuration takes, the stats it records, the debugging trap, parallel
// runs, the kept kernel's fresh evaluation, and resuming a run folder (refused when
// what made the run changed).
#include <atomic>
#include <fstream>
#include <sstream>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "agent/configuration.h"
#include "agent/configuration_runner.h"
#include "agent/debug_trap.h"
#include "agent/generator.h"
#include "agent/optimizer.h"
#include "agent/provenance.h"
#include "agent/reflector.h"
#include "common/files.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "harness/evaluator.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

std::string Module(const std::string& tag) { return absl::StrCat("```python\nimport triton\n# ", tag, "\n```\n"); }

// Answers by what the prompt asks: a lesson for a reflection request, a faster kernel
// when shown measured versions, a fixed kernel when shown a failure, else `first`.
class FakeModel : public LlmProvider {
 public:
  explicit FakeModel(std::string first) : first_(std::move(first)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override {
    const std::string& user = request.messages(request.messages_size() - 1).content();
    ChatResponse r;
    if (absl::StrContains(user, "In at most three sentences")) {
      r.set_text("Mask the tail of the last block.");
    } else if (absl::StrContains(user, "were measured on the target")) {
      r.set_text(Module("FAST"));
    } else if (absl::StrContains(user, "Your previous attempt failed")) {
      r.set_text(Module(fix_));
    } else {
      r.set_text(first_);
    }
    r.mutable_usage()->set_prompt_tokens(100);
    r.mutable_usage()->set_completion_tokens(10);
    absl::MutexLock lock(&mu_);
    prompts_.push_back(user);
    return r;
  }
  std::string name() const override { return "openai"; }
  std::vector<std::string> prompts() {
    absl::MutexLock lock(&mu_);
    return prompts_;
  }
  std::string fix_ = "FIXED";

 private:
  std::string first_;
  absl::Mutex mu_;
  std::vector<std::string> prompts_;
};

// WRONG -> WRONG_VALUES; FLAKY -> correct on the spec's inputs (salt 0), WRONG_VALUES
// on others; FAST -> correct, 1 ms; anything else correct, 2 ms (timed) or untimed.
// Timed speedups are 1.5 (FAST) and 0.75 on the spec's inputs, 10% lower on others
// (the winner's curse a fresh evaluation shows).
class FakeEvaluator : public CandidateEvaluator {
 public:
  explicit FakeEvaluator(bool timed) : timed_(timed) {}
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& path, uint64_t salt) override {
    ++evaluations;
    {
      absl::MutexLock lock(&mu_);
      calls_.emplace_back(path, salt);
    }
    auto code = ReadFile(path);
    if (!code.ok()) return code.status();
    EvaluationResult r;
    r.set_task_id(task.spec.id());
    r.set_candidate_path(path);
    r.set_input_salt(salt);
    if (absl::StrContains(*code, "WRONG") || (absl::StrContains(*code, "FLAKY") && salt != 0)) {
      r.set_call_ok(true);
      r.set_failure_kind(WRONG_VALUES);
      r.set_message("case n1000_fp32: max abs error 1.0");
      return r;
    }
    r.set_call_ok(true);
    r.set_execution_ok(true);
    if (timed_) {
      r.set_timing_available(true);
      auto* p = r.add_performance();
      p->mutable_candidate()->set_median_ms(absl::StrContains(*code, "FAST") ? 1.0 : 2.0);
      r.set_speedup((absl::StrContains(*code, "FAST") ? 1.5 : 0.75) * (salt == 0 ? 1.0 : 0.9));
    }
    return r;
  }
  bool timed() const override { return timed_; }
  // (candidate path, input salt) of every evaluation, in order.
  std::vector<std::pair<std::string, uint64_t>> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::atomic<int> evaluations{0};

 private:
  bool timed_;
  absl::Mutex mu_;
  std::vector<std::pair<std::string, uint64_t>> calls_;
};

Configuration Config(const std::string& file) {
  auto c = LoadConfiguration("agent/configs/" + file);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

Task VectorAddition() {
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  EXPECT_TRUE(task.ok()) << task.status();
  return *task;
}

std::string TempDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(tmp ? tmp : "/tmp", "/", name);
  std::filesystem::remove_all(dir);
  return dir;
}

RunRecord RunWith(Configuration config, LlmProvider* model, CandidateEvaluator* evaluator, const std::string& out) {
  auto runner = ConfigurationRunner::Create(std::move(config), "", model, std::nullopt, false, evaluator);
  EXPECT_TRUE(runner.ok()) << runner.status();
  auto record = (*runner)->Run({VectorAddition()}, out, RunRecord(), nullptr, nullptr);
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : RunRecord();
}

TEST(ZeroShot, OneCallOneEvaluationStatsRecorded) {
  FakeModel model(Module("WRONG"));
  FakeEvaluator evaluator(false);
  const std::string out = TempDir("zero");
  RunRecord r = RunWith(Config("zero_shot.textproto"), &model, &evaluator, out);
  EXPECT_EQ(r.configuration(), "zero_shot");
  EXPECT_EQ(r.model().name(), "gpt-4.1-2025-04-14");
  EXPECT_EQ(r.model().sampling(), "temperature=1 max_tokens=8192");
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.results(0).failure_kind(), WRONG_VALUES);
  ASSERT_EQ(r.generations_size(), 1);
  const TaskGeneration& g = r.generations(0);
  EXPECT_EQ(g.iterations(), 1);
  EXPECT_EQ(g.llm_calls(), 1);
  EXPECT_FALSE(g.has_iterations_to_first_correct());
  EXPECT_EQ(g.prompt_tokens(), 100);
  EXPECT_FALSE(g.has_cost_usd()) << "no price table: cost unknown";
  EXPECT_EQ(evaluator.evaluations.load(), 2) << "the search's, then the kept kernel's fresh evaluation";
  EXPECT_FALSE(g.search_execution_ok());
  EXPECT_FALSE(g.has_search_speedup()) << "untimed";
  EXPECT_EQ(g.timed_candidates(), 0);
  EXPECT_NE(r.results(0).input_salt(), 0u);
  EXPECT_TRUE(IsRegularFile(out + "/candidates/vector_addition/iter1_c0.py"));
  EXPECT_TRUE(IsRegularFile(out + "/results.jsonl"));
  EXPECT_TRUE(IsRegularFile(out + "/generations.jsonl"));
}

TEST(ZeroShot, AnswerWithoutCodeIsAFailedCandidate) {
  FakeModel model("Sorry, no code today.");
  FakeEvaluator evaluator(false);
  RunRecord r = RunWith(Config("zero_shot.textproto"), &model, &evaluator, TempDir("nocode"));
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.results(0).failure_kind(), SYNTAX_ERROR);
  EXPECT_TRUE(absl::StrContains(r.results(0).message(), "no ```python block"));
  EXPECT_EQ(evaluator.evaluations.load(), 0) << "no code: nothing to evaluate, now or again";
  EXPECT_EQ(r.results(0).input_salt(), 0u);
}

TEST(OneShot, PromptCarriesTheRetrievedExample) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  const std::string out = TempDir("one");
  RunRecord r = RunWith(Config("one_shot.textproto"), &model, &evaluator, out);
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_TRUE(r.results(0).execution_ok());
  EXPECT_EQ(r.generations(0).iterations_to_first_correct(), 1);
  ASSERT_EQ(model.prompts().size(), 1u);
  EXPECT_TRUE(absl::StrContains(model.prompts()[0], "Here is an example of a Triton kernel for a related problem"));
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "retrieved example: ")) << *log;
}

Configuration SmallAgent(int iterations, int n, int p) {
  Configuration c = Config("geak_agent.textproto");
  c.mutable_agent()->set_iterations(iterations);
  c.mutable_agent()->set_candidates_per_round(n);
  c.mutable_agent()->set_parallel_runs(p);
  return c;
}

TEST(Geak, WrongThenFixedThenFasterOnTimedDevice) {
  FakeModel model(Module("WRONG"));
  FakeEvaluator evaluator(/*timed=*/true);
  const std::string out = TempDir("geak_timed");
  RunRecord r = RunWith(SmallAgent(3, 1, 1), &model, &evaluator, out);
  ASSERT_EQ(r.generations_size(), 1);
  const TaskGeneration& g = r.generations(0);
  EXPECT_EQ(g.iterations(), 3);
  EXPECT_EQ(g.iterations_to_first_correct(), 2);
  // iteration 1: generate (wrong) + reflect; iteration 2: generate (fixed); 3: generate (faster).
  EXPECT_EQ(g.llm_calls(), 4);
  EXPECT_EQ(g.llm_calls_to_first_correct(), 3);
  EXPECT_TRUE(r.results(0).execution_ok());
  EXPECT_DOUBLE_EQ(g.search_speedup(), 1.5) << "the faster kernel is kept";
  EXPECT_DOUBLE_EQ(r.results(0).speedup(), 1.5 * 0.9) << "its fresh evaluation is reported";
  EXPECT_TRUE(g.search_execution_ok());
  EXPECT_EQ(g.timed_candidates(), 2) << "the wrong kernel of iteration 1 was not timed";
  auto prompts = model.prompts();
  ASSERT_EQ(prompts.size(), 4u);
  EXPECT_TRUE(absl::StrContains(prompts[2], "Mask the tail of the last block.")) << "reflection in the debug prompt";
  EXPECT_TRUE(absl::StrContains(prompts[2], "WRONG_VALUES: case n1000_fp32"));
  EXPECT_TRUE(absl::StrContains(prompts[3], "Version 1: 2.0000 ms")) << "optimizer history";
  EXPECT_TRUE(absl::StrContains(prompts[3], "132 streaming") || absl::StrContains(prompts[3], "304 compute units"))
      << "knowledge injected";
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "iteration 3: optimize")) << *log;
}

TEST(Geak, StopsAtFirstCorrectOnCpuWithTheReasonLogged) {
  FakeModel model(Module("WRONG"));
  FakeEvaluator evaluator(/*timed=*/false);
  const std::string out = TempDir("geak_cpu");
  RunRecord r = RunWith(SmallAgent(5, 1, 1), &model, &evaluator, out);
  const TaskGeneration& g = r.generations(0);
  EXPECT_EQ(g.iterations(), 2);
  EXPECT_EQ(g.iterations_to_first_correct(), 2);
  EXPECT_EQ(g.llm_calls(), 3);
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "CPU interpreter measures no latency")) << *log;
}

TEST(Geak, ReflectorOffAblationMakesNoReflectionCalls) {
  FakeModel model(Module("WRONG"));
  FakeEvaluator evaluator(false);
  Configuration c = Config("geak_no_reflector.textproto");
  c.mutable_agent()->set_iterations(2);
  c.mutable_agent()->set_candidates_per_round(1);
  c.mutable_agent()->set_parallel_runs(1);
  RunRecord r = RunWith(c, &model, &evaluator, TempDir("noreflect"));
  EXPECT_EQ(r.generations(0).llm_calls(), 2);
  for (const auto& p : model.prompts()) EXPECT_FALSE(absl::StrContains(p, "Lessons from earlier attempts"));
}

TEST(Geak, DebuggingTrapStartsFreshAfterKAttempts) {
  FakeModel model(Module("WRONG"));
  model.fix_ = "WRONG again";  // every fix fails too
  FakeEvaluator evaluator(false);
  Configuration c = SmallAgent(4, 1, 1);
  c.mutable_agent()->set_max_debug_attempts(2);
  c.mutable_agent()->set_reflector(false);
  const std::string out = TempDir("trap");
  RunRecord r = RunWith(c, &model, &evaluator, out);
  EXPECT_FALSE(r.results(0).execution_ok());
  EXPECT_FALSE(r.generations(0).has_iterations_to_first_correct());
  auto prompts = model.prompts();
  ASSERT_EQ(prompts.size(), 4u);
  // fresh, debug 1, debug 2 -> trap -> fresh
  EXPECT_FALSE(absl::StrContains(prompts[0], "previous attempt failed"));
  EXPECT_TRUE(absl::StrContains(prompts[1], "previous attempt failed"));
  EXPECT_TRUE(absl::StrContains(prompts[2], "previous attempt failed"));
  EXPECT_FALSE(absl::StrContains(prompts[3], "previous attempt failed"));
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  EXPECT_TRUE(absl::StrContains(*log, "debugging trap: 2 debug attempt(s)")) << *log;
}

TEST(Geak, ParallelRunsAndCandidatesAllCountedBestKept) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(true);
  RunRecord r = RunWith(SmallAgent(2, 3, 2), &model, &evaluator, TempDir("parallel"));
  const TaskGeneration& g = r.generations(0);
  // Each run: 3 candidates (correct, 2 ms) in iteration 1, 3 optimized (1 ms) in iteration 2.
  EXPECT_EQ(g.llm_calls(), 12);
  EXPECT_EQ(evaluator.evaluations.load(), 13) << "12 in the search, 1 fresh for the kept kernel";
  EXPECT_EQ(g.iterations_to_first_correct(), 1);
  EXPECT_EQ(g.timed_candidates(), 12);
  EXPECT_DOUBLE_EQ(g.search_speedup(), 1.5);
  EXPECT_DOUBLE_EQ(r.results(0).speedup(), 1.5 * 0.9);
}

TEST(Runner, TasksRunConcurrentlyAndAllAreRecorded) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  Configuration c = Config("zero_shot.textproto");
  c.set_task_concurrency(2);
  auto runner = ConfigurationRunner::Create(c, "", &model, std::nullopt, false, &evaluator);
  ASSERT_TRUE(runner.ok()) << runner.status();
  auto flip = LoadTask("suites/rocm/test_triton_flip");
  ASSERT_TRUE(flip.ok()) << flip.status();
  std::ostringstream progress;
  auto r = (*runner)->Run({VectorAddition(), *flip}, TempDir("concurrent"), RunRecord(), nullptr, &progress);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tasks_total(), 2);
  EXPECT_EQ(r->execution_ok(), 2);
  EXPECT_EQ(r->generations_size(), 2);
  EXPECT_FALSE(r->interrupted());
  EXPECT_TRUE(absl::StrContains(progress.str(), "[2/2]")) << progress.str();
}

TEST(Runner, CancelledBeforeStartRecordsAnInterruptedRun) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  auto runner = ConfigurationRunner::Create(Config("zero_shot.textproto"), "", &model, std::nullopt, false, &evaluator);
  ASSERT_TRUE(runner.ok());
  std::atomic<bool> cancel{true};
  auto r = (*runner)->Run({VectorAddition()}, TempDir("cancelled"), RunRecord(), &cancel, nullptr);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->interrupted());
  EXPECT_EQ(r->tasks_total(), 0);
  EXPECT_EQ(evaluator.evaluations.load(), 0);
}

TEST(Runner, KeptKernelIsEvaluatedAgainOnNewInputsAndThatIsReported) {
  FakeModel model(Module("FAST"));
  FakeEvaluator evaluator(/*timed=*/true);
  const std::string out = TempDir("fresh");
  RunRecord r = RunWith(Config("zero_shot.textproto"), &model, &evaluator, out);
  auto calls = evaluator.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].first, calls[1].first) << "the kept candidate, evaluated twice";
  EXPECT_EQ(calls[0].second, 0u) << "the search uses the spec's inputs";
  EXPECT_NE(calls[1].second, 0u) << "the fresh evaluation draws new ones";
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.results(0).input_salt(), calls[1].second);
  EXPECT_DOUBLE_EQ(r.results(0).speedup(), 1.5 * 0.9);
  const TaskGeneration& g = r.generations(0);
  EXPECT_DOUBLE_EQ(g.search_speedup(), 1.5);
  EXPECT_TRUE(g.search_execution_ok());
  EXPECT_EQ(g.timed_candidates(), 1);
  auto lines = ReadFile(out + "/results.jsonl");
  ASSERT_TRUE(lines.ok());
  EXPECT_TRUE(absl::StrContains(*lines, absl::StrCat("\"input_salt\":\"", calls[1].second, "\""))) << *lines;
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "fresh evaluation of the kept candidate iter1_c0.py (new process, new inputs): "
                                      "correct, speedup 1.35 (search: correct, speedup 1.5)"))
      << *log;
}

TEST(Runner, FreshVerdictIsReportedWhenItDisagreesWithTheSearch) {
  FakeModel model(Module("FLAKY"));
  FakeEvaluator evaluator(/*timed=*/false);
  const std::string out = TempDir("flaky");
  RunRecord r = RunWith(SmallAgent(3, 1, 1), &model, &evaluator, out);
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_FALSE(r.results(0).execution_ok()) << "wrong on new inputs: the fresh verdict is reported";
  EXPECT_EQ(r.results(0).failure_kind(), WRONG_VALUES);
  EXPECT_EQ(r.execution_ok(), 0);
  EXPECT_TRUE(r.generations(0).search_execution_ok());
  auto log = ReadFile(out + "/candidates/vector_addition/agent_log.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "disagrees with the search: correct during the search, WRONG_VALUES now; "
                                      "the fresh result is reported"))
      << *log;
}

TEST(RunFolder, ResumeSkipsFinishedTasks) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  const std::string out = TempDir("resume");
  RunWith(Config("zero_shot.textproto"), &model, &evaluator, out);
  // A torn line at the end (a run killed mid-write) is dropped on resume.
  {
    std::ofstream f(out + "/results.jsonl", std::ios::app);
    f << "{\"task_id\": \"tor";
  }
  RunRecord again = RunWith(Config("zero_shot.textproto"), &model, &evaluator, out);
  EXPECT_EQ(evaluator.evaluations.load(), 2) << "the finished task was not repeated";
  EXPECT_EQ(again.results_size(), 1);
  EXPECT_EQ(again.generations_size(), 1);
  auto lines = ReadFile(out + "/results.jsonl");
  ASSERT_TRUE(lines.ok());
  EXPECT_FALSE(absl::StrContains(*lines, "\"tor"));
  // Another configuration into the same folder is refused.
  auto runner = ConfigurationRunner::Create(Config("one_shot.textproto"), "", &model, std::nullopt, false, &evaluator);
  ASSERT_TRUE(runner.ok());
  auto refused = (*runner)->Run({VectorAddition()}, out, RunRecord(), nullptr, nullptr);
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
}

void CopyFolder(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

void AppendTo(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::app);
  f << text;
}

absl::Status ResumeWith(Configuration config, LlmProvider* model, CandidateEvaluator* evaluator,
                        const std::string& out, RunRecord header = RunRecord()) {
  auto runner = ConfigurationRunner::Create(std::move(config), "", model, std::nullopt, false, evaluator);
  if (!runner.ok()) return runner.status();
  return (*runner)->Run({VectorAddition()}, out, std::move(header), nullptr, nullptr).status();
}

std::string Snapshot(const std::string& out) {
  std::string all;
  for (const char* f : {"/run_record.json", "/results.jsonl", "/generations.jsonl"}) {
    auto text = ReadFile(out + f);
    absl::StrAppend(&all, text.ok() ? *text : "(missing)", "\n");
  }
  return all;
}

TEST(RunFolder, ResumeRefusedWhenWhatMadeTheRunChanged) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  const std::string files = TempDir("provenance_files");
  CopyFolder("agent/prompts", files + "/prompts");
  CopyFolder("agent/knowledge", files + "/knowledge");
  Configuration c = Config("zero_shot.textproto");  // hardware MI300
  c.set_prompts_dir(files + "/prompts");
  c.set_knowledge(true);
  c.set_knowledge_dir(files + "/knowledge");
  const std::string out = TempDir("provenance_run");
  RunRecord r = RunWith(c, &model, &evaluator, out);
  const Provenance& p = r.provenance();
  EXPECT_EQ(p.configuration_sha256().size(), 64u);
  EXPECT_EQ(p.prompts_sha256().size(), 64u);
  EXPECT_EQ(p.knowledge_sha256().size(), 64u);
  EXPECT_EQ(p.corpus_sha256(), "") << "zero-shot uses no corpus";
  EXPECT_EQ(evaluator.evaluations.load(), 2);

  // Unchanged, and a change to a file the run does not use: resumed.
  AppendTo(files + "/knowledge/H100.md", "\nNot injected for MI300.\n");
  ASSERT_TRUE(ResumeWith(c, &model, &evaluator, out).ok());
  EXPECT_EQ(evaluator.evaluations.load(), 2) << "the finished task was kept";
  const std::string before = Snapshot(out);

  auto refused = [&](const Configuration& config, const std::string& field, RunRecord header = RunRecord()) {
    absl::Status s = ResumeWith(config, &model, &evaluator, out, std::move(header));
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << field << ": " << s;
    EXPECT_TRUE(absl::StrContains(s.message(), field + " differs")) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "use a new --out")) << s;
    EXPECT_EQ(Snapshot(out), before) << field << ": nothing written";
    return std::string(s.message());
  };
  const std::string task_txt = files + "/prompts/task.txt";
  const std::string task_text = *ReadFile(task_txt);
  AppendTo(task_txt, "\nBe brief.\n");
  EXPECT_TRUE(absl::StrContains(refused(c, "prompts_sha256"), files + "/prompts"));
  ASSERT_TRUE(WriteFile(task_txt, task_text).ok());

  const std::string notes = files + "/knowledge/MI300.md";
  const std::string notes_text = *ReadFile(notes);
  AppendTo(notes, "\nA new note.\n");
  EXPECT_TRUE(absl::StrContains(refused(c, "knowledge_sha256"), files + "/knowledge"));
  ASSERT_TRUE(WriteFile(notes, notes_text).ok());

  Configuration hotter = c;
  hotter.mutable_model()->set_temperature(0.7);
  EXPECT_TRUE(absl::StrContains(refused(hotter, "configuration_sha256"), "configuration 'zero_shot'"));

  RunRecord other_harness;
  other_harness.set_harness_content_hash("0123");
  refused(c, "harness_content_hash", other_harness);
  RunRecord released;
  released.set_release("1.0");
  refused(c, "release", released);

  // Restored: resumed again.
  ASSERT_TRUE(ResumeWith(c, &model, &evaluator, out).ok());
  EXPECT_EQ(evaluator.evaluations.load(), 2);

  // A record from before provenance was recorded cannot be checked: refused.
  RunRecord old;
  ASSERT_TRUE(FromJson(*ReadFile(out + "/run_record.json"), &old).ok());
  old.clear_provenance();
  ASSERT_TRUE(WriteFile(out + "/run_record.json", ToJson(old, true)).ok());
  absl::Status s = ResumeWith(c, &model, &evaluator, out);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "records no provenance")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "cannot be resumed safely")) << s;
}

TEST(RunFolder, ResumeRefusedWhenTheOneShotCorpusChanged) {
  FakeModel model(Module("FIXED"));
  FakeEvaluator evaluator(false);
  const std::string corpus = TempDir("provenance_corpus");
  CopyFolder("agent/corpus", corpus);
  Configuration c = Config("one_shot.textproto");
  c.mutable_one_shot()->set_corpus_dir(corpus);
  const std::string out = TempDir("provenance_one_shot");
  RunRecord r = RunWith(c, &model, &evaluator, out);
  EXPECT_EQ(r.provenance().corpus_sha256().size(), 64u);
  ASSERT_TRUE(ResumeWith(c, &model, &evaluator, out).ok());
  AppendTo(corpus + "/softplus.py", "\n# edited\n");
  absl::Status s = ResumeWith(c, &model, &evaluator, out);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "corpus_sha256 differs: the retrieval corpus in " + corpus)) << s;
}

TEST(Provenance, ListingHashIsSha256sumsListingAndConfigurationHashIgnoresLayout) {
  // sha256sum of "a" is ca978112...; of "b" 3e23e816...; the listing's own hash:
  // printf '%s  a\n%s  b\n' ... | sha256sum.
  const std::string listing =
      "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a.txt\n"
      "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.txt\n";
  EXPECT_EQ(ListingSha256({{"b.txt", "b"}, {"a.txt", "a"}}), Sha256Hex(listing));
  EXPECT_NE(ListingSha256({{"a.txt", "a"}, {"b.txt", "b"}}), ListingSha256({{"a.txt", "b"}, {"b.txt", "a"}}));
  Configuration a = Config("zero_shot.textproto");
  auto same = ValidateConfiguration(a, "copy");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(ConfigurationSha256(a), ConfigurationSha256(*same));
  Configuration b = a;
  b.mutable_model()->set_base_url("http://127.0.0.1:8000");
  EXPECT_NE(ConfigurationSha256(a), ConfigurationSha256(b)) << "a --base_url override counts";
}

// Answers identical requests with "B", then "A".
class TwoAnswers : public LlmProvider {
 public:
  absl::StatusOr<ChatResponse> Chat(const ChatRequest&) override {
    absl::MutexLock lock(&mu_);
    ChatResponse r;
    r.set_text(Module(n_++ == 0 ? "B" : "A"));
    return r;
  }
  std::string name() const override { return "openai"; }

 private:
  absl::Mutex mu_;
  int n_ = 0;
};

TEST(Components, GeneratorFilesDoNotDependOnCompletionOrder) {
  TwoAnswers model;
  LlmCaller llm(&model, ModelConfig(), std::nullopt, false, 4);
  const std::string dir = TempDir("gen");
  auto out = Generate(llm, {}, 2, 1.0, dir, "iter1");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(absl::StrContains(*ReadFile(dir + "/iter1_c0.py"), "# A"));
  EXPECT_TRUE(absl::StrContains(*ReadFile(dir + "/iter1_c1.py"), "# B"));
  EXPECT_TRUE(IsRegularFile(dir + "/iter1_c0.py.answer.txt"));
}

TEST(Components, MemoryPrefersTheSameFailureKind) {
  ReflectionMemory m;
  m.Add(WRONG_VALUES, "a");
  m.Add(COMPILE_ERROR, "b");
  m.Add(WRONG_VALUES, "c");
  EXPECT_EQ(absl::StrJoin(m.Relevant(WRONG_VALUES, 3), ","), "c,a,b");
  EXPECT_EQ(absl::StrJoin(m.Relevant(COMPILE_ERROR, 2), ","), "b,c");
}

TEST(Components, LatencyHistoryShowsFastestLast) {
  LatencyHistory h;
  h.Add("a", 3);
  h.Add("b", 1);
  h.Add("c", 2);
  auto p = h.ForPrompt(2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].first, "c");
  EXPECT_EQ(p[1].first, "b");
  EXPECT_EQ(OptimizerSkipReason(true, true), "");
  EXPECT_NE(OptimizerSkipReason(true, false), "");
}

TEST(Components, DebugTrapWithoutLimitNeverSprings) {
  DebugTrap trap(0);
  EvaluationResult r;
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(trap.RoundFailed("x", r));
  EXPECT_EQ(trap.attempts(), 9);
}

}  // namespace
}  // namespace tritonbench
