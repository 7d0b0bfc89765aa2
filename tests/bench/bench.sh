#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The benchmark: measures the console's main menu against dialog and
# whiptail showing the same menu, on a pseudo-terminal driven by ptyrun:
# time to the first full paint, bytes to paint and per DOWN keystroke, the
# same at 9600 baud as a serial user sees it, peak RSS, and the wall time
# of the non-interactive resource check. Each figure is the median of
# several runs. It prints figures and an ok/over verdict against each
# target; it never fails on them, only when it cannot measure at all.
# Usage: bench.sh [--lab] [-n runs]   (make bench)

# make runs this with sh; the timing needs bash's $EPOCHREALTIME.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
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
LAB=0
lab_env=

while [ $# -gt 0 ]; do
	case $1 in
	--lab)	LAB=1 ;;
	-n)	RUNS=${2:?-n wants a number}; shift ;;
	*)	echo "usage: bench.sh [--lab] [-n runs]" >&2; exit 2 ;;
	esac
	shift
done
case $RUNS in
''|*[!0-9]*|0)	echo "bench.sh: -n wants a positive number" >&2; exit 2 ;;
esac

tmp=$(mktemp -d /tmp/ac-bench.XXXXXX) || exit 1
cleanup() {
	if [ -n "$lab_env" ]; then
		bash "$ROOT/tests/lab/lab.sh" down "$lab_env" >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$PTYRUN" ]; then
	make -C "$ROOT" --no-print-directory -s B="$B" "$PTYRUN" >&2 ||
	    { echo "bench.sh: cannot build $PTYRUN" >&2; exit 1; }
fi

# The console reads its configuration under CONSOLE_ROOT (honoured for
# root only), so it runs against a copy of the shipped files, not /etc.
croot=$tmp/root
mkdir -p "$croot/etc/appliance-console/commands.d" \
    "$croot/var/log/appliance-console"
cp "$ROOT/etc/console.conf" "$croot/etc/appliance-console/console.conf"
# Six items and Exit, as dialog and whiptail get: module 300 plus drop-ins
# standing in for the modules not built yet, so the menus compare fairly.
for name in 100-proxy-configuration 200-network-configuration \
    210-test-network-connectivity 400-system-time-management \
    500-command-prompt; do
	cp "$ROOT/etc/commands.d/900-support-info" \
	    "$croot/etc/appliance-console/commands.d/$name"
	chmod 755 "$croot/etc/appliance-console/commands.d/$name"
done

if [ "$LAB" -eq 1 ]; then
	if [ ! -f "$ROOT/tests/lab/lab.sh" ]; then
		echo "bench.sh: --lab: tests/lab/lab.sh does not exist" >&2
		exit 1
	fi
	lab_env=$(bash "$ROOT/tests/lab/lab.sh" up) ||
	    { echo "bench.sh: lab.sh up failed" >&2; lab_env=; exit 1; }
fi

MENU=(--menu "Appliance Console" 20 70 7
    1 "Proxy configuration" 2 "Network configuration"
    3 "Test network connectivity" 4 "System resource check"
    5 "System time management" 6 "Command prompt")

# ptyrun_once PROG OPTIONS...: one ptyrun line for program PROG.
ptyrun_once() {
	local prog=$1 cmd
	shift
	case $prog in
	console)	cmd=("$CONSOLE") ; set -- "$@" -e CONSOLE_ROOT="$croot" ;;
	dialog)		cmd=("$DIALOG" "${MENU[@]}") ;;
	whiptail)	cmd=("$WHIPTAIL" "${MENU[@]}") ;;
	esac
	if [ "$LAB" -eq 1 ] && [ "$prog" = console ]; then
		bash "$ROOT/tests/lab/lab.sh" run "$lab_env" -- \
		    "$PTYRUN" "$@" -- "${cmd[@]}"
	else
		"$PTYRUN" "$@" -- "${cmd[@]}"
	fi
}

# field LINE NAME: the value of NAME=value in a ptyrun line.
field() {
	local kv
	for kv in $1; do
		case $kv in
		"$2"=*)	echo "${kv#*=}"; return ;;
		esac
	done
}

# record PROG RUN LINE NAME FIGURE: keep one run's value of a field.
record() {
	local v
	v=$(field "$3" "$4")
	echo "${v:-fail}" >>"$tmp/$1.$5"
}

# median FILE: the middle of the recorded values, "fail" if any run failed.
median() {
	[ -s "$1" ] || { echo "-"; return; }
	if grep -qv '^-\{0,1\}[0-9.]*$' "$1"; then
		echo fail
		return
	fi
	sort -g "$1" | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure PROG: all ptyrun figures of one program, RUNS times each.
measure() {
	local prog=$1 i line
	for ((i = 0; i < RUNS; i++)); do
		line=$(ptyrun_once "$prog" -c 80 -r 24 -t xterm-256color \
		    -k down 2>>"$tmp/errors") || echo "$prog: ptyrun failed" >>"$tmp/errors"
		record "$prog" "$i" "$line" paint_ms paint_ms_xterm
		record "$prog" "$i" "$line" key1_bytes down_bytes_xterm
		record "$prog" "$i" "$line" rss_kb rss_kb
		line=$(ptyrun_once "$prog" -c 80 -r 24 -t vt100 \
		    -k down 2>>"$tmp/errors") || echo "$prog: ptyrun failed" >>"$tmp/errors"
		record "$prog" "$i" "$line" paint_bytes paint_bytes_vt100
		record "$prog" "$i" "$line" key1_bytes down_bytes_vt100
		line=$(ptyrun_once "$prog" -c 80 -r 24 -t vt100 -b 9600 \
		    -k down 2>>"$tmp/errors") || echo "$prog: ptyrun failed" >>"$tmp/errors"
		record "$prog" "$i" "$line" paint_ms paint_ms_9600
		record "$prog" "$i" "$line" key1_ms down_ms_9600
	done
}

# check_time: wall time of the non-interactive resource check, in ms.
# It runs on the host in both modes: the lab's wrapper would dominate.
check_time() {
	local i t0 t1 rc
	for ((i = 0; i < CHECK_RUNS; i++)); do
		t0=$EPOCHREALTIME
		CONSOLE_ROOT=$croot "$CONSOLE" resources check --json >/dev/null 2>&1
		rc=$?
		t1=$EPOCHREALTIME
		echo "$t0 $t1" | awk '{ printf "%.2f\n", ($2 - $1) * 1000 }' \
		    >>"$tmp/console.check_ms"
	done
	echo "$rc" >"$tmp/console.check_rc"
}

# verdict VALUE TARGET: "ok" when VALUE <= TARGET, else "over".
verdict() {
	case $1 in
	fail|-|'')	echo "" ; return ;;
	esac
	[ -n "$2" ] || { echo ""; return; }
	awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 <= t + 0) ? "ok" : "over" }'
}

echo "Appliance Console benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpus:    $(nproc)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "kernel:  $(uname -r)"
echo "mode:    $([ "$LAB" -eq 1 ] && echo lab || echo host), median of $RUNS runs (resource check: $CHECK_RUNS)"
echo "dialog:  $("$DIALOG" --version 2>&1 | head -n 1)"
echo

PROGS=(console dialog whiptail)
built=1
[ -x "$CONSOLE" ] || built=0
for prog in "${PROGS[@]}"; do
	if [ "$prog" = console ] && [ "$built" -eq 0 ]; then
		continue
	fi
	echo "measuring $prog ..." >&2
	measure "$prog"
done
[ "$built" -eq 1 ] && check_time

# The rows: figure name, data file, target (empty: shown, not judged),
# target as printed.
dialog_paint=$(median "$tmp/dialog.paint_ms_xterm")
ROWS=(
	"start to painted main menu, 80x24 xterm-256color (ms)|paint_ms_xterm|$dialog_paint|<= 1.0 x dialog ($dialog_paint)"
	"bytes to paint the main menu, vt100|paint_bytes_vt100|1000|<= 1,000"
	"bytes for one DOWN in the main menu, vt100|down_bytes_vt100|48|<= 48"
	"bytes for one DOWN in the main menu, xterm-256color|down_bytes_xterm||-"
	"9600 baud vt100: first paint settled (ms)|paint_ms_9600|1100|<= 1,100"
	"9600 baud vt100: one DOWN settled (ms)|down_ms_9600|50|<= 50"
	"peak RSS in the main menu (kB)|rss_kb|4096|<= 4,096"
	"resources check --json wall time (ms)|check_ms|10|<= 10"
)

# cell PROG FILE TARGET: "value verdict" for one table cell.
cell() {
	local v w
	if [ "$1" = console ] && [ "$built" -eq 0 ]; then
		echo "not built"
		return
	fi
	v=$(median "$tmp/$1.$2")
	w=$(verdict "$v" "$3")
	echo "$v${w:+ $w}"
}

declare -a table
for row in "${ROWS[@]}"; do
	IFS='|' read -r name file target shown <<<"$row"
	line="$name"
	for prog in "${PROGS[@]}"; do
		line="$line|$(cell "$prog" "$file" "$target")"
	done
	table+=("$line|$shown")
done

fmt='%-54s  %-16s  %-16s  %-16s  %s\n'
printf "$fmt" figure appliance-console dialog whiptail target
for line in "${table[@]}"; do
	IFS='|' read -r a b c d e <<<"$line"
	printf "$fmt" "$a" "$b" "$c" "$d" "$e"
done

if [ "$built" -eq 1 ] && [ -s "$tmp/console.check_rc" ]; then
	echo
	echo "resources check exit status (its verdict on this machine): $(cat "$tmp/console.check_rc")"
fi
if [ -s "$tmp/errors" ]; then
	echo
	echo "errors while measuring (first 10 lines):"
	sort "$tmp/errors" | uniq -c | head -n 10
fi

echo
echo "Markdown, for the README:"
echo
echo "| figure | appliance-console | dialog | whiptail | target |"
echo "| --- | --- | --- | --- | --- |"
for line in "${table[@]}"; do
	IFS='|' read -r a b c d e <<<"$line"
	echo "| $a | $b | $c | $d | $e |"
done
exit 0
