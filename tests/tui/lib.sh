# SPDX-License-Identifier: ISC
# Helpers for driving the real console in tmux at 80x24: a private tmux
# server per test file, a temporary system root, send-keys and
# capture-pane with bounded waits. Sourced by run.sh and valgrind.sh.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CONSOLE_BIN:-$TOP/build/appliance-console}
case $BIN in /*) ;; *) BIN=$TOP/$BIN ;; esac
SOCK=ac-tui-$$-0
NSTART=0
TROOT=$(mktemp -d /tmp/ac-tui-root.XXXXXX)
. "$TOP/tests/lib/tap.sh"

tui_cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -rf "$TROOT"
	return 0
}
trap tui_cleanup EXIT

# The tier needs root (CONSOLE_ROOT) and the built binary; without them it
# fails loudly and stops. $1 = why root is needed, for the message.
tui_need_root() {
	if [ "$(id -u)" != 0 ]; then
		notok "$1"
		exit 1
	fi
	[ -x "$BIN" ] || { notok "console binary $BIN missing"; exit 1; }
}

# Compare FILE with its golden screen GOLDFILE as test WHAT (a diff on a
# mismatch). A screen compared with itself proves nothing: with REGEN=1 it
# writes GOLDFILE and reports that as a skip, never as a pass.
golden_check() {	# golden_check WHAT FILE GOLDFILE
	if [ "${REGEN:-0}" = 1 ]; then
		cp "$2" "$3"
		skip "$1" "REGEN=1 wrote $3"
		return
	fi
	check "$1" cmp -s "$2" "$3"
	cmp -s "$2" "$3" || diff "$3" "$2" | sed 's/^/# /'
}

# A system root with the shipped config and drop-in; $1 = extra config.
make_root() {
	rm -rf "$TROOT"
	mkdir -p "$TROOT/etc/appliance-console/commands.d" \
	    "$TROOT/var/log/appliance-console" "$TROOT/var/lib/appliance-console"
	# The package installs the log; the console never creates it.
	: >"$TROOT/var/log/appliance-console/audit.log"
	# Module 200 is driven in the lab (tests/lab/test_network_tui.sh);
	# so are 100 and 210; 500 has its own file (prompt.sh, which sets
	# TUI_HIDE); here, on the host, the menu is 300, 400 and the drop-in.
	hide=${TUI_HIDE:-network proxy connectivity prompt audit}
	sed "s/^hide =.*/hide = $hide/" "$TOP/etc/console.conf" \
	    >"$TROOT/etc/appliance-console/console.conf"
	[ -n "${1:-}" ] && printf '%s\n[modules]\nhide = %s\n' "$1" "$hide" \
	    >"$TROOT/etc/appliance-console/console.conf"
	cp "$TOP/etc/commands.d/"* "$TROOT/etc/appliance-console/commands.d/"
	chmod 755 "$TROOT/etc/appliance-console/commands.d/"*
}

# start TERM [WRAPPER...]: the console in a fresh 80x24 pane.
start() {
	term=$1
	shift
	tmux -L "$SOCK" kill-server 2>/dev/null
	# A fresh server per start: a dying one may still hold the socket.
	NSTART=$((NSTART + 1))
	SOCK=ac-tui-$$-$NSTART
	tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 -s t \
	    "env -i TERM=$term CONSOLE_ROOT=$TROOT LANG=C $* $BIN; echo EXITED=\$?; sleep 30"
	tmux -L "$SOCK" set-option -t t status off >/dev/null
}

screen() { tmux -L "$SOCK" capture-pane -p -t t 2>/dev/null; }
keys() { tmux -L "$SOCK" send-keys -t t "$@" 2>/dev/null; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
	n=$(( ${2:-5} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	echo "# screen while waiting for '$1':"
	screen | sed 's/^/# | /'
	return 1
}

# wait_gone TEXT [SECONDS]
wait_gone() {
	n=$(( ${2:-5} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# console_pid: the console of this test's pane (another run's console of
# the same binary on this machine is not ours to signal).
console_pid() {
	_pp=$(tmux -L "$SOCK" display-message -p -t t '#{pane_pid}' 2>/dev/null) ||
	    return 1
	for _c in $(pgrep -f "^$BIN\$"); do
		_a=$_c
		while [ -n "$_a" ] && [ "$_a" -gt 1 ]; do
			[ "$_a" = "$_pp" ] && { echo "$_c"; return 0; }
			_a=$(awk '/^PPid:/ { print $2 }' "/proc/$_a/status" 2>/dev/null)
		done
	done
	return 1
}
audit_has() { grep -qF -- "$1" "$TROOT/var/log/appliance-console/audit.log"; }
