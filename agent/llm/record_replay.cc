#include "agent/llm/record_replay.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agent/llm/canonical_request.h"
#include "agent/llm/transcript_store.h"

namespace tritonbench {

absl::StatusOr<ChatResponse> RecordingProvider::Chat(const ChatRequest& request) {
  auto response = inner_->Chat(request);
  if (!response.ok()) return response;
  TranscriptEntry entry;
  entry.set_request_hash(RequestHash(name(), request));
  entry.set_provider(name());
  *entry.mutable_request() = request;
  *entry.mutable_response() = *response;
  entry.set_recorded_at(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone()));
  {
    absl::MutexLock lock(&mu_);
    entry.set_occurrence(occurrences_[entry.request_hash()]++);
  }
  if (auto s = WriteTranscriptEntry(dir_, entry); !s.ok()) return s;
  return response;
}

absl::StatusOr<ChatResponse> ReplayProvider::Chat(const ChatRequest& request) {
  const std::string hash = RequestHash(provider_, request);
  int occurrence;
  {
    absl::MutexLock lock(&mu_);
    occurrence = occurrences_[hash]++;
  }
  auto entry = ReadTranscriptEntry(dir_, hash, occurrence);
  if (absl::IsNotFound(entry.status())) {
    std::string seen = occurrence == 0
                           ? "never recorded"
                           : absl::StrCat("recorded ", occurrence, " time(s), now asked a ", occurrence + 1, ". time");
    return absl::NotFoundError(absl::StrCat("replay: no recorded answer for request ", hash, " (",
                                            RequestSummary(provider_, request), "): ", seen, " in ", dir_));
  }
  if (!entry.ok()) return entry.status();
  if (CanonicalRequest(provider_, entry->request()) != CanonicalRequest(provider_, request)) {
    return absl::DataLossError(absl::StrCat("replay: ", TranscriptPath(dir_, hash, occurrence),
                                            " holds a different request than its hash says"));
  }
  return entry->response();
}

}  // namespace tritonbench
