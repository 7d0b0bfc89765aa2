#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the Debian packages that building, testing, the lab and the
# benchmarks need, and only those that are missing. Runs apt-get update
# first when anything is to be installed. Must work as root with no tty.
set -eu

PKGS="build-essential pkg-config
libncurses-dev libcdk5-dev libinih-dev libjansson-dev libmnl-dev
libcurl4-openssl-dev libc-ares-dev libedit-dev libcmocka-dev
iproute2 iptables dnsmasq-base tinyproxy chrony openssh-server openssh-client udhcpc rsyslog
openssl sudo python3 tmux dialog whiptail valgrind clang libclang-rt-14-dev
procps psmisc kmod strace libfaketime tzdata libssl-dev curl iputils-ping groff-base
debhelper dpkg-dev fakeroot lintian mmdebstrap e2fsprogs"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'make deps' as root (or install them yourself)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Daemons in these packages must not start on the host: the lab starts
# its own copies inside network namespaces.
apt-get install -y -qq --no-install-recommends $missing >/dev/null
