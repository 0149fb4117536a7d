#include "agent/retrieval.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/files.h"

namespace tritonbench {
namespace {

std::vector<std::string> Documents(const std::vector<CorpusExampleText>& corpus, Similarity similarity) {
  std::vector<std::string> docs;
  for (const auto& e : corpus) docs.push_back(similarity == INSTRUCTION ? e.description : e.code);
  return docs;
}

}  // namespace

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
      cur += absl::ascii_tolower(static_cast<unsigned char>(ch));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

absl::StatusOr<std::vector<CorpusExampleText>> LoadCorpus(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".py") paths.push_back(entry.path().string());
  }
  if (ec) return absl::NotFoundError(absl::StrCat("cannot list corpus ", dir, ": ", ec.message()));
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) return absl::NotFoundError(absl::StrCat("corpus ", dir, " holds no .py file"));
  std::vector<CorpusExampleText> corpus;
  for (const auto& path : paths) {
    auto code = ReadFile(path);
    if (!code.ok()) return code.status();
    size_t open = code->find("\"\"\"");
    size_t close = open == std::string::npos ? open : code->find("\"\"\"", open + 3);
    if (close == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": no docstring with the example's description"));
    }
    std::string description(absl::StripAsciiWhitespace(code->substr(open + 3, close - open - 3)));
    if (description.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": empty description"));
    corpus.push_back({std::filesystem::path(path).stem().string(), description, *code});
  }
  return corpus;
}

Bm25::Bm25(const std::vector<std::string>& documents) {
  for (const auto& d : documents) {
    std::map<std::string, int> counts;
    auto tokens = Tokens(d);
    for (const auto& t : tokens) ++counts[t];
    for (const auto& [t, n] : counts) ++document_frequency_[t];
    lengths_.push_back(static_cast<int>(tokens.size()));
    term_counts_.push_back(std::move(counts));
  }
  if (!lengths_.empty()) {
    average_length_ = std::accumulate(lengths_.begin(), lengths_.end(), 0.0) / lengths_.size();
  }
}

std::vector<double> Bm25::Scores(const std::string& query) const {
  constexpr double k1 = 1.5, b = 0.75;
  const double n = static_cast<double>(term_counts_.size());
  std::set<std::string> terms;
  for (auto& t : Tokens(query)) terms.insert(t);
  std::vector<double> scores(term_counts_.size(), 0.0);
  for (const auto& term : terms) {
    auto df_it = document_frequency_.find(term);
    if (df_it == document_frequency_.end()) continue;
    const double idf = std::log(1.0 + (n - df_it->second + 0.5) / (df_it->second + 0.5));
    for (size_t d = 0; d < term_counts_.size(); ++d) {
      auto it = term_counts_[d].find(term);
      if (it == term_counts_[d].end()) continue;
      const double tf = it->second;
      scores[d] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths_[d] / std::max(average_length_, 1.0)));
    }
  }
  return scores;
}

Retriever::Retriever(std::vector<CorpusExampleText> corpus, Similarity similarity)
    : corpus_(std::move(corpus)), similarity_(similarity), index_(Documents(corpus_, similarity)) {}

absl::StatusOr<std::string> Retriever::Query(const Task& task, Similarity similarity) {
  // A task imported from GEAK-eval has no PyTorch reference: its instruction (for
  // ROCm the kernel's signature skeleton) is the code there is to rank by.
  if (similarity == INSTRUCTION || task.spec.has_upstream()) return task.spec.instruction();
  auto reference = ReadFile(task.ReferencePath());
  if (!reference.ok()) return reference.status();
  std::string query = absl::StrCat(task.spec.signature(), "\n", *reference);
  if (task.spec.reference_in_prompt()) {
    auto kernel = ReadFile(task.KernelPath());
    if (!kernel.ok()) return kernel.status();
    absl::StrAppend(&query, "\n", *kernel);
  }
  return query;
}

absl::StatusOr<std::vector<CorpusExampleText>> Retriever::Rank(const Task& task) const {
  auto query = Query(task, similarity_);
  if (!query.ok()) return query.status();
  auto scores = index_.Scores(*query);
  std::vector<size_t> order(corpus_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<CorpusExampleText> out;
  for (size_t i : order) out.push_back(corpus_[i]);
  return out;
}

absl::StatusOr<CorpusExampleText> Retriever::Best(const Task& task) const {
  auto ranked = Rank(task);
  if (!ranked.ok()) return ranked.status();
  if (ranked->empty()) return absl::NotFoundError("the one-shot corpus is empty");
  return ranked->front();
}

double CodeOverlap(const std::string& a, const std::string& b) {
  auto grams = [](const std::string& text) {
    auto t = Tokens(text);
    std::set<std::string> out;
    for (size_t i = 0; i + 2 < t.size(); ++i) out.insert(absl::StrCat(t[i], " ", t[i + 1], " ", t[i + 2]));
    return out;
  };
  auto ga = grams(a), gb = grams(b);
  if (ga.empty() && gb.empty()) return 1.0;
  size_t common = 0;
  for (const auto& g : ga) common += gb.count(g);
  return static_cast<double>(common) / (ga.size() + gb.size() - common);
}

}  // namespace tritonbench
