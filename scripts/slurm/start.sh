#!/usr/bin/env bash
# Start a single-node SLURM on this machine (Debian 12, as root, no systemd) for the
# tests and CI: slurm-wlm and munge from Debian's packages, one node named after
# `hostname -s` with this machine's CPUs, one partition `debug`.
#
#   scripts/slurm/start.sh     # installs the packages if missing, starts munged, slurmctld, slurmd
#   scripts/slurm/stop.sh      # stops exactly the daemons this script started, by their pid files
#
# The daemons this script starts are listed in $STATE/started (default
# /tmp/cluster-cnn-slurm); daemons already running are left alone and not listed,
# so stop.sh never stops a SLURM that someone else started. A real site has its
# own SLURM: this is only for testing `deno task reproduce --executor slurm`.
set -euo pipefail
STATE=${CLUSTER_CNN_SLURM_STATE:-/tmp/cluster-cnn-slurm}
mkdir -p "$STATE"
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ "$(id -u)" != 0 ]; then
  echo "slurm/start.sh: needs root (slurmd and munged run as system daemons)" >&2
  exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

if alive /run/slurmctld.pid && alive /run/slurmd.pid; then
  echo "slurm/start.sh: SLURM is already running here (slurmctld $(cat /run/slurmctld.pid)); using it"
  exit 0
fi

node=$(hostname -s)
mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
cpus=$(nproc)
conf=/etc/slurm/slurm.conf
mkdir -p /etc/slurm
cat > "$conf.new" <<CONF
# Written by cluster-cnn scripts/slurm/start.sh: a single-node SLURM for tests.
ClusterName=local
SlurmctldHost=$node
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerParameters=kill_invalid_depend
DependencyParameters=kill_invalid_depend
MinJobAge=600
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$node CPUs=$cpus RealMemory=$((mem > 2000 ? mem - 1000 : mem)) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.new" "$conf"

: > "$STATE/started"
if ! alive /run/munge/munged.pid; then
  install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do alive /run/munge/munged.pid && break; sleep 0.1; done
  echo /run/munge/munged.pid >> "$STATE/started"
fi
install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld
install -d /var/spool/slurmd /var/log/slurm
if ! alive /run/slurmctld.pid; then
  /usr/sbin/slurmctld
  echo /run/slurmctld.pid >> "$STATE/started"
fi
sleep 1
if ! alive /run/slurmd.pid; then
  /usr/sbin/slurmd
  echo /run/slurmd.pid >> "$STATE/started"
fi
for _ in $(seq 120); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && { echo "slurm/start.sh: node $node idle ($cpus CPUs), partition debug"; exit 0; }
  sleep 0.5
done
echo "slurm/start.sh: the node did not become idle in 60 s (state '${state:-?}');" \
  "see /var/log/slurm/slurmctld.log and slurmd.log; stop with scripts/slurm/stop.sh" >&2
exit 1
