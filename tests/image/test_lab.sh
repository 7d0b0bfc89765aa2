#!/bin/bash
# SPDX-License-Identifier: ISC
# The image lab leaves nothing behind: after `down`, after a start that
# fails (LAB_BREAK=appliance gives the image's sshd a configuration it
# refuses) and after its unshare is killed with SIGKILL, there is no
# namespace, no lab directory, no process of the appliance and no mount
# of the lab in the host's mount table; the appliance's own mounts were
# never in it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"

# nothing_of NAME DIR PIDS...: no trace of lab NAME (directory DIR).
nothing_of() {
	local name=$1 dir=$2 p
	shift 2
	ip netns list | grep -q "ac-\(app\|up\)-$name\b" && { echo "# a namespace is left"; return 1; }
	[ -z "$dir" ] || [ ! -e "$dir" ] || { echo "# $dir is left"; return 1; }
	[ -z "$dir" ] || ! grep -qF "$dir" /proc/self/mountinfo || { echo "# a mount is left"; return 1; }
	for p in "$@"; do
		[ -d "/proc/$p" ] && { echo "# process $p is left"; return 1; }
	done
	return 0
}
# procs_of ENVFILE: the appliance's PID 1 and every process in its netns.
procs_of() { ip netns pids "$(sed -n 's/^LAB_NS_APP=//p' "$1")" 2>/dev/null; }

img_up_or_die imglab
check "the appliance's PID 1 is in a PID namespace of its own" \
    test "$(readlink /proc/$LAB_APP_PID/ns/pid)" != "$(readlink /proc/self/ns/pid)"
check "and a mount namespace of its own" \
    test "$(readlink /proc/$LAB_APP_PID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
check "its root is an overlay" sh -c \
    'awk "\$5 == \"/\" { print \$9 }" "$1/proc/1/mountinfo" | grep -qx overlay' _ "$LAB_APP_ROOT"
check "the lab CA is in its trust store" \
    grep -qF "$(sed -n 2p "$LAB_CA")" "$LAB_APP_ROOT/etc/ssl/certs/ca-certificates.crt"
check "its host name is the lab's" test "$(img_run hostname)" = lab-appliance
pids=$(procs_of "$LAB_ENV")
dir=$LAB_DIR
bash "$LAB" down "$LAB_ENV"
check "down leaves no namespace, directory, mount or process" \
    nothing_of "$LAB_NAME" "$dir" $pids

# Names of this run's own (lab_name), never shared with another run.
BRK=$(lab_name imgbrk) KILLED=$(lab_name imgkill)
out=$(LAB_BREAK=appliance bash "$LAB" up --image --name "$BRK" 2>&1); rc=$?
check "a start whose sshd refuses its configuration fails" test "$rc" != 0
check "and says so" grep -q "the appliance exited at start" <<<"$out"
check "and leaves nothing" nothing_of "$BRK" ""

env=$(bash "$LAB" up --image --name "$KILLED") || { notok "lab up --image"; exit 1; }
LAB_ENVS+=("$env")
pids=$(procs_of "$env")
kill -KILL "$(cat "$(dirname "$env")/pid/appliance.pid")"
for _ in $(seq 30); do
	left=""
	for p in $pids; do
		[ -d "/proc/$p" ] && left="$left $p"
	done
	[ -z "$left" ] && break
	sleep 0.1
done
[ -z "$left" ] || ps -o pid,stat,comm -p ${left// /,} | sed 's/^/# /'
check "killing the appliance's unshare ends every process of the appliance" test -z "$left"
dir=$(dirname "$env")
bash "$LAB" down "$env"
check "and down then leaves nothing" nothing_of "$KILLED" "$dir" $pids
[ "$NFAIL" -eq 0 ]
