#include "agent/provenance.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

absl::Status Refuse(const std::string& dir, const std::string& field, const std::string& what) {
  return absl::FailedPreconditionError(
      absl::StrCat(dir, ": ", field, " differs: ", what, " since the run began; use a new --out"));
}

}  // namespace

std::string ListingSha256(const std::map<std::string, std::string>& files) {
  std::string listing;
  for (const auto& [name, bytes] : files) absl::StrAppend(&listing, Sha256Hex(bytes), "  ", name, "\n");
  return Sha256Hex(listing);
}

std::string ConfigurationSha256(const Configuration& config) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

absl::Status CheckResumable(const std::string& dir, const RunRecord& earlier, const RunRecord& now,
                            const ProvenanceSources& sources) {
  const Provenance& was = earlier.provenance();
  const Provenance& is = now.provenance();
  if (was.configuration_sha256().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, "/run_record.json records no provenance (the hashes of its configuration, prompts, knowledge and "
             "corpus), so whether they changed since the run began cannot be checked: it cannot be resumed "
             "safely; use a new --out"));
  }
  if (was.configuration_sha256() != is.configuration_sha256()) {
    return Refuse(dir, "configuration_sha256",
                  absl::StrCat("configuration '", now.configuration(),
                               "' as run (its file, or a --provider/--model/--base_url override) changed"));
  }
  if (was.prompts_sha256() != is.prompts_sha256()) {
    return Refuse(dir, "prompts_sha256", absl::StrCat("the prompt templates in ", sources.prompts_dir, " changed"));
  }
  if (was.knowledge_sha256() != is.knowledge_sha256()) {
    return Refuse(dir, "knowledge_sha256",
                  absl::StrCat("the knowledge files in ", sources.knowledge_dir, " (hardware notes, Triton guidance) changed"));
  }
  if (was.corpus_sha256() != is.corpus_sha256()) {
    return Refuse(dir, "corpus_sha256", absl::StrCat("the retrieval corpus in ", sources.corpus_dir, " changed"));
  }
  if (earlier.harness_content_hash() != now.harness_content_hash()) {
    return Refuse(dir, "harness_content_hash", "the harness worker's sources changed");
  }
  if (!now.release().empty() && earlier.release() != now.release()) {
    return Refuse(dir, "release",
                  absl::StrCat("the tasks' release (was '", earlier.release(), "', now '", now.release(), "') changed"));
  }
  return absl::OkStatus();
}

absl::Status CheckSameRun(const std::string& dir, const RunRecord& earlier, const RunRecord& now) {
  if (earlier.configuration() != now.configuration() || earlier.model().name() != now.model().name()) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds a run of configuration '", earlier.configuration(), "' with model '", earlier.model().name(),
        "'; this run is '", now.configuration(), "' with '", now.model().name(), "': choose another --out"));
  }
  if (!earlier.release().empty() && !now.release().empty() && earlier.release() != now.release()) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " holds a run of release '", earlier.release(),
                                                      "'; the tasks are of '", now.release(),
                                                      "' now: choose another --out"));
  }
  return absl::OkStatus();
}

}  // namespace tritonbench
