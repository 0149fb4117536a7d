#include "leaderboard/diff.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "leaderboard/markdown.h"

namespace tritonbench {
namespace {

// Key -> (row, rank within its suite release; older versions: within its suite).
std::map<std::string, std::pair<const Row*, int>> Index(const Leaderboard& board) {
  std::map<std::string, std::pair<const Row*, int>> index;
  std::map<std::pair<std::string, std::string>, int> rank;
  for (const auto& row : board.rows()) index[row.key()] = {&row, ++rank[{row.suite(), row.release()}]};
  return index;
}

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a)); }

bool SameFigures(const Row& a, const Row& b) {
  if (a.runs() != b.runs() || a.tasks_measured() != b.tasks_measured() ||
      a.has_execution_accuracy() != b.has_execution_accuracy() ||
      !Near(a.execution_accuracy(), b.execution_accuracy()) || !Near(a.call_accuracy(), b.call_accuracy()) ||
      !Near(a.execution_accuracy_measured(), b.execution_accuracy_measured()) ||
      a.has_speedup_geomean() != b.has_speedup_geomean() || a.has_speedup_mean() != b.has_speedup_mean() ||
      a.has_speedup_geak() != b.has_speedup_geak() ||
      !Near(a.speedup_geomean().value(), b.speedup_geomean().value()) ||
      !Near(a.speedup_mean().value(), b.speedup_mean().value()) ||
      !Near(a.speedup_geak().value(), b.speedup_geak().value()) || a.fast_p_size() != b.fast_p_size() ||
      a.pass_at_k_size() != b.pass_at_k_size()) {
    return false;
  }
  for (int i = 0; i < a.fast_p_size(); ++i) {
    if (!Near(a.fast_p(i).share(), b.fast_p(i).share())) return false;
  }
  for (int i = 0; i < a.pass_at_k_size(); ++i) {
    if (!Near(a.pass_at_k(i).value(), b.pass_at_k(i).value())) return false;
  }
  return true;
}

std::string Acc(const Row& r) {
  if (!r.execution_accuracy_text().empty()) return r.execution_accuracy_text();
  return r.has_execution_accuracy() ? FormatShare(r.execution_accuracy()) : "-";
}
std::string Geo(const Row& r) { return r.has_speedup_geomean() ? FormatSpeedup(r.speedup_geomean().value()) : "-"; }
// GEAK's speedup; older versions' arithmetic mean of the per-task speedups.
std::string Mean(const Row& r) {
  if (r.has_speedup_geak()) return FormatSpeedup(r.speedup_geak().value());
  return r.has_speedup_mean() ? FormatSpeedup(r.speedup_mean().value()) : "-";
}
std::string Measured(const Row& r) {
  return r.kind() == "measured" && !r.release().empty() ? absl::StrCat(r.tasks_measured(), "/", r.tasks()) : "-";
}

std::string Arrow(const std::string& a, const std::string& b) { return a == b ? a : absl::StrCat(a, " → ", b); }

}  // namespace

LeaderboardDiff DiffLeaderboards(const Leaderboard& before, const Leaderboard& after) {
  LeaderboardDiff diff;
  auto a = Index(before), b = Index(after);
  for (const auto& row : after.rows()) {
    auto it = a.find(row.key());
    if (it == a.end()) {
      diff.appeared.push_back(row);
      continue;
    }
    const Row& old = *it->second.first;
    const int rank_before = it->second.second, rank_after = b[row.key()].second;
    if (rank_before != rank_after || !SameFigures(old, row)) {
      diff.changed.push_back({old, row, rank_before, rank_after});
    } else {
      ++diff.unchanged;
    }
  }
  for (const auto& row : before.rows()) {
    if (!b.count(row.key())) diff.disappeared.push_back(row);
  }
  return diff;
}

std::string RenderDiff(const LeaderboardDiff& diff, const std::string& before_name, const std::string& after_name) {
  std::string md = absl::StrCat("# Leaderboard diff: ", before_name, " → ", after_name, "\n\n");
  auto table = [&](const char* title, const std::vector<Row>& rows) {
    absl::StrAppend(&md, "## ", title, " (", rows.size(), ")\n\n");
    if (rows.empty()) return;
    absl::StrAppend(&md,
                    "| row | runs | measured | exec. acc. over release | speedup (GEAK) | speedup geomean |\n"
                    "|---|---|---|---|---|---|\n");
    for (const auto& r : rows) {
      absl::StrAppend(&md, "| ", RowName(r), " | ", r.runs(), " | ", Measured(r), " | ", Acc(r), " | ", Mean(r),
                      " | ", Geo(r), " |\n");
    }
    absl::StrAppend(&md, "\n");
  };
  table("Appeared", diff.appeared);
  table("Disappeared", diff.disappeared);
  absl::StrAppend(&md, "## Moved or changed (", diff.changed.size(), ")\n\n");
  if (!diff.changed.empty()) {
    absl::StrAppend(&md,
                    "| row | rank in release | runs | measured | call acc. | exec. acc. over release | speedup (GEAK) | "
                    "speedup geomean |\n|---|---|---|---|---|---|---|---|\n");
    for (const auto& c : diff.changed) {
      const std::string call_a = c.before.has_call_accuracy() ? FormatShare(c.before.call_accuracy()) : "-";
      const std::string call_b = c.after.has_call_accuracy() ? FormatShare(c.after.call_accuracy()) : "-";
      absl::StrAppend(&md, "| ", RowName(c.after), " | ", Arrow(absl::StrCat(c.rank_before), absl::StrCat(c.rank_after)),
                      " | ", Arrow(absl::StrCat(c.before.runs()), absl::StrCat(c.after.runs())), " | ",
                      Arrow(Measured(c.before), Measured(c.after)), " | ", Arrow(call_a, call_b), " | ", Arrow(Acc(c.before), Acc(c.after)), " | ",
                      Arrow(Mean(c.before), Mean(c.after)), " | ", Arrow(Geo(c.before), Geo(c.after)), " |\n");
    }
    absl::StrAppend(&md, "\n");
  }
  absl::StrAppend(&md, diff.unchanged, " rows unchanged.\n");
  return md;
}

}  // namespace tritonbench
