// What the three provider clients share: their options and the POST-then-parse step.
#ifndef TRITONBENCH_AGENT_LLM_CLIENT_COMMON_H_
#define TRITONBENCH_AGENT_LLM_CLIENT_COMMON_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

struct ClientOptions {
  // Scheme, host, port and optional path prefix: e.g. "https://api.openai.com" or
  // "http://127.0.0.1:8000". It may end in the API's version ("http://127.0.0.1:8000/v1",
  // as vLLM and SGLang document it): the version is then not repeated (ApiUrl). A
  // trailing '/' is ignored.
  std::string base_url;
  // The key itself (read from the environment by the caller); empty sends no key.
  std::string api_key;
  absl::Duration timeout = absl::Seconds(300);
  absl::Duration connect_timeout = absl::Seconds(10);
};

// POSTs the JSON `body` to `url` and parses a 2xx answer with `parse`; sets the
// response's latency. Errors: HttpPost's transport errors, HttpErrorStatus for
// non-2xx, the parser's DataLoss for a malformed body; `api_key` is redacted from all.
absl::StatusOr<ChatResponse> PostChat(
    absl::string_view provider, const std::string& url, std::vector<std::pair<std::string, std::string>> headers,
    const std::string& body, const ClientOptions& options,
    const std::function<absl::StatusOr<ChatResponse>(const std::string&)>& parse);

// `base_url` without trailing slashes, followed by `path`.
std::string JoinUrl(absl::string_view base_url, absl::string_view path);

// The URL of an API endpoint `version` + `path` ("/v1", "/chat/completions") under
// `base_url`, which may or may not end in `version` already:
// "http://h:8000" and "http://h:8000/v1/" both give "http://h:8000/v1/chat/completions".
std::string ApiUrl(absl::string_view base_url, absl::string_view version, absl::string_view path);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_CLIENT_COMMON_H_
