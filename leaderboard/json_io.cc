#include "leaderboard/json_io.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "google/protobuf/util/json_util.h"

namespace tritonbench {

std::string LeaderboardToJson(const Leaderboard& board, bool pretty) { return ToJson(board, pretty); }

absl::StatusOr<Leaderboard> LeaderboardFromJson(const std::string& json, const std::string& source) {
  Leaderboard board;
  // Versions written by a newer leaderboard may carry fields this one does not know.
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(json, &board, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, " is not a leaderboard: ", status.message().ToString()));
  }
  return board;
}

}  // namespace tritonbench
