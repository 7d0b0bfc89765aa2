#!/bin/bash
# SPDX-License-Identifier: ISC
# The console as installed, reached as a user reaches it: the image lab
# (lab.sh up --image: the Debian image with the package installed by apt,
# its own sshd with the package's drop-in), and ssh as admin with the lab's
# key from the upstream. Checks: an interactive login lands in the painted
# main menu on a pseudo-terminal (tmux at 80x24), run by admin from
# /usr/bin/appliance-console with no CONSOLE_ROOT; the -c faces (network
# show, resources check, time show with --json, help, version) answer and
# are audited as admin; a shell and sftp are refused; 0 Exit ends the
# session.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../lab/lib.sh"

img_up_or_die imglogin
ok "the image lab is up (sshd of the image on $LAB_APP_ADDR:22)"

# --- the -c faces ------------------------------------------------------------
json_ok() { "$PY" -c 'import json, sys; json.loads(sys.stdin.read())'; }
out=$(img_ssh "$IMG_ADMIN" 'network show --json' 2>&1); rc=$?
check "ssh admin 'network show --json' exits 0" test "$rc" = 0
check "and prints JSON with the appliance's host name and eth0" sh -c \
    'printf "%s" "$1" | "$2" -c "import json,sys; d=json.load(sys.stdin);
assert d[\"hostname\"] == \"lab-appliance\";
assert any(a[\"name\"] == \"eth0\" for a in d[\"adapters\"])"' _ "$out" "$PY"
out=$(img_ssh "$IMG_ADMIN" 'resources check --json' 2>&1); rc=$?
check "ssh admin 'resources check --json' exits 0 or 2 with JSON" \
    sh -c '[ "$1" = 0 ] || [ "$1" = 2 ]' _ "$rc"
check "resources check's output is JSON" json_ok <<<"$out"
out=$(img_ssh "$IMG_ADMIN" 'time show --json' 2>&1); rc=$?
# 2: no NTP server answered (the lab's is not in the image's list).
check "ssh admin 'time show --json' exits 0 or 2" \
    sh -c '[ "$1" = 0 ] || [ "$1" = 2 ]' _ "$rc"
check "time show's output is JSON" json_ok <<<"$out"
check "ssh admin 'help' lists the commands" out_has "Commands:" img_ssh "$IMG_ADMIN" help
check "ssh admin 'version' names the installed version" \
    out_has "appliance-console $(dpkg-deb -f "${LAB_DEB:-$(ls -t "$TOP"/build/deb/appliance-console_*.deb 2>/dev/null |
    head -n 1)}" Version 2>/dev/null || echo '?')" img_ssh "$IMG_ADMIN" version
check "ssh admin 'sh' is refused with exit 1" says 1 "unknown command" img_ssh "$IMG_ADMIN" sh
out=$(echo 'ls /' | ip netns exec "$LAB_NS_UP" sftp -F none -i "$LAB_ADMIN_KEY" \
    -o UserKnownHostsFile="$LAB_APP_KNOWN_HOSTS" -o BatchMode=yes \
    -b - "$IMG_ADMIN" 2>&1); rc=$?
check "sftp to admin fails" test "$rc" != 0
check "the -c runs are audited as admin, from the ssh client's address" \
    grep -q "user=\"admin\" tty=\"-\" from=\"$LAB_UP_ADDR [0-9]* $LAB_APP_ADDR 22\" action=\"cli network show --json\" result=\"ok\"" \
    "$IMG_AUDIT"

# --- the interactive login ---------------------------------------------------
TM="tmux -L ac-img-$LAB_NAME"
trap '$TM kill-server 2>/dev/null; lab_cleanup' EXIT
$TM -f /dev/null new-session -d -x 80 -y 24 \
    "env TERM=xterm-256color bash $LAB ssh $LAB_ENV -tt $IMG_ADMIN; sleep 30"
screen=""
for _ in $(seq 100); do
	screen=$($TM capture-pane -p 2>/dev/null)
	grep -Eq "0 +Exit" <<<"$screen" && break
	sleep 0.1
done
check "an ssh login as admin lands in the main menu (0 Exit shown)" \
    grep -Eq "0 +Exit" <<<"$screen"
check "the menu's header names the appliance's host name" \
    grep -q "lab-appliance" <<<"$screen"
check "the menu lists the network module" grep -q "Network configuration" <<<"$screen"
check "the menu shows the primary address" grep -q "$LAB_APP_ADDR" <<<"$screen"
grep -Eq "0 +Exit" <<<"$screen" || printf '%s\n' "$screen" | sed 's/^/# | /'

# The running console: admin's, the installed binary, no test seam.
pid=$(img_run pgrep -u admin -x appliance-conso | head -n 1)
check "the console runs as admin in the appliance" test -n "$pid"
if [ -n "$pid" ]; then
	check "it is /usr/bin/appliance-console" \
	    test "$(img_run readlink "/proc/$pid/exe")" = /usr/bin/appliance-console
	check "its environment is sshd's login (USER=admin), with no CONSOLE_ROOT" \
	    sh -c 'e=$(tr "\0" "\n" <"$1") && echo "$e" | grep -qx USER=admin &&
	    ! echo "$e" | grep -q "^CONSOLE_ROOT="' \
	    _ "$LAB_APP_ROOT/proc/$pid/environ"
	check "its uid is admin's, not root" sh -c \
	    'awk "/^Uid:/ { exit (\$2 == 0) }" "$1"' _ "$LAB_APP_ROOT/proc/$pid/status"
	check "its tty is a pseudo-terminal of the appliance's devpts" \
	    sh -c 'readlink "$1" | grep -q "^/dev/pts/"' _ "$LAB_APP_ROOT/proc/$pid/fd/0"
fi
$TM send-keys 0
gone=no
for _ in $(seq 50); do
	[ -z "$(img_run pgrep -u admin -x appliance-conso)" ] && { gone=yes; break; }
	sleep 0.1
done
check "0 Exit ends the console and the session" test "$gone" = yes
check "the login was audited with its pseudo-terminal" \
    grep -q 'user="admin" tty="/dev/pts/' "$IMG_AUDIT"
[ "$NFAIL" -eq 0 ]
