#!/usr/bin/env bash
# Prints the Kubernetes manifests of a run split into shards, for `kubectl apply -f -`:
#   - an Indexed Job, one pod per shard (completion index = shard), each on one GPU or a
#     whole node (nvidia.com/gpu or amd.com/gpu), writing its run folder to a shared
#     volume (RUN/shards/shard-I-of-N) through tools/cluster/run_shard.sh;
#   - the merge, a Job that waits on the volume until every shard has finished, then
#     merges them into RUN (merge_runs --wait_s);
#   - with --storage, the PersistentVolumeClaim of the shared volume (ReadWriteMany).
#
#   tools/cluster/k8s_render.sh --run=NAME --shards=N [options] -- RUNNER [ARGS...] > run.yaml
#
# RUNNER is evaluate or run_config (in the image, /opt/tritonbench/dist/); ARGS its
# flags without --shard, --out or --resume. With GPUs and no --gpus in ARGS, --gpus=all
# is added. Run folders are under /runs on the volume: /runs/NAME.
#
# Options:
#   --vendor=nvidia|amd        the GPUs' resource name and the default image (nvidia)
#   --image=IMAGE              default tritonbench:cuda (nvidia) or tritonbench:rocm (amd),
#                              as docker/Dockerfile.cuda and docker/Dockerfile.rocm build them
#   --gpus_per_shard=G         default 1; 8 for a whole 8-GPU node; 0 for none
#   --parallelism=P            pods at once (default: all shards)
#   --cpu=C --memory=M         per pod (default 8 per GPU, and 64Gi)
#   --shm=SIZE                 /dev/shm for torch (default 16Gi)
#   --pvc=NAME                 the shared volume's claim (default tritonbench-runs)
#   --storage=SIZE [--storage_class=NAME]   also print that claim
#   --namespace=NS
#   --uid=UID                  the image's user (default 1000), who owns the run folders
#   --supplemental_groups=G,G  e.g. the host's video and render groups for /dev/kfd (AMD)
#   --secret=NAME              every key of this Secret as an environment variable (the
#                              LLM's OPENAI_API_KEY ...); ARGS may use $(VAR) of any of them
#   --env=NAME=VALUE           a plain environment variable (repeatable; an endpoint:
#                              --env=LLM_BASE_URL=http://vllm:8000 and --base_url='$(LLM_BASE_URL)')
#   --deadline_s=S             the merge Job gives up after S seconds (default 7 days)
set -uo pipefail

die() {
  echo "k8s_render: $*" >&2
  exit 2
}

run="" shards="" vendor=nvidia image="" gpus=1 parallelism="" cpu="" memory=64Gi shm=16Gi pvc=tritonbench-runs
storage="" storage_class="" namespace="" uid=1000 groups="" secret="" deadline=604800
envs=()
while (($#)); do
  case "$1" in
    --run=*) run="${1#*=}" ;;
    --shards=*) shards="${1#*=}" ;;
    --vendor=*) vendor="${1#*=}" ;;
    --image=*) image="${1#*=}" ;;
    --gpus_per_shard=*) gpus="${1#*=}" ;;
    --parallelism=*) parallelism="${1#*=}" ;;
    --cpu=*) cpu="${1#*=}" ;;
    --memory=*) memory="${1#*=}" ;;
    --shm=*) shm="${1#*=}" ;;
    --pvc=*) pvc="${1#*=}" ;;
    --storage=*) storage="${1#*=}" ;;
    --storage_class=*) storage_class="${1#*=}" ;;
    --namespace=*) namespace="${1#*=}" ;;
    --uid=*) uid="${1#*=}" ;;
    --supplemental_groups=*) groups="${1#*=}" ;;
    --secret=*) secret="${1#*=}" ;;
    --env=*) envs+=("${1#*=}") ;;
    --deadline_s=*) deadline="${1#*=}" ;;
    --) shift; break ;;
    *) die "unknown option '$1' (see the head of $0)" ;;
  esac
  shift
done
(($#)) || die "give the runner after --: -- evaluate --suite=suites/rocm ... (see the head of $0)"
[[ "$run" =~ ^[a-z0-9]([a-z0-9.-]{0,40}[a-z0-9])?$ ]] ||
  die "--run=$run: a lower-case name (letters, digits, '-', '.'; at most 42), used in the Jobs' names"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards=$shards: give the number of shards, at least 1"
[[ "$gpus" =~ ^[0-9]+$ ]] || die "--gpus_per_shard=$gpus: give a number of GPUs"
parallelism="${parallelism:-$shards}"
[[ "$parallelism" =~ ^[1-9][0-9]*$ ]] || die "--parallelism=$parallelism: at least 1"
case "$vendor" in
  nvidia) resource=nvidia.com/gpu; image="${image:-tritonbench:cuda}" ;;
  amd) resource=amd.com/gpu; image="${image:-tritonbench:rocm}" ;;
  *) die "--vendor=$vendor: nvidia or amd" ;;
esac
cpu="${cpu:-$((gpus > 0 ? 8 * gpus : 4))}"
runner="$1"
shift
case "$runner" in
  evaluate | run_config) runner="/opt/tritonbench/dist/$runner" ;;
  */evaluate | */run_config) ;;
  *) die "the runner $runner is neither evaluate nor run_config" ;;
esac
source "$(dirname "$0")/shard_args.sh"
shard_runner_args "$gpus" "$@"
args=("${runner_args[@]}" --scratch_dir=/scratch)

q() {  # a YAML double-quoted scalar
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}
list() {  # a YAML flow sequence of the arguments
  local out="" a
  for a in "$@"; do out+="${out:+, }$(q "$a")"; done
  printf '[%s]' "$out"
}
ns() { [[ -n "$namespace" ]] && echo "  namespace: $(q "$namespace")"; }
labels() {
  echo "    app.kubernetes.io/name: tritonbench"
  echo "    tritonbench/run: $(q "$run")"
}
pod_security() {
  echo "          securityContext:"
  echo "            runAsUser: $uid"
  echo "            runAsNonRoot: true"
  echo "            fsGroup: $uid"
  if [[ -n "$groups" ]]; then
    echo "            supplementalGroups: [${groups//,/, }]"
  fi
}

render() {
if [[ -n "$storage" ]]; then
  cat <<EOF
# The shared volume for run folders, mounted at /runs by every pod.
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: $(q "$pvc")
$(ns)
spec:
  accessModes: ["ReadWriteMany"]
$( [[ -n "$storage_class" ]] && echo "  storageClassName: $(q "$storage_class")")
  resources:
    requests:
      storage: $(q "$storage")
---
EOF
fi

for e in "${envs[@]}"; do
  [[ "$e" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env=$e: give NAME=VALUE"
done
cat <<EOF
# Shard I of $shards of run $run per completion index (tools/cluster/run_shard.sh):
# /runs/$run/shards/shard-I-of-$shards. A failed pod is retried on its own index and
# resumes its run folder; a shard already finished ends at once.
apiVersion: batch/v1
kind: Job
metadata:
  name: $(q "tb-$run-shards")
$(ns)
  labels:
$(labels)
spec:
  completionMode: Indexed
  completions: $shards
  parallelism: $parallelism
  backoffLimitPerIndex: 3
  template:
    metadata:
      labels:
$(labels | sed 's/^/    /')
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 120
$(pod_security | sed 's/^    //')
      containers:
        - name: shard
          image: $(q "$image")
          workingDir: /opt/tritonbench
          command: ["tools/cluster/run_shard.sh"]
          args: $(list "/runs/$run" '$(SHARD_INDEX)' "$shards" "$runner" "${args[@]}")
          env:
            - name: SHARD_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"
$(for e in "${envs[@]}"; do echo "            - name: $(q "${e%%=*}")"; echo "              value: $(q "${e#*=}")"; done)
$( [[ -n "$secret" ]] && printf '          envFrom:\n            - secretRef:\n                name: %s\n' "$(q "$secret")")
          resources:
            requests:
              cpu: $(q "$cpu")
              memory: $(q "$memory")
            limits:
              cpu: $(q "$cpu")
              memory: $(q "$memory")
$( ((gpus > 0)) && echo "              $resource: $gpus")
          volumeMounts:
            - name: runs
              mountPath: /runs
            - name: scratch
              mountPath: /scratch
            - name: shm
              mountPath: /dev/shm
      volumes:
        - name: runs
          persistentVolumeClaim:
            claimName: $(q "$pvc")
        - name: scratch
          emptyDir: {}
        - name: shm
          emptyDir:
            medium: Memory
            sizeLimit: $(q "$shm")
---
# Merges the shards into /runs/$run once all are finished (it waits on the volume);
# a run already merged ends at once.
apiVersion: batch/v1
kind: Job
metadata:
  name: $(q "tb-$run-merge")
$(ns)
  labels:
$(labels)
spec:
  backoffLimit: 2
  activeDeadlineSeconds: $deadline
  template:
    metadata:
      labels:
$(labels | sed 's/^/    /')
    spec:
      restartPolicy: OnFailure
$(pod_security | sed 's/^    //')
      containers:
        - name: merge
          image: $(q "$image")
          workingDir: /opt/tritonbench
          command: ["/bin/bash", "-c"]
          args:
            - $(q "test -f /runs/$run/run_record.json && { echo already merged; exit 0; }; exec /opt/tritonbench/dist/merge_runs --out=/runs/$run --count=$shards --wait_s=60 /runs/$run/shards")
          resources:
            requests:
              cpu: "1"
              memory: "2Gi"
            limits:
              cpu: "1"
              memory: "2Gi"
          volumeMounts:
            - name: runs
              mountPath: /runs
      volumes:
        - name: runs
          persistentVolumeClaim:
            claimName: $(q "$pvc")
EOF
}
# Without the blank lines that options left out leave.
render | sed '/^[[:space:]]*$/d'
