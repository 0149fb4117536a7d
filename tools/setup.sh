#!/usr/bin/env bash
# Set-up for a fresh Debian 12 or Ubuntu 22.04+ machine (CPU-only, or a GPU host with
# torch and triton). Idempotent: a second run only checks.
#   1. Debian packages for the offline Bazel build (Bazel 4.2.3, rules_cc, protobuf,
#      Abseil, RE2, GoogleTest, Google Benchmark, libcurl, OpenSSL).
#   2. The Python interpreter the harness runs kernels with:
#      - $TB_PYTHON if set;
#      - else a python3 whose torch sees a GPU (CUDA or ROCm) and has triton;
#      - else a virtual environment with tools/requirements-cpu.txt (torch 2.13.0 CPU,
#        triton 3.6.0), cached under ~/.cache/tritonbench by the file's hash.
#   3. Test tools from PyPI (tools/requirements-tools.txt: hadolint, which lints the
#      Dockerfiles; kubernetes-validate, which checks the Kubernetes manifests of
#      tools/cluster) in a small virtual environment cached the same way.
#   4. .bazelrc.user, which passes that interpreter to the tests as TB_PYTHON and the
#      tools' paths (TB_HADOLINT, TB_KUBERNETES_VALIDATE).
# Also Debian's single-node Slurm (slurmctld, slurmd, slurm-client, munge) for
# //tools/cluster:slurm_test, without their recommended plugins.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(bazel-bootstrap bazel-rules-cc bazel-rules-java g++ libprotobuf-dev protobuf-compiler
  libabsl-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev
  libssl-dev nlohmann-json3-dev python3-venv chromium)
cluster_packages=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
missing_cluster=()
for p in "${cluster_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_cluster+=("$p")
done
if ((${#missing[@]} + ${#missing_cluster[@]})); then
  echo "setup: installing Debian packages: ${missing[*]} ${missing_cluster[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
  fi
  if ((${#missing_cluster[@]})); then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing_cluster[@]}"
  fi
else
  echo "setup: Debian packages present"
fi

python=""
if [[ -n "${TB_PYTHON:-}" ]]; then
  python="$TB_PYTHON"
  echo "setup: using TB_PYTHON=$python"
elif python3 -c 'import torch, triton, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python="$(python3 -c 'import sys; print(sys.executable)')"
  echo "setup: GPU host: using the installed $python"
else
  requirements=tools/requirements-cpu.txt
  digest=$(sha256sum "$requirements" | cut -c1-12)
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/tritonbench/venv-$digest"
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import torch, triton' 2>/dev/null; then
    echo "setup: creating $venv from $requirements"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  fi
  python="$venv/bin/python"
fi
"$python" -c 'import torch, triton
gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none (Triton CPU interpreter)"
print(f"setup: torch {torch.__version__}, triton {triton.__version__}, GPU: {gpu}")'

tools_requirements=tools/requirements-tools.txt
tools_venv="${XDG_CACHE_HOME:-$HOME/.cache}/tritonbench/tools-$(sha256sum "$tools_requirements" | cut -c1-12)"
if [[ ! -x "$tools_venv/bin/hadolint" || ! -x "$tools_venv/bin/kubernetes-validate" ]]; then
  echo "setup: creating $tools_venv from $tools_requirements"
  rm -rf "$tools_venv"
  python3 -m venv "$tools_venv"
  "$tools_venv/bin/python" -m pip install -q --disable-pip-version-check -r "$tools_requirements"
fi

printf '# Written by tools/setup.sh for this machine; not in version control.\ntest --test_env=TB_PYTHON=%s\ntest --test_env=TB_HADOLINT=%s\ntest --test_env=TB_KUBERNETES_VALIDATE=%s\n' \
  "$python" "$tools_venv/bin/hadolint" "$tools_venv/bin/kubernetes-validate" > .bazelrc.user
echo "setup: wrote .bazelrc.user (TB_PYTHON=$python); now run tools/test.sh"
echo "setup: to run tools/evaluate by hand: export TB_PYTHON=$python"
