#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The serial console's figures (run by bench.sh, or alone; root): an image
# lab (lab.sh up --image), whose appliance runs the image's agetty on a pty
# pair standing in for ttyS0 with the package's drop-in arguments
# (tests/lab/ttyline.c); tests/lab/serial.py --bench is the terminal,
# reading no faster than 9600 baud (960 bytes a second). Each run: the
# login prompt, admin and its password; from the password's Enter to the
# menu painted and settled (the last byte at the terminal, 300 ms quiet
# after it, which includes PAM's check of the password), then one DOWN in
# the main menu, then 0 Exit. Medians of the runs. Prints the figures and
# a Markdown copy; fails only when it cannot measure.
#
# Usage: serial.sh [-n runs]
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB_SH=$ROOT/tests/lab/lab.sh
RUNS=7
[ "${1:-}" = -n ] && RUNS=$2
PASS='Bench-Serial-9600'

[ "$(id -u)" = 0 ] || { echo "serial.sh: needs root (namespaces)" >&2; exit 1; }
env=$(bash "$LAB_SH" up --image --name benchtty) || exit 1
trap 'bash "$LAB_SH" down "$env" >/dev/null 2>&1' EXIT
# shellcheck disable=SC1090 # the lab's own env file
. "$env"
printf 'admin:%s\n' "$PASS" | bash "$LAB_SH" run "$env" -- chpasswd || exit 1

tmp=$(mktemp)
for _ in $(seq "$RUNS"); do
	python3 "$ROOT/tests/lab/serial.py" --bench \
	    "$LAB_APP_ROOT/run/lab/ttyS0.sock" admin "$PASS" >>"$tmp" || {
		echo "serial.sh: a login failed" >&2; exit 1; }
done
median() {	# median FIELD
	tr ' ' '\n' <"$tmp" | sed -n "s/^$1=//p" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
lb=$(median login_bytes) lm=$(median login_ms)
db=$(median down_bytes) dm=$(median down_ms)
rm -f "$tmp"
mark() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "ok" : "over" }'; }
echo "9600 baud: password accepted to menu painted and settled: $lm ms, $lb bytes (target <= 800 ms) $(mark "$lm" 800)"
echo "9600 baud: one DOWN in the main menu: $dm ms settled, $db bytes (target <= 25 ms, <= 24 bytes) $(mark "$dm" 25) $(mark "$db" 24)"
echo
echo "| figure | value | target |"
echo "| --- | --- | --- |"
echo "| 9600 baud, ttyS0: password accepted to menu painted and settled (ms) | $lm ($lb bytes) | <= 800 |"
echo "| 9600 baud, ttyS0: one DOWN in the main menu, settled (ms) | $dm | <= 25 |"
echo "| 9600 baud, ttyS0: bytes for one DOWN in the main menu | $db | <= 24 |"
