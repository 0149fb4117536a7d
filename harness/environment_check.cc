#include "harness/environment_check.h"

#include <map>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tritonbench {
namespace {

std::string DeviceText(const Environment& env) {
  std::string text = env.device_name().empty() ? "this device" : env.device_name();
  std::vector<std::string> details;
  if (!env.device_arch().empty()) details.push_back(env.device_arch());
  if (!env.backend().empty()) details.push_back(env.backend());
  return details.empty() ? text : absl::StrCat(text, " (", absl::StrJoin(details, ", "), ")");
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CheckEnvironment(const Environment& env, const std::vector<Task>& tasks) {
  std::vector<std::string> fatal, notices;
  for (const StackProblem& p : env.stack_problems()) {
    const std::string line = absl::StrCat(p.problem(), "\n  fix: ", p.fix());
    (p.fatal() ? fatal : notices).push_back(p.fatal() ? line : absl::StrCat("warning: ", line));
  }
  if (!fatal.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the Python environment cannot run kernels on ", DeviceText(env), ":\n", absl::StrJoin(fatal, "\n"),
        "\n(tools/doctor checks the whole set-up)"));
  }
  if (env.supported_features().empty()) return notices;
  const std::set<std::string> supported(env.supported_features().begin(), env.supported_features().end());
  std::map<std::string, std::vector<std::string>> skipped_by_feature;
  for (const Task& task : tasks) {
    for (int f : task.spec.required_features()) {
      const std::string name = Feature_Name(static_cast<Feature>(f));
      if (!supported.count(name)) skipped_by_feature[name].push_back(task.spec.id());
    }
  }
  for (const auto& [feature, ids] : skipped_by_feature) {
    notices.push_back(absl::StrCat(DeviceText(env), " lacks ", feature, ": ", ids.size(),
                                   " task(s) will be skipped as UNSUPPORTED (", absl::StrJoin(ids, ", "), ")"));
  }
  return notices;
}

}  // namespace tritonbench
