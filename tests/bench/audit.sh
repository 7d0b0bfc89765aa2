#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The audit trail's figures (root, a system root of its own):
#   1. one privileged change end to end, `appliance-console -c 'proxy set
#      http 10.9.9.9 3128'` (the console, the helper, its two atomic
#      writes), built from the tree before the chain (BEFORE, a git
#      revision) and from this tree, medians of N runs each, alternated;
#   2. the same for a network change in a namespace of its own,
#      `-c 'network set eth0 static 192.0.2.10/24 --gateway GW'` (two
#      gateways in turn, each change confirmed, untimed, before the next);
#   3. `console-helper-audit verify` over a trail of 100,000 records
#      (made here with the same format and hashes).
# Prints the figures and a Markdown table; never fails on a figure.
# Usage: audit.sh [-n runs]
set -u
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
RUNS=21
[ "${1:-}" = -n ] && RUNS=$2
[ "$(id -u)" = 0 ] || { echo "audit.sh: needs root (CONSOLE_ROOT)" >&2; exit 1; }
# The parent of the commit that brought the chain, unless told.
BEFORE=${BEFORE:-$(git -C "$ROOT" log --format=%H -1 \
    --grep='^The chained audit trail' 2>/dev/null)^}
WORK=$(mktemp -d /tmp/ac-bench-audit.XXXXXX)
NS=acba$$
trap 'ip netns del "$NS-b" 2>/dev/null; ip netns del "$NS-a" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

# A system root for one build: DIR BUILD
make_root() {
	mkdir -p "$1/etc/appliance-console" "$1/var/log/appliance-console" \
	    "$1/var/lib/appliance-console" "$1/usr/local/libexec/appliance-console"
	: >"$1/var/log/appliance-console/audit.log"
	{ cat "$ROOT/etc/console.conf"; printf '[network]\nconfirm_timeout = 3600\n'; } \
	    >"$1/etc/appliance-console/console.conf"
	for f in "$2"/bin/console-helper-*; do
		ln -s "$f" "$1/usr/local/libexec/appliance-console/"
	done
}

echo "building $BEFORE (before the chain) ..."
mkdir -p "$WORK/src"
if ! git -C "$ROOT" archive "$BEFORE" | tar -x -C "$WORK/src" ||
    ! make -C "$WORK/src" -j2 -s programs >"$WORK/build.log" 2>&1; then
	echo "audit.sh: cannot build $BEFORE" >&2
	tail -n 5 "$WORK/build.log" >&2
	exit 1
fi
make_root "$WORK/before" "$WORK/src/build"
make_root "$WORK/after" "$B"

# ms of one run: ROOT CONSOLE
one() {
	local t0 t1
	t0=$(date +%s%N)
	CONSOLE_ROOT=$1 "$2" -c 'proxy set http 10.9.9.9 3128' >/dev/null 2>&1 ||
	    echo "run failed" >&2
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'; }

for _ in $(seq "$RUNS"); do
	one "$WORK/before" "$WORK/src/build/appliance-console" >>"$WORK/b"
	one "$WORK/after" "$B/appliance-console" >>"$WORK/a"
done
before=$(median <"$WORK/b")
after=$(median <"$WORK/a")

# A network change: a namespace's eth0 (a veth), its gateway in turn;
# a namespace for each build, so that each run changes its kernel.
for ns in "$NS-b" "$NS-a"; do
	ip netns add "$ns"
	ip -n "$ns" link add eth0 type veth peer name peer0
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set peer0 up
	ip -n "$ns" addr add 192.0.2.10/24 dev eth0
done
net_one() {	# net_one ROOT CONSOLE GW NS: ms of the change, then confirmed
	local t0 t1
	t0=$(date +%s%N)
	CONSOLE_ROOT=$1 ip netns exec "$4" "$2" -c \
	    "network set eth0 static 192.0.2.10/24 --gateway $3" >>"$WORK/net.out" 2>&1 ||
	    echo "network run failed" >&2
	t1=$(date +%s%N)
	CONSOLE_ROOT=$1 ip netns exec "$4" "$2" -c 'network confirm' >/dev/null 2>&1
	echo $(((t1 - t0) / 1000))
}
for i in $(seq "$RUNS"); do
	gw=192.0.2.$((1 + i % 2 * 253))
	net_one "$WORK/before" "$WORK/src/build/appliance-console" "$gw" "$NS-b" >>"$WORK/nb"
	net_one "$WORK/after" "$B/appliance-console" "$gw" "$NS-a" >>"$WORK/na"
done
netbefore=$(median <"$WORK/nb")
netafter=$(median <"$WORK/na")
records=$(wc -l <"$WORK/after/var/log/appliance-console/trail.log")
[ "$records" -ge "$RUNS" ] || echo "audit.sh: the chain has $records records, not $RUNS" >&2

# 100,000 records, chained as trail.c chains them.
V=$WORK/verify
mkdir -p "$V/var/log/appliance-console" "$V/var/lib/appliance-console"
python3 - "$V" <<'PY'
import hashlib, sys
root = sys.argv[1]
prev = "0" * 64
with open(root + "/var/log/appliance-console/trail.log", "w") as f:
    for i in range(1, 100001):
        line = ('seq="%d" time="2026-12-02T12:00:00Z" user="admin" uid="1000" '
                'session="4711" tty="pts/0" from="10.1.0.1 51000" helper="network" '
                'verb="route-add" args="198.51.100.0/24 =10.1.0.1 =" result="ok" '
                'msg="network change applied" prev="%s"' % (i, prev))
        f.write(line + "\n")
        prev = hashlib.sha256(line.encode()).hexdigest()
with open(root + "/var/lib/appliance-console/trail.head", "w") as f:
    f.write("100000 %s\n" % prev)
PY
for _ in 1 2 3 4 5; do
	t0=$(date +%s%N)
	out=$(CONSOLE_ROOT=$V "$B/bin/console-helper-audit" verify 2>/dev/null)
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000)) >>"$WORK/v"
done
case $out in ok*) ;; *) echo "audit.sh: verify said: $out" >&2 ;; esac
verify=$(median <"$WORK/v")

echo "one privileged change (proxy set), before the chain: $before ms"
echo "the same with the chain: $after ms ($(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a / b }') x)"
echo "a network change (new gateway), before the chain: $netbefore ms"
echo "the same with the chain: $netafter ms ($(awk -v a="$netafter" -v b="$netbefore" 'BEGIN { printf "%.2f", a / b }') x)"
echo "audit verify, 100,000 records: $verify ms ($out)"
echo
echo "| figure | value | target |"
echo "| --- | --- | --- |"
echo "| one privileged change end to end, proxy set, before / after the chain (ms) | $before / $after | <= 1.1 x before |"
echo "| one privileged change end to end, network gateway, before / after the chain (ms) | $netbefore / $netafter | <= 1.1 x before |"
echo "| \`audit verify\` over 100,000 records (ms) | $verify | <= 1000 |"
