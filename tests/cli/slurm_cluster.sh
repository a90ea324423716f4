# Sourced by the Slurm tests: a single-node Slurm cluster on localhost, from Debian's slurm-wlm and
# munge, its configuration, key, state and logs in a temporary folder, and nothing else touched:
# no systemd, private ports, cgroups off. slurm_start sets SLURM_CONF for the caller's sbatch;
# slurm_stop ends exactly the daemons slurm_start started (by their pid files), also after a
# failure, so callers put it in their EXIT trap.
slurm_require() {
  local missing=()
  for t in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$t" > /dev/null || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing ${missing[*]}: install slurm-wlm and munge (scripts/install-deps.sh does)" >&2
    return 1
  fi
}

# A TCP port nobody listens on now.
slurm_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

slurm_write_conf() { # $1: the folder
  local d=$1 host mem
  host=$(hostname -s)
  mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
  mkdir -p "$d/state" "$d/spool" "$d/log"
  cat > "$d/slurm.conf" <<CONF
ClusterName=uaetest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(slurm_free_port)
SlurmdPort=$(slurm_free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge.sock
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

slurm_start() { # $1: the folder (empty, private to the caller)
  local d=$1
  SLURM_DIR=$d
  slurm_write_conf "$d"
  dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 status=none
  chmod 400 "$d/munge.key"
  munged --key-file "$d/munge.key" --socket "$d/munge.sock" --pid-file "$d/munged.pid" \
    --log-file "$d/log/munged.log" --seed-file "$d/munged.seed" --force
  export SLURM_CONF=$d/slurm.conf
  slurmctld -c -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  local i
  for i in $(seq 1 60); do
    if sinfo -h -o '%t' 2> /dev/null | grep -Eq '^(idle|mix|alloc)'; then return 0; fi
    sleep 0.5
  done
  echo "the test cluster's node did not come up; its logs:" >&2
  tail -n 20 "$d"/log/*.log >&2
  return 1
}

slurm_stop() {
  [ -n "${SLURM_DIR:-}" ] || return 0
  local f pid i
  for f in slurmd slurmctld munged; do
    [ -f "$SLURM_DIR/$f.pid" ] || continue
    pid=$(cat "$SLURM_DIR/$f.pid")
    kill "$pid" 2> /dev/null || continue
    for i in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
  done
}

# Waits for a job (all its array tasks) to leave the queue; prints its final states.
slurm_wait() { # $1: job id, $2: timeout in seconds
  local deadline=$((SECONDS + $2))
  while [ -n "$(squeue -h -j "$1" 2> /dev/null)" ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "job $1 still queued or running after $2 s" >&2
      squeue >&2
      return 1
    fi
    sleep 1
  done
  scontrol show job "$1" -o | grep -o 'JobState=[A-Z_]*' | sort | uniq -c
}
