#!/usr/bin/env bash
# A single-node Slurm on this machine, all of it under one folder, for tests and for
# trying tools/cluster/slurm_submit.sh without a cluster (Debian's slurmctld, slurmd,
# slurm-client and munge, which tools/setup.sh installs):
#
#   tools/cluster/local_slurm.sh start DIR    prints "export SLURM_CONF=DIR/slurm.conf"
#   tools/cluster/local_slurm.sh stop DIR     cancels every job, stops the daemons
#
# DIR must be short (a munge socket path has at most 107 bytes): mktemp -d /tmp/slurm.XXXX.
# A munge key is made on the spot; munged, slurmctld and slurmd run as this user with
# their sockets, state, spool, logs and pid files in DIR, on two free ports. Where
# cgroups cannot be used (a container), nothing needs them: processes are tracked
# through /proc (ProctrackType=proctrack/linuxproc), tasks are not bound
# (TaskPlugin=task/none), and there is no accounting. `stop` leaves nothing running;
# DIR is the caller's to remove.
set -uo pipefail
cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: local_slurm.sh start|stop DIR" >&2
  exit 2
fi
dir="$(cd "$dir" 2> /dev/null && pwd)" || { echo "local_slurm: no folder $2" >&2; exit 2; }
conf="$dir/slurm.conf"

stop_pid() {  # stop_pid NAME: the daemon whose pid DIR/NAME.pid holds, if it runs
  local file="$dir/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2> /dev/null; then
    kill "$pid" 2> /dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null
  fi
  rm -f "$file"
}

if [[ "$cmd" == stop ]]; then
  if [[ -f "$conf" ]] && [[ -f "$dir/slurmctld.pid" ]]; then
    export SLURM_CONF="$conf"
    scancel --quiet "--user=$(id -un)" 2> /dev/null
    # Until no job has a process left (completing jobs still do).
    for _ in $(seq 150); do
      [[ -z "$(squeue -h -o %i 2> /dev/null)" ]] && break
      sleep 0.2
    done
  fi
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
  exit 0
fi
[[ "$cmd" == start ]] || { echo "local_slurm: start or stop, not '$cmd'" >&2; exit 2; }

for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" > /dev/null || { echo "local_slurm: $tool not found: run tools/setup.sh (Debian's slurmctld, slurmd, slurm-client, munge)" >&2; exit 2; }
done
if ((${#dir} > 80)); then
  echo "local_slurm: $dir is too long for the munge socket; use mktemp -d /tmp/slurm.XXXX" >&2
  exit 2
fi
mkdir -p "$dir/key" "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/key"
chmod 755 "$dir" "$dir/munge"
head -c 1024 /dev/urandom > "$dir/key/munge.key"
chmod 400 "$dir/key/munge.key"
# Two free ports on this machine.
read -r ctld_port slurmd_port < <(python3 - <<'PY'
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])
PY
)
host=$(hostname -s)
user=$(id -un)
cat > "$conf" <<EOF
# Written by tools/cluster/local_slurm.sh: one node, this machine, everything under $dir.
ClusterName=tblocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
# No cgroups: processes found through /proc, tasks not bound, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

munged --foreground --key-file="$dir/key/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/key/munged.seed" \
  > "$dir/log/munged.out" 2>&1 &
echo $! > "$dir/munged.pid"
for _ in $(seq 50); do [[ -S "$dir/munge/munge.socket" ]] && break; sleep 0.1; done
[[ -S "$dir/munge/munge.socket" ]] || { echo "local_slurm: munged did not start:" >&2; cat "$dir/log/munged.out" >&2; exit 1; }
slurmctld -D -f "$conf" > "$dir/log/slurmctld.out" 2>&1 &
slurmd -D -f "$conf" > "$dir/log/slurmd.out" 2>&1 &
export SLURM_CONF="$conf"
for _ in $(seq 150); do
  [[ "$(sinfo -h -o %T 2> /dev/null)" == idle ]] && break
  sleep 0.2
done
if [[ "$(sinfo -h -o %T 2> /dev/null)" != idle ]]; then
  echo "local_slurm: the node did not come up; logs in $dir/log:" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2
  exit 1
fi
echo "export SLURM_CONF=$conf"
