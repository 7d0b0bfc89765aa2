#!/bin/bash
# SPDX-License-Identifier: ISC
# Module 210 and testconn against the lab's real servers: one scenario per
# failing layer (carrier, gateway, DNS NXDOMAIN and silence, TCP refused
# and blackholed, TLS unknown CA and inspection, HTTP 5xx), each asserting
# the layer and the reason named; the all-passed case; and bad input
# refused with a message and no packet sent (the servers' logs unchanged).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

TC=${TESTCONN:-$TOP/build/bin/testconn}
case $TC in /*) ;; *) TC=$TOP/$TC ;; esac
[ -x "$TC" ] || { notok "testconn binary $TC missing"; exit 1; }

lab_up_or_die
CONF=$LAB_ROOT/etc/appliance-console/console.conf
cp "$LAB_CA" "$LAB_ROOT/etc/appliance-console/lab-ca.pem"

# conf [EXTRA]: the lab's targets, trust and short timeouts.
conf() {
	cat >"$CONF" <<-EOF
	[connectivity]
	updates = https://updates.lab.example/ activation.lab.example:22
	activation = https://activation.lab.example/status/204
	ca_file = /etc/appliance-console/lab-ca.pem
	expected_issuers = Appliance Console Lab CA
	gateway_timeout_ms = 1000
	dns_timeout_ms = 1000
	tcp_timeout_ms = 1000
	tls_timeout_ms = 2000
	http_timeout_ms = 2000
	$1
	EOF
}
conf

tc() { in_app "$TC" "$@"; }
# fails_with TEXT TARGET...: the test ran, failed, and names TEXT.
fails_with() { local want=$1; shift; says 2 "$want" tc "$@"; }
# bad TEXT ARGS...: refused as a usage error naming TEXT.
bad() { local want=$1; shift; says 1 "$want" tc "$@"; }
# json_is PY-EXPR TARGET...: the JSON report satisfies the expression (d).
json_is() {
	local expr=$1
	shift
	tc --json "$@" 2>/dev/null | "$PY" -c "import json,sys
d=json.load(sys.stdin)
sys.exit(0 if ($expr) else 1)"
}
ms_now() { date +%s%3N; }
# within MS CMD...: CMD finishes within MS milliseconds: a loose bound
# (not hung), since a loaded machine stretches every figure; the message
# names the configured timeout, and tests/bench/timeouts.sh measures.
within() {
	local max=$1 t0 t1
	shift
	t0=$(ms_now)
	"$@" >/dev/null 2>&1
	t1=$(ms_now)
	[ $((t1 - t0)) -le "$max" ] && return 0
	echo "# took $((t1 - t0)) ms, bound $max ms"
	return 1
}

# --- all passed ---------------------------------------------------------
check "the configured targets all pass (console CLI, exit 0)" \
    out_has "3 passed, 0 failed" console connectivity test
check "a pass shows the DNS server and the timings" \
    out_has "PASSED https://updates.lab.example/ - DNS " tc https://updates.lab.example/
check "a pass names the HTTP status" \
    out_has "HTTP 200 in" tc https://updates.lab.example/
check "HOST:PORT is a TCP-only test" \
    out_has "PASSED activation.lab.example:22 - DNS" tc activation.lab.example:22
check "testconn HOST PORT is the same test" \
    out_has "PASSED activation.lab.example:22" tc activation.lab.example 22
check "the JSON report has the answering DNS server and the issuer" \
    json_is 'd["targets"][0]["result"]=="PASSED" and d["targets"][0]["dns_server"]=="192.0.2.1" and d["targets"][0]["tls_issuer"]=="Appliance Console Lab CA" and d["summary"]["passed"]==1' \
    https://updates.lab.example/
console_json_ok() {
	console connectivity test --json | "$PY" -c "import json,sys
d=json.load(sys.stdin)
sys.exit(0 if d['summary']==dict(passed=3,failed=0,cannot_test=0) else 1)"
}
check "the console's JSON has every target and the summary" console_json_ok
progress_lines() {
	[ "$(tc --progress https://updates.lab.example/ activation.lab.example:22 \
	    https://missing.lab.example/ 2>&1 >/dev/null |
	    grep -c '^progress [0-9]/3 ')" = 3 ]
}
check "--progress writes one line per finished target" progress_lines

# --- each layer failing -------------------------------------------------
in_up ip link set "$LAB_IF_UP" down
sleep 0.2
check "no carrier: the carrier layer names the link" \
    fails_with "CARRIER: eth0 has no carrier" https://updates.lab.example/
check "no carrier: the console CLI exits 2, naming the link" \
    says 2 "CARRIER: eth0 has no carrier" console connectivity test
in_up ip link set "$LAB_IF_UP" up
for _ in $(seq 50); do
	in_app ip -o link show eth0 | grep -q LOWER_UP && break
	sleep 0.1
done

in_app ip route replace default via 192.0.2.254
check "unreachable gateway: named, with the link and the timeout" \
    fails_with "GATEWAY: gateway 192.0.2.254 did not answer on eth0 within 1 s" \
    https://updates.lab.example/
check "unreachable gateway: bounded (< 10 s)" \
    within 10000 tc https://updates.lab.example/
in_app ip route replace default via "$LAB_UP_ADDR"

in_app ip route del default
in_app ip -6 route del default
check "no default route: could not be tested, not failed" \
    fails_with "CANNOT https://updates.lab.example/ - GATEWAY: no default route" \
    https://updates.lab.example/
check "no default route: JSON says CANNOT TEST" \
    json_is 'd["targets"][0]["result"]=="CANNOT TEST" and d["summary"]["cannot_test"]==1' \
    https://updates.lab.example/
in_app ip route add default via "$LAB_UP_ADDR"
in_app ip -6 route add default via "$LAB_UP_ADDR6"

check "NXDOMAIN: the name and the server that said so" \
    fails_with "DNS: missing.lab.example does not exist (NXDOMAIN from 192.0.2.1)" \
    https://missing.lab.example/

in_up iptables -I INPUT -p udp --dport 53 -j DROP
check "silent DNS server: no answer from it within the timeout" \
    fails_with "DNS: no answer from 192.0.2.1 within 1 s" https://updates.lab.example/
check "silent DNS server: bounded (< 10 s)" \
    within 10000 tc https://updates.lab.example/
in_up iptables -D INPUT -p udp --dport 53 -j DROP

check "TCP refused: named with the address and port" \
    fails_with "TCP: updates.lab.example:81 refused the connection" \
    https://updates.lab.example:81/

in_up iptables -I INPUT -p tcp --dport 443 -j DROP
check "TCP blackholed: no answer within tcp_timeout_ms" \
    fails_with "TCP: no answer from updates.lab.example:443 within 1 s" \
    https://updates.lab.example/
check "TCP blackholed: bounded (< 10 s)" \
    within 10000 tc https://updates.lab.example/
in_up iptables -D INPUT -p tcp --dport 443 -j DROP

check "TLS inspection: interception reported, issuer named" \
    fails_with "TLS: certificate issued by 'Lab TLS Inspection CA': TLS inspection in the path" \
    https://updates.lab.example:8443/
check "TLS inspection: JSON marks it intercepted" \
    json_is 'd["targets"][0]["layer"]=="tls" and d["targets"][0]["intercepted"] is True' \
    https://updates.lab.example:8443/

check "HTTP 5xx: the status is the reason" \
    fails_with "HTTP: the server answered 503" https://updates.lab.example/status/503
check "HTTP 4xx still proves connectivity" \
    out_has "PASSED https://updates.lab.example/status/404" \
    tc https://updates.lab.example/status/404

# The system trust store does not hold the lab CA: an unknown CA, not an
# inspection (the issuer is the expected one).
conf "ca_file ="
check "TLS unknown CA: not trusted, the issuer named" \
    fails_with "TLS: certificate not trusted: unable to get local issuer certificate (issuer 'Appliance Console Lab CA')" \
    https://updates.lab.example/
conf

# --- bad input: refused, and nothing reaches a server -------------------
logs_size() { cat "$LAB_LOG/https.out" "$LAB_LOG/dnsmasq.log" 2>/dev/null | wc -c; }
before=$(logs_size)
long=$(printf 'a%.0s' $(seq 300)).lab.example
check "file: is refused" bad "only http:// and https:// URLs are allowed" file:/etc/passwd
check "file:// is refused" bad "only http:// and https:// are allowed" file:///etc/passwd
check "gopher: is refused" bad "only http:// and https:// are allowed" gopher://updates.lab.example/
check "credentials in a URL are refused" bad "user information ('@') is not allowed" \
    https://user:secret@updates.lab.example/
check "a space is refused" bad "is not allowed" "https://updates.lab.example/a b"
check "an over-long host is refused" bad "longer than" "https://$long/"
check "port 70000 is refused" bad "the port" updates.lab.example:70000
check "port 0 is refused" bad "the port" https://updates.lab.example:0/
check "testconn HOST PORT checks the port" bad "is not a port" updates.lab.example 99999
check "an option is not a target" bad "usage: testconn" --cafile=/etc/passwd https://updates.lab.example/
check "one bad target stops the whole run" bad "'gopher://x/' is not" \
    https://updates.lab.example/ gopher://x/
check "the console CLI refuses a bad target naming it" \
    out_has "target 1: 'gopher://updates.lab.example/' is not" \
    console connectivity test gopher://updates.lab.example/
check "the console CLI exits 1 on a bad target, naming it" \
    says 1 "target 1: 'gopher://updates.lab.example/' is not" \
    console connectivity test gopher://updates.lab.example/
sleep 0.3
check "bad input sent nothing: the HTTPS and DNS logs are unchanged" \
    test "$(logs_size)" = "$before"
