# SPDX-License-Identifier: ISC
# "ok - ..." / "not ok - ..." lines that tests/run-all.sh counts; sourced by
# every shell test. NFAIL counts the failures of the sourcing script.
NFAIL=0

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; NFAIL=$((NFAIL + 1)); }
check() {	# check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
