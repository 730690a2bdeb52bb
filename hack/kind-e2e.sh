#!/usr/bin/env bash
# End to end on Kind, for users' machines: needs docker, kind and kubectl. Not runnable on the CI machine (no container
# engine there): written against Kind's and Docker's documented behaviour, unverified here (see README). --help says
# what it does; its pure parts live in hack/lib/kind-e2e-lib.sh, which KindE2eScriptTest runs without Docker.
#
# Why it is built this way:
# * Agents and the VIP stay off the control plane (deploy/overlays/kind, and the VirtualIP's nodeSelector): in Kind the
#   control-plane node container *is* the API server, so stopping it would take the status this run reads down too.
# * Three workers, preferred in order: the master is known before anything fails, and each failure moves the VIP to a
#   worker not touched yet, with no stopped node having to come back in between.
# * `docker stop` sends Kind's node container its STOPSIGNAL, SIGRTMIN+3 (kind images/base/Dockerfile: systemd exits
#   on it, not on SIGTERM), so systemd in the node stops its units cleanly; Kind's containerd runs every container in
#   a systemd scope (SystemdCgroup = true), which systemd stops with SIGTERM: the agent hands the VIP over.
#   `docker stop -t` gives that time before Docker's SIGKILL (its default is 10 s).
# * `docker kill` sends SIGKILL: nothing in the node says goodbye, the way a crashed host does not. A killed or
#   stopped container is not restarted by its restart policy (Docker ignores the policy after a manual stop/kill).
# * Not possible in Kind: an isolated node whose API path survives (the seed's isolation case). `docker network
#   disconnect` cuts a node's only network, which carries both the API server's traffic and the VIP's segment; the lab
#   tests cover isolation in network namespaces.
set -euo pipefail
if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
  echo "kind-e2e.sh: needs bash 4.4 or newer, this is $BASH_VERSION (on macOS: brew install bash)" >&2
  exit 1
fi
case ${BASH_SOURCE[0]} in
  */*) HERE=${BASH_SOURCE[0]%/*} ;;
  *) HERE=. ;;
esac
# shellcheck source=hack/lib/kind-e2e-lib.sh
source "$HERE/lib/kind-e2e-lib.sh"
parse_args "$@" || exit 2
if [ "$E2E_HELP" = 1 ]; then
  printf '%s' "$KIND_E2E_USAGE"
  exit 0
fi
missing=()
for tool in docker kind kubectl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'kind-e2e.sh: not installed: %s (this script needs docker, kind and kubectl; see --help)\n' "${missing[*]}" >&2
  exit 1
fi
cd "$HERE/.."

CLUSTER=$E2E_CLUSTER
TIMEOUT=$E2E_TIMEOUT
CONTEXT=kind-$CLUSTER
IMAGE=carp-operator:0.1.0
VIP_NAME=e2e
# Kind uses the docker network "kind" unless told otherwise by this (experimental) variable
NETWORK=${KIND_EXPERIMENTAL_DOCKER_NETWORK:-kind}
# above the agent's shutdown budget (10 s) plus systemd's own stopping in the node
STOP_GRACE_SECONDS=30
CREATED=0
TEMP_FILES=()

step() { printf '\n== %s\n' "$*"; }
fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  exit 1
}
# every kubectl call names the cluster's context: a context switched elsewhere meanwhile is never touched
k() { kubectl --context "$CONTEXT" "$@"; }

on_exit() {
  local rc=$?
  trap - EXIT
  if [ "$CREATED" = 1 ]; then
    if [ "$rc" -ne 0 ]; then
      collect_diagnostics || true
    fi
    if [ "$E2E_KEEP" = 1 ]; then
      step "keeping Kind cluster $CLUSTER (--keep); delete it with: kind delete cluster --name $CLUSTER"
    else
      step "deleting Kind cluster $CLUSTER"
      kind delete cluster --name "$CLUSTER" || true
    fi
  fi
  if [ ${#TEMP_FILES[@]} -gt 0 ]; then
    rm -f "${TEMP_FILES[@]}"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What a failed run leaves behind: the VirtualIP and NodeReports as stored, every agent's and the operator's log, the
# node containers' own output and pod logs (docker cp works on stopped containers too), and `kind export logs`.
collect_diagnostics() {
  local dir=$E2E_LOGS node pod
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/carp-kind-e2e.XXXXXX")
  fi
  mkdir -p "$dir"
  step "collecting diagnostics into $dir"
  k get vip -o wide >&2 || true
  k get vip -o yaml >"$dir/virtualips.yaml" 2>&1 || true
  k get nodereports -o yaml >"$dir/nodereports.yaml" 2>&1 || true
  k get nodes -o wide >"$dir/nodes.txt" 2>&1 || true
  k get events -A --sort-by=.lastTimestamp >"$dir/events.txt" 2>&1 || true
  k -n carp-agents get pods -o wide >"$dir/agent-pods.txt" 2>&1 || true
  for pod in $(k -n carp-agents get pods -o name 2>/dev/null || true); do
    k -n carp-agents logs "$pod" --timestamps >"$dir/agent-${pod#pod/}.log" 2>&1 || true
    k -n carp-agents logs "$pod" --timestamps --previous >"$dir/agent-${pod#pod/}.previous.log" 2>&1 || true
  done
  k -n carp-system logs deployment/carp-operator --timestamps >"$dir/operator.log" 2>&1 || true
  for node in $(kind get nodes --name "$CLUSTER" 2>/dev/null || true); do
    docker logs "$node" >"$dir/node-$node.console.log" 2>&1 || true
    docker cp "$node:/var/log/pods" "$dir/node-$node-pods" >/dev/null 2>&1 || true
  done
  if ! kind export logs "$dir/kind" --name "$CLUSTER" >/dev/null 2>&1; then
    echo "kind export logs did not finish (a stopped or killed node cannot be exported); the rest is in $dir" >&2
  fi
  k get vip "$VIP_NAME" -o yaml >&2 || true
  echo "diagnostics: $dir" >&2
}

# Polls every 2 s until COMMAND... succeeds, for at most TIMEOUT seconds.
wait_until() {
  local what=$1 deadline=$((SECONDS + TIMEOUT))
  shift
  until "$@"; do
    if ((SECONDS >= deadline)); then
      fail "timed out after ${TIMEOUT}s waiting for $what"
    fi
    sleep 2
  done
}

vip_field() { k get vip "$VIP_NAME" -o "jsonpath=$1" 2>/dev/null || true; }
condition() { vip_field "{.status.conditions[?(@.type==\"$1\")].$2}"; }
# a node's name may hold dots (Kind allows them in cluster names): escaped, or jsonpath would read a path
node_entry() { vip_field "{.status.nodes.${1//./\\.}.$2}"; }
ready_with_master() { [ "$(vip_field '{.status.phase}')" = Ready ] && [ "$(vip_field '{.status.master}')" = "$1" ]; }
master_is() { [ "$(vip_field '{.status.master}')" = "$1" ]; }
entry_says() { [ "$(node_entry "$1" state)" = "$2" ] && [[ $(node_entry "$1" reason) == *"$3"* ]]; }
condition_says() { [ "$(condition "$1" reason)" = "$2" ] && [[ $(condition "$1" message) == *"$3"* ]]; }
agent_pod_on() { k -n carp-agents get pods --field-selector "spec.nodeName=$1" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true; }
# the data plane's own word: the address is configured on that node (its agent pod shares the node's network)
holds_address() { [ -n "$(k -n carp-agents exec "$(agent_pod_on "$1")" -- ip -o -4 addr show to "$VIP/32" 2>/dev/null || true)" ]; }

show_vip() {
  k get vip "$VIP_NAME" -o wide || true
  k get vip "$VIP_NAME" -o jsonpath='{range .status.conditions[*]}  {.type}={.status} {.reason}: {.message}{"\n"}{end}' || true
  k get vip "$VIP_NAME" -o jsonpath='{range .status.nodes.*}  {.state} since {.since}: {.reason}{"\n"}{end}' || true
}

load_image_archive() {
  local platform archive
  platform=$(docker image inspect -f '{{.Os}}/{{.Architecture}}{{with .Variant}}/{{.}}{{end}}' "$IMAGE") ||
    fail "docker image inspect $IMAGE"
  archive=$(mktemp "${TMPDIR:-/tmp}/carp-operator-image.XXXXXX")
  TEMP_FILES+=("$archive")
  # one platform only, as Kind's documentation of kind#3795 advises; Docker before 28 has no --platform on save,
  # and there the classic store's archive holds one platform anyway
  if ! docker image save --platform "$platform" -o "$archive" "$IMAGE" 2>/dev/null; then
    docker image save -o "$archive" "$IMAGE" || fail "docker image save $IMAGE"
  fi
  # a file, not /dev/stdin: kind opens the archive once per node, concurrently, and a pipe can be read only once
  kind load image-archive "$archive" --name "$CLUSTER" || fail "kind load image-archive $archive"
}

step "creating Kind cluster $CLUSTER: one control-plane node, three workers"
# no pipe into grep -q: under pipefail, grep leaving early can fail `kind get clusters` with SIGPIPE and hide a match
CLUSTERS=$(kind get clusters 2>/dev/null || true)
if grep -qx -- "$CLUSTER" <<<"$CLUSTERS"; then
  fail "a Kind cluster named $CLUSTER exists already; delete it (kind delete cluster --name $CLUSTER) or pass --name"
fi
CREATED=1
kind_config 3 | kind create cluster --name "$CLUSTER" --wait 120s --config=- || fail "kind create cluster"

step "building $IMAGE and loading it into the nodes"
docker build -t "$IMAGE" . || fail "docker build"
DRIVER_STATUS=$(docker info -f '{{.DriverStatus}}' 2>/dev/null || true)
if [ "$(image_load_method "$DRIVER_STATUS")" = archive ]; then
  echo "Docker stores images in containerd ($DRIVER_STATUS): kind load docker-image fails there (kind#3795); loading an archive"
  load_image_archive
elif ! kind load docker-image "$IMAGE" --name "$CLUSTER"; then
  echo "kind load docker-image failed; loading an archive instead" >&2
  load_image_archive
fi

step "applying the CRDs first (crds/): the rest needs them accepted by the API server"
if ! out=$(k apply -f crds/ 2>&1); then
  printf '%s\n' "$out" >&2
  fail "the API server refused the CRDs (its answer above)"
fi
printf '%s\n' "$out"
if ! out=$(k wait --for condition=established --timeout="${TIMEOUT}s" crd/virtualips.carp-operator.io crd/nodereports.carp-operator.io 2>&1); then
  printf '%s\n' "$out" >&2
  k get crd virtualips.carp-operator.io nodereports.carp-operator.io -o jsonpath='{range .items[*]}{.metadata.name}:{"\n"}{range .status.conditions[*]}  {.type}={.status} {.reason}: {.message}{"\n"}{end}{end}' >&2 || true
  fail "the CRDs were stored but not established (the API server's conditions above)"
fi

step "installing carp-operator (deploy/overlays/kind: images never pulled, agents only on workers)"
k apply -k deploy/overlays/kind || fail "kubectl apply -k deploy/overlays/kind"
k -n carp-system rollout status deployment/carp-operator --timeout="${TIMEOUT}s" || fail "the operator did not become ready"
k -n carp-agents rollout status daemonset/carp-agent --timeout="${TIMEOUT}s" || fail "the agents did not become ready"

mapfile -t WORKERS < <(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort)
[ ${#WORKERS[@]} -eq 3 ] || fail "expected 3 worker nodes, found ${#WORKERS[@]}: ${WORKERS[*]:-none}"
mapfile -t AGENT_NODES < <(k -n carp-agents get pods -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort)
[ "${AGENT_NODES[*]:-}" = "${WORKERS[*]}" ] ||
  fail "expected one agent on each worker (${WORKERS[*]}) and none on the control plane, found agents on: ${AGENT_NODES[*]:-none}"
OPERATOR_NODE=$(k -n carp-system get pods -l app.kubernetes.io/name=carp-operator -o jsonpath='{.items[*].spec.nodeName}' 2>/dev/null || true)
[ "$OPERATOR_NODE" = "$CLUSTER-control-plane" ] ||
  fail "expected the operator on $CLUSTER-control-plane, where stopping workers cannot take it down; it runs on: ${OPERATOR_NODE:-nothing}"
echo "workers, in order of preference: ${WORKERS[*]}; the operator runs on $OPERATOR_NODE"

step "choosing a free VIP on the docker network '$NETWORK'"
SUBNETS=$(docker network inspect "$NETWORK" -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}') ||
  fail "docker network inspect $NETWORK"
SUBNET=$(first_ipv4_subnet "$SUBNETS") || fail "the docker network '$NETWORK' has no IPv4 subnet (its subnets: ${SUBNETS:-none})"
IN_USE=$(docker network inspect "$NETWORK" -f '{{range .IPAM.Config}}{{.Gateway}} {{end}}{{range .Containers}}{{.IPv4Address}} {{end}}') ||
  fail "docker network inspect $NETWORK"
read -r -a TAKEN <<<"$IN_USE"
PROBE_POD=$(agent_pod_on "${WORKERS[0]}")
[ -n "$PROBE_POD" ] || fail "no agent pod on ${WORKERS[0]} to probe from"
# kindest/node has no ping or arping; the agent's image has both, and its pod shares the node's network
VIP=
while [ -z "$VIP" ]; do
  CANDIDATE=$(choose_vip "$SUBNET" "${TAKEN[@]}") || fail "no address for the VIP in $SUBNET (see above)"
  ROUTE=$(k -n carp-agents exec "$PROBE_POD" -- ip -o -4 route get "$CANDIDATE" 2>&1) ||
    fail "ip route get $CANDIDATE on ${WORKERS[0]}: $ROUTE"
  DEV=$(route_interface "$ROUTE") || fail "no interface towards $CANDIDATE on ${WORKERS[0]}: $ROUTE"
  if k -n carp-agents exec "$PROBE_POD" -- ping -n -q -c 2 -W 1 "$CANDIDATE" >/dev/null 2>&1; then
    echo "$CANDIDATE answers ping; trying the next one"
    TAKEN+=("$CANDIDATE")
    continue
  fi
  ARPING=$(k -n carp-agents exec "$PROBE_POD" -- arping -D -c 2 -w 3 -I "$DEV" "$CANDIDATE" 2>&1 || true)
  OWNER=0
  arping_found_owner "$ARPING" || OWNER=$?
  case $OWNER in
    0)
      echo "$CANDIDATE answers ARP; trying the next one"
      TAKEN+=("$CANDIDATE")
      ;;
    1) VIP=$CANDIDATE ;;
    *) fail "cannot tell whether $CANDIDATE is free: arping -D on ${WORKERS[0]} said: $ARPING" ;;
  esac
done
PREFIX=${SUBNET#*/}
echo "network $NETWORK $SUBNET -> VIP $VIP/$PREFIX (no answer to ping or ARP from ${WORKERS[0]})"

step "applying VirtualIP $VIP_NAME: $VIP/$PREFIX, workers only, preferred ${WORKERS[*]}"
k -n carp-system create secret generic carp-password --from-literal=password="e2e-$RANDOM" \
  --dry-run=client -o yaml | k apply -f - || fail "the password Secret"
vip_manifest "$VIP_NAME" "$VIP/$PREFIX" "${WORKERS[@]}" | k apply -f - || fail "the VirtualIP"

FIRST=${WORKERS[0]} SECOND=${WORKERS[1]} THIRD=${WORKERS[2]}
step "waiting for phase Ready with $FIRST, the preferred worker, as master"
wait_until "phase Ready with master $FIRST (the lowest advskew)" ready_with_master "$FIRST"
wait_until "the address on $FIRST" holds_address "$FIRST"
show_vip

step "graceful: docker stop $FIRST (SIGRTMIN+3 to the node's systemd, which stops the agent with SIGTERM)"
docker stop -t "$STOP_GRACE_SECONDS" "$FIRST" >/dev/null || fail "docker stop $FIRST"
wait_until "$SECOND to become master" master_is "$SECOND"
wait_until "the address on $SECOND" holds_address "$SECOND"
wait_until "Ready=True MasterElected naming $SECOND" condition_says Ready MasterElected "$SECOND"
wait_until "$FIRST's entry to say it handed the VIP over (INIT: stopped after handing the VIP over to a backup)" \
  entry_says "$FIRST" INIT "handing the VIP over"
show_vip
echo "graceful: the VIP moved from $FIRST to $SECOND; $FIRST says: $(node_entry "$FIRST" reason)"

step "crash: docker kill $SECOND (SIGKILL to the whole node: its agent never speaks again)"
docker kill "$SECOND" >/dev/null || fail "docker kill $SECOND"
wait_until "$THIRD to become master" master_is "$THIRD"
wait_until "the address on $THIRD" holds_address "$THIRD"
wait_until "Degraded=True StaleNodes naming $SECOND (after the 30 s staleness bound)" condition_says Degraded StaleNodes "$SECOND"
show_vip
echo "crash: the VIP moved from $SECOND to $THIRD; Degraded says: $(condition Degraded message)"

step "PASSED: graceful stop moved the VIP $FIRST -> $SECOND and $FIRST said it handed over; crash moved it $SECOND -> $THIRD and the status names $SECOND as not reporting"
if [ "$E2E_KEEP" = 1 ]; then
  echo "(kept: $FIRST is stopped and $SECOND killed; docker start them to bring them back)"
fi
