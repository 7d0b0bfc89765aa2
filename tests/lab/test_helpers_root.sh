#!/bin/bash
# SPDX-License-Identifier: ISC
# Every privileged helper against an empty system root, as a fresh image
# is before its first change: no /etc/appliance-console, no
# /var/lib/appliance-console, no /var/log/appliance-console. Each must end
# with one line on stderr and an exit status of its own (never a signal),
# and the directories it makes must have the modes the unprivileged console
# needs to read what it wrote (state 0755, files 0644, secrets 0600).
# Runs in private network and UTS namespaces: nothing of the host changes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
if [ -z "${HELPERS_ROOT_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "not ok - helpers need root"; exit 1; }
	HELPERS_ROOT_INNER=1 exec unshare -n -u -- bash "$0" "$@"
fi
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BIN=${BIN_DIR:-build/bin}
R=$(mktemp -d /tmp/ac-root.XXXXXX)
trap 'pkill_timer; rm -rf "$R"' EXIT
chmod 0755 "$R"
ip link set lo up

# A rollback timer left by a change: stop it before the root goes.
pkill_timer() {
	local p
	p=$(cut -d' ' -f1 "$R/run/appliance-console/network/timer.pid" 2>/dev/null)
	[ -n "$p" ] && kill "$p" 2>/dev/null
	return 0
}

# helper NAME ARGS...: run build/bin/NAME under the empty root; sets RC
# and ERR (its stderr).
helper() {
	local name=$1
	shift
	ERR=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CONSOLE_ROOT="$R" \
	    ${HELPER_ENV:-} "$BIN/$name" "$@" 2>&1 >/dev/null </dev/null)
	RC=$?
}

# ends_well WHAT [MIN]: an exit status of the helper's own and one line
# (MIN 0: the DHCP hook says nothing when all went well).
ends_well() {
	local what=$1 min=${2:-1} lines
	lines=$(printf '%s\n' "$ERR" | grep -c .)
	check "$what: exits with a status, not a signal (status $RC)" \
	    test "$RC" -lt 128
	check "$what: one line on stderr (${ERR:-nothing})" \
	    test "$lines" -ge "$min" -a "$lines" -le 1
}

mode_is() {	# mode_is MODE PATH
	[ "$(stat -c %a "$2" 2>/dev/null)" = "$1" ]
}

fresh() { rm -rf "${R:?}"/*; }

# --- network -------------------------------------------------------------
fresh
helper console-helper-network confirm
ends_well "network confirm, empty root"
# The host name goes to the root's /etc/hostname: a real root has /etc.
fresh
mkdir -p "$R/etc"
helper console-helper-network hostname helpers-root
ends_well "network hostname, empty root"
check "network: the change is applied (status 0)" test "$RC" -eq 0
check "network: /var/lib/appliance-console is 0755" \
    mode_is 755 "$R/var/lib/appliance-console"
check "network: its network/ state directory is 0755" \
    mode_is 755 "$R/var/lib/appliance-console/network"
check "network: pending.info is readable by the console (0644)" \
    mode_is 644 "$R/var/lib/appliance-console/network/pending.info"
helper console-helper-network rollback
ends_well "network rollback"
pkill_timer

# With the log directory there (as the package makes it): the helper
# creates the audit log with the mode the console appends with.
fresh
mkdir -p "$R/etc" "$R/var/log/appliance-console"
chmod 2750 "$R/var/log/appliance-console"
helper console-helper-network confirm
ends_well "network confirm, log directory present"
check "the audit log the helper created is 0620" \
    mode_is 620 "$R/var/log/appliance-console/audit.log"

# --- firewall ------------------------------------------------------------
fresh
helper console-helper-firewall run "iptables -A INPUT -p tcp --dport 9 -j DROP"
ends_well "firewall run, empty root"
fresh
helper console-helper-firewall save
ends_well "firewall save, empty root"
check "firewall save: rules saved (status 0)" test "$RC" -eq 0
check "firewall: /etc/appliance-console is 0755" \
    mode_is 755 "$R/etc/appliance-console"
check "firewall: iptables.rules is 0600" \
    mode_is 600 "$R/etc/appliance-console/iptables.rules"
fresh
helper console-helper-firewall restore
ends_well "firewall restore, empty root"

# --- time (a dry run under a test root) -----------------------------------
fresh
helper console-helper-time server-add ntp.example.org
ends_well "time server-add, empty root"
check "time server-add: done (status 0)" test "$RC" -eq 0
check "time: /var/lib/appliance-console is 0755" \
    mode_is 755 "$R/var/lib/appliance-console"
bad=$(find "$R" -type d ! -perm 0755 2>/dev/null | sed "s|^$R||" | tr '\n' ' ')
check "time: every directory it made is 0755 (${bad:-all})" test -z "$bad"
fresh
helper console-helper-time zone-set UTC
ends_well "time zone-set, empty root"

# --- proxy ---------------------------------------------------------------
fresh
helper console-helper-proxy set http proxy.example.org 3128 = =
ends_well "proxy set, empty root"
check "proxy set: done (status 0)" test "$RC" -eq 0
check "proxy: /etc/appliance-console is 0755" \
    mode_is 755 "$R/etc/appliance-console"
check "proxy: proxy.conf is 0644" mode_is 644 "$R/etc/appliance-console/proxy.conf"
check "proxy: proxy.env stays root-only (0600)" \
    mode_is 600 "$R/etc/appliance-console/proxy.env"
fresh
helper console-helper-proxy remove
ends_well "proxy remove, empty root"

# --- the DHCP event hook (a root has /etc: resolv.conf is the system's) ---
fresh
mkdir -p "$R/etc"
HELPER_ENV="interface=lo ip=192.0.2.77 mask=24 lease=600 router=192.0.2.1 dns=192.0.2.1" \
    helper console-dhcp-event bound
ends_well "dhcp-event bound, empty root" 0
check "dhcp-event: done (status 0)" test "$RC" -eq 0
check "dhcp-event: its state directory is 0755" \
    mode_is 755 "$R/var/lib/appliance-console/network"
# A lease is kept only for an adapter the applied configuration has in
# DHCP mode (none is applied in an empty root).
printf '[interface lo]\nmode = dhcp\n' \
    >"$R/var/lib/appliance-console/network/applied.conf"
HELPER_ENV="interface=lo ip=192.0.2.77 mask=24 lease=600 router=192.0.2.1 dns=192.0.2.1" \
    helper console-dhcp-event bound
check "dhcp-event: the lease is kept (status $RC)" test "$RC" -eq 0
check "dhcp-event: the lease file is readable by the console (0644)" \
    mode_is 644 "$R/var/lib/appliance-console/network/lease-lo"

[ "$NFAIL" -eq 0 ]
