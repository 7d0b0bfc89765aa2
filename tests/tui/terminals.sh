#!/bin/sh
# SPDX-License-Identifier: ISC
# The terminals the console meets on its consoles: vt100 (the serial
# console, ttyS0 at 9600 baud), linux (the hypervisor console, tty1) and a
# terminal without line drawing (xterm-r5: no acsc). Golden screens of the
# menu and of a CDK viewer's frame for vt100 and linux (REGEN=1 rewrites
# them); ASCII borders where terminfo has no acsc and with borders =
# ascii; colour on linux only, never with NO_COLOR or colour = never;
# Ctrl-L repaints the menu, a CDK viewer and the prompt (ptyrun counts the
# bytes); the ESC delay of console.conf; the selection on a 9600 baud line
# costs a few bytes a key.
set -u
. "$(dirname "$0")/lib.sh"

tui_need_root "tui tests need root for CONSOLE_ROOT"
PTYRUN=$TOP/build/tests/ptyrun
[ -x "$PTYRUN" ] || { notok "$PTYRUN missing (make)"; exit 1; }
GOLD=$TOP/tests/tui/golden
VIEW="System Resource Check"

# The header's machine facts and the viewer's figures are masked: the
# frame, the title and the menu are what is compared.
mask_menu() { sed -e 's/^ Host: .*/ Host: <masked>/' -e 's/^ Gateway: .*/ Gateway: <masked>/'; }
mask_view() { sed -e '/^[x|]/s/^\(.\).*\(.\)$/\1<masked>\2/'; }
golden() {	# golden NAME FILE
	golden_check "$1 matches its golden screen" "$2" "$GOLD/$1"
}
corner() { screen | head -n 1 | cut -c1; }

for term in vt100 linux; do
	make_root
	start "$term"
	wait_for "0  Exit" >/dev/null
	screen | mask_menu >"$TROOT/menu.txt"
	golden "terminals-menu-$term.txt" "$TROOT/menu.txt"
	keys 1
	check "[$term] 1 opens the viewer" wait_for "$VIEW"
	sleep 0.3
	screen | mask_view >"$TROOT/view.txt"
	golden "terminals-view-$term.txt" "$TROOT/view.txt"
	# tmux shows a cell of the alternate character set by its VT100
	# code: l is the upper left corner drawn with line drawing.
	check "[$term] the viewer's box is line drawing (acsc)" test "$(corner)" = "l"
	keys C-l
	sleep 0.3
	check "[$term] Ctrl-L in the viewer keeps it" wait_for "$VIEW"
	keys q
	check "[$term] q goes back to the menu" wait_for "0  Exit"
	keys 0
done

# No acsc in terminfo: ncurses' ASCII, CDK's boxes too.
make_root
start xterm-r5
wait_for "0  Exit" >/dev/null
keys 1
wait_for "$VIEW" >/dev/null
sleep 0.3
check "[xterm-r5, no acsc] the viewer's box is ASCII" test "$(corner)" = "+"
keys q
keys 0

# borders = ascii on a terminal that has line drawing.
make_root "[console]
borders = ascii"
start linux
wait_for "0  Exit" >/dev/null
keys 1
wait_for "$VIEW" >/dev/null
sleep 0.3
check "[linux, borders = ascii] the viewer's box is ASCII" test "$(corner)" = "+"
check "[linux, borders = ascii] its sides are | and -" \
    sh -c 'echo "$1" | sed -n 2p | grep -q "^|" && echo "$1" | head -n 1 | grep -q "^+-"' _ "$(screen)"
keys q
keys 0

# Colour: the title in colour on linux; not on vt100, nor with NO_COLOR or
# colour = never. capture-pane -e shows the attributes as SGR sequences.
title_colour() { tmux -L "$SOCK" capture-pane -e -p -t t | head -n 1 | grep -q '\[[0-9;]*3[0-7]m\|\[[0-9;]*36'; }
make_root
start linux
wait_for "0  Exit" >/dev/null
check "[linux] the title is in colour" title_colour
keys 0
make_root
start vt100
wait_for "0  Exit" >/dev/null
check "[vt100] no colour" sh -c '! tmux -L "$1" capture-pane -e -p -t t | grep -q "\[[0-9;]*3[0-7]m"' _ "$SOCK"
keys 0
make_root
start linux NO_COLOR=1
wait_for "0  Exit" >/dev/null
check "[linux, NO_COLOR=1] no colour" sh -c '! tmux -L "$1" capture-pane -e -p -t t | grep -q "\[[0-9;]*3[0-7]m"' _ "$SOCK"
keys 0
make_root "[console]
colour = never"
start linux
wait_for "0  Exit" >/dev/null
check "[linux, colour = never] no colour" sh -c '! tmux -L "$1" capture-pane -e -p -t t | grep -q "\[[0-9;]*3[0-7]m"' _ "$SOCK"
keys 0

# Bytes, with ptyrun on a pty: field NAME of one run.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
run() { "$PTYRUN" -e CONSOLE_ROOT="$TROOT" "$@" -- "$BIN" 2>/dev/null; }
make_root
out=$(run -t vt100 -b 9600 -k down,down,up)
echo "# vt100 at 9600 baud: $out"
check "[vt100, 9600 baud] one DOWN in the menu is at most 24 bytes" \
    test "$(field "$out" key1_bytes)" -le 24
out=$(run -t vt100 -k x0c)
check "[vt100] Ctrl-L repaints the whole menu ($(field "$out" key1_bytes) bytes)" \
    test "$(field "$out" key1_bytes)" -gt 300
out=$(run -t vt100 -k 1,x0c)
check "[vt100] Ctrl-L repaints the whole viewer ($(field "$out" key2_bytes) bytes)" \
    test "$(field "$out" key2_bytes)" -gt 1000
TUI_HIDE="network proxy connectivity audit" make_root
out=$(run -t vt100 -k 3,x0c)
check "[vt100] Ctrl-L at the prompt clears and redraws it ($(field "$out" key2_bytes) bytes)" \
    test "$(field "$out" key2_bytes)" -gt 3

# The ESC delay: Esc alone closes the viewer after escape_delay_ms.
make_root "[console]
escape_delay_ms = 1500"
out=$(run -t vt100 -q 2500 -k 1,esc)
ms=$(field "$out" key2_ms)
check "[escape_delay_ms = 1500] Esc alone waits 1.5 s ($ms ms)" \
    awk -v m="$ms" 'BEGIN { exit !(m >= 1400 && m < 2500) }'
make_root "[console]
escape_delay_ms = 10"
out=$(run -t vt100 -k 1,esc)
ms=$(field "$out" key2_ms)
check "[escape_delay_ms = 10] Esc alone answers at once ($ms ms)" \
    awk -v m="$ms" 'BEGIN { exit !(m < 300) }'

[ "$NFAIL" -eq 0 ]
