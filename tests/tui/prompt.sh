#!/bin/sh
# SPDX-License-Identifier: ISC
# Module 500 at 80x24: the prompt, Tab completion of command words and
# keywords, refusals that name the character, history, Ctrl-C, a command
# run through the table, exit back to the menu, the idle logout, and an
# audit record for every line.
set -u
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "ok - tui tests need root for CONSOLE_ROOT # SKIP"
	exit 0
fi

for term in vt100 xterm-256color; do
	make_root
	printf '[modules]\nhide = network proxy connectivity\n' \
	    >"$TROOT/etc/appliance-console/console.conf"
	start "$term"
	check "[$term] the menu lists the command prompt" \
	    wait_for "3  Command prompt"
	keys 3
	check "[$term] 3 opens the prompt" wait_for "@"
	check "[$term] the prompt says how to leave" wait_for "Tab completes"
	keys -l "res"
	keys Tab
	check "[$term] Tab completes a command word" wait_for "> resources"
	keys Tab
	check "[$term] Tab again lists its keywords" wait_for "check  --json"
	keys -l "check"
	keys Enter
	check "[$term] the command runs through the table" wait_for "Platform"
	keys -l 'help; id'
	keys Enter
	check "[$term] ';' is refused with its position" \
	    wait_for "refused: ';' at position 5"
	keys -l 'ls $(id)'
	keys Enter
	check "[$term] '\$' is refused" wait_for "refused: '\$' at position 4"
	keys -l "sh"
	keys Enter
	check "[$term] an unknown command is named" wait_for "unknown command 'sh'"
	keys -l "half a line"
	keys C-c
	keys -l "version"
	keys Enter
	check "[$term] Ctrl-C drops the line being typed" \
	    wait_for "appliance-console "
	keys Up
	check "[$term] Up brings back the last line" \
	    sh -c "tmux -L $SOCK capture-pane -p -t t | tail -n 3 | grep -q '> version'"
	keys C-u
	keys -l "exit"
	keys Enter
	check "[$term] exit returns to the menu" wait_for "0  Exit"
	check "[$term] the refused line is audited" audit_has 'result="refused"'
	check "[$term] the accepted line is audited" \
	    audit_has 'action="cli resources check"'
	check "[$term] exit is audited" audit_has 'action="prompt exit"'
	keys 0
	wait_for "EXITED=0" >/dev/null
done

# Idle logout from inside the prompt.
make_root "$(printf '[console]\nidle_timeout = 2\n')"
printf '[console]\nidle_timeout = 2\n[modules]\nhide = network proxy connectivity\n' \
    >"$TROOT/etc/appliance-console/console.conf"
start vt100
wait_for "3  Command prompt" >/dev/null
keys 3
check "the idle timeout logs out from the prompt too" \
    wait_for "Logged out after 2 seconds" 8
[ "$NFAIL" -eq 0 ]
