#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs the test tiers and ends with one line CI can read:
# "N passed, N failed, N skipped". Each tier prints cmocka summaries or
# "ok - ..." / "not ok - ..." lines ("ok - ... # SKIP ..." and cmocka's
# "[  SKIPPED ]" are skips, never passes). A tier program that fails
# without saying so, or reports no pass and no failure at all, counts as
# one failure; a tier whose passes fall below its floor in tests/floors
# fails too, so a tier that quietly loses its tests cannot end green.
# Usage: run-all.sh [lint unit asan tui lab security image valgrind fuzz]
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIERS=${*:-"lint unit asan tui lab security image valgrind fuzz"}
FLOORS=$ROOT/tests/floors
LOG=$(mktemp /tmp/ac-test.XXXXXX)
trap 'rm -f "$LOG" "$LOG.one" "$LOG.image"' EXIT
passed=0
failed=0
skipped=0
tier_passed=0

# cmocka NAME: the sum of cmocka's "[  NAME  ] N test(s)" summary lines.
cmocka() {
	sed -n "s/^\[  $1 *\] \([0-9][0-9]*\) test(s)\..*/\1/p; s/^\[  $1 *\] \([0-9][0-9]*\) test(s), .*/\1/p" \
	    "$LOG.one" | awk '{s+=$1} END {print s+0}'
}

# run NAME CMD...: run one test program, count what it reports.
run() {
	name=$1
	shift
	echo "=== $name"
	"$@" >"$LOG.one" 2>&1
	rc=$?
	cat "$LOG.one"
	p=$(cmocka PASSED)
	f=$(cmocka FAILED)
	s=$(cmocka SKIPPED)
	k=$(grep -c '^ok .*# *SKIP' "$LOG.one")
	p=$((p + $(grep -c '^ok ' "$LOG.one") - k))
	s=$((s + k))
	f=$((f + $(grep -c '^not ok ' "$LOG.one")))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name reported no result ($s skipped)"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	tier_passed=$((tier_passed + p))
	[ "$f" -eq 0 ] || echo "$name" >>"$LOG"
}

# floor TIER: after a tier, its passes against the floor tests/floors
# declares for it ("TIER N"); a tier run with no floor is a failure too.
floor() {
	want=$(awk -v t="$1" '$1 == t { print $2 }' "$FLOORS" 2>/dev/null)
	if [ -z "$want" ]; then
		echo "not ok - tier $1 has no floor in tests/floors"
	elif [ "$tier_passed" -lt "$want" ]; then
		echo "not ok - tier $1: $tier_passed passed, below its floor of $want"
	else
		return 0
	fi
	failed=$((failed + 1))
	echo "tier $1 (floor)" >>"$LOG"
}

unit_tier() {
	dir=$1
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		run "$(basename "$t")${2:-}" "$t"
	done
}

# The image tier runs beside the others when it is one of several: its
# labs have names of their own, and it waits on ssh, agetty and apt far
# more than it computes, so on two cores the whole run is minutes shorter.
# Its output follows the others', and its counts are added to theirs.
lane=""
case " $TIERS " in
*" image "*)
	if [ "$TIERS" != image ] && [ -z "${RUN_ALL_NO_LANE:-}" ]; then
		TIERS=$(echo " $TIERS " | sed 's/ image / /')
		sh "$0" image >"$LOG.image" 2>&1 &
		lane=$!
	fi ;;
esac

for tier in $TIERS; do
	tier_passed=0
	case $tier in
	lint)	run lint bash tests/lint/lint.sh ;;
	unit)	unit_tier build ;;
	asan)	run "asan build" sh -c 'make --no-print-directory -s \
		    B=build/asan OPT="-O1 -g" SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		    all >/dev/null && echo "ok - the asan build"'
		ASAN_OPTIONS=detect_leaks=1 unit_tier build/asan " (asan)"
		CONSOLE_BIN=build/asan/appliance-console \
		    run "tui (asan)" sh tests/tui/run.sh
		FIXTURE_DIR=build/asan/tests run "tui form (asan)" sh tests/tui/form.sh
		CONSOLE_BIN=build/asan/appliance-console \
		    run "tui time (asan)" sh tests/tui/time.sh
		CONSOLE_BIN=build/asan/appliance-console \
		    run "tui prompt (asan)" sh tests/tui/prompt.sh
		;;
	tui)	run tui sh tests/tui/run.sh
		run "tui form" sh tests/tui/form.sh
		run "tui time" sh tests/tui/time.sh
		run "tui prompt" sh tests/tui/prompt.sh
		run "tui terminals" sh tests/tui/terminals.sh ;;
	lab)	for t in tests/lab/test_*.sh; do run "lab $(basename "$t" .sh)" bash "$t"; done ;;
	security) run security bash tests/security/run.sh
		run "security hangup" bash tests/security/test_hangup_priv.sh ;;
	valgrind) run valgrind sh tests/tui/valgrind.sh ;;
	# The package, built once (a failed build is a failure, and no
	# older package is used instead), then every test_*.sh against it.
	image)	rm -f build/deb/appliance-console_*.deb
		run "image deb" sh -c 'out=$(make --no-print-directory -s deb 2>&1) &&
		    echo "ok - make deb builds the package" ||
		    { printf "%s\n" "$out" | tail -n 20; echo "not ok - make deb builds the package"; }'
		deb=$(ls build/deb/appliance-console_*.deb 2>/dev/null | head -n 1)
		for t in tests/image/test_*.sh; do
			PKG_DEB=$deb LAB_DEB=$deb run "image $(basename "$t" .sh)" bash "$t"
		done ;;
	fuzz)	run fuzz bash tests/fuzz/run.sh 5 ;;
	*)	echo "unknown tier: $tier" >&2; exit 2 ;;
	esac
	floor "$tier"
done

if [ -n "$lane" ]; then
	wait "$lane"
	rc=$?
	sed '$d' "$LOG.image"
	set -- $(tail -n 1 "$LOG.image" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
	if [ $# -ne 3 ]; then
		echo "not ok - the image tier ended without its count (status $rc)"
		set -- 0 1 0
	fi
	passed=$((passed + $1))
	failed=$((failed + $2))
	skipped=$((skipped + $3))
	[ "$2" -eq 0 ] || echo "image (above)" >>"$LOG"
fi

if [ -s "$LOG" ]; then
	echo "failed:"
	sed 's/^/  /' "$LOG"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
