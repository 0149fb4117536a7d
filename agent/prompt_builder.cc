#include "agent/prompt_builder.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"

namespace tritonbench {
namespace {

const char* const kTemplates[] = {"system",      "task",  "reference", "example", "knowledge",
                                  "reflections", "debug", "optimize",  "reflect"};

ChatMessage Message(ChatMessage::Role role, std::string content) {
  ChatMessage m;
  m.set_role(role);
  m.set_content(std::move(content));
  return m;
}

std::string Trimmed(const std::string& s) { return std::string(absl::StripTrailingAsciiWhitespace(s)); }

// Messages of candidates can be long (tracebacks); the prompt keeps the end.
std::string Tail(const std::string& s, size_t n = 2000) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }

}  // namespace

absl::StatusOr<std::string> FillTemplate(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 2, close - open - 2);
    auto it = vars.find(name);
    if (it == vars.end()) return absl::InvalidArgumentError(absl::StrCat("template uses {{", name, "}}, which is not given"));
    out += text.substr(pos, open - pos);
    out += it->second;
    pos = close + 2;
  }
  out += text.substr(pos);
  return out;
}

absl::StatusOr<PromptBuilder> PromptBuilder::Load(const std::string& dir, std::string hardware) {
  std::map<std::string, std::string> templates;
  for (const char* name : kTemplates) {
    auto text = ReadFile(absl::StrCat(dir, "/", name, ".txt"));
    if (!text.ok()) return absl::NotFoundError(absl::StrCat("prompt template missing: ", text.status().message()));
    templates[name] = *std::move(text);
  }
  return PromptBuilder(std::move(templates), std::move(hardware));
}

std::map<std::string, std::string> PromptBuilder::Files() const {
  std::map<std::string, std::string> files;
  for (const auto& [name, text] : templates_) files[absl::StrCat(name, ".txt")] = text;
  return files;
}

absl::StatusOr<std::string> PromptBuilder::Section(const std::string& name,
                                                   const std::map<std::string, std::string>& vars) const {
  auto filled = FillTemplate(templates_.at(name), vars);
  if (!filled.ok()) return absl::InvalidArgumentError(absl::StrCat(name, ".txt: ", filled.status().message()));
  return *filled;
}

absl::StatusOr<std::vector<ChatMessage>> PromptBuilder::Generation(const Task& task,
                                                                   const PromptContext& context) const {
  std::map<std::string, std::string> vars = {{"hardware", hardware_},
                                             {"task_id", task.spec.id()},
                                             {"instruction", Trimmed(task.spec.instruction())},
                                             {"signature", task.spec.signature()},
                                             {"reference_section", ""},
                                             {"example_section", ""},
                                             {"knowledge_section", ""},
                                             {"reflections_section", ""},
                                             {"history_section", ""}};
  if (task.spec.reference_in_prompt()) {
    auto code = ReadFile(task.KernelPath());
    if (!code.ok()) return code.status();
    auto s = Section("reference", {{"reference_code", Trimmed(*code)}});
    if (!s.ok()) return s.status();
    vars["reference_section"] = *s;
  }
  if (context.example) {
    auto s = Section("example", {{"example_name", context.example->name},
                                 {"example_description", context.example->description},
                                 {"example_code", Trimmed(context.example->code)}});
    if (!s.ok()) return s.status();
    vars["example_section"] = *s;
  }
  if (!context.knowledge.empty()) {
    auto s = Section("knowledge", {{"knowledge", Trimmed(context.knowledge)}});
    if (!s.ok()) return s.status();
    vars["knowledge_section"] = *s;
  }
  if (!context.reflections.empty()) {
    std::string lines;
    for (const auto& r : context.reflections) absl::StrAppend(&lines, "- ", Trimmed(r), "\n");
    auto s = Section("reflections", {{"reflections", Trimmed(lines)}});
    if (!s.ok()) return s.status();
    vars["reflections_section"] = *s;
  }
  std::string history;
  if (!context.debug_code.empty()) {
    auto s = Section("debug", {{"code", Trimmed(context.debug_code)},
                               {"failure_kind", FailureKind_Name(context.debug_failure)},
                               {"error", Tail(Trimmed(context.debug_error))}});
    if (!s.ok()) return s.status();
    history += *s;
  }
  if (!context.history.empty()) {
    std::string lines;
    for (size_t i = 0; i < context.history.size(); ++i) {
      absl::StrAppend(&lines, absl::StrFormat("Version %d: %.4f ms\n```python\n", i + 1, context.history[i].second),
                      Trimmed(context.history[i].first), "\n```\n");
    }
    auto s = Section("optimize", {{"history", Trimmed(lines)}});
    if (!s.ok()) return s.status();
    history += *s;
  }
  vars["history_section"] = history;
  if (task.spec.has_upstream()) {
    const std::string user = absl::StrCat(task.spec.instruction(), vars["example_section"], vars["knowledge_section"],
                                          vars["reflections_section"], vars["history_section"]);
    return std::vector<ChatMessage>{Message(ChatMessage::SYSTEM, Trimmed(templates_.at("system"))),
                                    Message(ChatMessage::USER, user)};
  }
  auto user = Section("task", vars);
  if (!user.ok()) return user.status();
  return std::vector<ChatMessage>{Message(ChatMessage::SYSTEM, Trimmed(templates_.at("system"))),
                                  Message(ChatMessage::USER, Trimmed(*user))};
}

absl::StatusOr<std::vector<ChatMessage>> PromptBuilder::Reflection(const Task& task, const std::string& code,
                                                                   FailureKind failure,
                                                                   const std::string& error) const {
  auto user = Section("reflect", {{"task_id", task.spec.id()},
                                  {"instruction", Trimmed(task.spec.instruction())},
                                  {"code", Trimmed(code)},
                                  {"failure_kind", FailureKind_Name(failure)},
                                  {"error", Tail(Trimmed(error))}});
  if (!user.ok()) return user.status();
  return std::vector<ChatMessage>{Message(ChatMessage::USER, Trimmed(*user))};
}

}  // namespace tritonbench
