#!/usr/bin/env bash
# Another vendor's stack as evaluate meets it, through stand-in torch/triton packages
# (tools/testdata/fake_gpu_stack.py) that describe an MI300X or an H100 on this CPU
# machine: a ROCm torch with a triton that cannot target AMD is refused before any task
# runs, naming the fix (another triton than torch pins is a warning); a task needing a feature the GPU lacks is skipped with the
# feature and the device named, in the verdict and the run record; the run record
# names the vendor stack; the cache flush covers MI300's Infinity Cache.
set -uo pipefail
source tools/shell_checks.sh
evaluate="$1"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
t="$TEST_TMPDIR"
fake() { "$TB_PYTHON" tools/testdata/fake_gpu_stack.py --out="$t/$1" "${@:2}" > /dev/null; echo "$t/$1/python"; }
common=(--worker=harness/python/worker.py --scratch_dir="$t")
rocm_pin=pytorch-triton-rocm==3.3.1+gitc8757738

# Tasks that need a feature one vendor lacks: TMA (NVIDIA Hopper), the FNUZ fp8 format (MI300).
mkdir -p "$t/suite"
for need in TMA FP8_E4M3FNUZ; do
  id="needs_$(echo "$need" | tr 'A-Z' 'a-z')"
  cp -r suites/tritonbench_revised/vector_addition "$t/suite/$id"
  chmod -R u+w "$t/suite/$id"
  sed -i "s/^id: .*/id: \"$id\"/; /^required_features/d" "$t/suite/$id/task.textproto"
  echo "required_features: [$need]" >> "$t/suite/$id/task.textproto"
done

bad=$(fake rocm_bad --vendor=rocm --triton_dist=triton --backends=nvidia --pin=$rocm_pin)
"$evaluate" "${common[@]}" --python="$bad" --suite="$t/suite" --out="$t/refused" > "$t/bad.out" 2> "$t/bad.err"
check_exit "a ROCm torch with a triton lacking the AMD backend is refused" 2 $?
contains "the refusal names the mismatch" "$t/bad.err" "torch 2.7.1+rocm6.3 is a ROCm build, but triton 3.3.1+gitc8757738 (distribution triton) has no 'amd' backend"
contains "and the device" "$t/bad.err" "cannot run kernels on AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm)"
contains "and the fix" "$t/bad.err" "fix: pip uninstall -y triton && pip install $rocm_pin --index-url https://download.pytorch.org/whl/rocm6.3"
lacks "before any task ran" "$t/bad.out" "needs_"
check "no run record was started" [ ! -e "$t/refused/results.jsonl" ]

# PyPI's triton (both backends) where torch pins pytorch-triton-rocm: named, not refused.
pypi=$(fake rocm_pypi_triton --vendor=rocm --triton_dist=triton --triton_version=3.6.0 --backends=amd,nvidia --pin=$rocm_pin)
"$evaluate" "${common[@]}" --python="$pypi" --task="$t/suite/needs_tma" > /dev/null 2> "$t/pypi.err"
check_exit "a ROCm torch with another distribution of triton runs" 0 $?
contains "after a warning naming both" "$t/pypi.err" "warning: torch 2.7.1+rocm6.3 was built against $rocm_pin, but this environment has triton 3.6.0 (distribution triton)"
contains "and the fix" "$t/pypi.err" "fix: pip uninstall -y triton && pip install $rocm_pin --index-url https://download.pytorch.org/whl/rocm6.3"

# AMD's tools as the probe finds them on PATH (their real output formats; no amdgpu
# sysfs on this machine, so the clocks come from rocm-smi).
mkdir -p "$t/bin"
printf '#!/bin/sh\necho "AMDSMI Tool: 25.3.0+ede62f2 | AMDSMI Library version: 25.3.0 | ROCm version: 6.4.1 | amdgpu version: 6.12.12 | amd_hsmp version: N/A"\n' > "$t/bin/amd-smi"
cat > "$t/bin/rocm-smi" <<'SMI'
#!/bin/sh
echo "============================ ROCm System Management Interface ============================"
echo "================================ Current clock frequencies ================================"
printf 'GPU[0]\t\t: fclk clock level: 0: (1200Mhz)\n'
printf 'GPU[0]\t\t: mclk clock level: 3: (1300Mhz)\n'
printf 'GPU[0]\t\t: sclk clock level: 1: (2100Mhz)\n'
printf 'GPU[0]\t\t: socclk clock level: 3: (1143Mhz)\n'
SMI
chmod +x "$t/bin/amd-smi" "$t/bin/rocm-smi"

mi300=$(fake mi300 --vendor=rocm --triton_dist=pytorch-triton-rocm --backends=amd --pin=$rocm_pin)
PATH="$t/bin:$PATH" "$evaluate" "${common[@]}" --python="$mi300" --task="$t/suite/needs_tma" --out="$t/mi300" \
  > "$t/mi300.out" 2> "$t/mi300.err"
check_exit "a skipped task is not a failure" 0 $?
contains "before the run, the tasks the MI300X rules out" "$t/mi300.err" "AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm) lacks TMA: 1 task(s) will be skipped as UNSUPPORTED (needs_tma)"
contains "the verdict is a skip" "$t/mi300.out" "failure:    UNSUPPORTED"
contains "naming the device and the feature" "$t/mi300/results.jsonl" '"message":"AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm) lacks required feature(s): TMA"'
contains "the record counts it skipped" "$t/mi300/run_record.json" '"skipped": 1'
contains "MI300 offers the FNUZ fp8 format" "$t/mi300/run_record.json" '"FP8_E4M3FNUZ"'
contains "the record names the arch" "$t/mi300/run_record.json" '"device_arch": "gfx942:sramecc+:xnack-"'
contains "and the triton build" "$t/mi300/run_record.json" '"triton_build": "pytorch-triton-rocm 3.3.1+gitc8757738 (backends: amd)"'
contains "the ROCm version, from amd-smi" "$t/mi300/run_record.json" '"rocm_version": "6.4.1"'
contains "the driver, from amd-smi" "$t/mi300/run_record.json" '"driver_version": "6.12.12"'
contains "the clocks, from rocm-smi" "$t/mi300/run_record.json" '"clocks": "sclk 2100 MHz, mclk 1300 MHz"'
mkdir -p "$t/rocm/.info"
echo "6.4.3-128" > "$t/rocm/.info/version"
ROCM_PATH="$t/rocm" PATH="$t/bin:$PATH" "$evaluate" "${common[@]}" --python="$mi300" --task="$t/suite/needs_tma" \
  --out="$t/mi300_rocm_path" > /dev/null 2>&1
contains "an installed ROCm's own version file wins" "$t/mi300_rocm_path/run_record.json" '"rocm_version": "6.4.3-128"'

h100=$(fake h100 --vendor=cuda --triton_dist=triton --backends=amd,nvidia --triton_version=3.6.0 --pin=triton==3.6.0)
"$evaluate" "${common[@]}" --python="$h100" --task="$t/suite/needs_fp8_e4m3fnuz" > "$t/h100.out" 2> "$t/h100.err"
check_exit "on an H100 the FNUZ task is skipped, not failed" 0 $?
contains "naming the H100 and the feature" "$t/h100.out" "NVIDIA H100 80GB HBM3 (sm_90, cuda) lacks required feature(s): FP8_E4M3FNUZ"

old=$(fake h100_old_triton --vendor=cuda --triton_dist=triton --backends=amd,nvidia --triton_version=3.5.0 --pin=triton==3.6.0)
"$evaluate" "${common[@]}" --python="$old" --task="$t/suite/needs_fp8_e4m3fnuz" > /dev/null 2> "$t/old.err"
check_exit "another triton version than torch pins is a warning, not a refusal" 0 $?
contains "the warning names both versions and the fix" "$t/old.err" "warning: torch 2.7.1+cu128 was built against triton==3.6.0, but this environment has triton 3.5.0 (distribution triton)"

# amdgpu's DPM tables (pp_dpm_sclk), read where sysfs has them: the current level is starred.
printf '0: 500Mhz\n1: 1300Mhz\n2: 2100Mhz *\n' > "$t/pp_dpm_sclk"
"$TB_PYTHON" -c "import sys; sys.path.insert(0, 'harness/python'); import environment
print(environment._dpm_levels('$t/pp_dpm_sclk'))" > "$t/dpm"
contains "a DPM table gives the current and highest clock" "$t/dpm" "('2100', '2100')"
printf '0: 500Mhz *\n1: 1300Mhz\n2: 2100Mhz\n' > "$t/pp_dpm_sclk"
"$TB_PYTHON" -c "import sys; sys.path.insert(0, 'harness/python'); import environment
print(environment._dpm_levels('$t/pp_dpm_sclk'))" > "$t/dpm_idle"
contains "an idle GPU reads its lowest level" "$t/dpm_idle" "('500', '2100')"

# The cache flush: twice L2 plus MI300's 256 MiB Infinity Cache; at least 512 MiB elsewhere.
"$mi300" -c "import sys; sys.path.insert(0, 'harness/python'); import torch, timing
print(timing.L2Flusher.size_bytes(torch.cuda.get_device_properties(0)) >> 20)" > "$t/flush_mi300"
contains "MI300X flush covers 2 x (4 MiB L2 + 256 MiB Infinity Cache)" "$t/flush_mi300" "520"
"$h100" -c "import sys; sys.path.insert(0, 'harness/python'); import torch, timing
print(timing.L2Flusher.size_bytes(torch.cuda.get_device_properties(0)) >> 20)" > "$t/flush_h100"
contains "H100 flush is the 512 MiB floor" "$t/flush_h100" "512"

finish
