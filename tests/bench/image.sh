#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The image's figures (run by bench.sh, or alone; root):
#   - tests/image/build.sh base, cold (an empty cache of its own: every
#     package downloaded and unpacked by mmdebstrap) and warm (the same
#     cache: a copy), and `appliance` warm (copy + apt-get install of the
#     package);
#   - in an image lab (lab.sh up --image), ssh from the upstream with the
#     lab's key: login as admin until the console's main menu is painted,
#     against login as "plain" (shell /bin/sh) running `true`, both with a
#     pty (-tt) through the same ptyrun harness, taking turns within each
#     run; paint_ms is the time of the last byte before output goes quiet
#     (the painted menu; for `true`, ssh's closing line). Medians.
# Prints the figures and a Markdown copy; fails only when it cannot measure.
#
# Usage: image.sh [-n runs] [--no-cold]
#   -n        logins of each kind (7)
#   --no-cold skip the cold build (it downloads the whole base again)
# Environment: B (build dir), LAB_DEB (the package; default the newest
# $B/deb/appliance-console_*.deb).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
PTYRUN=$B/tests/ptyrun
BUILD_SH=$ROOT/tests/image/build.sh
LAB_SH=$ROOT/tests/lab/lab.sh
RUNS=7
COLD=1
while [ $# -gt 0 ]; do
	case $1 in
	-n)	RUNS=$2; shift ;;
	--no-cold) COLD="" ;;
	*)	echo "usage: image.sh [-n runs] [--no-cold]" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "image.sh: needs root" >&2; exit 1; }
[ -x "$PTYRUN" ] || { echo "image.sh: $PTYRUN missing (make)" >&2; exit 1; }
DEB=${LAB_DEB:-$(ls -t "$B"/deb/appliance-console_*.deb 2>/dev/null | head -n 1)}
[ -f "$DEB" ] || { echo "image.sh: no package (make deb)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/ac-bench-image.XXXXXX)
env=""
cleanup() {
	[ -z "$env" ] || bash "$LAB_SH" down "$env" >/dev/null 2>&1
	chattr -R -a "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# secs CMD...: CMD's wall time in seconds (two decimals), or "fail".
secs() {
	local t0 t1
	t0=$EPOCHREALTIME
	"$@" || { echo fail; return 1; }
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "fail";
    else if (NR % 2) print v[(NR + 1) / 2];
    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cold=-
if [ -n "$COLD" ]; then
	cold=$(IMAGE_CACHE=$tmp/cache secs bash "$BUILD_SH" base "$tmp/base") ||
	    echo "image.sh: the cold build failed" >&2
	warm=$(IMAGE_CACHE=$tmp/cache secs bash "$BUILD_SH" base "$tmp/base")
	rm -rf "$tmp/cache"
else
	bash "$BUILD_SH" base "$tmp/base" >/dev/null
	warm=$(secs bash "$BUILD_SH" base "$tmp/base")
fi
rm -f "$tmp/app/.appliance-image"
bash "$BUILD_SH" appliance "$tmp/app" "$DEB" >/dev/null 2>&1
rm -f "$tmp/app/.appliance-image"
app=$(secs bash "$BUILD_SH" appliance "$tmp/app" "$DEB")
chattr -R -a "$tmp" 2>/dev/null
rm -rf "$tmp/base" "$tmp/app"

env=$(LAB_DEB=$DEB bash "$LAB_SH" up --image) || { echo "image.sh: lab up --image failed" >&2; exit 1; }
# shellcheck disable=SC1090 # the lab's env file
. "$env"
SSH=(/usr/sbin/ip netns exec "$LAB_NS_UP" /usr/bin/ssh -F none -i "$LAB_ADMIN_KEY"
    -o UserKnownHostsFile="$LAB_APP_KNOWN_HOSTS" -o StrictHostKeyChecking=yes
    -o BatchMode=yes -tt)
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
# One of each first, not counted: caches warm.
"$PTYRUN" -q 300 -k 0 -- "${SSH[@]}" "admin@$LAB_APP_ADDR" >/dev/null 2>&1
"$PTYRUN" -q 300 -- "${SSH[@]}" "plain@$LAB_APP_ADDR" true >/dev/null 2>&1
for ((i = 0; i < RUNS; i++)); do
	"$PTYRUN" -q 300 -t xterm-256color -k 0 -- "${SSH[@]}" "admin@$LAB_APP_ADDR" \
	    2>>"$tmp/err" | field paint_ms >>"$tmp/menu"
	"$PTYRUN" -q 300 -t xterm-256color -- "${SSH[@]}" "plain@$LAB_APP_ADDR" true \
	    2>>"$tmp/err" | field paint_ms >>"$tmp/true"
done
menu=$(median <"$tmp/menu")
sh_true=$(median <"$tmp/true")
ratio=$(awk -v a="$menu" -v b="$sh_true" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "fail" }')
[ -s "$tmp/err" ] && sed 's/^/image.sh: /' "$tmp/err" | sort | uniq -c | head -5 >&2

echo "image build, base, cold (s):              $cold"
echo "image build, base, warm (s):              $warm   (target <= 15)"
echo "image build, base + package, warm (s):    $app   (target <= 15)"
echo "ssh login as admin to painted menu (ms):  $menu   (median of $RUNS)"
echo "ssh login as plain (/bin/sh) to true (ms): $sh_true"
echo "ratio:                                    $ratio   (target <= 1.2)"
echo
echo "| figure | measured | target |"
echo "| --- | ---: | --- |"
echo "| image build, base, cold: mmdebstrap downloads and unpacks (s) | $cold | - |"
echo "| image build, base, warm: a copy of the cached base (s) | $warm | <= 15 |"
echo "| image build, base + package installed with apt, warm (s) | $app | <= 15 |"
echo "| ssh login as admin to the painted main menu, on the image (ms) | $menu | - |"
echo "| ssh login as a /bin/sh user running \`true\`, same image, same run (ms) | $sh_true | - |"
echo "| ratio | $ratio | <= 1.2 |"
