/* SPDX-License-Identifier: ISC */
/*
 * The network model's edits behind ip addr add|del and ip link set,
 * table-driven: each case starts from the same configuration, applies one
 * helper verb through netconf_edit_verb (as the console's preview and the
 * helper do) and checks either the adapter's section of the saved text or
 * the exact sentence of the refusal, with the configuration unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "netconf.h"

#define BASE \
	"[interface eth0]\nmode = static\naddress = 192.0.2.10/24\n" \
	"gateway = 192.0.2.1\nipv6 = off\n" \
	"[interface eth1]\nmode = dhcp\nipv6 = slaac\n"

struct edit_case {
	const char	*verb;
	const char	*a0, *a1;
	const char	*want;		/* in the saved text, or the refusal */
	int		 ok;
};

static const struct edit_case cases[] = {
	{ "addr-add", "eth0", "192.0.2.11/24",
	    "address = 192.0.2.10/24\naddress = 192.0.2.11/24\n", 1 },
	{ "addr-add", "eth0", "2001:db8::5/64", "address = 2001:db8::5/64\n",
	    1 },
	{ "addr-add", "eth2", "198.51.100.5/24", "[interface eth2]\nmode = "
	    "static\naddress = 198.51.100.5/24\nipv6 = off\n", 1 },
	{ "addr-add", "eth0", "192.0.2.10/24", "192.0.2.10/24 is on eth0 "
	    "already", 0 },
	{ "addr-add", "eth1", "192.0.2.50/24", "eth1 uses DHCP: make it "
	    "static first with 'network set eth1 static ...'", 0 },
	{ "addr-add", "eth0", "192.0.2.0/24", NULL, 0 },
	{ "addr-add", "eth0/x", "192.0.2.11/24", NULL, 0 },
	{ "addr-del", "eth0", "192.0.2.10/24", "192.0.2.10/24 is the last "
	    "address of eth0: give it another first, or use 'network dhcp "
	    "eth0'", 0 },
	{ "addr-del", "eth0", "192.0.2.99/24", "192.0.2.99/24 is not a "
	    "configured address of eth0", 0 },
	{ "addr-del", "eth1", "192.0.2.99/24", "192.0.2.99/24 is not a "
	    "configured address of eth1 (its addresses come from DHCP)", 0 },
	{ "link-set", "eth0", "down", "gateway = 192.0.2.1\nlink = down\n",
	    1 },
	{ "link-set", "eth1", "down", "mode = dhcp\nlink = down\n", 1 },
	{ "link-set", "eth0", "sideways", "link state 'sideways': use up or "
	    "down", 0 },
	{ "link-set", "eth9", "up", "eth9 is not configured: give it an "
	    "address ('ip addr add' or 'network set eth9 ...') first", 0 },
	{ "link-mtu", "eth0", "1400", "mtu = 1400\n", 1 },
	{ "link-mtu", "eth0", "67", NULL, 0 },
	{ "link-mtu", "eth0", "-1", NULL, 0 },
};

static void
load_base(struct netconf *cfg)
{
	char	 path[] = "/tmp/test_netconf.XXXXXX", *cause = NULL;
	int	 fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, BASE, strlen(BASE)), (int)strlen(BASE));
	close(fd);
	if (netconf_load(path, cfg, &cause) != 0)
		fail_msg("base: %s", cause);
	unlink(path);
}

static void
test_edits(void **state)
{
	struct netconf	*cfg, *orig;
	char		*cause, *text;
	const char	*args[3];
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cfg = netconf_new();
		orig = netconf_new();
		load_base(cfg);
		load_base(orig);
		args[0] = cases[i].a0;
		args[1] = cases[i].a1;
		args[2] = NULL;
		cause = NULL;
		r = netconf_edit_verb(cfg, cases[i].verb, args, NULL, &cause);
		if (cases[i].ok) {
			if (r != 0)
				fail_msg("%s %s %s: %s", cases[i].verb,
				    cases[i].a0, cases[i].a1, cause);
			text = netconf_format(cfg);
			if (strstr(text, cases[i].want) == NULL)
				fail_msg("%s %s %s: no '%s' in:\n%s",
				    cases[i].verb, cases[i].a0, cases[i].a1,
				    cases[i].want, text);
			free(text);
		} else {
			if (r != -1)
				fail_msg("%s %s %s: accepted", cases[i].verb,
				    cases[i].a0, cases[i].a1);
			assert_non_null(cause);
			if (cases[i].want != NULL &&
			    strcmp(cause, cases[i].want) != 0)
				fail_msg("%s %s %s: got '%s'", cases[i].verb,
				    cases[i].a0, cases[i].a1, cause);
			free(cause);
			/* A refused edit leaves nothing behind. */
			assert_true(netconf_equal(cfg, orig));
		}
		netconf_free(cfg);
		netconf_free(orig);
	}
}

/* link = down and the MTU survive a save and a load. */
static void
test_round_trip(void **state)
{
	struct netconf	*cfg = netconf_new(), *back = netconf_new();
	char		 path[] = "/tmp/test_netconf.XXXXXX", *cause = NULL;
	const char	*args[] = { "eth0", "down", NULL };
	int		 fd;

	(void)state;
	load_base(cfg);
	assert_int_equal(netconf_edit_verb(cfg, "link-set", args, NULL,
	    &cause), 0);
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_int_equal(netconf_save(path, cfg, &cause), 0);
	assert_int_equal(netconf_load(path, back, &cause), 0);
	assert_true(netconf_equal(cfg, back));
	assert_int_equal(netconf_iface_find(back, "eth0")->down, 1);
	unlink(path);
	netconf_free(cfg);
	netconf_free(back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
