#!/usr/bin/env bash
# The Kubernetes manifests of tools/cluster/k8s_render.sh, for NVIDIA and AMD nodes, a GPU
# or a whole node per shard, evaluate and run_config, validated against the Kubernetes
# API's schemas by kubernetes-validate (PyPI; it bundles the schemas, so no cluster and
# no network are needed) in strict mode, which refuses any field the API lacks; and
# what each manifest must say. No cluster runs here.
set -uo pipefail
source tools/shell_checks.sh
validate="${TB_KUBERNETES_VALIDATE:?run tools/setup.sh: TB_KUBERNETES_VALIDATE must name kubernetes-validate}"
tmp="$TEST_TMPDIR"
render=tools/cluster/k8s_render.sh

valid() {  # valid <description> <manifest file>
  if "$validate" --strict --quiet "$2" > "$2.validation" 2>&1; then
    echo "ok: $1"
  else
    echo "FAIL: $1:"
    cat "$2.validation"
    failures=$((failures + 1))
  fi
}

"$render" --run=gt-h100 --shards=8 --gpus_per_shard=8 -- evaluate --suite=suites/tritonbench_revised --jobs=2 \
  --baselines=torch_eager,torch_compile > "$tmp/nvidia.yaml"
check_exit "rendering an NVIDIA whole-node run exits 0" 0 $?
valid "the NVIDIA manifests validate" "$tmp/nvidia.yaml"
contains "an Indexed Job: completion index = shard" "$tmp/nvidia.yaml" "completionMode: Indexed"
contains "one completion per shard" "$tmp/nvidia.yaml" "completions: 8"
contains "each index retried on its own" "$tmp/nvidia.yaml" "backoffLimitPerIndex: 3"
contains "the shard index comes from the completion index" "$tmp/nvidia.yaml" \
  "fieldPath: \"metadata.annotations['batch.kubernetes.io/job-completion-index']\""
contains "NVIDIA GPUs, a whole node" "$tmp/nvidia.yaml" "nvidia.com/gpu: 8"
contains "the CUDA image" "$tmp/nvidia.yaml" 'image: "tritonbench:cuda"'
contains "run_shard.sh runs the shard" "$tmp/nvidia.yaml" \
  'args: ["/runs/gt-h100", "$(SHARD_INDEX)", "8", "/opt/tritonbench/dist/evaluate", "--suite=suites/tritonbench_revised", "--jobs=2", "--baselines=torch_eager,torch_compile", "--gpus=all", "--scratch_dir=/scratch"]'
contains "the shared volume for run folders" "$tmp/nvidia.yaml" 'claimName: "tritonbench-runs"'
contains "shared memory for torch" "$tmp/nvidia.yaml" "medium: Memory"
contains "the merge waits for every shard" "$tmp/nvidia.yaml" \
  "merge_runs --out=/runs/gt-h100 --count=8 --wait_s=60 /runs/gt-h100/shards"
lacks "no claim unless asked for" "$tmp/nvidia.yaml" "kind: PersistentVolumeClaim"

"$render" --run=qwen3-geak --shards=16 --vendor=amd --parallelism=8 --storage=500Gi --storage_class=cephfs \
  --namespace=bench --secret=llm-keys --env=LLM_BASE_URL=http://vllm.bench:8000 --supplemental_groups=44,110 -- \
  run_config --config=agent/configs/geak_agent.textproto --suite=suites/rocm --provider=openai \
  --model=Qwen/Qwen3-8B --base_url='$(LLM_BASE_URL)' > "$tmp/amd.yaml"
check_exit "rendering an AMD agent run exits 0" 0 $?
valid "the AMD manifests validate" "$tmp/amd.yaml"
contains "AMD GPUs, one per shard" "$tmp/amd.yaml" "amd.com/gpu: 1"
contains "the ROCm image" "$tmp/amd.yaml" 'image: "tritonbench:rocm"'
contains "the claim, ReadWriteMany" "$tmp/amd.yaml" 'accessModes: ["ReadWriteMany"]'
contains "the claim's class" "$tmp/amd.yaml" 'storageClassName: "cephfs"'
contains "the namespace" "$tmp/amd.yaml" 'namespace: "bench"'
contains "eight pods at once" "$tmp/amd.yaml" "parallelism: 8"
contains "the keys come from a Secret" "$tmp/amd.yaml" 'name: "llm-keys"'
contains "the endpoint is an environment variable" "$tmp/amd.yaml" 'value: "http://vllm.bench:8000"'
contains "the runner's argument refers to it" "$tmp/amd.yaml" '"--base_url=$(LLM_BASE_URL)"'
contains "the render and video groups for /dev/kfd" "$tmp/amd.yaml" "supplementalGroups: [44, 110]"

"$render" --run=cpu --shards=2 --gpus_per_shard=0 -- evaluate --suite=suites/rocm --device=cpu > "$tmp/cpu.yaml"
valid "CPU-only manifests validate" "$tmp/cpu.yaml"
lacks "no GPU asked for" "$tmp/cpu.yaml" "gpu:"
lacks "no --gpus added" "$tmp/cpu.yaml" "--gpus=all"

# The validator refuses what the API lacks: the check can fail.
sed 's/completionMode:/completionsMode:/' "$tmp/nvidia.yaml" > "$tmp/typo.yaml"
if "$validate" --strict --quiet "$tmp/typo.yaml" > "$tmp/typo.out" 2>&1; then
  echo "FAIL: a misspelt field passed validation"; failures=$((failures + 1))
else
  contains "a misspelt field is refused" "$tmp/typo.out" "'completionsMode' was unexpected"
fi

"$render" --run=Bad_Name --shards=2 -- evaluate > /dev/null 2> "$tmp/name.err"
check_exit "a name Kubernetes refuses exits 2" 2 $?
contains "the name is named" "$tmp/name.err" "--run=Bad_Name: a lower-case name"
"$render" --run=x --shards=2 --vendor=intel -- evaluate > /dev/null 2> "$tmp/vendor.err"
check_exit "an unknown vendor exits 2" 2 $?
"$render" --run=x --shards=2 -- evaluate --out=/runs/x > /dev/null 2> "$tmp/out.err"
check_exit "a runner's own --out exits 2" 2 $?
contains "the refusal says why" "$tmp/out.err" "run_shard.sh gives each shard its --shard, --out"
"$render" --run=x --shards=0 -- evaluate > /dev/null 2> /dev/null
check_exit "--shards=0 exits 2" 2 $?
finish
