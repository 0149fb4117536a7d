// The GEAK agent (strategies.h): P independent runs of generate -> evaluate ->
// reflect -> debug or optimize, each step its own component.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "agent/debug_trap.h"
#include "agent/generator.h"
#include "agent/optimizer.h"
#include "agent/reflector.h"
#include "agent/strategies.h"
#include "common/files.h"
#include "common/parallel.h"

namespace tritonbench {
namespace {

struct RunTrace {
  absl::Status error;
  std::vector<Attempt> attempts;
  std::vector<CallRecord> calls;
  std::vector<std::string> log;
  int iterations = 0;
  std::optional<int> first_correct_iteration;
  int calls_to_first_correct = 0;
};

RunTrace RunOnce(const AgentServices& s, const Task& task, const std::string& dir, int run) {
  const AgentConfig& a = s.config->agent();
  const int n = a.candidates_per_round();
  RunTrace trace;
  ReflectionMemory memory;
  DebugTrap trap(a.max_debug_attempts());
  LatencyHistory history;
  const std::string skip_optimizer = OptimizerSkipReason(a.optimizer(), s.evaluator->timed());
  auto log = [&](int it, const std::string& line) {
    trace.log.push_back(absl::StrCat("run ", run, " iteration ", it, ": ", line));
  };

  for (int it = 1; it <= a.iterations(); ++it) {
    trace.iterations = it;
    PromptContext context;
    context.knowledge = s.knowledge;
    const FailureKind focus = trap.active() ? trap.result().failure_kind() : NONE;
    if (a.reflector()) context.reflections = memory.Relevant(focus, a.max_reflections_in_prompt());
    std::string mode = "fresh";
    if (!history.empty()) {
      context.history = history.ForPrompt(3);
      mode = absl::StrCat("optimize (best so far ", history.best_ms(), " ms)");
    } else if (trap.active()) {
      context.debug_code = trap.code();
      context.debug_failure = trap.result().failure_kind();
      context.debug_error = trap.result().message();
      mode = absl::StrCat("debug (attempt ", trap.attempts() + 1, " on this line)");
    }
    auto messages = s.prompts->Generation(task, context);
    if (!messages.ok()) {
      trace.error = messages.status();
      return trace;
    }
    auto generated = Generate(*s.llm, *messages, n, s.config->model().temperature(), dir,
                              absl::StrCat("run", run, "_iter", it));
    if (!generated.ok()) {
      trace.error = generated.status();
      return trace;
    }
    // Evaluator: the candidates of a round at once (the evaluator's gate serializes timing).
    std::vector<Attempt> round(n);
    std::vector<absl::Status> errors(n);
    ParallelFor(n, n, [&](int i) {
      const GeneratedCandidate& c = (*generated)[i];
      Attempt& at = round[i];
      at.run = run;
      at.iteration = it;
      at.candidate_path = c.path;
      at.code = c.code;
      if (!c.error.ok()) {
        at.result = NoCodeResult(task.spec.id(), c.path, std::string(c.error.message()));
        return;
      }
      auto result = s.evaluator->Evaluate(task, c.path, /*input_salt=*/0);
      if (result.ok()) {
        at.result = *result;
      } else {
        errors[i] = result.status();
      }
    });
    for (const auto& e : errors) {
      if (!e.ok()) {
        trace.error = e;
        return trace;
      }
    }
    for (const auto& c : *generated) trace.calls.push_back(c.call.record);

    int correct = 0;
    const Attempt* best_failure = nullptr;
    std::vector<const Attempt*> failures;
    for (const Attempt& at : round) {
      if (at.result.execution_ok()) {
        ++correct;
        if (auto ms = LatencyMs(at.result); ms && skip_optimizer.empty()) history.Add(at.code, *ms);
      } else if (!at.code.empty()) {
        failures.push_back(&at);
        if (best_failure == nullptr || (at.result.call_ok() && !best_failure->result.call_ok())) best_failure = &at;
      }
    }
    if (correct > 0 && !trace.first_correct_iteration) {
      trace.first_correct_iteration = it;
      trace.calls_to_first_correct = static_cast<int>(trace.calls.size());
    }
    std::string line = absl::StrCat(mode, ": generated ", n, ", correct ", correct);
    for (const Attempt& at : round) {
      absl::StrAppend(&line, " [", at.result.execution_ok() ? "ok" : FailureKind_Name(at.result.failure_kind()));
      if (auto ms = LatencyMs(at.result)) absl::StrAppend(&line, " ", *ms, " ms");
      absl::StrAppend(&line, "]");
    }
    log(it, line);

    // Reflector: a lesson for every failing candidate that had code.
    if (a.reflector() && !failures.empty()) {
      std::vector<std::string> lessons(failures.size());
      std::vector<LlmCall> calls(failures.size());
      ParallelFor(static_cast<int>(failures.size()), static_cast<int>(failures.size()), [&](int i) {
        calls[i] = Reflect(*s.llm, *s.prompts, task, failures[i]->code, failures[i]->result, &lessons[i]);
      });
      for (size_t i = 0; i < failures.size(); ++i) {
        if (calls[i].record.request_hash().empty() && !calls[i].status.ok()) {
          trace.error = calls[i].status;  // the reflection prompt could not be built
          return trace;
        }
        trace.calls.push_back(calls[i].record);
        if (!lessons[i].empty()) memory.Add(failures[i]->result.failure_kind(), lessons[i]);
      }
      log(it, absl::StrCat("reflected on ", failures.size(), " failure(s); memory holds ", memory.size()));
    }

    // Debugging trap.
    if (correct > 0) {
      trap.Reset();
    } else if (best_failure != nullptr) {
      if (trap.RoundFailed(best_failure->code, best_failure->result)) {
        log(it, absl::StrCat("debugging trap: ", a.max_debug_attempts(),
                             " debug attempt(s) spent on one line; starting fresh"));
      }
    }
    for (auto& at : round) trace.attempts.push_back(std::move(at));

    if (trace.first_correct_iteration) {
      if (a.stop_at_first_correct()) {
        log(it, "stop: correct kernel found (stop_at_first_correct)");
        break;
      }
      if (!skip_optimizer.empty()) {
        log(it, absl::StrCat("stop: correct kernel found; ", skip_optimizer));
        break;
      }
    }
  }
  if (!trace.first_correct_iteration || !skip_optimizer.empty() || a.stop_at_first_correct()) return trace;
  log(trace.iterations, absl::StrCat("budget spent; best latency ", history.best_ms(), " ms"));
  return trace;
}

}  // namespace

absl::StatusOr<TaskOutcome> RunGeak(const AgentServices& s, const Task& task, const std::string& dir) {
  const int p = s.config->agent().parallel_runs();
  std::vector<RunTrace> traces(p);
  ParallelFor(p, p, [&](int run) { traces[run] = RunOnce(s, task, dir, run); });
  TaskOutcome outcome;
  TaskGeneration& g = outcome.generation;
  g.set_task_id(task.spec.id());
  const Attempt* best = nullptr;
  const RunTrace* first = nullptr;
  for (const RunTrace& t : traces) {
    if (!t.error.ok()) return t.error;
    g.set_iterations(std::max(g.iterations(), t.iterations));
    outcome.calls.insert(outcome.calls.end(), t.calls.begin(), t.calls.end());
    outcome.log.insert(outcome.log.end(), t.log.begin(), t.log.end());
    if (t.first_correct_iteration &&
        (first == nullptr || *t.first_correct_iteration < *first->first_correct_iteration)) {
      first = &t;
    }
  }
  for (const RunTrace& t : traces) {
    for (const Attempt& at : t.attempts) {
      if (best == nullptr || Better(at.result, best->result)) best = &at;
    }
  }
  SetCallStats(outcome.calls, &g);
  if (first != nullptr) {
    g.set_iterations_to_first_correct(*first->first_correct_iteration);
    g.set_llm_calls_to_first_correct(first->calls_to_first_correct);
  }
  if (best != nullptr) {
    outcome.best = best->result;
    outcome.best_code = best->code;
    outcome.log.push_back(absl::StrCat("kept: run ", best->run, " iteration ", best->iteration, " ",
                                       BaseName(best->candidate_path), best->result.execution_ok() ? " (correct)" : " (failed)"));
  }
  for (RunTrace& t : traces) {
    for (Attempt& at : t.attempts) outcome.attempts.push_back(std::move(at));
  }
  return outcome;
}

}  // namespace tritonbench
