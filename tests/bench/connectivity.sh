#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 210's figures, measured in the lab (root): testconn against 20
# HTTPS targets that each answer after 300 ms, next to 20 sequential curl
# runs of the same URLs; one testconn against one curl to the local HTTPS
# server; testconn's peak RSS during the 20-target test. Medians of RUNS.
# The timing runs inside the appliance namespace (one python driver), so
# the namespace entry is not counted; testconn gets the environment the
# console gives it (GNUTLS_NO_IMPLICIT_INIT=1, see conn_testconn_env), and
# so does curl. Called at the end of bench.sh, or alone:
# bash tests/bench/connectivity.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TC=${TESTCONN:-$TOP/build/bin/testconn}
RUNS=${RUNS:-7}

if [ "$(id -u)" != 0 ]; then
	echo "connectivity bench: needs root (the lab); skipped"
	exit 0
fi
[ -x "$TC" ] || { echo "connectivity bench: $TC missing (make)"; exit 1; }
CURL=$(command -v curl) || { echo "connectivity bench: curl missing (make deps)"; exit 1; }

# shellcheck source=../lab/lib.sh
. "$TOP/tests/lab/lib.sh"
lab_up_or_die
cp "$LAB_CA" "$LAB_ROOT/etc/appliance-console/lab-ca.pem"
cat >"$LAB_ROOT/etc/appliance-console/console.conf" <<EOF
[connectivity]
ca_file = /etc/appliance-console/lab-ca.pem
http_timeout_ms = 5000
EOF

in_app env GNUTLS_NO_IMPLICIT_INIT=1 "$PY" -I - "$TC" "$CURL" "$LAB_CA" \
    "$RUNS" <<'EOF'
import statistics, subprocess, sys, time

tc, curl, ca, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
urls = ["https://updates.lab.example/delay/300?t=%d" % i for i in range(20)]
local = "https://updates.lab.example/"

def wall(argv):
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return (time.monotonic() - t0) * 1000, r.returncode

def median(argv, n=runs):
    ts = []
    for _ in range(n):
        ms, rc = wall(argv)
        if rc != 0:
            sys.exit("failed (%d): %s" % (rc, " ".join(argv[:3])))
        ts.append(ms)
    return statistics.median(ts)

wall([tc, local])                           # warm caches
fan = median([tc] + urls)
seq = statistics.median(
    sum(wall([curl, "-so", "/dev/null", "--cacert", ca, u])[0] for u in urls)
    for _ in range(3))
one_tc = median([tc, local], runs * 3)
one_curl = median([curl, "-so", "/dev/null", "--cacert", ca, local], runs * 3)
# A fresh process whose only child is testconn: its maximum is testconn's.
rss = int(subprocess.run([sys.executable, "-I", "-c",
    "import resource,subprocess,sys; subprocess.run(sys.argv[1:], "
    "stdout=subprocess.DEVNULL); print(resource.getrusage("
    "resource.RUSAGE_CHILDREN).ru_maxrss)", tc] + urls,
    capture_output=True, text=True).stdout)
print("figure|testconn|curl|target")
print("20 HTTPS targets answering after 300 ms, total (ms)|%.0f|%.0f (20 sequential)|<= 390 and <= 1/10 of curl's" % (fan, seq))
print("one test of the local HTTPS server (ms)|%.1f|%.1f|<= 1.2 x curl" % (one_tc, one_curl))
print("peak RSS during the 20-target test (kB)|%d|-|<= 12288" % rss)
print("ratios|fan-out %.2f x 300 ms, %.3f of sequential curl; one test %.2f x curl|-|-" % (fan / 300, fan / seq, one_tc / one_curl))
EOF
