// HTTP POST through libcurl, for the provider clients: timeouts, status, response
// headers. Knows nothing about LLMs; never logs.
#ifndef TRITONBENCH_AGENT_LLM_HTTP_CLIENT_H_
#define TRITONBENCH_AGENT_LLM_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tritonbench {

struct HttpRequest {
  std::string url;
  // "Name: value" pairs, sent as given. May hold secrets: they never appear in errors.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The whole exchange, connecting included.
  absl::Duration timeout = absl::Seconds(120);
  absl::Duration connect_timeout = absl::Seconds(10);
  // A longer answer is cut off and reported (OutOfRange naming the URL).
  size_t max_response_bytes = 64 << 20;
};

struct HttpResponse {
  int status = 0;
  // Names lower-cased; a repeated header keeps its last value.
  std::map<std::string, std::string> headers;
  std::string body;
  // Seconds from sending the request to the last byte of the answer.
  double latency_s = 0;
};

// POSTs `request.body`. Any complete HTTP answer is returned whatever its status; a
// transport failure is an error naming the URL: DeadlineExceeded for a timeout,
// OutOfRange for an answer over max_response_bytes, Unavailable for everything else (no connection, a connection closed before the
// whole body arrived, ...).
absl::StatusOr<HttpResponse> HttpPost(const HttpRequest& request);

// Opens (and closes) a TCP connection to the host and port of `url`: Unavailable naming
// the URL when nothing answers there within `timeout`. Sends no request.
absl::Status ProbeEndpoint(const std::string& url, absl::Duration timeout);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_HTTP_CLIENT_H_
