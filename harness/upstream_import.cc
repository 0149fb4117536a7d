#include "harness/upstream_import.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "harness/proto/task.pb.h"
#include "harness/release.h"
#include "harness/release_cut.h"
#include "harness/suite.h"
#include "harness/task_loader.h"
#include "re2/re2.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

const std::string& Separator() {
  static const std::string* kSeparator = new std::string(146, '#');
  return *kSeparator;
}

// Where one suite lives in a checkout, and how GEAK-eval judges it.
struct SuiteLayout {
  std::string suite;  // kTbgSuite, kRocmSuite
  UpstreamTask::Kind kind;
  std::string data_dir;      // the task files
  std::string instructions;  // the instruction file
  std::string perf_dir;      // TritonBench-revised performance files; empty for ROCm
  std::string our_suite;     // this project's suite of the same tasks (for categories)
  double atol, rtol;         // GEAK-eval's tolerances
};

std::string Path(const std::string& a, const std::string& b) { return (fs::path(a) / b).string(); }

// The commit a git checkout is at ("" when it is none or cannot be read).
std::string ReadCommit(const std::string& checkout) {
  std::string git = Path(checkout, ".git");
  if (IsRegularFile(git)) {  // a worktree: "gitdir: <path>"
    auto text = ReadFile(git);
    if (!text.ok() || !absl::StartsWith(*text, "gitdir:")) return "";
    git = std::string(absl::StripAsciiWhitespace(text->substr(7)));
    if (!fs::path(git).is_absolute()) git = Path(checkout, git);
  }
  auto head = ReadFile(Path(git, "HEAD"));
  if (!head.ok()) return "";
  const std::string line(absl::StripAsciiWhitespace(*head));
  if (RE2::FullMatch(line, "[0-9a-f]{40}")) return line;
  if (!absl::StartsWith(line, "ref: ")) return "";
  const std::string ref = line.substr(5);
  if (auto loose = ReadFile(Path(git, ref)); loose.ok()) {
    std::string hash(absl::StripAsciiWhitespace(*loose));
    return RE2::FullMatch(hash, "[0-9a-f]{40}") ? hash : "";
  }
  // The commondir of a worktree, or the repository itself, may hold the packed refs.
  for (const std::string& dir : {git, Path(git, "../..")}) {
    auto packed = ReadFile(Path(dir, "packed-refs"));
    if (!packed.ok()) continue;
    for (absl::string_view line : absl::StrSplit(*packed, '\n')) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts.size() == 2 && parts[1] == ref && RE2::FullMatch(parts[0], "[0-9a-f]{40}")) return parts[0];
    }
  }
  return "";
}

// Splits a task file at its separator line: false with `why` when it has none, or
// (ROCm, whose evaluator splits the text on it) more than one.
bool SplitTaskFile(const std::string& text, UpstreamTask::Kind kind, std::string* kernel, std::string* tests,
                   std::string* why) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    const size_t line_end = end == std::string::npos ? text.size() : end;
    if (absl::StripAsciiWhitespace(absl::string_view(text).substr(pos, line_end - pos)) == Separator()) {
      if (kind == UpstreamTask::ROCM && text.find(Separator(), text.find(Separator()) + 1) != std::string::npos) {
        *why = "the 146-'#' separator occurs more than once (GEAK-eval's ROCm evaluator splits the file on it)";
        return false;
      }
      *kernel = text.substr(0, pos);
      *tests = end == std::string::npos ? "" : text.substr(end + 1);
      return true;
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  *why = "no separator line (exactly 146 '#') between the golden kernel code and the test code";
  return false;
}

std::string FieldText(const google::protobuf::Struct& entry, const std::string& name) {
  auto it = entry.fields().find(name);
  if (it == entry.fields().end()) return "";
  if (it->second.has_string_value()) return it->second.string_value();
  if (it->second.has_number_value()) return absl::StrCat(it->second.number_value());
  return "";
}

// The category of this project's task `id` in `our_suite_dir`, else "upstream".
std::string Category(const std::string& our_suite_dir, const std::string& id) {
  const std::string spec_path = Path(Path(our_suite_dir, id), "task.textproto");
  if (our_suite_dir.empty() || !IsRegularFile(spec_path)) return "upstream";
  auto text = ReadFile(spec_path);
  if (!text.ok()) return "upstream";
  auto spec = ParseTaskSpec(*text, spec_path);
  return spec.ok() && !spec->category().empty() ? spec->category() : "upstream";
}

struct Entry {
  std::string file, instruction, target_kernel_name;
  int difficulty = 0;
};

// The instruction file's entries, or an error naming it and what was expected; bad
// entries are skipped into `skipped`.
absl::StatusOr<std::vector<Entry>> ReadInstructions(const SuiteLayout& layout,
                                                    std::vector<std::pair<std::string, std::string>>* skipped) {
  const std::string fields = layout.kind == UpstreamTask::TRITONBENCH_G
                                 ? "instruction, input, output, file, difficulty"
                                 : "file, target_kernel_name, instruction, label";
  auto text = ReadFile(layout.instructions);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat(
        layout.instructions, ": missing: expected the instruction file (a JSON list of {", fields,
        "}); GEAK-eval commits after a85e657 dropped it: pass its path from a checkout of a85e657 with --",
        layout.kind == UpstreamTask::TRITONBENCH_G ? "tbg" : "rocm", "_instructions"));
  }
  google::protobuf::ListValue list;
  auto parsed = google::protobuf::util::JsonStringToMessage(*text, &list);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(layout.instructions, ": not a JSON list of {", fields,
                                                   "}: ", std::string(parsed.message())));
  }
  std::vector<Entry> entries;
  std::set<std::string> seen;
  for (int i = 0; i < list.values_size(); ++i) {
    const std::string where = absl::StrCat(layout.instructions, " entry ", i);
    if (!list.values(i).has_struct_value()) {
      skipped->push_back({where, absl::StrCat("not an object with fields ", fields)});
      continue;
    }
    const auto& s = list.values(i).struct_value();
    Entry e;
    e.file = FieldText(s, "file");
    e.instruction = FieldText(s, "instruction");
    e.target_kernel_name = FieldText(s, "target_kernel_name");
    int difficulty = 0;
    if (absl::SimpleAtoi(FieldText(s, "difficulty"), &difficulty)) e.difficulty = difficulty;
    if (!absl::EndsWith(e.file, ".py") || e.file.find('/') != std::string::npos) {
      skipped->push_back({where, absl::StrCat("field file: '", e.file, "' is not a task file name (<name>.py)")});
      continue;
    }
    if (absl::StripAsciiWhitespace(e.instruction).empty()) {
      skipped->push_back({where, absl::StrCat("field instruction: empty for ", e.file)});
      continue;
    }
    if (!seen.insert(e.file).second) {
      skipped->push_back({where, absl::StrCat("a second entry for ", e.file, "; the first one is used")});
      continue;
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string Sha(const std::string& bytes) { return Sha256Hex(bytes); }

absl::Status WriteTask(const std::string& dir, const TaskSpec& spec, const std::string& kernel,
                       const std::string& tests, const std::string& perf) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  if (!printer.PrintToString(spec, &text)) return absl::InternalError(absl::StrCat(dir, ": cannot print the spec"));
  text = absl::StrCat("# proto-file: harness/proto/task.proto\n# proto-message: tritonbench.TaskSpec\n",
                      "# Written by tools/import_upstream from GEAK-eval's ", spec.upstream().file(),
                      ": import again rather than edit.\n", text);
  const std::string spec_path = Path(dir, "task.textproto");
  if (auto parsed = ParseTaskSpec(text, spec_path); !parsed.ok()) return parsed.status();
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"task.textproto", text}, {"kernel.py", kernel}, {"upstream_test.py", tests}}) {
    if (auto s = WriteFile(Path(dir, name), bytes); !s.ok()) return s;
  }
  const std::string perf_path = Path(dir, "upstream_perf.py");
  if (!perf.empty()) return WriteFile(perf_path, perf);
  fs::remove(perf_path, ec);
  return absl::OkStatus();
}

// Removes task folders of an earlier import that `keep` lacks; refuses a folder holding
// tasks that were not imported.
absl::Status RemoveStale(const std::string& suite_dir, const std::set<std::string>& keep) {
  auto dirs = ListTaskDirs(suite_dir);
  if (!dirs.ok()) return absl::OkStatus();  // nothing there yet
  for (const auto& dir : *dirs) {
    auto text = ReadFile(Path(dir, "task.textproto"));
    TaskSpec spec;
    if (!text.ok() || !google::protobuf::TextFormat::ParseFromString(*text, &spec) || !spec.has_upstream()) {
      return absl::FailedPreconditionError(absl::StrCat(
          dir, ": a task that tools/import_upstream did not write; name a folder of its own for the import"));
    }
    if (keep.count(BaseName(dir)) == 0) fs::remove_all(dir);
  }
  return absl::OkStatus();
}

// The release the suite's tasks now match: the newest one when it holds exactly them,
// else a new one named after the upstream commit.
absl::Status MarkRelease(const std::string& commit, const std::string& layout, const std::string& date,
                     SuiteImport* suite) {
  auto tree = TreeTaskHashes(suite->dir);
  if (!tree.ok()) return tree.status();
  std::set<std::string> names;
  auto existing = LoadReleases(suite->dir);
  if (existing.ok()) {
    for (const auto& r : existing->releases()) names.insert(r.name());
    if (existing->releases_size() > 0) {
      const auto& newest = existing->releases(existing->releases_size() - 1);
      if (DiffTasks(&newest, *tree).empty()) {
        suite->release = newest.name();
        return absl::OkStatus();
      }
    }
  } else if (!absl::IsNotFound(existing.status())) {
    return existing.status();
  }
  std::string base = absl::StrCat("upstream-", commit.empty() ? MakeRelease("", "", "", *tree).manifest_hash().substr(0, 12)
                                                               : commit.substr(0, 12));
  std::string name = base;
  for (int n = 2; names.count(name); ++n) name = absl::StrCat(base, "-", n);
  CutOptions cut;
  cut.suite_dir = suite->dir;
  cut.name = name;
  cut.date = date;
  cut.summary = absl::StrCat("GEAK-eval ", commit.empty() ? "(commit unknown)" : commit.substr(0, 12), " (", layout,
                             " layout) as tools/import_upstream imported it: ", suite->imported.size(), " tasks");
  auto release = CutRelease(cut);
  if (!release.ok()) return release.status();
  suite->release = release->name();
  suite->new_release = true;
  return absl::OkStatus();
}

void ImportSuite(const SuiteLayout& layout, const UpstreamImportOptions& options, const std::string& pkg,
                 const std::string& commit, SuiteImport* out) {
  out->suite = layout.suite;
  out->dir = Path(options.out_dir, layout.suite);
  if (!IsDirectory(layout.data_dir)) {
    out->error = absl::StrCat(layout.data_dir, ": missing: expected the folder of ", layout.suite == kTbgSuite ?
                              "TritonBench_G_v1" : "ROCm_v1", " task files");
    return;
  }
  auto entries = ReadInstructions(layout, &out->skipped);
  if (!entries.ok()) {
    out->error = std::string(entries.status().message());
    return;
  }
  auto instructions_bytes = ReadFile(layout.instructions);
  const std::string instructions_sha = instructions_bytes.ok() ? Sha(*instructions_bytes) : "";
  static const RE2 kResultGold(R"((?m)^result_gold\s*=)");
  static const RE2 kTaskId("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  std::set<std::string> named, written;
  for (const Entry& e : *entries) {
    named.insert(e.file);
    const std::string path = Path(layout.data_dir, e.file);
    const std::string id = e.file.substr(0, e.file.size() - 3);
    auto text = ReadFile(path);
    if (!text.ok()) {
      out->skipped.push_back({e.file, absl::StrCat("the instruction file names it, but ", path, " does not exist")});
      continue;
    }
    if (!RE2::FullMatch(id, kTaskId)) {
      out->skipped.push_back({path, "the file name is not a task id (letters, digits, '_', '.', '-')"});
      continue;
    }
    std::string kernel, tests, why;
    if (!SplitTaskFile(*text, layout.kind, &kernel, &tests, &why)) {
      out->skipped.push_back({path, why});
      continue;
    }
    if (!RE2::PartialMatch(tests, kResultGold)) {
      out->skipped.push_back({path, "its test code (after the separator) sets no result_gold at module level"});
      continue;
    }
    std::string perf;
    if (!layout.perf_dir.empty()) {
      auto bytes = ReadFile(Path(layout.perf_dir, absl::StrCat(id, "_perf.py")));
      if (bytes.ok()) {
        perf = *std::move(bytes);
      } else {
        out->without_performance.push_back(id);
      }
    }
    TaskSpec spec;
    spec.set_id(id);
    spec.set_suite(layout.suite);
    spec.set_category(Category(layout.our_suite, id));
    spec.set_instruction(e.instruction);
    UpstreamTask* up = spec.mutable_upstream();
    up->set_kind(layout.kind);
    up->set_file(e.file);
    up->set_layout(pkg);
    up->set_commit(commit);
    up->set_source_sha256(Sha(*text));
    if (!perf.empty()) up->set_perf_sha256(Sha(perf));
    up->set_instructions_sha256(instructions_sha);
    up->set_atol(layout.atol);
    up->set_rtol(layout.rtol);
    up->set_difficulty(e.difficulty);
    up->set_target_kernel_name(e.target_kernel_name);
    for (const char* dtype : {"float16", "bfloat16", "float32", "float64", "float8_e4m3fn", "float8_e5m2",
                              "float8_e4m3fnuz", "float8_e5m2fnuz"}) {
      Tolerance* t = spec.add_tolerances();
      t->set_dtype(dtype);
      t->set_atol(layout.atol);
      t->set_rtol(layout.rtol);
    }
    written.insert(id);
    out->imported.push_back(id);
    // Written after the stale folders go (below); kept here until then.
    if (auto s = WriteTask(Path(Path(options.out_dir, "." + std::string(layout.suite) + ".staging"), id), spec,
                           kernel, tests, perf);
        !s.ok()) {
      out->imported.pop_back();
      written.erase(id);
      out->skipped.push_back({path, std::string(s.message())});
    }
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout.data_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && absl::EndsWith(name, ".py") && name != "__init__.py" && !named.count(name)) {
      out->skipped.push_back({entry.path().string(), absl::StrCat("no entry in ", layout.instructions)});
    }
  }
  const std::string staging = Path(options.out_dir, "." + std::string(layout.suite) + ".staging");
  absl::Status moved = RemoveStale(out->dir, written);
  if (moved.ok() && !written.empty()) {
    fs::create_directories(out->dir, ec);
    for (const auto& id : written) {
      fs::remove_all(Path(out->dir, id), ec);
      fs::rename(Path(staging, id), Path(out->dir, id), ec);
      if (ec) {
        moved = absl::InternalError(absl::StrCat(Path(out->dir, id), ": cannot move into place: ", ec.message()));
        break;
      }
    }
  }
  fs::remove_all(staging, ec);
  if (moved.ok() && !written.empty()) moved = MarkRelease(commit, pkg, options.date, out);
  if (!moved.ok()) {
    out->error = std::string(moved.message());
    out->imported.clear();
  } else if (written.empty()) {
    out->error = "no task could be imported (see the skips)";
  }
}

}  // namespace

absl::StatusOr<UpstreamImport> ImportUpstream(const UpstreamImportOptions& options) {
  if (!RE2::FullMatch(options.date, R"(\d{4}-\d{2}-\d{2})")) {
    return absl::InvalidArgumentError(absl::StrCat("date: '", options.date, "' is not YYYY-MM-DD"));
  }
  UpstreamImport result;
  for (const char* pkg : {"tb_eval", "geak_eval"}) {
    if (IsDirectory(Path(Path(options.checkout, pkg), "data"))) {
      result.layout = pkg;
      break;
    }
  }
  if (result.layout.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.checkout, ": not a GEAK-eval checkout at a known layout: expected tb_eval/data (the paper-time "
        "layout, commit a85e657) or geak_eval/data (later commits)"));
  }
  result.commit = options.commit.empty() ? ReadCommit(options.checkout) : options.commit;
  // The output folder holds the import only: never another tree (a .gitignore of "*"
  // goes into it).
  std::error_code ec;
  if (IsDirectory(options.out_dir)) {
    for (const auto& entry : fs::directory_iterator(options.out_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name != kTbgSuite && name != kRocmSuite && name != ".gitignore" && name != "import_report.txt" &&
          !absl::EndsWith(name, ".staging")) {
        return absl::FailedPreconditionError(absl::StrCat(options.out_dir, " holds ", name,
                                                          ": name a folder of its own for the import"));
      }
    }
  }
  fs::create_directories(options.out_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(options.out_dir, ": cannot create: ", ec.message()));
  const std::string ignore = Path(options.out_dir, ".gitignore");
  if (!IsRegularFile(ignore)) {
    if (auto s = WriteFile(ignore, "# Written by tools/import_upstream: nothing imported is committed.\n*\n"); !s.ok()) {
      return s;
    }
  }
  const std::string pkg = Path(options.checkout, result.layout);
  const std::string tb = Path(pkg, "data/TritonBench");
  const std::string rocm = Path(pkg, "data/ROCm/data");
  for (const auto& name : options.suites) {
    SuiteLayout layout;
    if (name == "tbg") {
      layout = {kTbgSuite,
                UpstreamTask::TRITONBENCH_G,
                Path(tb, "data/TritonBench_G_v1"),
                options.tbg_instructions.empty() ? Path(tb, "data/TritonBench_G_comp_alpac_v1_fixed_with_difficulty.json")
                                                 : options.tbg_instructions,
                Path(tb, "performance_metrics/perf_G/golden_metrics"),
                options.our_suites.empty() ? "" : Path(options.our_suites, "tritonbench_revised"),
                1e-2,
                1e-1};
    } else if (name == "rocm") {
      layout = {kRocmSuite,
                UpstreamTask::ROCM,
                Path(rocm, "ROCm_v1"),
                options.rocm_instructions.empty() ? Path(rocm, "ROCm_eval_complex_instruct_v1.json")
                                                  : options.rocm_instructions,
                "",
                options.our_suites.empty() ? "" : Path(options.our_suites, "rocm"),
                1e-2,
                1e-2};
    } else {
      return absl::InvalidArgumentError(absl::StrCat("suites: unknown suite '", name, "' (tbg, rocm)"));
    }
    SuiteImport suite;
    ImportSuite(layout, options, result.layout, result.commit, &suite);
    result.suites.push_back(std::move(suite));
  }
  if (auto s = WriteFile(Path(options.out_dir, "import_report.txt"), ImportReport(result)); !s.ok()) return s;
  return result;
}

std::string ImportReport(const UpstreamImport& result) {
  std::string out = absl::StrCat("GEAK-eval layout ", result.layout, ", commit ",
                                 result.commit.empty() ? "unknown" : result.commit, "\n");
  for (const auto& s : result.suites) {
    absl::StrAppend(&out, s.suite, ": ", s.imported.size(), " imported, ", s.skipped.size(), " skipped");
    if (!s.error.empty()) {
      absl::StrAppend(&out, "; not imported: ", s.error, "\n");
    } else {
      absl::StrAppend(&out, " -> ", s.dir, " (release ", s.release, s.new_release ? ", new" : ", unchanged", ")\n");
    }
    if (!s.without_performance.empty()) {
      absl::StrAppend(&out, "  without performance inputs (no performance file): ",
                      absl::StrJoin(s.without_performance, ", "), "\n");
    }
    for (const auto& [what, why] : s.skipped) absl::StrAppend(&out, "  skipped ", what, ": ", why, "\n");
  }
  return out;
}

}  // namespace tritonbench
