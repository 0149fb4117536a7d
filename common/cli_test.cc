#include "common/cli.h"

#include <signal.h>
#include <stdlib.h>

#include <atomic>

#include "gtest/gtest.h"

namespace tritonbench {
namespace {

TEST(UserPathTest, RelativePathsStartWhereTheUserStood) {
  unsetenv("BUILD_WORKING_DIRECTORY");
  EXPECT_EQ(UserPath("runs/a"), "runs/a");
  setenv("BUILD_WORKING_DIRECTORY", "/home/me/tb", 1);
  EXPECT_EQ(UserPath("runs/a"), "/home/me/tb/runs/a");
  EXPECT_EQ(UserPath("/abs/runs"), "/abs/runs");
  EXPECT_EQ(UserPath(""), "");
  unsetenv("BUILD_WORKING_DIRECTORY");
}

TEST(PythonInterpreterTest, FlagThenEnvironmentThenPython3) {
  unsetenv("TB_PYTHON");
  EXPECT_EQ(PythonInterpreter(""), "python3");
  setenv("TB_PYTHON", "", 1);
  EXPECT_EQ(PythonInterpreter(""), "python3") << "an empty variable counts as unset";
  setenv("TB_PYTHON", "/venv/bin/python", 1);
  EXPECT_EQ(PythonInterpreter(""), "/venv/bin/python");
  EXPECT_EQ(PythonInterpreter("/opt/python3.12"), "/opt/python3.12");
  unsetenv("TB_PYTHON");
}

TEST(StopOnSignalsTest, EachStopSignalSetsTheFlag) {
  static std::atomic<bool> stop{false};
  StopOnSignals(&stop);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    stop.store(false);
    ASSERT_EQ(raise(sig), 0);
    EXPECT_TRUE(stop.load()) << "signal " << sig;
  }
}

TEST(EnvironmentLineTest, NamesDeviceRuntimeAndVersions) {
  Environment env;
  env.set_device_name("NVIDIA H100 80GB HBM3");
  env.set_backend("cuda");
  env.set_runtime_version("12.8");
  env.set_driver_version("570.1");
  env.set_torch_version("2.10.0");
  env.set_triton_version("3.6.0");
  env.set_python_version("3.12.3");
  EXPECT_EQ(EnvironmentLine(env),
            "NVIDIA H100 80GB HBM3 (cuda 12.8, driver 570.1), torch 2.10.0, triton 3.6.0, python 3.12.3");
  Environment cpu;
  cpu.set_device_name("AMD EPYC");
  cpu.set_backend("cpu-interpreter");
  cpu.set_torch_version("2.13.0+cpu");
  cpu.set_triton_version("3.6.0");
  cpu.set_python_version("3.11.7");
  EXPECT_EQ(EnvironmentLine(cpu), "AMD EPYC (cpu-interpreter), torch 2.13.0+cpu, triton 3.6.0, python 3.11.7");
}

}  // namespace
}  // namespace tritonbench
