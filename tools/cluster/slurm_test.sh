#!/usr/bin/env bash
# A run split over a real Slurm: a single-node Slurm (Debian's slurmctld, slurmd and
# munge, tools/cluster/local_slurm.sh) started under a folder of the test's own and
# stopped at the end, leaving nothing running and nothing in /tmp or /dev/shm.
#  1. Eight small ROCm tasks' ground truths, evaluated unsharded, then as a 4-shard job
#     array balanced by the unsharded run's costs; one shard is cancelled (scancel) after
#     its first task; the merge job names it; submitting again runs that shard alone,
#     which keeps its finished task byte for byte and evaluates only the other; the
#     merged run has every verdict of the unsharded one, each task once.
#  2. The zero-shot configuration in two shards with the local test server as the LLM:
#     key and endpoint reach the jobs through the environment, never the job files.
#  3. A Slurm that does not answer is named before anything is written.
set -uo pipefail
source tools/shell_checks.sh
evaluate="$PWD/$1"
run_config="$PWD/$2"
merge_runs="$PWD/$3"
server="$PWD/$4"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool not found: run tools/setup.sh (slurmctld, slurmd, slurm-client, munge)"; exit 1; }
done

# Short: munge's socket path must fit in 107 bytes.
d=$(mktemp -d /tmp/tb-slurm.XXXXXX)
server_pid=""
cleanup() {
  tools/cluster/local_slurm.sh stop "$d"
  [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null
  rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # a test timeout still stops the daemons (the EXIT trap)
start=$(date +%s)
eval "$(tools/cluster/local_slurm.sh start "$d")" || { echo "FAIL: the local Slurm did not start"; exit 1; }
check "the local Slurm answers" scontrol ping

wait_for_jobs() {  # until no job is queued or running (at most $1 seconds)
  for _ in $(seq $(($1 * 5))); do
    [[ -z "$(squeue -h -o %i)" ]] && return 0
    sleep 0.2
  done
  echo "FAIL: jobs still running after $1 s:"; squeue; return 1
}

# A suite of eight small tasks (one the CPU interpreter skips), with its release.
suite="$d/suites/rocm"
mkdir -p "$suite"
cp -rL suites/rocm/releases.textproto suites/rocm/{test_add_kernel,test_block_copy,test_kernel_sub,test_chained_dot_fp8,test_cast_matmul,test_block_pointer_matmul,gemm,multreduce_matmul_dot_kernel} "$suite/"
chmod -R u+w "$suite"
common=(--suite="$suite" --device=cpu --python="$TB_PYTHON" --worker="$PWD/harness/python/worker.py" --scratch_dir="$d")

"$evaluate" "${common[@]}" --jobs=2 --out="$d/base" > "$d/base.out" 2>&1
check_exit "the unsharded run exits 0" 0 $?

# --- 1. Four shards, one cancelled mid-run, submitted again.
run="$d/runs/gt"
submit=(tools/cluster/slurm_submit.sh --run_dir="$run" --shards=4 --gpus_per_shard=0 --cpus_per_shard=1 --
        "$evaluate" "${common[@]}" --shard_costs="$d/base")
"${submit[@]}" > "$d/submit1.out" 2>&1
check_exit "the first submission exits 0" 0 $?
contains "all four shards are submitted" "$d/submit1.out" "shards to run: 0,1,2,3 (of 0-3)"
array=$(sed -n 's/.*array job \([0-9]*\).*/\1/p' "$d/submit1.out")
victim=""
for _ in $(seq 1500); do
  for i in 0 1 2 3; do
    f="$run/shards/shard-$i-of-4/results.jsonl"
    if [[ -f "$f" ]] && (($(wc -l < "$f") == 1)); then victim=$i; break 2; fi
  done
  sleep 0.1
done
[[ -n "$victim" ]] && scancel "${array}_$victim"
check "a shard was cancelled after its first task" test -n "$victim"
wait_for_jobs 240
shard="$run/shards/shard-$victim-of-4"
kept_line=$(head -1 "$shard/results.jsonl")
(($(wc -l < "$shard/results.jsonl") == 1)); check_exit "the cancelled shard kept its one finished task, no other line" 0 $?
contains "the cancelled shard is marked interrupted" "$shard/run_record.json" '"interrupted": true'
contains "the merge names the unfinished shard" "$run/slurm/merge.log" "shard $victim/4: unfinished, 1 of 2 task(s) (interrupted"
[[ ! -f "$run/run_record.json" ]]; check_exit "nothing is merged while a shard is unfinished" 0 $?

"${submit[@]}" > "$d/submit2.out" 2>&1
check_exit "the second submission exits 0" 0 $?
contains "only the cancelled shard is submitted again" "$d/submit2.out" "shards to run: $victim (of 0-3)"
wait_for_jobs 240
contains "the shard resumed" "$run/slurm/shard-$victim.log" "1 of 2 task(s) already finished there, kept"
[[ "$(head -1 "$shard/results.jsonl")" == "$kept_line" ]]
check_exit "the finished task's result is kept byte for byte" 0 $?
(($(wc -l < "$shard/results.jsonl") == 2)); check_exit "the resumed shard holds its two tasks" 0 $?
contains "the shard's record lists the resumption" "$shard/run_record.json" '"resumed_at": ['
check "the merged run is written" test -f "$run/run_record.json"
"$TB_PYTHON" - "$d/base" "$run" > "$d/compare.txt" <<'PY'
import json, sys
def verdicts(run):
    return {r["task_id"]: (r.get("execution_ok", False), r.get("failure_kind", "NONE"))
            for r in (json.loads(l) for l in open(run + "/results.jsonl"))}
base, merged = verdicts(sys.argv[1]), verdicts(sys.argv[2])
ids = [json.loads(l)["task_id"] for l in open(sys.argv[2] + "/results.jsonl")]
print("tasks", len(ids), "distinct", len(set(ids)))
print("verdicts", "equal" if base == merged else "differ: %s vs %s" % (base, merged))
print("skipped", sorted(t for t, v in merged.items() if v[1] == "UNSUPPORTED"))
record = json.load(open(sys.argv[2] + "/run_record.json"))
print("merged_shards", len(record["merged_shards"]), "release", record["release"])
PY
contains "each task once in the merged run" "$d/compare.txt" "tasks 8 distinct 8"
contains "the merged run has the unsharded run's verdicts" "$d/compare.txt" "verdicts equal"
contains "the skipped task stays skipped" "$d/compare.txt" "skipped ['test_chained_dot_fp8']"
release=$(sed -n 's/^ *name: "\(.*\)"$/\1/p' suites/rocm/releases.textproto | tail -1)
contains "the merged run names its shards and release" "$d/compare.txt" "merged_shards 4 release $release"
"${submit[@]}" > "$d/submit3.out" 2>&1
check_exit "submitting a merged run again exits 0" 0 $?
contains "it says there is nothing to do" "$d/submit3.out" "already holds the merged run; nothing to submit"

# --- 2. run_config in two shards, the LLM's key and endpoint from the environment.
"$server" --openai_answer_file=agent/testdata/scripted/fixed.txt --port_file="$d/port" > "$d/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$d/port" ]] && break; sleep 0.05; done
export TB_TEST_LLM_URL="http://127.0.0.1:$(cat "$d/port")"
export OPENAI_API_KEY="sk-slurm-test-$RANDOM$RANDOM"
agent="$d/runs/zero_shot"
tools/cluster/slurm_submit.sh --run_dir="$agent" --shards=2 --gpus_per_shard=0 --cpus_per_shard=1 -- \
  "$run_config" --config=agent/configs/zero_shot.textproto --base_url='${TB_TEST_LLM_URL}' --root="$PWD" \
  --task=suites/tritonbench_revised/vector_addition,suites/rocm/test_add_kernel --device=cpu --gpus=0,1 \
  --python="$TB_PYTHON" --worker=harness/python/worker.py --scratch_dir="$d" > "$d/agent.out" 2>&1
check_exit "the agent's shards are submitted" 0 $?
wait_for_jobs 240
lacks "the key is in no job file" "$agent/slurm/shards.sbatch" "$OPENAI_API_KEY"
lacks "the endpoint is in no job file" "$agent/slurm/shards.sbatch" "$TB_TEST_LLM_URL"
contains "the job file expands the endpoint's variable" "$agent/slurm/shards.sbatch" '--base_url="${TB_TEST_LLM_URL}"'
contains "the agent's shards are merged" "$agent/slurm/merge.log" "merged 2 shards into $agent/run_record.json"
contains "the merged agent run keeps its configuration" "$agent/run_record.json" '"configuration": "zero_shot"'
(($(wc -l < "$agent/generations.jsonl") == 2)); check_exit "the merged agent run has a generation per task" 0 $?
check "the kept candidates come along" test -f "$agent/candidates/vector_addition/iter1_c0.py"
check "each shard's transcripts come along" test -d "$agent/transcripts/session-1"
contains "the evaluations ran in the CPU pool" "$agent/slurm/shard-0.log" "gpus: 2 slot(s) on the CPU interpreter"
OPENAI_API_KEY=leaked-secret-value tools/cluster/slurm_submit.sh --run_dir="$d/runs/leak" --shards=2 \
  --gpus_per_shard=0 -- "$evaluate" "${common[@]}" --trusted_triton_cache=leaked-secret-value > "$d/leak.out" 2>&1
check_exit "a secret in a job file is refused" 2 $?
contains "the refusal names the variable" "$d/leak.out" 'holds the value of $OPENAI_API_KEY'
check "no job file is left with it" test ! -f "$d/runs/leak/slurm/shards.sbatch"

# --- 3. A Slurm that does not answer.
sed 's/^SlurmctldPort=.*/SlurmctldPort=9/' "$SLURM_CONF" > "$d/dead.conf"
SLURM_CONF="$d/dead.conf" tools/cluster/slurm_submit.sh --run_dir="$d/runs/dead" --shards=2 --gpus_per_shard=0 -- \
  "$evaluate" "${common[@]}" > "$d/dead.out" 2>&1
check_exit "an unreachable Slurm exits 2" 2 $?
contains "it is named" "$d/dead.out" "Slurm is not reachable: scontrol ping says: Slurmctld(primary) at"
check "nothing is written for it" test ! -e "$d/runs/dead"
tools/cluster/slurm_submit.sh --run_dir="$d/runs/bad" --shards=0 -- "$evaluate" > "$d/bad.out" 2>&1
check_exit "--shards=0 exits 2" 2 $?
tools/cluster/slurm_submit.sh --run_dir="$d/runs/bad" --shards=2 -- "$evaluate" --out=x > "$d/bad2.out" 2>&1
contains "a runner's own --out is refused" "$d/bad2.out" "'--out=x': run_shard.sh gives each shard"

echo "slurm test: $(($(date +%s) - start)) s"
cleanup
trap - EXIT
leftover=$(ps -eo pid,args | grep -E "slurmctld|slurmd|munged|slurmstepd" | grep -F "$d" | grep -v grep)
[[ -z "$leftover" ]]; check_exit "no Slurm process is left" 0 $?
check "the Slurm folder is gone" test ! -e "$d"
finish
