#!/usr/bin/env bash
# Builds the image with podman on a debootstrap'ed Debian base (no registry needed) and runs the agent from the image
# in two network namespaces (standalone mode), then kills the master's container and checks the VIP moves.
# Needs root, podman, runc, debootstrap. Only 198.51.100.0/24, only inside the namespaces it creates and removes.
#   hack/image-smoke.sh [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/var/tmp/carp-image-smoke}
IMAGE=localhost/carp-operator:0.1.0
# debootstrap's minbase with Debian's slim rules applied (no package cache, lists, docs, man pages, locales): about
# the 75 MB of docker.io/library/debian:bookworm-slim, the Dockerfile's default base, which no registry here serves
BASE=localhost/debian-slimlike:bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
VIP=198.51.100.10
P=carpimg$$
mkdir -p "$WORK"
cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"

cleanup() {
  podman rm -f "$P-a" "$P-b" >/dev/null 2>&1 || true
  ip netns del "$P-a" 2>/dev/null || true
  ip netns del "$P-b" 2>/dev/null || true
}
trap cleanup EXIT

if [ "${1:-}" != "--skip-build" ]; then
  if ! podman image exists "$BASE"; then
    echo "== debootstrap $BASE"
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >/dev/null
    (cd "$WORK/rootfs" && rm -rf var/cache/apt/archives/*.deb var/lib/apt/lists/* usr/share/doc/* usr/share/man/* \
      usr/share/info/* usr/share/locale/* usr/share/groff/* usr/share/lintian/* var/cache/debconf/*-old)
    tar -C "$WORK/rootfs" -c . | podman import - "$BASE" >/dev/null
  fi
  echo "== podman build $IMAGE"
  start=$(date +%s)
  podman build -q --build-arg BASE_IMAGE="$BASE" -v "$HOME/.m2:/root/.m2" -t "$IMAGE" . >/dev/null
  echo "built in $(( $(date +%s) - start )) s; size $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
fi

echo "== two lab nodes"
ip netns add "$P-a"; ip netns add "$P-b"
ip link add "$P-va" type veth peer name "$P-vb"
ip link set "$P-va" netns "$P-a" name eth0; ip link set "$P-vb" netns "$P-b" name eth0
ip -n "$P-a" addr add 198.51.100.11/24 dev eth0; ip -n "$P-b" addr add 198.51.100.12/24 dev eth0
for n in a b; do ip -n "$P-$n" link set lo up; ip -n "$P-$n" link set eth0 up; done

run_agent() { # name address peer skew
  podman run -d --name "$P-$1" --network "ns:/run/netns/$P-$1" --cap-drop ALL --cap-add NET_ADMIN,NET_RAW \
    --user 0 --read-only --tmpfs /run/carp --tmpfs /tmp "$IMAGE" \
    agent --standalone -i eth0 -s "$2" -v 42 -p smoke-test -a "$VIP" -x 24 -P -z -k "$4" \
    --peer "$3" --probe-interval 500ms --health-port 9450 >/dev/null
}
holder() { for n in a b; do ip -n "$P-$n" -4 -o addr show dev eth0 | grep -q " $VIP/" && echo "$n"; done; }

run_agent a 198.51.100.11 198.51.100.12 0
sleep 5
run_agent b 198.51.100.12 198.51.100.11 10
for _ in $(seq 30); do [ "$(holder)" = a ] && break; sleep 1; done
[ "$(holder)" = a ] || { echo "FAILED: node a never held $VIP alone (holders: $(holder | xargs))"; podman logs "$P-a" | tail; exit 1; }
sleep 10
agent_pid=$(podman inspect "$P-a" --format '{{.State.Pid}}')
echo "node a holds $VIP; agent JVM RSS: $(awk '$1 == "VmRSS:" {printf "%.1f MiB", $2/1024}' "/proc/$agent_pid/status"), its ucarp:" \
  "$(for c in $(pgrep -P "$agent_pid" -x ucarp); do awk '$1 == "VmRSS:" {printf "%.1f MiB", $2/1024}' "/proc/$c/status"; done);" \
  "container memory (cgroup, page cache included): $(podman stats --no-stream --format '{{.MemUsage}}' "$P-a" | cut -d/ -f1 | xargs)"

echo "== kill -9 the master's container"
start=$(date +%s%N)
podman kill -s KILL "$P-a" >/dev/null
# a killed ucarp leaves the address behind, as on a real host; the dead node must also stop answering. Flush its
# addresses rather than taking its link down: on a bare veth pair that would cut node b's carrier too.
ip -n "$P-a" addr flush dev eth0
for _ in $(seq 100); do holder | grep -q b && break; sleep 0.1; done
holder | grep -q b || { echo "FAILED: node b never took $VIP"; podman logs "$P-b" | tail; exit 1; }
echo "PASSED: node b holds $VIP $(( ($(date +%s%N) - start) / 1000000 )) ms after the master's container was killed"
