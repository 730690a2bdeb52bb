#!/bin/sh
# keepalived track_script for the data-plane benchmark: the seed's isolation test with our agent's fixes.
# Exit 1 ("isolated") only when the peer on the VIP network does not answer, the heartbeat on the other path does,
# and the isolation host does not; any probe error counts as a failure. The three pings run in parallel with a
# 1 s deadline, as the agent's probes do; keepalived's fall/rise play the hold limit and recover-after.
# Usage: isolation-check.sh PEER HEARTBEAT ISOLATION_HOST
peer=$1 heartbeat=$2 host=$3
ping -n -q -c 1 -W 1 "$peer" >/dev/null 2>&1 & p=$!
ping -n -q -c 1 -W 1 "$heartbeat" >/dev/null 2>&1 & h=$!
ping -n -q -c 1 -W 1 "$host" >/dev/null 2>&1 & g=$!
wait $p; peer_ok=$?
wait $h; heartbeat_ok=$?
wait $g; host_ok=$?
if [ $peer_ok -ne 0 ] && [ $heartbeat_ok -eq 0 ] && [ $host_ok -ne 0 ]; then
  exit 1
fi
exit 0
