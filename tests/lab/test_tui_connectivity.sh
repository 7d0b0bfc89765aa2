#!/bin/bash
# SPDX-License-Identifier: ISC
# The 210 screen for real: the console in tmux at 80x24, inside the lab's
# appliance namespace, testing the configured targets (a progress line as
# each finishes, then the report in the viewer), a typed target, and a
# typed target refused by the form before anything runs. Then the 100
# screen: the proxy form (the password never on screen), saved, tested.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../tui/lib.sh"
rm -rf "$TROOT"
. "$(dirname "$0")/lib.sh"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; lab_cleanup' EXIT
command -v tmux >/dev/null || { notok "tmux is not installed"; exit 1; }

lab_up_or_die
# The console's files are the lab's: tui/lib.sh's start uses $TROOT.
TROOT=$LAB_ROOT
cp "$LAB_CA" "$LAB_ROOT/etc/appliance-console/lab-ca.pem"
cat >"$LAB_ROOT/etc/appliance-console/console.conf" <<EOF
[connectivity]
updates = https://updates.lab.example/ https://missing.lab.example/ https://updates.lab.example/delay/1500
ca_file = /etc/appliance-console/lab-ca.pem
EOF
IP=$(command -v ip)

# item_key LABEL: the menu's digit for LABEL (numbers shift as modules land).
item_key() { screen | sed -n "s/^.*\([0-9]\)  $1.*/\1/p" | head -1; }

start vt100 "$IP" netns exec "$LAB_NS_APP"
check "the menu lists 210" wait_for "  Test network connectivity"
K210=$(item_key "Test network connectivity")
K100=$(item_key "Proxy configuration")
keys "$K210"
check "210 asks for a target, empty for the configured ones" \
    wait_for "Target (blank: config)"
keys Enter
check "a progress line names each target as it finishes" wait_for "/3 " 5
check "the report shows the pass with its timings" \
    wait_for "PASSED https://updates.lab.example/ - DNS" 10
check "the report names the failing layer and the reason" \
    wait_for "FAILED https://missing.lab.example/ - DNS: missing.lab.example does"
check "the report ends with the counts" wait_for "2 passed, 1 failed"
keys q
check "q goes back to the menu" wait_for "0  Exit"

keys "$K210"
wait_for "Target (blank: config)" >/dev/null
keys -l "gopher://updates.lab.example/"
keys Enter
check "a gopher URL is refused in the form" \
    wait_for "'gopher://updates.lab.example/' is not a target: only http://"
keys Escape
check "Escape leaves the form" wait_for "0  Exit"

keys "$K210"
wait_for "Target (blank: config)" >/dev/null
keys -l "updates.lab.example:81"
keys Enter
check "a typed target is tested alone" \
    wait_for "TCP: updates.lab.example:81 refused the" 10
check "and counted alone" wait_for "0 passed, 1 failed"
keys q
wait_for "0  Exit" >/dev/null

PW=tui-Secret-77
keys "$K100"
check "100 opens the proxy form, type http by default" \
    wait_for "Type (http, socks5)    http"
keys Enter
keys -l "$LAB_UP_ADDR"
keys Enter
keys -l "8888"
keys Enter
keys -l "bob"
keys Enter
keys -l "$PW"
check "the password is not shown as it is typed" \
    out_lacks "$PW" tmux -L "$SOCK" capture-pane -p -t t
keys Enter
keys -l "x_y"
keys Enter
check "a bad no-proxy entry is refused in the form" wait_for "is not a host name"
keys BSpace BSpace BSpace
keys Enter
check "saved, the console offers a test" wait_for "Proxy saved. Test it now?"
keys Left
keys Enter
check "the proxy test names the proxy and passes" \
    wait_for "Proxy http $LAB_UP_ADDR:8888: reachable, credentials accepted" 10
check "and the report is through it" wait_for "Through proxy http $LAB_UP_ADDR:8888"
check "the password is nowhere on the screen" \
    out_lacks "$PW" tmux -L "$SOCK" capture-pane -p -t t
keys q
wait_for "0  Exit" >/dev/null
pw_only_in_env() {
	local e=$LAB_ROOT/etc/appliance-console
	grep -qF "$PW" "$e/proxy.env" && [ "$(stat -c %a "$e/proxy.env")" = 600 ] &&
	    lacks "$e/proxy.conf" "$PW"
}
check "the helper wrote the password only to the root-only file" pw_only_in_env
keys 0
check "0 logs out" wait_for "EXITED=0"
check "the audit log has the 210 screen" \
    audit_has 'action="menu 210 connectivity"'
