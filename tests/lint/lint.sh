#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The lint tier: cheap checks over the source tree that no compiler makes.
#  1. no banned function (or "sh -c") in the C sources, as whole identifiers;
#  2. no trailing whitespace and no CRLF in text files (tracked, or untracked
#     and not ignored; build output and fuzz corpora are skipped);
#  3. every .c/.h in console/, commands/ and bin/ opens with the SPDX line;
#  4. every key in console/config.c's table is documented in console.conf(5);
#  5. every shell script under tests/ parses (bash -n);
#  6. no C file reaches another layer's header by a relative path, and no
#     helper in $B/bin (built first: B=build unless set) links curses, CDK
#     or libedit, by ldd (shared) and nm (static) alike.
# Prints one "ok -" or "not ok -" line per check, with "# file:line: ..."
# lines above a failure, and exits 1 if any check failed.

set -u
export LC_ALL=C

cd "$(dirname "$0")/../.." || exit 2
failed=0

# Print the detail lines (if any) and the verdict of one check.
report()
{
	local what=$1 details=$2

	if [ -n "$details" ]; then
		printf '%s\n' "$details" | head -n 50 | sed 's/^/# /'
		echo "not ok - $what"
		failed=$((failed + 1))
	else
		echo "ok - $what"
	fi
}

# The files the project consists of, NUL-separated.
list_files()
{
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z -co --exclude-standard
	else
		find . -path ./.git -prune -o -type f -print0 |
		    sed -z 's|^\./||'
	fi | grep -zvE '^(build[^/]*/|tests/fuzz/corpus/)'
}

# Regular files only: a tracked file deleted in the work tree is not linted.
files=$(list_files | while IFS= read -r -d '' f; do
	[ -f "$f" ] && [ ! -L "$f" ] && printf '%s\n' "$f"
done)

# 1. Banned functions.
banned='system|popen|execvp|execlp|sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|strtok'
csrc=$(printf '%s\n' "$files" |
    grep -E '^(console|models|shell|commands|bin|tests)/.*\.[ch]$' | grep -v '^tests/lint/')
# "sh -c" (or bash) as words in a string or comment, or as an argv pair.
shell_c='(^|[^A-Za-z0-9_])(ba)?sh -c([^A-Za-z0-9_]|$)|"(/bin/)?(ba)?sh"[[:space:]]*,[[:space:]]*"-c"'
details=""
if [ -n "$csrc" ]; then
	details=$(printf '%s\n' "$csrc" | tr '\n' '\0' |
	    xargs -0 grep -nHE \
	    "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(|$shell_c" \
	    /dev/null 2>/dev/null)
fi
report "no banned functions ($banned, sh -c)" "$details"

# 2. Trailing whitespace and CRLF, in text files only (grep -I skips binaries).
details=""
if [ -n "$files" ]; then
	details=$(printf '%s\n' "$files" | tr '\n' '\0' |
	    xargs -0 grep -nHIE $'[ \t\r]$' /dev/null 2>/dev/null |
	    sed -E $'s/\r$/ (CRLF)/; s/[ \t]+$/ (trailing whitespace)/')
fi
report "no trailing whitespace or CRLF" "$details"

# 3. The SPDX line first.
details=""
spdx='/* SPDX-License-Identifier: ISC */'
mine=$(printf '%s\n' "$files" | grep -E '^(console|models|shell|commands|bin)/[^/]*\.[ch]$')
if [ -n "$mine" ]; then
	# shellcheck disable=SC2016 # an awk program, not shell
	details=$(printf '%s\n' "$mine" | tr '\n' '\0' |
	    xargs -0 awk -v want="$spdx" '
		FNR == 1 && $0 != want { print FILENAME ":1: no SPDX line" }
		FNR == 1 { seen[FILENAME] = 1 }
		END {
			# Empty files have no first line at all.
			for (i = 1; i < ARGC; i++)
				if (!(ARGV[i] in seen))
					print ARGV[i] ":1: empty file"
		}')
fi
report "SPDX line opens every C file in console/ models/ shell/ commands/ bin/" "$details"

# 4. Config keys documented: `{ "section", "key",` rows of config.c's table.
conf=console/config.c
man=man/console.conf.5
if [ ! -f "$conf" ] || [ ! -f "$man" ]; then
	echo "ok - config keys documented # SKIP $conf or $man does not exist"
else
	details=""
	keys=$(sed -nE 's/^[[:space:]]*\{[[:space:]]*"([a-z0-9_]+)",[[:space:]]*"([a-z0-9_]+)",.*/\1 \2/p' "$conf")
	if [ -z "$keys" ]; then
		details="$conf: no { \"section\", \"key\", ... } rows found"
	fi
	while read -r section key; do
		[ -n "$key" ] || continue
		# On a .It or .B line as a word, or in \fBkey\fR anywhere.
		if ! grep -qE "^\.(It|B)([[:space:]].*)?[^A-Za-z0-9_]$key([^A-Za-z0-9_]|$)|\\\\fB$key\\\\f" \
		    "$man"; then
			details="$details${details:+$'\n'}$man: [$section] $key is not documented"
		fi
	done <<<"$keys"
	report "config keys documented ($(printf '%s\n' "$keys" |
	    grep -c .) keys)" "$details"
fi

# 5. Shell scripts under tests/ parse.
details=""
while IFS= read -r f; do
	[ -n "$f" ] || continue
	if ! out=$(bash -n "$f" 2>&1); then
		details="$details${details:+$'\n'}$f: $out"
	fi
done < <(printf '%s\n' "$files" | grep -E '^tests/.*\.sh$')
report "shell scripts under tests/ parse (bash -n)" "$details"

# 6. The layers hold: each is compiled with its own include path only, so
# the one way around it is a relative path; and a root helper carries no
# screen code (the library symbols, linked statically or not, and ours).
details=$(printf '%s\n' "$files" |
    grep -E '^(console|models|shell|commands|bin)/[^/]*\.[ch]$' |
    tr '\n' '\0' | xargs -0 grep -nHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' \
    /dev/null 2>/dev/null)
report "no include by a relative path in console/ models/ shell/ commands/ bin/" \
    "$details"

bdir=${B:-build}
screen_libs='lib(ncurses|ncursesw|tinfo|cdk|edit|form|panel|menu)\.so'
screen_syms='(initscr|newterm|setupterm|initCDKScreen|el_init|el_gets|history_init|ui_[a-z_]+|cmd_table|edit_new)'
details=""
nhelpers=0
for h in "$bdir"/bin/*; do
	[ -f "$h" ] && [ -x "$h" ] || continue
	nhelpers=$((nhelpers + 1))
	if ! libs=$(ldd "$h" 2>&1); then
		details="$details${details:+$'\n'}$h: ldd failed: $libs"
		continue
	fi
	bad=$(printf '%s\n' "$libs" | grep -oE "$screen_libs" | sort -u | tr '\n' ' ')
	[ -z "$bad" ] ||
	    details="$details${details:+$'\n'}$h: loads $bad"
	bad=$({ nm "$h" 2>/dev/null; nm -D "$h" 2>/dev/null; } |
	    awk -v re="^$screen_syms\$" '$NF ~ re { print $NF }' | sort -u |
	    head -n 5 | tr '\n' ' ')
	[ -z "$bad" ] ||
	    details="$details${details:+$'\n'}$h: has $bad"
done
if [ "$nhelpers" -eq 0 ]; then
	details="no helper in $bdir/bin: build first (make all)"
fi
report "no curses, CDK or libedit in a helper ($nhelpers in $bdir/bin, ldd and nm)" \
    "$details"


# 8. sudo grants only helpers that exist: every name in bin/helpers.list
# (the source of the sudoers drop-in's command list) has its program's
# source, so no path is granted where a file could later be planted.
details=""
for n in $(sed -n 's/^\([a-z][a-z0-9]*\)$/\1/p' bin/helpers.list); do
	[ -f "bin/console-helper-$n.c" ] ||
	    details="$details${details:+$'\n'}bin/helpers.list names $n, but bin/console-helper-$n.c does not exist"
done
report "sudoers grants only helpers that are built (bin/helpers.list)" "$details"

[ "$failed" -eq 0 ]
