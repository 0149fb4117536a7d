#include "harness/environment_check.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Task MakeTask(const std::string& id, std::vector<Feature> features) {
  Task t;
  t.spec.set_id(id);
  for (Feature f : features) t.spec.add_required_features(f);
  return t;
}

Environment Mi300() {
  Environment env;
  env.set_backend("rocm");
  env.set_device_name("AMD Instinct MI300X");
  env.set_device_arch("gfx942:sramecc+:xnack-");
  for (const char* f : {"TL_DOT", "FP16", "BF16", "FP8_E4M3", "FP8_E4M3FNUZ"}) env.add_supported_features(f);
  return env;
}

TEST(CheckEnvironmentTest, AFatalStackProblemStopsTheRunNamingTheFix) {
  Environment env = Mi300();
  StackProblem* p = env.add_stack_problems();
  p->set_fatal(true);
  p->set_problem("torch 2.7.1+rocm6.3 is a ROCM build, but triton 3.3.1 has no 'amd' backend");
  p->set_fix("pip install pytorch-triton-rocm==3.3.1");
  auto notices = CheckEnvironment(env, {});
  ASSERT_FALSE(notices.ok());
  EXPECT_EQ(notices.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(notices.status().message(), HasSubstr("AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm)"));
  EXPECT_THAT(notices.status().message(), HasSubstr("has no 'amd' backend"));
  EXPECT_THAT(notices.status().message(), HasSubstr("fix: pip install pytorch-triton-rocm==3.3.1"));
}

TEST(CheckEnvironmentTest, ANonFatalProblemIsAWarning) {
  Environment env = Mi300();
  StackProblem* p = env.add_stack_problems();
  p->set_problem("torch was built against triton==3.6.0, but this environment has triton 3.5.1");
  p->set_fix("pip install triton==3.6.0");
  auto notices = CheckEnvironment(env, {});
  ASSERT_TRUE(notices.ok()) << notices.status();
  EXPECT_THAT(*notices, ElementsAre("warning: torch was built against triton==3.6.0, but this environment has "
                                    "triton 3.5.1\n  fix: pip install triton==3.6.0"));
}

TEST(CheckEnvironmentTest, NamesTheTasksTheDeviceRulesOutPerFeature) {
  std::vector<Task> tasks = {MakeTask("gemm", {TL_DOT}), MakeTask("fp8_a", {TL_DOT, FP8_E4M3}),
                             MakeTask("tma_a", {TL_DOT, TMA}), MakeTask("tma_b", {TMA, FP4}),
                             MakeTask("fnuz", {FP8_E4M3FNUZ})};
  auto notices = CheckEnvironment(Mi300(), tasks);
  ASSERT_TRUE(notices.ok()) << notices.status();
  EXPECT_THAT(*notices,
              ElementsAre("AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm) lacks FP4: 1 task(s) will be skipped "
                          "as UNSUPPORTED (tma_b)",
                          "AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm) lacks TMA: 2 task(s) will be skipped "
                          "as UNSUPPORTED (tma_a, tma_b)"));
}

TEST(CheckEnvironmentTest, AProbeWithoutFeaturesSkipsNothingQuietly) {
  Environment env;
  env.set_device_name("NVIDIA H100");
  auto notices = CheckEnvironment(env, {MakeTask("fp8_a", {FP8_E4M3})});
  ASSERT_TRUE(notices.ok());
  EXPECT_TRUE(notices->empty());
}

}  // namespace
}  // namespace tritonbench
