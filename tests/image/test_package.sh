#!/bin/bash
# SPDX-License-Identifier: ISC
# The package's life in a real Debian 12 root: installed with apt in a
# chroot (so Depends are really resolved), its files, modes and accounts
# checked, reinstalled, upgraded from this version to a newer one with the
# network, proxy, time and firewall state kept, a broken sudoers drop-in
# refused by postinst (moved aside, sudo still working), then dpkg -r
# (files gone, state and user kept) and dpkg -P (state, logs, user and
# groups gone, nothing left that dpkg does not know).
#
# The root comes from tests/image/build.sh base (a fresh copy of the
# cached base image without our package); without that builder, from
# mmdebstrap here. PKG_DEB=FILE uses a .deb built already for the first
# version; the newer one is always built from a copy of this tree.
# Root only; everything happens in a private mount namespace.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
if [ -z "${PKG_TEST_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "not ok - the package test needs root"; exit 1; }
	PKG_TEST_INNER=1 exec unshare -m -- bash "$0" "$@"
fi
set -u
cd "$(dirname "$0")/../.."
TOP=$(pwd)
. tests/lib/tap.sh
mount --make-rprivate /

W=$(mktemp -d /tmp/ac-pkg.XXXXXX)
R=$W/root
trap 'umount -R "$R/proc" "$R/dev" 2>/dev/null; rm -rf "$W"' EXIT

fail() { notok "$*"; exit 1; }
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
apt_in() { in_root apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
# The root's names for the owner and group: stat inside the chroot.
mode_is() { [ "$(in_root stat -c '%a %U:%G' "$2" 2>/dev/null)" = "$1" ]; }
sum_of() { (cd "$R" && sha256sum "$@" 2>/dev/null); }

# --- the two packages ------------------------------------------------------
V1=$(dpkg-parsechangelog -S Version)
V2=$V1+test1
DEB1=${PKG_DEB:-}
if [ -z "$DEB1" ]; then
	make -s deb DEB_DIR="$W/deb1" >"$W/deb1.log" 2>&1 ||
	    { tail -20 "$W/deb1.log"; fail "make deb builds version $V1"; }
	DEB1=$(ls "$W"/deb1/appliance-console_"$V1"_*.deb)
fi
[ -f "$DEB1" ] || fail "the package of version $V1 is there ($DEB1)"
ok "the package of version $V1: $(basename "$DEB1")"
# The newer version: a copy of the tree with one more changelog entry.
mkdir -p "$W/src2"
tar -C "$TOP" --exclude=./build --exclude=./.git -cf - . | tar -C "$W/src2" -xf -
{
	printf 'appliance-console (%s) bookworm; urgency=medium\n\n' "$V2"
	printf '  * The upgrade test'"'"'s newer version.\n\n'
	printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -S Maintainer)" \
	    "$(date -R)"
	cat debian/changelog
} >"$W/src2/debian/changelog"
make -s deb DEB_SRC="$W/src2" DEB_DIR="$W/deb2" >"$W/deb2.log" 2>&1 ||
    { tail -20 "$W/deb2.log"; fail "make deb builds version $V2"; }
DEB2=$(ls "$W"/deb2/appliance-console_"$V2"_*.deb)
ok "the package of version $V2: $(basename "$DEB2")"

# --- the root ----------------------------------------------------------------
if [ -x tests/image/build.sh ]; then
	bash tests/image/build.sh base "$R" || fail "tests/image/build.sh base makes a root"
	ok "a fresh base root from tests/image/build.sh"
else
	mmdebstrap --quiet --variant=minbase \
	    --include=openssh-server,sudo,passwd,iproute2,iptables,busybox,groff-base,tzdata,ca-certificates \
	    bookworm "$R" /etc/apt/sources.list.d/debian.sources >"$W/mm.log" 2>&1 ||
	    { tail -20 "$W/mm.log"; fail "mmdebstrap makes a root"; }
	ok "a fresh base root from mmdebstrap"
fi
in_root dpkg -s appliance-console >/dev/null 2>&1 &&
    fail "the base root holds no appliance-console"
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" ||
    fail "proc and dev in the root"
[ -s "$R/etc/resolv.conf" ] || cp /etc/resolv.conf "$R/etc/resolv.conf"
# Daemons of the root never start here (policy-rc.d is the Debian way).
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 0755 "$R/usr/sbin/policy-rc.d"
mkdir -p "$R/run/sshd"
# sudo looks its host name up.
grep -qw "$(hostname)" "$R/etc/hosts" 2>/dev/null ||
    echo "127.0.1.1 $(hostname)" >>"$R/etc/hosts"
apt_in update >"$W/apt.log" 2>&1 || { tail "$W/apt.log"; fail "apt-get update in the root"; }
# The package's Depends and Recommends first, so that the paths compared
# after the purge are the package's own (its dependencies stay installed).
deps=$(dpkg-deb -f "$DEB1" Depends Recommends | sed -n 's/^[A-Za-z]*: //p' |
    paste -sd, -)
apt_in satisfy "$deps" >"$W/apt.log" 2>&1 ||
    { tail "$W/apt.log"; fail "apt-get satisfy the package's dependencies"; }
# The image makes its sshd host keys at first boot; sshd -t needs some.
in_root ssh-keygen -A >/dev/null 2>&1 || fail "ssh-keygen -A in the root"
# Every path before the package, to compare after the purge.
listing() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./run \
	    -o -path ./tmp -o -path ./var/cache -o -path ./var/lib/apt \
	    -o -path ./var/lib/dpkg -o -path ./var/log \) -prune -o -print |
	    grep -v -e '-$' -e '^\./etc/.*\.dpkg-old$' | sort)
}
listing >"$W/before"

# --- install with apt ----------------------------------------------------------
cp "$DEB1" "$DEB2" "$R/tmp/"
D1=/tmp/$(basename "$DEB1")
D2=/tmp/$(basename "$DEB2")
if apt_in install "$D1" >"$W/apt.log" 2>&1; then
	ok "apt-get install ./$(basename "$DEB1") in the root (Depends resolved)"
else
	tail -20 "$W/apt.log"
	fail "apt-get install ./$(basename "$DEB1") in the root"
fi
check "dpkg says version $V1 is installed" test \
    "$(in_root dpkg-query -W -f='${Status} ${Version}' appliance-console)" = \
    "install ok installed $V1"

# --- files and modes -------------------------------------------------------------
in_root dpkg -L appliance-console >"$W/files"
for f in /usr/bin/appliance-console \
    /usr/libexec/appliance-console/console-helper-network \
    /usr/libexec/appliance-console/console-helper-firewall \
    /usr/libexec/appliance-console/console-helper-time \
    /usr/libexec/appliance-console/console-helper-proxy \
    /usr/libexec/appliance-console/console-dhcp-event \
    /usr/libexec/appliance-console/testconn \
    /etc/appliance-console/console.conf \
    /etc/appliance-console/commands.d/900-support-info \
    /etc/sudoers.d/appliance-console \
    /etc/ssh/sshd_config.d/appliance-console.conf \
    /lib/systemd/system/appliance-console-network.service \
    /lib/systemd/system/appliance-console-firewall.service \
    /etc/init.d/appliance-console-network /etc/init.d/appliance-console-firewall \
    /usr/share/man/man8/appliance-console.8.gz /usr/share/man/man5/console.conf.5.gz \
    /usr/share/man/man1/testconn.1.gz; do
	check "dpkg -L lists $f and it is there" \
	    eval "grep -qx '$f' '$W/files' && test -e '$R$f'"
done
conf=$(in_root dpkg-query -W -f='${Conffiles}' appliance-console)
for f in /etc/appliance-console/console.conf /etc/sudoers.d/appliance-console \
    /etc/ssh/sshd_config.d/appliance-console.conf; do
	check "$f is a conffile" eval "printf '%s' \"\$conf\" | grep -q ' $f '"
done
check "sudoers drop-in 0440 root:root" mode_is "440 root:root" /etc/sudoers.d/appliance-console
check "visudo -c passes with the drop-in" in_root visudo -c -q
check "the console 0755 root:root" mode_is "755 root:root" /usr/bin/appliance-console
check "/var/lib/appliance-console 0755 root:root" mode_is "755 root:root" /var/lib/appliance-console
check "/var/log/appliance-console 2750 root:_console-audit" \
    mode_is "2750 root:_console-audit" /var/log/appliance-console
check "audit.log 0620 root:_console-audit" \
    mode_is "620 root:_console-audit" /var/log/appliance-console/audit.log
check "the log directory's mode is a dpkg-statoverride" eval \
    "in_root dpkg-statoverride --list /var/log/appliance-console >/dev/null"
check "/etc/shells names the console" grep -qx /usr/bin/appliance-console "$R/etc/shells"
check "the network unit is enabled (multi-user.target.wants)" test -L \
    "$R/etc/systemd/system/multi-user.target.wants/appliance-console-network.service"
check "the firewall unit is enabled (multi-user.target.wants)" test -L \
    "$R/etc/systemd/system/multi-user.target.wants/appliance-console-firewall.service"
check "the init scripts are enabled (rcS.d links)" eval \
    "ls '$R'/etc/rcS.d/S*appliance-console-network '$R'/etc/rcS.d/S*appliance-console-firewall >/dev/null 2>&1"
check "sshd -t accepts the configuration with the drop-in" in_root /usr/sbin/sshd -t

# --- accounts ----------------------------------------------------------------------
IFS=: read -r _ _ auid _ _ ahome ashell <<<"$(in_root getent passwd admin)"
check "admin exists" test -n "${auid:-}"
check "admin's home is /home/admin and exists" eval "test '${ahome:-}' = /home/admin && test -d '$R/home/admin'"
check "admin's login shell is the console" test "${ashell:-}" = /usr/bin/appliance-console
check "admin's password is locked" eval "in_root getent shadow admin | cut -d: -f2 | grep -q '^!'"
check "admin is in _console-audit" eval "in_root id -nG admin | grep -qw _console-audit"
IFS=: read -r _ _ tuid tgid _ thome tshell <<<"$(in_root getent passwd _testconn)"
check "_testconn is a system account (uid ${tuid:-none} < 1000)" test "${tuid:-1000}" -lt 1000
check "_testconn has its own group" test "$(in_root getent group _testconn | cut -d: -f3)" = "${tgid:-x}"
check "_testconn: no home, nologin" eval "test '${thome:-}' = /nonexistent && test ! -e '$R/nonexistent' && test '${tshell:-}' = /usr/sbin/nologin"
check "_testconn is in _console-audit (the DHCP hook audits refused leases)" \
    eval "in_root id -nG _testconn | grep -qw _console-audit"

# --- the installed console, as admin ------------------------------------------------
as_admin() { in_root runuser -u admin -- "$@"; }
check "admin runs the installed console (-c version)" eval \
    "as_admin /usr/bin/appliance-console -c version | grep -q '$(echo "$V1" | sed 's/[-+~].*//')'"
check "sudo -l for admin lists the helpers and nothing else" eval \
    "as_admin sudo -n -l | grep -q /usr/libexec/appliance-console/console-helper-network && ! as_admin sudo -n -l | grep -q '(ALL'"
check "admin sets a proxy with the installed console, through sudo and the shipped drop-in" \
    as_admin /usr/bin/appliance-console -c 'proxy set http proxy.example.org 3128'
check "proxy.conf 0644, proxy.env root-only 0600" eval \
    "mode_is '644 root:root' /etc/appliance-console/proxy.conf && mode_is '600 root:root' /etc/appliance-console/proxy.env"
check "admin appends to the audit log (the console's own record)" eval \
    "as_admin /usr/bin/appliance-console -c 'proxy show' >/dev/null; test -s '$R/var/log/appliance-console/audit.log'"
check "trail.log 0640 root:_console-audit, the head 0600 root:root" eval \
    "mode_is '640 root:_console-audit' /var/log/appliance-console/trail.log && mode_is '600 root:root' /var/lib/appliance-console/trail.head"
check "admin cannot remove the audit log" eval "! as_admin rm -f /var/log/appliance-console/audit.log 2>/dev/null && test -e '$R/var/log/appliance-console/audit.log'"
unknown=$(cd "$R" && find usr/libexec/appliance-console etc/appliance-console \
    var/lib/appliance-console -type f | while read -r f; do
	case /$f in /etc/appliance-console/proxy.conf|/etc/appliance-console/proxy.env|\
	    /var/lib/appliance-console/fingerprint.key|\
	    /var/lib/appliance-console/trail.head) continue ;; esac
	in_root dpkg -S "/$f" >/dev/null 2>&1 || printf '/%s ' "$f"; done)
check "every file of ours is known to dpkg -S or documented state (${unknown:-all})" test -z "$unknown"

# --- state that must survive -------------------------------------------------------
mkdir -p "$R/etc/chrony/sources.d"
echo "# network.conf kept across upgrades" >"$R/etc/appliance-console/network.conf"
echo "*filter" >"$R/etc/appliance-console/iptables.rules"
chmod 0600 "$R/etc/appliance-console/iptables.rules"
echo "server ntp.example.org iburst" >"$R/etc/chrony/sources.d/appliance-console.sources"
echo "ntp.example.org" >"$R/var/lib/appliance-console/ntp-servers"
STATE="etc/appliance-console/network.conf etc/appliance-console/proxy.conf
etc/appliance-console/proxy.env etc/appliance-console/iptables.rules
etc/chrony/sources.d/appliance-console.sources var/lib/appliance-console/ntp-servers"
# shellcheck disable=SC2086
sum_of $STATE >"$W/state.sum"
# A password set since: neither reinstall nor upgrade may lock it again.
in_root usermod -p '$6$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrs' admin
shadow1=$(in_root getent shadow admin)
state_kept() {
	# shellcheck disable=SC2086
	[ "$(sum_of $STATE)" = "$(cat "$W/state.sum")" ]
}

check "reinstall (apt-get install --reinstall)" eval "apt_in install --reinstall '$D1' >'$W/apt.log' 2>&1"
check "after the reinstall: network, proxy, time and firewall state kept" state_kept
check "after the reinstall: admin's password unchanged" test "$(in_root getent shadow admin)" = "$shadow1"
check "after the reinstall: one console line in /etc/shells" test \
    "$(grep -cx /usr/bin/appliance-console "$R/etc/shells")" -eq 1

check "upgrade $V1 -> $V2 with apt" eval "apt_in install '$D2' >'$W/apt.log' 2>&1"
check "dpkg says version $V2 is installed" test \
    "$(in_root dpkg-query -W -f='${Status} ${Version}' appliance-console)" = \
    "install ok installed $V2"
check "after the upgrade: network, proxy, time and firewall state kept" state_kept
check "after the upgrade: admin's password unchanged" test "$(in_root getent shadow admin)" = "$shadow1"
check "after the upgrade: the audit log and its modes kept" \
    mode_is "620 root:_console-audit" /var/log/appliance-console/audit.log
check "after the upgrade: proxy.env still 0600" mode_is "600 root:root" /etc/appliance-console/proxy.env

# --- a broken sudoers drop-in ---------------------------------------------------------
SUD=$R/etc/sudoers.d/appliance-console
cp -p "$SUD" "$W/sudoers.good"
chmod u+w "$SUD" && echo "admin ALL = this is not sudoers" >>"$SUD" && chmod 0440 "$SUD"
if apt_in install --reinstall "$D2" >"$W/apt.log" 2>&1; then
	notok "postinst refuses a broken sudoers drop-in"
else
	ok "postinst refuses a broken sudoers drop-in"
fi
check "it says why (visudo) on its output" grep -q "does not pass 'visudo -c'" "$W/apt.log"
check "the broken drop-in is moved aside (not read by sudo)" eval \
    "test ! -e '$SUD' && test -e '$SUD.dpkg-broken'"
check "sudo still works for root (visudo -c of the whole configuration)" in_root visudo -c -q
check "sudo still runs a command" eval "in_root sudo -n true"
cp -p "$W/sudoers.good" "$SUD"
check "after the repair, dpkg --configure -a finishes" eval "in_root dpkg --configure -a >'$W/apt.log' 2>&1"
rm -f "$SUD.dpkg-broken"

# --- remove: files gone, state and user kept -------------------------------------------
check "dpkg -r appliance-console" eval "in_root dpkg -r appliance-console >'$W/apt.log' 2>&1"
gone=""
for f in /usr/bin/appliance-console /usr/libexec/appliance-console/console-helper-network \
    /usr/libexec/appliance-console/testconn /lib/systemd/system/appliance-console-network.service \
    /usr/share/man/man8/appliance-console.8.gz; do
	[ -e "$R$f" ] && gone="$gone $f"
done
check "after dpkg -r: the programs, units and pages are gone (${gone:-all})" test -z "$gone"
check "after dpkg -r: the state is kept" state_kept
check "after dpkg -r: the audit log is kept" test -e "$R/var/log/appliance-console/audit.log"
check "after dpkg -r: admin and the groups are kept" eval \
    "in_root getent passwd admin >/dev/null && in_root getent group _console-audit >/dev/null && in_root getent passwd _testconn >/dev/null"
check "after dpkg -r: the console is out of /etc/shells" \
    lacks -E "$R/etc/shells" '^/usr/bin/appliance-console$'
check "after dpkg -r: sudo still works" in_root visudo -c -q

# --- purge: state, logs and accounts gone too -------------------------------------------
check "dpkg -P appliance-console" eval "in_root dpkg -P appliance-console >'$W/apt.log' 2>&1"
left=""
for f in $STATE var/log/appliance-console var/lib/appliance-console \
    etc/appliance-console etc/sudoers.d/appliance-console home/admin; do
	[ -e "$R/$f" ] && left="$left /$f"
done
check "after dpkg -P: state, logs, conffiles and admin's home gone (${left:-all})" test -z "$left"
for a in "passwd admin" "passwd _testconn" "group _console-audit" "group _testconn" "group admin"; do
	# shellcheck disable=SC2086
	check "after dpkg -P: no $a" eval "! in_root getent $a >/dev/null"
done
check "after dpkg -P: no statoverride left" eval \
    "! in_root dpkg-statoverride --list /var/log/appliance-console >/dev/null"
check "after dpkg -P: dpkg knows nothing of the package" eval \
    "! in_root dpkg -s appliance-console >/dev/null 2>&1"
listing >"$W/after"
# dpkg -S knows a path under the name its package ships it (/bin or
# /usr/bin on a merged /usr): either will do.
known() {
	local p=$1
	in_root dpkg -S "$p" >/dev/null 2>&1 && return 0
	case $p in
	/usr/*) in_root dpkg -S "${p#/usr}" >/dev/null 2>&1 ;;
	*) in_root dpkg -S "/usr$p" >/dev/null 2>&1 ;;
	esac
}
extra=$(comm -13 "$W/before" "$W/after" | while read -r f; do
	known "${f#.}" || printf '%s ' "${f#.}"; done)
check "after dpkg -P: no path left that dpkg -S does not know (${extra:-none})" test -z "$extra"

[ "$NFAIL" -eq 0 ]
