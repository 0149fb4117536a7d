#include "harness/gpu_pool.h"

#include <cstdlib>
#include <set>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tritonbench {
namespace {

// The entries of a device-selection variable's list ("2,3" or "GPU-ab12,GPU-cd34").
std::vector<std::string> ListEntries(const char* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return out;
}

// A pin's value as a file name part: "GPU-ab12" stays, anything else becomes '_'.
std::string FileSafe(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return out;
}

std::string PinText(const GpuPin& pin) {
  return absl::StrCat(pin.assignment.variable(), "=", pin.assignment.visible_devices());
}

}  // namespace

absl::StatusOr<std::vector<int>> ParseGpus(const std::string& flag, int device_count) {
  std::vector<int> out;
  const std::string text(absl::StripAsciiWhitespace(flag));
  if (text == "all") {
    if (device_count < 0) return absl::InvalidArgumentError("--gpus=all: the number of GPUs is not known here");
    if (device_count == 0) return absl::InvalidArgumentError("--gpus=all: torch sees no GPU here");
    for (int i = 0; i < device_count; ++i) out.push_back(i);
    return out;
  }
  std::set<int> seen;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    int index = -1;
    if (!absl::SimpleAtoi(part, &index) || index < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--gpus=", flag, ": '", part,
                                                     "' is not a GPU index (give all, or indices such as 0,1,5)"));
    }
    if (!seen.insert(index).second) {
      return absl::InvalidArgumentError(absl::StrCat("--gpus=", flag, ": GPU ", index, " is named twice"));
    }
    if (device_count >= 0 && index >= device_count) {
      return absl::InvalidArgumentError(
          device_count == 0
              ? absl::StrCat("--gpus=", flag, ": GPU ", index, " does not exist: torch sees no GPU here")
              : absl::StrCat("--gpus=", flag, ": GPU ", index, " does not exist: torch sees ", device_count,
                             " GPU(s) here (0-", device_count - 1, ")"));
    }
    out.push_back(index);
  }
  return out;
}

absl::StatusOr<GpuPin> PinFor(const std::string& backend, int index, const EnvLookup& lookup) {
  GpuPin pin;
  std::vector<std::string> allocated;
  std::string variable, listed_in;
  if (backend == "cuda") {
    variable = listed_in = "CUDA_VISIBLE_DEVICES";
    allocated = ListEntries(lookup("CUDA_VISIBLE_DEVICES"));
  } else if (backend == "rocm") {
    variable = "HIP_VISIBLE_DEVICES";
    listed_in = lookup("HIP_VISIBLE_DEVICES") != nullptr ? "HIP_VISIBLE_DEVICES" : "CUDA_VISIBLE_DEVICES";
    allocated = ListEntries(lookup(listed_in.c_str()));
    pin.unset.push_back("CUDA_VISIBLE_DEVICES");
  } else {
    return absl::InvalidArgumentError(absl::StrCat("no GPU to pin a worker to on backend '", backend, "'"));
  }
  std::string value = absl::StrCat(index);
  if (lookup(listed_in.c_str()) != nullptr) {
    if (index >= static_cast<int>(allocated.size())) {
      return absl::InvalidArgumentError(absl::StrCat("GPU ", index, " is not among the ", allocated.size(),
                                                     " this runner was given (", listed_in, "=",
                                                     lookup(listed_in.c_str()), ")"));
    }
    value = allocated[index];
  }
  pin.set.emplace_back(variable, value);
  pin.assignment.set_index(index);
  pin.assignment.set_variable(variable);
  pin.assignment.set_visible_devices(value);
  return pin;
}

SlotPool::SlotPool(int devices, int per_device, int total)
    : per_device_(std::max(1, per_device)),
      capacity_(total > 0 ? std::min(total, std::max(1, devices) * std::max(1, per_device))
                          : std::max(1, devices) * std::max(1, per_device)),
      in_flight_(std::max(1, devices), 0) {}

SlotPool::Lease SlotPool::Acquire() {
  absl::MutexLock lock(&mu_);
  int device = -1;
  auto free = [&] {
    if (total_in_flight_ >= capacity_) return false;
    device = -1;
    for (size_t d = 0; d < in_flight_.size(); ++d) {
      if (in_flight_[d] < per_device_ && (device < 0 || in_flight_[d] < in_flight_[device])) device = d;
    }
    return device >= 0;
  };
  mu_.Await(absl::Condition(&free));
  ++in_flight_[device];
  ++total_in_flight_;
  return Lease(this, device);
}

void SlotPool::Release(int device) {
  absl::MutexLock lock(&mu_);
  --in_flight_[device];
  --total_in_flight_;
}

SlotPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(device_);
}

absl::StatusOr<std::unique_ptr<EvaluatorPool>> EvaluatorPool::Create(const EvaluatorOptions& base,
                                                                     const Environment& env,
                                                                     const PoolOptions& options,
                                                                     const EnvLookup& lookup) {
  if (options.per_gpu < 1) return absl::InvalidArgumentError("evaluations per GPU must be at least 1");
  std::vector<std::unique_ptr<Evaluator>> evaluators;
  if (options.gpus.empty()) {
    evaluators.push_back(std::make_unique<Evaluator>(base));
    return std::unique_ptr<EvaluatorPool>(new EvaluatorPool(std::move(evaluators), options.per_gpu, options.total, ""));
  }
  const bool on_gpu = env.backend() == "cuda" || env.backend() == "rocm";
  if (!on_gpu) {
    if (base.settings.device() != "cpu") {
      return absl::FailedPreconditionError(absl::StrCat(
          "--gpus=", options.gpus, ": no GPU here (torch sees none; the device is the ", env.backend(),
          "); to run the pool on the CPU interpreter without pinning anything, give --device=cpu"));
    }
    if (absl::StripAsciiWhitespace(options.gpus) == "all") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--gpus=all: the CPU interpreter has no GPUs to count; name slots (--gpus=0,1) to run the pool without "
          "pinning"));
    }
    auto indices = ParseGpus(options.gpus, -1);
    if (!indices.ok()) return indices.status();
    for (size_t i = 0; i < indices->size(); ++i) evaluators.push_back(std::make_unique<Evaluator>(base));
    return std::unique_ptr<EvaluatorPool>(
        new EvaluatorPool(std::move(evaluators), options.per_gpu, options.total,
                          absl::StrCat(indices->size(), " slot(s) on the CPU interpreter (nothing pinned), ",
                                       options.per_gpu, " evaluation(s) at once on each")));
  }
  auto indices = ParseGpus(options.gpus, env.device_count());
  if (!indices.ok()) return indices.status();
  const EnvLookup from_process = [](const char* name) -> const char* { return getenv(name); };
  const EnvLookup& read = lookup ? lookup : from_process;
  std::vector<EvaluatorOptions> pinned;
  for (int index : *indices) {
    auto pin = PinFor(env.backend(), index, read);
    if (!pin.ok()) return absl::InvalidArgumentError(absl::StrCat("--gpus=", options.gpus, ": ", pin.status().message()));
    EvaluatorOptions o = base;
    o.gpu = *std::move(pin);
    if (options.per_gpu > 1) {
      const std::string name = FileSafe(o.gpu->assignment.visible_devices());
      o.settings.set_gpu_lock_path(base.settings.gpu_lock_path().empty()
                                       ? absl::StrCat(base.scratch_dir, "/gpu-", name, ".lock")
                                       : absl::StrCat(base.settings.gpu_lock_path(), ".gpu-", name));
    }
    pinned.push_back(std::move(o));
  }
  // Every GPU probed at once: a pin that shows no GPU, or a GPU of another kind, stops
  // the run before any evaluation.
  std::vector<absl::StatusOr<Environment>> probes(pinned.size(), absl::UnknownError("not probed"));
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < pinned.size(); ++i) {
      threads.emplace_back([&, i] { probes[i] = Evaluator(pinned[i]).ProbeEnvironment(); });
    }
    for (auto& t : threads) t.join();
  }
  std::vector<std::string> described;
  for (size_t i = 0; i < pinned.size(); ++i) {
    const std::string pin = PinText(*pinned[i].gpu);
    if (!probes[i].ok()) {
      return absl::FailedPreconditionError(absl::StrCat("--gpus=", options.gpus, ": a worker pinned to GPU ",
                                                        (*indices)[i], " (", pin, ") could not describe it: ",
                                                        probes[i].status().message()));
    }
    const Environment& seen = *probes[i];
    if (seen.backend() != env.backend() || seen.device_count() != 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--gpus=", options.gpus, ": a worker pinned to GPU ", (*indices)[i], " (", pin, ") sees ",
          seen.device_count(), " GPU(s) on backend '", seen.backend(), "', not one ", env.backend(), " GPU"));
    }
    if (seen.device_name() != env.device_name()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--gpus=", options.gpus, ": GPU ", (*indices)[i], " (", pin, ") is a ", seen.device_name(), ", GPU 0 a ",
          env.device_name(), ": a run measures one kind of device; name GPUs of one kind"));
    }
    pinned[i].gpu->assignment.set_name(seen.device_name());
    described.push_back(absl::StrCat((*indices)[i], " (", pin, ")"));
    evaluators.push_back(std::make_unique<Evaluator>(pinned[i]));
  }
  return std::unique_ptr<EvaluatorPool>(new EvaluatorPool(
      std::move(evaluators), options.per_gpu, options.total,
      absl::StrCat("GPUs ", absl::StrJoin(described, ", "), ": ", options.per_gpu, " evaluation(s) at once on each")));
}

absl::StatusOr<EvaluationResult> EvaluatorPool::Evaluate(const Task& task, const std::string& candidate_path,
                                                         uint64_t input_salt) {
  SlotPool::Lease lease = slots_.Acquire();
  return evaluators_[lease.device()]->Evaluate(task, candidate_path, input_salt);
}

}  // namespace tritonbench
