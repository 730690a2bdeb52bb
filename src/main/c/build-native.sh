#!/bin/sh
# Builds the LD_PRELOAD library that puts ucarp's packet capture in immediate mode (see pcap-immediate.c) into
# OUTPUT_DIR/io/carpoperator/carp/native/linux-ARCH/, where the agent finds it on its class path. Run by Maven in
# generate-resources. Without a C compiler the build goes on without it and the agent warns at start that ucarp's
# failover can come up to 1 s late; `apt-get install gcc libc6-dev` (or build the image, which has them) to get it.
set -eu
out="${1:?usage: build-native.sh OUTPUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
dir="$out/io/carpoperator/carp/native/linux-$arch"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[WARNING] build-native.sh: no C compiler ($cc): the jar will not carry libcarp-pcap-immediate.so;" \
       "ucarp's failover can then come up to 1 s late (apt-get install gcc libc6-dev to build it)" >&2
  exit 0
fi
mkdir -p "$dir"
if ! "$cc" -shared -fPIC -O2 -Wall -Wextra -Werror -o "$dir/libcarp-pcap-immediate.so.tmp" "$here/pcap-immediate.c" -ldl; then
  rm -f "$dir/libcarp-pcap-immediate.so.tmp"
  echo "[WARNING] build-native.sh: $cc could not build pcap-immediate.c (are libc6-dev's headers installed?):" \
       "the jar will not carry libcarp-pcap-immediate.so" >&2
  exit 0
fi
mv "$dir/libcarp-pcap-immediate.so.tmp" "$dir/libcarp-pcap-immediate.so"
