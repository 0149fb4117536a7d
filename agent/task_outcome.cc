#include "agent/task_outcome.h"

namespace tritonbench {

void SetCallStats(const std::vector<CallRecord>& calls, TaskGeneration* g) {
  double cost = 0;
  bool cost_known = true;
  int64_t prompt = 0, completion = 0;
  for (const auto& c : calls) {
    prompt += c.prompt_tokens();
    completion += c.completion_tokens();
    if (!c.error().empty()) continue;  // a failed call used no tokens
    if (c.cost_known()) {
      cost += c.cost_usd();
    } else {
      cost_known = false;
    }
  }
  g->set_llm_calls(static_cast<int>(calls.size()));
  g->set_prompt_tokens(prompt);
  g->set_completion_tokens(completion);
  if (cost_known && !calls.empty()) {
    g->set_cost_usd(cost);
  } else {
    g->clear_cost_usd();
  }
}

EvaluationResult NoCodeResult(const std::string& task_id, const std::string& path, const std::string& message) {
  EvaluationResult r;
  r.set_task_id(task_id);
  r.set_candidate_path(path);
  r.set_failure_kind(SYNTAX_ERROR);
  r.set_message(message);
  r.set_last_stage("extract");
  return r;
}

std::optional<double> LatencyMs(const EvaluationResult& result) {
  if (!result.timing_available() || result.performance_size() == 0) return std::nullopt;
  double total = 0;
  for (const auto& p : result.performance()) total += p.candidate().median_ms();
  return total;
}

bool Better(const EvaluationResult& a, const EvaluationResult& b) {
  if (a.execution_ok() != b.execution_ok()) return a.execution_ok();
  if (a.execution_ok()) {
    auto la = LatencyMs(a), lb = LatencyMs(b);
    if (la && lb) return *la < *lb;
    return la.has_value() && !lb.has_value();
  }
  return a.call_ok() && !b.call_ok();
}

}  // namespace tritonbench
