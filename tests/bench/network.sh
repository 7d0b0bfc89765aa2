#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Module 200's figures, in network namespaces of their own (root):
#   1. `network show --json` with one adapter;
#   2. the same with 200 veth adapters and 10,000 routes, against
#      `ip -j addr show` + `ip -j route show` in the same run;
#   3. applying a static configuration: the helper's wall time from start
#      to exit, the kernel state changed (with and without a new IPv4
#      address, whose ARP probe waits 400 ms for an answer by design).
# Medians of N runs. Prints the figures and a Markdown table; never fails
# on a figure. Usage: network.sh [-n runs]
set -u
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
CONSOLE=$B/appliance-console
RUNS=21
[ "${1:-}" = -n ] && RUNS=$2
[ "$(id -u)" = 0 ] || { echo "network.sh: needs root (namespaces)" >&2; exit 1; }
TAG=acb$$
NS1=$TAG-1
NS2=$TAG-2
WORK=$(mktemp -d /tmp/ac-bench-net.XXXXXX)
cleanup() {
	ip netns del "$NS1" 2>/dev/null
	ip netns del "$NS2" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A system root for the console (CONSOLE_ROOT) with the helpers linked.
mkdir -p "$WORK/etc/appliance-console" "$WORK/var/log/appliance-console" \
    "$WORK/var/lib/appliance-console" "$WORK/usr/local/libexec/appliance-console"
: >"$WORK/var/log/appliance-console/audit.log"
printf '[network]\nconfirm_timeout = 3600\n' >"$WORK/etc/appliance-console/console.conf"
for f in "$B"/bin/*; do ln -s "$f" "$WORK/usr/local/libexec/appliance-console/"; done
HELPER=$WORK/usr/local/libexec/appliance-console/console-helper-network

# median_ms CMD...: the median wall time of RUNS runs, in ms.
median_ms() {
	local i t0 t1
	for ((i = 0; i < RUNS; i++)); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1
		t1=$EPOCHREALTIME
		echo "$t0 $t1"
	done | awk '{ print ($2 - $1) * 1000 }' | sort -n |
	    awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }'
}
in_ns() { local ns=$1; shift; CONSOLE_ROOT=$WORK ip netns exec "$ns" "$@"; }

ip netns add "$NS1"
ip -n "$NS1" link add eth0 type veth peer name peer0
ip -n "$NS1" link set lo up
ip -n "$NS1" link set eth0 up
ip -n "$NS1" link set peer0 up
ip -n "$NS1" addr add 192.0.2.10/24 dev eth0
ip -n "$NS1" route add default via 192.0.2.1

echo "1. network show --json, one adapter ..."
show1=$(median_ms in_ns "$NS1" "$CONSOLE" network show --json)

echo "2. 200 veth adapters and 10,000 routes ..."
ip netns add "$NS2"
{
	for i in $(seq 0 99); do
		echo "link add v$i type veth peer name w$i"
		echo "link set v$i up"
		echo "link set w$i up"
	done
	echo "addr add 10.0.0.2/16 dev v0"
	for i in $(seq 0 9999); do
		echo "route add 172.16.$((i / 250)).$((i % 250))/32 via 10.0.0.1"
	done
} >"$WORK/batch"
ip -n "$NS2" -batch "$WORK/batch"
ip -n "$NS2" link set lo up
nlinks=$(ip -n "$NS2" -o link | grep -vc "lo:")
nroutes=$(ip -n "$NS2" route | wc -l)
show200=$(median_ms in_ns "$NS2" "$CONSOLE" network show --json)
ipaddr=$(median_ms in_ns "$NS2" ip -j addr show)
iproute=$(median_ms in_ns "$NS2" ip -j route show)
ipboth=$(awk -v a="$ipaddr" -v b="$iproute" 'BEGIN { printf "%.2f", a + b }')
ratio=$(awk -v a="$show200" -v b="$ipboth" 'BEGIN { printf "%.2f", a / b }')

echo "3. applying a static configuration ..."
# Alternate between two configurations so that every run changes state;
# each run is confirmed at once so the next one is accepted.
apply_gw() {
	in_ns "$NS1" "$HELPER" static eth0 192.0.2.10/24 "=$1" = keep keep keep &&
	in_ns "$NS1" "$HELPER" confirm
}
apply_addr() {
	in_ns "$NS1" "$HELPER" static eth0 "$1" =192.0.2.1 = keep keep keep &&
	in_ns "$NS1" "$HELPER" confirm
}
helper_ms() {	# one helper run, its wall time in ms
	local t0 t1
	t0=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'
}
med() { sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }'; }
for ((i = 0; i < RUNS; i++)); do
	gw=192.0.2.$((1 + i % 2 * 253))
	helper_ms in_ns "$NS1" "$HELPER" static eth0 192.0.2.10/24 "=$gw" = keep keep keep
	in_ns "$NS1" "$HELPER" confirm >/dev/null 2>&1
done >"$WORK/gw"
applygw=$(med <"$WORK/gw")
for ((i = 0; i < RUNS; i++)); do
	addr=192.0.2.$((10 + i % 2))/24
	helper_ms in_ns "$NS1" "$HELPER" static eth0 "$addr" =192.0.2.1 = keep keep keep
	in_ns "$NS1" "$HELPER" confirm >/dev/null 2>&1
done >"$WORK/addr"
applyaddr=$(med <"$WORK/addr")
confirmms=$(median_ms true)

echo
echo "| figure | measured | target |"
echo "| --- | ---: | --- |"
echo "| \`network show --json\`, 1 adapter (ms) | $show1 | <= 5 |"
echo "| the same with $nlinks veth adapters and $nroutes routes (ms) | $show200 | <= 1.0 x ip ($ipboth) |"
echo "| \`ip -j addr show\` + \`ip -j route show\` there (ms) | $ipaddr + $iproute | - |"
echo "| ratio console / ip | $ratio | <= 1.0 |"
echo "| apply a static change, new gateway (helper start to exit, ms) | $applygw | <= 50 |"
echo "| apply a static change, new IPv4 address incl. the 400 ms ARP probe (ms) | $applyaddr | - |"
