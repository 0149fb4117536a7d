#!/usr/bin/env bash
# Every GPU of a node and shards of a run, as a user meets them, without a GPU:
#  - evaluate --gpus over a stand-in worker that plays a machine with GPUs
#    (harness/testdata/fake_gpu_worker.py): each result names the GPU its worker was
#    pinned to, from the runner's own CUDA_VISIBLE_DEVICES, and a GPU that does not
#    exist is named before anything runs;
#  - --gpus=0,1 with --device=cpu: the real judge on the CPU interpreter, in a pool;
#  - --shard=I/N into shard folders, merge_runs --status and the merge, and every
#    refusal (bad --shard, a missing shard, another split on resume, a merged run again).
set -uo pipefail
source tools/shell_checks.sh
evaluate="$1"
merge_runs="$2"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
tmp="$TEST_TMPDIR"
real=(--python="$TB_PYTHON" --worker=harness/python/worker.py --scratch_dir="$tmp" --device=cpu)
tasks=suites/rocm/test_add_kernel,suites/rocm/test_block_copy,suites/rocm/test_triton_flip,suites/rocm/test_kernel_sub

# A stand-in machine with eight GPUs, of which this runner was given 3 and 5.
fake="$tmp/fake"
mkdir -p "$fake"
cp harness/testdata/fake_gpu_worker.py "$fake/worker.py"
names=$(printf '"Stand-in H100", %.0s' 1 2 3 4 5 6 7)'"Stand-in H100"'
cat > "$fake/fake_gpus.json" <<EOF
{"backend": "cuda", "names": [$names], "log": "$tmp/intervals.log", "sleep_s": 1.0}
EOF
gpu=(--python="$TB_PYTHON" --worker="$fake/worker.py" --scratch_dir="$tmp" --device=gpu)

CUDA_VISIBLE_DEVICES=3,5 "$evaluate" "${gpu[@]}" --task=$tasks --gpus=all --out="$tmp/gpus" \
  > "$tmp/gpus.out" 2> "$tmp/gpus.err"
check_exit "--gpus=all over two GPUs exits 0" 0 $?
contains "the GPUs are named with their pins" "$tmp/gpus.err" \
  "gpus: GPUs 0 (CUDA_VISIBLE_DEVICES=3), 1 (CUDA_VISIBLE_DEVICES=5): 1 evaluation(s) at once on each"
"$TB_PYTHON" - "$tmp/gpus" "$tmp/intervals.log" > "$tmp/gpus.check" <<'PY'
import json, sys
results = [json.loads(l) for l in open(sys.argv[1] + "/results.jsonl")]
for r in results:
    g = r.get("gpu", {})
    pinned = "CUDA_VISIBLE_DEVICES=" + g.get("visible_devices", "?")
    print("result", r["task_id"], "gpu", g.get("index"), g.get("visible_devices"), g.get("name"),
          "seen" if r["message"] == pinned else "NOT SEEN (%s)" % r["message"])
print("gpus used", sorted({r["gpu"]["visible_devices"] for r in results}))
events = sorted((float(t), 1 if k == "start" else -1, p) for k, p, t in (l.split() for l in open(sys.argv[2])))
now, peak, overlap = {}, {}, False
for t, d, p in events:
    now[p] = now.get(p, 0) + d
    peak[p] = max(peak.get(p, 0), now[p])
    overlap |= sum(1 for v in now.values() if v > 0) > 1
print("peak per gpu", sorted(peak.items()))
print("gpus overlapped", overlap)
PY
contains "every result names its GPU and its worker saw that pin" "$tmp/gpus.check" "gpu 1 5 Stand-in H100 seen"
lacks "no worker saw another pin" "$tmp/gpus.check" "NOT SEEN"
contains "both GPUs were used" "$tmp/gpus.check" "gpus used ['3', '5']"
contains "one evaluation at a time on each GPU" "$tmp/gpus.check" "peak per gpu [('3', 1), ('5', 1)]"
contains "the two GPUs evaluated at the same time" "$tmp/gpus.check" "gpus overlapped True"

CUDA_VISIBLE_DEVICES=3,5 "$evaluate" "${gpu[@]}" --task=$tasks --gpus=0,2 > /dev/null 2> "$tmp/nogpu.err"
check_exit "a GPU that does not exist exits 2" 2 $?
contains "it is named before anything runs" "$tmp/nogpu.err" "--gpus=0,2: GPU 2 does not exist: torch sees 2 GPU(s) here (0-1)"
"$evaluate" "${real[@]}" --device=auto --task=$tasks --gpus=0 > /dev/null 2> "$tmp/cpu-gpus.err"
check_exit "--gpus without a GPU exits 2" 2 $?
contains "the refusal says there is no GPU" "$tmp/cpu-gpus.err" "--gpus=0: no GPU here (torch sees none"

# The real judge, two slots on the CPU interpreter.
"$evaluate" "${real[@]}" --task=suites/rocm/test_add_kernel,suites/rocm/test_block_copy --gpus=0,1 \
  --out="$tmp/cpu-pool" > "$tmp/cpu-pool.out" 2> "$tmp/cpu-pool.err"
check_exit "--gpus=0,1 --device=cpu runs the pool" 0 $?
contains "the pool is described" "$tmp/cpu-pool.err" "gpus: 2 slot(s) on the CPU interpreter (nothing pinned)"
contains "both tasks are recorded" "$tmp/cpu-pool/run_record.json" '"execution_ok": 2'
lacks "no GPU is claimed on the CPU" "$tmp/cpu-pool/results.jsonl" '"gpu":'

# Shards: bad input first, nothing written.
"$evaluate" "${real[@]}" --task=$tasks --shard=5/4 --out="$tmp/bad" 2> "$tmp/shard54.err" > /dev/null
check_exit "--shard=5/4 exits 2" 2 $?
contains "--shard=5/4 is named" "$tmp/shard54.err" "--shard=5/4: the shard index must be from 0 to 3"
[[ ! -e "$tmp/bad" ]]; check_exit "nothing is written for a bad --shard" 0 $?
"$evaluate" "${real[@]}" --task=$tasks --shard=0/2 2> "$tmp/noout.err" > /dev/null
check_exit "--shard without --out exits 2" 2 $?
contains "--shard needs --out" "$tmp/noout.err" "--shard needs --out"
"$evaluate" "${real[@]}" --task=$tasks --shard_costs="$tmp/gpus" --out="$tmp/bad" 2> "$tmp/costs.err" > /dev/null
check_exit "--shard_costs without --shard exits 2" 2 $?

# Four tasks in two shards balanced by the costs the --gpus run recorded (the stand-in
# worker: quick), merged.
run="$tmp/run"
for i in 0 1; do
  CUDA_VISIBLE_DEVICES=3,5 "$evaluate" "${gpu[@]}" --task=$tasks --gpus=all --shard=$i/2 --shard_costs="$tmp/gpus" \
    --out="$run/shards/shard-$i-of-2" > "$tmp/shard$i.out" 2> "$tmp/shard$i.err"
  check_exit "shard $i/2 exits 0" 0 $?
  contains "shard $i/2 says its part" "$tmp/shard$i.err" "of 4 task(s), balanced by cost"
done
contains "a shard's record carries the split" "$run/shards/shard-1-of-2/run_record.json" '"split_sha256": "'
"$merge_runs" --status "$run/shards" > "$tmp/status.out"
check_exit "--status of finished shards exits 0" 0 $?
contains "--status says all finished" "$tmp/status.out" "all 2 shards finished"
"$merge_runs" --out="$run" "$run/shards" > "$tmp/merge.out" 2> "$tmp/merge.err"
check_exit "merging two finished shards exits 0" 0 $?
contains "the merge says what it wrote" "$tmp/merge.err" "merged 2 shards into $run/run_record.json (4 of 4 correct"
[[ $(wc -l < "$run/results.jsonl") -eq 4 ]]; check_exit "the merged run has one line per task" 0 $?
contains "the merged run lists its shards" "$run/run_record.json" '"merged_shards": ['
release=$(sed -n 's/^ *name: "\(.*\)"$/\1/p' suites/rocm/releases.textproto | tail -1)
contains "the merged run names the release" "$run/run_record.json" "\"release\": \"$release\""
"$merge_runs" --out="$run" "$run/shards" > /dev/null 2> "$tmp/again.err"
check_exit "merging into a run folder again exits 2" 2 $?
contains "the refusal says why" "$tmp/again.err" "already holds a run"

# A missing shard is named with its tasks; --status lists it for a re-submission.
"$merge_runs" --status --count=3 "$run/shards" > "$tmp/status3.out" 2> "$tmp/status3.err"
check_exit "--status with another count exits 2" 2 $?
contains "the count is named" "$tmp/status3.err" "is shard 0 of 2, not of 3"
part="$tmp/part"
mkdir -p "$part/shards" && cp -r "$run/shards/shard-0-of-2" "$part/shards/"
"$merge_runs" --status "$part/shards" > "$tmp/part.out"
check_exit "--status with a shard missing exits 1" 1 $?
contains "the missing shard is named with its tasks" "$tmp/part.out" "shard 1/2: missing, no run folder (2 task(s): "
contains "the line for scripts lists it" "$tmp/part.out" "unfinished: 1"
"$merge_runs" --out="$part" "$part/shards" > /dev/null 2> "$tmp/part.err"
check_exit "merging with a shard missing exits 1" 1 $?
[[ ! -e "$part/run_record.json" ]]; check_exit "nothing is merged with a shard missing" 0 $?

# A merge started before the shards finish waits for them (a Kubernetes merge Job).
"$merge_runs" --out="$part" --count=2 --wait_s=1 "$part/shards" > "$tmp/wait.out" 2> "$tmp/wait.err" &
waiter=$!
sleep 2
cp -r "$run/shards/shard-1-of-2" "$part/shards/"
wait "$waiter"
check_exit "a waiting merge merges once every shard is there" 0 $?
contains "it said what it waited for" "$tmp/wait.err" "1 of 2 shard(s) not finished; looking again in 1 s"
check "the waited-for merge is written" test -f "$part/run_record.json"

# A shard taken up with another split (other costs) is refused.
"$evaluate" "${gpu[@]}" --task=$tasks --shard=1/2 --out="$run/shards/shard-1-of-2" --resume 2> "$tmp/split.err" > /dev/null
check_exit "resuming a shard with another split exits 2" 2 $?
contains "the refusal names the split" "$tmp/split.err" "of another split of the run (balanced by cost vs by name)"

finish
