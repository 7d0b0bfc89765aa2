#!/bin/bash
# SPDX-License-Identifier: ISC
# The first login and the password policy on the installed image (issue
# 14): admin's initial password set expired as the image builder does
# (build.sh password: chpasswd, chage -d 0); the first login over SSH with
# a key (the console finds the expired password through
# console-helper-account and changes it first) and with the password
# (sshd and PAM change it first); Ctrl-C, a hang-up or a wrong current
# password leave it unchanged and the menu unreached; pwquality's reasons
# for at least 12 refused passwords; the fingerprint and the layout
# warning; passwd at the prompt; six bad SSH passwords lock SSH while a
# local login (login(1) on a pty) still works and clears the lock.
# tests/image/password.py drives each login on its own pty.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"

img_up_or_die imgpw
ok "the image lab is up (sshd of the image on $LAB_APP_ADDR:22)"

check "the PAM profiles are in the image's common-auth (faillock, sshd only)" \
    grep -q "pam_faillock.so preauth" "$LAB_APP_ROOT/etc/pam.d/common-auth"
check "and pwquality with the policy in common-password" \
    grep -q "pam_pwquality.so.*minlen=15" "$LAB_APP_ROOT/etc/pam.d/common-password"
check "the fingerprint key is root:admin 0640, 32 bytes" sh -c \
    '[ "$(chroot "$1" stat -c "%U:%G %a %s" "$2")" = "root:admin 640 32" ]' \
    _ "$LAB_APP_ROOT" /var/lib/appliance-console/fingerprint.key

export LAB LAB_ENV LAB_NS_UP LAB_APP_ADDR LAB_APP_ROOT LAB_ADMIN_KEY \
    LAB_APP_KNOWN_HOSTS
export BUILD=$TOP/tests/image/build.sh TOP
export PW_INITIAL='Initial-Setup-Pass-4172#'
export PW_GOOD='Correct-Horse@Battery-91'
export PW_GOOD2='Second-Granite+Kettle-58'
export PW_GOOD3='Third-Lantern=Meadow-37'
"$PY" "$TOP/tests/image/password.py" "$@" || NFAIL=$((NFAIL + 1))
[ "$NFAIL" = 0 ]
