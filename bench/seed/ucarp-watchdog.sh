#!/bin/bash
# The seed's ucarp-watchdog.sh (shared/seed/ucarp-isolation-watchdog.txt), as the data-plane benchmark runs it.
# Adapted for the lab, paths only (every other line is the seed's, logic and timers unchanged: HOLDLIMIT=2, sleep 30):
#   - start_ucarp: the pidfile /var/run/ucarp.$UCARPID.pid is $SEED_RUN/ucarp.$UCARPID.pid, and the up/down scripts
#     /etc/ucarp/carp$UCARPID-up.sh and -down.sh are $SEED_ETC/carp$UCARPID-up.sh and -down.sh, so two lab nodes on
#     one machine do not share them; the benchmark sets SEED_RUN and SEED_ETC per node.
# /usr/sbin/ucarp, ping, logger, ps and start-stop-daemon are the system's own. Each node runs this script as PID 1
# of its own PID namespace (ip netns exec NODE unshare --pid --fork --mount-proc ...), so `ps -edaf | grep ucarp`
# sees that node's processes only.
# Written by Gerard Forns (gforns@gmail.com) February 2009.
# Watchdog for ucarp and check if we are isolated
# How many times do we require to check if we are isolated to make sure that we really are?
HOLDLIMIT=2
# Internal variables, do not touch
DOWN=0
HOLD=0
# Checking if parameters are correct
if [ $# -ne 7 ]
then
echo "Usage: $0 ucarpid interface ip_physical ip_virtual isolation_host peer_heartbeat peer_ucarp"
exit 65
fi
UCARPID=$1
INTERFACE=$2
IPP=$3
IPV=$4
HOST=$5
INTERNAL=$6
EXTERNAL=$7
#
# Functions
#
function start_ucarp
{
logger "watchdog-ucarp: Starting ucarp $UCARPID: $IPV"
start-stop-daemon --start --pidfile $SEED_RUN/ucarp.$UCARPID.pid --make-pidfile --background --exec /usr/sbin/ucarp -- \
-i $INTERFACE -s $IPP -v $UCARPID -p password -P -a $IPV -z -u $SEED_ETC/carp$UCARPID-up.sh -d $SEED_ETC/carp$UCARPID-down.sh
}
function stop_ucarp
{
logger "watchdog-ucarp: Stopping ucarp $UCARPID: $IPV"
ps -edaf | grep ucarp | grep -v grep | grep "\-v $UCARPID" | grep -v watchdog | awk '{ print $2 }' | while read LINE
do
kill $LINE;
done
}
#
# MAIN
#
#
# If ucarp is not up, then we need to start it
#
UP=$(ps -edaf | grep ucarp | grep -v grep | grep -v watchdog | grep "\-v $UCARPID" | wc -l)
if test $UP = 0
then
start_ucarp
fi
#
# This is a DAEMON
#
while [ 1 ]
do
# We are not ISOLATED
if test $DOWN = 0
then
ping -c 1 $EXTERNAL
FE=$?
ping -c 1 $INTERNAL
FIN=$?
ping -c 1 $HOST
FH=$?
#
# if the external peer ip is not answering, the heartbit is answering and we don't get to the
# isolation host, then we are probably ISOLATED, remove the virtual IP if we reach the hold limit
#
if [ $FE -eq 1 -a $FH -eq 1 -a $FIN -eq 0 ]
then
HOLD=$(expr $HOLD + 1)
if [ $HOLD -eq $HOLDLIMIT ]
then
stop_ucarp
DOWN=1
HOLD=0
fi
#
# else, we just reset the hold
#
else
HOLD=0
fi
#
# We are now ISOLATED
#
else
ping -c 1 $EXTERNAL
FE=$?
#
# If our peer answer, means that we are not ISOLATED anymore, then we just set up the virtual IP again
#
if [ $FE -eq 0 ]
then
UP=$(ps -edaf | grep ucarp | grep -v grep | grep -v watchdog | grep "\-v $UCARPID" | wc -l)
if test $UP = 0
then
start_ucarp
DOWN=0
fi
fi
fi
#
# We wait 30 seconds to poll againg
#
sleep 30
done
