// One-shot retrieval: the corpus of small original Triton kernels (agent/corpus/, one
// <name>.py each, its description in the module docstring) and BM25 ranking of its
// entries by code similarity or by instruction similarity.
#ifndef TRITONBENCH_AGENT_RETRIEVAL_H_
#define TRITONBENCH_AGENT_RETRIEVAL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/prompt_builder.h"
#include "agent/proto/configuration.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// Every <name>.py in `dir`, sorted by name. InvalidArgument naming the file when one
// has no docstring description; NotFound when there is none.
absl::StatusOr<std::vector<CorpusExampleText>> LoadCorpus(const std::string& dir);

// Lower-cased word/identifier tokens (letters, digits, '_'), as ranked.
std::vector<std::string> Tokens(const std::string& text);

// Okapi BM25 (k1 1.5, b 0.75) over a fixed set of documents.
class Bm25 {
 public:
  explicit Bm25(const std::vector<std::string>& documents);
  // Score of every document for `query`, in document order.
  std::vector<double> Scores(const std::string& query) const;

 private:
  std::vector<std::map<std::string, int>> term_counts_;
  std::vector<int> lengths_;
  std::map<std::string, int> document_frequency_;
  double average_length_ = 0;
};

class Retriever {
 public:
  Retriever(std::vector<CorpusExampleText> corpus, Similarity similarity);

  // The query a task is ranked by: CODE, its PyTorch reference (reference.py) and
  // signature, plus the ground-truth kernel only for tasks that show it in the prompt
  // anyway; INSTRUCTION, its instruction. A task imported from GEAK-eval: its
  // instruction either way.
  static absl::StatusOr<std::string> Query(const Task& task, Similarity similarity);

  // Corpus entries best first (ties by name).
  absl::StatusOr<std::vector<CorpusExampleText>> Rank(const Task& task) const;
  // The best entry.
  absl::StatusOr<CorpusExampleText> Best(const Task& task) const;

 private:
  std::vector<CorpusExampleText> corpus_;
  Similarity similarity_;
  Bm25 index_;
};

// Jaccard similarity of two texts' token 3-gram sets (near-identical code: close to 1).
double CodeOverlap(const std::string& a, const std::string& b);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_RETRIEVAL_H_
