#include "harness/task_loader.h"


#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "re2/re2.h"

namespace tritonbench {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

const std::set<std::string>& FloatingDtypes() {
  static const auto* kSet = new std::set<std::string>{
      "float32", "float16", "bfloat16", "float64", "float8_e4m3fn", "float8_e5m2",
      "float8_e4m3fnuz", "float8_e5m2fnuz"};
  return *kSet;
}

const std::set<std::string>& OtherDtypes() {
  static const auto* kSet = new std::set<std::string>{
      "int8", "uint8", "int16", "int32", "int64", "bool"};
  return *kSet;
}

// Collects the parser's errors as "path:line:column: message" (1-based).
class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectErrors(std::string path) : path_(std::move(path)) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  std::string Joined() const { return absl::StrJoin(errors_, "\n"); }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

// Builds messages that point at the line of a field, using the parser's locations.
class Locator {
 public:
  Locator(std::string path, const TextFormat::ParseInfoTree* tree)
      : path_(std::move(path)), tree_(tree) {}

  // Error at top-level `field` (index for repeated fields, -1 otherwise).
  absl::Status At(const char* field, int index, const std::string& what) const {
    return Error(tree_, field, index, field, what);
  }

  // Error at `sub` inside the index-th element of repeated message field `field`.
  absl::Status AtNested(const char* field, int index, const char* sub, int sub_index,
                        const std::string& what) const {
    const FieldDescriptor* fd = TaskSpec::descriptor()->FindFieldByName(field);
    const TextFormat::ParseInfoTree* nested =
        tree_ == nullptr ? nullptr : tree_->GetTreeForNested(fd, index);
    std::string name = absl::StrCat(field, "[", index, "].", sub);
    if (sub_index >= 0) absl::StrAppend(&name, "[", sub_index, "]");
    if (nested == nullptr) return Error(tree_, field, index, name, what);
    const auto* message = fd->message_type();
    const FieldDescriptor* sfd = message->FindFieldByName(sub);
    auto loc = nested->GetLocation(sfd, sfd->is_repeated() ? std::max(sub_index, 0) : -1);
    if (loc.line < 0) return Error(tree_, field, index, name, what);
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ":", loc.line + 1, ":", loc.column + 1, ": ", name, ": ", what));
  }

 private:
  absl::Status Error(const TextFormat::ParseInfoTree* tree, const char* field, int index,
                     const std::string& name, const std::string& what) const {
    const FieldDescriptor* fd = TaskSpec::descriptor()->FindFieldByName(field);
    std::string where = path_;
    if (tree != nullptr && fd != nullptr) {
      auto loc = tree->GetLocation(fd, fd->is_repeated() ? std::max(index, 0) : -1);
      if (loc.line >= 0) where = absl::StrCat(path_, ":", loc.line + 1, ":", loc.column + 1);
    }
    std::string label = name;
    if (index >= 0 && name == field) label = absl::StrCat(field, "[", index, "]");
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", label, ": ", what));
  }

  std::string path_;
  const TextFormat::ParseInfoTree* tree_;
};

absl::Status ValidateCases(const TaskSpec& spec, const Locator& at, const char* field,
                           bool correctness) {
  const auto& cases = correctness ? spec.correctness_cases() : spec.performance_cases();
  std::set<std::string> names;
  for (int i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    if (c.name().empty()) return at.AtNested(field, i, "name", -1, "a case needs a name");
    if (!names.insert(c.name()).second) {
      return at.AtNested(field, i, "name", -1, absl::StrCat("duplicate case name '", c.name(), "'"));
    }
    if (!c.dtype().empty() && !IsKnownDtype(c.dtype())) {
      return at.AtNested(field, i, "dtype", -1, absl::StrCat("unknown dtype '", c.dtype(), "'"));
    }
    if (correctness && c.seeds().empty()) {
      return at.AtNested(field, i, "seeds", -1, "at least one seed is required");
    }
    for (const auto& [key, value] : c.dims()) {
      if (value <= 0) {
        return at.AtNested(field, i, "dims", -1,
                           absl::StrCat("dimension '", key, "' must be positive, got ", value));
      }
    }
    if (c.flops() < 0) return at.AtNested(field, i, "flops", -1, "must not be negative");
    if (c.bytes() < 0) return at.AtNested(field, i, "bytes", -1, "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status Validate(const TaskSpec& spec, const Locator& at) {
  static const RE2 kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
  static const RE2 kTaskId("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  if (!RE2::FullMatch(spec.id(), kTaskId)) {
    return at.At("id", -1, absl::StrCat("must be a non-empty name of letters, digits, '_', '.', '-'; got '", spec.id(), "'"));
  }
  if (spec.suite().empty()) return at.At("suite", -1, "is required");
  if (spec.category().empty()) return at.At("category", -1, "is required");
  if (spec.instruction().empty()) return at.At("instruction", -1, "is required");
  if (spec.has_upstream()) {
    // Judged by running the upstream test code: no entry point, cases of its own.
    if (spec.upstream().kind() == UpstreamTask::KIND_UNSPECIFIED) {
      return at.At("upstream", -1, "upstream.kind is required (TRITONBENCH_G or ROCM)");
    }
    if (spec.upstream().file().empty()) return at.At("upstream", -1, "upstream.file is required");
    if (spec.upstream().atol() < 0 || spec.upstream().rtol() < 0) {
      return at.At("upstream", -1, "upstream.atol and upstream.rtol must not be negative");
    }
    if (spec.correctness_cases_size() > 0) {
      return at.At("correctness_cases", 0, "an upstream task is judged by its upstream tests, not by cases");
    }
  } else if (!RE2::FullMatch(spec.entry_point(), kIdentifier)) {
    return at.At("entry_point", -1, absl::StrCat("must be a Python identifier; got '", spec.entry_point(), "'"));
  }
  if (!spec.has_upstream() && !absl::StartsWith(spec.signature(), absl::StrCat("def ", spec.entry_point(), "("))) {
    return at.At("signature", -1, absl::StrCat("must start with 'def ", spec.entry_point(), "('"));
  }
  if (!spec.has_upstream() && spec.correctness_cases().empty()) {
    return at.At("correctness_cases", -1, "at least one correctness case is required");
  }
  if (auto s = ValidateCases(spec, at, "correctness_cases", true); !s.ok()) return s;
  if (auto s = ValidateCases(spec, at, "performance_cases", false); !s.ok()) return s;

  std::set<std::string> tolerance_dtypes;
  for (int i = 0; i < spec.tolerances_size(); ++i) {
    const Tolerance& t = spec.tolerances(i);
    if (!IsFloatingDtype(t.dtype())) {
      return at.AtNested("tolerances", i, "dtype", -1,
                         absl::StrCat("'", t.dtype(), "' is not a floating dtype (other dtypes compare exactly)"));
    }
    if (!tolerance_dtypes.insert(t.dtype()).second) {
      return at.AtNested("tolerances", i, "dtype", -1, absl::StrCat("duplicate tolerance for ", t.dtype()));
    }
    if (t.atol() < 0 || t.rtol() < 0) {
      return at.AtNested("tolerances", i, "atol", -1, "atol and rtol must not be negative");
    }
  }
  for (int i = 0; i < spec.correctness_cases_size(); ++i) {
    const std::string& dtype = spec.correctness_cases(i).dtype();
    if (IsFloatingDtype(dtype) && !tolerance_dtypes.count(dtype)) {
      return at.AtNested("correctness_cases", i, "dtype", -1,
                         absl::StrCat("no tolerances entry for dtype ", dtype));
    }
  }
  for (int i = 0; i < spec.mutated_args_size(); ++i) {
    if (spec.mutated_args(i) < 0) return at.At("mutated_args", i, "must not be negative");
  }
  for (int i = 0; i < spec.required_features_size(); ++i) {
    if (spec.required_features(i) == FEATURE_UNSPECIFIED) {
      return at.At("required_features", i, "FEATURE_UNSPECIFIED is not a feature");
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsFloatingDtype(const std::string& name) { return FloatingDtypes().count(name) > 0; }

bool IsKnownDtype(const std::string& name) {
  return IsFloatingDtype(name) || OtherDtypes().count(name) > 0;
}

absl::StatusOr<TaskSpec> ParseTaskSpec(const std::string& text, const std::string& path) {
  TaskSpec spec;
  TextFormat::Parser parser;
  CollectErrors errors(path);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &spec)) {
    return absl::InvalidArgumentError(errors.Joined());
  }
  Locator at(path, &tree);
  if (auto s = Validate(spec, at); !s.ok()) return s;
  return spec;
}

absl::StatusOr<Task> LoadTask(const std::string& task_dir) {
  Task task;
  task.dir = std::string(absl::StripSuffix(task_dir, "/"));
  auto text = ReadFile(task.SpecPath());
  if (!text.ok()) return absl::NotFoundError(absl::StrCat(task.SpecPath(), ": cannot read task spec"));
  auto spec = ParseTaskSpec(*text, task.SpecPath());
  if (!spec.ok()) return spec.status();
  task.spec = *std::move(spec);
  if (task.spec.id() != BaseName(task.dir)) {
    return absl::InvalidArgumentError(absl::StrCat(
        task.SpecPath(), ": id: '", task.spec.id(), "' must equal the folder name '",
        BaseName(task.dir), "'"));
  }
  const std::string second = task.spec.has_upstream() ? task.UpstreamTestPath() : task.ReferencePath();
  for (const std::string& file : {task.KernelPath(), second}) {
    if (!IsRegularFile(file)) return absl::NotFoundError(absl::StrCat(file, ": missing"));
  }
  return task;
}

}  // namespace tritonbench
