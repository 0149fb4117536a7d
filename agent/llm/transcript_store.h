// A folder of recorded calls: one file per call, <request hash>.<occurrence>.json,
// holding a TranscriptEntry (request, response with usage and latency, timing) as proto3
// JSON. Occurrence n is the (n+1)-th time the same request was made while recording,
// so repeated requests (sampling at temperature > 0) replay in their recorded order.
#ifndef TRITONBENCH_AGENT_LLM_TRANSCRIPT_STORE_H_
#define TRITONBENCH_AGENT_LLM_TRANSCRIPT_STORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

// The file that holds (hash, occurrence) under `dir`.
std::string TranscriptPath(const std::string& dir, const std::string& request_hash, int occurrence);

// Writes `entry` to its file, creating `dir` if needed. AlreadyExists naming the file
// if it is there already: a transcript is never overwritten.
absl::Status WriteTranscriptEntry(const std::string& dir, const TranscriptEntry& entry);

// Reads one entry: NotFound when the file does not exist, DataLoss naming the file when
// it is not a valid entry or its hash does not match its name.
absl::StatusOr<TranscriptEntry> ReadTranscriptEntry(const std::string& dir, const std::string& request_hash,
                                                    int occurrence);

// How many entries `dir` holds (0 for a missing folder).
int CountTranscriptEntries(const std::string& dir);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_TRANSCRIPT_STORE_H_
