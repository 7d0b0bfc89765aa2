/* SPDX-License-Identifier: ISC */
/*
 * console.conf: defaults, every key, and every way a file can be broken —
 * each must leave the defaults in place and name the file, line and key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "config.h"

static char	 conf_path[] = "/tmp/ac-test-conf.XXXXXX";

static void
write_conf(const char *text)
{
	FILE	*f;

	f = fopen(conf_path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	int	 fd;

	(void)state;
	fd = mkstemp(conf_path);
	if (fd == -1)
		return (-1);
	close(fd);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	unlink(conf_path);
	return (0);
}

static void
test_defaults(void **state)
{
	struct config	 cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.name, "Appliance Console");
	assert_int_equal(cfg.idle_timeout, 900);
	assert_int_equal(cfg.resources.min_cpus, 4);
	assert_int_equal(cfg.resources.min_memory_mib, 16384);
	assert_int_equal(cfg.resources.min_cache_disk_gib, 80);
	assert_null(cfg.warning);
	assert_int_equal(cfg.hidden, 0);
	config_free(&cfg);
}

static void
test_missing_file_is_fine(void **state)
{
	struct config	 cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "/nonexistent/console.conf"), 0);
	assert_null(cfg.warning);
	config_free(&cfg);
}

static void
test_every_key(void **state)
{
	struct config	 cfg;

	(void)state;
	write_conf("# comment\n"
	    "[console]\n"
	    "name = Sync Agent\n"
	    "idle_timeout = 30\n"
	    "\n"
	    "[modules]\n"
	    "hide = resources\n"
	    "[resources]\n"
	    "min_cpus = 2\n"
	    "min_memory_mib = 4096\n"
	    "min_cache_disk_gib = 0\n"
	    "fs_warn_free_percent = 20\n"
	    "fs_fail_free_percent = 5\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), 0);
	assert_null(cfg.warning);
	assert_string_equal(cfg.name, "Sync Agent");
	assert_int_equal(cfg.idle_timeout, 30);
	assert_int_equal(cfg.resources.min_cpus, 2);
	assert_int_equal(cfg.resources.min_memory_mib, 4096);
	assert_int_equal(cfg.resources.min_cache_disk_gib, 0);
	assert_int_equal(cfg.resources.fs_warn_free_percent, 20);
	assert_int_equal(cfg.resources.fs_fail_free_percent, 5);
	assert_true(config_module_hidden(&cfg, "resources"));
	assert_false(config_module_hidden(&cfg, "help"));
	config_free(&cfg);
}

static void
test_hide_by_number(void **state)
{
	struct config	 cfg;

	(void)state;
	write_conf("[modules]\nhide = 300\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), 0);
	assert_true(config_module_hidden(&cfg, "resources"));
	config_free(&cfg);
}

struct bad_case {
	const char	*text;
	const char	*expect[3];	/* substrings of the warning */
};

static const struct bad_case bad_cases[] = {
	{ "[console]\nidle_timeout = soon\n",
	    { ":2:", "idle_timeout", "[console]" } },
	{ "[console]\n\nidle_timeout = 999999\n",
	    { ":3:", "idle_timeout", NULL } },
	{ "[console]\nidle_timeout = -5\n", { ":2:", "idle_timeout", NULL } },
	{ "[console]\nidle_timeout = 10x\n", { ":2:", "idle_timeout", NULL } },
	{ "[console]\nidle_timeout =\n", { ":2:", "idle_timeout", NULL } },
	{ "[console]\ntheme = blue\n", { ":2:", "theme", "unknown key" } },
	{ "[console]\ncolour = blue\n", { ":2:", "colour",
	    "expected auto or never" } },
	{ "[console]\nborders = fancy\n", { ":2:", "borders",
	    "expected auto or ascii" } },
	{ "[console]\nescape_delay_ms = 5\n", { ":2:", "escape_delay_ms" } },
	{ "[consol]\nname = x\n", { ":2:", "[consol]", "unknown key" } },
	{ "[console]\nthis is not ini\n", { ":2:", "not a 'key = value'",
	    NULL } },
	{ "[console]\nname = \001bad\n", { ":2:", "name", "printable" } },
	{ "[console]\nname = 0123456789012345678901234567890123456789"
	    "0123456789\n", { ":2:", "name", "characters" } },
	{ "[modules]\nhide = resources, nosuch\n", { ":2:", "nosuch",
	    "not a module" } },
	{ "[resources]\nmin_cpus = 4.5\n", { ":2:", "min_cpus", NULL } },
	{ "[resources]\nfs_warn_free_percent = 101\n", { ":2:",
	    "fs_warn_free_percent", NULL } },
	{ "[resources]\nfs_warn_free_percent = 5\nfs_fail_free_percent = 10\n",
	    { "fs_fail_free_percent", "fs_warn_free_percent", NULL } },
	{ "[console]\nidle_timeout = x\nname = \nmin = 1\n",
	    { ":2:", "and 2 more", NULL } },
};

static void
test_bad_files_keep_defaults(void **state)
{
	struct config	 cfg;
	size_t		 i, j;

	(void)state;
	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		write_conf(bad_cases[i].text);
		config_defaults(&cfg);
		assert_int_equal(config_load(&cfg, conf_path), -1);
		assert_non_null(cfg.warning);
		assert_non_null(strstr(cfg.warning, conf_path));
		assert_non_null(strstr(cfg.warning, "using defaults"));
		for (j = 0; j < 3 && bad_cases[i].expect[j] != NULL; j++) {
			if (strstr(cfg.warning, bad_cases[i].expect[j]) == NULL)
				fail_msg("case %zu: '%s' not in '%s'", i,
				    bad_cases[i].expect[j], cfg.warning);
		}
		/* Nothing of the broken file was applied. */
		assert_string_equal(cfg.name, "Appliance Console");
		assert_int_equal(cfg.idle_timeout, 900);
		assert_int_equal(cfg.resources.fs_warn_free_percent, 10);
		assert_int_equal(cfg.hidden, 0);
		config_free(&cfg);
	}
}

static void
test_connectivity_keys(void **state)
{
	struct config	 cfg;

	(void)state;
	write_conf("[connectivity]\n"
	    "activation = https://activation{flavour}.{region}.example.com/\n"
	    "control_plane = cp.example.com:443\n"
	    "data_plane =\n"
	    "updates = https://updates.example.com/ ntp.example.com:123\n"
	    "flavour = fips\n"
	    "region = eu-west-1\n"
	    "private_endpoint = vpce.example.internal\n"
	    "ca_file = /etc/appliance-console/ca.pem\n"
	    "expected_issuers = Root CA 1, Root CA 2\n"
	    "gateway_timeout_ms = 500\n"
	    "dns_timeout_ms = 600\n"
	    "tcp_timeout_ms = 700\n"
	    "proxy_timeout_ms = 800\n"
	    "tls_timeout_ms = 900\n"
	    "http_timeout_ms = 1000\n"
	    "total_timeout_ms = 5000\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), 0);
	assert_string_equal(cfg.conn.flavour, "fips");
	assert_string_equal(cfg.conn.region, "eu-west-1");
	assert_null(cfg.conn.groups[2]);
	assert_string_equal(cfg.conn.groups[3],
	    "https://updates.example.com/ ntp.example.com:123");
	assert_string_equal(cfg.conn.ca_file, "/etc/appliance-console/ca.pem");
	assert_int_equal(cfg.conn.tls_timeout_ms, 900);
	assert_int_equal(cfg.conn.total_timeout_ms, 5000);
	config_free(&cfg);

	/* Each refused, with the defaults kept. */
	write_conf("[connectivity]\nupdates = file:///etc/passwd\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), -1);
	assert_non_null(strstr(cfg.warning, "only http:// and https://"));
	assert_null(cfg.conn.groups[3]);
	config_free(&cfg);
	write_conf("[connectivity]\nflavour = gov\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), -1);
	assert_non_null(strstr(cfg.warning, "public, fips or private"));
	assert_string_equal(cfg.conn.flavour, "public");
	config_free(&cfg);
	write_conf("[connectivity]\nca_file = ../ca.pem\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), -1);
	config_free(&cfg);
	write_conf("[connectivity]\ntcp_timeout_ms = 10\n");
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, conf_path), -1);
	assert_int_equal(cfg.conn.tcp_timeout_ms, 3000);
	config_free(&cfg);
}

static void
test_shipped_file_is_valid(void **state)
{
	struct config	 cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "etc/console.conf"), 0);
	assert_null(cfg.warning);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_missing_file_is_fine),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_hide_by_number),
		cmocka_unit_test(test_bad_files_keep_defaults),
		cmocka_unit_test(test_connectivity_keys),
		cmocka_unit_test(test_shipped_file_is_valid),
	};

	/* [modules] hide is resolved against the command table, as in main. */
	config_modules_lookup(cmd_module_index);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
