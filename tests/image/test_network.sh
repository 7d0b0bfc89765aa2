#!/bin/bash
# SPDX-License-Identifier: ISC
# A network change made by admin over ssh on the image, through sudo and
# the package's sudoers drop-in: the installed console runs
# /usr/libexec/appliance-console/console-helper-network as root, the
# change is live, and it is rolled back when not confirmed and kept when
# confirmed. The confirmation timeout is cut to its minimum in the image's
# console.conf (the overlay of this lab only).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"
T=10

img_up_or_die imgnet
img_run sh -c "printf '\n[network]\nconfirm_timeout = $T\n' >>/etc/appliance-console/console.conf"
check "admin's sudo rights are the drop-in's, no password" \
    out_has /usr/libexec/appliance-console/console-helper-network \
    img_run su -s /bin/sh -c 'sudo -n -l' admin
check "admin has no other root: sudo -n id is refused" \
    sh -c '! img_run su -s /bin/sh -c "sudo -n /usr/bin/id" admin >/dev/null 2>&1'

has_route() { img_run ip route show "$1" | grep -q "via"; }
gone_within() {	# gone_within SECS NET
	local end=$((SECONDS + $1))
	while [ "$SECONDS" -le "$end" ]; do
		has_route "$2" || return 0
		sleep 0.5
	done
	return 1
}
audit_has() { grep -qE -- "$1" "$IMG_AUDIT"; }
no_timer() { ! img_run pgrep -f console-helper-network >/dev/null; }

# --- not confirmed: rolled back ----------------------------------------------
NET=198.51.100.0/24
out=$(img_ssh "$IMG_ADMIN" "network route add $NET via $LAB_UP_ADDR" 2>&1); rc=$?
check "ssh admin 'network route add' exits 0 and asks for a confirmation" \
    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "Confirm within $3 s"' _ "$rc" "$out" "$T"
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
check "the route is live in the appliance" has_route "$NET"
check "the helper's record, as root through sudo, says pending" \
    audit_has "user=\"root\" .*198\.51\.100\.0/24.*result=\"pending\""
check "the console's record of the line is admin's" \
    audit_has "user=\"admin\" .*network route add 198\.51\.100\.0/24"
check "network show --json tells that a change is pending" \
    out_has '"pending_seconds"' img_ssh "$IMG_ADMIN" 'network show --json'
check "unconfirmed, the route is gone within $((T + 5)) s" gone_within $((T + 5)) "$NET"
sleep 1
check "the rollback is audited" audit_has 'result="rolled back"'
check "and its timer is gone" no_timer

# --- confirmed: kept -----------------------------------------------------------
NET=203.0.113.0/24
out=$(img_ssh "$IMG_ADMIN" "network route add $NET via $LAB_UP_ADDR" 2>&1); rc=$?
check "a second change is accepted" test "$rc" = 0
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
out=$(img_ssh "$IMG_ADMIN" 'network confirm' 2>&1); rc=$?
check "ssh admin 'network confirm' exits 0" test "$rc" = 0
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
sleep $((T + 3))
check "confirmed, the route is still there after the timeout" has_route "$NET"
check "and it is in the saved configuration" \
    grep -q "203\.0\.113\.0/24" "$LAB_APP_ROOT/etc/appliance-console/network.conf"
check "the confirmation is audited" audit_has 'result="confirmed"|network confirm.*result="ok"'
check "no rollback timer is left" no_timer

# --- DHCP as installed: the client and its hook are _testconn's ----------------
# The change through the console as admin (sudo and the drop-in), on the
# appliance itself: eth0 loses the address ssh comes to. Left unconfirmed:
# the rollback brings the static address back.
admin_c() { img_run su -s /bin/sh -c "/usr/bin/appliance-console -c '$1'" admin; }
# The confirmed route's gateway goes with the static address: first away.
admin_c 'network route del 203.0.113.0/24' >/dev/null 2>&1
admin_c 'network confirm' >/dev/null 2>&1
out=$(admin_c 'network set eth0 dhcp' 2>&1); rc=$?
check "admin's 'network set eth0 dhcp' gets a lease" \
    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "eth0: DHCP lease"' _ "$rc" "$out"
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
tc=$(img_run id -u _testconn)
ag=$(img_run getent group _console-audit | cut -d: -f3)
ud=$(img_run pgrep -f '^/usr/sbin/udhcpc .*-i eth0 ' | head -1)
st=$(img_run cat "/proc/${ud:-0}/status" 2>/dev/null)
field() { awk -v k="$1:" '$1 == k { $1 = ""; print substr($0, 2) }' <<<"$st"; }
check "udhcpc runs as _testconn (uid ${tc:-?}), not root ($(field Uid))" \
    test -n "$tc" -a "$(field Uid)" = "$tc $tc $tc $tc"
check "with net_raw, net_bind_service and net_admin only ($(field CapEff), bounding $(field CapBnd))" \
    test "$(field CapEff)" = 0000000000003400 -a "$(field CapBnd)" = 0000000000003400
check "and in the audit group $ag, so that a refused lease is audited ($(field Groups))" \
    grep -qw -- "${ag:-none}" <<<"$(field Groups)"
L=/run/appliance-console/network/dhcp/lease-eth0
check "the hook wrote the lease as _testconn, 0644" \
    test "$(img_run stat -c %U:%a "$L" 2>/dev/null)" = _testconn:644
check "admin's 'network show --json' has it" \
    out_has '"lease_seconds"' admin_c 'network show --json'
static_back() {
	local end=$((SECONDS + T + 8))
	while [ "$SECONDS" -le "$end" ]; do
		img_run ip -4 addr show dev eth0 | grep -q "inet $LAB_APP_ADDR/" &&
		    return 0
		sleep 0.5
	done
	return 1
}
check "unconfirmed, the static address comes back" static_back
[ "$NFAIL" -eq 0 ]
