// Turns a provider's non-2xx HTTP answer into a Status, carries Retry-After through it,
// and scrubs secrets out of text.
#ifndef TRITONBENCH_AGENT_LLM_HTTP_ERRORS_H_
#define TRITONBENCH_AGENT_LLM_HTTP_ERRORS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/llm/http_client.h"

namespace tritonbench {

// `text` with every occurrence of `secret` replaced by "[REDACTED]" (unchanged when
// `secret` is empty).
std::string Redact(absl::string_view text, absl::string_view secret);

// The Status for a non-2xx answer of `provider` at `url`: the code follows the HTTP
// status (429 ResourceExhausted, 5xx Unavailable, 401 Unauthenticated, 403
// PermissionDenied, 404 NotFound, other 4xx InvalidArgument); the message names the
// provider, the status and the provider's own error message (error.message in the JSON
// body when there is one, else the start of the body), with `secret` redacted. A
// Retry-After header (seconds) is attached, see RetryAfter.
absl::Status HttpErrorStatus(absl::string_view provider, const std::string& url, const HttpResponse& response,
                             absl::string_view secret);

// The Retry-After delay attached by HttpErrorStatus (or SetRetryAfter), if any.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);

// Attaches a Retry-After delay to `status` (what HttpErrorStatus does; for fakes).
void SetRetryAfter(absl::Status* status, absl::Duration delay);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_HTTP_ERRORS_H_
