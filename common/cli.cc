#include "common/cli.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace tritonbench {
namespace {

std::atomic<bool>* g_stop = nullptr;

void OnStopSignal(int) {
  if (g_stop != nullptr) g_stop->store(true);
}

}  // namespace

std::string UserPath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  if (const char* dir = getenv("BUILD_WORKING_DIRECTORY")) return absl::StrCat(dir, "/", path);
  return path;
}

bool EnterUserDirectory(absl::string_view program) {
  const char* dir = getenv("BUILD_WORKING_DIRECTORY");
  if (dir == nullptr) return true;
  if (chdir(dir) == 0) return true;
  std::cerr << program << ": cannot change to " << dir << "\n";
  return false;
}

std::string PythonInterpreter(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* p = getenv("TB_PYTHON"); p != nullptr && *p) return p;
  return "python3";
}

void StopOnSignals(std::atomic<bool>* stop) {
  g_stop = stop;
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
}

std::string EnvironmentLine(const Environment& env) {
  return absl::StrCat(env.device_name(), " (", env.backend(),
                      env.runtime_version().empty() ? "" : absl::StrCat(" ", env.runtime_version()),
                      env.driver_version().empty() ? "" : absl::StrCat(", driver ", env.driver_version()),
                      "), torch ", env.torch_version(), ", triton ", env.triton_version(), ", python ",
                      env.python_version());
}

int ReportError(absl::string_view program, const absl::Status& status, int exit_code) {
  std::cerr << program << ": " << status.message() << "\n";
  return exit_code;
}

}  // namespace tritonbench
