// The pool that spreads evaluations over GPUs: flag parsing, pins, slot scheduling, and
// an EvaluatorPool over a stand-in worker on "GPUs" (testdata/fake_gpu_worker.py), so
// that the pinning each worker gets, the GPU each result names and how many evaluations
// run at once on each GPU are checked without a GPU.
#include "harness/gpu_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(ParseGpusTest, AllIsEveryGpu) {
  auto gpus = ParseGpus("all", 4);
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  EXPECT_THAT(*gpus, ElementsAre(0, 1, 2, 3));
}

TEST(ParseGpusTest, ListKeepsItsOrder) {
  auto gpus = ParseGpus("5,0, 1", 8);
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  EXPECT_THAT(*gpus, ElementsAre(5, 0, 1));
}

TEST(ParseGpusTest, BadListsAreNamed) {
  EXPECT_THAT(Message(ParseGpus("0,8", 8).status()), HasSubstr("GPU 8 does not exist: torch sees 8 GPU(s) here (0-7)"));
  EXPECT_THAT(Message(ParseGpus("0", 0).status()), HasSubstr("torch sees no GPU here"));
  EXPECT_THAT(Message(ParseGpus("all", 0).status()), HasSubstr("torch sees no GPU"));
  EXPECT_THAT(Message(ParseGpus("1,1", 4).status()), HasSubstr("GPU 1 is named twice"));
  EXPECT_THAT(Message(ParseGpus("0,x", 4).status()), HasSubstr("'x' is not a GPU index"));
  EXPECT_THAT(Message(ParseGpus("-1", 4).status()), HasSubstr("'-1' is not a GPU index"));
  EXPECT_THAT(Message(ParseGpus("", 4).status()), HasSubstr("'' is not a GPU index"));
  EXPECT_TRUE(ParseGpus("12", -1).ok()) << "no count known: any index";
}

EnvLookup Env(std::map<std::string, std::string> vars) {
  auto held = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [held](const char* name) -> const char* {
    auto it = held->find(name);
    return it == held->end() ? nullptr : it->second.c_str();
  };
}

TEST(PinForTest, CudaPinsTheIndexWithoutAnAllocation) {
  auto pin = PinFor("cuda", 3, Env({}));
  ASSERT_TRUE(pin.ok()) << pin.status();
  ASSERT_EQ(pin->set.size(), 1u);
  EXPECT_EQ(pin->set[0].first, "CUDA_VISIBLE_DEVICES");
  EXPECT_EQ(pin->set[0].second, "3");
  EXPECT_TRUE(pin->unset.empty());
  EXPECT_EQ(pin->assignment.index(), 3);
  EXPECT_EQ(pin->assignment.visible_devices(), "3");
  EXPECT_EQ(pin->assignment.variable(), "CUDA_VISIBLE_DEVICES");
}

// Slurm or Kubernetes gave the runner GPUs 4,5,6: the runner's GPU 1 is the machine's 5.
TEST(PinForTest, CudaPinsTheRunnersAllocationEntry) {
  auto pin = PinFor("cuda", 1, Env({{"CUDA_VISIBLE_DEVICES", "4,5,6"}}));
  ASSERT_TRUE(pin.ok()) << pin.status();
  EXPECT_EQ(pin->set[0].second, "5");
  auto uuid = PinFor("cuda", 0, Env({{"CUDA_VISIBLE_DEVICES", "GPU-aa11,GPU-bb22"}}));
  ASSERT_TRUE(uuid.ok()) << uuid.status();
  EXPECT_EQ(uuid->set[0].second, "GPU-aa11");
  EXPECT_THAT(Message(PinFor("cuda", 3, Env({{"CUDA_VISIBLE_DEVICES", "4,5,6"}})).status()),
              HasSubstr("GPU 3 is not among the 3 this runner was given (CUDA_VISIBLE_DEVICES=4,5,6)"));
}

TEST(PinForTest, RocmPinsHipAndDropsCuda) {
  auto pin = PinFor("rocm", 2, Env({}));
  ASSERT_TRUE(pin.ok()) << pin.status();
  EXPECT_EQ(pin->set[0].first, "HIP_VISIBLE_DEVICES");
  EXPECT_EQ(pin->set[0].second, "2");
  EXPECT_THAT(pin->unset, ElementsAre("CUDA_VISIBLE_DEVICES"));
  auto from_hip = PinFor("rocm", 1, Env({{"HIP_VISIBLE_DEVICES", "6,7"}, {"CUDA_VISIBLE_DEVICES", "0,1"}}));
  ASSERT_TRUE(from_hip.ok()) << from_hip.status();
  EXPECT_EQ(from_hip->set[0].second, "7");
  auto from_cuda = PinFor("rocm", 1, Env({{"CUDA_VISIBLE_DEVICES", "2,3"}}));
  ASSERT_TRUE(from_cuda.ok()) << from_cuda.status();
  EXPECT_EQ(from_cuda->set[0].first, "HIP_VISIBLE_DEVICES");
  EXPECT_EQ(from_cuda->set[0].second, "3");
}

TEST(PinForTest, NoGpuBackendIsRefused) {
  EXPECT_THAT(Message(PinFor("cpu-interpreter", 0, Env({})).status()), HasSubstr("no GPU to pin"));
}

TEST(SlotPoolTest, TakesTheLeastLoadedDeviceFirst) {
  SlotPool pool(3, 2);
  EXPECT_EQ(pool.capacity(), 6);
  std::vector<std::unique_ptr<SlotPool::Lease>> held;
  std::vector<int> order;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::make_unique<SlotPool::Lease>(pool.Acquire()));
    order.push_back(held.back()->device());
  }
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 0, 1, 2));
  held.erase(held.begin() + 1);  // device 1 has a free slot again
  EXPECT_EQ(pool.Acquire().device(), 1);
}

TEST(SlotPoolTest, TotalCapsAllDevices) {
  SlotPool pool(4, 3, 2);
  EXPECT_EQ(pool.capacity(), 2);
}

// Many threads, few slots: never more than per_device on one device nor total in all.
TEST(SlotPoolTest, NeverOverfillsUnderContention) {
  SlotPool pool(3, 2, 5);
  std::mutex mu;
  std::vector<int> now(3, 0), peak(3, 0);
  int total = 0, total_peak = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        SlotPool::Lease lease = pool.Acquire();
        {
          std::lock_guard<std::mutex> l(mu);
          peak[lease.device()] = std::max(peak[lease.device()], ++now[lease.device()]);
          total_peak = std::max(total_peak, ++total);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard<std::mutex> l(mu);
        --now[lease.device()];
        --total;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int d = 0; d < 3; ++d) EXPECT_LE(peak[d], 2) << "device " << d;
  EXPECT_LE(total_peak, 5);
  EXPECT_GE(total_peak, 2) << "the slots were never used at once";
}

// A stand-in machine: the fake worker and its fake_gpus.json in a folder of the test's own.
class FakeGpuMachine : public ::testing::Test {
 protected:
  void Install(const std::string& backend, const std::vector<std::string>& names, bool ignore_pin = false) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = absl::StrCat(tmp ? tmp : "/tmp", "/fake-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/scratch");
    std::filesystem::copy_file("harness/testdata/fake_gpu_worker.py", dir_ + "/worker.py");
    std::string list;
    for (const auto& n : names) absl::StrAppend(&list, list.empty() ? "" : ", ", "\"", n, "\"");
    log_ = dir_ + "/intervals.log";
    ASSERT_TRUE(WriteFile(dir_ + "/fake_gpus.json",
                          absl::StrCat("{\"backend\": \"", backend, "\", \"names\": [", list, "], \"log\": \"", log_,
                                       "\", \"sleep_s\": 1.0, \"ignore_pin\": ", ignore_pin ? "true" : "false", "}"))
                    .ok());
  }

  EvaluatorOptions Options(const std::string& device = "gpu") {
    EvaluatorOptions o;
    const char* python = std::getenv("TB_PYTHON");
    o.python = python ? python : "python3";
    o.worker_path = dir_ + "/worker.py";
    o.scratch_dir = dir_ + "/scratch";
    o.settings = DefaultSettings();
    o.settings.set_device(device);
    o.settings.set_timeout_seconds(60);
    return o;
  }

  Environment Probe(const EvaluatorOptions& o) {
    auto env = Evaluator(o).ProbeEnvironment();
    EXPECT_TRUE(env.ok()) << env.status();
    return env.ok() ? *env : Environment();
  }

  // Runs `n` evaluations on `pool`, all submitted at once.
  std::vector<EvaluationResult> RunMany(EvaluatorPool& pool, int n) {
    auto task = LoadTask("suites/tritonbench_revised/vector_addition");
    EXPECT_TRUE(task.ok()) << task.status();
    std::vector<EvaluationResult> results(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        auto r = pool.Evaluate(*task, task->KernelPath());
        EXPECT_TRUE(r.ok()) << r.status();
        if (r.ok()) results[i] = *r;
      });
    }
    for (auto& t : threads) t.join();
    return results;
  }

  // Per pin: the most evaluations that overlapped on it; and whether evaluations on
  // different pins overlapped at all.
  void Overlaps(std::map<std::string, int>* peak_per_pin, bool* across) {
    std::istringstream lines(ReadFile(log_).value_or(""));
    std::string kind, pin;
    double t;
    std::vector<std::tuple<double, int, std::string>> events;
    while (lines >> kind >> pin >> t) events.emplace_back(t, kind == "start" ? 1 : -1, pin);
    std::sort(events.begin(), events.end());
    std::map<std::string, int> now;
    *across = false;
    for (const auto& [time, delta, p] : events) {
      now[p] += delta;
      (*peak_per_pin)[p] = std::max((*peak_per_pin)[p], now[p]);
      int busy = 0;
      for (const auto& [q, count] : now) busy += count > 0;
      if (busy > 1) *across = true;
    }
  }

  std::string dir_, log_;
};

TEST_F(FakeGpuMachine, SpreadsEvaluationsOverTheGpusNamed) {
  Install("cuda", {"Stand-in H100", "Stand-in H100", "Stand-in H100", "Stand-in H100"});
  EvaluatorOptions base = Options();
  Environment env = Probe(base);
  ASSERT_EQ(env.device_count(), 4);
  auto pool = EvaluatorPool::Create(base, env, {"1,3", 1, 0}, Env({}));
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->capacity(), 2);
  EXPECT_EQ((*pool)->description(),
            "GPUs 1 (CUDA_VISIBLE_DEVICES=1), 3 (CUDA_VISIBLE_DEVICES=3): 1 evaluation(s) at once on each");
  auto results = RunMany(**pool, 6);
  std::map<int, int> per_gpu;
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_gpu()) << r.message();
    ++per_gpu[r.gpu().index()];
    // The worker saw the pin the result names.
    EXPECT_EQ(r.message(), absl::StrCat("CUDA_VISIBLE_DEVICES=", r.gpu().visible_devices()));
    EXPECT_EQ(r.gpu().name(), "Stand-in H100");
  }
  EXPECT_EQ(per_gpu[1] + per_gpu[3], 6);
  EXPECT_GE(per_gpu[1], 1);
  EXPECT_GE(per_gpu[3], 1);
  std::map<std::string, int> peak;
  bool across = false;
  Overlaps(&peak, &across);
  EXPECT_EQ(peak["1"], 1) << "two evaluations at once on GPU 1";
  EXPECT_EQ(peak["3"], 1) << "two evaluations at once on GPU 3";
  EXPECT_TRUE(across) << "the GPUs never ran evaluations at the same time";
}

TEST_F(FakeGpuMachine, SeveralPerGpuGetALockEach) {
  Install("rocm", {"Stand-in MI300X", "Stand-in MI300X"});
  EvaluatorOptions base = Options();
  Environment env = Probe(base);
  auto pool = EvaluatorPool::Create(base, env, {"all", 2, 0}, Env({{"HIP_VISIBLE_DEVICES", "0,1"}}));
  ASSERT_TRUE(pool.ok()) << pool.status();
  ASSERT_EQ((*pool)->slots(), 2);
  EXPECT_EQ((*pool)->capacity(), 4);
  EXPECT_EQ((*pool)->options(0).settings.gpu_lock_path(), base.scratch_dir + "/gpu-0.lock");
  EXPECT_EQ((*pool)->options(1).settings.gpu_lock_path(), base.scratch_dir + "/gpu-1.lock");
  auto results = RunMany(**pool, 8);
  for (const auto& r : results) EXPECT_EQ(r.message(), absl::StrCat("HIP_VISIBLE_DEVICES=", r.gpu().visible_devices()));
  std::map<std::string, int> peak;
  bool across = false;
  Overlaps(&peak, &across);
  EXPECT_LE(peak["0"], 2);
  EXPECT_LE(peak["1"], 2);
  EXPECT_EQ(peak["0"] + peak["1"], 4) << "not every slot was used";
}

TEST_F(FakeGpuMachine, AGpuPastTheMachineIsNamed) {
  Install("cuda", {"Stand-in H100", "Stand-in H100"});
  EvaluatorOptions base = Options();
  auto pool = EvaluatorPool::Create(base, Probe(base), {"0,7", 1, 0}, Env({}));
  ASSERT_FALSE(pool.ok());
  EXPECT_THAT(Message(pool.status()), HasSubstr("--gpus=0,7: GPU 7 does not exist: torch sees 2 GPU(s) here (0-1)"));
}

TEST_F(FakeGpuMachine, APinThatDoesNotWorkIsRefused) {
  Install("cuda", {"Stand-in H100", "Stand-in H100"}, /*ignore_pin=*/true);
  EvaluatorOptions base = Options();
  auto pool = EvaluatorPool::Create(base, Probe(base), {"1", 1, 0}, Env({}));
  ASSERT_FALSE(pool.ok());
  EXPECT_THAT(Message(pool.status()),
              HasSubstr("a worker pinned to GPU 1 (CUDA_VISIBLE_DEVICES=1) sees 2 GPU(s) on backend 'cuda'"));
}

TEST_F(FakeGpuMachine, GpusOfAnotherKindAreRefused) {
  Install("cuda", {"Stand-in H100", "Stand-in A100"});
  EvaluatorOptions base = Options();
  auto pool = EvaluatorPool::Create(base, Probe(base), {"all", 1, 0}, Env({}));
  ASSERT_FALSE(pool.ok());
  EXPECT_THAT(Message(pool.status()), HasSubstr("GPU 1 (CUDA_VISIBLE_DEVICES=1) is a Stand-in A100, GPU 0 a Stand-in H100"));
}

TEST_F(FakeGpuMachine, NoFlagIsOneEvaluatorAsTheRunnerIs) {
  Install("cuda", {"Stand-in H100", "Stand-in H100"});
  EvaluatorOptions base = Options();
  auto pool = EvaluatorPool::Create(base, Probe(base), {"", 3, 0}, Env({}));
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->capacity(), 3);
  EXPECT_EQ((*pool)->description(), "");
  auto results = RunMany(**pool, 1);
  EXPECT_FALSE(results[0].has_gpu());
}

// The CPU interpreter: slots that pin nothing with --device=cpu; refused otherwise.
TEST_F(FakeGpuMachine, CpuSlotsPinNothing) {
  Install("cuda", {"unused"});
  Environment cpu;
  cpu.set_backend("cpu-interpreter");
  cpu.set_device_count(2);
  auto pool = EvaluatorPool::Create(Options("cpu"), cpu, {"0,1", 1, 0}, Env({}));
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->capacity(), 2);
  EXPECT_FALSE((*pool)->options(0).gpu.has_value());
  EXPECT_THAT(Message(EvaluatorPool::Create(Options("cpu"), cpu, {"all", 1, 0}, Env({})).status()),
              HasSubstr("--gpus=all: the CPU interpreter has no GPUs to count"));
  EXPECT_THAT(Message(EvaluatorPool::Create(Options("auto"), cpu, {"0", 1, 0}, Env({})).status()),
              HasSubstr("--gpus=0: no GPU here (torch sees none"));
}

}  // namespace
}  // namespace tritonbench
