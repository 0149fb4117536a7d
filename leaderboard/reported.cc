#include "leaderboard/reported.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace tritonbench {
namespace {

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) first = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  std::string first;
};

}  // namespace

absl::StatusOr<std::vector<Row>> LoadReportedRows(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  ReportedFigures figures;
  google::protobuf::TextFormat::Parser parser;
  Collector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*text, &figures)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", errors.first));
  }
  std::vector<Row> rows;
  for (int i = 0; i < figures.rows_size(); ++i) {
    const Row& row = figures.rows(i);
    for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"suite", &row.suite()},
                                       {"configuration", &row.configuration()},
                                       {"source", &row.source()}}) {
      if (value->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(path, ": row ", i + 1, " has no ", field));
      }
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace tritonbench
