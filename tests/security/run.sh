#!/bin/bash
# SPDX-License-Identifier: ISC
# The escape suite: every line of attacks.txt sent to the built console as
# the unprivileged "admin" of the lab (a real sshd with the shipped
# snippet, the -c path run directly, the prompt of item 500 on a real
# pseudo-terminal), each checked for canaries and for its audit record by
# attack.py. The canaries, made here:
#   can/          world-writable; any file appearing in it is an escape
#   evil          a program that writes id's output into can/ (the target
#                 of every "run this file" attack: --modprobe, -batch, -P ...)
#   evil.so       a shared object whose constructor writes into can/
#   evilbin/      sh, ip, ping, groff, less, id ... all the evil program: the
#                 PATH of the hostile environment
#   evilrc        a shell start-up file that writes into can/ (BASH_ENV, ENV)
#   secret        root-only (0600), a random secret: never in any output
# attack.py first fires each canary on purpose through a real /bin/sh as
# admin and checks that its verdict sees it. canaries.sh makes them (shared
# with tests/image/test_escape.sh, the same suite against the image).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

if [ "${1:-}" = --inner ]; then
	# In the appliance's network namespace and a private mount namespace.
	set -u
	. "$(dirname "$0")/../lab/lib.sh"
	W=$2
	ADDR=$4
	admin_inner "$W" "$3" "$ADDR"

	. "$(dirname "$0")/canaries.sh"
	make_canaries "$W" "$ADMIN_UID"

	/usr/bin/python3 -I "$(dirname "$0")/attack.py" \
	    attacks="$(dirname "$0")/attacks.txt" w="$W" can="$W/can" \
	    secret="$W/secret" evil="$W/evil" evilso="$W/evil.so" \
	    evilbin="$W/evilbin" evilrc="$W/evilrc" uid="$ADMIN_UID" \
	    console="$W/appliance-console" home="$W/home" audit="$ADMIN_AUDIT" \
	    addr="$ADDR" port="$SSH_PORT" key="$W/client_key" \
	    known_hosts="$W/known_hosts"
	exit
fi

. "$(dirname "$0")/../lab/lib.sh"
[ -x "$BIN" ] || { notok "no console at $BIN (run make)"; exit 1; }
start=$(date +%s)
admin_outer "$0" sec
rc=$?
echo "# security tier: $(( $(date +%s) - start )) s"
exit "$rc"
