#!/bin/sh
# SPDX-License-Identifier: ISC
# Module 500 in tmux at 80x24: the prompt opens from the menu, completes
# command words and keywords (and only those), recalls lines with Up,
# refuses a line with a shell character naming it and its position,
# refuses ip netns, runs ip and help, audits every line, returns to the
# menu on exit, and ends the session on a hang-up and on the idle timeout.
set -u
TUI_HIDE="network proxy connectivity audit"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	notok "tui prompt tests need root for CONSOLE_ROOT: they cannot run"
	exit 1
fi
LOG=$TROOT/var/log/appliance-console/audit.log
last_line() { screen | grep -v '^$' | tail -n 1; }
# wait_last TEXT: until the line being edited (the last one shown) holds
# TEXT; a wait_for would also find the line where TEXT was typed before.
wait_last() {
	for _ in $(seq 50); do
		last_line | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "# last line while waiting for '$1': $(last_line)"
	return 1
}

make_root
start vt100
wait_for "0  Exit" >/dev/null
check "item 3 is the command prompt" wait_for "3  Command prompt"
keys 3
check "3 opens the prompt" wait_for "@$(hostname)>"

keys "he" Tab
check "Tab completes a command word" wait_for "> help"
keys "i" Tab
check "Tab after a command lists its candidates" wait_for "ifconfig  ip"
check "the completed word got its space" wait_for "> help i"
keys "p" Tab
check "Tab completes a command name as help's argument" wait_for "> help ip"
keys Enter
check "help ip shows the usage" wait_for "usage: ip [-4|-6] [-br] [-j]"
keys "ip -b" Tab
check "Tab completes an ip keyword" wait_for "> ip -br"
keys "li" Tab Enter
check "ip -br link runs ip" wait_for "lo               UNKNOWN"
keys "ip addr /et" Tab
sleep 0.3
check "Tab never completes a file name" \
    out_lacks /etc/ tmux -L "$SOCK" capture-pane -p -t t
keys C-u "ip -br addr; id" Enter
check "a ';' is refused, naming it and its position" \
    wait_for "';' at position 12 is not allowed"
keys "ip netns exec x sh" Enter
check "ip netns is refused" wait_for "ip: 'netns' is never allowed"
keys "ls -la" Enter
check "an unknown command is refused" wait_for "unknown command 'ls'"
keys "p" Enter
# proxy is hidden here (TUI_HIDE): not a candidate either.
check "an ambiguous prefix lists the visible candidates" \
    wait_for "it could be prompt, passwd, ping"
keys Up Up Up
check "Up recalls the lines of the session" wait_last "> ip netns exec x sh"
keys C-u "man ping" Enter
check "man opens the page in the console's viewer" \
    wait_for "appliance-console(8): ping"
check "the viewer shows the command's entry" wait_for "echo requests"
keys q
check "q leaves the viewer for the prompt" wait_gone "echo requests"
keys "version" Enter
check "the prompt reads again after the viewer" wait_for "appliance-console 0"
keys "time set 2030-01-01T00:00:00Z" Enter
check "a row that asks first (time set) asks at the prompt" \
    wait_for "time set: set the clock by hand."
keys Enter
check "No (the default) does nothing" wait_for "time: not done"
keys C-u "exit" Enter
check "exit returns to the menu" wait_for "0  Exit"
check "the refused line is audited" \
    grep -q 'action="prompt ip -br addr; id: .*result="refused"' "$LOG"
check "the accepted lines are audited" \
    grep -q 'action="cli ip -br link" result="ok"' "$LOG"
check "the refused ip line is audited" \
    grep -q 'action="cli ip netns exec x sh" result="error"' "$LOG"
check "leaving the prompt is audited" \
    grep -q 'action="menu 500 prompt" result="ok"' "$LOG"

# A hang-up at the prompt ends the session.
keys 3
wait_for "@$(hostname)>" >/dev/null
pid=$(console_pid)
[ -n "$pid" ] && kill -HUP "$pid"
check "a hang-up at the prompt ends the session" wait_for "EXITED=" 5
check "the hang-up is audited" grep -q 'action="hang-up"' "$LOG"

# The idle timeout at the prompt logs out.
make_root "[console]
idle_timeout = 2"
start vt100
wait_for "0  Exit" >/dev/null
keys 3
wait_for "@$(hostname)>" >/dev/null
check "the idle timeout at the prompt logs out" \
    wait_for "Logged out after 2 seconds" 6
# The proxy password typed at the prompt is never shown: echo is off while
# it is read, and comes back after Enter, Ctrl-C and a hang-up.
SECRET=Hunter2SeCrEt
TUI_HIDE="network connectivity audit"
make_root
start vt100
wait_for "Command prompt" >/dev/null
item=$(screen | sed -n 's/.*\([0-9]\)  Command prompt.*/\1/p' | head -n 1)
keys "$item"
wait_for "@$(hostname)>" >/dev/null
count_of() { screen | grep -cF -- "$1"; }
# wait_count TEXT N: until TEXT is on N lines (a new one, not the old).
wait_count() {
	n=50
	while [ "$n" -gt 0 ]; do
		[ "$(count_of "$1")" -ge "$2" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	screen | sed 's/^/# | /'
	return 1
}
keys "proxy set http proxy.example 8888 --user bob" Enter
check "proxy set with --user asks for the password on the terminal" \
    wait_count "Password:" 1
keys "$SECRET" Enter
check "after Enter the prompt comes back" wait_count "@$(hostname)>" 2
check "the typed password never appeared on the screen" \
    sh -c '! tmux -L "$1" capture-pane -p -t t | grep -qF "$2"' _ "$SOCK" "$SECRET"
check "... nor in the audit log" sh -c '! grep -qF "$1" "$2"' _ "$SECRET" "$LOG"
keys "proxy set http proxy.example 8888 --user bob" Enter
wait_count "Password:" 2 >/dev/null
keys "half" C-c
check "Ctrl-C at the password prompt returns to the prompt" \
    wait_count "@$(hostname)>" 3
check "... saying nothing was set" wait_for "proxy: no password"
check "... and the half-typed password was not shown" \
    sh -c '! tmux -L "$1" capture-pane -p -t t | grep -q "half"' _ "$SOCK"
keys "version" Enter
check "the prompt reads lines again after Ctrl-C" wait_for "appliance-console 0"
keys "proxy set http proxy.example 8888 --user bob" Enter
wait_count "Password:" 3 >/dev/null
pid=$(console_pid)
[ -n "$pid" ] && kill -HUP "$pid"
check "a hang-up at the password prompt ends the session" wait_for "EXITED=" 5
keys "typedafter"
check "... and the terminal echoes again (echo restored)" wait_for "typedafter"
[ "$NFAIL" -eq 0 ]
