#!/usr/bin/env bash
# Submits a run split into shards to Slurm: a job array with one element per shard
# (one GPU, or one whole node, each) and a merge job that runs when the array has ended.
# Submitting the same run again submits only the shards not finished yet (each resumes
# its run folder) and the merge; a merged run is left as it is.
#
#   tools/cluster/slurm_submit.sh --run_dir=/shared/runs/RUN --shards=N [options] -- \
#       RUNNER [ARGS...]
#
# RUNNER is bazel-bin/tools/evaluate or bazel-bin/tools/run_config (or the image's
# /opt/tritonbench/dist/...) on a file system every node sees, ARGS its flags without
# --shard, --out or --resume: each element runs tools/cluster/run_shard.sh, which adds
# them (RUN_DIR/shards/shard-I-of-N). With GPUs and no --gpus in ARGS, --gpus=all is
# added: each shard uses every GPU Slurm gave it.
#
# Options:
#   --gpus_per_shard=G   GPUs per array element, as --gres=gpu:G (default 1; 0: none)
#   --exclusive          a whole node per element (with --gpus_per_shard=8 on 8-GPU nodes)
#   --cpus_per_shard=C   --cpus-per-task (the evaluations' CPU-side work; 8 per GPU is ample)
#   --mem=M  --time=T  --partition=P
#   --sbatch_arg=ARG     passed to sbatch for both jobs (repeatable: --account=..., --qos=...,
#                        a container option of the site's plugin)
#   --merge_runs=PATH    default: beside RUNNER
#   --dry_run            write the job files and say what would be submitted; submit nothing
#
# Secrets stay out of the job files: the jobs inherit the submitting shell's environment
# (sbatch's default --export=ALL), so set OPENAI_API_KEY (or the variable the
# configuration's api_key_env names) there. An argument may name an environment
# variable as ${NAME}, expanded in the job (--base_url='${LLM_BASE_URL}'). The job files
# are refused if they would hold the value of a variable whose name ends in _KEY, _TOKEN
# or _SECRET.
#
# Files: RUN_DIR/slurm/shards.sbatch and merge.sbatch (the jobs as submitted),
# shard-<I>.log and merge.log (appended on each submission), submissions.txt.
# Exit status: 0 submitted (or nothing left to do), 2 bad input, Slurm unreachable or
# sbatch refused.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

die() {
  echo "slurm_submit: $*" >&2
  exit 2
}

run_dir="" shards="" gpus_per_shard=1 exclusive=0 cpus="" mem="" time_limit="" partition="" merge_runs="" dry_run=0
sbatch_args=()
while (($#)); do
  case "$1" in
    --run_dir=*) run_dir="${1#*=}" ;;
    --shards=*) shards="${1#*=}" ;;
    --gpus_per_shard=*) gpus_per_shard="${1#*=}" ;;
    --exclusive) exclusive=1 ;;
    --cpus_per_shard=*) cpus="${1#*=}" ;;
    --mem=*) mem="${1#*=}" ;;
    --time=*) time_limit="${1#*=}" ;;
    --partition=*) partition="${1#*=}" ;;
    --sbatch_arg=*) sbatch_args+=("${1#*=}") ;;
    --merge_runs=*) merge_runs="${1#*=}" ;;
    --dry_run) dry_run=1 ;;
    --) shift; break ;;
    *) die "unknown option '$1' (see the head of $0)" ;;
  esac
  shift
done
(($#)) || die "give the runner after --: -- bazel-bin/tools/evaluate --suite=... (see the head of $0)"
[[ -n "$run_dir" ]] || die "give --run_dir=DIR (on a file system every node sees)"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards=$shards: give the number of shards, at least 1"
[[ "$gpus_per_shard" =~ ^[0-9]+$ ]] || die "--gpus_per_shard=$gpus_per_shard: give a number of GPUs"
runner="$1"
shift
[[ -x "$runner" ]] || die "the runner $runner is not an executable file"
case "$(basename "$runner")" in
  evaluate | run_config) ;;
  *) die "the runner $runner is neither evaluate nor run_config" ;;
esac
source "$here/shard_args.sh"
shard_runner_args "$gpus_per_shard" "$@"
run_dir="$(realpath -m "$run_dir")"
runner="$(realpath -s "$runner")"
merge_runs="${merge_runs:-$(dirname "$runner")/merge_runs}"
[[ -x "$merge_runs" ]] || die "merge_runs not found at $merge_runs (bazel build //tools:merge_runs, or --merge_runs=PATH)"
merge_runs="$(realpath -s "$merge_runs")"

if [[ -f "$run_dir/run_record.json" ]]; then
  echo "slurm_submit: $run_dir already holds the merged run; nothing to submit"
  exit 0
fi

# Slurm must answer before anything is written or submitted.
for tool in sbatch squeue scontrol; do
  command -v "$tool" > /dev/null || die "$tool not found: this machine is not a Slurm submit host (no Slurm client)"
done
if [[ -n "${SLURM_CONF:-}" && ! -f "$SLURM_CONF" ]]; then
  die "Slurm is not reachable: SLURM_CONF=$SLURM_CONF does not exist"
fi
if ! ping_out=$(timeout 60 scontrol ping 2>&1) || ! grep -q "is UP" <<< "$ping_out"; then
  die "Slurm is not reachable: scontrol ping says: $(head -1 <<< "$ping_out")"
fi

mkdir -p "$run_dir" || die "cannot make the run folder $run_dir"

# One name for every job of this run, to find those still queued or running.
tag="tb-$(basename "$run_dir")-$(printf '%s' "$run_dir" | sha256sum | cut -c1-8)"
live=$(squeue -h -n "$tag-shards,$tag-merge" -o %i 2>&1) || die "squeue failed: $live"
if [[ -n "$live" ]]; then
  die "jobs of this run are still queued or running ($(tr '\n' ' ' <<< "$live")): wait for them, or scancel them first"
fi

# The shards to run: all of them at first, then those not finished.
pending=""
if [[ -d "$run_dir/shards" ]] && [[ -n "$(ls -A "$run_dir/shards")" ]]; then
  status=$("$merge_runs" --status --count="$shards" "$run_dir/shards" 2>&1)
  case $? in
    0) pending="" ;;
    1) pending=$(sed -n 's/^unfinished: //p' <<< "$status") ;;
    *) die "the shards in $run_dir/shards cannot be taken up: $status" ;;
  esac
else
  pending=$(seq -s, 0 $((shards - 1)))
fi

# The job files: every argument quoted, ${NAME} left for the job's shell to expand.
quote() {
  local out="" a q
  for a in "$@"; do
    q=$(printf '%q' "$a")
    q=$(sed -E 's/\\\$\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}/"${\1}"/g' <<< "$q")
    out+=" $q"
  done
  printf '%s' "${out# }"
}
options=("--chdir=$PWD")
((gpus_per_shard > 0)) && options+=("--gres=gpu:$gpus_per_shard")
((exclusive)) && options+=(--exclusive)
[[ -n "$cpus" ]] && options+=("--cpus-per-task=$cpus")
[[ -n "$mem" ]] && options+=("--mem=$mem")
[[ -n "$time_limit" ]] && options+=("--time=$time_limit")
[[ -n "$partition" ]] && options+=("--partition=$partition")
options+=("${sbatch_args[@]}")
mkdir -p "$run_dir/slurm"
{
  echo "#!/bin/bash"
  echo "# One shard of $run_dir per array element (tools/cluster/slurm_submit.sh)."
  echo "#SBATCH --job-name=$tag-shards"
  echo "#SBATCH --output=$run_dir/slurm/shard-%a.log"
  echo "#SBATCH --open-mode=append"
  for o in "${options[@]}"; do echo "#SBATCH $o"; done
  echo "export MERGE_RUNS=$(quote "$merge_runs")"
  echo "exec $(quote "$here/run_shard.sh" "$run_dir") \"\$SLURM_ARRAY_TASK_ID\" $shards $(quote "$runner" "${runner_args[@]}")"
} > "$run_dir/slurm/shards.sbatch"
{
  echo "#!/bin/bash"
  echo "# Merges the shards of $run_dir once the array has ended (tools/cluster/slurm_submit.sh)."
  echo "#SBATCH --job-name=$tag-merge"
  echo "#SBATCH --output=$run_dir/slurm/merge.log"
  echo "#SBATCH --open-mode=append"
  echo "#SBATCH --chdir=$PWD"
  for o in "${sbatch_args[@]}"; do echo "#SBATCH $o"; done
  [[ -n "$partition" ]] && echo "#SBATCH --partition=$partition"
  echo "exec $(quote "$merge_runs" "--out=$run_dir" "$run_dir/shards")"
} > "$run_dir/slurm/merge.sbatch"
# No secret of the environment in a job file.
while IFS='=' read -r name value; do
  [[ "$name" =~ (_KEY|_TOKEN|_SECRET)$ ]] && ((${#value} >= 8)) || continue
  if grep -qF -- "$value" "$run_dir/slurm/shards.sbatch" "$run_dir/slurm/merge.sbatch"; then
    rm -f "$run_dir/slurm/shards.sbatch" "$run_dir/slurm/merge.sbatch"
    die "an argument holds the value of \$$name: pass secrets through the environment, never in a job file"
  fi
done < <(env)

if [[ -z "$pending" ]]; then
  echo "slurm_submit: all $shards shards of $run_dir are finished; submitting the merge"
else
  echo "slurm_submit: shards to run: $pending (of 0-$((shards - 1)))"
fi
if ((dry_run)); then
  [[ -n "$pending" ]] && echo "would run: sbatch --parsable --array=$pending $run_dir/slurm/shards.sbatch"
  echo "would run: sbatch --parsable ${pending:+--dependency=afterany:<array job>} $run_dir/slurm/merge.sbatch"
  exit 0
fi
array_job=""
if [[ -n "$pending" ]]; then
  array_job=$(sbatch --parsable --array="$pending" "$run_dir/slurm/shards.sbatch" 2>&1) ||
    die "sbatch refused the array: $array_job"
  array_job="${array_job%%;*}"
fi
merge_job=$(sbatch --parsable ${array_job:+--dependency=afterany:$array_job} "$run_dir/slurm/merge.sbatch" 2>&1) ||
  die "sbatch refused the merge job: $merge_job"
merge_job="${merge_job%%;*}"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) shards=${pending:-none} array_job=${array_job:-none} merge_job=$merge_job" \
  >> "$run_dir/slurm/submissions.txt"
echo "slurm_submit: ${array_job:+array job $array_job (shards $pending), }merge job $merge_job${array_job:+ after it};" \
  "logs in $run_dir/slurm/"
