#!/bin/bash
# SPDX-License-Identifier: ISC
# A hang-up during a privileged change, with the privilege real: the admin
# of the lab runs the helpers through "sudo -n" and the shipped sudoers
# drop-in, so the helper runs as root with its real paths (it ignores
# CONSOLE_ROOT under sudo). Everything it touches is private to this test's
# mount namespace: a copy of /etc bound over /etc (with the drop-in and a
# console.conf of confirm_timeout = 10), tmpfs on /var/lib (the helpers'
# state), /var/log (the audit log), /run/sudo and /usr/local (the helpers,
# copied to LIBEXECDIR), /run/appliance-console (its PID files); the network
# is the lab's appliance namespace.
# Checks: a change through sudo is live and rolls back; a hang-up right
# after a change, while the helper works (the helper stopped between the
# saved trial and its rollback timer) and while it probes leaves no console,
# no process of admin's, and the change rolled back within timeout + 3 s
# with nothing pending; a hang-up in the firewall's confirmation dialog
# applies nothing; a killed ssh client is the same as a hang-up. First, a
# shell left running as admin on purpose must be seen as a stray.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

if [ "${1:-}" = --inner ]; then
	# In the appliance's network namespace and a private mount namespace.
	set -u
	. "$(dirname "$0")/../lab/lib.sh"
	W=$2
	ADDR=$4
	TIMEOUT=10
	LIBEXEC=$(sed -n 's/^#define LIBEXECDIR "\(.*\)"$/\1/p' \
	    "$TOP/build/build-paths.h")
	STATE=/var/lib/appliance-console/network
	case $LIBEXEC in
	/usr/local/*) ;;
	*) notok "LIBEXECDIR ($LIBEXEC) is not under /usr/local"; exit 1 ;;
	esac

	# The private system: nothing here outlives the mount namespace.
	mount --make-rprivate / &&
	cp -a /etc "$W/etc" &&
	echo "127.0.1.1 $(hostname)" >>"$W/etc/hosts" &&
	sed "s|@LIBEXECDIR@|$LIBEXEC|g" "$TOP/build/sudoers.d/appliance-console" \
	    >"$W/etc/sudoers.d/appliance-console" &&
	chown root:root "$W/etc/sudoers.d/appliance-console" &&
	chmod 0440 "$W/etc/sudoers.d/appliance-console" &&
	mkdir -p "$W/etc/appliance-console" &&
	printf '[network]\nconfirm_timeout = %s\n' "$TIMEOUT" \
	    >"$W/etc/appliance-console/console.conf" &&
	chmod 0644 "$W/etc/appliance-console/console.conf" &&
	mount --bind "$W/etc" /etc &&
	mount -t tmpfs -o mode=0755 tmpfs /var/lib &&
	install -d -m 0755 /var/lib/appliance-console &&
	mount -t tmpfs -o mode=0711 tmpfs /run/sudo &&
	mkdir -p /run/appliance-console &&
	mount -t tmpfs -o mode=0755 tmpfs /run/appliance-console &&
	mount -t tmpfs -o mode=0755 tmpfs /usr/local &&
	install -d -m 0755 "$LIBEXEC" &&
	install -m 0755 "$TOP"/build/bin/console-helper-* "$LIBEXEC/" ||
	    { notok "cannot make the private /etc, /var/lib, /usr/local"; exit 1; }
	check "the sudoers drop-in passes visudo -cf" \
	    visudo -qcf /etc/sudoers.d/appliance-console
	check "and so does the whole sudoers of the copy" visudo -qc
	# The user database edits go into the copy (admin_user binds over it).
	admin_inner "$W" "$3" "$ADDR"
	AUDIT=$ADMIN_AUDIT
	export LC_ALL=C

	as_admin() { setpriv --reuid="$ADMIN_UID" --regid="$ADMIN_UID" \
	    --clear-groups -- env -i TERM=vt100 HOME="$W/home" USER=admin \
	    LOGNAME=admin PATH=/usr/bin:/bin "$@"; }
	has_addr() { ip -o addr show dev eth0 | grep -q " $1/24 "; }
	# gone_within S ADDR: the address is off eth0 within S seconds.
	gone_within() {
		local end=$(( $(date +%s) + $1 ))
		while has_addr "$2"; do
			[ "$(date +%s)" -le "$end" ] || return 1
			sleep 0.2
		done
	}
	# admin_left: "pid comm" of each process of admin's (real or
	# effective uid) in this mount namespace.
	admin_left() {
		local me p
		me=$(readlink /proc/self/ns/mnt)
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$me" ] || continue
			awk -v u="$ADMIN_UID" '/^Uid:/ { f = ($2 == u || $3 == u) }
			    END { exit !f }' "$p/status" 2>/dev/null || continue
			echo "${p#/proc/} $(cat "$p/comm" 2>/dev/null)"
		done
	}
	# ns_procs NAME-PREFIX: "pid comm" of each process of this mount
	# namespace whose name starts so (other labs' are not ours).
	ns_procs() {
		local me p c
		me=$(readlink /proc/self/ns/mnt)
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$me" ] || continue
			c=$(cat "$p/comm" 2>/dev/null) || continue
			case $c in "$1"*) echo "${p#/proc/} $c" ;; esac
		done
	}
	no_helper() {
		local left
		left=$(ns_procs console-helper)
		[ -z "$left" ] && return 0
		echo "# still running: $(echo $left)"
		return 1
	}
	# no_strays: no process of admin's within 5 s.
	no_strays() {
		local left
		for _ in $(seq 25); do
			left=$(admin_left)
			[ -z "$left" ] && return 0
			sleep 0.2
		done
		echo "# left running as admin: $(echo $left)"
		return 1
	}
	nothing_pending() {
		local f
		for f in "$STATE/pending.conf" "$STATE/pending.info" \
		    "$STATE/rollback.conf" /run/appliance-console/network/timer.pid; do
			gone "$f" || return 1
		done
	}
	# hangup WHAT LINE WHEN [how=kill] -- ARGV: one hang-up by hangup.py.
	hangup() {
		local uid=$ADMIN_UID what=$1 line=$2 when=$3 out
		shift 3
		[ "${1:-}" = how=kill ] && uid=0
		out=$("$PY" -I "$TOP/tests/security/hangup.py" uid="$uid" \
		    home="$W/home" line="$line" when="$when" "$@" 2>&1)
		printf '%s\n' "$out" | grep '^#'
		check "$what: the console exits on the hang-up" \
		    grep -qx "result: exited" <<<"$out"
	}
	# after_change WHAT ADDR: the checks after a hang-up during a change.
	after_change() {
		check "$1: no shell or other process of admin's remains" no_strays
		check "$1: $2 is not on eth0 within $((TIMEOUT + 3)) s" \
		    gone_within $((TIMEOUT + 3)) "$2"
		sleep 1
		check "$1: nothing is left pending" nothing_pending
		check "$1: no helper or rollback timer is left" no_helper
		check "$1: the lab's own address stays" has_addr "${ADDR%/*}"
	}

	# --- the stray detection sees a shell -----------------------------------
	mkfifo "$W/fifo" && chmod 0666 "$W/fifo"
	as_admin /bin/sh -c "read x <'$W/fifo'" &
	sh_pid=$!
	sleep 0.3
	check "self-check: a shell left running as admin is seen as a stray" \
	    sh -c '[ -n "$1" ]' _ "$(admin_left)"
	echo >"$W/fifo"
	wait "$sh_pid"
	check "self-check: and once it is gone, nothing of admin's is" no_strays

	# --- through sudo, for real -----------------------------------------------
	check "admin may run the helpers with sudo -n" \
	    out_has "$LIBEXEC/console-helper-network" as_admin sudo -n -l
	out=$(as_admin "$W/appliance-console" -c \
	    "ip addr add 192.0.2.41/24 dev eth0" 2>&1); rc=$?
	check "as admin, ip addr add runs through sudo and exits 0" \
	    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "Confirm within $3 s"' \
	    _ "$rc" "$out" "$TIMEOUT"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
	check "the address is live" has_addr 192.0.2.41
	check "the helper used the real (private) state directory" \
	    test -f "$STATE/pending.conf"
	check "the helper's record (as root, through sudo) is in the audit log" \
	    grep -q 'user="root" .*network change applied.*192.0.2.41.*result="pending"' "$AUDIT"
	check "and the console's own record of admin's line" \
	    grep -q 'user="admin" .*192.0.2.41' "$AUDIT"
	check "unconfirmed, it rolls back within $((TIMEOUT + 3)) s" \
	    gone_within $((TIMEOUT + 3)) 192.0.2.41
	sleep 1
	check "the rollback is in the audit log" \
	    grep -q 'result="rolled back"' "$AUDIT"
	check "and nothing is left pending" nothing_pending

	# --- (1) a hang-up at the prompt during ip addr add --------------------------
	n=$(grep -c 'result="rolled back"' "$AUDIT")
	hangup "right after the change" "ip addr add 192.0.2.42/24 dev eth0" \
	    "text:Confirm within" -- "$W/appliance-console"
	check "right after the change: it was applied" has_addr 192.0.2.42
	after_change "right after the change" 192.0.2.42
	check "right after the change: the audit log has the change" \
	    grep -q 'network change applied.*192.0.2.42' "$AUDIT"
	check "right after the change: and its rollback" \
	    test "$(grep -c 'result="rolled back"' "$AUDIT")" -gt "$n"

	hangup "during the helper" "ip addr add 192.0.2.43/24 dev eth0" \
	    "freeze:$STATE/pending.conf" -- "$W/appliance-console"
	after_change "during the helper" 192.0.2.43

	hangup "during the probe" "ip addr add 192.0.2.44/24 dev eth0" \
	    "delay:0.15" -- "$W/appliance-console"
	after_change "during the probe" 192.0.2.44

	check "afterwards, a new change is accepted (not busy)" \
	    out_has "Confirm within" as_admin "$W/appliance-console" -c \
	    "ip addr add 192.0.2.45/24 dev eth0"
	as_admin "$W/appliance-console" -c "network rollback" >/dev/null 2>&1
	check "and rolled back on request" gone_within 3 192.0.2.45

	# --- (2) a hang-up in the firewall's confirmation dialog ---------------------
	n=$(wc -l <"$AUDIT")
	hangup "in the iptables dialog" "iptables -P FORWARD DROP" \
	    "text:Apply it" -- "$W/appliance-console"
	check "in the iptables dialog: no process of admin's remains" no_strays
	check "in the iptables dialog: the FORWARD policy stays ACCEPT" \
	    out_has "-P FORWARD ACCEPT" iptables -S FORWARD
	tail -n +"$((n + 1))" "$AUDIT" >"$W/audit.new" ||
	    notok "cannot read the audit log's new records"
	check "in the iptables dialog: no firewall change is audited" \
	    lacks "$W/audit.new" firewall

	# --- (3) an ssh client killed during a change -----------------------------------
	hangup "ssh client killed" "ip addr add 192.0.2.46/24 dev eth0" \
	    "text:Confirm within" how=kill watch="$ADMIN_UID" -- /usr/bin/ssh -tt -F none \
	    -i "$W/client_key" -o UserKnownHostsFile="$W/known_hosts" \
	    -o StrictHostKeyChecking=yes -o BatchMode=yes -p "$SSH_PORT" \
	    "admin@$ADDR"
	after_change "ssh client killed" 192.0.2.46
	[ "$NFAIL" -eq 0 ]
	exit
fi

. "$(dirname "$0")/../lab/lib.sh"
[ -x "$BIN" ] || { notok "no console at $BIN (run make)"; exit 1; }
start=$(date +%s)
admin_outer "$0" hup
rc=$?
echo "# hang-up test: $(( $(date +%s) - start )) s"
exit "$rc"
