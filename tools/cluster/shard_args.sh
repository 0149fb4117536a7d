# Sourced by slurm_submit.sh and k8s_render.sh, whose `die` it calls.
# shard_runner_args GPUS_PER_SHARD ARGS...: sets the array runner_args to ARGS, the
# runner's flags for every shard, with --gpus=all added when shards get GPUs and ARGS
# name no --gpus; dies on --shard, --out or --resume, which run_shard.sh gives each shard.
shard_runner_args() {
  local gpus="$1" a has_gpus=0
  shift
  runner_args=("$@")
  for a in "$@"; do
    case "$a" in
      --shard=* | --shard | --out=* | --out | --resume | --resume=*)
        die "'$a': run_shard.sh gives each shard its --shard, --out (under the run folder) and --resume; leave them out" ;;
      --gpus=* | --gpus) has_gpus=1 ;;
    esac
  done
  if ((gpus > 0 && !has_gpus)); then runner_args+=(--gpus=all); fi
}
