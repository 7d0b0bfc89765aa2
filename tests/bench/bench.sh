#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The benchmark: measures the console's main menu against dialog and
# whiptail showing the same six items, each on an 80x24 pseudo-terminal
# driven by ptyrun: time to the first full paint, bytes to paint and per
# DOWN keystroke, the same at an emulated 9600 baud line as a serial user
# sees it, peak RSS, and the wall time of the non-interactive resource
# check. Every figure is the median of several runs, the programs taking
# turns within each run so that they see the same machine load. It prints
# the figures with an ok/over mark against each target and a Markdown copy
# of the table; it never fails on a figure, only when it cannot measure.
#
# The console runs as root inside the lab (tests/lab/lab.sh) when the lab
# is there and comes up, else on the host; dialog and whiptail always run
# on the host. Either way the console reads a private system root
# (CONSOLE_ROOT) holding the shipped console.conf and, for the modules not
# built yet, stand-in drop-ins, so that its menu has the same six items.
# `make bench` builds first; this script builds nothing.
#
# Usage: bench.sh [--host | --lab] [-n runs]
#   --host  the console on the host even when the lab works
#   --lab   the console in the lab, or exit 1 when the lab does not work
#   -n      runs per figure (7); the resource check runs 21 times
# Environment: B (build dir), CONSOLE_BIN, PTYRUN, LAB_SH override paths.

# make runs this with sh; the timing needs bash's $EPOCHREALTIME.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB_SH=${LAB_SH:-$ROOT/tests/lab/lab.sh}
B=${B:-build}
case $B in
/*)	;;
*)	B=$ROOT/$B ;;
esac
PTYRUN=${PTYRUN:-$B/tests/ptyrun}
CONSOLE=${CONSOLE_BIN:-$B/appliance-console}
case $CONSOLE in
/*)	;;
*)	CONSOLE=$ROOT/$CONSOLE ;;
esac
DIALOG=/usr/bin/dialog
WHIPTAIL=/usr/bin/whiptail
RUNS=7
CHECK_RUNS=21

# check_times N CONSOLE CROOT: N wall times of "resources check --json" in
# ms, one a line, then "rc=STATUS" of the last. The clock is read by this
# shell around the fork and exec, so bash's own start-up is not in it.
# Called in-process on the host, or as "bench.sh --check-times" in the lab.
check_times() {
	local i t0 t1 rc=0
	for ((i = 0; i < $1; i++)); do
		t0=$EPOCHREALTIME
		CONSOLE_ROOT=$3 "$2" resources check --json >/dev/null 2>&1
		rc=$?
		t1=$EPOCHREALTIME
		# Microseconds: drop the decimal point, whatever the locale's.
		t0=${t0//[!0-9]/}
		t1=${t1//[!0-9]/}
		printf '%d.%02d\n' $(((t1 - t0) / 1000)) \
		    $(((t1 - t0) % 1000 / 10))
	done
	echo "rc=$rc"
}

if [ "${1:-}" = --check-times ]; then
	[ $# -eq 4 ] || { echo "bench.sh: --check-times N CONSOLE CROOT" >&2; exit 2; }
	check_times "$2" "$3" "$4"
	exit 0
fi

MODE=auto
while [ $# -gt 0 ]; do
	case $1 in
	--host)	MODE=host ;;
	--lab)	MODE=lab ;;
	-n)	RUNS=${2:-}; shift ;;
	*)	echo "usage: bench.sh [--host | --lab] [-n runs]" >&2; exit 2 ;;
	esac
	shift
done
case $RUNS in
''|*[!0-9]*|0)	echo "bench.sh: -n wants a positive number" >&2; exit 2 ;;
esac

if [ ! -x "$PTYRUN" ]; then
	echo "bench.sh: $PTYRUN not built: run 'make bench'" >&2
	exit 1
fi

lab_env=
tmp=$(mktemp -d /tmp/ac-bench.XXXXXX) || exit 1
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$lab_env" ]; then
		sh "$LAB_SH" down "$lab_env" >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The console's private system root. Each stand-in drop-in carries the
# number of the module it stands for: the console hides a drop-in whose
# number a built-in module has, so a real module replaces its stand-in.
croot=$tmp/root
mkdir -p "$croot/etc/appliance-console/commands.d" \
    "$croot/var/log/appliance-console" "$croot/var/lib/appliance-console"
: >"$croot/var/log/appliance-console/audit.log"
cp "$ROOT/etc/console.conf" "$croot/etc/appliance-console/console.conf"
for name in 100-proxy-configuration 200-network-configuration \
    210-test-network-connectivity 300-system-resource-check \
    400-system-time-management 500-command-prompt; do
	printf '#!/bin/sh\nexit 0\n' \
	    >"$croot/etc/appliance-console/commands.d/$name"
	chmod 755 "$croot/etc/appliance-console/commands.d/$name"
done

# Where the console runs: the lab when asked for or when it comes up.
where=host
why=
if [ "$MODE" != host ]; then
	if [ ! -f "$LAB_SH" ]; then
		why="tests/lab/lab.sh does not exist"
	elif ! lab_env=$(sh "$LAB_SH" up 2>"$tmp/lab.err") ||
	    [ -z "$lab_env" ]; then
		why="lab.sh up failed: $(tail -n 1 "$tmp/lab.err")"
		lab_env=
	elif ! sh "$LAB_SH" run "$lab_env" -- /bin/true \
	    >/dev/null 2>"$tmp/lab.err"; then
		why="lab.sh run failed: $(tail -n 1 "$tmp/lab.err")"
		sh "$LAB_SH" down "$lab_env" >/dev/null 2>&1
		lab_env=
	else
		where=lab
	fi
	if [ "$where" = host ] && [ "$MODE" = lab ]; then
		echo "bench.sh: --lab: $why" >&2
		exit 1
	fi
fi

MENU=(--menu "Appliance Console" 20 70 7
    1 "Proxy configuration" 2 "Network configuration"
    3 "Test network connectivity" 4 "System resource check"
    5 "System time management" 6 "Command prompt")

# What each column measures, or why it cannot.
PROGS=(console dialog whiptail)
declare -A missing=()
[ -x "$CONSOLE" ] || missing[console]="appliance-console not built"
[ -x "$DIALOG" ] || missing[dialog]="dialog not installed"
[ -x "$WHIPTAIL" ] || missing[whiptail]="whiptail not installed"

# ptyrun_once PROG OPTIONS...: one ptyrun line for program PROG.
ptyrun_once() {
	local prog=$1
	shift
	case $prog in
	console)
		if [ "$where" = lab ]; then
			sh "$LAB_SH" run "$lab_env" -- "$PTYRUN" "$@" \
			    -e CONSOLE_ROOT="$croot" -- "$CONSOLE"
		else
			"$PTYRUN" "$@" -e CONSOLE_ROOT="$croot" -- "$CONSOLE"
		fi ;;
	dialog)		"$PTYRUN" "$@" -- "$DIALOG" "${MENU[@]}" ;;
	whiptail)	"$PTYRUN" "$@" -- "$WHIPTAIL" "${MENU[@]}" ;;
	esac
}

# record PROG FIGURE LINE NAME: keep this run's value of field NAME of a
# ptyrun line as figure FIGURE of PROG ("fail" when it is not there).
record() {
	local kv v=fail
	for kv in $3; do
		case $kv in
		"$4"=*)	v=${kv#*=} ;;
		esac
	done
	echo "$v" >>"$tmp/$1.$2"
}

# sample PROG FIGURE=FIELD... -- OPTIONS...: one ptyrun run of PROG with
# OPTIONS, keeping each FIELD of its line as that FIGURE.
sample() {
	local prog=$1 line pair
	local -a pairs=()
	shift
	while [ "$1" != -- ]; do
		pairs+=("$1")
		shift
	done
	shift
	# A run that did not go to the end has no figures worth keeping.
	if ! line=$(ptyrun_once "$prog" "$@" 2>>"$tmp/errors"); then
		echo "$prog: ptyrun $* failed" >>"$tmp/errors"
		line=
	fi
	for pair in "${pairs[@]}"; do
		record "$prog" "${pair%%=*}" "$line" "${pair#*=}"
	done
}

# median FILE: the middle of the recorded values; "fail" if a run failed.
median() {
	[ -s "$1" ] || { echo "-"; return; }
	if grep -qv '^-\{0,1\}[0-9][0-9.]*$' "$1"; then
		echo fail
		return
	fi
	sort -g "$1" | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "Appliance Console benchmark"
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine:  $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
if [ "$where" = lab ]; then
	echo "console:  in the lab ($lab_env), as $(id -un)"
else
	echo "console:  on the host, as $(id -un)${why:+ ($why)}"
fi
if [ -z "${missing[console]:-}" ]; then
	echo "version:  $("$CONSOLE" version 2>&1 | head -n 1)"
fi
[ -z "${missing[dialog]:-}" ] &&
    echo "dialog:   $("$DIALOG" --version 2>&1 | head -n 1)"
[ -z "${missing[whiptail]:-}" ] &&
    echo "whiptail: $("$WHIPTAIL" --version 2>&1 | head -n 1)"
echo "runs:     median of $RUNS (resource check: $CHECK_RUNS), 80x24"
echo

for ((i = 1; i <= RUNS; i++)); do
	echo "run $i of $RUNS ..." >&2
	for prog in "${PROGS[@]}"; do
		[ -z "${missing[$prog]:-}" ] || continue
		sample "$prog" paint_ms_xterm=paint_ms \
		    paint_bytes_xterm=paint_bytes down_bytes_xterm=key1_bytes \
		    rss_kb=rss_kb -- -t xterm-256color -k down
		sample "$prog" paint_bytes_vt100=paint_bytes \
		    down_bytes_vt100=key1_bytes -- -t vt100 -k down
		sample "$prog" paint_ms_9600=paint_ms down_ms_9600=key1_ms \
		    -- -t vt100 -b 9600 -k down
	done
done

check_rc=
if [ -z "${missing[console]:-}" ]; then
	echo "resource check ..." >&2
	if [ "$where" = lab ]; then
		sh "$LAB_SH" run "$lab_env" -- /bin/bash "$ROOT/tests/bench/bench.sh" \
		    --check-times "$CHECK_RUNS" "$CONSOLE" "$croot" \
		    >"$tmp/check.out" 2>>"$tmp/errors"
	else
		check_times "$CHECK_RUNS" "$CONSOLE" "$croot" >"$tmp/check.out"
	fi
	grep -E '^[0-9]+\.[0-9]+$' "$tmp/check.out" >"$tmp/console.check_ms"
	check_rc=$(sed -n 's/^rc=//p' "$tmp/check.out")
	[ -s "$tmp/console.check_ms" ] ||
	    echo "resources check: no times measured" >>"$tmp/errors"
fi

# The rows: label | figure | target value (empty: shown, not judged) |
# target as printed.
dialog_paint=$(median "$tmp/dialog.paint_ms_xterm")
case $dialog_paint in
-|fail)	dialog_target= ;;
*)	dialog_target=$dialog_paint ;;
esac
ROWS=(
	"start to painted main menu, header included, xterm-256color (ms)|paint_ms_xterm|$dialog_target|<= 1.0 x dialog"
	"bytes to paint the main menu, vt100|paint_bytes_vt100|1000|<= 1000"
	"bytes to paint the main menu, xterm-256color|paint_bytes_xterm||-"
	"bytes for one DOWN in the main menu, vt100|down_bytes_vt100|48|<= 48"
	"bytes for one DOWN in the main menu, xterm-256color|down_bytes_xterm||-"
	"9600 baud vt100: first paint settled (ms)|paint_ms_9600|1100|<= 1100"
	"9600 baud vt100: one DOWN settled (ms)|down_ms_9600|50|<= 50"
	"peak RSS in the main menu (kB)|rss_kb|4096|<= 4096 (4 MiB)"
	"resources check --json wall time (ms)|check_ms|10|<= 10"
)

# cell PROG FIGURE: the median for one table cell, or why there is none.
cell() {
	if [ -n "${missing[$1]:-}" ]; then
		echo "${missing[$1]}"
	else
		median "$tmp/$1.$2"
	fi
}

# verdict VALUE TARGET: "ok" when VALUE <= TARGET, "over" when above.
verdict() {
	case $1 in
	''|-|fail|*[!0-9.]*)	echo "-"; return ;;
	esac
	[ -n "$2" ] || { echo "-"; return; }
	awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 <= t + 0) ? "ok" : "over" }'
}

table=("figure|appliance-console|dialog (reference)|whiptail|target|console")
for row in "${ROWS[@]}"; do
	IFS='|' read -r label fig target shown <<<"$row"
	c=$(cell console "$fig")
	line="$label|$c"
	for prog in dialog whiptail; do
		line="$line|$(cell "$prog" "$fig")"
	done
	table+=("$line|$shown|$(verdict "$c" "$target")")
done

# The text table, each column as wide as its widest cell.
declare -a width=(0 0 0 0 0 0)
for line in "${table[@]}"; do
	IFS='|' read -r -a f <<<"$line"
	for ((k = 0; k < 6; k++)); do
		[ "${#f[k]}" -le "${width[k]}" ] || width[k]=${#f[k]}
	done
done
for line in "${table[@]}"; do
	IFS='|' read -r -a f <<<"$line"
	printf '%-*s  %*s  %*s  %*s  %-*s  %s\n' \
	    "${width[0]}" "${f[0]}" "${width[1]}" "${f[1]}" \
	    "${width[2]}" "${f[2]}" "${width[3]}" "${f[3]}" \
	    "${width[4]}" "${f[4]}" "${f[5]}"
done
echo
echo "dialog: 20x70 box as in the issue; times in ms, sizes in bytes or kB."
[ -z "$dialog_target" ] ||
    echo "target of the first row: dialog's median in this run, $dialog_paint ms."
[ -z "$check_rc" ] ||
    echo "resources check exit status (its verdict on this machine): $check_rc"

if [ -s "$tmp/errors" ]; then
	echo
	echo "errors while measuring (first 10 kinds):"
	sort "$tmp/errors" | uniq -c | head -n 10
fi

echo
echo "Markdown, for the README:"
echo
for ((n = 0; n < ${#table[@]}; n++)); do
	IFS='|' read -r -a f <<<"${table[n]}"
	echo "| ${f[0]} | ${f[1]} | ${f[2]} | ${f[3]} | ${f[4]} | ${f[5]} |"
	[ "$n" -ne 0 ] || echo "| --- | ---: | ---: | ---: | --- | --- |"
done
# Module 200's figures, in namespaces of their own.
if [ "$(id -u)" = 0 ]; then
	echo
	echo "=== network (module 200)"
	bash "$ROOT/tests/bench/network.sh" -n "$RUNS" ||
	    echo "network.sh failed (status $?)"
fi

# The audit trail's figures (root: a system root of their own).
if [ "$(id -u)" = 0 ]; then
	echo "The audit trail (tests/bench/audit.sh):"
	bash "$ROOT/tests/bench/audit.sh" -n "$RUNS" ||
	    echo "audit.sh failed (status $?)"
fi

# Module 400's figure needs a lab of its own (root); see tests/bench/time.sh.
if [ "$(id -u)" = 0 ]; then
	echo
	echo "Module 400 (tests/bench/time.sh):"
	bash "$ROOT/tests/bench/time.sh" -n "$RUNS" ||
	    echo "time.sh failed (status $?)"
	echo "Timeouts (tests/bench/timeouts.sh):"
	bash "$ROOT/tests/bench/timeouts.sh" -n "$RUNS" ||
	    echo "timeouts.sh failed (status $?)"
fi
# Module 210's fan-out, single-test and RSS figures, in the lab.
echo
echo "Module 210 (tests/bench/connectivity.sh):"
bash "$(dirname "$0")/connectivity.sh"
# Module 500 and -c: start-up of -c 'h' and the grammars' throughput.
echo
echo "Module 500 (tests/bench/prompt.sh):"
bash "$(dirname "$0")/prompt.sh" || echo "prompt.sh failed (status $?)"
# The image: build cold and warm, ssh login to the menu against /bin/sh.
if [ "$(id -u)" = 0 ]; then
	echo
	echo "The image (tests/bench/image.sh):"
	bash "$(dirname "$0")/image.sh" -n "$RUNS" || echo "image.sh failed (status $?)"
	echo "The serial console (tests/bench/serial.sh):"
	bash "$(dirname "$0")/serial.sh" -n "$RUNS" || echo "serial.sh failed (status $?)"
fi
exit 0
