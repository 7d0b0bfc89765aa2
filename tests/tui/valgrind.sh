#!/bin/sh
# SPDX-License-Identifier: ISC
# A full TUI tour under valgrind: menu, navigation, module 300, a drop-in,
# Ctrl-C, resize, logout. Fails on any memory error or definite leak.
set -u
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	notok "the valgrind tour needs root for CONSOLE_ROOT: it cannot run"
	exit 1
fi
command -v valgrind >/dev/null || { notok "valgrind is not installed"; exit 1; }
make_root
VG="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --log-file=$TROOT/vg.log"
start vt100 "$VG"
check "menu under valgrind" wait_for "0  Exit" 20
keys Down; keys Up
keys 1
check "300 under valgrind" wait_for "300 System Resource Check" 20
keys PageDown; keys q
wait_for "0  Exit" 10 >/dev/null
keys 3
check "drop-in under valgrind" wait_for "Support information" 10
keys Enter
wait_for "0  Exit" 10 >/dev/null
keys C-c
tmux -L "$SOCK" resize-window -t t -x 70 -y 20 2>/dev/null
wait_for "Terminal too small" 10 >/dev/null
tmux -L "$SOCK" resize-window -t t -x 80 -y 24 2>/dev/null
wait_for "0  Exit" 10 >/dev/null
keys 0
check "the tour ends with exit status 0 (no valgrind error)" wait_for "EXITED=0" 20
check "valgrind: no errors" grep -q "ERROR SUMMARY: 0 errors" "$TROOT/vg.log"
check "valgrind: nothing definitely lost" sh -c \
    'grep -q "definitely lost: 0 bytes" "$1" || grep -q "no leaks are possible" "$1"' _ "$TROOT/vg.log"
grep -E "ERROR SUMMARY|definitely lost|in use at exit" "$TROOT/vg.log" | sed "s/^/# /"
[ "$NFAIL" -eq 0 ] || sed 's/^/# /' "$TROOT/vg.log" | tail -40
[ "$NFAIL" -eq 0 ]
