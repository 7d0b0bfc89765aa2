#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Builds every libFuzzer target tests/fuzz/fuzz_NAME.c into build/fuzz with
# clang (ASan and UBSan, any finding fatal) and runs each for N seconds
# (first argument, default 10), seeded from tests/fuzz/corpus/NAME/. What a
# target links besides itself is named in its source, on one line each:
#	/* FUZZ_LINK: console/words.c console/text.c console/xmalloc.c */
#	/* FUZZ_LIBS: -linih */		(optional)
# New inputs the fuzzer finds go to build/fuzz/corpus/NAME, never into the
# seed directory; a crash leaves build/fuzz/NAME-crash-* and the log.
# Prints "ok - fuzz NAME" or "not ok - fuzz NAME" per target and exits 1 if
# any target failed to build or found a problem.

set -u

secs=${1:-10}
case $secs in
''|*[!0-9]*|0)
	echo "usage: $0 [seconds]" >&2
	exit 2
	;;
esac

cd "$(dirname "$0")/../.." || exit 2
out=build/fuzz
cc=${FUZZ_CC:-clang}
# shellcheck disable=SC2054 # the comma is part of -fsanitize's value
cflags=(-std=c11 -g -O1 -fno-omit-frame-pointer
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
    -Wall -Wextra -Werror -D_GNU_SOURCE -Iconsole -Imodels)
failed=0
count=0

mkdir -p "$out" || exit 2
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "not ok - fuzz: $cc is not installed"
	exit 1
fi

for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=${src##*/fuzz_}
	name=${name%.c}
	count=$((count + 1))
	link=$(sed -n 's|^/\* FUZZ_LINK: \(.*\) \*/$|\1|p' "$src")
	libs=$(sed -n 's|^/\* FUZZ_LIBS: \(.*\) \*/$|\1|p' "$src")
	bin=$out/fuzz_$name
	log=$out/$name.log

	# shellcheck disable=SC2086 # link and libs are word lists
	if ! "$cc" "${cflags[@]}" -o "$bin" "$src" $link $libs \
	    >"$out/$name.build.log" 2>&1; then
		sed 's/^/# /' "$out/$name.build.log" | head -n 20
		echo "not ok - fuzz $name (does not build)"
		failed=$((failed + 1))
		continue
	fi

	mkdir -p "$out/corpus/$name"
	dirs=("$out/corpus/$name")
	[ -d "tests/fuzz/corpus/$name" ] && dirs+=("tests/fuzz/corpus/$name")
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix="$out/$name-" "${dirs[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		# A fuzzer that ran no input (or whose figures are gone) has
		# tested nothing: not a pass.
		case $runs in
		''|*[!0-9]*|0)
			echo "not ok - fuzz $name ran no input (runs: '${runs}'; see $log)"
			failed=$((failed + 1)) ;;
		*)	echo "ok - fuzz $name ($runs runs in ${secs} s)" ;;
		esac
	else
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' \
		    "$log" | head -n 10 | sed 's/^/# /'
		echo "not ok - fuzz $name (see $log)"
		failed=$((failed + 1))
	fi
done

if [ "$count" -eq 0 ]; then
	echo "not ok - fuzz: no targets in tests/fuzz"
	exit 1
fi
[ "$failed" -eq 0 ]
