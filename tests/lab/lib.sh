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

# lab_up_or_die [lab.sh up options]: a lab whose LAB_* variables are set
# in this shell; removed when the test exits, however it exits.
lab_up_or_die() {
	local env
	if [ "$(id -u)" != 0 ]; then
		echo "# the lab needs root; skipped"
		exit 0
	fi
	env=$(bash "$LAB" up "$@") || { notok "lab up $*"; exit 1; }
	LAB_ENVS+=("$env")
	# shellcheck disable=SC1090 # the lab's own env file
	. "$env"
}

# in_app CMD...: CMD in the appliance namespace, with the lab's root.
in_app() { CONSOLE_ROOT=$LAB_ROOT ip netns exec "$LAB_NS_APP" \
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
