// leaderboard.json: the Leaderboard message in the proto3 JSON mapping (proto field
// names, unset optional figures omitted so that readers show "-").
#ifndef TRITONBENCH_LEADERBOARD_JSON_IO_H_
#define TRITONBENCH_LEADERBOARD_JSON_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

std::string LeaderboardToJson(const Leaderboard& board, bool pretty = true);

// InvalidArgument naming `source` (a path, for the message) when `json` is not one.
absl::StatusOr<Leaderboard> LeaderboardFromJson(const std::string& json, const std::string& source);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_JSON_IO_H_
