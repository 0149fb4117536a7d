#include "agent/llm/json_fields.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tritonbench {
namespace {

absl::Status Missing(absl::string_view what, absl::string_view path) {
  return absl::DataLossError(absl::StrCat(what, ": missing field ", path));
}

absl::Status WrongType(absl::string_view what, absl::string_view path, absl::string_view expected,
                       const nlohmann::json& got) {
  return absl::DataLossError(absl::StrCat(what, ": field ", path, " is ", got.type_name(), ", expected ", expected));
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseJsonBody(const std::string& body, absl::string_view what) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Parse again with exceptions only to get the parser's position and complaint.
    try {
      nlohmann::json unused = nlohmann::json::parse(body);
      static_cast<void>(unused);
    } catch (const nlohmann::json::parse_error& e) {
      return absl::DataLossError(absl::StrCat(what, ": malformed JSON (", body.size(), " bytes): ", e.what()));
    }
    return absl::DataLossError(absl::StrCat(what, ": malformed JSON"));
  }
  return json;
}

absl::StatusOr<const nlohmann::json*> JsonAt(const nlohmann::json& root, absl::string_view path,
                                             absl::string_view what) {
  const nlohmann::json* node = &root;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '.') ++pos;
    if (path[pos] == '[') {
      size_t close = path.find(']', pos);
      size_t index = 0;
      if (close == absl::string_view::npos || !absl::SimpleAtoi(path.substr(pos + 1, close - pos - 1), &index)) {
        return absl::InternalError(absl::StrCat("bad JSON path ", path));
      }
      absl::string_view prefix = path.substr(0, pos);
      if (!node->is_array()) {
        if (node->is_null()) return Missing(what, prefix);
        return WrongType(what, prefix, "array", *node);
      }
      if (index >= node->size()) return Missing(what, path.substr(0, close + 1));
      node = &(*node)[index];
      pos = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", pos);
    if (end == absl::string_view::npos) end = path.size();
    std::string key(path.substr(pos, end - pos));
    absl::string_view prefix = path.substr(0, pos == 0 ? 0 : pos - 1);
    if (!node->is_object()) return WrongType(what, prefix.empty() ? "(top level)" : prefix, "object", *node);
    auto it = node->find(key);
    if (it == node->end()) return Missing(what, path.substr(0, end));
    node = &*it;
    pos = end;
  }
  return node;
}

absl::StatusOr<std::string> JsonString(const nlohmann::json& root, absl::string_view path, absl::string_view what) {
  auto node = JsonAt(root, path, what);
  if (!node.ok()) return node.status();
  if ((*node)->is_null()) return std::string();
  if (!(*node)->is_string()) return WrongType(what, path, "string", **node);
  return (*node)->get<std::string>();
}

absl::StatusOr<int64_t> JsonInt(const nlohmann::json& root, absl::string_view path, absl::string_view what) {
  auto node = JsonAt(root, path, what);
  if (!node.ok()) return node.status();
  if (!(*node)->is_number_integer()) return WrongType(what, path, "integer", **node);
  return (*node)->get<int64_t>();
}

absl::StatusOr<const nlohmann::json*> JsonArray(const nlohmann::json& root, absl::string_view path,
                                                absl::string_view what) {
  auto node = JsonAt(root, path, what);
  if (!node.ok()) return node.status();
  if (!(*node)->is_array()) return WrongType(what, path, "array", **node);
  return *node;
}

}  // namespace tritonbench
