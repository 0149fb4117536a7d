#include "harness/suite.h"

#include <dirent.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/files.h"

namespace tritonbench {
namespace {

absl::StatusOr<std::vector<std::string>> ListNames(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return absl::NotFoundError(absl::StrCat(dir, ": cannot list folder"));
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }
  void Update(const std::string& bytes) { EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()); }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &len);
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
      hex.push_back(kHex[digest[i] >> 4]);
      hex.push_back(kHex[digest[i] & 15]);
    }
    return hex;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace

absl::StatusOr<std::vector<std::string>> ListTaskDirs(const std::string& suite_dir) {
  const std::string root(absl::StripSuffix(suite_dir, "/"));
  auto names = ListNames(root);
  if (!names.ok()) return names.status();
  std::vector<std::string> dirs;
  for (const auto& name : *names) {
    const std::string dir = absl::StrCat(root, "/", name);
    if (IsDirectory(dir) && IsRegularFile(dir + "/task.textproto")) dirs.push_back(dir);
  }
  if (dirs.empty()) return absl::NotFoundError(absl::StrCat(suite_dir, ": no task folders (none holds a task.textproto)"));
  return dirs;
}

absl::StatusOr<std::string> ContentHash(const std::vector<std::string>& dirs,
                                        std::map<std::string, std::string>* per_dir) {
  std::vector<std::string> sorted = dirs;
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return BaseName(a) < BaseName(b); });
  Sha256 hash;
  for (const auto& dir : sorted) {
    auto names = ListNames(dir);
    if (!names.ok()) return names.status();
    Sha256 own;
    for (const auto& name : *names) {
      const std::string path = absl::StrCat(dir, "/", name);
      if (!IsRegularFile(path)) continue;
      auto bytes = ReadFile(path);
      if (!bytes.ok()) return bytes.status();
      const std::string header =
          absl::StrCat(BaseName(dir), "/", name, std::string(1, '\0'), bytes->size(), std::string(1, '\0'));
      hash.Update(header);
      hash.Update(*bytes);
      if (per_dir) {  // a second digest only when asked: evaluate hashes every task at start
        own.Update(header);
        own.Update(*bytes);
      }
    }
    if (per_dir) (*per_dir)[BaseName(dir)] = own.HexDigest();
  }
  return hash.HexDigest();
}

absl::StatusOr<std::string> FileSha256(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  Sha256 hash;
  hash.Update(*bytes);
  return hash.HexDigest();
}

std::string Sha256Hex(const std::string& bytes) {
  Sha256 hash;
  hash.Update(bytes);
  return hash.HexDigest();
}

}  // namespace tritonbench
