#!/bin/sh
# keepalived notify script for the data-plane benchmark: records the instance's state (MASTER, BACKUP, FAULT, STOP)
# in a file the benchmark polls, to see when an isolated node takes part in VRRP again.
# keepalived runs it as: notify-state.sh STATE_FILE INSTANCE NAME STATE PRIORITY
printf '%s\n' "$4" > "$1.tmp" && mv "$1.tmp" "$1"
