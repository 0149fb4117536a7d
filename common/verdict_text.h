// Human-readable text for evaluation results: the one-line progress entry of a suite
// run and the full verdict for a single candidate.
#ifndef TRITONBENCH_COMMON_VERDICT_TEXT_H_
#define TRITONBENCH_COMMON_VERDICT_TEXT_H_

#include <string>

#include "harness/proto/evaluation.pb.h"

namespace tritonbench {

// The failure kind's name, with the check's name for REJECTED_BY_CHECK:
// "WRONG_VALUES", "REJECTED_BY_CHECK(no_triton_kernel)".
std::string FailureName(const EvaluationResult& result);

// "PASS", "SKIP" or "FAIL".
std::string VerdictWord(const EvaluationResult& result);

// e.g. "[3/8] layer_norm_fwd  PASS  speedup 1.02x  (gt 0.213 ms, candidate 0.209 ms)  4.1 s";
// a task imported from GEAK-eval adds "(GEAK-eval's rules: PASS|FAIL)".
std::string ProgressLine(int index, int total, const EvaluationResult& result);

// Several lines: verdict, failure kind and message (for a task imported from GEAK-eval,
// then its verdict under GEAK-eval's rules), each case, each timing, output tails.
std::string FullVerdict(const EvaluationResult& result);

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_VERDICT_TEXT_H_
