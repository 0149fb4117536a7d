#include "agent/testing/scripted_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace tritonbench {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

void SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went away (e.g. it timed out)
    sent += n;
  }
}

// Reads one request; false when the connection ends before a whole one arrived.
bool ReadRequest(int fd, RecordedRequest* request) {
  std::string data;
  char buffer[8192];
  size_t header_end;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    data.append(buffer, n);
  }
  std::vector<std::string> lines = absl::StrSplit(data.substr(0, header_end), "\r\n");
  std::vector<std::string> first = absl::StrSplit(lines[0], ' ');
  if (first.size() < 2) return false;
  request->set_method(first[0]);
  request->set_path(first[1].substr(0, first[1].find('?')));
  size_t length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    HttpHeader* h = request->add_headers();
    h->set_name(absl::AsciiStrToLower(absl::StripAsciiWhitespace(lines[i].substr(0, colon))));
    h->set_value(std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
    if (h->name() == "content-length" && !absl::SimpleAtoi(h->value(), &length)) return false;
  }
  std::string body = data.substr(header_end + 4);
  while (body.size() < length) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    body.append(buffer, n);
  }
  request->set_body(body.substr(0, length));
  return true;
}

ScriptedResponse JsonAnswer(const nlohmann::json& body) {
  ScriptedResponse r;
  r.set_status(200);
  HttpHeader* h = r.add_headers();
  h->set_name("Content-Type");
  h->set_value("application/json");
  r.set_body(body.dump());
  return r;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ScriptedHttpServer>> ScriptedHttpServer::Start(ServerScript script, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string error = std::strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("cannot listen on 127.0.0.1:", port, ": ", error));
  }
  std::unique_ptr<ScriptedHttpServer> server(new ScriptedHttpServer(fd, ntohs(addr.sin_port), std::move(script)));
  server->acceptor_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

ScriptedHttpServer::ScriptedHttpServer(int listen_fd, int port, ServerScript script)
    : listen_fd_(listen_fd), port_(port), script_(std::move(script)) {}

ScriptedHttpServer::~ScriptedHttpServer() {
  stopping_.store(true);
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    absl::MutexLock lock(&mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

std::string ScriptedHttpServer::base_url() const { return absl::StrCat("http://127.0.0.1:", port_); }

void ScriptedHttpServer::SetScript(ServerScript script) {
  absl::MutexLock lock(&mu_);
  script_ = std::move(script);
  position_.clear();
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

std::string ScriptedHttpServer::RequestsAsJsonLines() const {
  std::string out;
  for (const auto& r : requests()) {
    nlohmann::json line = {{"method", r.method()}, {"path", r.path()}, {"body", r.body()}};
    line["headers"] = nlohmann::json::object();
    for (const auto& h : r.headers()) line["headers"][h.name()] = h.value();
    absl::StrAppend(&out, line.dump(), "\n");
  }
  return out;
}

void ScriptedHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (stopping_.load() || (errno != EINTR && errno != ECONNABORTED)) return;
      continue;
    }
    timeval tv{5, 0};  // a client that never sends its request does not hold us
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    absl::MutexLock lock(&mu_);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

ScriptedResponse ScriptedHttpServer::Next(const std::string& path) {
  absl::MutexLock lock(&mu_);
  for (const auto& route : script_.routes()) {
    if (route.path() != path || route.responses_size() == 0) continue;
    int& pos = position_[path];
    ScriptedResponse r = route.responses(std::min(pos, route.responses_size() - 1));
    ++pos;
    return r;
  }
  ScriptedResponse missing = ErrorAnswer(404, absl::StrCat("no route for ", path, " in the test script"));
  return missing;
}

void ScriptedHttpServer::Serve(int fd) {
  RecordedRequest request;
  if (!ReadRequest(fd, &request)) {
    close(fd);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
  }
  ScriptedResponse r = Next(request.path());
  absl::Time until = absl::Now() + absl::Milliseconds(r.delay_ms());
  while (absl::Now() < until && !stopping_.load()) absl::SleepFor(absl::Milliseconds(5));
  int status = r.status() == 0 ? 200 : r.status();
  std::string head = absl::StrCat("HTTP/1.1 ", status, " ", Reason(status), "\r\n");
  for (const auto& h : r.headers()) absl::StrAppend(&head, h.name(), ": ", h.value(), "\r\n");
  absl::StrAppend(&head, "Content-Length: ", r.body().size(), "\r\nConnection: close\r\n\r\n");
  SendAll(fd, head + (r.truncate() ? r.body().substr(0, r.body().size() / 2) : r.body()));
  shutdown(fd, SHUT_WR);
  close(fd);
}

ScriptedResponse OpenAiAnswer(const std::string& text, int prompt_tokens, int completion_tokens) {
  return JsonAnswer({{"id", "chatcmpl-test"},
                     {"object", "chat.completion"},
                     {"model", "test-model"},
                     {"choices",
                      {{{"index", 0},
                        {"message", {{"role", "assistant"}, {"content", text}}},
                        {"finish_reason", "stop"}}}},
                     {"usage",
                      {{"prompt_tokens", prompt_tokens},
                       {"completion_tokens", completion_tokens},
                       {"total_tokens", prompt_tokens + completion_tokens}}}});
}

ScriptedResponse AnthropicAnswer(const std::string& text, int input_tokens, int output_tokens) {
  return JsonAnswer({{"id", "msg_test"},
                     {"type", "message"},
                     {"role", "assistant"},
                     {"model", "test-model"},
                     {"content", {{{"type", "text"}, {"text", text}}}},
                     {"stop_reason", "end_turn"},
                     {"usage", {{"input_tokens", input_tokens}, {"output_tokens", output_tokens}}}});
}

ScriptedResponse GeminiAnswer(const std::string& text, int prompt_tokens, int candidates_tokens) {
  return JsonAnswer({{"candidates",
                      {{{"content", {{"role", "model"}, {"parts", {{{"text", text}}}}}}, {"finishReason", "STOP"}}}},
                     {"usageMetadata",
                      {{"promptTokenCount", prompt_tokens},
                       {"candidatesTokenCount", candidates_tokens},
                       {"totalTokenCount", prompt_tokens + candidates_tokens}}},
                     {"modelVersion", "test-model"}});
}

ScriptedResponse ErrorAnswer(int status, const std::string& message,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  ScriptedResponse r = JsonAnswer({{"error", {{"message", message}, {"code", status}}}});
  r.set_status(status);
  for (const auto& [name, value] : headers) {
    HttpHeader* h = r.add_headers();
    h->set_name(name);
    h->set_value(value);
  }
  return r;
}

}  // namespace tritonbench
