#!/bin/bash
# SPDX-License-Identifier: ISC
# Benchmark of module 500 and -c: the median wall time of
# `appliance-console -c 'h'` (process start to exit, output to a file;
# target <= 5 ms) over N runs, and the tokenizer + grammar throughput on
# the fuzz corpora of words, ip and ping (target >= 1,000,000 lines/s).
# Usage: prompt.sh [-n runs]
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CONSOLE_BIN:-$TOP/build/appliance-console}
RUNS=200
[ "${1:-}" = -n ] && RUNS=$2
[ "$RUNS" -ge 50 ] || RUNS=50
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for ((i = 0; i < RUNS; i++)); do
	s=$(date +%s%N)
	"$BIN" -c h >"$out" 2>&1
	e=$(date +%s%N)
	echo $(( (e - s) / 1000 ))
done | sort -n | awk '{ a[NR] = $1 } END {
	printf "-c h wall time: median %.2f ms, p90 %.2f ms (%d runs)\n",
	    a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9)] / 1000, NR }'
grep -q "^Commands:" "$out" || echo "-c h printed no command list"
"$TOP/build/tests/bench_grammar" "$TOP"/tests/fuzz/corpus/words/* \
    "$TOP"/tests/fuzz/corpus/ip/* "$TOP"/tests/fuzz/corpus/ping/* \
    "$TOP"/tests/fuzz/corpus/iptables/* |
    sed 's/^/tokenizer + grammar: /'
