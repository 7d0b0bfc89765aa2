/* SPDX-License-Identifier: ISC */
/*
 * Module 400's model: the server list rules (duplicates, the last one, at
 * most 8, validation), the drop-ins rendered for each service, the list
 * read from console.conf or from the state file (comments allowed, bad
 * lines refused), service detection, zones checked against a tz database
 * under a temporary system root, [time] in console.conf, the majority
 * rule that picks the server to step to, and the confirmed step's checks.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "paths.h"
#include "systime.h"

static char	 root[] = "/tmp/ac-systime.XXXXXX";

static void
put(const char *rel, const char *text)
{
	char	 p[512], *s;
	FILE	*f;

	snprintf(p, sizeof p, "%s%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	char	 p[512];

	(void)state;
	if (mkdtemp(root) == NULL)
		return (-1);
	put("/usr/share/.keep", "");
	snprintf(p, sizeof p, "%s/usr/share/zoneinfo", root);
	if (symlink("/usr/share/zoneinfo", p) == -1)
		return (-1);
	setenv("CONSOLE_ROOT", root, 1);
	paths_init();
	return (0);
}

/* Remove one file or empty directory under the root. */
static void
rm_tree(const char *rel)
{
	char	 p[512];

	snprintf(p, sizeof p, "%s%s", root, rel);
	if (unlink(p) == -1)
		rmdir(p);
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree("/usr/share/zoneinfo");
	rm_tree("/usr/share/.keep");
	rm_tree("/var/lib/appliance-console/ntp-servers");
	rm_tree("/etc/chrony/chrony.conf");
	rm_tree("/etc/systemd/timesyncd.conf");
	rm_tree("/etc/appliance-console/console.conf");
	rm_tree("/etc/appliance-console");
	rm_tree("/etc/chrony");
	rm_tree("/etc/systemd");
	rm_tree("/etc");
	rm_tree("/var/lib/appliance-console");
	rm_tree("/var/lib");
	rm_tree("/var");
	rm_tree("/usr/share");
	rm_tree("/usr");
	rm_tree("");
	return (0);
}

static void
test_list_rules(void **state)
{
	struct config		 cfg;
	struct systime_servers	 sv;
	char			*cause = NULL, name[32];
	int			 i;

	(void)state;
	config_defaults(&cfg);
	free(cfg.time.servers);
	cfg.time.servers = strdup("ntp.lab.example 192.0.2.1");
	assert_int_equal(systime_servers_load(&cfg, &sv, &cause), 0);
	assert_int_equal(sv.n, 2);
	assert_int_equal(sv.from_state, 0);
	assert_int_equal(systime_servers_add(&sv, "NTP.lab.example", &cause),
	    -1);
	assert_non_null(strstr(cause, "already in the list"));
	free(cause);
	assert_int_equal(systime_servers_add(&sv, "-x", &cause), -1);
	assert_non_null(strstr(cause, "starts with '-'"));
	free(cause);
	assert_int_equal(systime_servers_remove(&sv, "other.example", &cause),
	    -1);
	assert_non_null(strstr(cause, "not in the list"));
	free(cause);
	assert_int_equal(systime_servers_remove(&sv, "192.0.2.1", NULL), 0);
	assert_int_equal(systime_servers_remove(&sv, "ntp.lab.example",
	    &cause), -1);
	assert_non_null(strstr(cause, "last server"));
	free(cause);
	for (i = 0; sv.n < CONFIG_TIME_SERVERS_MAX; i++) {
		snprintf(name, sizeof name, "s%d.example", i);
		assert_int_equal(systime_servers_add(&sv, name, NULL), 0);
	}
	assert_int_equal(systime_servers_add(&sv, "one.more", &cause), -1);
	assert_non_null(strstr(cause, "most it can"));
	free(cause);
	systime_servers_free(&sv);
	config_free(&cfg);
}

static void
test_dropins(void **state)
{
	struct systime_servers	 sv;
	char			*t;

	(void)state;
	memset(&sv, 0, sizeof sv);
	assert_int_equal(systime_servers_add(&sv, "ntp.lab.example", NULL), 0);
	assert_int_equal(systime_servers_add(&sv, "2.debian.pool.ntp.org",
	    NULL), 0);
	assert_int_equal(systime_servers_add(&sv, "2001:db8::1", NULL), 0);
	t = systime_servers_dropin(SYSTIME_SVC_CHRONY, &sv);
	assert_non_null(strstr(t, "\nserver ntp.lab.example iburst\n"
	    "pool 2.debian.pool.ntp.org iburst\nserver 2001:db8::1 iburst\n"));
	free(t);
	t = systime_servers_dropin(SYSTIME_SVC_TIMESYNCD, &sv);
	assert_non_null(strstr(t, "\n[Time]\nNTP=ntp.lab.example "
	    "2.debian.pool.ntp.org 2001:db8::1\n"));
	free(t);
	assert_null(systime_servers_dropin(SYSTIME_SVC_NTPD, &sv));
	assert_null(systime_servers_dropin(SYSTIME_SVC_NONE, &sv));
	t = systime_servers_state(&sv);
	assert_non_null(strstr(t, "\nntp.lab.example\n2.debian.pool.ntp.org\n"
	    "2001:db8::1\n"));
	free(t);
	systime_servers_free(&sv);
}

static void
test_state_file(void **state)
{
	struct config		 cfg;
	struct systime_servers	 sv;
	char			*cause = NULL;

	(void)state;
	config_defaults(&cfg);
	put(SYSTIME_STATE_SERVERS, "# a comment\nntp.lab.example\n\n"
	    "192.0.2.1 # the gateway\n");
	assert_int_equal(systime_servers_load(&cfg, &sv, &cause), 0);
	assert_int_equal(sv.n, 2);
	assert_int_equal(sv.from_state, 1);
	assert_string_equal(sv.names[1], "192.0.2.1");
	systime_servers_free(&sv);
	put(SYSTIME_STATE_SERVERS, "ntp.lab.example\n--help\n");
	assert_int_equal(systime_servers_load(&cfg, &sv, &cause), -1);
	assert_non_null(strstr(cause, "ntp-servers"));
	free(cause);
	config_free(&cfg);
	rm_tree(SYSTIME_STATE_SERVERS);
}

static void
test_detect(void **state)
{
	(void)state;
	assert_int_equal(systime_detect(), SYSTIME_SVC_NONE);
	put("/etc/systemd/timesyncd.conf", "[Time]\n");
	assert_int_equal(systime_detect(), SYSTIME_SVC_TIMESYNCD);
	put("/etc/chrony/chrony.conf", "");
	assert_int_equal(systime_detect(), SYSTIME_SVC_CHRONY);
	assert_string_equal(systime_dropin_path(SYSTIME_SVC_CHRONY),
	    "/etc/chrony/sources.d/appliance-console.sources");
	assert_string_equal(systime_service_unit(SYSTIME_SVC_TIMESYNCD),
	    "systemd-timesyncd.service");
	rm_tree("/etc/chrony/chrony.conf");
	rm_tree("/etc/systemd/timesyncd.conf");
}

static void
test_zones(void **state)
{
	char	*cause = NULL, **z, buf[64];
	int	 n, i, found = 0;

	(void)state;
	assert_int_equal(systime_zone_check("Europe/Berlin", NULL), 0);
	assert_int_equal(systime_zone_check("UTC", NULL), 0);
	assert_int_equal(systime_zone_check("Mars/Olympus", &cause), -1);
	assert_non_null(strstr(cause, "installed tz database"));
	free(cause);
	assert_int_equal(systime_zone_check("../../etc/shadow", &cause), -1);
	assert_non_null(strstr(cause, "'..' is not allowed"));
	free(cause);
	assert_int_equal(systime_zone_check("Europe", &cause), -1);
	free(cause);
	z = systime_zone_search("berl", &n);
	for (i = 0; i < n; i++)
		found += strcmp(z[i], "Europe/Berlin") == 0;
	assert_int_equal(found, 1);
	systime_zone_list_free(z);
	z = systime_zone_search("", &n);
	assert_true(n > 300);
	for (i = 1; i < n; i++)
		assert_true(strcmp(z[i - 1], z[i]) < 0);
	systime_zone_list_free(z);
	systime_zone_current(buf, sizeof buf);
	assert_string_equal(buf, "UTC");
	/* 2027-01-15 12:00 UTC is 13:00 CET. */
	systime_format(buf, sizeof buf, 1800014400, "Europe/Berlin");
	assert_string_equal(buf, "2027-01-15 13:00:00 CET +0100");
	systime_format(buf, sizeof buf, 1800014400, NULL);
	assert_string_equal(buf, "2027-01-15 12:00:00");
}

/* One answer as sntp_query_all fills it. */
static struct sntp_result
answer(const char *name, int stratum, double offset, double delay)
{
	struct sntp_result	 r;

	memset(&r, 0, sizeof r);
	snprintf(r.server, sizeof r.server, "%s", name);
	r.status = SNTP_OK;
	r.stratum = stratum;
	r.offset_ns = (int64_t)(offset * 1e9);
	r.delay_ns = (int64_t)(delay * 1e9);
	return (r);
}

/*
 * The server to step to is one of a majority that agree, never simply
 * the lowest stratum: one liar claiming stratum 1 must not win.
 */
static void
test_best_majority(void **state)
{
	struct sntp_result	 r[4];

	(void)state;
	r[0] = answer("honest", 8, 0.001, 0.002);
	r[1] = answer("liar", 1, 3600, 0.001);
	assert_int_equal(systime_best(r, 2), -1);
	r[2] = answer("honest2", 3, -0.002, 0.004);
	assert_int_not_equal(systime_best(r, 3), 1);
	assert_int_not_equal(systime_best(r, 3), -1);
	/* Among the agreeing ones: the lowest stratum. */
	assert_int_equal(systime_best(r, 3), 2);
	/* A negative delay is no answer at all. */
	r[1] = answer("liar", 1, 3600, -5);
	assert_int_equal(systime_best(r, 2), 0);
	/* Those that did not answer do not vote. */
	r[1].status = SNTP_TIMEOUT;
	r[2].status = SNTP_DNS;
	assert_int_equal(systime_best(r, 3), 0);
	r[0].status = SNTP_TIMEOUT;
	assert_int_equal(systime_best(r, 3), -1);
	/* Two liars agreeing against one honest server: they are a majority
	   (the cap on the step is what stops them). */
	r[0] = answer("honest", 8, 0.001, 0.002);
	r[1] = answer("liar", 1, 3600, 0.001);
	r[2] = answer("liar2", 1, 3600.01, 0.001);
	assert_int_equal(systime_best(r, 3), 1);
	/* Exactly half is no majority. */
	r[3] = answer("honest2", 2, 0.0, 0.001);
	assert_int_equal(systime_best(r, 4), -1);
}

/* The confirmed step on the wire, the cap and the tolerance. */
static void
test_step(void **state)
{
	struct config		 cfg;
	struct sntp_result	 b;
	char			 dir[16], ns[32], *cause = NULL;
	int64_t			 step;

	(void)state;
	systime_step_words(-1500000000LL, dir, sizeof dir, ns, sizeof ns);
	assert_string_equal(dir, "back");
	assert_string_equal(ns, "1500000000");
	assert_int_equal(systime_step_parse(dir, ns, &step, NULL), 0);
	assert_true(step == -1500000000LL);
	systime_step_words(7, dir, sizeof dir, ns, sizeof ns);
	assert_string_equal(dir, "forward");
	assert_int_equal(systime_step_parse("sideways", "1", &step, &cause),
	    -1);
	free(cause);
	assert_int_equal(systime_step_parse("back", "-1", &step, NULL), -1);
	config_defaults(&cfg);
	assert_int_equal(systime_step_check(&cfg, -1000000000000LL, 0, NULL),
	    0);
	assert_int_equal(systime_step_check(&cfg, 1000000000001LL, 0, &cause),
	    -1);
	assert_non_null(strstr(cause, "max_step_seconds (1000)"));
	free(cause);
	assert_int_equal(systime_step_check(&cfg, 3600000000000LL, 1, NULL),
	    0);
	b = answer("s", 2, 0.5, 0.02);
	assert_int_equal(systime_step_confirmed(500000000LL, &b, NULL), 0);
	assert_int_equal(systime_step_confirmed(580000000LL, &b, NULL), 0);
	assert_int_equal(systime_step_confirmed(620000000LL, &b, &cause), -1);
	assert_non_null(strstr(cause, "differs from the confirmed step"));
	free(cause);
	config_free(&cfg);
}

static void
test_config_time(void **state)
{
	struct config	 cfg;
	char		 p[512];

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.time.max_step_seconds, 1000);
	snprintf(p, sizeof p, "%s/etc/appliance-console/console.conf", root);
	put("/etc/appliance-console/console.conf", "[time]\nservers = "
	    "ntp.lab.example, 192.0.2.1\nwarn_offset_seconds = 5\n"
	    "query_timeout_ms = 300\nmax_step_seconds = 60\n");
	assert_int_equal(config_load(&cfg, p), 0);
	assert_string_equal(cfg.time.servers, "ntp.lab.example 192.0.2.1");
	assert_int_equal(cfg.time.warn_offset_seconds, 5);
	assert_int_equal(cfg.time.query_timeout_ms, 300);
	assert_int_equal(cfg.time.max_step_seconds, 60);
	put("/etc/appliance-console/console.conf", "[time]\nservers = "
	    "ntp.lab.example -oProxy\n");
	assert_int_equal(config_load(&cfg, p), -1);
	assert_non_null(strstr(cfg.warning, "servers"));
	assert_non_null(strstr(cfg.warning, "starts with '-'"));
	put("/etc/appliance-console/console.conf", "[time]\n"
	    "query_timeout_ms = 50\n");
	assert_int_equal(config_load(&cfg, p), -1);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_rules),
		cmocka_unit_test(test_dropins),
		cmocka_unit_test(test_state_file),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_config_time),
		cmocka_unit_test(test_best_majority),
		cmocka_unit_test(test_step),
	};

	if (getuid() != 0) {
		/* The system-root seam is honoured for root only. */
		printf("# test_systime needs root; skipped\n");
		return (0);
	}
	return (cmocka_run_group_tests(tests, setup, teardown));
}
