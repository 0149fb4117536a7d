// What an LLM configuration run was made with (RunRecord.provenance: SHA-256 of the
// configuration as run, of the prompt templates, the knowledge notes and the one-shot
// corpus), and whether a run folder begun earlier may be continued by this run, so
// that a resumed run never mixes two experiments.
#ifndef TRITONBENCH_AGENT_PROVENANCE_H_
#define TRITONBENCH_AGENT_PROVENANCE_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "agent/proto/configuration.pb.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

// SHA-256 (hex) of a listing of files: one "<sha256 of its bytes>  <name>\n" line per
// file, in name order (what `sha256sum` prints for them). `files` maps each file's
// path relative to its folder to its bytes, so the folder's location does not count.
std::string ListingSha256(const std::map<std::string, std::string>& files);

// SHA-256 (hex) of the configuration's deterministic binary serialization: the
// configuration as run (defaults filled, command-line overrides applied); comments
// and layout of its text file do not count.
std::string ConfigurationSha256(const Configuration& config);

// The folders a provenance covers, named when a resumption is refused; empty for a
// part the configuration does not use.
struct ProvenanceSources {
  std::string prompts_dir;
  std::string knowledge_dir;
  std::string corpus_dir;
};

// OK when the run folder `dir`, holding the record `earlier`, may be continued by a
// run whose header is `now`: the same provenance (all four hashes), the same
// harness_content_hash, and the same release when `now` names one. Otherwise
// FailedPrecondition naming the folder, the field that differs and what it covers,
// and asking for a new --out. A record without provenance (written before runs
// recorded one) is refused too: what made it cannot be compared.
absl::Status CheckResumable(const std::string& dir, const RunRecord& earlier, const RunRecord& now,
                            const ProvenanceSources& sources);

// Whether the run `earlier` in `dir` is one of the same configuration and model as
// `now` (the header with its release marked), and of the same release when both name
// one: FailedPrecondition naming both and asking for another --out otherwise. Checked
// before CheckResumable.
absl::Status CheckSameRun(const std::string& dir, const RunRecord& earlier, const RunRecord& now);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_PROVENANCE_H_
