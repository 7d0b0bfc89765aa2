/* SPDX-License-Identifier: ISC */
/*
 * The prompt's grammars, table-driven: each accepted line (split by
 * words_split, as the prompt and -c do) gives exactly the expected argv
 * and kind; each refused line gives exactly the expected sentence. Then
 * completion of command words and keywords.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "complete.h"
#include "grammar.h"
#include "text.h"
#include "words.h"
#include "xmalloc.h"

typedef int	(*parse_fn)(int, char *const *, struct prompt_cmd *, char **);

struct accept_case {
	parse_fn		 fn;
	const char		*line;
	enum prompt_kind	 kind;
	const char		*argv;	/* expected, joined by '|' */
};

struct refuse_case {
	parse_fn	 fn;
	const char	*line;
	const char	*cause;	/* exact */
};

#define IP	prompt_ip_parse
#define PING	prompt_ping_parse

static const struct accept_case accepts[] = {
	{ IP, "ip addr", PROMPT_RUN, "ip|addr|show" },
	{ IP, "ip address show", PROMPT_RUN, "ip|addr|show" },
	{ IP, "ip -br addr", PROMPT_RUN, "ip|-br|addr|show" },
	{ IP, "ip -brief link list", PROMPT_RUN, "ip|-br|link|show" },
	{ IP, "ip -6 -j route show dev eth0", PROMPT_RUN,
	    "ip|-6|-j|route|show|dev|eth0" },
	{ IP, "ip -j -4 -br addr show dev eth0", PROMPT_RUN,
	    "ip|-4|-br|-j|addr|show|dev|eth0" },
	{ IP, "ip   neigh   dev  lo ", PROMPT_RUN, "ip|neigh|show|dev|lo" },
	{ IP, "ip rule", PROMPT_RUN, "ip|rule|show" },
	{ IP, "ip -6 rule show", PROMPT_RUN, "ip|-6|rule|show" },
	{ IP, "ip route add 10.9.0.0/16 via 192.0.2.1", PROMPT_NETWORK,
	    "network|route|add|10.9.0.0/16|via|192.0.2.1" },
	{ IP, "ip route del fd00:9::/64 via fd00::1 dev eth0",
	    PROMPT_NETWORK,
	    "network|route|del|fd00:9::/64|via|fd00::1|dev|eth0" },
	{ IP, "ip addr add 192.0.2.9/24 dev eth0", PROMPT_HELPER,
	    "addr-add|eth0|192.0.2.9/24" },
	{ IP, "ip address del 192.0.2.9/24 dev eth0", PROMPT_HELPER,
	    "addr-del|eth0|192.0.2.9/24" },
	{ IP, "ip link set eth0 down", PROMPT_HELPER, "link-set|eth0|down" },
	{ IP, "ip link set eth0 mtu 1400", PROMPT_HELPER,
	    "link-mtu|eth0|1400" },
	{ PING, "ping 192.0.2.1", PROMPT_RUN, "ping|-c|4|-W|2|192.0.2.1" },
	{ PING, "ping -c 10 example.com", PROMPT_RUN,
	    "ping|-c|10|-W|2|example.com" },
	{ PING, "ping -6 -c 1 fd00::1", PROMPT_RUN,
	    "ping|-6|-c|1|-W|2|fd00::1" },
	{ PING, "ping -c 2 -4 host-1.lab", PROMPT_RUN,
	    "ping|-4|-c|2|-W|2|host-1.lab" },
};

static const struct refuse_case refuses[] = {
	{ IP, "ip", "usage: ip [-4|-6] [-br] [-j] "
	    "addr|link|route|neigh|rule [show] [dev IFACE]" },
	{ IP, "ip netns exec x sh", "ip: 'netns' is never allowed on this "
	    "console" },
	{ IP, "ip -batch /tmp/x", "ip: '-batch' is never allowed on this "
	    "console" },
	{ IP, "ip -force addr", "ip: '-force' is never allowed on this "
	    "console" },
	{ IP, "ip monitor", "ip: 'monitor' is never allowed on this "
	    "console" },
	{ IP, "ip vrf exec blue sh", "ip: 'vrf' is never allowed on this "
	    "console" },
	{ IP, "ip -n ns1 addr", "ip: '-n' is never allowed on this "
	    "console" },
	{ IP, "ip -s link", "ip: option '-s' is not allowed here; allowed: "
	    "-4 or -6, -br, -j (each once)" },
	{ IP, "ip -4 -6 addr", "ip: option '-6' is not allowed here; "
	    "allowed: -4 or -6, -br, -j (each once)" },
	{ IP, "ip -j -j addr", "ip: option '-j' is not allowed here; "
	    "allowed: -4 or -6, -br, -j (each once)" },
	{ IP, "ip xfrm state", "ip: 'xfrm' is not allowed: use addr, link, "
	    "route, neigh or rule" },
	{ IP, "ip addr flush dev eth0", "ip: 'flush' is not allowed here: "
	    "after addr only [show] [dev IFACE], or add|del" },
	{ IP, "ip route show table all", "ip: 'table' is not allowed here: "
	    "after route only [show] [dev IFACE], or add|del" },
	{ IP, "ip link show dev", "ip: dev needs an interface name" },
	{ IP, "ip rule show dev eth0", "ip: 'dev' is not allowed here: "
	    "after rule only [show] [dev IFACE]" },
	{ IP, "ip -br route", "ip: -br is only for addr, link and neigh" },
	{ IP, "ip -j route add 10.0.0.0/8 via 192.0.2.1", "ip: -4, -6, -br "
	    "and -j are for showing, not for changes" },
	{ IP, "ip route add 10.0.0.0/8", "usage: ip route add|del PREFIX "
	    "via ADDR [dev IFACE]" },
	{ IP, "ip route add 10.0.0.0/8 dev eth0 via 1.2.3.4", "usage: ip "
	    "route add|del PREFIX via ADDR [dev IFACE]" },
	{ IP, "ip link set eth0 promisc on", "usage: ip link set IFACE "
	    "up|down|mtu N" },
	{ IP, "ip addr add 192.0.2.9/24", "usage: ip addr add|del "
	    "ADDR/PREFIX dev IFACE" },
	{ PING, "ping", "usage: ping [-4|-6] [-c N] HOST (N from 1 to 10)" },
	{ PING, "ping -f 192.0.2.1", "ping: '-f' is not allowed here; "
	    "allowed: -4 or -6, -c N (1 to 10), then one host" },
	{ PING, "ping -p ff 192.0.2.1", "ping: '-p' is not allowed here; "
	    "allowed: -4 or -6, -c N (1 to 10), then one host" },
	{ PING, "ping -I eth0 192.0.2.1", "ping: '-I' is not allowed here; "
	    "allowed: -4 or -6, -c N (1 to 10), then one host" },
	{ PING, "ping 192.0.2.1 192.0.2.2", "ping: '192.0.2.1' is not "
	    "allowed here; allowed: -4 or -6, -c N (1 to 10), then one host" },
	{ PING, "ping -c 2 -c 3 x", "ping: '-c' is not allowed here; "
	    "allowed: -4 or -6, -c N (1 to 10), then one host" },
	{ PING, "ping -f", "ping: '-f' is not allowed here; allowed: -4 or "
	    "-6, -c N (1 to 10), then one host" },
};

static void
split(const char *line, struct words *w)
{
	char	*cause = NULL;

	assert_int_equal(words_split(line, w, &cause), 0);
	assert_null(cause);
}

/* Split line and give it to fn; *cause is reset first. */
static int
run_line(parse_fn fn, const char *line, struct words *w,
    struct prompt_cmd *pc, char **cause)
{
	*cause = NULL;
	split(line, w);
	return (fn(w->argc, w->argv, pc, cause));
}

static void
test_accept(void **state)
{
	struct prompt_cmd	 pc;
	struct words		 w;
	struct text_buf		 b;
	char			*cause, *got;
	size_t			 i;
	int			 j;

	(void)state;
	for (i = 0; i < sizeof accepts / sizeof accepts[0]; i++) {
		if (run_line(accepts[i].fn, accepts[i].line, &w, &pc,
		    &cause) != 0)
			fail_msg("refused \"%s\": %s", accepts[i].line, cause);
		assert_int_equal(pc.kind, accepts[i].kind);
		assert_null(pc.argv[pc.argc]);
		text_buf_init(&b, 1024);
		for (j = 0; j < pc.argc; j++)
			text_buf_printf(&b, "%s%s", j ? "|" : "", pc.argv[j]);
		got = text_buf_take(&b);
		if (strcmp(got, accepts[i].argv) != 0)
			fail_msg("\"%s\": got %s, want %s", accepts[i].line, got,
			    accepts[i].argv);
		free(got);
		words_free(&w);
	}
}

static void
test_refuse(void **state)
{
	struct prompt_cmd	 pc;
	struct words		 w;
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof refuses / sizeof refuses[0]; i++) {
		if (run_line(refuses[i].fn, refuses[i].line, &w, &pc,
		    &cause) != -1)
			fail_msg("accepted \"%s\"", refuses[i].line);
		assert_int_equal(pc.argc, 0);
		if (cause == NULL || strcmp(cause, refuses[i].cause) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"",
			    refuses[i].line, cause, refuses[i].cause);
		free(cause);
		/* and without a cause asked for */
		assert_int_equal(refuses[i].fn(w.argc, w.argv, &pc, NULL), -1);
		words_free(&w);
	}
}

/* Validator sentences are prefixed with the field; only the prefix here. */
static void
test_refuse_fields(void **state)
{
	static const struct { parse_fn fn; const char *line, *prefix; } c[] = {
		{ IP, "ip link show dev bad/name", "ip: dev: " },
		{ IP, "ip route add 10.0.0.0/33 via 1.2.3.4", "ip route: prefix: " },
		{ IP, "ip route add 10.0.0.0/8 via host", "ip route: via: " },
		{ IP, "ip route add 10.0.0.0/8 via 1.2.3.4 dev a/b",
		    "ip route: dev: " },
		{ IP, "ip addr add 1.2.3.4 dev eth0", "ip addr: address: " },
		{ IP, "ip link set eth0 mtu 9999999", "ip link: mtu: " },
		{ IP, "ip link set eth0 mtu -1", "ip link: mtu: " },
		{ PING, "ping -c 11 192.0.2.1", "ping: count: " },
		{ PING, "ping -c 0 192.0.2.1", "ping: count: " },
		{ PING, "ping bad_host", "ping: host: " },
	};
	struct prompt_cmd	 pc;
	struct words		 w;
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		assert_int_equal(run_line(c[i].fn, c[i].line, &w, &pc, &cause),
		    -1);
		if (cause == NULL || strncmp(cause, c[i].prefix,
		    strlen(c[i].prefix)) != 0)
			fail_msg("\"%s\": got \"%s\"", c[i].line, cause);
		free(cause);
		words_free(&w);
	}
}

static void
collect(const char *word, void *arg)
{
	struct text_buf	*b = arg;

	text_buf_printf(b, "%s%s", b->len ? " " : "", word);
}

static void
test_complete(void **state)
{
	static const struct { const char *line, *want; } c[] = {
		{ "he", "help" },
		{ "i", "ifconfig ip iptables" },
		{ "  pi", "ping" },
		{ "ip -b", "-br" },
		{ "ip ro", "route" },
		{ "help ip", "ip iptables" },
		{ "man re", "resources resolve" },
		{ "ping -", "-4 -6 -c" },
		{ "ip /et", "" },
		{ "ls /", "" },
		{ "resolve ex", "" },
		{ "zz", "" },
	};
	struct text_buf	 b;
	char		*got;
	size_t		 i;

	(void)state;
	prompt_complete_config(NULL);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		text_buf_init(&b, 4096);
		prompt_complete(c[i].line, collect, &b);
		got = text_buf_take(&b);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", c[i].line,
			    got, c[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_refuse_fields),
		cmocka_unit_test(test_complete),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
