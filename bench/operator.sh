#!/usr/bin/env bash
# Operator figures on the Fabric8 mock API server (no root needed):
#   status propagation latency (agent patch -> aggregated master) and throughput with 200 VirtualIPs.
# Usage: bench/operator.sh [-Dbench.changes=100] [-Dbench.vips=200]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OperatorBench "$@" 2>&1 | grep '^BENCH' || {
  echo "bench/operator.sh: the benchmark did not print its figures; see target/failsafe-reports/" >&2
  exit 1
}
