#include "agent/llm/http_errors.h"

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace tritonbench {
namespace {

constexpr absl::string_view kRetryAfterPayload = "tritonbench/retry_after_ms";
constexpr size_t kMaxQuoted = 300;

absl::StatusCode CodeFor(int status) {
  if (status == 429) return absl::StatusCode::kResourceExhausted;
  if (status >= 500) return absl::StatusCode::kUnavailable;
  if (status == 401) return absl::StatusCode::kUnauthenticated;
  if (status == 403) return absl::StatusCode::kPermissionDenied;
  if (status == 404) return absl::StatusCode::kNotFound;
  if (status == 408) return absl::StatusCode::kDeadlineExceeded;
  return absl::StatusCode::kInvalidArgument;
}

// error.message (OpenAI, Anthropic, Gemini all use it), else the body's start.
std::string ProviderMessage(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    auto error = json.find("error");
    if (error != json.end()) {
      if (error->is_string()) return error->get<std::string>();
      if (error->is_object()) {
        auto message = error->find("message");
        if (message != error->end() && message->is_string()) return message->get<std::string>();
      }
    }
  }
  std::string start(absl::StripAsciiWhitespace(body.substr(0, kMaxQuoted)));
  if (body.size() > kMaxQuoted) absl::StrAppend(&start, "...");
  return start.empty() ? "(empty body)" : start;
}

}  // namespace

std::string Redact(absl::string_view text, absl::string_view secret) {
  if (secret.empty()) return std::string(text);
  return absl::StrReplaceAll(text, {{secret, "[REDACTED]"}});
}

absl::Status HttpErrorStatus(absl::string_view provider, const std::string& url, const HttpResponse& response,
                             absl::string_view secret) {
  std::string message = absl::StrCat(provider, " at ", url, ": HTTP ", response.status, ": ",
                                     ProviderMessage(response.body));
  absl::Status status(CodeFor(response.status), Redact(message, secret));
  auto retry_after = response.headers.find("retry-after");
  double seconds = 0;
  if (retry_after != response.headers.end() && absl::SimpleAtod(retry_after->second, &seconds) && seconds >= 0) {
    SetRetryAfter(&status, absl::Seconds(seconds));
  }
  return status;
}

void SetRetryAfter(absl::Status* status, absl::Duration delay) {
  status->SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(absl::ToInt64Milliseconds(delay))));
}

std::optional<absl::Duration> RetryAfter(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryAfterPayload);
  int64_t ms = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &ms)) return std::nullopt;
  return absl::Milliseconds(ms);
}

}  // namespace tritonbench
