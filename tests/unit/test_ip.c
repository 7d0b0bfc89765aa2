/* SPDX-License-Identifier: ISC */
/*
 * The prompt's `ip` grammar, table-driven: each accepted line gives
 * exactly the argv we run (or the `network route` words), each refused
 * line a message naming the word, and nothing to run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ip.h"
#include "words.h"

static const struct {
	const char	*line;
	const char	*argv;		/* joined with spaces */
} ip_good[] = {
	{ "ip addr", "/sbin/ip address show" },
	{ "ip a", "/sbin/ip address show" },
	{ "ip -br addr show", "/sbin/ip -brief address show" },
	{ "ip -4 -j route", "/sbin/ip -4 -json route show" },
	{ "ip -6 route list", "/sbin/ip -6 route show" },
	{ "ip link show dev eth0", "/sbin/ip link show dev eth0" },
	{ "ip neigh", "/sbin/ip neigh show" },
	{ "ip rule", "/sbin/ip rule show" },
	{ "ip -json -brief l", "/sbin/ip -brief -json link show" },
	{ "ip route add 203.0.113.0/24 via 192.0.2.1",
	    "network route add 203.0.113.0/24 via 192.0.2.1" },
	{ "ip route del 203.0.113.0/24", "network route del 203.0.113.0/24" },
	{ "ip r delete 203.0.113.0/24 dev eth0",
	    "network route del 203.0.113.0/24 dev eth0" },
};

static const struct {
	const char	*line;
	const char	*cause;
} ip_bad[] = {
	{ "ip", "say what to show" },
	{ "ip netns exec x sh", "'netns' is not allowed" },
	{ "ip -batch /tmp/x", "option '-batch' is not allowed" },
	{ "ip -force addr", "option '-force' is not allowed" },
	{ "ip monitor", "'monitor' is not allowed" },
	{ "ip vrf exec red sh", "'vrf' is not allowed" },
	{ "ip -n other addr", "option '-n' is not allowed" },
	{ "ip addr add 192.0.2.9/24 dev eth0", "only 'dev IFACE'" },
	{ "ip link set eth0 down", "only 'dev IFACE'" },
	{ "ip addr show dev", "only 'dev IFACE'" },
	{ "ip addr show dev eth0 extra", "only 'dev IFACE'" },
	{ "ip addr show dev eth0123456789abcdef", "longer than 15" },
	{ "ip -c addr", "option '-c' is not allowed" },
};

static char *
joined(const struct ip_argv *a)
{
	static char	 buf[1024];
	int		 i;

	buf[0] = '\0';
	for (i = 0; i < a->argc; i++) {
		strncat(buf, a->argv[i], sizeof buf - strlen(buf) - 2);
		if (i + 1 < a->argc)
			strncat(buf, " ", sizeof buf - strlen(buf) - 1);
	}
	return (buf);
}

static void
test_ip_accept(void **state)
{
	struct words	 w;
	struct ip_argv	 a;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof ip_good / sizeof ip_good[0]; i++) {
		assert_int_equal(words_split(ip_good[i].line, &w, &cause), 0);
		if (ip_parse(w.argc, w.argv, &a, &cause) != 0)
			fail_msg("%s: %s", ip_good[i].line, cause);
		assert_string_equal(joined(&a), ip_good[i].argv);
		assert_int_equal(a.network, ip_good[i].argv[0] == 'n');
		ip_argv_free(&a);
		words_free(&w);
	}
}

static void
test_ip_refuse(void **state)
{
	struct words	 w;
	struct ip_argv	 a;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof ip_bad / sizeof ip_bad[0]; i++) {
		assert_int_equal(words_split(ip_bad[i].line, &w, &cause), 0);
		assert_int_equal(ip_parse(w.argc, w.argv, &a, &cause), -1);
		if (strstr(cause, ip_bad[i].cause) == NULL)
			fail_msg("%s: '%s' lacks '%s'", ip_bad[i].line, cause,
			    ip_bad[i].cause);
		assert_int_equal(a.argc, 0);
		free(cause);
		cause = NULL;
		words_free(&w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_accept),
		cmocka_unit_test(test_ip_refuse),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
