#!/usr/bin/env bash
# Stop the daemons scripts/slurm/start.sh started, by their pid files (slurmd and
# slurmctld first, munged last), never by name. Daemons it did not start are left alone.
set -uo pipefail
STATE=${CLUSTER_CNN_SLURM_STATE:-/tmp/cluster-cnn-slurm}
[ -s "$STATE/started" ] || { echo "slurm/stop.sh: nothing started by start.sh to stop"; exit 0; }
stop() {
  local f=$1 pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "slurm/stop.sh: $f ($pid) did not stop in 10 s" >&2
}
for f in /run/slurmd.pid /run/slurmctld.pid; do grep -qx "$f" "$STATE/started" && stop "$f"; done
grep -qx /run/munge/munged.pid "$STATE/started" && stop /run/munge/munged.pid
rm -f "$STATE/started"
echo "slurm/stop.sh: stopped"
