#!/bin/bash
# SPDX-License-Identifier: ISC
# The serial console and the hypervisor console of the installed image, as
# their users reach them: the image lab gives the appliance two pty pairs
# standing in for ttyS0 and tty1 (tests/lab/ttyline.c), the image's own
# agetty on the slave side (ttyS0 with the arguments of the package's
# serial-getty@ttyS0 drop-in), login and PAM, and the console as admin's
# login shell. This side is the terminal: tests/lab/serial.py reads the
# master no faster than 9600 baud (960 bytes a second) into a tmux pane
# at 80x24 and logs every byte, so the figures below (comments) are the
# serial user's. Checks: login to the painted menu, navigation, Ctrl-L,
# a CDK screen and back, logout with 0 Exit, with a hang-up of the line,
# idle logout; the same login and menu on tty1 with TERM=linux, with line
# drawing and colour there. admin's password is set here with chpasswd,
# not expired.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"

PASS='Serial-Line-9600'
SERIAL_PY=$TOP/tests/lab/serial.py
img_up_or_die imgtty
ok "the image lab is up with its console lines"
W=$(mktemp -d /tmp/ac-serial.XXXXXX)
NLINE=0
TM="tmux -L ac-serial-$$-0"
trap '$TM kill-server 2>/dev/null; rm -rf "$W"; lab_cleanup' EXIT

printf 'admin:%s\n' "$PASS" | img_run chpasswd
pw_set() { img_run passwd -S admin | grep -q "^admin P "; }
check "admin has a password (chpasswd in the image), not expired" pw_set

# --- what runs on the lines ----------------------------------------------------
DROPIN=$LAB_APP_ROOT/lib/systemd/system/serial-getty@ttyS0.service.d/appliance-console.conf
check "the package installed the serial-getty@ttyS0 drop-in" test -f "$DROPIN"
want="/sbin/agetty --noclear 9600 ttyS0 vt100"
got=$(tr '\n' ' ' <"$LAB_APP_ROOT/run/lab/ttyS0.args" 2>/dev/null)
check "ttyS0's agetty runs the drop-in's arguments ($want)" test "${got% }" = "$want"
inittab=$(tail -n 1 "$LAB_APP_ROOT/etc/appliance-console/inittab.ttyS0" 2>/dev/null)
check "the sysvinit variant (inittab.ttyS0) runs the same agetty arguments" \
    test "${inittab#T0:23:respawn:}" = "$want"
agetty_on() {	# agetty_on LINE: an agetty of the image runs on /dev/LINE
	local p
	for p in $(img_run pgrep -x agetty); do
		tr '\0' ' ' <"$LAB_APP_ROOT/proc/$p/cmdline" | grep -qw "$1" && return 0
	done
	return 1
}
check "the image's agetty waits on ttyS0" agetty_on ttyS0
check "and on tty1" agetty_on tty1

# --- the terminal: a tmux pane on the far end of the line ----------------------
# line LINE: a fresh pane whose process is serial.py on LINE's socket.
line() {
	$TM kill-server 2>/dev/null
	# A fresh server each time: a dying one may still hold the socket.
	NLINE=$((NLINE + 1))
	TM="tmux -L ac-serial-$$-$NLINE"
	LOG=$W/$1.log
	: >"$LOG"
	$TM -f /dev/null new-session -d -x 80 -y 24 -s t \
	    "$PY $SERIAL_PY $LAB_APP_ROOT/run/lab/$1.sock $LOG 9600"
	$TM set-option -t t status off >/dev/null
}
screen() { $TM capture-pane -p -t t 2>/dev/null; }
keys() { $TM send-keys -t t "$@"; }
wait_for() {	# wait_for TEXT [SECONDS]
	local n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	echo "# screen while waiting for '$1':"
	screen | sed 's/^/# | /'
	return 1
}
# settle: until the line has carried nothing for 0.5 s (10 s at most).
settle() {
	local n=100 a b
	a=$(wc -l <"$LOG")
	while [ "$n" -gt 0 ]; do
		sleep 0.5
		b=$(wc -l <"$LOG")
		[ "$a" = "$b" ] && return 0
		a=$b
		n=$((n - 1))
	done
	return 1
}
# figures WHAT: bytes the line carried after the last key and the time
# from that key to the last of them at the terminal, as a comment; sets
# BYTES and MS.
figures() {
	read -r BYTES MS < <(awk '$1 == "i" { t = $2; n = 0; last = $2 }
	    $1 == "o" && t != "" { n += $3; last = $2 }
	    END { printf "%d %.0f\n", n, last - t }' "$LOG")
	echo "# $1: $BYTES bytes, settled after $MS ms at 9600 baud"
}
console_pid() { img_run pgrep -u admin -x appliance-conso | head -n 1; }
console_gone() {
	local n=50
	while [ "$n" -gt 0 ]; do
		[ -z "$(console_pid)" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
audit_count() { grep -c "$1" "$IMG_AUDIT" 2>/dev/null; }
# login LINE: from the login prompt to the painted menu.
login() {
	wait_for "login:" 15 || return 1
	keys -l admin
	keys Enter
	wait_for "Password:" 10 || return 1
	settle
	keys -l "$PASS"
	keys Enter
	wait_for "0  Exit" 15 && settle
}

# --- ttyS0 at 9600 baud ---------------------------------------------------------
line ttyS0
check "the serial line shows agetty's login prompt" wait_for "lab-appliance login:" 15
check "admin logs in on ttyS0 and gets the painted menu" login
figures "ttyS0, password accepted to the menu painted and settled"
s=$(screen)
check "the menu names the appliance's host name" grep -q "lab-appliance" <<<"$s"
check "the menu lists the network module" grep -q "Network configuration" <<<"$s"
pid=$(console_pid)
check "the console runs as admin on the line" test -n "$pid"
if [ -n "$pid" ]; then
	check "it is /usr/bin/appliance-console, the login shell" \
	    test "$(img_run readlink "/proc/$pid/exe")" = /usr/bin/appliance-console
	check "login gave it TERM=vt100, the drop-in's" \
	    grep -qx TERM=vt100 < <(tr '\0' '\n' <"$LAB_APP_ROOT/proc/$pid/environ")
fi
check "no colour on the vt100 line" sh -c '! $1 capture-pane -e -p -t t | grep -q "\[[0-9;]*3[0-7]m"' _ "$TM"
keys Down
check "Down moves the selection" wait_for "> 2  Network configuration"
settle
figures "ttyS0, one DOWN in the main menu"
check "one DOWN at 9600 baud is at most 24 bytes" test "$BYTES" -le 24
keys Up
check "Up moves it back" wait_for "> 1  "
settle
keys 4
check "4 opens the resource check, a CDK viewer" wait_for "System Resource Check"
settle
# tmux shows a cell of the alternate character set by its VT100 code.
check "its box is drawn with vt100's line drawing (l q k)" \
    sh -c '$1 capture-pane -p -t t | head -n 1 | grep -q "^lqq"' _ "$TM"
keys C-l
settle
figures "ttyS0, Ctrl-L in the viewer"
check "Ctrl-L repaints the viewer" test "$BYTES" -gt 1000
keys q
check "q goes back to the menu" wait_for "0  Exit"
settle
keys C-l
settle
figures "ttyS0, Ctrl-L in the main menu"
check "Ctrl-L repaints the whole menu" test "$BYTES" -gt 300
check "and the menu is still there" wait_for "0  Exit"
n_logout=$(audit_count 'action="logout"')
keys 0
check "0 Exit ends the console" console_gone
check "the logout is audited" test "$(audit_count 'action="logout"')" -gt "$n_logout"
check "the line comes back with a fresh login prompt" wait_for "login:" 15

# A hang-up: the terminal's end of the line goes away (carrier lost).
line ttyS0
check "a second serial login gets the menu" login
n_hup=$(audit_count 'action="hang-up"')
$TM kill-server
check "a hang-up of the line ends the console" console_gone
check "and no process of admin's is left" \
    sh -c '[ -z "$(bash "$1" run "$2" -- pgrep -u admin)" ]' _ "$LAB" "$LAB_ENV"
check "the hang-up is audited" test "$(audit_count 'action="hang-up"')" -gt "$n_hup"

# Idle logout: 3 seconds in the image's console.conf for this test.
CONF=/etc/appliance-console/console.conf
img_run cp "$CONF" "$CONF.serial-test"
img_run sed -i 's/^idle_timeout = .*/idle_timeout = 3/' "$CONF"
line ttyS0
check "a serial login with idle_timeout = 3 gets the menu" login
check "idle logout says so after 3 s" wait_for "Logged out after 3 seconds" 10
check "and ends the console" console_gone
img_run mv "$CONF.serial-test" "$CONF"

# --- tty1, TERM=linux -----------------------------------------------------------
line tty1
check "tty1 shows agetty's login prompt" wait_for "login:" 15
check "admin logs in on tty1 and gets the painted menu" login
figures "tty1, password accepted to the menu painted and settled"
pid=$(console_pid)
check "login gave the console on tty1 TERM=linux" \
    grep -qx TERM=linux < <(tr '\0' '\n' <"$LAB_APP_ROOT/proc/$pid/environ")
check "the title is in colour on tty1" \
    sh -c '$1 capture-pane -e -p -t t | head -n 1 | grep -q "\[[0-9;]*36"' _ "$TM"
keys Down
check "Down moves the selection on tty1" wait_for "> 2  Network configuration"
settle
figures "tty1, one DOWN in the main menu"
keys 4
check "4 opens the viewer on tty1" wait_for "System Resource Check"
settle
check "its box is drawn with linux's line drawing" \
    sh -c '$1 capture-pane -p -t t | head -n 1 | grep -q "^lqq"' _ "$TM"
keys q
check "q goes back to the menu on tty1" wait_for "0  Exit"
keys 0
check "0 Exit ends the console on tty1" console_gone
[ "$NFAIL" -eq 0 ]
