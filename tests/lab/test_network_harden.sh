#!/bin/bash
# SPDX-License-Identifier: ISC
# The network helper's hardening, against real netlink in the lab: a rogue
# DHCP server (a second dnsmasq, in a namespace of its own behind eth1)
# cannot take another adapter's subnet, and the DHCP hook refuses
# loopback, network and broadcast leases, follows the adapter's mode and
# takes the network lock; what a change saves is always loadable and a
# failed rollback is retried; the rollback deadline ignores wall-clock
# steps (libfaketime moves the wall clock of the helper alone); a TERM in
# the middle of confirm or rollback leaves no half-settled change (strace
# injects it after the save); stale PID files never signal a stranger;
# the ARP probe's replies are read by a process that is not root; without
# systemd the timer and udhcpc run detached in their own session.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

lab_up_or_die
LIBEXEC=$LAB_ROOT/usr/local/libexec/appliance-console
HELPER=$LIBEXEC/console-helper-network
HOOK=$LIBEXEC/console-dhcp-event
CONF=$LAB_ROOT/etc/appliance-console/network.conf
STATE=$LAB_ROOT/var/lib/appliance-console/network
RUNDIR=$LAB_ROOT/run/appliance-console
AUDIT=$LAB_ROOT/var/log/appliance-console/audit.log
FAKETIME=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
TIMEOUT=10
printf '[network]\nconfirm_timeout = %s\ndhcp_timeout = 6\n' "$TIMEOUT" \
    >"$LAB_ROOT/etc/appliance-console/console.conf"
W=$(mktemp -d /tmp/ac-nh.XXXXXX)
RG=ac-rg-$LAB_NAME
DECOYS=()
cleanup() {
	local p
	for p in "${DECOYS[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$W/rogue.pid" ] && kill "$(cat "$W/rogue.pid")" 2>/dev/null
	ip netns del "$RG" 2>/dev/null
	rm -rf "$W"
	lab_cleanup
}
trap cleanup EXIT

# eth1 leads to the rogue's own namespace: 10.1.0.1/25 there.
rogue_link() {
	ip netns add "$RG" 2>/dev/null
	ip -n "$LAB_NS_APP" link add eth1 type veth peer name rg0 netns "$RG" &&
	ip -n "$RG" addr add 10.1.0.1/25 dev rg0 &&
	ip -n "$RG" link set rg0 up &&
	ip -n "$LAB_NS_APP" link set eth1 up
}
rogue_link || { notok "cannot make the rogue's link"; exit 1; }

addrs() { in_app ip -o -4 addr show dev "$1" scope global | awk '{print $4}'; }
has_addr() { addrs "$1" | grep -qxF "$2"; }
lacks_addr() { ! has_addr "$@"; }
wait_for() {	# wait_for TENTHS CMD...
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
pending() { [ -e "$STATE/pending.conf" ]; }
# settle: no change left on trial, by rollback or, when that fails, by
# removing the trial and stopping its timer (a test's failure must not
# spill into the next section).
settle() {
	local f p
	pending && in_app "$HELPER" rollback >/dev/null 2>&1
	pending || return 0
	for f in "$STATE/timer.pid" "$RUNDIR/network/timer.pid"; do
		p=$(cut -d' ' -f1 "$f" 2>/dev/null)
		case $(cat "/proc/${p:-0}/comm" 2>/dev/null) in
		console-helper*) kill "$p" ;;
		esac
		rm -f "$f"
	done
	rm -f "$STATE/pending.conf" "$STATE/pending.info" "$STATE/rollback.conf"
	return 1
}
hostname_is() { [ "$(in_app hostname)" = "$1" ]; }
# hook EVENT IFACE IP MASK: the DHCP hook as udhcpc runs it.
hook() { in_app env -i interface="$2" ip="$3" mask="$4" serverid=10.1.0.1 \
    router= lease=600 CONSOLE_ROOT="$LAB_ROOT" "$HOOK" "$1"; }

# The management adapter: static on 10.1.0.5/24, eth1 by DHCP.
console network set eth0 static 10.1.0.5/24 --gateway 10.1.0.254 >/dev/null 2>&1
console network confirm >/dev/null 2>&1
check "setup: eth0 is static on 10.1.0.5/24" has_addr eth0 10.1.0.5/24

# --- 1: a rogue DHCP server cannot take another adapter's subnet ---------
ip netns exec "$RG" dnsmasq -C /dev/null --keep-in-foreground --port=0 \
    --no-resolv --no-hosts --interface=rg0 --bind-interfaces \
    --pid-file="$W/rogue.pid" --log-facility="$W/rogue.log" --log-dhcp \
    --dhcp-range=10.1.0.77,10.1.0.77,255.255.255.128,1h \
    --dhcp-option=option:router,10.1.0.1 \
    --dhcp-leasefile="$W/rogue.leases" --dhcp-authoritative &
wait_for 50 test -s "$W/rogue.pid"
console network set eth1 dhcp >/dev/null 2>&1
console network confirm >/dev/null 2>&1
wait_for 80 grep -q DHCPACK "$W/rogue.log"
sleep 1
check "1: the rogue dnsmasq did offer 10.1.0.77/25 (its log has the ack)" \
    grep -q "DHCPACK.*10.1.0.77" "$W/rogue.log"
check "1: a lease overlapping eth0's subnet is not put on eth1" \
    lacks_addr eth1 10.1.0.77/25
check "1: the refusal is in the audit log with the server's address" \
    grep -q "DHCP lease 10.1.0.77/25 on eth1 from server 10.1.0.1.*result=\"refused\"" "$AUDIT"
check "1: eth0 keeps 10.1.0.5/24" has_addr eth0 10.1.0.5/24
kill "$(cat "$W/rogue.pid")" 2>/dev/null
rm -f "$W/rogue.pid"

# The hook alone, with leases no server of ours would give.
check "1: a good lease 10.2.0.7/24 is taken (the hook works at all)" \
    status_is 0 hook bound eth1 10.2.0.7 24
check "1: and it is on eth1" has_addr eth1 10.2.0.7/24
for bad in "127.0.0.2 8 loopback" "10.2.0.0 24 network" \
    "10.2.0.255 24 broadcast" "10.1.0.200 25 overlap" "224.0.0.9 24 multicast"; do
	set -- $bad
	out=$(hook bound eth1 "$1" "$2" 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && ! has_addr eth1 "$1/$2" &&
	    has_addr eth1 10.2.0.7/24; then
		ok "1: a $3 lease $1/$2 is refused, the old lease kept ($out)"
	else
		notok "1: a $3 lease $1/$2 is refused, the old lease kept (rc $rc: $out; $(addrs eth1 | tr '\n' ' '))"
	fi
done
check "1: the refusals are logged with the server's address" \
    grep -q "DHCP lease 127.0.0.2/8 on eth1 from server 10.1.0.1.*result=\"refused\"" "$AUDIT"

# --- 8: the hook takes the lock and follows the adapter's mode -------------
in_app flock "$STATE/lock" sleep 2 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
hook renew eth1 10.2.0.7 24 >/dev/null 2>&1
t1=$(date +%s%N)
wait "$holder"
check "8: the hook waits for the network lock ($(( (t1 - t0) / 1000000 )) ms)" \
    test $(( (t1 - t0) / 1000000 )) -ge 1200
console network set eth1 static 10.3.0.5/24 >/dev/null 2>&1
console network confirm >/dev/null 2>&1
check "8: eth1 is static now" has_addr eth1 10.3.0.5/24
hook renew eth1 10.2.0.8 24 >/dev/null 2>&1
check "8: a renew that comes after the switch to static puts no lease back" \
    lacks_addr eth1 10.2.0.8/24
check "8: and writes no lease file" gone "$STATE/lease-eth1"

# --- 2: what is saved is always loadable ----------------------------------
d1=$(printf 'a%.0s' $(seq 55)).$(printf 'b%.0s' $(seq 55)).example
d2=$(printf 'c%.0s' $(seq 55)).$(printf 'd%.0s' $(seq 55)).example
out=$(console network dns set 10.1.0.1 --search "$d1" "$d2" 2>&1)
if pending; then
	check "2: a change with 239 characters of search domains can be confirmed" \
	    says 0 "Confirmed" console network confirm
	check "2: and network.conf holds both domains" grep -qF "$d2" "$CONF"
else
	notok "2: a change with 239 characters of search domains is applied ($out)"
fi
settle
# The old settings from a resolv.conf with an unbounded search line.
rm -f "$CONF"
cp "$LAB_ROOT/etc/resolv.conf" "$W/resolv.conf"
long=""
for i in 1 2 3 4 5 6 7 8; do long="$long $(printf "x%.0s" $(seq 50))$i.example"; done
printf 'nameserver 10.1.0.1\nsearch%s\n' "$long" >"$LAB_ROOT/etc/resolv.conf"
console network hostname roll-a >/dev/null 2>&1
check "2: a change is pending over a resolv.conf with a 450-byte search line" \
    pending
check "2: and it rolls back on request" says 0 "Rolled back" \
    console network rollback
settle
cp "$W/resolv.conf" "$LAB_ROOT/etc/resolv.conf"
console network set eth0 static 10.1.0.5/24 --gateway 10.1.0.254 --search lab.example >/dev/null 2>&1
console network confirm >/dev/null 2>&1
# A rollback that fails is kept pending and retried.
console network hostname roll-b >/dev/null 2>&1
check "2: a change is pending" pending
ip -n "$LAB_NS_APP" link del eth1
sleep $((TIMEOUT + 2))
check "2: the rollback failed (eth1 is gone) and the change is still pending" \
    pending
check "2: the failure is in the audit log" grep -q "network rollback.*result=\"failed\"" "$AUDIT"
rogue_link
in_app ip addr add 10.3.0.5/24 dev eth1
check "2: with eth1 back, the retried rollback restores the host name" \
    wait_for 150 eval '! hostname_is roll-b && ! pending'
settle

# --- 6: the deadline ignores wall-clock steps -----------------------------
# The helper clears its environment, so libfaketime's offset comes from
# /etc/faketimerc, in a copy of /etc bound over /etc in a mount namespace
# of the helper's own (its timer stays in it).
cp -a /etc "$W/etc"
ft() { echo "$1" >"$W/etc/faketimerc"; }
faked() { in_app unshare -m sh -c 'e=$0 f=$1; shift; mount --bind "$e" /etc &&
    exec env LD_PRELOAD="$f" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    FAKETIME_NO_CACHE=1 "$@"' "$W/etc" "$FAKETIME" "$@"; }
ft "+0"
faked "$HELPER" hostname step-back >/dev/null 2>&1
check "6: a change is pending (wall clock of the helper faked)" pending
ft "-3600"
check "6: a wall clock stepped back an hour still rolls back in time" \
    wait_for $(( (TIMEOUT + 4) * 10 )) eval '! pending'
settle
ft "+0"
faked "$HELPER" hostname step-fwd >/dev/null 2>&1
ft "+3600"
sleep 2
check "6: a wall clock stepped forward an hour does not roll back early" \
    pending
check "6: pending.info still shows a wall-clock deadline" \
    grep -q "^deadline [0-9]" "$STATE/pending.info"
settle

# --- 9: TERM in the middle of confirm or rollback --------------------------
INJ="strace -f -o /dev/null -e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:signal=TERM:when=1"
console network hostname sig-a >/dev/null 2>&1
in_app $INJ "$HELPER" confirm >/dev/null 2>&1
if grep -qx "hostname = sig-a" "$CONF"; then
	check "9: confirm stopped by TERM after saving network.conf: nothing left pending" \
	    eval '! pending'
else
	check "9: confirm stopped by TERM before saving: still pending" pending
fi
settle
console network hostname sig-b >/dev/null 2>&1
in_app $INJ "$HELPER" rollback >/dev/null 2>&1
check "9: rollback stopped by TERM: the rollback finished, nothing pending" \
    eval '! pending && ! hostname_is sig-b'
settle

# --- 12: stale PID files never signal another process ----------------------
cp /bin/sleep "$W/console-helper-decoy"
cp /bin/sleep "$W/udhcpc"
"$W/console-helper-decoy" 300 &
td=$!
"$W/udhcpc" 300 &
ud=$!
DECOYS+=("$td" "$ud")
mkdir -p "$RUNDIR/network"
for d in "$STATE" "$RUNDIR/network"; do
	echo "$td" >"$d/timer.pid"
	echo "$ud" >"$d/udhcpc.pid-eth1"
done
in_app "$HELPER" restore >/dev/null 2>&1
check "12: restore does not signal a stranger named console-helper-*" \
    kill -0 "$td"
console network set eth1 dhcp >/dev/null 2>&1
console network confirm >/dev/null 2>&1
console network set eth1 static 10.3.0.6/24 >/dev/null 2>&1
console network confirm >/dev/null 2>&1
check "12: stopping DHCP does not signal a stranger named udhcpc" kill -0 "$ud"
settle
rm -f "$RUNDIR/network/timer.pid"
console network hostname pid-a >/dev/null 2>&1
check "12: the timer's PID file is under /run" \
    test -s "$RUNDIR/network/timer.pid"
console network confirm >/dev/null 2>&1

# --- 10: without systemd, detached sessions --------------------------------
console network hostname sess-a >/dev/null 2>&1
tp=$(cut -d' ' -f1 "$RUNDIR/network/timer.pid" 2>/dev/null)
tsid=$(ps -o sid= -p "${tp:-0}" 2>/dev/null | tr -d ' ')
check "10: no systemd here: the timer runs in a session of its own ($tsid)" \
    test -n "$tsid" -a "$tsid" != "$(ps -o sid= -p $$ | tr -d ' ')"
console network confirm >/dev/null 2>&1

# --- ARP: replies are read by a process that is not root -------------------
# Only this lab's processes: the appliance's network namespace.
"$PY" - "$W/arp.seen" "$(stat -L -c %i "/run/netns/$LAB_NS_APP")" <<'EOF' &
import os, sys, time
seen = set()
ns = int(sys.argv[2])
end = time.time() + 8
while time.time() < end:
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            comm = open(f"/proc/{p}/comm").read().strip()
            st = open(f"/proc/{p}/status").read()
        except OSError:
            continue
        try:
            if os.stat(f"/proc/{p}/ns/net").st_ino != ns:
                continue
        except OSError:
            continue
        if comm.startswith("console-helper"):
            uid = [l.split()[1] for l in st.splitlines() if l.startswith("Uid:")][0]
            seen.add(uid)
    time.sleep(0.01)
open(sys.argv[1], "w").write(" ".join(sorted(seen)) + "\n")
EOF
watcher=$!
sleep 0.3
console network set eth0 static 10.1.0.5/24 10.1.0.9/24 --gateway 10.1.0.254 >/dev/null 2>&1
wait "$watcher"
check "ARP: a network helper process that is not root ran during the probe ($(cat "$W/arp.seen"))" \
    grep -qE '(^| )[1-9][0-9]*( |$)' "$W/arp.seen"
settle
check "ARP: a used address is still found (the upstream answers for 192.0.2.1)" \
    out_has "answered an ARP probe" console network set eth0 static 192.0.2.1/24 \
    --gateway 192.0.2.254
settle
[ "$NFAIL" -eq 0 ]
