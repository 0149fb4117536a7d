#!/usr/bin/env bash
# The build the images run (docker/Dockerfile.rocm, docker/Dockerfile.cuda,
# docker/tritonbench.def), runnable as is on a Debian 12 machine or container:
#   1. the Debian packages tools/setup.sh installs (its `packages` list, the one place
#      that names them), except the browser only the leaderboard's HTML test needs;
#   2. tools/package_binaries.sh: Bazel (Debian's bazel-bootstrap, offline) builds
#      evaluate, run_config and llm_test_server, which are copied with the shared
#      libraries they need into DEST (default dist), so that they run on a GPU image
#      (Ubuntu 22.04 or newer) that has none of these packages.
#   docker/build_inside.sh [DEST]
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-dist}"

listed=$(sed -n '/^packages=(/,/)/p' tools/setup.sh | tr -d '()' | sed 's/^packages=//')
read -r -d '' -a packages <<< "$listed" || true  # -d '': the whole list, newlines included
wanted=()
for p in "${packages[@]}"; do
  [[ "$p" == chromium ]] || wanted+=("$p")
done
((${#wanted[@]} > 5)) || { echo "build_inside: cannot read the package list of tools/setup.sh" >&2; exit 1; }
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q ca-certificates "${wanted[@]}"

tools/package_binaries.sh "$dest"
if ldd "$dest/evaluate" | grep "not found"; then
  echo "build_inside: $dest/evaluate lacks a library" >&2
  exit 1
fi
echo "build_inside: binaries in $dest"
