#!/bin/bash
# SPDX-License-Identifier: ISC
# The escape suite (tests/security) again, against the console as
# installed in the image lab: its -c lines run as admin inside the
# appliance (nsenter into its namespaces and root, setpriv to admin with
# admin's groups), its ssh lines (s, e, E) go to the image's own sshd with
# the package's drop-in and Debian's sshd_config. Same attack lines, same
# canaries (tests/security/canaries.sh, made in /srv/ac-escape of the
# lab's overlay), same verdicts (tests/security/attack.py with enter=PID).
# Here admin has the package's sudoers rule, so privileged lines reach the
# helpers for real.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"
. "$TOP/tests/security/canaries.sh"
SEC=$TOP/tests/security
W=/srv/ac-escape

start=$(date +%s)
img_up_or_die imgesc
O=$LAB_APP_ROOT
uid=$(img_run id -u admin) || { notok "no admin user in the image"; exit 1; }
home=$(img_run getent passwd admin | cut -d: -f6)
mkdir -m 0755 "$O$W" || { notok "cannot make $W in the appliance"; exit 1; }
make_canaries "$W" "$uid" "$O"
ip netns exec "$LAB_NS_UP" /usr/bin/python3 -I "$SEC/attack.py" \
    attacks="$SEC/attacks.txt" w="$W" can="$W/can" \
    secret="$W/secret" evil="$W/evil" evilso="$W/evil.so" \
    evilbin="$W/evilbin" evilrc="$W/evilrc" uid="$uid" \
    console=/usr/bin/appliance-console home="$home" \
    audit=/var/log/appliance-console/audit.log \
    addr="$LAB_APP_ADDR" port=22 key="$LAB_ADMIN_KEY" \
    known_hosts="$LAB_APP_KNOWN_HOSTS" \
    enter="$LAB_APP_PID" outer="$O" methods=cseE
rc=$?
echo "# image escape suite: $(($(date +%s) - start)) s"
exit "$rc"
