#!/bin/bash
# SPDX-License-Identifier: ISC
# [audit] remote: console-helper-audit forward writes the rsyslog drop-in,
# and a real rsyslogd in the appliance (with that drop-in) sends every
# record of the chained trail to a real rsyslogd in the upstream over
# TCP, byte for byte, also those written while the server was down.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"
RSYSLOGD=/usr/sbin/rsyslogd
[ -x "$RSYSLOGD" ] || { notok "rsyslogd is not installed (tests/deps.sh)"; exit 1; }

lab_up_or_die
HELPER=$LAB_ROOT/usr/local/libexec/appliance-console/console-helper-audit
TRAIL=$LAB_ROOT/var/log/appliance-console/trail.log
DROP=$LAB_ROOT/etc/rsyslog.d/60-appliance-console-trail.conf
W=$LAB_DIR/rsyslog
PORT=6514
mkdir -p "$W/up" "$W/app"
RECV=$W/received.log
UP_PID=
APP_PID=
stop_rsyslog() {
	[ -n "$UP_PID" ] && kill "$UP_PID" 2>/dev/null
	[ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null
	wait 2>/dev/null
}
trap 'stop_rsyslog; lab_cleanup' EXIT

# The upstream's syslog server: TCP in, the message part of each out.
cat >"$W/up.conf" <<EOC
global(workDirectory="$W/up")
module(load="imtcp")
template(name="msgonly" type="string" string="%msg:2:\$%\n")
input(type="imtcp" address="$LAB_UP_ADDR" port="$PORT" ruleset="in")
ruleset(name="in") { action(type="omfile" file="$RECV" template="msgonly") }
EOC
start_up() {
	in_up "$RSYSLOGD" -n -f "$W/up.conf" -i "$W/up.pid" \
	    >"$W/up.out" 2>&1 &
	UP_PID=$!
}
start_up

check "console.conf [audit] remote refuses a value that is not HOST:PORT" \
    sh -c 'printf "\n[audit]\nremote = a b:1\n" >>"$1/etc/appliance-console/console.conf" &&
    ! CONSOLE_ROOT="$1" "$2" forward 2>/dev/null' _ "$LAB_ROOT" "$HELPER"
sed -i '$d' "$LAB_ROOT/etc/appliance-console/console.conf"
echo "remote = $LAB_UP_ADDR:$PORT" >>"$LAB_ROOT/etc/appliance-console/console.conf"
out=$(in_app "$HELPER" forward 2>&1); rc=$?
check "console-helper-audit forward writes the drop-in" \
    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "forwarding to" && test -f "$3"' _ "$rc" "$out" "$DROP"
[ "$rc" = 0 ] || printf '# | %s\n' "$out"
check "the drop-in follows the trail and sends it to the server over TCP" \
    sh -c 'grep -q "File=\"$2\"" "$1" && grep -q "Target=\"$3\" Port=\"$4\" Protocol=\"tcp\"" "$1"' _ "$DROP" "$TRAIL" "$LAB_UP_ADDR" "$PORT"
cat >"$W/app.conf" <<EOC
global(workDirectory="$W/app")
include(file="$DROP")
EOC
check "rsyslogd accepts the drop-in" in_app "$RSYSLOGD" -N1 -f "$W/app.conf"
in_app "$RSYSLOGD" -n -f "$W/app.conf" -i "$W/app.pid" >"$W/app.out" 2>&1 &
APP_PID=$!
sleep 1

console -c 'proxy remove' >/dev/null 2>&1
console -c 'proxy remove' >/dev/null 2>&1
arrived() {	# arrived N: the server has the trail's first N lines
	local end=$((SECONDS + 15))
	while [ "$SECONDS" -le "$end" ]; do
		if [ -f "$RECV" ] && [ "$(head -n "$1" "$TRAIL" | md5sum)" = \
		    "$(head -n "$1" "$RECV" | md5sum)" ]; then
			return 0
		fi
		sleep 0.3
	done
	echo "# trail:"; sed 's/^/# | /' "$TRAIL" | tail -n 3
	echo "# received:"; sed 's/^/# | /' "$RECV" 2>/dev/null | tail -n 3
	return 1
}
n=$(wc -l <"$TRAIL")
check "every record reaches the server as it is in the trail ($n lines)" arrived "$n"

kill "$UP_PID" 2>/dev/null; wait "$UP_PID" 2>/dev/null; UP_PID=
console -c 'proxy remove' >/dev/null 2>&1
sleep 1
start_up
n=$(wc -l <"$TRAIL")
check "a record written while the server was down arrives once it is back" arrived "$n"

sed -i '/^remote = /d' "$LAB_ROOT/etc/appliance-console/console.conf"
in_app "$HELPER" forward >/dev/null 2>&1
check "remote unset: forward removes the drop-in" test ! -e "$DROP"
check "forward itself is recorded in the trail" \
    grep -q 'helper="audit" verb="forward" args="" result="ok" msg="forwarding off"' "$TRAIL"
[ "$NFAIL" -eq 0 ]
