// llm_test_server: the scripted local HTTP server (agent/testing) as a process, for
// shell tests of tools/chat. Listens on 127.0.0.1 (an ephemeral port unless --port),
// writes the port to --port_file once it accepts, serves until SIGTERM/SIGINT, then
// writes every request it got to --requests_out (one JSON line each) and exits 0.
//
// --openai_answer_file=FILE serves the OpenAI route alone, every request answered with
// FILE's text. Without either it serves a built-in script, for each provider's path (OpenAI
// /v1/chat/completions, Anthropic /v1/messages, Gemini
// /v1beta/models/test-model:generateContent) under these base-URL prefixes:
//   (none)  a normal answer "Hello from the test server."
//   /r429   429 with Retry-After: 0, then the normal answer
//   /e500   500 "the test server is overloaded"
//   /e401   401 "Incorrect API key provided: <--leak>" (a server echoing the key)
//   /bad    a malformed JSON body
//   /cut    a truncated body
//   /slow   the normal answer after 3 s
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "agent/testing/scripted_http_server.h"
#include "common/files.h"
#include "google/protobuf/text_format.h"

ABSL_FLAG(std::string, script, "", "ServerScript text proto; default: the built-in script");
ABSL_FLAG(int32_t, port, 0, "Port on 127.0.0.1; 0 picks a free one");
ABSL_FLAG(std::string, port_file, "", "Write the port here once listening");
ABSL_FLAG(std::string, requests_out, "", "On exit, write the requests received here (JSON lines)");
ABSL_FLAG(std::string, openai_answer_file, "",
          "Instead of a script: the OpenAI route /v1/chat/completions alone, answering every request with this "
          "file's text (300 prompt and 120 completion tokens)");
ABSL_FLAG(std::string, leak, "", "Text the /e401 error message echoes (tests that clients redact keys)");

namespace tritonbench {
namespace {

ServerScript BuiltInScript(const std::string& leak) {
  ServerScript script;
  const std::string text = "Hello from the test server.";
  struct Wire {
    std::string path;
    ScriptedResponse (*answer)(const std::string&, int, int);
  };
  const Wire wires[] = {{"/v1/chat/completions", OpenAiAnswer},
                        {"/v1/messages", AnthropicAnswer},
                        {"/v1beta/models/test-model:generateContent", GeminiAnswer}};
  for (const Wire& w : wires) {
    auto add = [&](const std::string& prefix, std::vector<ScriptedResponse> responses) {
      Route* route = script.add_routes();
      route->set_path(prefix + w.path);
      for (auto& r : responses) *route->add_responses() = r;
    };
    ScriptedResponse ok = w.answer(text, 12, 6);
    add("", {ok});
    add("/r429", {ErrorAnswer(429, "rate limited", {{"Retry-After", "0"}}), ok});
    add("/e500", {ErrorAnswer(500, "the test server is overloaded")});
    add("/e401", {ErrorAnswer(401, absl::StrCat("Incorrect API key provided: ", leak))});
    ScriptedResponse bad;
    bad.set_body("{\"this is\": not json");
    add("/bad", {bad});
    ScriptedResponse cut = ok;
    cut.set_truncate(true);
    add("/cut", {cut});
    ScriptedResponse slow = ok;
    slow.set_delay_ms(3000);
    add("/slow", {slow});
  }
  return script;
}

int Main() {
  ServerScript script = BuiltInScript(absl::GetFlag(FLAGS_leak));
  if (!absl::GetFlag(FLAGS_script).empty()) {
    auto text = ReadFile(absl::GetFlag(FLAGS_script));
    script.Clear();
    if (!text.ok() || !google::protobuf::TextFormat::ParseFromString(*text, &script)) {
      std::cerr << "llm_test_server: cannot read the script " << absl::GetFlag(FLAGS_script) << "\n";
      return 2;
    }
  }
  if (!absl::GetFlag(FLAGS_openai_answer_file).empty()) {
    auto text = ReadFile(absl::GetFlag(FLAGS_openai_answer_file));
    if (!text.ok()) {
      std::cerr << "llm_test_server: cannot read " << absl::GetFlag(FLAGS_openai_answer_file) << "\n";
      return 2;
    }
    script.Clear();
    Route* route = script.add_routes();
    route->set_path("/v1/chat/completions");
    *route->add_responses() = OpenAiAnswer(*text, 300, 120);
  }
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto server = ScriptedHttpServer::Start(script, absl::GetFlag(FLAGS_port));
  if (!server.ok()) {
    std::cerr << "llm_test_server: " << server.status().message() << "\n";
    return 2;
  }
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    const std::string tmp = absl::GetFlag(FLAGS_port_file) + ".tmp";
    if (!WriteFile(tmp, absl::StrCat((*server)->port(), "\n")).ok() ||
        std::rename(tmp.c_str(), absl::GetFlag(FLAGS_port_file).c_str()) != 0) {
      std::cerr << "llm_test_server: cannot write " << absl::GetFlag(FLAGS_port_file) << "\n";
      return 2;
    }
  }
  std::cout << "llm_test_server: listening on " << (*server)->base_url() << std::endl;
  int signal = 0;
  sigwait(&stop, &signal);
  std::string requests = (*server)->RequestsAsJsonLines();
  server->reset();
  if (!absl::GetFlag(FLAGS_requests_out).empty()) {
    if (auto s = WriteFile(absl::GetFlag(FLAGS_requests_out), requests); !s.ok()) {
      std::cerr << "llm_test_server: " << s.message() << "\n";
      return 2;
    }
  }
  return 0;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return tritonbench::Main();
}
