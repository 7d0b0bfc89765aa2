# SPDX-License-Identifier: ISC
# "ok - ..." / "not ok - ..." lines that tests/run-all.sh counts; sourced by
# every shell test. NFAIL counts the failures of the sourcing script.
# "ok - ... # SKIP why" is a skip: counted apart, never as a pass.
NFAIL=0

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; NFAIL=$((NFAIL + 1)); }
skip() { echo "ok - $1 # SKIP $2"; }
check() {	# check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}

# A negative check must tell "absent" from "could not look": a file that
# cannot be read, or a probe that fails, is a failure, never an absence.
# lacks [-E] FILE TEXT: FILE was read and holds no TEXT (-E: no line
# matching the extended regular expression TEXT).
lacks() {
	_g=-F
	[ "$1" = -E ] && { _g=-E; shift; }
	[ -f "$1" ] && [ -r "$1" ] || { echo "# cannot look: $1 is not a readable file"; return 1; }
	grep -q "$_g" -- "$2" "$1"
	case $? in
	1) return 0 ;;
	0) echo "# '$2' is in $1:"; grep "$_g" -- "$2" "$1" | head -5 | sed 's/^/# | /' ;;
	*) echo "# cannot look: grep failed on $1" ;;
	esac
	return 1
}
# gone PATH...: each PATH is absent from a directory that is there (a
# wrong or empty path is not an absence).
gone() {
	for _p in "$@"; do
		[ -d "$(dirname "$_p")" ] ||
		    { echo "# cannot look: no directory $(dirname "$_p")"; return 1; }
		[ ! -e "$_p" ] && [ ! -L "$_p" ] || { echo "# $_p is there"; return 1; }
	done
}
# out_lacks [-E] TEXT CMD...: CMD ran (status 0) and its output holds no
# TEXT (-E: no line matching the extended regular expression TEXT).
out_lacks() {
	_g=-F
	[ "$1" = -E ] && { _g=-E; shift; }
	_want=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		echo "# cannot look: '$*' exited with $_rc:"
		printf '%s\n' "$_out" | head -5 | sed 's/^/# | /'
		return 1
	fi
	printf '%s\n' "$_out" | grep -q "$_g" -- "$_want" || return 0
	echo "# '$_want' is in the output of '$*':"
	printf '%s\n' "$_out" | grep "$_g" -- "$_want" | head -5 | sed 's/^/# | /'
	return 1
}
