#!/usr/bin/env bash
# The newcomer check: runs the README's two set-up commands, verbatim, on a fresh minimal Debian bookworm — what a
# new user's machine has, not this one's — and prints each exit code, the demo's summary and the test counts.
#
#   hack/fresh-machine.sh [--rebuild] [--keep-m2]
#
# The machine is a podman container from `debootstrap --variant=minbase bookworm` plus only a JDK 17, Maven, git and
# sudo (built once and cached as localhost/carp-fresh-machine:bookworm; --rebuild makes it anew). The checkout (tracked
# and untracked files, not target/) is copied in; the container is privileged because the lab builds network
# namespaces and bridges inside it (they live in the container's own network namespace and go with it).
# Maven starts from an empty repository each run, as a newcomer's does; --keep-m2 reuses a volume between runs instead.
#
# Where the package registries are reached through a TLS-inspecting proxy (as on the machines this project is built
# on), the container needs the host's extra CA certificates: /usr/local/share/ca-certificates is mounted read-only
# and `update-ca-certificates` adds them (also to Java's trust store) before the README's commands run. Without it
# Maven cannot download anything; it changes nothing else.
#
# Needs root (podman, debootstrap; installed when missing). Not part of CI: run it before resolving an issue.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=localhost/carp-fresh-machine:bookworm
WORK=${WORK:-/var/tmp/carp-fresh-machine}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CA_DIR=/usr/local/share/ca-certificates
NAME=carp-fresh-$$
LOG="$WORK/run-$(date +%Y%m%d-%H%M%S).log"
REBUILD=false
KEEP_M2=false
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=true ;;
    --keep-m2) KEEP_M2=true ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "fresh-machine: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-machine: needs root (podman with a privileged container, debootstrap): sudo $0 $*" >&2
  exit 1
fi
missing=()
for tool in podman:podman debootstrap:debootstrap runc:runc; do
  type -P "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fresh-machine: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$WORK"
cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"

cleanup() { podman rm -f "$NAME" "$NAME-build" >/dev/null 2>&1 || true; }
trap cleanup EXIT

ca_mount=()
[ -d "$CA_DIR" ] && ca_mount=(-v "$CA_DIR:$CA_DIR:ro")

if $REBUILD || ! podman image exists "$IMAGE"; then
  echo "== building $IMAGE: debootstrap --variant=minbase bookworm + openjdk-17-jdk-headless maven git sudo"
  start=$(date +%s)
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { echo "fresh-machine: debootstrap failed, see $WORK/debootstrap.log" >&2; exit 1; }
  tar -C "$WORK/rootfs" -c . | podman import - "$IMAGE-minbase" >/dev/null
  rm -rf "$WORK/rootfs"
  podman rm -f "$NAME-build" >/dev/null 2>&1 || true
  podman run --name "$NAME-build" "${ca_mount[@]}" "$IMAGE-minbase" bash -c '
      set -e
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven git sudo >/dev/null
      apt-get clean' >"$WORK/image-build.log" 2>&1 \
    || { echo "fresh-machine: installing the JDK, Maven, git and sudo failed, see $WORK/image-build.log" >&2; exit 1; }
  podman commit -q "$NAME-build" "$IMAGE" >/dev/null
  podman rm -f "$NAME-build" >/dev/null
  echo "   built in $(( $(date +%s) - start )) s"
fi

m2=()
if $KEEP_M2; then
  m2=(-v carp-fresh-machine-m2:/root/.m2)
fi

# What the newcomer types, verbatim, after cloning: the README's two commands.
readme_demo=$(grep -m1 -E '^sudo \./carp demo$' README.md || true)
readme_test=$(grep -m1 -E '^sudo \./carp test$' README.md || true)
if [ -z "$readme_demo" ] || [ -z "$readme_test" ]; then
  echo "fresh-machine: README.md no longer has the lines 'sudo ./carp demo' and 'sudo ./carp test'; update this script" >&2
  exit 1
fi

echo "== running the README's commands in a fresh container (log: $LOG)"
start=$(date +%s)
git ls-files --cached --others --exclude-standard -z | tar --null -T - -c \
  | podman run -i --rm --name "$NAME" --privileged "${ca_mount[@]}" "${m2[@]}" "$IMAGE" bash -c '
      update-ca-certificates >/dev/null 2>&1 || true
      mkdir -p /home/newcomer/carp-operator && cd /home/newcomer/carp-operator && tar -x
      echo "fresh-machine: $(. /etc/os-release; echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1), $(mvn -v 2>/dev/null | head -1)"
      echo "fresh-machine: $ '"$readme_demo"'"
      '"$readme_demo"' </dev/null; rc=$?; echo; echo "fresh-machine: demo exit code $rc"
      echo "fresh-machine: $ '"$readme_test"'"
      '"$readme_test"' </dev/null; rc=$?; echo; echo "fresh-machine: test exit code $rc"' 2>&1 | tee "$LOG" | grep --line-buffered -E '^(fresh-machine|carp|carp demo):|Tests run:.*Fail|BUILD|ERROR\]' || true
elapsed=$(( $(date +%s) - start ))

echo
echo "== result ($elapsed s; full log $LOG)"
grep -E '^fresh-machine: (Debian|demo exit|test exit)' "$LOG" || true
echo "-- the demo's summary"
sed -n '/^SUMMARY/,/^carp demo: every step\|^carp demo: .*FAILED/p' "$LOG" || true
echo "-- test counts (unit tests, then integration tests)"
grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$LOG" || true
grep -E '^!! ' "$LOG" || true
demo_rc=$(sed -n 's/^fresh-machine: demo exit code //p' "$LOG")
test_rc=$(sed -n 's/^fresh-machine: test exit code //p' "$LOG")
[ "$demo_rc" = 0 ] && [ "$test_rc" = 0 ]
