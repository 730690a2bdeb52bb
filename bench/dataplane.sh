#!/usr/bin/env bash
# Data-plane figures on a network-namespace lab (needs root, ucarp 1.5.2, iproute2, iputils):
#   failover outage (master killed hard), graceful handover outage, isolation-to-withdraw time, and agent RSS/CPU
#   with 1, 10 and 100 VIPs -- carp-operator's VipRunner against plain ucarp with the same timers, interleaved.
# Usage: bench/dataplane.sh [--runs N] [maven -D options, e.g. -Dbench.footprint=1,10,100]
# Only 198.51.100.0/24 and 203.0.113.0/24, only inside the lab's own namespaces; the lab is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$runs" in
  ''|*[!0-9]*|0) echo "bench/dataplane.sh: --runs must be a positive whole number, was '$runs'" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "bench/dataplane.sh: the lab needs root (network namespaces, ucarp)" >&2
  exit 2
fi
echo "BENCH machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
mvn -o -B -q verify -Dquarkus.build.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=DataPlaneBench -Dbench.runs="$runs" ${args[@]+"${args[@]}"} 2>&1 | grep '^BENCH' || {
  echo "bench/dataplane.sh: the benchmark did not print its figures; see target/failsafe-reports/" >&2
  exit 1
}
echo "BENCH load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
