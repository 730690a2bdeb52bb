#!/usr/bin/env bash
# Data-plane figures on a network-namespace lab (needs root, ucarp 1.5.2, keepalived, iproute2, iputils, util-linux,
# perl):
#   client outage when the master crashes, loses its link or is stopped gracefully; isolation to withdraw and recovery
#   after the heal; agent RSS/CPU with 1, 10 and 100 VIPs. Systems, interleaved run by run: carp-operator's agent
#   (standalone), plain ucarp, keepalived VRRP and the seed's own ucarp-watchdog.sh (isolation only).
#   Scenarios (-Dbench.scenarios, comma-separated; default all, footprint included):
#     kill            SIGKILL to every process of the master's instance, VIP flushed from node1
#     link-down       ip link set eth0 down on node1
#     graceful        SIGTERM to the instance's main process only (Kubernetes to PID 1, systemd KillMode=mixed)
#     graceful-group  SIGTERM to its process group, kill -TERM -PGID (supervisord stopasgroup, tini -g)
#     graceful-all    SIGTERM to every process of the instance at once (systemd KillMode=control-group, shutdown)
#     ucarp-crash     agent only: SIGKILL to node1's ucarp child, the agent stays; release (<= 0.2 s required),
#                     single holder again, longest two-holder time, client outage
#     isolation       switch port disabled then healed: withdraw, rejoin, reclaim
#     footprint       the agent's RSS and CPU with -Dbench.footprint VIPs
#   kill and link-down also break each run's failover down (issue 15; a perl sniffer on the client's wire, node2's
#   ucarp log): fault-after-advert, advert-to-master, hook-start, master-to-garp, advert-to-garp, garp-to-reply.
#   An unknown scenario name stops the run before the lab is built. Each system's instance runs under setsid, as
#   leader of its own process group. Timelines and bar charts are written as SVG to docs/img/.
# Usage: bench/dataplane.sh [--runs N] [--seed-runs N] [maven -D options, e.g. -Dbench.footprint=1,10,100,
#        -Dbench.systems=agent,ucarp,keepalived,seed-watchdog, -Dbench.scenarios=kill,link-down,graceful,isolation]
# The stop and crash rows only (issue 14), 10 runs each, agent beside plain ucarp and keepalived:
#   bench/dataplane.sh --runs 10 -Dbench.systems=agent,ucarp,keepalived \
#       -Dbench.scenarios=graceful,graceful-group,graceful-all,ucarp-crash
# The failover breakdown (issue 15), 10 runs each:
#   bench/dataplane.sh --runs 10 -Dbench.systems=agent,ucarp,keepalived -Dbench.scenarios=kill,link-down
# Only 198.51.100.0/24 and 203.0.113.0/24, only inside the lab's own namespaces; the lab is removed at the end.
# Takes /tmp/carp-lab.lock for the whole run: only one lab can exist on a machine at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
seed_runs=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --seed-runs) seed_runs="${2:?--seed-runs needs a number}"; shift 2 ;;
    --seed-runs=*) seed_runs="${1#--seed-runs=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
seed_runs="${seed_runs:-$runs}"
for n in "$runs" "$seed_runs"; do
  case "$n" in
    ''|*[!0-9]*|0) echo "bench/dataplane.sh: --runs and --seed-runs must be positive whole numbers, was '$n'" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then
  echo "bench/dataplane.sh: the lab needs root (network namespaces, ucarp, keepalived)" >&2
  exit 2
fi
if ! command -v keepalived >/dev/null; then
  # the benchmark runs keepalived only inside lab namespaces: keep the package from starting its service
  echo "bench/dataplane.sh: installing keepalived (Debian package)" >&2
  policy_added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q keepalived >&2 || status=$?
  [ -n "$policy_added" ] && rm -f /usr/sbin/policy-rc.d
  [ "${status:-0}" = 0 ] || { echo "bench/dataplane.sh: apt-get install keepalived failed" >&2; exit 1; }
fi
for pid in $(pgrep -x keepalived || true); do
  if [ "$(readlink /proc/"$pid"/ns/net)" = "$(readlink /proc/self/ns/net)" ]; then
    echo "bench/dataplane.sh: a keepalived (pid $pid) runs in the host's network namespace; stop it first" >&2
    exit 2
  fi
done
echo "BENCH waiting for /tmp/carp-lab.lock (another lab may be running) at $(date -u +%H:%M:%S)"
exec 9>/tmp/carp-lab.lock
flock 9
started=$(date +%s)
echo "BENCH lab lock taken at $(date -u +%H:%M:%S)"
echo "BENCH machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, $(uname -r), $(keepalived --version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
mvn -o -B -q verify -Dquarkus.build.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=DataPlaneBench -Dbench.runs="$runs" -Dbench.seedRuns="$seed_runs" ${args[@]+"${args[@]}"} 2>&1 | grep '^BENCH' || {
  echo "bench/dataplane.sh: the benchmark did not print its figures; see target/failsafe-reports/" >&2
  exit 1
}
echo "BENCH load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; the run under the lock took $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"
left=$( { pgrep -a keepalived; pgrep -a ucarp; ip netns list | grep '^carplab-'; } || true)
[ -z "$left" ] || echo "BENCH still present after the run (other labs' namespaces may be among them): $left"
