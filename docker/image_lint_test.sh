#!/usr/bin/env bash
# The image definitions as CI can check them without a registry or a daemon: hadolint
# (TB_HADOLINT, installed by tools/setup.sh) passes both Dockerfiles and rejects a bad
# one; docker/image_check.py finds every base pinned and every path the definitions
# copy or run in the tree, and names what a broken copy gets wrong; docker/README.md has
# the docker run lines for both vendors.
set -uo pipefail
source tools/shell_checks.sh
: "${TB_HADOLINT:?run tools/setup.sh: TB_HADOLINT must name hadolint}"
t="$TEST_TMPDIR"
# The source tree the runfiles point into: the build context the Dockerfiles copy.
root=$(dirname "$(dirname "$(readlink -f docker/Dockerfile.rocm)")")
check "the source tree is found" [ -f "$root/WORKSPACE" ]

for f in docker/Dockerfile.rocm docker/Dockerfile.cuda; do
  "$TB_HADOLINT" --no-color "$f" > "$t/hadolint.txt" 2>&1
  check_exit "hadolint passes $f" 0 $?
  cat "$t/hadolint.txt"
done
printf 'FROM ubuntu:latest\nRUN cd /tmp && apt-get install -y curl\n' > "$t/Dockerfile.bad"
"$TB_HADOLINT" --no-color "$t/Dockerfile.bad" > "$t/bad.txt" 2>&1
check_exit "hadolint rejects an unpinned base" 1 $?
contains "naming the rule" "$t/bad.txt" "DL3007"

python3 docker/image_check.py --root="$root" > "$t/check.txt"
check_exit "every base is pinned and every path is in the tree" 0 $?
contains "all three definitions are checked" "$t/check.txt" "2 Dockerfiles, 1 Apptainer definition: 0 problem(s)"

# A broken copy: a floating tag, a script that is not there, root, a missing %files source.
mkdir -p "$t/broken"
cp -rL "$root/docker" "$root/tools" "$root/.dockerignore" "$t/broken/"
sed -i 's|^ARG BASE_IMAGE=.*|ARG BASE_IMAGE=rocm/pytorch:latest|; s|RUN docker/build_inside.sh|RUN docker/build_elsewhere.sh|; /^USER /d' \
  "$t/broken/docker/Dockerfile.rocm"
python3 docker/image_check.py --root="$t/broken" > "$t/broken.txt"
check_exit "a broken definition fails" 1 $?
contains "an unpinned base is named" "$t/broken.txt" "FROM rocm/pytorch:latest: not pinned to an exact tag or digest"
contains "a missing script is named" "$t/broken.txt" "runs docker/build_elsewhere.sh, which is not in the tree"
contains "running as root is named" "$t/broken.txt" "docker/Dockerfile.rocm: the image runs as root"
contains "a missing %files source is named" "$t/broken.txt" "%files agent: not in the tree"
contains "the Apptainer bases must match" "$t/broken.txt" "differ from docker/Dockerfile.rocm's"

contains "docker/README.md has the ROCm docker run line" docker/README.md "docker run --rm --device=/dev/kfd --device=/dev/dri --group-add video"
contains "and the NVIDIA one" docker/README.md "docker run --rm --gpus all"
contains "docker/README.md names the ROCm base image's tag" docker/README.md "$(sed -n 's/^ARG BASE_IMAGE=//p' docker/Dockerfile.rocm)"
contains "and the CUDA one" docker/README.md "$(sed -n 's/^ARG BASE_IMAGE=//p' docker/Dockerfile.cuda)"
contains "the top-level README points to it" README.md "docker/README.md"
finish
