#include "common/verdict_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tritonbench {

std::string FailureName(const EvaluationResult& result) {
  std::string name = FailureKind_Name(result.failure_kind());
  if (!result.check().empty()) absl::StrAppend(&name, "(", result.check(), ")");
  return name;
}

std::string VerdictWord(const EvaluationResult& result) {
  if (result.failure_kind() == UNSUPPORTED) return "SKIP";
  return result.execution_ok() ? "PASS" : "FAIL";
}

std::string ProgressLine(int index, int total, const EvaluationResult& result) {
  std::string line = absl::StrFormat("[%d/%d] %-28s %s", index, total, result.task_id(), VerdictWord(result));
  if (result.failure_kind() != NONE) {
    absl::StrAppend(&line, "  ", FailureName(result));
  }
  if (result.timing_available() && result.performance_size() > 0) {
    const auto& p = result.performance(0);
    absl::StrAppendFormat(&line, "  speedup %.2fx  (%s: gt %.4f ms, candidate %.4f ms)", result.speedup(),
                          p.case_name(), p.ground_truth().median_ms(), p.candidate().median_ms());
  }
  if (result.has_upstream()) {
    absl::StrAppend(&line, "  (GEAK-eval's rules: ", result.upstream().execution_ok() ? "PASS" : "FAIL", ")");
  }
  absl::StrAppendFormat(&line, "  %.1f s", result.wall_seconds());
  return line;
}

std::string FullVerdict(const EvaluationResult& r) {
  std::string out = absl::StrCat("task:       ", r.task_id(), "\ncandidate:  ", r.candidate_path(),
                                 "\nverdict:    ", VerdictWord(r), "\n");
  absl::StrAppend(&out, "call ok:    ", r.call_ok() ? "yes" : "no", "\nexec ok:    ",
                  r.execution_ok() ? "yes" : "no", "\n");
  if (r.failure_kind() != NONE) {
    absl::StrAppend(&out, "failure:    ", FailureName(r), "\n");
  }
  if (!r.message().empty()) absl::StrAppend(&out, "message:    ", r.message(), "\n");
  if (r.has_upstream()) {
    // A task imported from GEAK-eval: its own verdict of the same run, beside the strict one above.
    const UpstreamVerdict& u = r.upstream();
    absl::StrAppend(&out, "GEAK-eval:  ", u.execution_ok() ? "PASS" : "FAIL", " (call ok ", u.call_ok() ? "yes" : "no",
                    ", exec ok ", u.execution_ok() ? "yes" : "no", "; ", u.rules(), ")\n");
    if (!u.message().empty()) absl::StrAppend(&out, "            ", u.message(), "\n");
    if (u.has_geak_speedup()) {
      absl::StrAppendFormat(&out, "            GEAK's speedup %.3fx (sum of golden medians / sum of the candidate's)\n",
                            u.geak_speedup());
    }
  }
  if (!r.device().empty()) absl::StrAppend(&out, "device:     ", r.device(), "\n");
  for (const auto& c : r.cases()) {
    absl::StrAppendFormat(&out, "  case %-24s seed %-10d %s  max abs err %.3g  max rel err %.3g", c.case_name(),
                          c.seed(), c.passed() ? "ok  " : "FAIL", c.max_abs_error(), c.max_rel_error());
    if (!c.passed() && c.failure_kind() != NONE) {
      absl::StrAppend(&out, "  ", FailureKind_Name(c.failure_kind()), c.check().empty() ? "" : "(",
                      c.check(), c.check().empty() ? "" : ")");
    }
    absl::StrAppend(&out, "\n");
  }
  if (r.timing_available()) {
    for (const auto& p : r.performance()) {
      absl::StrAppendFormat(&out,
                            "  perf %-24s gt %.4f ms  candidate %.4f ms (p20-p80 %.4f-%.4f)  speedup %.3fx  "
                            "%.1f GB/s  %.2f TFLOP/s\n",
                            p.case_name(), p.ground_truth().median_ms(), p.candidate().median_ms(),
                            p.candidate().p20_ms(), p.candidate().p80_ms(), p.speedup(), p.candidate_gbps(),
                            p.candidate_tflops());
      if (p.speedup_ci_high() > 0) {
        absl::StrAppendFormat(&out, "       %-24s speedup 95%% interval %.3f-%.3fx over %d paired rounds\n", "",
                              p.speedup_ci_low(), p.speedup_ci_high(), p.timing_rounds());
      }
      if (p.has_candidate_time_share()) {
        const KernelTimeShare& share = p.candidate_time_share();
        absl::StrAppendFormat(&out, "       %-24s GPU time: Triton %.4f ms, PyTorch compute %.4f ms, copies %.4f ms\n",
                              "", share.triton_ms(), share.torch_compute_ms(), share.data_movement_ms());
      }
      if (p.reference().repetitions() > 0) {
        absl::StrAppendFormat(&out, "       %-24s reference() %.4f ms  %.1f GB/s\n", "", p.reference().median_ms(),
                              p.reference_gbps());
      }
      for (const BaselineTiming& b : p.baselines()) {
        if (b.failure_kind() != NONE) {
          absl::StrAppendFormat(&out, "       %-24s %s not timed: %s\n", "", b.name(), b.message());
          continue;
        }
        absl::StrAppendFormat(&out, "       %-24s %s %.4f ms  %.1f GB/s  (first call %.0f ms%s)\n", "", b.name(),
                              b.latency().median_ms(), b.gbps(), b.compile_ms(),
                              b.outputs_ok() ? "" : absl::StrCat("; outputs wrong: ", b.message()));
      }
    }
    absl::StrAppendFormat(&out, "speedup:    %.3fx (geometric mean over performance cases", r.speedup());
    if (r.speedup_ci_high() > 0) {
      absl::StrAppendFormat(&out, "; 95%% interval %.3f-%.3fx", r.speedup_ci_low(), r.speedup_ci_high());
    }
    absl::StrAppend(&out, ")\n");
    if (r.has_triton_share()) {
      absl::StrAppendFormat(&out, "triton:     %.0f%% of the candidate's compute GPU time in Triton kernels\n",
                            100 * r.triton_share());
    } else if (!r.triton_share_unavailable_reason().empty()) {
      absl::StrAppend(&out, "triton:     share not measured: ", r.triton_share_unavailable_reason(), "\n");
    }
  } else if (!r.timing_unavailable_reason().empty()) {
    absl::StrAppend(&out, "timing:     unavailable: ", r.timing_unavailable_reason(), "\n");
  }
  if (!r.stdout_tail().empty()) absl::StrAppend(&out, "--- candidate stdout ---\n", r.stdout_tail(), "\n");
  if (!r.stderr_tail().empty() && r.failure_kind() != NONE) {
    absl::StrAppend(&out, "--- worker stderr ---\n", r.stderr_tail(), "\n");
  }
  absl::StrAppendFormat(&out, "wall time:  %.1f s\n", r.wall_seconds());
  return out;
}

}  // namespace tritonbench
