#!/bin/bash
# SPDX-License-Identifier: ISC
# The prompt's ip changes and save-routing-table against real netlink in
# the lab's appliance namespace: ip addr add|del and ip link set up|down|mtu
# are applied live, rolled back unless confirmed, saved when confirmed;
# bad changes are refused with a sentence and change nothing;
# save-routing-table keeps routes added outside the console, refuses while
# a change is on trial, and the boot restore brings them back.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

lab_up_or_die
HELPER=$LAB_ROOT/usr/local/libexec/appliance-console/console-helper-network
CONF=$LAB_ROOT/etc/appliance-console/network.conf
printf '[network]\nconfirm_timeout = 10\n' \
    >"$LAB_ROOT/etc/appliance-console/console.conf"

confirm() { console -c "network confirm" >/dev/null 2>&1; }
has_addr() { in_app ip -o addr show dev "$1" | grep -q " $2 "; }
# The negative forms fail when ip cannot show the device at all.
no_addr() { out_lacks " $2 " in_app ip -o addr show dev "$1"; }
link_is() { in_app ip -o link show dev "$1" | grep -q "$2"; }
link_down() { out_lacks ",UP" in_app ip -o link show dev "$1"; }
snapshot() { { in_app ip -o addr; in_app ip -o link; in_app ip route;
    cat "$CONF" 2>/dev/null; } | sed 's/valid_lft.*//'; }

# --- ip addr add: live, rolled back unless confirmed -------------------------
check "ip addr add is applied" says 0 "Confirm within 10 s" \
    console -c "ip addr add 192.0.2.31/24 dev eth0"
check "the address is live" has_addr eth0 192.0.2.31/24
sleep 12
check "unconfirmed, it is rolled back" no_addr eth0 192.0.2.31/24
check "the lab's own address stays" has_addr eth0 192.0.2.10/24
console -c "ip addr add 192.0.2.31/24 dev eth0" >/dev/null 2>&1
confirm
sleep 11
check "confirmed, it stays" has_addr eth0 192.0.2.31/24
check "and is saved" grep -q "^address = 192.0.2.31/24" "$CONF"

# --- refusals: a sentence, nothing changed ------------------------------------
before=$(snapshot)
while IFS='%' read -r status want line; do
	[ -n "$line" ] || continue
	check "refused: $line" says "$status" "$want" console -c "$line"
done <<'EOF'
1%is on eth0 already%ip addr add 192.0.2.31/24 dev eth0
1%is not a configured address of eth0%ip addr del 192.0.2.77/24 dev eth0
1%is the network address%ip addr add 192.0.2.0/24 dev eth0
1%ip addr: address%ip addr add 192.0.2.300/24 dev eth0
1%ip addr: dev%ip addr add 192.0.2.32/24 dev eth0/../x
1%usage: ip addr add|del%ip addr add 192.0.2.32/24
1%ip link: mtu%ip link set eth0 mtu 50
1%ip link: mtu%ip link set eth0 mtu 70000
1%usage: ip link set%ip link set eth0 promisc on
1%is not configured%ip link set nosuch0 down
1%does not exist%ip addr add 198.51.100.9/24 dev nosuch0
EOF
check "nothing changed after the refused lines" test "$(snapshot)" = "$before"

# --- ip addr del ------------------------------------------------------------------
check "ip addr del is applied" says 0 "Confirm within" \
    console -c "ip addr del 192.0.2.31/24 dev eth0"
confirm
check "the address is gone" no_addr eth0 192.0.2.31/24
check "and not saved" lacks "$CONF" 192.0.2.31
check "an address the gateway needs stays" \
    says 1 "gateway 192.0.2.1 of eth0 is outside every subnet" \
    console -c "ip addr del 192.0.2.10/24 dev eth0"

# --- ip link set: a second adapter, so the lab's link stays up ---------------
in_app ip link add dummy0 type veth peer name dummy1
console -c "ip addr add 198.51.100.5/24 dev dummy0" >/dev/null 2>&1
confirm
check "an adapter not yet configured becomes static with that address" \
    grep -q "^address = 198.51.100.5/24" "$CONF"
check "the last address of a static adapter stays" \
    says 1 "198.51.100.5/24 is the last address of dummy0" \
    console -c "ip addr del 198.51.100.5/24 dev dummy0"
in_app ip link set dummy1 up
check "ip link set dummy0 down" says 0 "Confirm within" \
    console -c "ip link set dummy0 down"
check "the link is administratively down" link_down dummy0
sleep 12
check "unconfirmed, the link comes back up" link_is dummy0 ",UP"
console -c "ip link set dummy0 down" >/dev/null 2>&1
confirm
sleep 11
check "confirmed down, it stays down" link_down dummy0
check "and is saved as link = down" grep -q "^link = down" "$CONF"
console -c "ip link set dummy0 up" >/dev/null 2>&1
confirm
check "ip link set up brings it back" link_is dummy0 ",UP"
check "ip link set mtu" says 0 "Confirm within" \
    console -c "ip link set dummy0 mtu 1400"
confirm
check "the MTU is live" link_is dummy0 "mtu 1400"
check "and saved" grep -q "^mtu = 1400" "$CONF"

# --- save-routing-table --------------------------------------------------------
in_app ip route add 10.98.0.0/16 via 192.0.2.1
check "save-routing-table keeps a route added outside the console" \
    says 0 "10.98.0.0/16 via 192.0.2.1 dev eth0" console -c save-routing-table
check "it is in the saved configuration" \
    grep -q "^route = 10.98.0.0/16 via 192.0.2.1 dev eth0" "$CONF"
check "the default gateway is not saved as a route" \
    lacks -E "$CONF" '^route = 0\.0\.0\.0/0'
check "save-routing-table takes no argument" says 1 "usage: save-routing-table" \
    console -c "save-routing-table /tmp/x"
console -c "ip addr add 192.0.2.33/24 dev eth0" >/dev/null 2>&1
check "not while a change waits for confirmation" \
    says 2 "waits for confirmation" console -c save-routing-table
console -c "network rollback" >/dev/null 2>&1
in_app ip route del 10.98.0.0/16
check "(the route is gone)" out_lacks 10.98.0.0 in_app ip route
in_app "$HELPER" restore >/dev/null 2>&1
check "the boot restore brings it back" \
    out_has "10.98.0.0/16 via 192.0.2.1" in_app ip route

# --- audit ----------------------------------------------------------------------
check "audit: the address change" lab_audit_has "network addr-add"
check "audit: the link change" lab_audit_has "network link-set"
check "audit: the saved routes" lab_audit_has "routing table saved (1 static routes)"

in_app ip link del dummy0
exit $((NFAIL > 0))
