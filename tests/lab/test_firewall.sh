#!/bin/bash
# SPDX-License-Identifier: ISC
# The prompt's iptables, save-iptables and the boot restore, against the
# real iptables of the lab's appliance namespace: rules appear in
# iptables -S, change real traffic (a REJECT cuts a TCP connection, a DNAT
# makes a port answer), bad lines change nothing, the helper refuses a
# hostile line on its own, the saved file comes back with the helper and
# the boot script, and every change is audited.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../tui/lib.sh"
. "$(dirname "$0")/lib.sh"
trap 'tui_cleanup; lab_cleanup' EXIT

lab_up_or_die
HELPER=$LAB_ROOT/usr/local/libexec/appliance-console/console-helper-firewall
RULES=$LAB_ROOT/etc/appliance-console/iptables.rules
UP=$LAB_UP_ADDR

ipt() { in_app iptables -w 5 "$@"; }
# The rule set without iptables-save's dated comments.
ruleset() { in_app iptables-save | grep -v '^#'; }
banner() { probe banner "$UP" "$1" >/dev/null 2>&1; }

# --- showing ---------------------------------------------------------------
check "iptables -L lists the chains" out_has "Chain INPUT (policy ACCEPT)" \
    console -c "iptables -L -n"
check "iptables -S shows the policies" out_has "-P FORWARD ACCEPT" \
    console -c "iptables -S"
check "-t nat -L -v --line-numbers" out_has "Chain POSTROUTING" \
    console -c "iptables -t nat -L -n -v --line-numbers"

# --- a rule changes real traffic -------------------------------------------
check "before: the upstream's sshd answers on port 22" banner 22
check "a REJECT rule is accepted" status_is 0 console -c \
    "iptables -A OUTPUT -p tcp -d $UP --dport 22 -m comment --comment lab-block -j REJECT --reject-with tcp-reset"
check "it is in iptables -S with its comment" out_has \
    '--comment lab-block -j REJECT --reject-with tcp-reset' ipt -S OUTPUT
if banner 22; then notok "the REJECT rule cuts the connection"; else
	ok "the REJECT rule cuts the connection"; fi
check "-D with the same rule removes it" status_is 0 console -c \
    "iptables -D OUTPUT -p tcp -d $UP --dport 22 -m comment --comment lab-block -j REJECT --reject-with tcp-reset"
check "and the connection works again" banner 22

check "a DNAT rule in nat OUTPUT" status_is 0 console -c \
    "iptables -t nat -A OUTPUT -p tcp -d $UP --dport 2022 -j DNAT --to-destination $UP:22"
check "port 2022 now reaches sshd" banner 2022
check "-D by number" status_is 0 console -c "iptables -t nat -D OUTPUT 1"
if banner 2022; then notok "and 2022 is closed again"; else
	ok "and 2022 is closed again"; fi

# --- user chains, policies, the other targets ------------------------------
check "-N makes a chain" status_is 0 console -c "iptables -N lab-in"
check "-A INPUT -j CHAIN jumps to it" status_is 0 console -c \
    "iptables -A INPUT -i eth0 -m conntrack --ctstate NEW -j lab-in"
check "LOG with a prefix" status_is 0 console -c \
    "iptables -A lab-in -p tcp --dport 80:90 -j LOG --log-prefix lab:"
check "-I at a position" status_is 0 console -c \
    "iptables -I lab-in 1 -s 198.51.100.0/24 -m state --state NEW,ESTABLISHED -j ACCEPT"
check "-R replaces a rule" status_is 0 console -c \
    "iptables -R lab-in 1 -s 198.51.100.7 -j RETURN"
for l in "iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080" \
    "iptables -t nat -A POSTROUTING -o eth0 -p udp -j MASQUERADE --to-ports 1024-2048" \
    "iptables -t nat -A POSTROUTING -p tcp -s 192.0.2.0/24 -j SNAT --to-source 192.0.2.10:1000-2000" \
    "iptables -t mangle -A PREROUTING -p icmp -j ACCEPT" \
    "iptables -P FORWARD DROP" "iptables -Z"; do
	check "accepted: $l" status_is 0 console -c "$l"
done
check "the replaced rule is as typed" \
    out_has "-A lab-in -s 198.51.100.7/32 -j RETURN" ipt -S lab-in
check "the policy is DROP" out_has "-P FORWARD DROP" ipt -S FORWARD
check "-j to a chain that does not exist is refused by the helper" \
    says 2 "there is no chain nosuch in table filter" \
    console -c "iptables -A INPUT -j nosuch"
check "-j to an extension's name is refused by the grammar" \
    says 1 "target 'TEE' is not allowed" console -c "iptables -A INPUT -j TEE"

# --- bad lines: one sentence each, nothing changes ---------------------------
before=$(ruleset)
refused() {	# refused SENTENCE LINE
	says 1 "$1" console -c "$2"
}
while IFS='%' read -r want line; do
	[ -n "$line" ] || continue
	check "refused: $line" refused "$want" "$line"
done <<'EOF'
'--modprobe=/tmp/x' is never allowed%iptables --modprobe=/tmp/x -L
'--modprobe' is never allowed%iptables -L --modprobe /tmp/x
'-M' is never allowed%iptables -M /tmp/x -L
'-c' is never allowed%iptables -A INPUT -c 1 2 -j ACCEPT
'-g' is never allowed%iptables -A INPUT -g lab-in
'-E' is never allowed%iptables -E lab-in x
target 'NFQUEUE' is not allowed%iptables -A INPUT -j NFQUEUE
target 'CT' is not allowed%iptables -t mangle -A PREROUTING -j CT
match 'string' is not allowed%iptables -A INPUT -m string -j DROP
match 'u32' is not allowed%iptables -A INPUT -m u32 -j DROP
needs a lower-case letter%iptables -N MYCHAIN
-t needs filter, nat or mangle%iptables -t raw -L
-t needs filter, nat or mangle%iptables -t security -L
no command%iptables -n
one command per line%iptables -L -F
'-t' is given twice%iptables -t nat -t nat -L
is given twice%iptables -A INPUT -p tcp -p udp -j ACCEPT
--dport: '0' is not a port%iptables -A INPUT -p tcp --dport 0 -j DROP
--dport: '70000' is not a port%iptables -A INPUT -p tcp --dport 70000 -j DROP
the range 90:80 runs backwards%iptables -A INPUT -p tcp --dport 90:80 -j DROP
--sport and --dport need -p tcp or -p udp%iptables -A INPUT --dport 22 -j ACCEPT
-s: %iptables -A INPUT -s 10.0.0.300 -j DROP
is not an IPv4 address%iptables -A INPUT -s 2001:db8::1 -j DROP
-i: %iptables -A INPUT -i eth0/../x -j DROP
--comment: from 1 to 64 characters%iptables -A INPUT -m comment --comment aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa -j ACCEPT
--comment: may not start with '-'%iptables -A INPUT -m comment --comment --x -j ACCEPT
--comment comes after -m comment%iptables -A INPUT --comment hi -j ACCEPT
-m comment needs --comment%iptables -A INPUT -m comment -j ACCEPT
--log-prefix: from 1 to 29%iptables -A INPUT -j LOG --log-prefix aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
--log-prefix goes with -j LOG%iptables -A INPUT -j DROP --log-prefix x
-j REDIRECT works in the nat table only%iptables -A INPUT -p tcp -j REDIRECT --to-ports 80
-j DNAT needs --to-destination%iptables -t nat -A PREROUTING -j DNAT
--to-source goes with -j SNAT%iptables -t nat -A POSTROUTING -j MASQUERADE --to-source 1.2.3.4
--reject-with tcp-reset needs -p tcp%iptables -A INPUT -j REJECT --reject-with tcp-reset
--reject-with: use%iptables -A INPUT -j REJECT --reject-with echo-reply
-P CHAIN needs ACCEPT or DROP%iptables -P INPUT REJECT
-P sets the policy of a built-in chain only%iptables -P lab-in DROP
table filter has no chain PREROUTING%iptables -A PREROUTING -j ACCEPT
is a target, not a chain%iptables -N ACCEPT
INPUT is a built-in chain%iptables -X INPUT
a rule needs a target%iptables -A INPUT -p tcp
rule options go with -A, -I, -D and -R only%iptables -L INPUT -p tcp
-n, -v and --line-numbers go with -L only%iptables -S -n
-R needs the rule number%iptables -R INPUT -j ACCEPT
-D takes a rule number or a rule, not both%iptables -D INPUT 1 -j ACCEPT
rule number: %iptables -D INPUT 0
a comma-separated list of NEW%iptables -A INPUT -m state --state NEW,BOGUS -j ACCEPT
--ctstate comes after -m conntrack%iptables -A INPUT -m state --ctstate NEW -j ACCEPT
'--ipv6' is not allowed here%iptables --ipv6 -L
is not allowed here: each value goes after its option%iptables -L INPUT extra
'$' at position%iptables -A INPUT -m comment --comment $(id) -j ACCEPT
';' at position%iptables -A INPUT -j LOG --log-prefix ;id
'|' at position%iptables -L | sh
EOF
check "nothing changed after the refused lines" test "$(ruleset)" = "$before"

# --- the helper on its own: never trusts the line ------------------------------
check "helper: an option-like argument is refused" says 3 "may not start with '-'" \
    in_app "$HELPER" run "-L"
check "helper: --modprobe is refused" says 3 "never allowed" \
    in_app "$HELPER" run "iptables --modprobe=/tmp/x -L"
check "helper: a separator is refused" says 3 "';' at position" \
    in_app "$HELPER" run "iptables -L; id"
check "helper: another program is refused" says 3 "does not start with iptables" \
    in_app "$HELPER" run "ip6tables -L"
check "helper: an unknown verb is refused" says 2 "unknown verb" \
    in_app "$HELPER" exec "iptables -L"
check "nothing changed after the helper's refusals" test "$(ruleset)" = "$before"

# --- save, then restore as at boot -------------------------------------------
check "save-iptables saves" out_has "Saved" console -c save-iptables
check "the file is root's alone (0600)" test "$(stat -c %a "$RULES")" = 600
check "and holds the rules" grep -q -- '-A lab-in -s 198.51.100.7/32 -j RETURN' "$RULES"
saved=$(ruleset)
ipt -F; ipt -X; ipt -t nat -F; ipt -t mangle -F; ipt -P FORWARD ACCEPT
check "(the rules are gone)" test "$(ruleset)" != "$saved"
check "the helper's restore brings them back" out_has "Restored" in_app "$HELPER" restore
check "exactly as saved" test "$(ruleset)" = "$saved"
ipt -F; ipt -X; ipt -t nat -F; ipt -t mangle -F; ipt -P FORWARD ACCEPT
init=$LAB_DIR/appliance-console-firewall
sed "s|@LIBEXECDIR@|$LAB_ROOT/usr/local/libexec/appliance-console|; s|/etc/appliance-console|$LAB_ROOT/etc/appliance-console|" \
    "$TOP/etc/init.d/appliance-console-firewall" >"$init"
check "the init script restores them too" status_is 0 in_app sh "$init" start
check "exactly as saved" test "$(ruleset)" = "$saved"
mv "$RULES" "$RULES.kept"
check "restore without a saved file does nothing, and says so" \
    out_has "nothing restored" in_app "$HELPER" restore
mv "$RULES.kept" "$RULES"
printf '*filter\n-A NOSUCH -j ACCEPT\nCOMMIT\n' >"$RULES.bad"
cp "$RULES" "$RULES.good"
cp "$RULES.bad" "$RULES"
check "a broken file is reported, naming its line, not half applied" \
    says 5 "line 2 failed" in_app "$HELPER" restore
check "and the rules in force stay" test "$(ruleset)" = "$saved"
mv "$RULES.good" "$RULES"
rm -f "$RULES.bad"

# --- audit --------------------------------------------------------------------
check "audit: the change" lab_audit_has 'action="firewall: iptables -t filter -N lab-in" result="ok"'
check "audit: the refused line" lab_audit_has "iptables --modprobe=/tmp/x -L"
check "audit: save" lab_audit_has "firewall rules saved"
check "audit: restore" lab_audit_has "firewall rules restored"

# --- the helper under valgrind -----------------------------------------------
# Without valgrind this is a failure, not a section that quietly vanishes.
if ! command -v valgrind >/dev/null; then
	notok "valgrind is not installed: the helper's memory check cannot run"
else
	VG="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --log-file=$LAB_DIR/vg.%p.log"
	in_app $VG "$HELPER" run "iptables -t filter -A INPUT -p tcp --dport 22 -j ACCEPT" >/dev/null 2>&1
	rc1=$?
	in_app $VG "$HELPER" save >/dev/null 2>&1
	rc2=$?
	in_app $VG "$HELPER" restore >/dev/null 2>&1
	rc3=$?
	in_app $VG "$HELPER" run "iptables -L; id" >/dev/null 2>&1
	rc4=$?
	check "valgrind: no errors or leaks in the helper ($rc1 $rc2 $rc3 $rc4)" \
	    test "$rc1$rc2$rc3$rc4" = 0003
	[ "$rc1$rc2$rc3$rc4" = 0003 ] || grep -hE "definitely|ERROR|at 0x|by 0x" "$LAB_DIR"/vg.*.log | head -30 | sed 's/^/# /'
fi

# --- at the interactive prompt, a disruptive change is confirmed first ------
TROOT=$LAB_ROOT
start vt100 ip netns exec "$LAB_NS_APP" nsenter --uts="$LAB_UTS" --
wait_for "Command prompt" >/dev/null
keys "$(screen | sed -n 's/.* \([0-9]\)  Command prompt.*/\1/p')"
wait_for "> " >/dev/null
ipt -P FORWARD ACCEPT
keys -l "iptables -P FORWARD DROP"
keys Enter
check "prompt: -P DROP asks first" wait_for "This may cut connections"
keys Enter
check "prompt: No (the default) applies nothing" wait_for "iptables: not applied"
check "prompt: the policy stays ACCEPT" out_has "-P FORWARD ACCEPT" ipt -S FORWARD
keys -l "iptables -P FORWARD DROP"
keys Enter
wait_for "This may cut connections" >/dev/null
keys Left Enter
sleep 1
check "prompt: Yes applies it" out_has "-P FORWARD DROP" ipt -S FORWARD
keys -l "iptables -A INPUT -p tcp --dport 22 -j ACCEPT"
keys Enter
sleep 1
check "prompt: an ACCEPT rule needs no question" \
    out_has "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT" ipt -S INPUT
ipt -P FORWARD ACCEPT

# --- install: the boot units land with their paths ------------------------------
# (The default PREFIX: another one would rebuild build/ with its paths.)
img=$(mktemp -d)
make -s -C "$TOP" install DESTDIR="$img" >/dev/null 2>&1
check "make install: the firewall unit runs the installed helper" \
    grep -q "ExecStart=/usr/local/libexec/appliance-console/console-helper-firewall restore" \
    "$img/usr/local/lib/systemd/system/appliance-console-firewall.service"
check "make install: the init script too" \
    grep -q "HELPER=/usr/local/libexec/appliance-console/console-helper-firewall" \
    "$img/etc/init.d/appliance-console-firewall"
rm -rf "$img"

exit $((NFAIL > 0))
