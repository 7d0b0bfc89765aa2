/* SPDX-License-Identifier: ISC */
/*
 * The iptables grammar, table-driven: each accepted line (split by
 * words_split, as the prompt, -c and the firewall helper do) gives exactly
 * the expected canonical line, which parses again to itself; each refused
 * line gives exactly the expected sentence. Then which changes count as
 * disruptive (confirmed at the prompt) and which only read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fwrule.h"
#include "words.h"
#include "xmalloc.h"

struct accept_case {
	const char	*line;
	const char	*canon;		/* the argv joined by spaces */
};

struct refuse_case {
	const char	*line;
	const char	*cause;		/* exact */
};

static const struct accept_case accepts[] = {
	{ "iptables -L", "iptables -t filter -L" },
	{ "iptables -n -v -L INPUT --line-numbers",
	    "iptables -t filter -L INPUT -n -v --line-numbers" },
	{ "iptables -S -t nat", "iptables -t nat -S" },
	{ "iptables -t mangle -S PREROUTING", "iptables -t mangle -S PREROUTING" },
	{ "iptables -A INPUT -j ACCEPT -p tcp --dport 22",
	    "iptables -t filter -A INPUT -p tcp --dport 22 -j ACCEPT" },
	{ "iptables -A INPUT -m comment --comment ssh-in -p tcp --dport 22 "
	    "-j ACCEPT", "iptables -t filter -A INPUT -p tcp --dport 22 -m "
	    "comment --comment ssh-in -j ACCEPT" },
	{ "iptables -I INPUT -s 10.0.0.0/8 -j DROP",
	    "iptables -t filter -I INPUT -s 10.0.0.0/8 -j DROP" },
	{ "iptables -I INPUT 3 -i eth0 -o eth1 -j RETURN",
	    "iptables -t filter -I INPUT 3 -i eth0 -o eth1 -j RETURN" },
	{ "iptables -D INPUT 7", "iptables -t filter -D INPUT 7" },
	{ "iptables -D OUTPUT -d 192.0.2.1 -j REJECT",
	    "iptables -t filter -D OUTPUT -d 192.0.2.1 -j REJECT" },
	{ "iptables -R FORWARD 1 -p udp --sport 1:1023 -j REJECT "
	    "--reject-with icmp-admin-prohibited", "iptables -t filter -R "
	    "FORWARD 1 -p udp --sport 1:1023 -j REJECT --reject-with "
	    "icmp-admin-prohibited" },
	{ "iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT",
	    "iptables -t filter -A INPUT -m state --state NEW,ESTABLISHED "
	    "-j ACCEPT" },
	{ "iptables -A INPUT -m conntrack --ctstate INVALID -j DROP",
	    "iptables -t filter -A INPUT -m conntrack --ctstate INVALID "
	    "-j DROP" },
	{ "iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset",
	    "iptables -t filter -A INPUT -p tcp -j REJECT --reject-with "
	    "tcp-reset" },
	{ "iptables -A INPUT -j LOG --log-prefix dropped:",
	    "iptables -t filter -A INPUT -j LOG --log-prefix dropped:" },
	{ "iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT "
	    "--to-ports 8080", "iptables -t nat -A PREROUTING -p tcp --dport "
	    "80 -j REDIRECT --to-ports 8080" },
	{ "iptables -t nat -A PREROUTING -p udp -j DNAT --to-destination "
	    "192.0.2.1:53", "iptables -t nat -A PREROUTING -p udp -j DNAT "
	    "--to-destination 192.0.2.1:53" },
	{ "iptables -t nat -A POSTROUTING -j SNAT --to-source 192.0.2.9",
	    "iptables -t nat -A POSTROUTING -j SNAT --to-source 192.0.2.9" },
	{ "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
	    "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE" },
	{ "iptables -N lab-in", "iptables -t filter -N lab-in" },
	{ "iptables -A INPUT -j lab-in", "iptables -t filter -A INPUT -j "
	    "lab-in" },
	{ "iptables -X", "iptables -t filter -X" },
	{ "iptables -F lab-in", "iptables -t filter -F lab-in" },
	{ "iptables -Z", "iptables -t filter -Z" },
	{ "iptables -P INPUT DROP", "iptables -t filter -P INPUT DROP" },
	{ "iptables -t nat -P POSTROUTING ACCEPT",
	    "iptables -t nat -P POSTROUTING ACCEPT" },
};

static const struct refuse_case refuses[] = {
	{ "iptables", "iptables: no command: use -L, -S, -A, -I, -D, -R, -F, "
	    "-Z, -N, -X or -P" },
	{ "iptables --modprobe=/tmp/x -L", "iptables: '--modprobe=/tmp/x' is "
	    "never allowed on this console" },
	{ "iptables -L -M /tmp/x", "iptables: '-M' is never allowed on this "
	    "console" },
	{ "iptables -A INPUT -j NFQUEUE", "iptables: target 'NFQUEUE' is not "
	    "allowed: use ACCEPT, DROP, REJECT, RETURN, LOG, REDIRECT, DNAT, "
	    "SNAT, MASQUERADE or a chain of your own" },
	{ "iptables -A INPUT -m string -j DROP", "iptables: match 'string' is "
	    "not allowed: use -m state, conntrack or comment" },
	{ "iptables -t raw -L", "iptables: -t needs filter, nat or mangle" },
	{ "iptables -L -F", "iptables: one command per line: '-F' after "
	    "another" },
	{ "iptables -A", "iptables: -A needs a chain" },
	{ "iptables -A INPUT", "iptables: a rule needs a target: -j ACCEPT, "
	    "DROP, REJECT, RETURN, LOG, REDIRECT, DNAT, SNAT, MASQUERADE or a "
	    "chain" },
	{ "iptables -A INPUT -p sctp -j DROP", "iptables: -p: use tcp, udp, "
	    "icmp or all" },
	{ "iptables -A INPUT -p tcp --dport 0 -j DROP", "iptables: --dport: "
	    "'0' is not a port: it is out of range (1 to 65535)" },
	{ "iptables -A INPUT --dport 22 -j DROP", "iptables: --sport and "
	    "--dport need -p tcp or -p udp" },
	{ "iptables -A INPUT -m comment --comment -x -j DROP", "iptables: "
	    "--comment: may not start with '-'" },
	{ "iptables -A INPUT -j LOG --log-prefix "
	    "123456789012345678901234567890", "iptables: --log-prefix: from 1 "
	    "to 29 characters" },
	{ "iptables -A INPUT -j REDIRECT", "iptables: -j REDIRECT works in "
	    "the nat table only: add -t nat" },
	{ "iptables -t nat -A PREROUTING -j DNAT", "iptables: -j DNAT needs "
	    "--to-destination ADDR[:PORT]" },
	{ "iptables -P INPUT REJECT", "iptables: -P CHAIN needs ACCEPT or "
	    "DROP" },
	{ "iptables -N ACCEPT", "iptables: chain: 'ACCEPT' is a target, not "
	    "a chain" },
	{ "iptables -N MINE", "iptables: chain: 'MINE' is not a chain of this "
	    "table, and a chain of your own needs a lower-case letter" },
	{ "iptables -A PREROUTING -j ACCEPT", "iptables: chain: table filter "
	    "has no chain PREROUTING" },
	{ "iptables -X OUTPUT", "iptables: OUTPUT is a built-in chain" },
	{ "iptables -S -v", "iptables: -n, -v and --line-numbers go with -L "
	    "only" },
	{ "iptables -F -p tcp", "iptables: rule options go with -A, -I, -D "
	    "and -R only" },
	{ "iptables -D INPUT 2 -j DROP", "iptables: -D takes a rule number or "
	    "a rule, not both" },
	{ "iptables -A INPUT -j DROP -j ACCEPT", "iptables: '-j' is given "
	    "twice" },
	{ "iptables -L INPUT extra", "iptables: 'extra' is not allowed here: "
	    "each value goes after its option" },
	{ "iptables -L --src-range 1-2", "iptables: option '--src-range' is "
	    "not allowed here (see 'help iptables')" },
};

/* Split line as the prompt does and parse it; *cause (if asked) is reset. */
static int
parse_line(const char *line, struct words *w, struct fw_rule *r,
    char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	assert_int_equal(words_split(line, w, NULL), 0);
	return (fw_parse(w->argc, w->argv, r, cause));
}

static void
test_accepted(void **state)
{
	struct fw_rule	 r, again;
	struct words	 w, w2;
	char		 canon[FW_LINE_MAX + 1], canon2[FW_LINE_MAX + 1];
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof accepts / sizeof accepts[0]; i++) {
		if (parse_line(accepts[i].line, &w, &r, &cause) != 0)
			fail_msg("refused '%s': %s", accepts[i].line, cause);
		assert_int_equal(fw_format(&r, canon, sizeof canon), 0);
		assert_string_equal(canon, accepts[i].canon);
		/* The helper's parse of the canonical line: the same. */
		assert_int_equal(parse_line(canon, &w2, &again, NULL), 0);
		assert_int_equal(fw_format(&again, canon2, sizeof canon2), 0);
		assert_string_equal(canon, canon2);
		words_free(&w2);
		words_free(&w);
	}
}

static void
test_refused(void **state)
{
	struct fw_rule	 r;
	struct words	 w;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof refuses / sizeof refuses[0]; i++) {
		if (parse_line(refuses[i].line, &w, &r, &cause) != -1)
			fail_msg("accepted '%s'", refuses[i].line);
		assert_non_null(cause);
		if (strcmp(cause, refuses[i].cause) != 0)
			fail_msg("'%s': got '%s'", refuses[i].line, cause);
		free(cause);
		words_free(&w);
	}
}

static int
classify(const char *line, int (*fn)(const struct fw_rule *))
{
	struct fw_rule	 r;
	struct words	 w;
	int		 v;

	assert_int_equal(parse_line(line, &w, &r, NULL), 0);
	v = fn(&r);
	words_free(&w);
	return (v);
}

static void
test_kinds(void **state)
{
	(void)state;
	assert_true(classify("iptables -L", fw_is_read));
	assert_true(classify("iptables -t nat -S", fw_is_read));
	assert_false(classify("iptables -Z", fw_is_read));
	assert_true(classify("iptables -F", fw_is_disruptive));
	assert_true(classify("iptables -X", fw_is_disruptive));
	assert_true(classify("iptables -D INPUT 1", fw_is_disruptive));
	assert_true(classify("iptables -P INPUT DROP", fw_is_disruptive));
	assert_true(classify("iptables -A INPUT -j DROP", fw_is_disruptive));
	assert_false(classify("iptables -P INPUT ACCEPT", fw_is_disruptive));
	assert_false(classify("iptables -A INPUT -p tcp --dport 22 -j ACCEPT",
	    fw_is_disruptive));
	assert_false(classify("iptables -N mine", fw_is_disruptive));
	assert_false(classify("iptables -L", fw_is_disruptive));
}

/* The longest rule the grammar can build still fits the helper's bound. */
static void
test_bound(void **state)
{
	struct fw_rule	 r;
	struct words	 w;
	char		 canon[FW_LINE_MAX + 1], *line;

	(void)state;
	xasprintf(&line, "iptables -t mangle -R %s 65535 -p tcp -s "
	    "255.255.255.255/32 -d 255.255.255.255/32 -i %s -o %s --sport "
	    "65535:65535 --dport 65535:65535 -m conntrack --ctstate "
	    "NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED -m comment --comment "
	    "%s -j LOG --log-prefix %s", "c23456789012345678901234567a",
	    "eth012345678901", "eth012345678901",
	    "x234567890123456789012345678901234567890123456789012345678901234",
	    "p2345678901234567890123456789");
	assert_int_equal(parse_line(line, &w, &r, NULL), 0);
	assert_int_equal(fw_format(&r, canon, sizeof canon), 0);
	assert_true(strlen(canon) <= FW_LINE_MAX);
	words_free(&w);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bound),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
