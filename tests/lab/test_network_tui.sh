#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 200 in the real terminal at 80x24, inside the lab: the static-IP
# form with its field validation, the before/after preview, the countdown,
# and keeping the change with C; then a change left to expire.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../tui/lib.sh"
. "$(dirname "$0")/lib.sh"
trap 'tui_cleanup; lab_cleanup' EXIT

lab_up_or_die
printf '[network]\nconfirm_timeout = 10\n' \
    >"$LAB_ROOT/etc/appliance-console/console.conf"
# The tmux pane runs the console inside the lab's namespaces.
TROOT=$LAB_ROOT
for term in vt100 xterm-256color; do
	start "$term" ip netns exec "$LAB_NS_APP" nsenter --uts="$LAB_UTS" --
	check "[$term] the main menu lists module 200" \
	    wait_for "Network configuration"
	# Its key, whatever the modules before it.
	keys "$(screen | sed -n 's/.* \([0-9]\)  Network configuration.*/\1/p')"
	check "[$term] 200 opens its own menu" wait_for "Configure a static IP"
	keys 2
	check "[$term] the static-IP form" wait_for "Addresses (ADDR/PREFIX"
	keys Enter
	keys -l "192.0.2.0/24"
	keys Enter
	check "[$term] a network address is refused in the form" \
	    wait_for "is the network address of its"
	for _ in $(seq 12); do keys BSpace; done
	keys -l "192.0.2.33/24"
	keys Enter
	keys -l "192.0.2.1"
	keys Enter Enter Enter Enter Enter
	check "[$term] the preview shows before and after" \
	    wait_for "-> static 192.0.2.33/24 gateway 192.0.2.1"
	keys Left Enter
	check "[$term] the countdown screen" wait_for "Rolled back in"
	check "[$term] the change is live" \
	    out_has "192.0.2.33/24" in_app ip -4 -o addr show dev eth0
	keys c
	check "[$term] C keeps it" wait_for "Confirmed and saved"
	check "[$term] and it is saved" grep -q "address = 192.0.2.33/24" \
	    "$LAB_ROOT/etc/appliance-console/network.conf"
	keys Enter
	# Put the lab's address back, and let this one expire.
	keys 2
	wait_for "Addresses (ADDR/PREFIX" >/dev/null
	keys Enter
	keys -l "192.0.2.10/24"
	keys Enter
	keys -l "192.0.2.1"
	keys Enter Enter Enter Enter Enter
	wait_for "-> static 192.0.2.10/24" >/dev/null
	keys Left Enter
	wait_for "Rolled back in" >/dev/null
	check "[$term] the trial change is live during its countdown" \
	    out_has "192.0.2.10/24" in_app ip -4 -o addr show dev eth0
	check "[$term] unconfirmed, the countdown ends in a rollback" \
	    wait_for "not confirmed in time" 15
	sleep 1
	check "[$term] the confirmed address is back" \
	    out_has "192.0.2.33/24" in_app ip -4 -o addr show dev eth0
	keys Enter
	# Leave it as the lab had it, confirmed, for the next terminal.
	console network set eth0 static 192.0.2.10/24 --gateway 192.0.2.1 \
	    >/dev/null 2>&1
	console network confirm >/dev/null 2>&1
done
[ "$NFAIL" -eq 0 ]
