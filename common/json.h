// Protocol buffers as JSON, the form of every record on disk: run_record.json,
// results.jsonl, generations.jsonl, the worker's request and result.
#ifndef TRITONBENCH_COMMON_JSON_H_
#define TRITONBENCH_COMMON_JSON_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "google/protobuf/message.h"

namespace tritonbench {

// proto3 JSON (proto field names, every field printed) for any message.
std::string ToJson(const google::protobuf::Message& message, bool pretty = false);
// InvalidArgument with the parser's message when `json` is not a `message`.
absl::Status FromJson(const std::string& json, google::protobuf::Message* message);

// Every message of a JSON-lines file (a missing file: none). A torn last line (no
// newline after it and not parseable) is dropped; any other bad line is DataLoss
// naming the file and line. With `raw_lines`, it also receives each kept message's line as
// read, so a caller can write kept lines back byte for byte.
template <typename Message>
absl::StatusOr<std::vector<Message>> ReadJsonLines(const std::string& path,
                                                   std::vector<std::string>* raw_lines = nullptr) {
  std::vector<Message> out;
  if (raw_lines) raw_lines->clear();
  if (!IsRegularFile(path)) return out;
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> lines = absl::StrSplit(*text, '\n', absl::SkipEmpty());
  for (size_t i = 0; i < lines.size(); ++i) {
    Message m;
    if (auto s = FromJson(lines[i], &m); !s.ok()) {
      if (i + 1 == lines.size() && text->back() != '\n') break;
      return absl::DataLossError(absl::StrCat(path, ":", i + 1, ": ", s.message()));
    }
    out.push_back(std::move(m));
    if (raw_lines) raw_lines->push_back(std::move(lines[i]));
  }
  return out;
}

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_JSON_H_
