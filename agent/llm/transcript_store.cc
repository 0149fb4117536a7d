#include "agent/llm/transcript_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "google/protobuf/util/json_util.h"

namespace tritonbench {

std::string TranscriptPath(const std::string& dir, const std::string& request_hash, int occurrence) {
  return absl::StrCat(dir, "/", request_hash, ".", occurrence, ".json");
}

absl::Status WriteTranscriptEntry(const std::string& dir, const TranscriptEntry& entry) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create transcript folder ", dir, ": ", ec.message()));
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  auto printed = google::protobuf::util::MessageToJsonString(entry, &json, options);
  if (!printed.ok()) return absl::InternalError(printed.message().as_string());
  const std::string path = TranscriptPath(dir, entry.request_hash(), entry.occurrence());
  // O_EXCL: two recorders never overwrite each other's entries.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0 && errno == EEXIST) {
    return absl::AlreadyExistsError(
        absl::StrCat(path, " already exists: transcripts are never overwritten; record into a new folder"));
  }
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  close(fd);
  return WriteFile(path, json);
}

absl::StatusOr<TranscriptEntry> ReadTranscriptEntry(const std::string& dir, const std::string& request_hash,
                                                    int occurrence) {
  const std::string path = TranscriptPath(dir, request_hash, occurrence);
  if (!IsRegularFile(path)) return absl::NotFoundError(absl::StrCat(path, ": no such transcript entry"));
  auto json = ReadFile(path);
  if (!json.ok()) return json.status();
  TranscriptEntry entry;
  auto parsed = google::protobuf::util::JsonStringToMessage(*json, &entry);
  if (!parsed.ok()) return absl::DataLossError(absl::StrCat(path, ": not a transcript entry: ", parsed.message().as_string()));
  if (entry.request_hash() != request_hash || entry.occurrence() != occurrence) {
    return absl::DataLossError(absl::StrCat(path, ": holds request ", entry.request_hash(), ".",
                                            entry.occurrence(), ", not what its name says"));
  }
  return entry;
}

int CountTranscriptEntries(const std::string& dir) {
  std::error_code ec;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    n += absl::EndsWith(e.path().filename().string(), ".json");
  }
  return n;
}

}  // namespace tritonbench
