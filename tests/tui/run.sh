#!/bin/sh
# SPDX-License-Identifier: ISC
# TUI tier: the real binary in tmux at 80x24 with vt100 and xterm-256color.
# Navigation, module 300 with real figures, resize, the keys that must not
# escape, idle logout, hang-up, refusals, TERM fallback, drop-ins, and a
# golden screen of the menu (REGEN=1 rewrites it).
set -u
. "$(dirname "$0")/lib.sh"

tui_need_root "tui tests need root for CONSOLE_ROOT: they cannot run"
NPROC=$(nproc)
cpu_shown() { screen | grep -E "CPU" | grep -qw "$NPROC"; }
menu_alive() { screen | grep -q "> 1  System resource check" && [ -n "$(console_pid)" ]; }
audit_tour() {
	audit_has 'action="login"' && audit_has 'action="menu 300 resources"' &&
	    audit_has 'action="logout"'
}

for term in vt100 xterm-256color; do
	make_root
	start "$term"
	check "[$term] main menu shows the name" wait_for "Appliance Console"
	s=$(screen)
	check "[$term] header shows host, address, gateway, resources" \
	    sh -c 'echo "$1" | grep -q "Host:" && echo "$1" | grep -q "Address:" &&
	    echo "$1" | grep -q "Gateway:" && echo "$1" | grep -q "Resources:"' _ "$s"
	check "[$term] item 1 is the resource check" \
	    sh -c 'echo "$1" | grep -q "> 1  System resource check"' _ "$s"
	check "[$term] drop-in appears as an item" \
	    sh -c 'echo "$1" | grep -q "  3  Support info"' _ "$s"
	check "[$term] 0: Exit is last" sh -c 'echo "$1" | grep -q "  0  Exit"' _ "$s"

	keys Down
	check "[$term] Down moves the selection" wait_for "> 2  System time management"
	keys Up
	check "[$term] Up moves it back" wait_for "> 1  System resource check"
	keys Up
	check "[$term] Up wraps to Exit" wait_for "> 0  Exit"
	keys Down

	keys 1
	check "[$term] 1 opens 300 System Resource Check" \
	    wait_for "300 System Resource Check"
	check "[$term] 300 shows the real CPU count ($NPROC)" \
	    cpu_shown
	keys q
	check "[$term] q goes back to the menu" wait_for "> 1  System resource check"

	# Keys that would leave a shell's job control or interrupt it.
	keys C-c C-z 'C-\'
	sleep 0.3
	check "[$term] Ctrl-C, Ctrl-Z, Ctrl-\\ leave the menu in place" \
	    menu_alive
	keys 1
	wait_for "300 System Resource Check" >/dev/null
	keys C-c
	check "[$term] Ctrl-C cancels the 300 screen" wait_for "0  Exit"

	keys 3
	check "[$term] the drop-in runs with the terminal" wait_for "Support information"
	keys Enter
	check "[$term] the menu comes back after the drop-in" wait_for "> 3  Support info"

	tmux -L "$SOCK" resize-window -t t -x 70 -y 20 2>/dev/null ||
	    tmux -L "$SOCK" resize-pane -t t -x 70 -y 20
	check "[$term] below 80x24 says the terminal is too small" \
	    wait_for "Terminal too small"
	tmux -L "$SOCK" resize-window -t t -x 80 -y 24 2>/dev/null ||
	    tmux -L "$SOCK" resize-pane -t t -x 80 -y 24
	check "[$term] back at 80x24 the menu returns" wait_for "0  Exit"

	keys 0
	check "[$term] 0 logs out" wait_for "EXITED=0"
	check "[$term] the audit log has login, menu 300 and logout" \
	    audit_tour
done

# Golden screen: the menu at vt100 with the header's machine facts masked.
make_root
start vt100
wait_for "0  Exit" >/dev/null
GOLD="$TOP/tests/tui/golden/menu-vt100.txt"
screen | sed -e 's/^ Host: .*/ Host: <masked>/' -e 's/^ Gateway: .*/ Gateway: <masked>/' >"$TROOT/menu.txt"
golden_check "menu matches the golden screen" "$TROOT/menu.txt" "$GOLD"

# The hypervisor console and terminal multiplexers.
for term in linux screen tmux-256color; do
	make_root
	start "$term"
	check "[$term] the menu renders" wait_for "0  Exit"
	keys Down
	check "[$term] Down moves the selection" wait_for "> 2  System time management"
	keys 0
	check "[$term] 0 logs out" wait_for "EXITED=0"
done

# Unknown TERM falls back to vt100 instead of failing.
make_root
start no-such-terminal
check "unknown TERM still gets the menu" wait_for "0  Exit"

# Idle logout after idle_timeout seconds.
make_root "[console]
idle_timeout = 2"
start vt100
wait_for "0  Exit" >/dev/null
check "idle logout fires after the timeout" wait_for "Logged out after 2 seconds" 6
check "idle logout ends the session" wait_for "EXITED=0" 2
check "idle logout is audited" audit_has 'action="idle logout"'

# Hang-up ends the session cleanly.
make_root
start vt100
wait_for "0  Exit" >/dev/null
kill -HUP "$(console_pid)"
check "SIGHUP ends the session" wait_for "EXITED=0"
check "hang-up is audited" audit_has 'action="hang-up"'

# A broken config: defaults and a visible warning, never a locked-out admin.
make_root "[console]
idle_timeout = often"
start vt100
check "a broken config shows a warning naming line and key" \
    wait_for "console.conf:2: key 'idle_timeou"
check "the warning says defaults are in use" wait_for "using defaults"
check "a broken config still gives the menu" wait_for "0  Exit"
keys 0

# Not a terminal, -c refusals: no TUI, one line, exit 1.
out=$(CONSOLE_ROOT=$TROOT "$BIN" </dev/null 2>&1 >/dev/null); rc=$?
check "no terminal: exit 1 with one line" sh -c '[ "$1" = 1 ] && [ "$(echo "$2" | wc -l)" = 1 ]' _ "$rc" "$out"
out=$(CONSOLE_ROOT=$TROOT "$BIN" -c sh 2>&1); rc=$?
check "-c sh is refused" sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "unknown command .sh."' _ "$rc" "$out"
out=$(CONSOLE_ROOT=$TROOT "$BIN" -c 'resources check; sh' 2>&1); rc=$?
check "-c with ';' is refused naming the character" sh -c '[ "$1" = 1 ] && echo "$2" | grep -qF "'"'"';'"'"' at position 16 is not allowed"' _ "$rc" "$out"
out=$(CONSOLE_ROOT=$TROOT "$BIN" -c 'scp -t /tmp' 2>&1); rc=$?
check "-c scp is refused as file transfer" sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "file transfer"' _ "$rc" "$out"
out=$(CONSOLE_ROOT=$TROOT "$BIN" -i 2>&1); rc=$?
check "an unknown option is refused" sh -c '[ "$1" = 1 ] && echo "$2" | grep -qF "usage: appliance-console"' _ "$rc" "$out"
out=$(CONSOLE_ROOT=$TROOT "$BIN" -c version 2>&1); rc=$?
check "-c version works" sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "^appliance-console "' _ "$rc" "$out"
check "-c refusals are audited" audit_has 'result="refused"'

[ "$NFAIL" -eq 0 ]
