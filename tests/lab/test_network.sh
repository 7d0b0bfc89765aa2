#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 200 against real kernel objects in the lab: static v4/v6, DHCP
# from dnsmasq, reset to DHCP, the default adapter across two veth links,
# routes, DNS, host name; commit-confirmed rollback with the UI killed;
# the boot restore; 40+ bad values that change nothing; kill -9 of the
# helper while it saves.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

lab_up_or_die
HELPER=$LAB_ROOT/usr/local/libexec/appliance-console/console-helper-network
CONF=$LAB_ROOT/etc/appliance-console/network.conf
STATE=$LAB_ROOT/var/lib/appliance-console/network
printf '[network]\nconfirm_timeout = 10\ndhcp_timeout = 8\n' \
    >"$LAB_ROOT/etc/appliance-console/console.conf"

# A second link: eth1 in the appliance, 198.51.100.1 upstream.
ip -n "$LAB_NS_APP" link add eth1 type veth peer name "up1-$LAB_NAME" \
    netns "$LAB_NS_UP"
ip -n "$LAB_NS_UP" addr add 198.51.100.1/24 dev "up1-$LAB_NAME"
ip -n "$LAB_NS_UP" link set "up1-$LAB_NAME" up
ip -n "$LAB_NS_APP" link set eth1 up

# state: addresses and routes as the kernel has them, for comparisons.
state() {
	in_app ip -j addr show | "$PY" -c '
import json, sys
for l in json.load(sys.stdin):
    for a in l.get("addr_info", []):
        if a.get("scope") == "global":
            print(l["ifname"], a["local"] + "/" + str(a["prefixlen"]))' ||
	    echo "state: cannot read"
	in_app ip -j route show | "$PY" -c '
import json, sys
for r in json.load(sys.stdin):
    print("route", r["dst"], r.get("gateway", "-"), r.get("dev"))' ||
	    echo "state: cannot read"
	in_app ip -6 -j route show | "$PY" -c '
import json, sys
for r in json.load(sys.stdin):
    if r.get("gateway") or r["dst"] == "default":
        print("route6", r["dst"], r.get("gateway", "-"), r.get("dev"))' ||
	    echo "state: cannot read"
}
has_state() { state | grep -xF -- "$1" >/dev/null || { echo "# state lacks '$1':"; state | sed 's/^/# | /'; return 1; }; }
# lacks_state LINE: the state was read, and LINE is not in it.
lacks_state() {
	local st
	st=$(state)
	case $st in
	*"state: cannot read"*) echo "# cannot look: ip or its JSON failed"; return 1 ;;
	esac
	! grep -xF -- "$1" >/dev/null <<<"$st"
}
confirm() { console network confirm >/dev/null 2>&1; }
no_pending() { gone "$STATE/pending.conf" >/dev/null; }

# --- static v4 and v6 ----------------------------------------------------
out=$(console network set eth0 static 192.0.2.20/24 2001:db8::20/64 \
    --gateway 192.0.2.1 --gateway6 2001:db8::1 --dns 192.0.2.1 \
    --search lab.example 2>&1)
check "static: the helper reports the change and asks for confirmation" \
    grep -q "Confirm within 10 s" <<<"$out"
check "static v4 is on eth0 (ip -j addr)" has_state "eth0 192.0.2.20/24"
check "static v6 is on eth0 (ip -j addr)" has_state "eth0 2001:db8::20/64"
check "the old address is gone" lacks_state "eth0 192.0.2.10/24"
check "the v4 default route is via the gateway" \
    has_state "route default 192.0.2.1 eth0"
check "the v6 default route is via the gateway" \
    has_state "route6 default 2001:db8::1 eth0"
check "nothing is saved before confirmation" gone "$CONF"
check "confirm saves" confirm
check "network.conf holds the static configuration" \
    grep -qx "address = 2001:db8::20/64" "$CONF"
check "resolv.conf lists the server and the search domain" \
    grep -qx "nameserver 192.0.2.1" "$LAB_ROOT/etc/resolv.conf"
check "resolv.conf has the search line" \
    grep -qx "search lab.example" "$LAB_ROOT/etc/resolv.conf"
check "the lab's names resolve through it" \
    out_has "$LAB_UP_ADDR" probe dns "updates.$LAB_DOMAIN" A
check "show --json names the static origin" \
    out_has '"origin": "static"' console network show --json

# --- routes ------------------------------------------------------------
console network route add 203.0.113.0/24 via 192.0.2.254 >/dev/null 2>&1
check "route add puts the route in the kernel" \
    has_state "route 203.0.113.0/24 192.0.2.254 eth0"
confirm
console network route add 2001:db8:5::/48 via 2001:db8::1 >/dev/null 2>&1
check "an IPv6 route too" has_state "route6 2001:db8:5::/48 2001:db8::1 eth0"
confirm
console network route del 203.0.113.0/24 >/dev/null 2>&1
check "route del removes it" lacks_state "route 203.0.113.0/24 192.0.2.254 eth0"
confirm
check "route list shows the v6 route" \
    out_has '2001:db8:5::/48' console network route list
console network route del 2001:db8:5::/48 >/dev/null 2>&1
confirm

# --- host name -----------------------------------------------------------
console network hostname appliance-7 >/dev/null 2>&1
check "the host name is set in the appliance" \
    test "$(in_app hostname)" = appliance-7
confirm
check "/etc/hostname is written" grep -qx appliance-7 "$LAB_ROOT/etc/hostname"
check "the host's own name is untouched" test "$(hostname)" != appliance-7

# --- default adapter across two links ------------------------------------
console network set eth1 static 198.51.100.10/24 --gateway 198.51.100.1 \
    >/dev/null 2>&1
confirm
check "eth1 is configured" has_state "eth1 198.51.100.10/24"
check "the default stays on eth0" has_state "route default 192.0.2.1 eth0"
console network default eth1 >/dev/null 2>&1
check "default eth1 moves the default route" \
    has_state "route default 198.51.100.1 eth1"
check "and only one default route is left" \
    lacks_state "route default 192.0.2.1 eth0"
confirm
console network default eth0 >/dev/null 2>&1
confirm
check "and back to eth0" has_state "route default 192.0.2.1 eth0"

# --- rollback: the UI dies, the timer does not ----------------------------
before=$(state)
# app_exec: $! is the console itself (a backgrounded in_app would be a
# subshell, and killing that leaves the console running to its end).
( app_exec env -i PATH=/usr/bin:/bin CONSOLE_ROOT="$LAB_ROOT" "$BIN" network \
    set eth0 static 10.99.0.5/24 --gateway 10.99.0.1 >/dev/null 2>&1 ) &
ui=$!
# The UI dies while its helper makes the change (the helper, its child,
# is running): killed then, not after it has already exited by itself.
for _ in $(seq 500); do
	pgrep -P "$ui" -f console-helper-network >/dev/null && break
	sleep 0.01
done
kill -9 "$ui" 2>/dev/null
wait "$ui"
uirc=$?
check "the UI itself was killed during the change (status $uirc)" \
    test "$uirc" = 137
for _ in $(seq 50); do has_state "eth0 10.99.0.5/24" >/dev/null 2>&1 && break; sleep 0.1; done
check "the breaking change was applied" has_state "eth0 10.99.0.5/24"
ok=0
for _ in $(seq 150); do
	[ "$(state)" = "$before" ] && { ok=1; break; }
	sleep 0.1
done
check "without confirmation the old addresses and routes return (<= 15 s)" \
    test "$ok" = 1
check "and the gateway answers again" probe ping "$LAB_UP_ADDR"
check "the rollback is in the audit log" lab_audit_has "rolled back"
check "nothing is left pending" no_pending

# --- the boot restore ------------------------------------------------------
saved=$(state)
in_app ip addr flush dev eth0 scope global
in_app ip addr flush dev eth1 scope global
check "flushed" lacks_state "eth0 192.0.2.20/24"
in_app "$HELPER" restore >/dev/null 2>&1
check "restore brings back the confirmed configuration" \
    test "$(state)" = "$saved"

# --- bad input: refused with a message, nothing changes --------------------
before=$(state)
conf_before=$(cat "$CONF")
nbad=0
bad() {	# bad DESCRIPTION SENTENCE ARGS...: refused, saying SENTENCE
	local d=$1 want=$2 out rc
	shift 2
	out=$(console network "$@" 2>&1)
	rc=$?
	nbad=$((nbad + 1))
	# The exit status alone says nothing (an unknown command exits 1 too).
	if [ "$rc" = 0 ] || [[ $out != *"$want"* ]] ||
	    [[ $out == *"unknown command"* ]]; then
		notok "refused: $d: wanted '$want' and a non-zero status (rc=$rc: $out)"
	elif [ "$(state)" != "$before" ] || ! no_pending ||
	    [ "$(cat "$CONF")" != "$conf_before" ]; then
		notok "refused but something changed: $d"
	else
		ok "refused: $d ($(head -1 <<<"$out"))"
	fi
}
bad "address without prefix" \
    "the prefix length (/N) is missing" set eth0 static 192.0.2.30
bad "octet over 255" \
    "300 is out of range (0 to 255)" set eth0 static 192.0.2.300/24
bad "prefix 33" \
    "the prefix length is out of range (0 to 32)" set eth0 static 192.0.2.30/33
bad "prefix 0" "a prefix of 0 is not a subnet" set eth0 static 192.0.2.30/0
bad "network address as host" \
    "192.0.2.0 is the network address of its subnet, not a host" set eth0 static 192.0.2.0/24
bad "broadcast address as host" \
    "192.0.2.255 is the broadcast address of its subnet, not a host" set eth0 static 192.0.2.255/24
bad "multicast address" \
    "224.0.0.5 is not a unicast host address" set eth0 static 224.0.0.5/24
bad "loopback address" \
    "127.0.0.5 is not a unicast host address" set eth0 static 127.0.0.5/8
bad "zero address" \
    "0.0.0.0 is not a unicast host address" set eth0 static 0.0.0.0/8
bad "leading zeros" "030 has a leading zero" set eth0 static 192.0.2.030/24
bad "letters in v4" "'192.0.2.x/24' is not an address in CIDR form: 'x' is not allowed" \
    set eth0 static 192.0.2.x/24
bad "v6 prefix 129" \
    "the prefix length is out of range (0 to 128)" set eth0 static 2001:db8::30/129
bad "v6 link-local" \
    "fe80::30 is not a global unicast address (link-local addresses are made by the kernel)" set eth0 static fe80::30/64
bad "v6 multicast" \
    "ff02::30 is not a global unicast address (link-local addresses are made by the kernel)" set eth0 static ff02::30/64
bad "v6 malformed" "':::' is not allowed" set eth0 static 2001:db8:::30/64
bad "v6 anycast subnet-router" \
    "is the subnet-router anycast address of its prefix, not a host" set eth0 static 2001:db8::/64
bad "gateway outside the subnet" \
    "gateway 198.18.0.1 of eth0 is outside every subnet configured on eth0" set eth0 static 192.0.2.30/24 --gateway 198.18.0.1
bad "gateway is own address" \
    "gateway 192.0.2.30 of eth0 is the adapter's own address" set eth0 static 192.0.2.30/24 --gateway 192.0.2.30
bad "gateway malformed" \
    "it has 3 parts, not 4" set eth0 static 192.0.2.30/24 --gateway 192.0.2
bad "v6 gateway outside" \
    "IPv6 gateway 2001:db9::1 of eth0 is outside every subnet configured on eth0" set eth0 static 2001:db8::30/64 --gateway6 2001:db9::1
bad "v4 as v6 gateway" \
    "'192.0.2.1' is not an IPv6 address: it has no ':'" set eth0 static 2001:db8::30/64 --gateway6 192.0.2.1
bad "MTU too small" \
    "MTU '20': '20' is not a number: it is out of range (68 to 65535)" \
    set eth0 static 192.0.2.30/24 --mtu 20
bad "MTU too big" \
    "MTU '70000': '70000' is not a number: it is out of range" \
    set eth0 static 192.0.2.30/24 --mtu 70000
bad "MTU not a number" \
    "MTU '1500x': '1500x' is not a number: 'x' is not allowed" \
    set eth0 static 192.0.2.30/24 --mtu 1500x
bad "MTU under 1280 with v6" \
    "MTU 1000 of eth0 is below 1280, the minimum for IPv6" set eth0 static 2001:db8::30/64 --mtu 1000
bad "DNS server malformed" \
    "'192.0.2.' is not an IP address: part 4 is empty" set eth0 static 192.0.2.30/24 --dns 192.0.2.
bad "DNS server a name" \
    "nameserver 'ns.example': 'ns.example' is not an IP address" \
    set eth0 static 192.0.2.30/24 --dns ns.example
bad "four DNS servers" \
    "nameserver: at most 3 values" set eth0 static 192.0.2.30/24 --dns 192.0.2.1 --dns 192.0.2.2 --dns 192.0.2.3 --dns 192.0.2.4
bad "search domain with underscore" \
    "search domain 'bad_domain': 'bad_domain' is not a host name: '_' is not allowed" \
    set eth0 static 192.0.2.30/24 --search bad_domain
bad "unknown adapter" \
    "adapter eth9 does not exist" set eth9 static 192.0.2.30/24
bad "loopback adapter" \
    "adapter lo is the loopback, which is not configurable" set lo static 192.0.2.30/24
bad "adapter name too long" \
    "'eth0123456789abcdef' is not an interface name: it is longer than 15 characters" \
    set eth0123456789abcdef static 192.0.2.30/24
bad "no addresses" \
    "a static adapter needs at least one address" set eth0 static
bad "unknown mode" "say dhcp or static" set eth0 manual
bad "bad ipv6 mode" \
    "IPv6 mode 'dhcpv6-please': use slaac or off" set eth0 dhcp --ipv6 dhcpv6-please
bad "address used on eth1" \
    "address 198.51.100.10 is configured twice (eth0 and eth1)" set eth0 static 198.51.100.10/24
bad "address answered ARP on the link" \
    "address 192.0.2.1 of eth0 is already used on the link" set eth0 static 192.0.2.1/24 --gateway 192.0.2.254
bad "same address twice" \
    "address 192.0.2.30 is configured twice (eth0 and eth0)" set eth0 static 192.0.2.30/24 192.0.2.30/24
bad "route with host bits" \
    "route prefix '203.0.113.5/24' has host bits set (the network is written with them all zero)" route add 203.0.113.5/24 via 192.0.2.1
bad "route gateway off-link" \
    "gateway 198.18.0.1 is not in a subnet configured on any adapter" route add 203.0.113.0/24 via 198.18.0.1
bad "route without via or dev" \
    "give a gateway (via) or an adapter (dev)" route add 203.0.113.0/24
bad "route family mix" \
    "route gateway 2001:db8::1 is not of the prefix's address family" route add 203.0.113.0/24 via 2001:db8::1
bad "route default" \
    "the default route is set by an adapter's gateway" route add 0.0.0.0/0 via 192.0.2.1
bad "delete a route that is not there" \
    "there is no static route 192.0.2.128/25" route del 192.0.2.128/25
bad "route unknown adapter" \
    "adapter eth7 does not exist" route add 203.0.113.0/24 dev eth7
bad "host name with underscore" \
    "host name 'bad_name': 'bad_name' is not a host name: '_' is not allowed" hostname bad_name
bad "host name with a leading hyphen" \
    "label -oops starts with '-'" hostname -oops
bad "host name over 64" \
    "is longer than 63 characters" hostname "$(printf 'a%.0s' $(seq 70))"
bad "default adapter not configured" \
    "default adapter eth9 is not configured" default eth9
bad "unknown subcommand" "network show [--json]" frobnicate
# The count of calls above, made again from this file: an edit that drops
# bad lines (or a bad() that stops counting) lowers one of the two.
nlines=$(grep -c '^bad "' "$0")
check "every bad value was tried ($nbad of $nlines, at least 40)" \
    test "$nbad" = "$nlines" -a "$nlines" -ge 40

# --- DHCP from the lab's dnsmasq ------------------------------------------
out=$(console network set eth0 dhcp 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
check "DHCP: the lease is reported with gateway and DNS" \
    grep -q "eth0: DHCP lease 192.0.2.*gateway 192.0.2.1, DNS 192.0.2.1" <<<"$out"
check "DHCP: eth0 has a lease address in the lab's range" \
    bash -c "state() { $(declare -f state | tail -n +2); }; $(declare -f in_app); PY=$PY LAB_ROOT=$LAB_ROOT LAB_NS_APP=$LAB_NS_APP LAB_UTS=$LAB_UTS; state | grep -E '^eth0 192\.0\.2\.(1[0-9][0-9]|200)/24\$' >/dev/null"
check "DHCP: the default route is the lease's gateway" \
    out_has "default via 192.0.2.1 dev eth0 proto dhcp" in_app ip route
check "DHCP: show --json has the lease" \
    out_has '"lease_seconds"' console network show --json
check "DHCP: the static address is gone" lacks_state "eth0 192.0.2.20/24"
slaac_addr() { in_app ip -6 -o addr show dev eth0 scope global | grep -q "2001:db8::.*dynamic"; }
ok=0
for _ in $(seq 100); do slaac_addr && { ok=1; break; }; sleep 0.2; done
check "SLAAC: a router advert gives eth0 an IPv6 address" test "$ok" = 1
check "SLAAC: show names its origin" out_has '"origin": "slaac"' \
    console network show --json
confirm
console network set eth0 dhcp --ipv6 off >/dev/null 2>&1
check "SLAAC off: the advertised address is removed" \
    out_lacks . in_app ip -6 -o addr show dev eth0 scope global
confirm
console network reset-dhcp >/dev/null 2>&1
confirm
check "reset-dhcp: network.conf says dhcp for every adapter" \
    test "$(grep -c '^mode = dhcp' "$CONF")" = 2
check "reset-dhcp: eth1's static address is gone" \
    lacks_state "eth1 198.51.100.10/24"

# --- a resolver owned by systemd-resolved is not written behind its back --
mv "$LAB_ROOT/etc/resolv.conf" "$LAB_ROOT/etc/resolv.conf.lab"
ln -s ../run/systemd/resolve/stub-resolv.conf "$LAB_ROOT/etc/resolv.conf"
check "dns set is refused when systemd-resolved owns resolv.conf" \
    out_has "managed by systemd-resolved" console network dns set 192.0.2.1
check "and the link is left as it was" test -L "$LAB_ROOT/etc/resolv.conf"
[ -e "$STATE/pending.conf" ] && in_app "$HELPER" rollback >/dev/null 2>&1
rm "$LAB_ROOT/etc/resolv.conf"
mv "$LAB_ROOT/etc/resolv.conf.lab" "$LAB_ROOT/etc/resolv.conf"

# --- the helper under valgrind: a change, its confirmation ---------------
# Without valgrind this is a failure, not a section that quietly vanishes.
if ! command -v valgrind >/dev/null; then
	notok "valgrind is not installed: the helper's memory check cannot run"
else
	VG="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --log-file=$LAB_DIR/vg.%p.log"
	in_app $VG "$HELPER" static eth0 192.0.2.21/24 =192.0.2.1 = keep keep keep >/dev/null 2>&1
	rc1=$?
	in_app $VG "$HELPER" confirm >/dev/null 2>&1
	rc2=$?
	check "valgrind: no errors or leaks in the helper (change $rc1, confirm $rc2)" \
	    test "$rc1" = 0 -a "$rc2" = 0
	[ "$rc1$rc2" = 00 ] || cat "$LAB_DIR"/vg.*.log | grep -E "definitely|ERROR|at 0x|by 0x" | head -30 | sed 's/^/# /'
fi

# --- kill -9 while saving: the file is the old or the new, never torn -----
console network set eth0 static 192.0.2.20/24 --gateway 192.0.2.1 >/dev/null 2>&1
confirm
torn=0 killed=0 cut=0
for i in $(seq 50); do
	old=$(md5sum <"$CONF")
	in_app "$HELPER" hostname "h$i" >/dev/null 2>&1
	# app_exec: $! is the helper itself, so the kill lands on the writer.
	( app_exec "$HELPER" confirm >/dev/null 2>&1 ) &
	p=$!
	sleep "0.00$((RANDOM % 10))"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	[ $? = 137 ] && killed=$((killed + 1))
	# Read only once no confirming helper is left (none should be).
	for _ in $(seq 100); do
		pgrep -f "^$HELPER confirm" >/dev/null || break
		sleep 0.02
	done
	# Killed before it finished: the change is still pending.
	[ -e "$STATE/pending.conf" ] && cut=$((cut + 1))
	new=$(md5sum <"$CONF")
	if [ "$new" != "$old" ] && ! grep -qx "hostname = h$i" "$CONF"; then
		torn=$((torn + 1))
	fi
	grep -q '^\[interface eth0\]' "$CONF" || torn=$((torn + 1))
	[ -e "$STATE/pending.conf" ] && in_app "$HELPER" rollback >/dev/null 2>&1
done
check "the kills landed on the helper ($killed of 50 waits returned 137)" \
    test "$killed" -ge 10
check "the kills cut confirmations short ($cut of 50 left it pending)" \
    test "$cut" -ge 5
check "50 kills of the saving helper: never a torn network.conf" test "$torn" = 0
# A writer killed between its temporary file and the rename leaves that
# file (network.conf.tmp.PID); the next save of the same file removes the
# ones whose writer is gone, so none is left after a save not killed.
left=$(ls "$LAB_ROOT/etc/appliance-console" | grep -c '\.tmp\.')
echo "# temporary files left by the killed helpers: $left"
console network hostname h-final >/dev/null 2>&1
confirm
check "a save not killed leaves no temporary file, nor the killed ones'" \
    out_lacks .tmp. ls "$LAB_ROOT/etc/appliance-console"
[ "$NFAIL" -eq 0 ]
