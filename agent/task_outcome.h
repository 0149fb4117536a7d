// What a configuration produced for one task: every candidate it evaluated, the one
// kept, the per-task generation stats for the run record, and a readable log of the
// steps taken.
#ifndef TRITONBENCH_AGENT_TASK_OUTCOME_H_
#define TRITONBENCH_AGENT_TASK_OUTCOME_H_

#include <optional>
#include <string>
#include <vector>

#include "agent/proto/llm.pb.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

struct Attempt {
  int run = 0;        // 0-based parallel run
  int iteration = 0;  // 1-based round
  std::string candidate_path;
  std::string code;  // empty when no code could be extracted
  EvaluationResult result;
};

struct TaskOutcome {
  // The result kept: the fastest correct candidate, else the first correct one, else
  // the last candidate that ran (call_ok preferred). The configuration runner replaces
  // it with the kept candidate's fresh evaluation before it is reported.
  EvaluationResult best;
  std::string best_code;
  TaskGeneration generation;
  std::vector<Attempt> attempts;
  std::vector<CallRecord> calls;
  // One line per step ("run 0 iteration 1: generated 1 candidate(s) ...").
  std::vector<std::string> log;
};

// Sets llm_calls, the token counts and the cost of `generation` from every call made
// for the task (cost only when every answered call's price is known).
void SetCallStats(const std::vector<CallRecord>& calls, TaskGeneration* generation);

// A result for a candidate that could not be written or extracted: SYNTAX_ERROR with
// `message`, for the task and path given.
EvaluationResult NoCodeResult(const std::string& task_id, const std::string& path, const std::string& message);

// Total of the candidate's median latencies over the performance cases; nullopt when
// the result carries no timing.
std::optional<double> LatencyMs(const EvaluationResult& result);

// Whether `a` is a better result to keep than `b` (correct beats incorrect, faster
// beats slower, call_ok beats not).
bool Better(const EvaluationResult& a, const EvaluationResult& b);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_TASK_OUTCOME_H_
