#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 400 against the lab: the SNTP client measures the upstream's
# chronyd; a silent address times out within its limit; a name that does
# not resolve is a DNS failure; server edits write the drop-in and a real
# chronyd (in the appliance namespace, -x, socket under the lab's root)
# reloads it; zone changes make the link; bad input changes nothing.
#
# Clock safety: every command that could reach the helper's clock verbs
# runs under strace, which makes clock_settime, settimeofday,
# clock_adjtime and adjtimex fail with EPERM and logs any attempt; the
# test fails if one was made, or if CLOCK_REALTIME moved against
# CLOCK_BOOTTIME by more than 0.5 s while it ran.
#
# Timings are asserted with loose bounds only (a loaded 2-core machine
# stretches every figure); the figures themselves are measured by
# tests/bench/timeouts.sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

lab_up_or_die --name time
R=$LAB_ROOT
HELPER=$R/usr/local/libexec/appliance-console/console-helper-time
STRACE_LOG=$LAB_DIR/clock-syscalls
CLOCK_CALLS=clock_settime,settimeofday,clock_adjtime,adjtimex
: >"$STRACE_LOG"

# The wall clock minus the boot clock: constant unless someone steps it.
clock_skew() { python3 -c 'import time; print(time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_BOOTTIME))'; }
SKEW0=$(clock_skew)

# "${GUARD[@]}" CMD...: CMD with no clock call ever reaching the kernel:
# setting calls fail with EPERM, adjtimex-style calls (which also read the
# sync state) answer TIME_ERROR; all are logged with their arguments.
# collect appends the log and keeps CMD's status.
GUARD=(/usr/bin/strace -f -qq -e signal=none -o "$STRACE_LOG.one"
    -e trace="$CLOCK_CALLS"
    -e inject=clock_settime,settimeofday:error=EPERM
    -e inject=clock_adjtime,adjtimex:retval=5)
# Any attempt to set or adjust, as opposed to reading (modes=0).
clock_writes() { grep -E 'clock_settime|settimeofday|modes=[^0]' "$STRACE_LOG"; }
collect() {
	local rc=$?
	cat "$STRACE_LOG.one" >>"$STRACE_LOG" 2>/dev/null
	rm -f "$STRACE_LOG.one"
	return $rc
}
tconsole() { in_app "${GUARD[@]}" env -i TERM=vt100 \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin CONSOLE_ROOT="$R" "$BIN" "$@"; collect; }
# jq-like: python over the JSON on stdin, EXPR against j.
jget() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
srv() { printf "[s for s in j['servers'] if s['server']=='%s'][0]" "$1"; }

# The appliance's own files: a tz database, chrony with its drop-in
# directory, and a chronyd that never touches the clock (-x).
mkdir -p "$R/usr/share" "$R/etc/chrony/sources.d" "$R/run/chrony" \
    "$R/var/lib/chrony"
ln -s /usr/share/zoneinfo "$R/usr/share/zoneinfo"
chmod 0700 "$R/run/chrony"
cat >"$R/etc/chrony/chrony.conf" <<EOF
sourcedir $R/etc/chrony/sources.d
bindcmdaddress $R/run/chrony/chronyd.sock
cmdport 0
port 0
pidfile $R/run/chrony/chronyd.pid
driftfile $R/var/lib/chrony/drift
EOF
in_app /usr/sbin/chronyd -x -u root -f "$R/etc/chrony/chrony.conf" \
    -l "$LAB_DIR/log/app-chronyd.log" || notok "chronyd starts in the appliance"
cat >"$R/etc/appliance-console/console.conf" <<EOF
[time]
servers = ntp.lab.example 192.0.2.99 missing.lab.example
query_timeout_ms = 1000
warn_offset_seconds = 1
EOF
chronyc_sources() { in_app chronyc -n -h "$R/run/chrony/chronyd.sock" sources 2>&1; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -S "$R/run/chrony/chronyd.sock" ] && break
	sleep 0.2
done

# --- Measuring
J=$(tconsole time show --json)
rc=$?
echo "$J" >"$LAB_DIR/show.json"
check "time show exits 0 with one reachable server" test "$rc" = 0
check "the lab's chronyd is reachable" \
    test "$(echo "$J" | jget "$(srv ntp.lab.example)['reachable']")" = True
check "its stratum is the lab's 8" \
    test "$(echo "$J" | jget "$(srv ntp.lab.example)['stratum']")" = 8
check "its offset is near this host's clock (< 0.5 s: the same clock)" \
    test "$(echo "$J" | jget "abs($(srv ntp.lab.example)['offset_seconds']) < 0.5")" = True
check "its round trip is measured (0 < delay < 1 s)" \
    test "$(echo "$J" | jget "0 < $(srv ntp.lab.example)['delay_seconds'] < 1")" = True
check "a silent address is reported unreachable (timeout)" \
    test "$(echo "$J" | jget "$(srv 192.0.2.99)['status']")" = timeout
check "... not before its 1000 ms timeout, and bounded (< 5 s)" \
    test "$(echo "$J" | jget "900 <= $(srv 192.0.2.99)['elapsed_ms'] < 5000")" = True
check "the whole query is bounded (< 5 s)" \
    test "$(echo "$J" | jget "j['query_ms'] < 5000")" = True
echo "# figures: round trip $(echo "$J" | jget "$(srv ntp.lab.example)['delay_seconds']") s, silent $(echo "$J" | jget "$(srv 192.0.2.99)['elapsed_ms']") ms, query $(echo "$J" | jget "j['query_ms']") ms"
check "a name that does not resolve is a DNS failure" \
    test "$(echo "$J" | jget "$(srv missing.lab.example)['status']")" = dns-failure
check "... and the message names DNS and the name" \
    out_has "DNS: missing.lab.example does not resolve" \
    echo "$J"
check "chrony is the detected service" \
    test "$(echo "$J" | jget "j['service']")" = chrony
check "the text view names the best server" \
    out_has "Best          ntp.lab.example" tconsole time show

# --- Server edits: drop-in, state file, and a real reload
DROPIN=$R/etc/chrony/sources.d/appliance-console.sources
STATE=$R/var/lib/appliance-console/ntp-servers
check "servers add 2001:db8::1 succeeds and says chronyd reloaded" \
    out_has "chronyd reloaded its sources" tconsole time servers add 2001:db8::1
check "the drop-in lists it as a server" grep -qx "server 2001:db8::1 iburst" "$DROPIN"
check "the drop-in keeps the configured ones" grep -qx "server ntp.lab.example iburst" "$DROPIN"
check "the state file lists four servers" test "$(grep -vc '^#' "$STATE")" = 4
check "chronyd took the new source (reload)" out_has "2001:db8::1" chronyc_sources
check "servers remove 192.0.2.99" \
    out_has "192.0.2.99 removed" tconsole time servers remove 192.0.2.99
check "... gone from the drop-in" lacks "$DROPIN" 192.0.2.99
not_in_sources() { out_lacks "$1" in_app chronyc -n -h "$R/run/chrony/chronyd.sock" sources; }
check "... gone from chronyd's sources" not_in_sources 192.0.2.99
check "a pool becomes a pool line" \
    out_has "added" tconsole time servers add 2.debian.pool.ntp.org
check "... pool 2.debian.pool.ntp.org iburst" \
    grep -qx "pool 2.debian.pool.ntp.org iburst" "$DROPIN"
check "servers list shows the edited list" \
    test "$(tconsole time servers list | tr '\n' ' ')" = \
    "ntp.lab.example missing.lab.example 2001:db8::1 2.debian.pool.ntp.org "
check "adding a server twice is refused" \
    out_has "already in the list" tconsole time servers add 2001:db8::1
dropin_clean() { [ "$(stat -c %a "$DROPIN")" = 644 ] &&
    out_lacks tmp ls "$R/etc/chrony/sources.d"; }
check "the drop-in is 0644 and no temporary file is left" dropin_clean

# A signal in the middle of a server edit (state file, drop-in, reload)
# must not leave them apart: strace sends the helper SIGTERM as soon as
# its first rename (the state file) returns; the helper holds it until
# the drop-in is written and chronyd reloaded, and only then ends.
KGUARD=(/usr/bin/strace -f -qq -e signal=none -o "$STRACE_LOG.one"
    -e trace="$CLOCK_CALLS,rename,renameat,renameat2"
    -e inject=clock_settime,settimeofday:error=EPERM
    -e inject=clock_adjtime,adjtimex:retval=5
    -e inject=rename,renameat,renameat2:signal=SIGTERM:when=1)
hkilled() { in_app "${KGUARD[@]}" env -i CONSOLE_ROOT="$R" "$HELPER" "$@" \
    >/dev/null 2>&1; collect; }
hkilled server-add 192.0.2.123
check "SIGTERM during server-add ends the helper by the signal (143)" \
    test "$?" = 143
check "... after the state file got the server" grep -qx 192.0.2.123 "$STATE"
check "... and the drop-in too (not the state file alone)" \
    grep -qx "server 192.0.2.123 iburst" "$DROPIN"
check "... and chronyd reloaded it" out_has "192.0.2.123" chronyc_sources
hkilled server-remove 192.0.2.123
check "SIGTERM during server-remove: gone from the state file" \
    lacks "$STATE" 192.0.2.123
check "... and from the drop-in" lacks "$DROPIN" 192.0.2.123
check "... and from chronyd's sources" not_in_sources 192.0.2.123

# --- Time zone
check "zone set Europe/Berlin" out_has "Europe/Berlin" tconsole time zone set Europe/Berlin
check "/etc/localtime links into the tz database" \
    test "$(readlink "$R/etc/localtime")" = /usr/share/zoneinfo/Europe/Berlin
check "/etc/timezone names the zone" test "$(cat "$R/etc/timezone")" = Europe/Berlin
check "time show uses the new zone" out_has "Time zone     Europe/Berlin" tconsole time show
local_cet() { tconsole time show | grep -Eq 'Local time .* CES?T \+0[12]00'; }
check "local time is in CET/CEST" local_cet
check "zone list finds Berlin" out_has "Europe/Berlin" tconsole time zone list berl

# --- Bad input: refused with a message, nothing changed
snapshot() { (cat "$DROPIN" "$STATE" "$R/etc/timezone"; readlink "$R/etc/localtime";
    ls -la "$R/etc" "$R/etc/chrony/sources.d") 2>&1 | md5sum; }
BEFORE=$(snapshot)
refused() {	# refused MESSAGE-PART ARGS...
	local want=$1 out rc
	shift
	out=$(tconsole "$@" 2>&1)
	rc=$?
	case $out in
	*"$want"*) [ "$rc" = 1 ] && return 0 ;;
	esac
	echo "# $*: rc $rc, got: $out"
	return 1
}
check "an unknown zone is refused" \
    refused "is not a time zone of the installed tz database" time zone set Mars/Olympus
check "../../etc/shadow as a zone is refused" refused "'..' is not allowed" time zone set ../../etc/shadow
check "/etc/shadow as a zone is refused" refused "starts with '/'" time zone set /etc/shadow
check "a directory of the database is refused" refused "not a time zone" time zone set Europe
check "a non-zone file of the database is refused" refused "not a time zone" time zone set zone1970.tab
check "a malformed date is refused" refused "YYYY-MM-DDTHH:MM:SSZ" time set yesterday --yes
check "a date that does not exist is refused" refused "no such day" time set 2027-02-30T00:00:00Z --yes
check "a time without a zone is refused" refused "needs a zone" time set 2027-03-01T12:00:00 --yes
check "a year before 2000 is refused" refused "year must be 2000 to 2099" time set 1969-12-31T23:59:59Z --yes
check "a year after 2099 is refused" refused "year must be 2000 to 2099" time set 2100-01-01T00:00:00Z --yes
check "a server with a space is refused" refused "must be one word" time servers add "ntp.lab.example extra"
check "a server with a leading '-' is refused" refused "starts with '-'" time servers add -oProxyCommand
check "a server that is an option is refused" refused "starts with '-'" time servers add --help
check "a server with ';' is refused" refused "is not allowed" time servers add "ntp.lab.example;reboot"
check "removing an unknown server is refused" refused "not in the list" time servers remove other.lab.example
check "nothing changed after the refusals" test "$(snapshot)" = "$BEFORE"
# The helper itself re-validates: called directly, bypassing the console.
hdirect() { in_app "${GUARD[@]}" env -i CONSOLE_ROOT="$R" "$HELPER" "$@"; collect; }
# hsays STATUS TEXT ARGS...: the helper exits STATUS saying TEXT (a status
# alone could be any refusal: an unknown verb's too).
hsays() { local want=$1 text=$2; shift 2; says "$want" "$text" hdirect "$@"; }
check "the helper refuses ../../etc/shadow itself (status 3)" \
    hsays 3 "'../../etc/shadow' is not a time zone name: '..' is not allowed" \
    zone-set ../../etc/shadow
check "the helper refuses a year out of range itself (status 3)" \
    hsays 3 "is not a date and time: the year must be 2000 to 2099" \
    set 2100-01-01T00:00:00Z
check "the helper refuses an unknown zone itself (status 3)" \
    hsays 3 "'Mars/Olympus' is not a time zone of the installed tz database" \
    zone-set Mars/Olympus
check "the helper refuses a server option itself (status 3)" \
    hsays 3 "argument 1 may not start with '-'" server-add -x
check "nothing changed after the helper's refusals" test "$(snapshot)" = "$BEFORE"

# --- Stepping: only ever reported under a test root
check "time sync --yes reports the step it would make" \
    out_has "dry run: would step the clock by" tconsole time sync --yes
check "... through chronyc makestep, and says the clock was not changed" \
    out_has "through chronyc makestep); the clock was not changed" tconsole time sync --yes
check "time set without --yes is refused and asks for it" \
    refused "asks before it runs: add --yes" time set 2030-01-01T00:00:00Z
check "time set reports the step it would make" \
    out_has "dry run: would set the clock to 2030-01-01 00:00:00 UTC" \
    tconsole time set 2030-01-01T00:00:00Z --yes
check "restart reports the unit it would restart" \
    out_has "dry run: would restart chrony.service" tconsole time restart
bt_helper() { "${GUARD[@]}" env -i "$TOP/build/bin/console-helper-time" "$@"; collect; }
bt_refuses() { says 4 "it works only under a test root (CONSOLE_ROOT)" bt_helper "$@"; }
check "a build-tree helper without a test root refuses set (status 4)" \
    bt_refuses set 2030-01-01T00:00:00Z
check "... and sync" bt_refuses sync forward 0 =
check "... and zone-set" bt_refuses zone-set Europe/Berlin

# --- Lying servers: a step needs a majority, a confirmation and a cap.
# Liars in the upstream on addresses of their own (chronyd binds only to
# 192.0.2.1 and 2001:db8::1), each claiming stratum 1.
liar() {	# liar ADDR OFFSET [OPTS...]: started, listening
	local a=$1
	in_up ip addr add "$a/24" dev "$LAB_IF_UP" 2>/dev/null
	in_up "$PY" -I "$TOP/tests/lab/sntpliar.py" "$@" \
	    log="$LAB_DIR/liar-$a.log" >"$LAB_DIR/liar-$a.out" 2>&1 &
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q listening "$LAB_DIR/liar-$a.out" 2>/dev/null && return 0
		sleep 0.2
	done
	notok "the lying NTP server on $a starts"
}
liar 192.0.2.2 3600
liar 192.0.2.3 3600
liar 192.0.2.4 0 hold=5
servers() { printf '%s\n' "$@" >"$STATE"; }
sync_refused() {	# sync_refused SENTENCE ARGS...: exit 1, the sentence
	local want=$1 out rc
	shift
	out=$(tconsole time sync "$@" 2>&1)
	rc=$?
	case $out in
	*"$want"*) [ "$rc" = 1 ] && return 0 ;;
	esac
	echo "# time sync $*: rc $rc, got: $out"
	return 1
}
servers ntp.lab.example 192.0.2.2
J=$(tconsole time show --json)
check "the liar is reachable and claims stratum 1" \
    test "$(echo "$J" | jget "$(srv 192.0.2.2)['stratum']")" = 1
check "one liar against one honest server: no best server" \
    test "$(echo "$J" | jget "j['best'] is None")" = True
check "... time show warns that the servers disagree" \
    out_has "disagree" tconsole time show
: >"$LAB_DIR/liar-192.0.2.2.log"
check "... and time sync refuses, naming the disagreement" \
    sync_refused "no majority of the 2 servers that answered agree" --yes
check "the liar answered the sync's measurement (it was asked)" \
    test -s "$LAB_DIR/liar-192.0.2.2.log"
servers 192.0.2.1 2001:db8::1 192.0.2.2
# The step of a dry run, in seconds: "would step the clock by +0.000061 s".
step_of() { sed -n 's/.*would step the clock by \([-+][0-9.]*\) s.*/\1/p'; }
small_step() {	# small_step ARGS...: a dry-run step under 10 ms
	local out
	out=$(tconsole time sync "$@" 2>&1)
	python3 -c "import sys; sys.exit(not abs(float(sys.argv[1])) < 0.01)" \
	    "$(echo "$out" | step_of)" 2>/dev/null && return 0
	echo "# time sync $*: $out"
	return 1
}
check "two honest servers outvote one liar at stratum 1" small_step --yes
check "... the step is the honest one, not the liar's hour" \
    sh -c '! tconsole time sync --yes 2>&1 | grep -q "+3600"'
servers ntp.lab.example 192.0.2.4
J=$(tconsole time show --json)
check "a server whose answer gives a negative delay is refused" \
    test "$(echo "$J" | jget "$(srv 192.0.2.4)['status']")" = bad-reply
check "... the message says so" \
    out_has "negative round-trip delay" echo "$J"
check "... and the honest one alone decides the sync" small_step --yes
servers ntp.lab.example 192.0.2.2 192.0.2.3
check "a majority of liars: the hour's step is over the cap, refused" \
    sync_refused "is larger than [time] max_step_seconds (1000)" --yes
hour_step() {
	local out
	out=$(tconsole time sync --yes --force 2>&1)
	python3 -c "import sys; sys.exit(not abs(float(sys.argv[1]) - 3600) < 0.01)" \
	    "$(echo "$out" | step_of)" 2>/dev/null && return 0
	echo "# time sync --yes --force: $out"
	return 1
}
check "... --force takes it (dry run: the clock is not changed)" hour_step
servers ntp.lab.example
check "time sync without --yes and no terminal is refused, saying why" \
    sync_refused "changes the system clock: add --yes"
check "the helper refuses a step nobody measured (+5 s confirmed, ~0 now)" \
    out_has "differs from the confirmed step" hdirect sync forward 5000000000 =
check "... with status 5" \
    hsays 5 "differs from the confirmed step" sync forward 5000000000 =
check "the helper takes the confirmed step when its measurement agrees" \
    out_has "dry run: would step the clock by" hdirect sync forward 0 =
check "the helper refuses a sync without the confirmed step (status 2)" \
    hsays 2 "sync takes 3 arguments, not 0" sync
check "the helper refuses a step that is not a number (status 3)" \
    hsays 3 "'1e9' is not a number: 'e' is not allowed" sync forward 1e9 =

# --- The helper's own measurement parses network data: never as root.
# A slow server keeps the helper's socket open long enough to look at
# the process that holds it (its uid and capabilities in /proc).
liar 192.0.2.5 0 delay=3
servers 192.0.2.1 192.0.2.5
measurer() {
	local pid="" i st
	hdirect sync forward 0 = >/dev/null 2>&1 &
	for i in $(seq 60); do
		pid=$(in_app ss -uanpH 'dport = :123' 2>/dev/null |
		    sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
		if [ -n "$pid" ] && st=$(cat "/proc/$pid/status" 2>/dev/null); then
			echo "$st" | grep -E '^(Name|Uid|Gid|CapEff|CapPrm):'
			break
		fi
		sleep 0.05
	done
	wait
}
M=$(measurer)
echo "$M" | sed 's/^/# /'
check "the helper's SNTP socket was found (a process holds it)" \
    test -n "$M"
check "... the process that measures is not root (every uid)" \
    sh -c 'echo "$1" | grep -E "^Uid:" | grep -vqE "[[:space:]]0([[:space:]]|$)"' _ "$M"
check "... and holds no capability (CAP_SYS_TIME neither)" \
    sh -c 'echo "$1" | grep -qE "^CapEff:[[:space:]]+0+$" &&
        echo "$1" | grep -qE "^CapPrm:[[:space:]]+0+$"' _ "$M"
servers ntp.lab.example 192.0.2.1
check "a sync through the measuring child still steps (dry run, names resolved)" \
    small_step --yes

check "the guard saw the console read the clock state (it is live)" \
    grep -q 'modes=0' "$STRACE_LOG"
check "no clock-setting or adjusting system call was attempted" \
    lacks -E "$STRACE_LOG" 'clock_settime|settimeofday|modes=[^0]'
clock_writes | sed 's/^/# /' | head
SKEW1=$(clock_skew)
check "the host clock did not move against the boot clock (< 0.5 s)" \
    python3 -c "import sys; sys.exit(abs($SKEW1 - $SKEW0) >= 0.5)"

[ -f "$R/run/chrony/chronyd.pid" ] && kill "$(cat "$R/run/chrony/chronyd.pid")" 2>/dev/null
[ "$NFAIL" -eq 0 ]
