# shellcheck shell=bash
# The pure parts of hack/kind-e2e.sh: argument handling, the VIP's address and manifest, the Kind cluster's config,
# how to load the image, what arping's output says. Nothing here runs docker, kind or kubectl, so KindE2eScriptTest
# runs every function on a machine without them. Sourced; a function prints its answer on stdout, or explains a
# refusal on stderr and returns non-zero. Safe under `set -euo pipefail`.

IFS= read -r -d '' KIND_E2E_USAGE <<'USAGE' || true
usage: hack/kind-e2e.sh [--keep] [--name CLUSTER] [--timeout SECONDS] [--logs DIR] [-h|--help]

End to end on a Kind cluster (one control-plane node, three workers): builds and loads the image, installs
carp-operator, applies a VirtualIP on the Kind network that only the workers take part in (preferred in order),
then checks, twice, that the VIP moves to the next preferred worker and that its status says why:
  1. graceful: `docker stop` of the master's node container (systemd in it stops every pod; the agent hands over)
  2. crash:    `docker kill` of the new master's node container (no agent speaks again; its entry goes stale)
Needs docker, kind and kubectl, and about 3 GB of memory. Deletes the cluster at the end, also on failure.

  --keep            leave the cluster up (on success and on failure); delete it with: kind delete cluster --name CLUSTER
  --name CLUSTER    the Kind cluster to create (default carp-e2e, or $CLUSTER); it must not exist yet
  --timeout SECONDS the longest wait for each step (default 180, or $TIMEOUT)
  --logs DIR        where a failed run leaves `kind export logs`, the VirtualIP, the NodeReports, the agents' and
                    the operator's logs (default: a new directory under ${TMPDIR:-/tmp})
  -h, --help        this text

Not covered, because Kind cannot build it: an isolated node whose API path survives. `docker network disconnect`
cuts a Kind node's only network, which carries the API server's traffic and the VIP's alike; the lab tests
(`mvn verify` as root) cover isolation in network namespaces.
USAGE

# Kind's own rule for cluster names (sigs.k8s.io/kind pkg/internal/apis/config/validate.go).
KIND_CLUSTER_NAME_RE='^[a-z0-9.-]+$'

# Sets E2E_HELP, E2E_KEEP, E2E_CLUSTER, E2E_TIMEOUT and E2E_LOGS from the arguments (CLUSTER, TIMEOUT and LOGS
# from the environment are the defaults). Returns 2 with one line on stderr for a bad argument; --help wins over the
# rest of the line.
parse_args() {
  E2E_HELP=0
  E2E_KEEP=0
  E2E_CLUSTER=${CLUSTER:-carp-e2e}
  E2E_TIMEOUT=${TIMEOUT:-180}
  E2E_LOGS=${LOGS:-}
  local arg value
  while [ $# -gt 0 ]; do
    arg=$1
    case $arg in
      -h | --help)
        E2E_HELP=1
        return 0
        ;;
      --keep) E2E_KEEP=1 ;;
      --name | --timeout | --logs)
        if [ $# -lt 2 ] || [ -z "$2" ]; then
          printf "kind-e2e.sh: %s needs a value (see --help)\n" "$arg" >&2
          return 2
        fi
        value=$2
        shift
        case $arg in
          --name) E2E_CLUSTER=$value ;;
          --timeout) E2E_TIMEOUT=$value ;;
          --logs) E2E_LOGS=$value ;;
        esac
        ;;
      --name=* | --timeout=* | --logs=*)
        value=${arg#*=}
        case $arg in
          --name=*) E2E_CLUSTER=$value ;;
          --timeout=*) E2E_TIMEOUT=$value ;;
          --logs=*) E2E_LOGS=$value ;;
        esac
        ;;
      *)
        printf "kind-e2e.sh: unknown argument '%s' (see --help)\n" "$arg" >&2
        return 2
        ;;
    esac
    shift
  done
  if ! [[ $E2E_CLUSTER =~ $KIND_CLUSTER_NAME_RE ]]; then
    printf "kind-e2e.sh: --name: expected lower-case letters, digits, '.' or '-' (Kind's rule), got '%s'\n" "$E2E_CLUSTER" >&2
    return 2
  fi
  if ! [[ $E2E_TIMEOUT =~ ^[1-9][0-9]{0,4}$ ]]; then
    printf "kind-e2e.sh: --timeout: expected a whole number of seconds from 1 to 99999, got '%s'\n" "$E2E_TIMEOUT" >&2
    return 2
  fi
  return 0
}

# A.B.C.D -> the address as one number; non-zero for anything else.
ipv4_to_int() {
  local octet
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  for octet in "${BASH_REMATCH[@]:1}"; do
    ((10#$octet <= 255)) || return 1
  done
  echo $(((10#${BASH_REMATCH[1]} << 24) | (10#${BASH_REMATCH[2]} << 16) | (10#${BASH_REMATCH[3]} << 8) | 10#${BASH_REMATCH[4]}))
}

int_to_ipv4() {
  echo "$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"
}

# The first IPv4 CIDR among whitespace-separated subnets (`docker network inspect` lists IPv6 ones too). Returns 1,
# printing nothing, when there is none: the caller explains, which an empty `grep` in a pipeline under
# `set -euo pipefail` would never let it do.
first_ipv4_subnet() {
  local -a words=()
  local word
  read -r -d '' -a words <<<"$1" || true
  for word in "${words[@]}"; do
    if [[ $word =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]]; then
      echo "$word"
      return 0
    fi
  done
  return 1
}

# CIDR -> "NETWORK PREFIX" (the network as a number, host bits cleared), for prefixes 0-32.
ipv4_network() {
  local cidr=$1 base prefix mask
  if ! [[ $cidr =~ ^([0-9.]+)/([0-9]{1,2})$ ]] || ((10#${BASH_REMATCH[2]} > 32)); then
    printf "not an IPv4 subnet: '%s' (expected A.B.C.D/PREFIX)\n" "$cidr" >&2
    return 1
  fi
  prefix=$((10#${BASH_REMATCH[2]}))
  if ! base=$(ipv4_to_int "${BASH_REMATCH[1]}"); then
    printf "not an IPv4 subnet: '%s' (expected A.B.C.D/PREFIX)\n" "$cidr" >&2
    return 1
  fi
  mask=$(((0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF))
  echo "$((base & mask)) $prefix"
}

# The subnet's host addresses from the top down, at most COUNT (default 16): Docker hands out addresses from the
# bottom, so the top is where a VIP is least likely to meet a container. Neither the network nor the broadcast
# address (the VirtualIP CRD refuses both). Refuses prefixes the CRD refuses (below 8) and /31, /32 (no address to
# spare).
vip_candidates() {
  local subnet=$1 count=${2:-16} network prefix broadcast address
  read -r network prefix < <(ipv4_network "$subnet") || return 1
  if ((prefix < 8)); then
    printf "subnet %s: a VirtualIP's prefix must be 8-32 (the CRD's rule), this one is /%d\n" "$subnet" "$prefix" >&2
    return 1
  fi
  if ((prefix > 30)); then
    printf "subnet %s: a /%d has no address to spare for a VIP\n" "$subnet" "$prefix" >&2
    return 1
  fi
  broadcast=$((network | ((1 << (32 - prefix)) - 1)))
  for ((address = broadcast - 1; address > network && count > 0; address--, count--)); do
    int_to_ipv4 "$address"
  done
}

# The highest candidate of SUBNET (see vip_candidates) that is not among TAKEN (addresses, with or without /PREFIX,
# as `docker network inspect` prints a container's). Refuses, naming what it skipped, when none is left.
choose_vip() {
  local subnet=$1 candidate taken_one
  shift
  local -a candidates=()
  local -A taken=()
  for taken_one in "$@"; do
    if [ -n "$taken_one" ]; then
      taken[${taken_one%/*}]=1
    fi
  done
  mapfile -t candidates < <(vip_candidates "$subnet") || return 1
  if [ ${#candidates[@]} -eq 0 ]; then
    return 1 # vip_candidates explained
  fi
  for candidate in "${candidates[@]}"; do
    if [ -z "${taken[$candidate]:-}" ]; then
      echo "$candidate"
      return 0
    fi
  done
  printf "subnet %s: no free address for the VIP among its top %d (%s..%s): all in use\n" "$subnet" \
    "${#candidates[@]}" "${candidates[0]}" "${candidates[${#candidates[@]} - 1]}" >&2
  return 1
}

# Whether Docker stores images in containerd, from `docker info -f '{{.DriverStatus}}'`, which then reads
# `[[driver-type io.containerd.snapshotter.v1]]` (Docker's documentation of the containerd image store).
uses_containerd_store() {
  [[ $1 == *io.containerd.snapshotter* ]]
}

# How to put the image into the nodes: `archive` (docker image save to a file, kind load image-archive) under the
# containerd image store, where `kind load docker-image` fails (kind#3795: `docker save` there writes a
# multi-platform index whose other platforms are not local, and the node's `ctr import --all-platforms` stops at the
# first missing blob); `docker-image` otherwise.
image_load_method() {
  if uses_containerd_store "$1"; then echo archive; else echo docker-image; fi
}

# What `arping -D` (duplicate address detection, iputils) printed: 0 when someone answered for the address, 1 when
# no one did, 2 when the output says neither (arping failed: the caller must not guess).
arping_found_owner() {
  if [[ $1 =~ Received\ ([0-9]+)\ response ]]; then
    ((BASH_REMATCH[1] > 0)) && return 0
    return 1
  fi
  return 2
}

# The interface of `ip -o -4 route get ADDRESS`'s answer ("... dev eth0 src ..."); non-zero when there is none.
route_interface() {
  if [[ $1 =~ (^|[[:space:]])dev[[:space:]]+([^[:space:]]+) ]]; then
    echo "${BASH_REMATCH[2]}"
    return 0
  fi
  return 1
}

# The Kind cluster: one control-plane node and WORKERS (default 3) workers. Three, so that each failure case moves the
# VIP to a worker that has not been touched yet, and no stopped node has to come back in between.
kind_config() {
  local workers=${1:-3} i
  printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n'
  for ((i = 0; i < workers; i++)); do
    printf '  - role: worker\n'
  done
}

# The VirtualIP the run applies: NAME, ADDRESS/PREFIX, then the workers in order of preference. Only nodes without
# the control-plane role take part (the agents do not run there either: see deploy/overlays/kind), and the first
# worker is the preferred master (lowest advskew). Preempt, as the seed's `ucarp -P`.
vip_manifest() {
  local name=$1 address=$2 node
  shift 2
  cat <<YAML
apiVersion: carp-operator.io/v1alpha1
kind: VirtualIP
metadata:
  name: $name
spec:
  address: $address
  preempt: true
  nodeSelector:
    matchExpressions:
      - key: node-role.kubernetes.io/control-plane
        operator: DoesNotExist
  preferredNodes:
YAML
  for node in "$@"; do
    printf '    - %s\n' "$node"
  done
  cat <<YAML
  passwordSecretRef:
    name: carp-password
    key: password
YAML
}
