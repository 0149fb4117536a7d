#include "agent/llm/canonical_request.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tritonbench {

std::string CanonicalRequest(absl::string_view provider, const ChatRequest& request) {
  // nlohmann::json objects are std::map: keys come out sorted.
  nlohmann::json c;
  c["v"] = 1;
  c["provider"] = std::string(provider);
  c["model"] = request.model();
  c["messages"] = nlohmann::json::array();
  for (const auto& m : request.messages()) {
    c["messages"].push_back({{"role", ChatMessage::Role_Name(m.role())}, {"content", m.content()}});
  }
  if (request.has_temperature()) c["temperature"] = request.temperature();
  if (request.has_max_tokens()) c["max_tokens"] = request.max_tokens();
  if (request.stop_size() > 0) c["stop"] = std::vector<std::string>(request.stop().begin(), request.stop().end());
  if (request.has_seed()) c["seed"] = request.seed();
  if (!request.replay_tag().empty()) c["tag"] = request.replay_tag();
  return c.dump();
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string RequestHash(absl::string_view provider, const ChatRequest& request) {
  return Sha256Hex(CanonicalRequest(provider, request));
}

std::string RequestSummary(absl::string_view provider, const ChatRequest& request) {
  std::string summary = absl::StrCat(provider, "/", request.model(), ", ", request.messages_size(), " message",
                                     request.messages_size() == 1 ? "" : "s");
  if (request.messages_size() > 0) {
    const ChatMessage& last = request.messages(request.messages_size() - 1);
    std::string start = last.content().substr(0, 60);
    for (char& ch : start) {
      if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    }
    absl::StrAppend(&summary, ", last (", absl::AsciiStrToLower(ChatMessage::Role_Name(last.role())), "): \"",
                    absl::CEscape(start), last.content().size() > 60 ? "...\"" : "\"");
  }
  return summary;
}

}  // namespace tritonbench
