#!/usr/bin/env bash
# The agent's memory inside the image: the data plane of N VIPs (all MASTER, production defaults: probes every 1 s,
# ICMP+ARP, gratuitous ARP every 10 s) run by the image's own jlink'ed Java runtime and jars with the DaemonSet's
# JAVA_OPTS, in a container that has the agent pod's capabilities, then its RSS, its ucarp children's and the
# container's memory (cgroup) after 30 s of idling. The runner class (bench/AgentFootprintMain, the same one the
# footprint benchmark runs on the host) is mounted from target/test-classes: run `mvn test-compile` first.
# Needs root, podman, runc and the image hack/image-smoke.sh builds. Only 198.51.100.0/24, only in its namespaces.
#   hack/image-footprint.sh [VIPS...]      (default: 1 100)
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-localhost/carp-operator:0.1.0}
WORK=${WORK:-/var/tmp/carp-image-smoke}
P=carpfp$$
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 100)
for n in "${counts[@]}"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 100 ] || { echo "image-footprint: VIP counts are 1-100, got '$n'" >&2; exit 2; }
done
[ -f target/test-classes/io/carpoperator/bench/AgentFootprintMain.class ] \
  || { echo "image-footprint: target/test-classes has no AgentFootprintMain: run mvn -B test-compile first" >&2; exit 2; }
podman image exists "$IMAGE" || { echo "image-footprint: no image $IMAGE: run hack/image-smoke.sh first" >&2; exit 2; }
mkdir -p "$WORK"
printf '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' \
  > "$WORK/containers.conf"
export CONTAINERS_CONF="$WORK/containers.conf"
# the DaemonSet's (deploy/base/agent/daemonset.yaml)
JAVA_OPTS=$(sed -n '/name: JAVA_OPTS/{n;s/^ *value: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p}' deploy/base/agent/daemonset.yaml)
[ -n "$JAVA_OPTS" ] || { echo "image-footprint: no JAVA_OPTS in deploy/base/agent/daemonset.yaml" >&2; exit 1; }

cleanup() {
  podman rm -f "$P" >/dev/null 2>&1 || true
  ip netns del "$P-a" 2>/dev/null || true
  ip netns del "$P-b" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$P-a"; ip netns add "$P-b"
ip link add "$P-va" type veth peer name "$P-vb"
ip link set "$P-va" netns "$P-a" name eth0; ip link set "$P-vb" netns "$P-b" name eth0
ip -n "$P-a" addr add 198.51.100.11/24 dev eth0; ip -n "$P-b" addr add 198.51.100.12/24 dev eth0
for n in a b; do ip -n "$P-$n" link set lo up; ip -n "$P-$n" link set eth0 up; done

kib() { awk -v key="$2" '$1 == key {print $2}' "/proc/$1/status"; }
echo "image $IMAGE ($(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.1f MB", $1/1e6}')), JAVA_OPTS: $JAVA_OPTS"
printf '%-6s %-9s %12s %16s %18s %16s\n' VIPs masters "JVM RSS MiB" "ucarps RSS MiB" "container MiB" "JVM threads"
for n in "${counts[@]}"; do
  podman run -d --name "$P" --network "ns:/run/netns/$P-a" --cap-drop ALL --cap-add NET_ADMIN,NET_RAW --user 0 \
    --read-only --tmpfs /run/carp --tmpfs /tmp -e MALLOC_ARENA_MAX=2 -i \
    -v "$PWD/target/test-classes:/bench:ro" --entrypoint java "$IMAGE" $JAVA_OPTS \
    -cp "/bench:/opt/carp-operator/app/*:/opt/carp-operator/lib/boot/*:/opt/carp-operator/lib/main/*" io.carpoperator.bench.AgentFootprintMain \
    "$n" 101 198.51.100.12 198.51.100.12 /run/carp/run image-footprint >/dev/null
  ready=
  for _ in $(seq 120); do
    ready=$(podman logs "$P" 2>&1 | sed -n 's/^READY masters=//p')
    [ -n "$ready" ] && break
    sleep 1
  done
  [ -n "$ready" ] || { echo "image-footprint: $n VIPs never got READY:"; podman logs "$P" 2>&1 | tail -20; exit 1; }
  sleep 30
  pid=$(podman inspect "$P" --format '{{.State.Pid}}')
  ucarps=0
  for child in $(pgrep -P "$pid" -x ucarp || true); do ucarps=$(( ucarps + $(kib "$child" VmRSS:) )); done
  container=$(podman stats --no-stream --format '{{.MemUsage}}' "$P" | cut -d/ -f1 | xargs)
  printf '%-6s %-9s %12.1f %16.1f %18s %16s\n' "$n" "$ready" "$(echo "$(kib "$pid" VmRSS:) / 1024" | bc -l)" \
    "$(echo "$ucarps / 1024" | bc -l)" "$container" "$(kib "$pid" Threads:)"
  podman rm -f "$P" >/dev/null
  ip -n "$P-a" -4 addr flush dev eth0 scope global
  ip -n "$P-a" addr add 198.51.100.11/24 dev eth0
done
