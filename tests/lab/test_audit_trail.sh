#!/bin/bash
# SPDX-License-Identifier: ISC
# The chained trail written by real processes in a temporary system root
# (root, no namespaces needed): two consoles and a helper run by hand
# append 1,000 records at once and audit verify finds one chain, every
# number once; the Audit screen (module 600) in tmux at 80x24 lists the
# records newest first, scrolls, and filters by a word.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../tui/lib.sh"
[ "$(id -u)" = 0 ] || { notok "needs root (CONSOLE_ROOT)"; exit 1; }
HELPERS=$(dirname "$BIN")/bin
LIBEXEC=$(sed -n 's/^#define LIBEXECDIR "\(.*\)"$/\1/p' \
    "$(dirname "$BIN")/build-paths.h")
TRAIL=$TROOT/var/log/appliance-console/trail.log

TUI_HIDE="network connectivity prompt" make_root
mkdir -p "$TROOT$LIBEXEC"
for h in proxy audit; do
	ln -s "$HELPERS/console-helper-$h" "$TROOT$LIBEXEC/"
done
cli() { env -i CONSOLE_ROOT="$TROOT" "$BIN" -c "$1"; }

# --- 1,000 records from three writers at once --------------------------------
writer_console() {
	local i
	for i in $(seq "$1"); do
		cli 'proxy remove' >/dev/null 2>"$TROOT/err.$BASHPID" ||
		    { sed "s/^/# console: /" "$TROOT/err.$BASHPID"; return 1; }
	done
}
writer_helper() {
	local i
	for i in $(seq "$1"); do
		env -i CONSOLE_ROOT="$TROOT" "$HELPERS/console-helper-proxy" \
		    remove >/dev/null 2>&1 || return 1
	done
}
writer_console 333 & p1=$!
writer_console 333 & p2=$!
writer_helper 334 & p3=$!
ok1=0
wait $p1 || ok1=1
wait $p2 || ok1=1
wait $p3 || ok1=1
check "two consoles and a helper wrote 1,000 changes at once" test "$ok1" = 0
check "the trail has 1,000 records" test "$(wc -l <"$TRAIL")" = 1000
check "each number 1..1000 once" \
    test "$(sed -n 's/^seq="\([0-9]*\)".*/\1/p' "$TRAIL" | sort -n | uniq | wc -l)" = 1000
out=$(cli 'audit verify --json' 2>&1); rc=$?
check "audit verify: one valid chain of 1,000 records" \
    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "\"ok\":true,\"problem\":\"ok\",\"records\":1000,"' _ "$rc" "$out"
[ "$rc" = 0 ] || printf '# | %s\n' "$out"
check "the console's records name no helper (the trail is the helpers')" \
    sh -c '! grep -q "action=\"cli proxy remove\"" "$1"' _ "$TRAIL"

# --- a deleted line in a copy the verify helper is pointed at ---------------
cp "$TRAIL" "$TROOT/trail.keep"
sed -i '500d' "$TRAIL"
out=$(cli 'audit verify' 2>/dev/null); rc=$?
check "line 500 deleted: exit 2, records 500 to 500 named" \
    sh -c '[ "$1" = 2 ] && echo "$2" | grep -q "records 500 to 500 are missing (deleted)"' _ "$rc" "$out"
cp "$TROOT/trail.keep" "$TRAIL"

# --- the Audit screen --------------------------------------------------------
writer_console 1 >/dev/null
start vt100
wait_for "Audit trail" 5
key=$(screen | sed -n 's/^ *\([1-9]\)[ .)]* *Audit trail.*/\1/p' | head -1)
check "module 600 is in the menu" test -n "$key"
keys "$key"
check "the Audit screen asks for a filter" wait_for "Filter" 5
keys Enter
check "it lists the 1,001 records, newest first" wait_for "1001 records, newest first" 5
first=$(screen | grep -m1 -E '^.*proxy remove: ok' || true)
check "... the first line a proxy change" test -n "$first"
keys NPage
check "PageDown scrolls (the count line goes)" wait_gone "records, newest first" 3
keys Escape
check "Escape goes back to the filter" wait_for "Filter" 5
keys Escape
wait_for "Exit" 5
keys "$key"
wait_for "Filter" 5
sleep 0.3
keys "nomatch" Enter
check "a word nothing has: 0 records" wait_for "0 records with nomatch" 5
keys Escape
wait_for "Filter" 5
sleep 0.3
keys Escape
check "back to the menu" wait_for "Exit" 5
keys 0
check "the menu choice is in the console's log" audit_has 'action="menu 600 audit"'
[ "$NFAIL" -eq 0 ]
