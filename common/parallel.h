// A bounded pool of threads for one batch of independent jobs (LLM calls, runs).
#ifndef TRITONBENCH_COMMON_PARALLEL_H_
#define TRITONBENCH_COMMON_PARALLEL_H_

#include <functional>

namespace tritonbench {

// Calls fn(0) ... fn(n - 1), at most `max_threads` at a time, and returns when all
// have returned. Runs inline when n <= 1 or max_threads <= 1.
void ParallelFor(int n, int max_threads, const std::function<void(int)>& fn);

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_PARALLEL_H_
