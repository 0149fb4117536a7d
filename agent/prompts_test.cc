// Prompt templates, code extraction, knowledge notes and the checked-in configurations.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "agent/code_extraction.h"
#include "agent/configuration.h"
#include "agent/provenance.h"
#include "agent/knowledge.h"
#include "agent/prompt_builder.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

TEST(ExtractPythonCode, TakesTheLongestPythonBlock) {
  auto code = ExtractPythonCode("Here:\n```python\nx = 1\n```\nand the module:\n```python\nimport triton\ny = 2\n```\n");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, "import triton\ny = 2\n");
}

TEST(ExtractPythonCode, AcceptsUntaggedBlockMentioningTriton) {
  auto code = ExtractPythonCode("```\nimport triton\n```");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, "import triton\n");
}

TEST(ExtractPythonCode, UnterminatedBlockRunsToTheEnd) {
  auto code = ExtractPythonCode("```python\nimport triton\nz = 3");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, "import triton\nz = 3\n");
}

TEST(ExtractPythonCode, FailsClearlyWithoutABlock) {
  auto code = ExtractPythonCode("I cannot help with that.");
  ASSERT_FALSE(code.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(code.status()));
  EXPECT_TRUE(absl::StrContains(code.status().message(), "no ```python block")) << code.status();
  EXPECT_TRUE(absl::StrContains(code.status().message(), "I cannot help")) << code.status();
  EXPECT_FALSE(ExtractPythonCode("```python\n\n```").ok());
}

TEST(FillTemplate, ReplacesAndRejectsUnknownPlaceholders) {
  auto s = FillTemplate("a {{x}} b {{y}}", {{"x", "1"}, {"y", "{{x}}"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "a 1 b {{x}}");  // values are not re-expanded
  auto bad = FillTemplate("{{nope}}", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "{{nope}}"));
}

TEST(PromptBuilder, ZeroShotPromptNamesTaskSignatureAndHardware) {
  auto builder = PromptBuilder::Load("agent/prompts", "MI300");
  ASSERT_TRUE(builder.ok()) << builder.status();
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  ASSERT_TRUE(task.ok()) << task.status();
  auto messages = builder->Generation(*task, {});
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].role(), ChatMessage::SYSTEM);
  const std::string& user = (*messages)[1].content();
  EXPECT_TRUE(absl::StrContains(user, "Target hardware: MI300."));
  EXPECT_TRUE(absl::StrContains(user, task->spec.signature()));
  EXPECT_TRUE(absl::StrContains(user, "adds two 1-D tensors"));
  EXPECT_FALSE(absl::StrContains(user, "working Triton implementation")) << "no reference for this task";
  EXPECT_FALSE(absl::StrContains(user, "{{"));
}

TEST(PromptBuilder, ReferenceTaskShowsItsKernelAndSectionsAppear) {
  auto builder = PromptBuilder::Load("agent/prompts", "H100");
  ASSERT_TRUE(builder.ok()) << builder.status();
  auto task = LoadTask("suites/rocm/test_triton_flip");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_TRUE(task->spec.reference_in_prompt());
  PromptContext context;
  context.example = CorpusExampleText{"ex_name", "ex description", "ex_code()"};
  auto knowledge = LoadKnowledge("agent/knowledge", "H100");
  ASSERT_TRUE(knowledge.ok()) << knowledge.status();
  context.knowledge = *knowledge;
  context.reflections = {"use a mask"};
  context.debug_code = "bad_code()";
  context.debug_failure = WRONG_VALUES;
  context.debug_error = "max abs error 3";
  context.history = {{"v1()", 2.5}};
  auto messages = builder->Generation(*task, context);
  ASSERT_TRUE(messages.ok()) << messages.status();
  const std::string& user = (*messages)[1].content();
  EXPECT_TRUE(absl::StrContains(user, "working Triton implementation"));
  EXPECT_TRUE(absl::StrContains(user, "@triton.jit"));
  EXPECT_TRUE(absl::StrContains(user, "ex_name: ex description"));
  EXPECT_TRUE(absl::StrContains(user, "132 streaming multiprocessors"));
  EXPECT_TRUE(absl::StrContains(user, "- use a mask"));
  EXPECT_TRUE(absl::StrContains(user, "WRONG_VALUES: max abs error 3"));
  EXPECT_TRUE(absl::StrContains(user, "Version 1: 2.5000 ms"));
  auto reflect = builder->Reflection(*task, "bad_code()", WRONG_VALUES, "boom");
  ASSERT_TRUE(reflect.ok()) << reflect.status();
  EXPECT_TRUE(absl::StrContains((*reflect)[0].content(), "bad_code()"));
}

// A task folder as tools/import_upstream writes it, with `instruction` as upstream gives it.
Task UpstreamTask(const std::string& instruction) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "geak_rocm" / "test_axpy";
  std::filesystem::create_directories(dir);
  TaskSpec spec;
  spec.set_id("test_axpy");
  spec.set_suite("geak_rocm");
  spec.set_category("upstream");
  spec.set_instruction(instruction);
  spec.mutable_upstream()->set_kind(UpstreamTask::ROCM);
  spec.mutable_upstream()->set_file("test_axpy.py");
  Task task;
  task.spec = spec;
  task.dir = dir.string();
  return task;
}

TEST(PromptBuilder, UpstreamTaskIsPosedExactlyAsUpstreamPosesIt) {
  auto builder = PromptBuilder::Load("agent/prompts", "MI300");
  ASSERT_TRUE(builder.ok()) << builder.status();
  // Leading and trailing white space, as the instruction file has it, are kept.
  const std::string instruction =
      "\nComplete the kernel below, keeping its signature:\n\n@triton.jit  \n"
      "def axpy_kernel(x_ptr, y_ptr, out_ptr, alpha, n, BLOCK: tl.constexpr):  \n    # Your code here\n";
  Task task = UpstreamTask(instruction);
  auto messages = builder->Generation(task, {});
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[1].content(), instruction);
  EXPECT_FALSE(absl::StrContains((*messages)[1].content(), "Target hardware"));

  // One-shot and the agent add their sections after it, unchanged.
  PromptContext context;
  context.example = CorpusExampleText{"ex_name", "ex description", "ex_code()"};
  context.reflections = {"use a mask"};
  messages = builder->Generation(task, context);
  ASSERT_TRUE(messages.ok()) << messages.status();
  const std::string& user = (*messages)[1].content();
  EXPECT_TRUE(absl::StartsWith(user, instruction));
  EXPECT_TRUE(absl::StrContains(user, "ex_name: ex description"));
  EXPECT_TRUE(absl::StrContains(user, "- use a mask"));
}

TEST(Knowledge, UnknownHardwareIsNotFound) {
  EXPECT_TRUE(LoadKnowledge("agent/knowledge", "MI300").ok());
  EXPECT_TRUE(absl::IsNotFound(LoadKnowledge("agent/knowledge", "TPU").status()));
}

TEST(Configuration, EveryCheckedInConfigurationLoads) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("agent/configs")) {
    auto config = LoadConfiguration(entry.path().string());
    EXPECT_TRUE(config.ok()) << config.status();
    if (config.ok()) {
      EXPECT_EQ(config->name() + ".textproto", entry.path().filename().string());
    }
    ++n;
  }
  EXPECT_GE(n, 8);
  auto geak = LoadConfiguration("agent/configs/geak_agent.textproto");
  ASSERT_TRUE(geak.ok());
  EXPECT_EQ(geak->model().temperature(), 1.0);
  EXPECT_TRUE(geak->agent().reflector() && geak->agent().optimizer() && geak->knowledge());
}

// An ablation names geak_agent as its base and holds only what it changes: its
// effective configuration is geak_agent's with those fields, and hashes as the same
// configuration written out in full does (the run's provenance).
TEST(Configuration, AnOverlayIsItsBaseWithItsChanges) {
  auto geak = LoadConfiguration("agent/configs/geak_agent.textproto");
  ASSERT_TRUE(geak.ok());
  struct Ablation {
    std::string name;
    void (*change)(Configuration*);
  };
  const std::vector<Ablation> ablations = {
      {"geak_no_reflector", [](Configuration* c) { c->mutable_agent()->set_reflector(false); }},
      {"geak_no_optimizer", [](Configuration* c) { c->mutable_agent()->set_optimizer(false); }},
      {"geak_no_debug_trap", [](Configuration* c) { c->mutable_agent()->set_max_debug_attempts(0); }},
      {"geak_no_parallel", [](Configuration* c) { c->mutable_agent()->set_parallel_runs(1); }},
      {"geak_no_knowledge", [](Configuration* c) { c->set_knowledge(false); }},
  };
  for (const auto& a : ablations) {
    auto overlay = LoadConfiguration("agent/configs/" + a.name + ".textproto");
    ASSERT_TRUE(overlay.ok()) << overlay.status();
    EXPECT_TRUE(overlay->base().empty()) << "the effective configuration names no base";
    Configuration expected = *geak;
    expected.set_name(a.name);
    expected.set_description(overlay->description());
    a.change(&expected);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*overlay, expected))
        << a.name << ":\n" << overlay->DebugString() << "\nexpected:\n" << expected.DebugString();
    EXPECT_EQ(ConfigurationSha256(*overlay), ConfigurationSha256(expected)) << a.name;
    EXPECT_NE(ConfigurationSha256(*overlay), ConfigurationSha256(*geak)) << a.name;
  }
}

TEST(Configuration, ABaseThatIsMissingOrComesBackIsRefused) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/overlays";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a.textproto") << "base: \"b.textproto\"\nname: \"a\"\n";
  std::ofstream(dir + "/b.textproto") << "base: \"a.textproto\"\nname: \"b\"\n";
  std::ofstream(dir + "/c.textproto") << "base: \"nowhere.textproto\"\nname: \"c\"\n";
  auto cycle = LoadConfiguration(dir + "/a.textproto");
  ASSERT_FALSE(cycle.ok());
  EXPECT_TRUE(absl::StrContains(cycle.status().message(), "comes back to this file")) << cycle.status();
  auto missing = LoadConfiguration(dir + "/c.textproto");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(), dir + "/c.textproto: base: ")) << missing.status();
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "nowhere.textproto is not a file")) << missing.status();
}

TEST(Configuration, ReportsTheFieldAtFault) {
  Configuration c;
  c.set_name("x");
  c.set_strategy(GEAK_AGENT);
  c.mutable_model()->set_provider("openai");
  c.mutable_model()->set_name("m");
  c.set_hardware("H100");
  c.set_prompts_dir("agent/prompts");
  auto bad = ValidateConfiguration(c, "mem");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "agent.iterations")) << bad.status();
  c.mutable_agent()->set_iterations(2);
  c.set_llm_requests_per_minute(-1);
  auto negative = ValidateConfiguration(c, "mem");
  ASSERT_FALSE(negative.ok());
  EXPECT_TRUE(absl::StrContains(negative.status().message(), "mem: llm_requests_per_minute")) << negative.status();
  c.set_llm_requests_per_minute(60);
  auto good = ValidateConfiguration(c, "mem");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->agent().candidates_per_round(), 1);
  EXPECT_EQ(SamplingText(good->model()), "temperature=1");
}

}  // namespace
}  // namespace tritonbench
