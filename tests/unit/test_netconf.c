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

#include "netapply.h"
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

/*
 * Search domains of 256 characters in all, and one of the longest a line
 * allows, save to lines inih can read and load back the same.
 */
static void
test_long_search(void **state)
{
	struct netconf	*cfg = netconf_new(), *back = netconf_new();
	char		 path[] = "/tmp/test_netconf.XXXXXX", *cause = NULL;
	char		 six[6][64], list[512], one[NETCONF_SEARCH_NAME_MAX + 2];
	char		 line[512];
	FILE		*f;
	size_t		 len;
	int		 fd, i;

	(void)state;
	load_base(cfg);
	list[0] = '\0';
	/* 6 x (41 + 1) = 252: under the 256 of an edit. */
	for (i = 0; i < 6; i++) {
		memset(six[i], 'a' + i, 32);
		memcpy(six[i] + 32, ".example", 9);
		len = strlen(list);
		(void)snprintf(list + len, sizeof list - len, "%s%s",
		    i ? "," : "", six[i]);
	}
	assert_int_equal(netconf_edit_dns(cfg, verb_keep, list, &cause), 0);
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_int_equal(netconf_save(path, cfg, &cause), 0);
	assert_int_equal(netconf_load(path, back, &cause), 0);
	assert_true(netconf_equal(cfg, back));
	assert_int_equal(back->nsearch, 6);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof line, f) != NULL)
		assert_true(strlen(line) <= NETCONF_LINE_MAX);
	fclose(f);
	/* One domain as long as a line allows; one longer is refused. */
	memset(one, 'x', sizeof one);
	for (i = 63; i < NETCONF_SEARCH_NAME_MAX; i += 64)
		one[i] = '.';
	one[NETCONF_SEARCH_NAME_MAX] = '\0';
	assert_int_equal(netconf_edit_dns(cfg, verb_keep, one, &cause), 0);
	assert_int_equal(netconf_save(path, cfg, &cause), 0);
	assert_int_equal(netconf_load(path, back, &cause), 0);
	assert_true(netconf_equal(cfg, back));
	one[NETCONF_SEARCH_NAME_MAX] = 'x';
	one[NETCONF_SEARCH_NAME_MAX + 1] = '\0';
	assert_int_equal(netconf_edit_dns(cfg, verb_keep, one, &cause), -1);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	unlink(path);
	netconf_free(cfg);
	netconf_free(back);
}

/*
 * The transient unit's argv is fixed: systemd-run's absolute path, quiet,
 * collected, KillMode=process, the unit's name, "--", then the command;
 * a relative command or too small a vector is refused. Whether systemd
 * runs is PID 1's name and /run/systemd/system, nothing else.
 */
static void
test_unit_argv(void **state)
{
	char		*cmd[] = { "/usr/sbin/udhcpc", "-f", "-i", "eth0", NULL };
	char		*rel[] = { "udhcpc", NULL };
	char		*out[NETAPPLY_UNIT_ARGV_MAX], *comm = NULL;
	const char	*want[] = { "/usr/bin/systemd-run", "--quiet",
			    "--collect", "--service-type=exec",
			    "--property=KillMode=process", "--unit",
			    "appliance-console-udhcpc-eth0", "--",
			    "/usr/sbin/udhcpc", "-f", "-i", "eth0", NULL };
	size_t		 len = 0;
	FILE		*f;
	int		 n, i, sd;

	(void)state;
	n = netapply_unit_argv(out, NETAPPLY_UNIT_ARGV_MAX,
	    "appliance-console-udhcpc-eth0", cmd);
	assert_int_equal(n, 12);
	for (i = 0; want[i] != NULL; i++)
		assert_string_equal(out[i], want[i]);
	assert_null(out[n]);
	assert_int_equal(netapply_unit_argv(out, NETAPPLY_UNIT_ARGV_MAX,
	    "u", rel), -1);
	assert_int_equal(netapply_unit_argv(out, 8, "u", cmd), -1);
	sd = 0;
	if ((f = fopen("/proc/1/comm", "r")) != NULL) {
		if (getline(&comm, &len, f) > 0)
			sd = strcmp(comm, "systemd\n") == 0 &&
			    access("/run/systemd/system", F_OK) == 0;
		fclose(f);
	}
	free(comm);
	assert_int_equal(netapply_systemd(), sd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_long_search),
		cmocka_unit_test(test_unit_argv),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
