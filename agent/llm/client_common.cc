#include "agent/llm/client_common.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/llm/http_client.h"
#include "agent/llm/http_errors.h"

namespace tritonbench {

std::string JoinUrl(absl::string_view base_url, absl::string_view path) {
  while (absl::ConsumeSuffix(&base_url, "/")) {
  }
  return absl::StrCat(base_url, path);
}

std::string ApiUrl(absl::string_view base_url, absl::string_view version, absl::string_view path) {
  while (absl::ConsumeSuffix(&base_url, "/")) {
  }
  if (absl::EndsWith(base_url, version)) return absl::StrCat(base_url, path);
  return absl::StrCat(base_url, version, path);
}

absl::StatusOr<ChatResponse> PostChat(
    absl::string_view provider, const std::string& url, std::vector<std::pair<std::string, std::string>> headers,
    const std::string& body, const ClientOptions& options,
    const std::function<absl::StatusOr<ChatResponse>(const std::string&)>& parse) {
  HttpRequest request;
  request.url = url;
  request.headers = std::move(headers);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body;
  request.timeout = options.timeout;
  request.connect_timeout = options.connect_timeout;
  auto response = HttpPost(request);
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        Redact(absl::StrCat(provider, ": ", response.status().message()), options.api_key));
  }
  if (response->status < 200 || response->status >= 300) {
    return HttpErrorStatus(provider, url, *response, options.api_key);
  }
  auto parsed = parse(response->body);
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        Redact(absl::StrCat(parsed.status().message(), " (from ", url, ")"), options.api_key));
  }
  parsed->set_latency_s(response->latency_s);
  return parsed;
}

}  // namespace tritonbench
