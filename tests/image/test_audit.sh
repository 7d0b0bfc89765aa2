#!/bin/bash
# SPDX-License-Identifier: ISC
# The audit trail on the image, as the unprivileged admin over ssh: a
# change made through sudo is recorded by the root helper with admin as
# who asked (sudo's SUDO_USER/SUDO_UID) and the SSH client as where from;
# admin can read the trail (audit show) but not append to it, rewrite it,
# remove it or read its head; audit verify holds, and names the line root
# edits in it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"

img_up_or_die imgaudit
TRAIL=/var/log/appliance-console/trail.log
HEAD=/var/lib/appliance-console/trail.head
as_admin() { img_run su -s /bin/sh -c "$1" admin; }
trail_has() { grep -qE -- "$1" "$LAB_APP_ROOT$TRAIL"; }
mode_is() {	# mode_is "MODE OWNER:GROUP" PATH
	[ "$(img_run stat -c '%a %U:%G' "$2")" = "$1" ]
}

check "the package installs the trail 0640 root:_console-audit" \
    mode_is "640 root:_console-audit" "$TRAIL"
admin_uid=$(img_run id -u admin)

out=$(img_ssh "$IMG_ADMIN" 'proxy remove' 2>&1); rc=$?
check "ssh admin 'proxy remove' (through sudo) exits 0" test "$rc" = 0
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'
check "the helper's record names admin and admin's uid (from sudo)" \
    trail_has "user=\"admin\" uid=\"$admin_uid\" .*helper=\"proxy\" verb=\"remove\" args=\"\" result=\"ok\""
check "... the console's session and the SSH client as where from" \
    trail_has "session=\"[0-9]+\" tty=\"[-a-z0-9/]+\" from=\"$LAB_UP_ADDR [0-9]+\" helper=\"proxy\""
check "the head is root's alone (0600)" mode_is "600 root:root" "$HEAD"

# A refused request is recorded too, with the argument as sent.
as_admin "sudo -n /usr/libexec/appliance-console/console-helper-proxy set http 'a\"b' 80 = =" >/dev/null 2>&1
check "a refused request is recorded, its quote escaped" \
    trail_has "user=\"admin\" .*verb=\"set\" args=\"http a\\\\\"b 80 = =\" result=\"invalid\""

before=$(img_run sha256sum "$TRAIL")
check "admin cannot append to the trail" \
    sh -c '! img_run su -s /bin/sh -c "echo forged >>$1" admin 2>/dev/null' _ "$TRAIL"
check "admin cannot rewrite it (truncate, replace)" \
    sh -c '! img_run su -s /bin/sh -c ": >$1" admin 2>/dev/null && ! img_run su -s /bin/sh -c "cp /dev/null $1.new && mv $1.new $1" admin 2>/dev/null' _ "$TRAIL"
check "admin cannot remove it" \
    sh -c '! img_run su -s /bin/sh -c "rm -f $1" admin 2>/dev/null' _ "$TRAIL"
check "admin cannot read the head" \
    sh -c '! img_run su -s /bin/sh -c "cat $1" admin >/dev/null 2>&1' _ "$HEAD"
check "admin cannot write the head" \
    sh -c '! img_run su -s /bin/sh -c "echo 1 x >$1" admin 2>/dev/null' _ "$HEAD"
check "the trail is unchanged by all of it" test "$(img_run sha256sum "$TRAIL")" = "$before"

show_has() { img_ssh "$IMG_ADMIN" 'audit show --grep proxy' | grep -qE -- "$1"; }
check "admin reads the trail: audit show --grep proxy" \
    show_has " admin from $LAB_UP_ADDR [0-9]+ proxy remove: ok"
check "audit show --json gives the records" \
    out_has '"helper":"proxy","verb":"remove"' img_ssh "$IMG_ADMIN" 'audit show --json'
out=$(img_ssh "$IMG_ADMIN" 'audit verify' 2>&1); rc=$?
check "ssh admin 'audit verify': the chain holds (exit 0)" \
    sh -c '[ "$1" = 0 ] && echo "$2" | grep -q "The audit trail holds"' _ "$rc" "$out"
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# | /'

# Root (or a disk editor) changes the first record: verify names it.
img_run cp "$TRAIL" /root/trail.keep
img_run sed -i '1s/result="ok"/result="OK"/' "$TRAIL"
out=$(img_ssh "$IMG_ADMIN" 'audit verify --json' 2>/dev/null); rc=$?
check "an edited line 1: audit verify exits 2 and names it" \
    sh -c '[ "$1" = 2 ] && echo "$2" | grep -q "\"problem\":\"changed\".*\"line\":1,"' _ "$rc" "$out"
[ "$rc" = 2 ] || printf '# | %s\n' "$out"
img_run cp /root/trail.keep "$TRAIL"
check "put back, the chain holds again" \
    out_has "The audit trail holds" img_ssh "$IMG_ADMIN" 'audit verify'
[ "$NFAIL" -eq 0 ]
