#!/usr/bin/env bash
# Status traffic at scale (issue 13) on the Fabric8 mock API server (no root needed): the real operator with one
# simulated agent per node; API writes/s, watch events per agent, reconciles/s, CPU and propagation, one cluster size
# per JVM (a fresh operator and mock server for each).
# Usage: bench/scale.sh [-Dbench.nodes=50,200,500] [-Dbench.vips=20] [-Dbench.watchers=5] [-Dbench.changes=20]
#                       [-Dbench.warmup=30] [-Dbench.window=60] [-Dbench.model=NodeReportWrites]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="50,200,500"
args=()
for arg in "$@"; do
  case "$arg" in
    -Dbench.nodes=*) sizes="${arg#-Dbench.nodes=}" ;;
    *) args+=("$arg") ;;
  esac
done
# Maven compiles once; every size then runs the benchmark alone (failsafe's goal without packaging), bounded so a
# saturated server cannot hang the loop.
mvn -B -q -Dstyle.color=never test-compile
status=0
for n in ${sizes//,/ }; do
  echo "BENCH === $n nodes, started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  out=$(mktemp)
  rc=0
  timeout 420 mvn -B -q -Dstyle.color=never test-compile failsafe:integration-test -Dit.test=ScaleBench -Dbench.nodes="$n" \
      ${args[@]+"${args[@]}"} >"$out" 2>&1 || rc=$?
  grep '^BENCH' "$out" || true
  if ! grep -q '^BENCH   this size took' "$out"; then
    echo "BENCH $n nodes: no figures (exit $rc; 124 is the 420 s timeout); see target/failsafe-reports/" >&2
    status=1
  elif [ "$rc" -ne 0 ]; then
    # a saturated application can take minutes to shut down after printing its figures
    echo "BENCH $n nodes: figures printed, then the run ended with exit $rc (124 is the 420 s timeout)"
  fi
  rm -f "$out"
done
# one bar per size: the propagation latencies each size kept in target/bench
model=NodeReportWrites
for arg in ${args[@]+"${args[@]}"}; do
  case "$arg" in -Dbench.model=*) model="${arg#-Dbench.model=}" ;; esac
done
java -cp target/test-classes io.carpoperator.bench.ScalePlot "$model" "docs/img/scale-propagation-$model.svg" || status=1
exit $status
