#!/bin/sh
# SPDX-License-Identifier: ISC
# The UI facade's form at 80x24: each field's validator speaks when the
# field is left, a bad value keeps the cursor there and changes nothing,
# Enter on the last field applies only when all are valid (a blank
# optional field is not validated, a value in it is); then the
# confirmation (No by default) and a message box.
set -u
. "$(dirname "$0")/lib.sh"
BIN=$TOP/${FIXTURE_DIR:-build/tests}/fixture_form
[ -x "$BIN" ] || { notok "fixture $BIN missing"; exit 1; }

for term in vt100 xterm-256color; do
	make_root
	start "$term"
	check "[$term] the form shows its title and labels" wait_for "Fixture form"
	check "[$term] the port field has its initial value" wait_for "443"
	keys -l "300.1.1.1"
	keys Enter
	check "[$term] a bad address is refused with a sentence" \
	    wait_for "'300.1.1.1' is not an IPv4 address: 300 is out of range (0 to 255)"
	# Changed, so that only a new refusal can show the text waited for
	# (the first one's message is still on the screen).
	keys -l 9
	keys Enter
	check "[$term] Enter again still refuses it" \
	    wait_for "'300.1.1.19' is not an IPv4 address"
	keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
	keys -l "192.0.2.7"
	keys Enter
	check "[$term] a good address clears the message" wait_gone "is not an IPv4"
	keys BSpace BSpace BSpace
	keys -l "99999"
	keys Enter
	# Not the value just typed (it is on the screen already): the sentence.
	check "[$term] a port out of range is refused, naming the range" \
	    wait_for "'99999' is not a port: it is out of range (1 to 65535)"
	keys BSpace BSpace BSpace BSpace BSpace
	keys -l "8080"
	keys Enter
	check "[$term] an optional field says what blank means" \
	    wait_for "Gateway (blank: none)"
	keys -l "junk"
	keys Enter
	check "[$term] an optional field still validates a value" \
	    wait_for "is not an IPv4 address"
	keys BSpace BSpace BSpace BSpace
	keys Enter
	check "[$term] OK leads to the confirmation" wait_for "Apply this address?"
	keys Enter
	check "[$term] No is the default" wait_for "The form is done."
	keys Enter
	check "[$term] values are returned, confirmation refused" \
	    wait_for "form=0 addr=192.0.2.7 port=8080 confirm=0 message=0"
	check "[$term] a blank optional field is accepted blank" \
	    wait_for "message=0 gw=[]"

	start "$term"
	wait_for "Fixture form" >/dev/null
	keys Escape
	check "[$term] Escape cancels the form, values unchanged" \
	    wait_for "form=-1 addr= port=443 confirm=-9"
done
[ "$NFAIL" -eq 0 ]
