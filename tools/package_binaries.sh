#!/usr/bin/env bash
# Builds the binaries a GPU host runs (evaluate; run_config and llm_test_server for
# tools/gpu_host/agent_gpu_check.sh; merge_runs for sharded runs, tools/cluster) and copies them, with the shared libraries a machine
# without this project's Debian packages lacks (abseil, protobuf, re2, curl, ...), into
# DEST (default dist/), where each binary's rpath ($ORIGIN/lib) finds them. On the
# other machine: DEST/evaluate --worker=harness/python/worker.py ...
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-dist}"
binaries=(evaluate run_config llm_test_server merge_runs)
bazel build -c opt "${binaries[@]/#///tools:}"
rm -rf "$dest"
mkdir -p "$dest/lib"
for b in "${binaries[@]}"; do
  cp "bazel-bin/tools/$b" "$dest/$b"
  chmod u+w "$dest/$b"
  # Everything but the C and C++ runtimes, which the other machine has in newer versions.
  ldd "bazel-bin/tools/$b" | awk '/=> \// {print $3}' |
    grep -vE '/(libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$dest/lib/"; done
done
echo "packaged $(ls "$dest/lib" | wc -l) libraries with ${binaries[*]} in $dest ($(du -sh "$dest" | cut -f1))"
