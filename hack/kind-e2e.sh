#!/usr/bin/env bash
# End-to-end on Kind, for users' machines (needs docker, kind, kubectl; NOT runnable on the CI machine, which has
# no container engine daemon and no registry — this script is unverified there, see README).
#   1. 3-node Kind cluster  2. build + load the image  3. apply deploy/overlays/kind  4. a VirtualIP on the Kind network
#   5. wait for Ready with one master  6. stop the master's node container  7. the VIP moves and status says so
#   8. delete the cluster (also on failure)
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER=${CLUSTER:-carp-e2e}
IMAGE=carp-operator:0.1.0
TIMEOUT=${TIMEOUT:-180}

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; kubectl get vip -o wide >&2 || true; exit 1; }
for tool in docker kind kubectl; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
cleanup() { step "deleting Kind cluster $CLUSTER"; kind delete cluster --name "$CLUSTER" || true; }
trap cleanup EXIT

step "creating a 3-node Kind cluster $CLUSTER"
cat <<KIND | kind create cluster --name "$CLUSTER" --wait 120s --config=- || fail "kind create cluster"
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
  - role: worker
KIND

step "building and loading $IMAGE"
docker build -t "$IMAGE" . || fail "docker build"
kind load docker-image "$IMAGE" --name "$CLUSTER" || fail "kind load docker-image"

step "installing carp-operator"
kubectl apply -k deploy/overlays/kind || fail "kubectl apply -k deploy/overlays/kind"
kubectl -n carp-system rollout status deployment/carp-operator --timeout="${TIMEOUT}s" || fail "operator did not become ready"
kubectl -n carp-agents rollout status daemonset/carp-agent --timeout="${TIMEOUT}s" || fail "agents did not become ready"

step "choosing a VIP on the Kind network"
SUBNET=$(docker network inspect kind -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' | tr ' ' '\n' | grep -v ':' | head -1)
[ -n "$SUBNET" ] || fail "no IPv4 subnet on the docker network 'kind'"
PREFIX=${SUBNET#*/}
BASE=${SUBNET%/*}
IFS=. read -r a b c _ <<<"$BASE"
# high in the range, away from the addresses docker hands out from the bottom
if [ "$PREFIX" -le 16 ]; then VIP="$a.$b.255.200"; else VIP="$a.$b.$c.200"; fi
echo "Kind network $SUBNET -> VIP $VIP/$PREFIX"

kubectl -n carp-system create secret generic carp-password --from-literal=password="e2e-$RANDOM" \
  --dry-run=client -o yaml | kubectl apply -f - || fail "password Secret"
cat <<VIPYAML | kubectl apply -f - || fail "VirtualIP"
apiVersion: carp-operator.io/v1alpha1
kind: VirtualIP
metadata:
  name: e2e
spec:
  address: $VIP/$PREFIX
  passwordSecretRef: {name: carp-password, key: password}
VIPYAML

wait_for() { # description, jsonpath test command
  local what=$1; shift
  for _ in $(seq "$TIMEOUT"); do
    if "$@"; then return 0; fi
    sleep 1
  done
  fail "timed out waiting for $what"
}
master() { kubectl get vip e2e -o jsonpath='{.status.master}'; }
phase() { kubectl get vip e2e -o jsonpath='{.status.phase}'; }

step "waiting for phase Ready with one master"
wait_for "phase Ready" bash -c '[ "$(kubectl get vip e2e -o jsonpath={.status.phase})" = Ready ]'
FIRST=$(master)
[ -n "$FIRST" ] || fail "Ready but no master"
kubectl get vip e2e
echo "master: $FIRST"

step "stopping the master's node container $FIRST"
docker stop "$FIRST" >/dev/null || fail "docker stop $FIRST"

step "waiting for another node to take the VIP"
wait_for "a new master" bash -c 'm=$(kubectl get vip e2e -o jsonpath={.status.master}); [ -n "$m" ] && [ "$m" != "'"$FIRST"'" ]'
SECOND=$(master)
kubectl get vip e2e
echo "new master: $SECOND (was $FIRST)"
kubectl get vip e2e -o jsonpath='{.status.nodes}' ; echo
docker start "$FIRST" >/dev/null || true

step "PASSED: the VIP moved from $FIRST to $SECOND and the status says so"
