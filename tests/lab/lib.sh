# SPDX-License-Identifier: ISC
# Helpers for tests that run against a lab (lab.sh): bring one up or stop
# with a "not ok" line, tear it down on any exit, and run things in its
# namespaces. Sourced by tests/lab/test_*.sh (bash).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
LAB=$TOP/tests/lab/lab.sh
BIN=${CONSOLE_BIN:-$TOP/build/appliance-console}
case $BIN in /*) ;; *) BIN=$TOP/$BIN ;; esac
PY=/usr/bin/python3
. "$TOP/tests/lib/tap.sh"
LAB_ENVS=()
# Every lab of this run gets a name of its own (the given name's first
# four characters and four random ones), so that two runs of the same test
# on one machine never share, reuse or tear down each other's lab.
LAB_RUN=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
lab_name() { printf '%.4s%s' "$1" "$LAB_RUN"; }

lab_cleanup() {
	local e
	for e in "${LAB_ENVS[@]}"; do
		bash "$LAB" down "$e" >/dev/null 2>&1
	done
	return 0
}
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# lab_up_or_die [--name NAME] [lab.sh up options]: a lab whose LAB_*
# variables are set in this shell (NAME made unique by lab_name, else a
# random one); removed when the test exits, however it exits. Without root,
# or when the lab cannot come up, a "not ok" line and exit 1: a lab test
# that cannot run fails, it never passes by saying nothing.
lab_up_or_die() {
	local env args=()
	if [ "$(id -u)" != 0 ]; then
		notok "the lab needs root: $(basename "$0") cannot run"
		exit 1
	fi
	while [ $# -gt 0 ]; do
		case $1 in
		--name) args+=(--name "$(lab_name "$2")"); shift 2 ;;
		*) args+=("$1"); shift ;;
		esac
	done
	env=$(bash "$LAB" up "${args[@]}") || { notok "lab up ${args[*]}"; exit 1; }
	LAB_ENVS+=("$env")
	# shellcheck disable=SC1090 # the lab's own env file
	. "$env"
}

# in_app CMD...: CMD in the appliance namespace, with the lab's root.
in_app() { CONSOLE_ROOT=$LAB_ROOT ip netns exec "$LAB_NS_APP" \
    nsenter --uts="$LAB_UTS" -- "$@"; }
# app_exec CMD...: become CMD in the appliance (exec all the way down),
# for "( app_exec CMD ) &": then $! is CMD itself, and kill -9 "$!" kills
# CMD, not a shell that was waiting for it.
app_exec() { CONSOLE_ROOT=$LAB_ROOT exec ip netns exec "$LAB_NS_APP" \
    nsenter --uts="$LAB_UTS" -- "$@"; }
# in_up CMD...: CMD in the upstream namespace.
in_up() { ip netns exec "$LAB_NS_UP" "$@"; }
# console ARGS...: the console's CLI in the appliance, as root.
console() { in_app env -i TERM=vt100 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    CONSOLE_ROOT="$LAB_ROOT" "$BIN" "$@"; }
probe() { in_app "$PY" -I "$LAB_PROBE" "$@"; }
lab_audit_has() { grep -qF -- "$1" "$LAB_ROOT/var/log/appliance-console/audit.log"; }
# out_has TEXT CMD...: CMD's stdout contains the line-part TEXT.
out_has() {
	local want=$1 out
	shift
	out=$("$@" 2>&1)
	case $out in
	*"$want"*) return 0 ;;
	esac
	echo "# wanted '$want', got:"
	printf '%s\n' "$out" | sed 's/^/# | /' | head -20
	return 1
}
# says STATUS TEXT CMD...: CMD exits with STATUS and its output holds TEXT.
says() {
	local status=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	case $out in
	*"$want"*) [ "$rc" = "$status" ] && return 0 ;;
	esac
	echo "# wanted '$want' and status $status, got $rc:"
	printf '%s\n' "$out" | sed 's/^/# | /' | head -20
	return 1
}
# status_is STATUS CMD...: CMD exits with STATUS.
status_is() {
	local want=$1
	shift
	"$@" >/dev/null 2>&1
	[ $? = "$want" ]
}

# The admin user's side of the lab, for tests that log in as an unprivileged
# "admin" whose login shell is the built console (test_ssh.sh and
# tests/security/run.sh). Both run in the appliance's network namespace and
# a private mount namespace (unshare -m), so the copies of the user
# database bound over /etc and the tmpfs on /var/log vanish with the test.

# admin_user W BIN: the user "admin" (ADMIN_UID), home W/home, login shell
# a copy of BIN at W/appliance-console, an empty audit log directory.
admin_user() {
	local w=$1 bin=$2
	mount --make-rprivate / || return 1
	cp /etc/passwd /etc/shadow /etc/group "$w/" || return 1
	ADMIN_UID=$(( $(cut -d: -f3 /etc/passwd | sort -n | tail -1) + 1 ))
	[ "$ADMIN_UID" -lt 60000 ] || ADMIN_UID=59999
	install -m 0755 "$bin" "$w/appliance-console" || return 1
	echo "admin:x:$ADMIN_UID:$ADMIN_UID:Appliance admin:$w/home:$w/appliance-console" \
	    >>"$w/passwd"
	echo "admin:*:20000:0:99999:7:::" >>"$w/shadow"
	echo "admin:x:$ADMIN_UID:" >>"$w/group"
	mount --bind "$w/passwd" /etc/passwd &&
	mount --bind "$w/shadow" /etc/shadow &&
	mount --bind "$w/group" /etc/group &&
	mount -t tmpfs -o mode=0755 tmpfs /var/log || return 1
	mkdir -p "$w/home" /var/log/appliance-console
	: >/var/log/appliance-console/audit.log
	chown "$ADMIN_UID:$ADMIN_UID" "$w/home" /var/log/appliance-console \
	    /var/log/appliance-console/audit.log
	ADMIN_AUDIT=/var/log/appliance-console/audit.log
}

# admin_sshd W ADDR PORT: a real sshd on ADDR:PORT with the lab's settings
# first and the shipped snippet (a Match block) last, as sshd_config.d is
# included; no Subsystem line at all. The main part accepts every variable
# a client sends ("AcceptEnv *", broader than any image): the snippet must
# narrow it for admin. Sets SSHD_PID; S (below) logs in with the client key.
admin_sshd() {
	local w=$1 addr=$2 port=$3
	[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$w/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -f "$w/client_key" || return 1
	cp "$w/client_key.pub" "$w/authorized_keys"
	chmod 0644 "$w/authorized_keys"
	echo "[$addr]:$port $(cut -d' ' -f1-2 "$w/host_key.pub")" >"$w/known_hosts"
	{
		cat <<-EOF
		ListenAddress $addr:$port
		HostKey $w/host_key
		PidFile $w/sshd.pid
		AuthorizedKeysFile $w/authorized_keys
		UsePAM no
		StrictModes no
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PrintMotd no
		PrintLastLog no
		UseDNS no
		LogLevel VERBOSE
		AcceptEnv *
		EOF
		cat "$TOP/etc/sshd_config.d/appliance-console.conf"
	} >"$w/sshd_config"
	/usr/sbin/sshd -t -f "$w/sshd_config" || return 1
	/usr/sbin/sshd -D -f "$w/sshd_config" -E "$w/sshd.log" &
	SSHD_PID=$!
	for _ in $(seq 50); do
		ss -ltn | grep -q "$addr:$port" && return 0
		sleep 0.1
	done
	return 1
}

# S SSH-ARGS...: ssh with the client key to the sshd of admin_sshd.
S() { ssh -F none -i "$SSH_W/client_key" -o UserKnownHostsFile="$SSH_W/known_hosts" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
    -p "$SSH_PORT" "$@"; }

# admin_inner W BIN ADDR: the start of a test's --inner half: the admin
# user and the sshd on ADDR:2222 (SSH_W, SSH_PORT for S), sshd stopped on
# exit; "not ok" and exit 1 when either cannot be made.
admin_inner() {
	SSH_W=$1
	BIN=$2
	SSH_PORT=2222
	trap - EXIT
	admin_user "$SSH_W" "$BIN" ||
	    { notok "cannot bind the user database copies"; exit 1; }
	admin_sshd "$SSH_W" "$3" "$SSH_PORT" ||
	    { notok "sshd accepts the configuration with the snippet"; exit 1; }
	ok "sshd accepts the configuration with the snippet"
	trap 'kill "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null' EXIT
}

# admin_outer SCRIPT NAME: a lab called NAME and a work directory, then
# "SCRIPT --inner W BIN ADDR" in the appliance's network and UTS
# namespaces and a private mount namespace; its status.
admin_outer() {
	lab_up_or_die --name "$2"
	W=$(mktemp -d "/tmp/ac-$2.XXXXXX")
	chmod 0755 "$W"
	trap 'rm -rf "$W"; lab_cleanup' EXIT
	ip netns exec "$LAB_NS_APP" nsenter --uts="$LAB_UTS" -- \
	    unshare -m bash "$1" --inner "$W" "$BIN" "$LAB_APP_ADDR"
}

# The image lab (lab.sh up --image): the appliance is the Debian image with
# the package installed, and tests reach it as a user would, over ssh.

# img_up_or_die NAME: an image lab called NAME, its LAB_* variables set
# here; removed when the test exits. Without root or without an image
# this is a failure, never a skip.
img_up_or_die() {
	local env
	[ "$(id -u)" = 0 ] || { notok "the image tier needs root"; exit 1; }
	env=$(bash "$LAB" up --image --name "$(lab_name "$1")") ||
	    { notok "lab up --image (the image or its boot failed)"; exit 1; }
	LAB_ENVS+=("$env")
	# shellcheck disable=SC1090 # the lab's own env file
	. "$env"
	IMG_AUDIT=$LAB_APP_ROOT/var/log/appliance-console/audit.log
	IMG_ADMIN=admin@$LAB_APP_ADDR
}
# img_run CMD...: CMD as root inside the appliance (its namespaces and root).
img_run() { bash "$LAB" run "$LAB_ENV" -- "$@"; }
# img_ssh SSH-ARGS...: ssh from the upstream with the lab's key for admin.
img_ssh() { bash "$LAB" ssh "$LAB_ENV" "$@"; }
