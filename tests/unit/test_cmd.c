/* SPDX-License-Identifier: ISC */
/*
 * The command table's invariants, prefix lookup, CLI dispatch and the
 * drop-in scanner against a real directory.
 */
#include <sys/stat.h>

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

static void
test_table_invariants(void **state)
{
	const struct cmd_entry	*const *a, *const *b;
	int			 last = 0;

	(void)state;
	assert_non_null(cmd_table[0]);
	for (a = cmd_table; *a != NULL; a++) {
		assert_non_null((*a)->name);
		assert_non_null((*a)->title);
		assert_non_null((*a)->usage);
		assert_non_null((*a)->cli);
		assert_true(strlen((*a)->title) > 0 && strlen((*a)->title) < 40);
		/* usage starts with the name: the man page uses the same words */
		assert_int_equal(strncmp((*a)->usage, (*a)->name,
		    strlen((*a)->name)), 0);
		if ((*a)->number != 0) {
			/* modules in menu order, CLI-only commands after */
			assert_true((*a)->number > last);
			assert_true((*a)->number >= 100 && (*a)->number <= 999);
			last = (*a)->number;
			assert_non_null((*a)->tui);
		} else
			last = 1000;
		for (b = a + 1; *b != NULL; b++) {
			assert_string_not_equal((*a)->name, (*b)->name);
			if ((*a)->number != 0)
				assert_int_not_equal((*a)->number,
				    (*b)->number);
		}
	}
}

static void
test_find(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_string_equal(cmd_find("resources", &cause)->name, "resources");
	assert_string_equal(cmd_find("resou", &cause)->name, "resources");
	/* "res" is resources or resolve: the candidates are named */
	assert_null(cmd_find("res", &cause));
	assert_non_null(strstr(cause, "resources, resolve"));
	free(cause);
	cause = NULL;
	assert_string_equal(cmd_find("v", &cause)->name, "version");
	assert_null(cmd_find("nosuch", &cause));
	assert_non_null(strstr(cause, "unknown command 'nosuch'"));
	free(cause);
	cause = NULL;
	assert_null(cmd_find("", &cause));
	free(cause);
	cause = NULL;
	/* control bytes are shown, not sent */
	assert_null(cmd_find("x\x1b[2J", &cause));
	assert_null(strchr(cause, '\x1b'));
	free(cause);
}

static char *
run_cli(int argc, char **argv, int *rc, char **err)
{
	struct config	 cfg;
	struct cmd_ctx	 ctx;
	char		*out = NULL;
	size_t		 outlen = 0, errlen = 0;

	config_defaults(&cfg);
	ctx.config = &cfg;
	ctx.out = open_memstream(&out, &outlen);
	ctx.err = open_memstream(err, &errlen);
	*rc = cmd_run_cli(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	config_free(&cfg);
	return (out);
}

static void
test_cli_dispatch(void **state)
{
	char	*help[] = { "help", NULL }, *ver[] = { "ver", NULL };
	char	*bad[] = { "sh", "-i", NULL }, *extra[] = { "help", "x", NULL };
	char	*two[] = { "help", "ip", "x", NULL }, *one[] = { "h", "pi", NULL };
	char	*out, *err;
	int	 rc;

	(void)state;
	out = run_cli(1, help, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "resources check [--json]"));
	assert_non_null(strstr(out, "version"));
	free(out);
	free(err);

	out = run_cli(1, ver, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "appliance-console "));
	free(out);
	free(err);

	out = run_cli(2, bad, &rc, &err);
	assert_int_equal(rc, 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, "unknown command 'sh'"));
	free(out);
	free(err);

	out = run_cli(2, extra, &rc, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "help: unknown command 'x'"));
	free(out);
	free(err);

	out = run_cli(3, two, &rc, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "usage: help [CMD]"));
	free(out);
	free(err);

	/* h CMD (a prefix): the usage and the examples */
	out = run_cli(2, one, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "usage: ping [-4|-6] [-c N] HOST\n"));
	assert_non_null(strstr(out, "Examples:\n  ping 192.0.2.1\n"));
	free(out);
	free(err);
}

static void
make_file(const char *dir, const char *name, mode_t mode)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("#!/bin/true\n", f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
test_dropins(void **state)
{
	char			 dir[] = "/tmp/ac-test-dropins.XXXXXX", p[512];
	struct cmd_dropin	*d;
	int			 n, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_file(dir, "900-support-info", 0755);
	make_file(dir, "150-vendor-tools", 0700);
	make_file(dir, "300-clash", 0755);		/* a module's number */
	make_file(dir, "250-not-executable", 0644);
	make_file(dir, "260-world-writable", 0757);
	make_file(dir, "270-Upper", 0755);
	make_file(dir, "099-too-low", 0755);
	make_file(dir, "280-trailing-", 0755);
	make_file(dir, "abc-name", 0755);
	make_file(dir, "290-semi;colon", 0755);
	snprintf(p, sizeof p, "%s/910-link", dir);
	assert_int_equal(symlink("/bin/sh", p), 0);
	snprintf(p, sizeof p, "%s/920-dir", dir);
	assert_int_equal(mkdir(p, 0755), 0);

	n = cmd_dropins_scan(dir, &d);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].number, 150);
	assert_string_equal(d[0].title, "Vendor tools");
	assert_int_equal(d[1].number, 900);
	assert_string_equal(d[1].title, "Support info");
	snprintf(p, sizeof p, "%s/900-support-info", dir);
	assert_string_equal(d[1].path, p);
	cmd_dropins_free(d, n);

	assert_int_equal(cmd_dropins_scan("/nonexistent", &d), 0);
	assert_null(d);

	/* clean up */
	{
		static const char *names[] = { "900-support-info",
		    "150-vendor-tools", "300-clash", "250-not-executable",
		    "260-world-writable", "270-Upper", "099-too-low",
		    "280-trailing-", "abc-name", "290-semi;colon", "910-link" };

		for (i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
			snprintf(p, sizeof p, "%s/%s", dir, names[i]);
			unlink(p);
		}
		snprintf(p, sizeof p, "%s/920-dir", dir);
		rmdir(p);
		rmdir(dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_invariants),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cli_dispatch),
		cmocka_unit_test(test_dropins),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
