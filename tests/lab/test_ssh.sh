#!/bin/bash
# SPDX-License-Identifier: ISC
# A real sshd with etc/sshd_config.d/appliance-console.conf, in the lab's
# appliance namespace, and a real ssh login as an unprivileged "admin"
# whose login shell is the built console. The user exists only inside a
# private mount namespace (copies of /etc/passwd, /etc/shadow and
# /etc/group bound over the real ones, a tmpfs on /var/log for the audit
# log), so the host's user database is never touched and nothing is left
# behind. Checks: a command runs with its exit status, a shell and the
# file-transfer programs are refused, forwarding is refused, there is no
# sftp subsystem, and the audit log has every line.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

if [ "${1:-}" = --inner ]; then
	# In the appliance's network namespace and a private mount namespace.
	set -u
	. "$(dirname "$0")/lib.sh"
	ADDR=$4
	admin_inner "$2" "$3" "$ADDR"
	A=admin@$ADDR
	AUDIT=$ADMIN_AUDIT

	out=$(S "$A" h 2>&1); rc=$?
	check "ssh admin 'h' exits 0" test "$rc" = 0
	check "ssh admin 'h' lists the commands" grep -q "^Commands:" <<<"$out"
	check "the console ran as the unprivileged admin" \
	    grep -q "user=\"admin\" .*action=\"cli h\" result=\"ok\"" "$AUDIT"
	out=$(S "$A" 'ip -br addr' 2>&1); rc=$?
	check "ssh admin 'ip -br addr' runs ip and exits 0" \
	    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "^eth0[@ ].*UP"' _ "$rc" "$out"
	out=$(S "$A" 'ping -c 1 -W 1 127.0.0.1' 2>&1); rc=$?
	check "an option outside the grammar exits 1, naming it" \
	    sh -c '[ "$1" = 1 ] && echo "$2" | grep -qF "ping: '"'"'-W'"'"' is not allowed here"' \
	    _ "$rc" "$out"
	out=$(S "$A" sh 2>&1); rc=$?
	check "ssh admin 'sh' is refused with exit 1" \
	    sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "unknown command .sh."' \
	    _ "$rc" "$out"
	out=$(S "$A" 'id; sh' 2>&1); rc=$?
	check "ssh admin 'id; sh' is refused, naming ';'" \
	    sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "'"';'"' at position 3"' \
	    _ "$rc" "$out"
	out=$(S "$A" 'scp -t /tmp' 2>&1); rc=$?
	check "scp is refused" sh -c '[ "$1" = 1 ] &&
	    echo "$2" | grep -q "file transfer (scp)"' _ "$rc" "$out"
	out=$(S "$A" '/usr/lib/openssh/sftp-server' 2>&1); rc=$?
	check "sftp-server as a command is refused" sh -c '[ "$1" = 1 ] &&
	    echo "$2" | grep -q "file transfer"' _ "$rc" "$out"
	out=$(S "$A" 'rsync --server -e.Lsfx . /tmp' 2>&1); rc=$?
	check "rsync is refused" sh -c '[ "$1" = 1 ] &&
	    echo "$2" | grep -q "file transfer (rsync) is not available"' _ "$rc" "$out"
	out=$(echo 'ls /' | sftp -F none -i "$SSH_W/client_key" \
	    -o UserKnownHostsFile="$SSH_W/known_hosts" -o BatchMode=yes \
	    -P "$SSH_PORT" -b - "$A" 2>&1); rc=$?
	check "there is no sftp subsystem" sh -c '[ "$1" != 0 ] &&
	    echo "$2" | grep -qi "subsystem request failed"' _ "$rc" "$out"
	out=$(S -o ExitOnForwardFailure=yes -R 127.0.0.1:0:127.0.0.1:$SSH_PORT \
	    "$A" h 2>&1); rc=$?
	check "remote port forwarding is refused" sh -c '[ "$1" = 255 ] &&
	    echo "$2" | grep -qi "forwarding failed"' _ "$rc" "$out"
	out=$(S -W "127.0.0.1:$SSH_PORT" "$A" </dev/null 2>&1); rc=$?
	check "local (stdio) forwarding is refused" sh -c '[ "$1" != 0 ] &&
	    echo "$2" | grep -qi "prohibited"' _ "$rc" "$out"
	out=$(S -o SetEnv=LD_PRELOAD=/nonexistent.so "$A" version 2>&1); rc=$?
	check "an environment sent by the client is not accepted" \
	    sh -c '[ "$1" = 0 ] && ! echo "$2" | grep -qi "LD_PRELOAD"' \
	    _ "$rc" "$out"
	check "the refused lines are audited" \
	    grep -q 'action="-c id; sh" result="refused"' "$AUDIT"
	[ "$NFAIL" -eq 0 ]
	exit
fi

. "$(dirname "$0")/lib.sh"
admin_outer "$0" ssh
