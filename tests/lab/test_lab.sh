#!/bin/bash
# SPDX-License-Identifier: ISC
# The lab itself: every server answers from the appliance namespace, two
# labs live side by side, `up --name` is idempotent, and nothing is left
# behind after `down`, after a test that fails half-way, or after a server
# that cannot start.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

# leftovers NAME: anything of lab NAME still on the machine.
leftovers() {
	ip netns list | grep -E "ac-(app|up)-$1( |\$)"
	[ -e "/etc/netns/ac-app-$1" ] && echo "/etc/netns/ac-app-$1"
	grep -lx "$1" /tmp/ac-lab.*/name 2>/dev/null
	pgrep -f "ac-lab\.[A-Za-z0-9]*/" | while read -r p; do
		grep -qx "$1" "$(tr '\0' '\n' </proc/"$p"/cmdline |
		    sed -n 's|^.*\(/tmp/ac-lab\.[A-Za-z0-9]*\)/.*|\1|p' |
		    head -1)/name" 2>/dev/null && echo "pid $p"
	done
	return 0
}
none_left() {
	local l
	l=$(leftovers "$1")
	[ -z "$l" ] && return 0
	printf '# left: %s\n' $l
	return 1
}

# The names this run uses (lib.sh's lab_name: unique to the run).
T1=$(lab_name t1) T2=$(lab_name t2) T3=$(lab_name t3) T4=$(lab_name t4)
T5=$(lab_name t5)
lab_up_or_die --name t1
A_ENV=$LAB_ENV
check "the lab is named uniquely for this run ($T1)" test "$LAB_NAME" = "$T1"
TROOT_ERR=$(mktemp /tmp/ac-lab-test.XXXXXX)
trap 'rm -f "$TROOT_ERR"; lab_cleanup' EXIT

check "the appliance has its static address on eth0" \
    out_has "$LAB_APP_ADDR/$LAB_PREFIX" in_app ip -4 -o addr show dev eth0
check "the appliance has its own hostname" \
    test "$(in_app hostname)" = "$LAB_HOSTNAME" -a "$(hostname)" != "$LAB_HOSTNAME"
check "the gateway answers ICMP (v4)" probe ping "$LAB_UP_ADDR"
check "the gateway answers ICMP (v6)" probe ping "$LAB_UP_ADDR6"
check "DNS: A of updates.$LAB_DOMAIN" \
    out_has "$LAB_UP_ADDR" probe dns "updates.$LAB_DOMAIN" A
check "DNS: AAAA of updates.$LAB_DOMAIN" \
    out_has "$LAB_UP_ADDR6" probe dns "updates.$LAB_DOMAIN" AAAA
check "DNS: a missing name is NXDOMAIN, not forwarded" \
    out_has NXDOMAIN probe dns "missing.$LAB_DOMAIN" A
check "the system resolver in the appliance uses the lab" \
    out_has "$LAB_UP_ADDR" probe resolve "activation.$LAB_DOMAIN"
check "HTTPS with the lab CA answers 200" \
    out_has 200 probe http "$LAB_HTTPS_URL" --cafile "$LAB_CA"
check "HTTPS without the lab CA fails verification" \
    out_has CERTIFICATE_VERIFY_FAILED probe http "$LAB_HTTPS_URL"
check "the inspection listener's chain is the inspection CA's" \
    out_has 200 probe http "$LAB_HTTPS_INSPECT_URL" --cafile "$LAB_INSPECT_CA"
check "the inspection listener fails against the lab CA" \
    out_has CERTIFICATE_VERIFY_FAILED probe http "$LAB_HTTPS_INSPECT_URL" --cafile "$LAB_CA"
check "HTTP /status/503 answers 503" \
    out_has 503 probe http "${LAB_HTTP_URL}status/503"
check "the proxy relays HTTPS" \
    out_has 200 probe http "$LAB_HTTPS_URL" --cafile "$LAB_CA" --proxy "$LAB_PROXY"
check "chronyd serves NTP" out_has "stratum 8" probe ntp "$LAB_NTP"
check "sshd greets" out_has SSH-2.0 probe banner "$LAB_UP_ADDR" 22
check "ssh logs in with the lab's client key" \
    out_has lab-ok in_app ssh -F /dev/null -o BatchMode=yes \
    -o UserKnownHostsFile="$LAB_SSH_KNOWN_HOSTS" -o ConnectTimeout=5 \
    -i "$LAB_SSH_KEY" "$LAB_SSH_USER@support.$LAB_DOMAIN" echo lab-ok
check "DHCP offers an address in the lab's range" \
    out_has "offer 192.0.2." probe dhcp eth0
check "the console runs in the lab with the lab's system root" \
    out_has '"summary"' console resources check --json
check "the console audits into the lab's root" \
    lab_audit_has "resources check"

check "up --name of a running lab gives the same env file" \
    test "$(bash "$LAB" up --name "$T1")" = "$A_ENV"

lab_up_or_die --name t2 --no-addr
check "a second lab runs beside the first" \
    test "$LAB_NS_APP" = "ac-app-$T2" -a -n "$(ip netns list | grep "ac-app-$T1")"
check "a --no-addr lab has no IPv4 address on eth0" \
    test -z "$(in_app ip -4 -o addr show dev eth0)"
check "the second lab's servers answer too" \
    out_has "offer 192.0.2." probe dhcp eth0

bash "$LAB" down "$T2"
check "down removes namespaces, directory and processes" none_left "$T2"
check "down is idempotent" bash "$LAB" down "$T2"
. "$A_ENV"
check "the first lab survives the second's down" \
    out_has 200 probe http "$LAB_HTTPS_URL" --cafile "$LAB_CA"

# The inner tests below source lib.sh as a test file would: $0 is a file
# of tests/lab/ (lib.sh finds the repository from it); each writes its
# lab's env file into $INNER, so that "nothing is left" follows a lab
# that really came up.
INNER=$(mktemp /tmp/ac-lab-inner.XXXXXX)
trap 'rm -f "$TROOT_ERR" "$INNER"; lab_cleanup' EXIT
inner() { bash -c "$1" "$TOP/tests/lab/inner" "$LAB_RUN" "$INNER"; }

# Run as a user, lab_up_or_die fails loudly: "not ok" and a non-zero exit.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups bash -c \
    '. "$(dirname "$0")/lib.sh"; lab_up_or_die; echo reached' \
    "$TOP/tests/lab/inner" 2>&1)
rc=$?
check "lab_up_or_die as a user: not ok and exit 1, never a silent 0" \
    sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "^not ok - the lab needs root" &&
    ! printf "%s\n" "$2" | grep -q reached' _ "$rc" "$out"

# A test that dies half-way: lib.sh's trap removes its lab.
: >"$INNER"
inner '. "$(dirname "$0")/lib.sh"; LAB_RUN=$1; lab_up_or_die --name t3 >/dev/null;
    echo "$LAB_NAME" >"$2"; false; exit 1' >/dev/null 2>&1
check "the test that fails half-way had its lab up" grep -q "$T3" "$INNER"
check "a test that fails half-way leaves nothing" none_left "$T3"
: >"$INNER"
inner '. "$(dirname "$0")/lib.sh"; LAB_RUN=$1; lab_up_or_die --name t4;
    echo "$LAB_NAME" >"$2"; kill -TERM $$; sleep 5' >/dev/null 2>&1
check "the test killed half-way had its lab up" grep -q "$T4" "$INNER"
check "a test killed half-way leaves nothing" none_left "$T4"

for srv in tinyproxy chronyd sshd; do
	if LAB_BREAK=$srv bash "$LAB" up --name "$T5" >/dev/null 2>"$TROOT_ERR"; then
		notok "a broken $srv fails up"
	else
		check "a broken $srv fails up, naming it" grep -q "$srv" "$TROOT_ERR"
	fi
	check "a failed up ($srv) leaves nothing" none_left "$T5"
done

bash "$LAB" down "$T1"
check "down of the first lab leaves nothing" none_left "$T1"
[ "$NFAIL" -eq 0 ]
