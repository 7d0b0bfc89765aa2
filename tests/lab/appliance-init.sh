#!/bin/bash
# SPDX-License-Identifier: ISC
#
# PID 1 of the image lab's appliance (lab.sh up --image). lab.sh starts it
# in the appliance's network namespace and the lab's UTS namespace, under
# "unshare --mount --pid --ipc --fork --kill-child", so everything it mounts
# exists only in its private mount namespace and everything it starts dies
# with it: when this process ends, for any reason, the kernel kills every
# process of the PID namespace and the mounts go with the namespace.
#
#   appliance-init.sh LAB_DIR IMAGE
#
# The root is an overlay: IMAGE (tests/image/build.sh appliance) read-only
# below, a tmpfs above (LAB_DIR/overlay, visible only here), merged on
# LAB_DIR/appliance; /proc (this PID namespace's), /sys (read-only), a
# minimal /dev (null zero full random urandom tty, ptmx and a new devpts
# instance, shm), /run and /tmp on tmpfs. Then, as a first boot would: the
# host name, resolv.conf, new SSH host keys, the lab CA in the trust store
# (update-ca-certificates), the lab's key for admin, a user "plain" whose
# shell is /bin/sh (the benchmark's reference login); pivot_root into it
# and the image's own sshd, with the sshd_config and drop-ins the image
# has. The host sees the files through /proc/PID/root.
set -eu
D=$1
IMG=$2
M=$D/appliance
T=$D/overlay

trap 'kill -TERM -1 2>/dev/null; exit 0' TERM INT HUP

mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs "$T"
mkdir "$T/upper" "$T/work"
mount -t overlay overlay \
    -o "lowerdir=$IMG,upperdir=$T/upper,workdir=$T/work" "$M"

mount -t proc -o nosuid,nodev,noexec proc "$M/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$M/sys"
mount -t tmpfs -o mode=0755,nosuid,size=1m tmpfs "$M/dev"
mknod -m 0666 "$M/dev/null" c 1 3
mknod -m 0666 "$M/dev/zero" c 1 5
mknod -m 0666 "$M/dev/full" c 1 7
mknod -m 0666 "$M/dev/random" c 1 8
mknod -m 0666 "$M/dev/urandom" c 1 9
mknod -m 0666 "$M/dev/tty" c 5 0
mkdir -m 0755 "$M/dev/pts"
mkdir -m 1777 "$M/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$M/dev/pts"
ln -s pts/ptmx "$M/dev/ptmx"
ln -s /proc/self/fd "$M/dev/fd"
ln -s /proc/self/fd/0 "$M/dev/stdin"
ln -s /proc/self/fd/1 "$M/dev/stdout"
ln -s /proc/self/fd/2 "$M/dev/stderr"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/dev/shm"
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$M/run"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/tmp"
mkdir -m 0755 "$M/run/sshd" "$M/run/lock"

hostname lab-appliance
echo lab-appliance >"$M/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tlab-appliance\n::1\tlocalhost\n' \
    >"$M/etc/hosts"
rm -f "$M/etc/resolv.conf"
cat "$D/root/etc/resolv.conf" >"$M/etc/resolv.conf"

in_img() { chroot "$M" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"; }
in_img ssh-keygen -q -A
cp "$D/tls/ca/ca.crt" "$M/usr/local/share/ca-certificates/appliance-lab-ca.crt"
in_img update-ca-certificates >/dev/null
install -d -m 0700 "$M/home/admin/.ssh"
install -m 0600 "$D/ssh/admin_key.pub" "$M/home/admin/.ssh/authorized_keys"
in_img chown -R admin:admin /home/admin/.ssh
in_img useradd -m -s /bin/sh -p '*' plain
install -d -m 0700 "$M/home/plain/.ssh"
install -m 0600 "$D/ssh/admin_key.pub" "$M/home/plain/.ssh/authorized_keys"
in_img chown -R plain:plain /home/plain/.ssh

# The console lines' cable (ttyline, the lab's own tool) under /run.
install -D -m 0755 "$D/bin/ttyline" "$M/run/lab/ttyline"

# LAB_BREAK=appliance: a configuration sshd refuses, for the tests of a
# failed start.
[ "${LAB_BREAK:-}" != appliance ] ||
    echo "NoSuchDirective yes" >"$M/etc/ssh/sshd_config.d/zz-lab-break.conf"
cd "$M"
pivot_root . mnt
cd /
umount -l /mnt
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/usr/sbin/sshd -t
/usr/sbin/sshd -D -e </dev/null &

# The serial console ttyS0 and the hypervisor console tty1, each a pty
# pair whose master a test takes from /run/lab/LINE.sock (ttyline), and
# on the slave the image's own agetty, login and PAM. ttyS0's agetty gets
# the arguments of the last ExecStart= of the package's drop-in (its %I
# and $TERM filled in as systemd does): the lab cannot drift from what is
# shipped. tty1 gets Debian's getty@.service line with TERM=linux, and a
# window size, as a virtual terminal has.
getty_args() {
	local f=$1 tty=$2 line term="" w out=()
	term=$(sed -n 's/^Environment=TERM=\([A-Za-z0-9._+-]*\)$/\1/p' "$f" | tail -n 1)
	line=$(sed -n 's/^ExecStart=-\{0,1\}//p' "$f" | tail -n 1)
	case $line in
	*[\'\"\\]*|"") echo "appliance-init: $f: ExecStart not one plain line" >&2
		return 1 ;;
	esac
	for w in $line; do
		w=${w//%I/$tty}
		w=${w//\$\{TERM\}/$term}
		w=${w//\$TERM/$term}
		out+=("$w")
	done
	printf '%s\n' "${out[@]}"
}
DROPIN=/lib/systemd/system/serial-getty@ttyS0.service.d/appliance-console.conf
if mapfile -t S0 < <(getty_args "$DROPIN" ttyS0) && [ "${#S0[@]}" -gt 1 ]; then
	printf '%s\n' "${S0[@]}" >/run/lab/ttyS0.args
	/run/lab/ttyline /run/lab/ttyS0.sock /dev/ttyS0 -- "${S0[@]}" \
	    </dev/null &
else
	echo "appliance-init: no serial getty: $DROPIN" >&2
fi
/run/lab/ttyline -w 80x24 /run/lab/tty1.sock /dev/tty1 -- \
    /sbin/agetty -o '-p -- \u' --noclear tty1 linux </dev/null &
# Reap whatever ends up here (the helpers' rollback timers, sessions).
while :; do
	sleep 3600 &
	wait || :
done
