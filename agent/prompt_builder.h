// Builds the prompts of every configuration from the template files under
// agent/prompts/ (version-controlled text with {{name}} placeholders):
//   system.txt       the system message
//   task.txt         the task: hardware, id, instruction, signature, then sections:
//   reference.txt    the ground-truth kernel to speed up (tasks with reference_in_prompt)
//   example.txt      one-shot: the retrieved corpus example
//   knowledge.txt    knowledge injection: hardware notes and Triton guidance
//   reflections.txt  the reflector's lessons
//   debug.txt        the failing code and its error, to fix
//   optimize.txt     the optimizer's (code, latency) history, to beat
//   reflect.txt      the reflector's own request (error + code -> lessons)
#ifndef TRITONBENCH_AGENT_PROMPT_BUILDER_H_
#define TRITONBENCH_AGENT_PROMPT_BUILDER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/proto/llm.pb.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// Replaces every {{name}} in `text` with vars[name]. InvalidArgument naming the
// placeholder when `text` uses one that `vars` lacks.
absl::StatusOr<std::string> FillTemplate(const std::string& text, const std::map<std::string, std::string>& vars);

struct CorpusExampleText {
  std::string name;
  std::string description;
  std::string code;
};

// What goes into one generation prompt besides the task itself; empty parts add nothing.
struct PromptContext {
  std::optional<CorpusExampleText> example;
  std::string knowledge;
  std::vector<std::string> reflections;
  // Debugging: the failing candidate's code and the harness's verdict.
  std::string debug_code;
  FailureKind debug_failure = NONE;
  std::string debug_error;
  // Optimizing: correct candidates' code and median latency (ms), oldest first.
  std::vector<std::pair<std::string, double>> history;
};

class PromptBuilder {
 public:
  // Reads every template from `dir`; NotFound naming the missing file.
  static absl::StatusOr<PromptBuilder> Load(const std::string& dir, std::string hardware);

  // The system and user messages asking for a kernel for `task`. Reads the task's
  // kernel.py when its spec has reference_in_prompt. A task imported from GEAK-eval
  // (TaskSpec.upstream) is posed as upstream poses it: the user message is its
  // instruction byte for byte, followed only by the sections a configuration adds
  // (example, knowledge, reflections, debug, optimize); no task.txt around it.
  absl::StatusOr<std::vector<ChatMessage>> Generation(const Task& task, const PromptContext& context) const;

  // Every template as read, keyed by file name ("system.txt").
  std::map<std::string, std::string> Files() const;

  // The reflector's request for a failed candidate.
  absl::StatusOr<std::vector<ChatMessage>> Reflection(const Task& task, const std::string& code,
                                                      FailureKind failure, const std::string& error) const;

 private:
  PromptBuilder(std::map<std::string, std::string> templates, std::string hardware)
      : templates_(std::move(templates)), hardware_(std::move(hardware)) {}
  absl::StatusOr<std::string> Section(const std::string& name, const std::map<std::string, std::string>& vars) const;

  std::map<std::string, std::string> templates_;
  std::string hardware_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_PROMPT_BUILDER_H_
