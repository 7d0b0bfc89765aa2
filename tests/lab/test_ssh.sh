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
	. "$(dirname "$0")/../lib/tap.sh"
	W=$2
	BIN=$3
	ADDR=$4
	PORT=2222
	mount --make-rprivate / || { notok "private mounts"; exit 1; }
	cp /etc/passwd /etc/shadow /etc/group "$W/" || exit 1
	uid=$(( $(cut -d: -f3 /etc/passwd | sort -n | tail -1) + 1 ))
	[ "$uid" -lt 60000 ] || uid=59999
	install -m 0755 "$BIN" "$W/appliance-console"
	echo "admin:x:$uid:$uid:Appliance admin:$W/home:$W/appliance-console" \
	    >>"$W/passwd"
	echo "admin:*:20000:0:99999:7:::" >>"$W/shadow"
	echo "admin:x:$uid:" >>"$W/group"
	mount --bind "$W/passwd" /etc/passwd &&
	mount --bind "$W/shadow" /etc/shadow &&
	mount --bind "$W/group" /etc/group &&
	mount -t tmpfs -o mode=0755 tmpfs /var/log || {
		notok "cannot bind the user database copies"; exit 1; }
	mkdir -p "$W/home" /var/log/appliance-console
	chown "$uid:$uid" "$W/home" /var/log/appliance-console
	[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$W/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -f "$W/client_key" || exit 1
	cp "$W/client_key.pub" "$W/authorized_keys"
	chmod 0644 "$W/authorized_keys"
	echo "[$ADDR]:$PORT $(cut -d' ' -f1-2 "$W/host_key.pub")" >"$W/known_hosts"
	# The lab's settings first; the shipped snippet (a Match block) last,
	# as sshd_config.d is included. No Subsystem line at all.
	{
		cat <<-EOF
		ListenAddress $ADDR:$PORT
		HostKey $W/host_key
		PidFile $W/sshd.pid
		AuthorizedKeysFile $W/authorized_keys
		UsePAM no
		StrictModes no
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PrintMotd no
		PrintLastLog no
		UseDNS no
		LogLevel VERBOSE
		EOF
		cat "$(dirname "$0")/../../etc/sshd_config.d/appliance-console.conf"
	} >"$W/sshd_config"
	/usr/sbin/sshd -t -f "$W/sshd_config" ||
	    { notok "sshd accepts the configuration with the snippet"; exit 1; }
	ok "sshd accepts the configuration with the snippet"
	/usr/sbin/sshd -D -f "$W/sshd_config" -E "$W/sshd.log" &
	sshd_pid=$!
	trap 'kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null' EXIT
	for _ in $(seq 50); do
		ss -ltn | grep -q "$ADDR:$PORT" && break
		sleep 0.1
	done

	S() { ssh -F none -i "$W/client_key" -o UserKnownHostsFile="$W/known_hosts" \
	    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
	    -p "$PORT" "$@"; }
	A=admin@$ADDR
	AUDIT=/var/log/appliance-console/audit.log

	out=$(S "$A" h 2>&1); rc=$?
	check "ssh admin 'h' exits 0" test "$rc" = 0
	check "ssh admin 'h' lists the commands" grep -q "^Commands:" <<<"$out"
	check "the console ran as the unprivileged admin" \
	    grep -q "user=admin .*action=\"cli h\" result=\"ok\"" "$AUDIT"
	out=$(S "$A" 'ip -br addr' 2>&1); rc=$?
	check "ssh admin 'ip -br addr' runs ip and exits 0" \
	    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "^eth0[@ ].*UP"' _ "$rc" "$out"
	out=$(S "$A" 'ping -c 1 -W 1 127.0.0.1' 2>&1); rc=$?
	check "an option outside the grammar exits 1" test "$rc" = 1
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
	check "rsync is refused" test "$rc" = 1
	out=$(echo 'ls /' | sftp -F none -i "$W/client_key" \
	    -o UserKnownHostsFile="$W/known_hosts" -o BatchMode=yes \
	    -P "$PORT" -b - "$A" 2>&1); rc=$?
	check "there is no sftp subsystem" sh -c '[ "$1" != 0 ] &&
	    echo "$2" | grep -qi "subsystem request failed"' _ "$rc" "$out"
	out=$(S -o ExitOnForwardFailure=yes -R 127.0.0.1:0:127.0.0.1:$PORT \
	    "$A" h 2>&1); rc=$?
	check "remote port forwarding is refused" sh -c '[ "$1" = 255 ] &&
	    echo "$2" | grep -qi "forwarding failed"' _ "$rc" "$out"
	out=$(S -W "127.0.0.1:$PORT" "$A" </dev/null 2>&1); rc=$?
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
lab_up_or_die --name ssh
W=$(mktemp -d /tmp/ac-ssh.XXXXXX)
chmod 0755 "$W"
trap 'rm -rf "$W"; lab_cleanup' EXIT
ip netns exec "$LAB_NS_APP" nsenter --uts="$LAB_UTS" -- \
    unshare -m bash "$0" --inner "$W" "$BIN" "$LAB_APP_ADDR"
