#!/bin/sh
# SPDX-License-Identifier: ISC
# Module 400 in tmux at 80x24: the screen with its header and warning, the
# detail view, sync refused when no server answers, the searchable zone
# list applied through the helper, a refused and then a confirmed manual
# set (a dry run under the test root), a server added through the form.
# The console runs under strace with every clock-setting call refused and
# logged: the test fails if one was attempted, or if the log shows that
# strace did not watch the console. (Not in the ASan run: LeakSanitizer
# cannot work under ptrace; there the guard is a skip, not a pass, and the
# plain run holds it.)
set -u
. "$(dirname "$0")/lib.sh"
HELPER=$(dirname "$BIN")/bin/console-helper-time
LIBEXEC=$(sed -n 's/^#define LIBEXECDIR "\(.*\)"$/\1/p' \
    "$(dirname "$BIN")/build-paths.h")
LOG=$TROOT.strace
CALLS=clock_settime,settimeofday,clock_adjtime,adjtimex
[ -x "$HELPER" ] || { notok "helper $HELPER missing"; exit 1; }

make_root "$(printf '[time]\nservers = 127.0.0.1\nquery_timeout_ms = 300\n')"
mkdir -p "$TROOT/usr/share" "$TROOT$LIBEXEC"
ln -s /usr/share/zoneinfo "$TROOT/usr/share/zoneinfo"
ln -s "$HELPER" "$TROOT$LIBEXEC/console-helper-time"
case $BIN in
*/asan/*)
	: >"$LOG"
	start vt100 ;;
*)	start vt100 /usr/bin/strace -f -qq -e signal=none -o "$LOG" \
	    -e trace=execve,$CALLS -e inject=clock_settime,settimeofday:error=EPERM \
	    -e inject=clock_adjtime,adjtimex:retval=5 ;;
esac

wait_for "0  Exit" >/dev/null
keys 2
check "2 opens 400 System Time Management" wait_for "400 System Time Management"
check "the header shows the local time and the zone" wait_for "Zone UTC"
check "no answer is a warning in the header" \
    wait_for "No NTP server answered: the clock cannot be checked"
check "the actions are listed" wait_for "5  Set the time by hand"
keys 1
check "1 shows the details with each server's status" wait_for "unreachable"
check "... and the table header" wait_for "Offset ms Delay ms"
keys q
wait_for "0  Back" >/dev/null
keys 2
check "sync with no server answering explains why not" \
    wait_for "nothing to step to"
keys Enter

keys 4
check "4 asks what to search the zones for" wait_for "Search the zones for"
keys -l berl
keys Enter
check "the search lists Europe/Berlin" wait_for "1  Europe/Berlin"
keys 1
check "choosing asks to confirm, naming both zones" \
    wait_for "from UTC to Europe/Berlin?"
keys Left Enter
check "the helper's answer is shown" wait_for "the time zone is now Europe/Berlin"
keys Enter
check "back in 400, the header shows the new zone" wait_for "Zone Europe/Berlin"
check "the link was made under the test root" \
    test "$(readlink "$TROOT/etc/localtime")" = /usr/share/zoneinfo/Europe/Berlin

keys 5
check "5 asks for a date and time" wait_for "Date and time"
keys -l 2027-02-30T00:00:00Z
keys Enter
check "a day that does not exist is refused in the form" wait_for "no such day"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
    BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
keys -l 2030-01-01T00:00:00Z
keys Enter
check "a good time asks to confirm, showing the step" \
    wait_for "That is a step of"
keys Left Enter
check "under the test root the helper only reports the step" \
    wait_for "would set the clock to 2030-01-01"
keys Enter
wait_for "0  Back" >/dev/null

keys 3
check "3 lists the servers in use" wait_for "Servers in use:"
check "... with the configured one" sh -c 'tmux -L "$1" capture-pane -p -t t |
    grep -qx " 127.0.0.1"' _ "$SOCK"
keys 1
check "1 asks for a server" wait_for "Host name or address"
keys -l -- -x
keys Enter
check "an option as a server is refused in the form" wait_for "label -x starts with"
keys BSpace BSpace
keys -l ntp.example.org
keys Enter
check "the server is added" wait_for "ntp.example.org added"
keys Enter
# The message box names the server too: only its own line in the list,
# once the box is gone, is the list showing it.
listed() { wait_gone "ntp.example.org added" && screen | grep -qx " ntp.example.org"; }
check "the list shows it" listed
keys 0
wait_for "0  Back" >/dev/null
keys 0
check "0 goes back to the main menu" wait_for "0  Exit"
keys 0
check "the console exits" wait_for "EXITED=0"
check "the audit log has the zone change" audit_has "time zone-set Europe/Berlin"
case $BIN in
*/asan/*)
	skip "no clock-setting or adjusting system call was attempted" \
	    "no strace under ASan (the plain tui tier holds the guard)" ;;
*)	check "the guard watched the console (strace logged its execve)" \
	    grep -qF "execve(\"$BIN\"" "$LOG"
	check "no clock-setting or adjusting system call was attempted" \
	    lacks -E "$LOG" 'clock_settime|settimeofday|modes=[^0]' ;;
esac
rm -f "$LOG"
[ "$NFAIL" -eq 0 ]
