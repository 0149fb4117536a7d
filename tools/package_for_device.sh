#!/usr/bin/env bash
# Builds //tools:evaluate and copies it, with the shared libraries a machine without
# this project's Debian packages lacks (abseil, protobuf, re2, ...), into DEST
# (default .devbin/), where the binary's rpath ($ORIGIN/lib) finds them. On the other
# machine: DEST/evaluate --worker=harness/python/worker.py ...
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-.devbin}"
bazel build -c opt //tools:evaluate
rm -rf "$dest"
mkdir -p "$dest/lib"
cp bazel-bin/tools/evaluate "$dest/evaluate"
chmod u+w "$dest/evaluate"
# Everything but the C and C++ runtimes, which the other machine has in newer versions.
ldd bazel-bin/tools/evaluate | awk '/=> \// {print $3}' |
  grep -vE '/(libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
  while read -r lib; do cp -L "$lib" "$dest/lib/"; done
echo "packaged $(ls "$dest/lib" | wc -l) libraries with $dest/evaluate ($(du -sh "$dest" | cut -f1))"
