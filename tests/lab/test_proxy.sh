#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 100 in the lab: proxy settings written by the privileged helper
# (atomic, the password root-only and never shown), the connectivity test
# through the lab's tinyproxy while direct egress is blocked in the
# upstream, a second tinyproxy with Basic authentication for the
# wrong-credentials case, the no-proxy list, and bad input refused.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

lab_up_or_die
ETC=$LAB_ROOT/etc/appliance-console
cp "$LAB_CA" "$ETC/lab-ca.pem"
cat >"$ETC/console.conf" <<EOF
[connectivity]
updates = https://updates.lab.example/ http://updates.lab.example/status/204 activation.lab.example:22
ca_file = /etc/appliance-console/lab-ca.pem
expected_issuers = Appliance Console Lab CA
tcp_timeout_ms = 1000
proxy_timeout_ms = 2000
EOF

# A second tinyproxy that wants Basic credentials (the lab's has none).
AUTH_PORT=8889
AUTH_USER=labuser
AUTH_PASS='s3cret-Pa55'
cat >"$LAB_DIR/conf/tinyproxy-auth.conf" <<EOF
User nobody
Group nogroup
Port $AUTH_PORT
Listen $LAB_UP_ADDR
Timeout 60
MaxClients 20
Allow 192.0.2.0/24
BasicAuth $AUTH_USER $AUTH_PASS
Syslog Off
LogLevel Info
LogFile "$LAB_DIR/tinyproxy/auth.log"
PidFile "$LAB_DIR/tinyproxy/auth.pid"
DisableViaHeader Yes
EOF
setsid ip netns exec "$LAB_NS_UP" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    tinyproxy -d -c "$LAB_DIR/conf/tinyproxy-auth.conf" \
    </dev/null >"$LAB_LOG/tinyproxy-auth.out" 2>&1 &
for _ in $(seq 50); do
	ss -N "$LAB_NS_UP" -Hlnt | grep -q ":$AUTH_PORT " && break
	sleep 0.1
done

set_proxy() { printf '%s\n' "${PASS:-}" | console proxy set "$@"; }
# The host in the no-proxy list goes direct, and direct is blocked.
noproxy_direct() {
	set_proxy http "$LAB_UP_ADDR" 8888 --no-proxy updates.lab.example \
	    >/dev/null && console connectivity test https://updates.lab.example/
}
dead_proxy() {
	set_proxy http "$LAB_UP_ADDR" 8899 >/dev/null && console proxy test
}
never_shown() {
	local out
	out=$(console proxy show; console proxy show --json)
	echo "$out" | grep -q "Password    set" && ! echo "$out" | grep -qF "$AUTH_PASS"
}
mode_of() { stat -c %a "$1"; }

check "no proxy at first" says 0 "No proxy" console proxy show
check "proxy test without a proxy says so" \
    says 1 "no proxy is configured" console proxy test

# --- bad input: refused before the helper runs, nothing written ---------
check "type ftp is refused" says 1 "the proxy type must be http or socks5" console proxy set ftp 192.0.2.1 8888
check "a host with a space is refused" says 1 "must be one word" console proxy set http "a b" 8888
check "a host name with '_' is refused" \
    says 1 "'a_b.example' is not a host name: '_' is not allowed" \
    console proxy set http a_b.example 8888
check "port 0 is refused" says 1 "'0' is not a port: it is out of range (1 to 65535)" \
    console proxy set http 192.0.2.1 0
check "port 65536 is refused" \
    says 1 "'65536' is not a port: it is out of range (1 to 65535)" \
    console proxy set http 192.0.2.1 65536
check "a user name with ':' is refused" \
    says 1 "the proxy user name may hold only letters, digits" \
    console proxy set http 192.0.2.1 8888 --user 'a:b'
pw_quote() { PASS="it's" set_proxy http 192.0.2.1 8888 --user bob; }
check "a password with a quote is refused" \
    says 1 "password may not contain" pw_quote
check "a bad no-proxy entry is refused" \
    says 1 "'b_c' is not a host name: '_' is not allowed" \
    console proxy set http 192.0.2.1 8888 --no-proxy 'a,b_c'
check "an unknown option is refused" \
    says 1 "proxy set http|socks5 HOST PORT [--user USER] [--no-proxy LIST]" \
    console proxy set http 192.0.2.1 8888 --password x
check "nothing was written by refused input" \
    gone "$ETC/proxy.conf" "$ETC/proxy.env"

# --- through the proxy, direct egress blocked ---------------------------
in_up iptables -I INPUT -s "$LAB_APP_ADDR" -p tcp -m multiport \
    --dports 22,80,443,8443 -j DROP
check "direct egress is blocked: the direct test fails at TCP" \
    says 2 "TCP: no answer from updates.lab.example:443" \
    console connectivity test https://updates.lab.example/

check "proxy set http (no credentials)" \
    says 0 "Proxy set: http $LAB_UP_ADDR:8888" set_proxy http "$LAB_UP_ADDR" 8888
check "proxy.conf is 0644, proxy.env 0600" \
    test "$(mode_of "$ETC/proxy.conf")" = 644 -a "$(mode_of "$ETC/proxy.env")" = 600
check "the environment file exports https_proxy for the agent" \
    test "$(env -i sh -c ". '$ETC/proxy.env'; echo \$https_proxy")" = \
    "http://$LAB_UP_ADDR:8888"
check "proxy show names it" says 0 "Host        $LAB_UP_ADDR" console proxy show
check "proxy test: the proxy is reachable and every target passes" \
    says 0 "Proxy http $LAB_UP_ADDR:8888: reachable" console proxy test
check "proxy test reports through which proxy" \
    says 0 "Through proxy http $LAB_UP_ADDR:8888" console proxy test
proxy_json_ok() {
	console proxy test --json | "$PY" -c "import json,sys
d=json.load(sys.stdin)
sys.exit(0 if d['proxy_ok'] and d['report']['summary']['passed']==3 and d['report']['proxy']=='http $LAB_UP_ADDR:8888' else 1)"
}
check "proxy test --json: the proxy's verdict and the report" proxy_json_ok
check "the connectivity test uses the configured proxy" \
    says 0 "3 passed, 0 failed" console connectivity test
check "through the proxy, TLS inspection is still seen" \
    says 2 "TLS: certificate issued by 'Lab TLS Inspection CA'" \
    console connectivity test https://updates.lab.example:8443/
check "the proxy's own refusal is named at the proxy layer" \
    says 2 "PROXY: proxy http $LAB_UP_ADDR:8888 refused the tunnel" \
    console connectivity test https://missing.lab.example/

check "a no-proxy entry sends that host direct (and it is blocked)" \
    says 2 "TCP: no answer from updates.lab.example:443" noproxy_direct
set_proxy http "$LAB_UP_ADDR" 8888 >/dev/null

check "a proxy nobody listens on: not reachable" \
    says 2 "not reachable" dead_proxy

# A SOCKS5 proxy: ssh's dynamic forwarding, from the upstream to its own sshd.
SOCKS_PORT=1080
setsid ip netns exec "$LAB_NS_UP" ssh -N -D "$LAB_UP_ADDR:$SOCKS_PORT" \
    -i "$LAB_SSH_KEY" -o UserKnownHostsFile="$LAB_SSH_KNOWN_HOSTS" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes "root@$LAB_UP_ADDR" \
    </dev/null >"$LAB_LOG/socks.out" 2>&1 &
for _ in $(seq 50); do
	ss -N "$LAB_NS_UP" -Hlnt | grep -q ":$SOCKS_PORT " && break
	sleep 0.1
done
check "proxy set socks5" \
    says 0 "Proxy set: socks5" set_proxy socks5 "$LAB_UP_ADDR" "$SOCKS_PORT"
check "through SOCKS5, every target passes with egress blocked" \
    says 0 "Proxy socks5 $LAB_UP_ADDR:$SOCKS_PORT: reachable" console proxy test
check "through SOCKS5, a missing name is the proxy's refusal" \
    says 2 "PROXY: proxy socks5 $LAB_UP_ADDR:$SOCKS_PORT" \
    console connectivity test https://missing.lab.example/

# --- credentials ---------------------------------------------------------
PASS=wrong-password
check "proxy set with a user: the password comes on stdin" \
    says 0 "user $AUTH_USER" set_proxy http "$LAB_UP_ADDR" "$AUTH_PORT" --user "$AUTH_USER"
check "wrong credentials: named as a proxy authentication failure" \
    says 2 "PROXY: proxy http $LAB_UP_ADDR:$AUTH_PORT refused the credentials (proxy authentication failed" \
    console proxy test
check "wrong credentials: the proxy check says so" \
    says 2 "reachable, credentials refused" console proxy test
PASS=$AUTH_PASS
set_proxy http "$LAB_UP_ADDR" "$AUTH_PORT" --user "$AUTH_USER" >/dev/null
check "right credentials: accepted, every target passes" \
    says 0 "reachable, credentials accepted" console proxy test
check "the password is shown as set, never in clear" never_shown

# The engine that parses network data holds no privilege, also when the
# proxy wants a password: while testconn waits on a slow target through
# the authenticating proxy, its /proc status says who it is. Started by
# the console as root, and by the helper (what admin's sudo runs).
HELPER=$LAB_ROOT/usr/local/libexec/appliance-console/console-helper-proxy
SLOW=https://updates.lab.example/delay/2500
WATCH=$LAB_DIR/watched
# watch_testconn CMD...: CMD in the background; 800 ms after its testconn
# appears in the appliance namespace, that process's status, argv and
# environment into $WATCH.*; CMD's output and status into $WATCH.out.
watch_testconn() {
	local pid tc="" p rc
	rm -f "$WATCH".*
	"$@" >"$WATCH.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		for p in $(ip netns pids "$LAB_NS_APP"); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = testconn ] && tc=$p
		done
		[ -n "$tc" ] && break
		sleep 0.05
	done
	if [ -n "$tc" ]; then
		sleep 0.8
		cat "/proc/$tc/status" >"$WATCH.status"
		tr '\0' '\n' <"/proc/$tc/cmdline" >"$WATCH.argv"
		tr '\0' '\n' <"/proc/$tc/environ" >"$WATCH.env"
	fi
	wait "$pid"
	rc=$?
	echo "exit $rc" >>"$WATCH.out"
}
# The account testconn drops to: _testconn, else nobody.
TC_UID=$(id -u _testconn 2>/dev/null || id -u nobody)
field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$WATCH.status"; }
unprivileged() {
	[ -s "$WATCH.status" ] || { echo "# no testconn seen"; return 1; }
	echo "# $(field Uid) / $(field Gid) / groups '$(field Groups)' / caps $(field CapPrm) $(field CapEff) $(field CapAmb) / nnp $(field NoNewPrivs)"
	[ "$(field Uid)" = "$TC_UID $TC_UID $TC_UID $TC_UID" ] &&
	    [ -n "$(field Gid)" ] && ! field Gid | grep -qw 0 &&
	    grep -q '^Groups:' "$WATCH.status" && [ -z "$(field Groups)" ] &&
	    [ "$(field CapPrm)" = 0000000000000000 ] &&
	    [ "$(field CapEff)" = 0000000000000000 ] &&
	    [ "$(field CapAmb)" = 0000000000000000 ] &&
	    [ "$(field NoNewPrivs)" = 1 ]
}
no_secret_given() {
	[ -s "$WATCH.argv" ] && lacks "$WATCH.argv" "$AUTH_PASS" &&
	    lacks "$WATCH.env" "$AUTH_PASS"
}
watch_testconn console connectivity test "$SLOW"
check "console as root: the authenticated test passes through the proxy" \
    grep -qx "exit 0" "$WATCH.out"
check "console as root: testconn runs unprivileged (uid, groups, no caps, no_new_privs)" \
    unprivileged
check "console as root: the password is in neither argv nor environment" \
    no_secret_given
watch_testconn in_app env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    CONSOLE_ROOT="$LAB_ROOT" "$HELPER" connectivity-one "$SLOW"
helper_passed() {
	grep -qx "exit 0" "$WATCH.out" && grep -q '"passed": *1' "$WATCH.out"
}
check "helper: the authenticated test passes through the proxy" helper_passed
check "helper: testconn runs unprivileged (uid, groups, no caps, no_new_privs)" \
    unprivileged
check "helper: the password is in neither argv nor environment" \
    no_secret_given
by_hand() {
	printf '%s\n' "$AUTH_PASS" | in_app \
	    "$LAB_ROOT/usr/local/libexec/appliance-console/testconn" \
	    --proxy-password-stdin "$SLOW"
}
watch_testconn by_hand
check "testconn started as root by hand, the password on stdin: passes" \
    grep -qx "exit 0" "$WATCH.out"
check "testconn started as root by hand drops itself too" unprivileged
check "the password is not in proxy.conf" \
    lacks "$ETC/proxy.conf" "$AUTH_PASS"
check "the password is not in the audit log" \
    lacks "$LAB_ROOT/var/log/appliance-console/audit.log" "$AUTH_PASS"
check "the password is in the root-only environment file, URL-encoded" \
    grep -qF "http://$AUTH_USER:$AUTH_PASS@$LAB_UP_ADDR:$AUTH_PORT" "$ETC/proxy.env"

# A signal in the middle of set (two files) must not leave one of them
# new and the other old: strace sends the helper SIGTERM as soon as its
# first rename (proxy.env) returns; the helper holds it until both are
# in place. Before: the old proxy.conf with the new proxy.env.
sig_set() {
	printf '\n' | in_app /usr/bin/strace -f -qq -o /dev/null \
	    -e trace=rename,renameat,renameat2 \
	    -e inject=rename,renameat,renameat2:signal=SIGTERM:when=1 \
	    env -i CONSOLE_ROOT="$LAB_ROOT" "$HELPER" set http \
	    "$1" 3128 = = >/dev/null 2>&1
}
sig_set sig.lab.example
check "SIGTERM during proxy set ends the helper by the signal (143)" \
    test "$?" = 143
check "... after proxy.env got the new proxy" \
    grep -qF "sig.lab.example:3128" "$ETC/proxy.env"
check "... and proxy.conf too (both files, not one)" \
    grep -qF "sig.lab.example" "$ETC/proxy.conf"
sig_set sig2.lab.example
check "again: both files name the second proxy" \
    sh -c 'grep -qF sig2.lab.example "$1" && grep -qF sig2.lab.example "$2"' \
    _ "$ETC/proxy.env" "$ETC/proxy.conf"
check "proxy remove" says 0 "Proxy removed" console proxy remove
check "both files are gone" gone "$ETC/proxy.conf" "$ETC/proxy.env"
check "no proxy again: the direct test fails at TCP (egress blocked)" \
    says 2 "TCP: no answer" console connectivity test https://updates.lab.example/
in_up iptables -D INPUT -s "$LAB_APP_ADDR" -p tcp -m multiport \
    --dports 22,80,443,8443 -j DROP
