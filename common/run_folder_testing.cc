#include "common/run_folder_testing.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tritonbench {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp ? tmp : "/tmp") / name;
  fs::remove_all(dir);
  return dir;
}

EvaluationResult Result(const std::string& id, bool call_ok, bool exec_ok, FailureKind kind) {
  EvaluationResult r;
  r.set_task_id(id);
  r.set_call_ok(call_ok);
  r.set_execution_ok(exec_ok);
  r.set_failure_kind(kind);
  return r;
}

}  // namespace tritonbench
