#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The appliance image: a minimal Debian 12 (bookworm) root made by
# mmdebstrap (minbase plus tests/image/packages plus the literal Depends of
# debian/control), cached outside the clone by a hash of that list and of
# this script, so that a second build on the same machine is a copy, not a
# download. The project's .deb is then installed into a copy with apt, in a
# chroot, so its Depends are really resolved. Root only. Prints nothing
# but errors; every command is idempotent.
#
#   build.sh base DIR             a fresh base root in DIR (no package)
#   build.sh appliance DIR DEB [CA]
#                                 base + DEB installed with apt (+ the PEM
#                                 certificate CA in the trust store); DIR
#                                 is left as it is when it was built from
#                                 the same base, DEB and CA
#   build.sh ca ROOT CA           CA into ROOT's trust store
#                                 (update-ca-certificates in a chroot)
#   build.sh hash                 the base's cache key
#   build.sh password ROOT        admin's initial password (one line on
#                                 stdin) set in ROOT and expired, so that
#                                 the first login must change it
#
# The mirror is the host's own apt sources file (deb822 or one-line),
# pasted by mmdebstrap; IMAGE_SOURCES overrides it. IMAGE_CACHE (default
# /var/cache/appliance-console-image) holds base-HASH/ directories; the
# stale ones are removed when a new base is made.
set -u
set -o pipefail
umask 022
export LC_ALL=C
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=/usr/sbin:/sbin:$PATH ;; esac

HERE=$(cd "$(dirname "$0")" && pwd -P)
SELF=$HERE/$(basename "$0")
REPO=$(cd "$HERE/../.." && pwd -P)
CACHE=${IMAGE_CACHE:-/var/cache/appliance-console-image}
SUITE=bookworm
STAMP=.appliance-image

die()
{
	echo "image: $*" >&2
	exit 1
}

usage()
{
	sed -n 's/^#   build.sh/usage: build.sh/p' "$SELF" >&2
	exit 2
}

# sources: the host's apt sources file, the mirror we hand mmdebstrap.
sources()
{
	local f

	for f in ${IMAGE_SOURCES:-} /etc/apt/sources.list.d/debian.sources \
	    /etc/apt/sources.list; do
		[ -n "$f" ] && [ -s "$f" ] && { echo "$f"; return 0; }
	done
	die "no apt sources file on this host (set IMAGE_SOURCES)"
}

# pkg_list: every package of the base, one a line, sorted: the list file
# and the literal names of debian/control's Depends (substitution
# variables and alternatives after the first are left out).
pkg_list()
{
	{
		sed 's/#.*//' "$HERE/packages"
		[ -f "$REPO/debian/control" ] &&
		    sed -n '/^Package: appliance-console$/,/^$/{
			/^Depends:/,/^[^ ]/{ s/^Depends://; /^[A-Z][a-z-]*:/d; p; }
		    }' "$REPO/debian/control" | tr ',' '\n' |
		    sed 's/|.*//; s/(.*)//; s/\[.*\]//; s/\$[{][^}]*[}]//g'
	} | tr -s ' \t' '\n\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u
}

# base_hash: the cache key: the package list and the code of this script
# that makes the base (an edit elsewhere does not throw the cache away).
base_hash()
{
	{ pkg_list; echo "$SUITE"; declare -f pkg_list make_base; } |
	    sha256sum | cut -c1-16
}

# in_root ROOT CMD...: CMD chrooted in ROOT with /proc, /dev and /sys
# mounted in a private mount namespace, which takes them away when CMD
# ends, however it ends. No daemon is started (policy-rc.d says 101).
in_root()
{
	local r=$1
	shift

	unshare -m --propagation private /bin/sh -ec '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount -t sysfs -o ro sysfs "$r/sys"
		mount --bind /dev "$r/dev"
		mount -t tmpfs -o mode=0755 tmpfs "$r/run"
		mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
		exec chroot "$r" /usr/bin/env -i \
		    PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		    DEBIAN_FRONTEND=noninteractive "$@"' _ "$r" "$@"
}

# make_base: the cached base root for the current hash, made once.
make_base()
{
	local h=$1 dir=$CACHE/base-$h tmp log

	[ -f "$dir/$STAMP" ] && return 0
	command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (make deps)"
	mkdir -p "$CACHE" || die "cannot make $CACHE"
	tmp=$(mktemp -d "$CACHE/tmp.XXXXXX") || die "mktemp in $CACHE failed"
	log=$tmp.log
	# The lists stay, compressed (apt can resolve a Depends the base
	# lacks); translations, documentation, manual pages and locales are left
	# out but for our own package's and the copyright files (every copy of the
	# base writes less); the host keys go (each lab makes its own); no
	# daemon starts.
	if ! mmdebstrap --variant=minbase --mode=root --format=directory \
	    --include="$(pkg_list | paste -sd, -)" \
	    --skip=cleanup/apt/lists \
	    --aptopt='Acquire::GzipIndexes "true"' \
	    --aptopt='Acquire::CompressionTypes::Order:: "gz"' \
	    --aptopt='Acquire::Languages "none"' \
	    --dpkgopt='path-exclude=/usr/share/locale/*' \
	    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
	    --dpkgopt='path-exclude=/usr/share/doc/*' \
	    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	    --dpkgopt='path-include=/usr/share/doc/appliance-console/*' \
	    --dpkgopt='path-exclude=/usr/share/man/*' \
	    --dpkgopt='path-include=/usr/share/man/man[1-8]/appliance-console*' \
	    --dpkgopt='path-include=/usr/share/man/man[1-8]/console*' \
	    --dpkgopt='path-include=/usr/share/man/man[1-8]/testconn*' \
	    --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
	    --customize-hook='printf "#!/bin/sh\nexit 101\n" >"$1/usr/sbin/policy-rc.d"; chmod 0755 "$1/usr/sbin/policy-rc.d"' \
	    --customize-hook='echo appliance >"$1/etc/hostname"; : >"$1/etc/machine-id"' \
	    "$SUITE" "$tmp/root" "$(sources)" >"$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/image: | /' >&2
		rm -rf "$tmp"
		die "mmdebstrap failed (log: $log)"
	fi
	echo "$h" >"$tmp/root/$STAMP"
	# Another build may have won the race: keep the first.
	if ! mv -T "$tmp/root" "$dir" 2>/dev/null; then
		rm -rf "$tmp/root"
	fi
	rm -rf "$tmp" "$log"
	# Older bases are stale (another list or builder): free the disk.
	for tmp in "$CACHE"/base-*; do
		[ "$tmp" = "$dir" ] || rm -rf "$tmp"
	done
}

# copy_base DIR: DIR becomes a fresh copy of the cached base.
copy_base()
{
	local h dir=$1

	h=$(base_hash)
	# One builder at a time: another list's build removes stale bases,
	# which must not be the one being copied here.
	mkdir -p "$CACHE" || die "cannot make $CACHE"
	exec 9>"$CACHE/.lock" && flock 9 || die "cannot lock $CACHE"
	make_base "$h"
	# The package makes its audit log append-only (chattr +a).
	rm -rf "$dir" 2>/dev/null ||
	    { chattr -R -a "$dir" 2>/dev/null; rm -rf "$dir"; } ||
	    die "cannot remove $dir"
	mkdir -p "$(dirname "$dir")" || die "cannot make $(dirname "$dir")"
	cp -a --reflink=auto "$CACHE/base-$h" "$dir.tmp.$$" &&
	    mv -T "$dir.tmp.$$" "$dir" || { rm -rf "$dir.tmp.$$"; die "cannot copy the base to $dir"; }
	exec 9>&-
}

cmd_ca()
{
	local r=$1 ca=$2 log

	[ -f "$ca" ] || die "no such certificate: $ca"
	[ -x "$r/usr/sbin/update-ca-certificates" ] || die "$r has no ca-certificates"
	mkdir -p "$r/usr/local/share/ca-certificates" &&
	    cp "$ca" "$r/usr/local/share/ca-certificates/appliance-lab-ca.crt" ||
	    die "cannot copy $ca into $r"
	log=$(mktemp /tmp/ac-image-ca.XXXXXX)
	if ! in_root "$r" update-ca-certificates >"$log" 2>&1; then
		sed 's/^/image: | /' "$log" >&2
		rm -f "$log"
		die "update-ca-certificates failed in $r"
	fi
	rm -f "$log"
}

cmd_appliance()
{
	local dir=$1 deb=$2 ca=${3:-} want log

	[ -f "$deb" ] || die "no such package: $deb (make deb)"
	[ -z "$ca" ] || [ -f "$ca" ] || die "no such certificate: $ca"
	want="$(base_hash) $(sha256sum <"$deb" | cut -c1-16) $([ -n "$ca" ] &&
	    sha256sum <"$ca" | cut -c1-16)"
	[ "$(cat "$dir/$STAMP" 2>/dev/null)" = "$want" ] && return 0
	copy_base "$dir"
	cp "$deb" "$dir/var/tmp/appliance-console.deb" || die "cannot copy $deb"
	log=$(mktemp /tmp/ac-image-apt.XXXXXX)
	# apt, not dpkg -i: the package's Depends are resolved as on a
	# real machine (here from the base, which holds them all).
	if ! in_root "$dir" apt-get install -y -q --no-install-recommends \
	    /var/tmp/appliance-console.deb >"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/image: | /' >&2
		rm -f "$log"
		die "apt-get install of $deb failed in $dir"
	fi
	rm -f "$log" "$dir/var/tmp/appliance-console.deb"
	[ -z "$ca" ] || cmd_ca "$dir" "$ca"
	echo "$want" >"$dir/$STAMP"
}

[ "$(id -u)" = 0 ] || die "building the image needs root (mmdebstrap, chroot)"
# cmd_password ROOT: what an installer does for the first boot (README,
# "Installing"): chpasswd, then chage -d 0 (expired: the first login on
# any path changes it before anything else).
cmd_password() {
	local pw
	IFS= read -r pw || die "no password on stdin"
	printf 'admin:%s\n' "$pw" | chroot "$1" /usr/sbin/chpasswd ||
	    die "chpasswd failed in $1"
	chroot "$1" /usr/bin/chage -d 0 admin || die "chage failed in $1"
}

case ${1:-} in
base)		[ $# = 2 ] || usage; copy_base "$2"; base_hash >"$2/$STAMP" ;;
appliance)	[ $# = 3 ] || [ $# = 4 ] || usage; shift; cmd_appliance "$@" ;;
ca)		[ $# = 3 ] || usage; cmd_ca "$2" "$3" ;;
hash)		base_hash ;;
password)	[ $# = 2 ] || usage; cmd_password "$2" ;;
*)		usage ;;
esac
