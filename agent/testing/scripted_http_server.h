// A small HTTP/1.1 server on 127.0.0.1 for tests: it answers from a script
// (script.proto: per path, a list of responses, the last one repeated; delays and
// truncated bodies for the failure paths) and records every request it got.
// One thread accepts; each connection is served by its own thread, one request per
// connection ("Connection: close").
#ifndef TRITONBENCH_AGENT_TESTING_SCRIPTED_HTTP_SERVER_H_
#define TRITONBENCH_AGENT_TESTING_SCRIPTED_HTTP_SERVER_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/testing/script.pb.h"

namespace tritonbench {

class ScriptedHttpServer {
 public:
  // Binds 127.0.0.1 on an ephemeral port (or `port` when non-zero) and starts serving.
  static absl::StatusOr<std::unique_ptr<ScriptedHttpServer>> Start(ServerScript script, int port = 0);
  // Stops accepting, cuts short pending delays, joins every thread.
  ~ScriptedHttpServer();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string base_url() const;

  // Replaces the whole script (and restarts every path's position).
  void SetScript(ServerScript script);

  // Every request so far, in arrival order; a path without a route got a 404.
  std::vector<RecordedRequest> requests() const;
  // Called by the binary's --requests_out: every request as one JSON line.
  std::string RequestsAsJsonLines() const;

 private:
  ScriptedHttpServer(int listen_fd, int port, ServerScript script);
  void AcceptLoop();
  void Serve(int fd);
  ScriptedResponse Next(const std::string& path);

  int listen_fd_;
  int port_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable absl::Mutex mu_;
  ServerScript script_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> position_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
};

// Helpers for scripts: a 200 JSON answer in each provider's wire format.
ScriptedResponse OpenAiAnswer(const std::string& text, int prompt_tokens = 11, int completion_tokens = 7);
ScriptedResponse AnthropicAnswer(const std::string& text, int input_tokens = 11, int output_tokens = 7);
ScriptedResponse GeminiAnswer(const std::string& text, int prompt_tokens = 11, int candidates_tokens = 7);
// Any status with a JSON body {"error": {"message": ...}}, and headers.
ScriptedResponse ErrorAnswer(int status, const std::string& message,
                             const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_TESTING_SCRIPTED_HTTP_SERVER_H_
