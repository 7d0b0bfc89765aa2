/* SPDX-License-Identifier: ISC */
/*
 * The command table's invariants, prefix lookup, CLI dispatch and the
 * drop-in scanner against a real directory.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "cmd.h"
#include "complete.h"
#include "config.h"
#include "man-page.h"
#include "netconf.h"
#include "paths.h"
#include "priv.h"
#include "tool.h"

/*
 * What the flags mean: read-only or privileged, never both (a row that
 * reaches a helper without CMD_PRIV is refused at run time, so that flag
 * cannot lie: test_readonly_gate).
 */
static void
check_flags(const char *name, int flags)
{
	if ((flags & CMD_READONLY) && (flags & CMD_PRIV))
		fail_msg("%s: both CMD_READONLY and CMD_PRIV", name);
	if ((flags & CMD_CONFIRM) && (flags & CMD_READONLY))
		fail_msg("%s: a read-only command asks nothing", name);
}

static void
check_subs(const struct cmd_entry *ce)
{
	const struct cmd_sub	*s, *t;
	int			 priv = 0;
	char			 name[64];

	assert_non_null(ce->subs[0].name);
	for (s = ce->subs; s->name != NULL; s++) {
		snprintf(name, sizeof name, "%s %s", ce->name, s->name);
		assert_non_null(s->usage);
		assert_non_null(s->fn);
		assert_non_null(s->help);
		/* the usage starts with the word, as the man page's */
		assert_int_equal(strncmp(s->usage, s->name, strlen(s->name)),
		    0);
		check_flags(name, s->flags);
		priv |= s->flags & CMD_PRIV;
		for (t = s + 1; t->name != NULL; t++)
			assert_string_not_equal(s->name, t->name);
	}
	/* the module is privileged exactly when one of its rows is */
	assert_int_equal(priv, ce->flags & CMD_PRIV);
	if (ce->sub_default != NULL) {
		for (s = ce->subs; s->name != NULL; s++) {
			if (strcmp(s->name, ce->sub_default) == 0)
				break;
		}
		assert_non_null(s->name);
		/* the bare name never changes anything */
		assert_true(s->flags & CMD_READONLY || ce->subs[1].name ==
		    NULL);
	}
}

/* mkdir -p of an absolute path */
static int
system_mkdir_p(const char *path)
{
	char	 buf[512], *s;

	snprintf(buf, sizeof buf, "%s", path);
	for (s = buf + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return (-1);
		*s = '/';
	}
	return (mkdir(buf, 0755) == -1 && errno != EEXIST ? -1 : 0);
}

/*
 * "Cm MOD SUB" on an .It line, or SUB as the word after "Cm" later on
 * a "Cm MOD" line ("time Op Cm show"): the manual names the sub-command.
 */
static int
man_has_sub(const char *page, const char *want)
{
	const char	*p, *a, *eol, *sub = strrchr(want, ' ') + 1;
	char		 mod[80], alt[96];

	if (strstr(page, want) != NULL)
		return (1);
	snprintf(mod, sizeof mod, "\n.It Cm %.*s ", (int)(sub - want - 4),
	    want + 3);
	snprintf(alt, sizeof alt, "Cm %s", sub);
	for (p = strstr(page, mod); p != NULL; p = strstr(p + 1, mod)) {
		eol = strchr(p + 1, '\n');
		for (a = strstr(p, alt); a != NULL && a < eol;
		    a = strstr(a + 1, alt)) {
			if (a[strlen(alt)] == ' ' || a[strlen(alt)] == '\n')
				return (1);
		}
	}
	return (0);
}

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
		assert_true(strlen((*a)->title) > 0 && strlen((*a)->title) < 40);
		/* A table of sub-commands or one handler with its usage. */
		assert_true(((*a)->subs != NULL) != ((*a)->cli != NULL));
		assert_true(((*a)->subs != NULL) != ((*a)->usage != NULL));
		/* usage starts with the name: the man page uses the same words */
		if ((*a)->usage != NULL)
			assert_int_equal(strncmp((*a)->usage, (*a)->name,
			    strlen((*a)->name)), 0);
		check_flags((*a)->name, (*a)->flags);
		if ((*a)->subs != NULL)
			check_subs(*a);
		if ((*a)->alias != NULL)
			assert_ptr_equal(cmd_find(NULL, (*a)->alias, NULL),
			    *a);
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
			if ((*a)->alias != NULL)
				assert_string_not_equal((*a)->alias,
				    (*b)->name);
			if ((*b)->alias != NULL)
				assert_string_not_equal((*b)->alias,
				    (*a)->name);
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
	assert_string_equal(cmd_find(NULL, "resources", &cause)->name,
	    "resources");
	assert_string_equal(cmd_find(NULL, "resou", &cause)->name, "resources");
	/* "res" is resources or resolve: the candidates are named */
	assert_null(cmd_find(NULL, "res", &cause));
	assert_non_null(strstr(cause, "resources, resolve"));
	free(cause);
	cause = NULL;
	assert_string_equal(cmd_find(NULL, "v", &cause)->name, "version");
	assert_null(cmd_find(NULL, "nosuch", &cause));
	assert_non_null(strstr(cause, "unknown command 'nosuch'"));
	free(cause);
	cause = NULL;
	assert_null(cmd_find(NULL, "", &cause));
	free(cause);
	cause = NULL;
	/* control bytes are shown, not sent */
	assert_null(cmd_find(NULL, "x\x1b[2J", &cause));
	assert_null(strchr(cause, '\x1b'));
	free(cause);
}

static char *
run_cli_hiding(int argc, char **argv, int *rc, char **err,
    const char *hide)
{
	struct config	 cfg;
	struct cmd_ctx	 ctx;
	char		*out = NULL;
	size_t		 outlen = 0, errlen = 0;

	memset(&ctx, 0, sizeof ctx);
	config_defaults(&cfg);
	if (hide != NULL) {
		config_modules_lookup(cmd_module_index);
		cfg.hidden = 1UL << cmd_module_index(hide);
	}
	ctx.config = &cfg;
	ctx.out = open_memstream(&out, &outlen);
	ctx.err = open_memstream(err, &errlen);
	*rc = cmd_run_cli(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	config_free(&cfg);
	return (out);
}

static char *
run_cli(int argc, char **argv, int *rc, char **err)
{
	return (run_cli_hiding(argc, argv, rc, err, NULL));
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

/* Completion's words, each followed by a space, into a 512-byte buffer. */
static void
collect(const char *word, void *arg)
{
	char	*buf = arg;

	strncat(buf, word, 512 - strlen(buf) - 2);
	strncat(buf, " ", 512 - strlen(buf) - 1);
}

/* [modules] hide: one check, the same answer everywhere a name shows. */
static void
test_hidden(void **state)
{
	struct config	 cfg;
	char		*res[] = { "resources", NULL };
	char		*lst[] = { "help", NULL };
	char		*hr[] = { "help", "resources", NULL }, *cause = NULL;
	char		*mr[] = { "man", "resources", NULL };
	char		*out, *err;
	char		 words[512];
	int		 rc;

	(void)state;
	config_defaults(&cfg);
	config_modules_lookup(cmd_module_index);
	cfg.hidden = 1UL << cmd_module_index("resources");
	assert_false(cmd_visible(&cfg, cmd_find(NULL, "resources", NULL)));
	assert_true(cmd_visible(&cfg, cmd_find(NULL, "resolve", NULL)));
	/* a hidden module is no candidate: "res" is resolve alone */
	assert_string_equal(cmd_find(&cfg, "res", &cause)->name, "resolve");
	assert_null(cmd_find(NULL, "res", &cause));
	free(cause);
	cause = NULL;
	/* ...nor in the candidates of an ambiguous prefix */
	cfg.hidden = 1UL << cmd_module_index("proxy");
	assert_null(cmd_find(&cfg, "p", &cause));
	assert_string_equal(cause, "ambiguous command 'p': it could be "
	    "prompt, passwd, ping");
	free(cause);
	cause = NULL;
	assert_string_equal(cmd_find(&cfg, "pr", &cause)->name, "prompt");
	cfg.hidden = 1UL << cmd_module_index("resources");
	/* ...and not offered by Tab */
	memset(words, 0, sizeof words);
	prompt_complete_config(&cfg);
	assert_int_equal(prompt_complete("res", collect, words), 1);
	assert_string_equal(words, "resolve ");
	memset(words, 0, sizeof words);
	assert_int_equal(prompt_complete("resources ch", collect, words), 0);
	prompt_complete_config(NULL);
	memset(words, 0, sizeof words);
	assert_int_equal(prompt_complete("resources ch", collect, words), 1);
	assert_string_equal(words, "check ");
	config_free(&cfg);

	out = run_cli_hiding(1, res, &rc, &err, "resources");
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "the resources module is not available"));
	free(out);
	free(err);
	out = run_cli_hiding(1, lst, &rc, &err, "resources");
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "resources"));
	assert_non_null(strstr(out, "resolve"));
	free(out);
	free(err);
	out = run_cli_hiding(2, hr, &rc, &err, "resources");
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "help: "));
	free(out);
	free(err);
	out = run_cli_hiding(2, mr, &rc, &err, "resources");
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "man: the resources module is not "
	    "available"));
	free(out);
	free(err);
}

/* h is help's alias: one entry, found, completed, named in help. */
static void
test_alias(void **state)
{
	const char *const	*kw;
	char			*hh[] = { "help", "help", NULL }, *out, *err;
	char		 words[512];
	int			 rc, h = 0;

	(void)state;
	assert_ptr_equal(cmd_find(NULL, "h", NULL), cmd_find(NULL, "help",
	    NULL));
	for (kw = cmd_keywords(cmd_find(NULL, "man", NULL)); *kw != NULL; kw++)
		h += strcmp(*kw, "h") == 0;
	assert_int_equal(h, 1);
	memset(words, 0, sizeof words);
	assert_int_equal(prompt_complete("h", collect, words), 2);
	assert_string_equal(words, "help h ");
	out = run_cli(2, hh, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Also: h\n"));
	free(out);
	free(err);
}

/* Sub-commands: dispatch, the usage and help generated from the rows. */
static void
test_subs(void **state)
{
	char	*bad[] = { "network", "bogus", NULL };
	char	*hn[] = { "help", "time", NULL }, *tl[] = { "help", NULL };
	char	*out, *err;
	int	 rc;

	(void)state;
	out = run_cli(2, bad, &rc, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "usage: network show [--json]\n"));
	assert_non_null(strstr(err, "       network set IFACE dhcp"));
	assert_non_null(strstr(err, "       network set IFACE static"));
	assert_non_null(strstr(err, "       network rollback\n"));
	free(out);
	free(err);
	out = run_cli(2, hn, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "usage: time show [--json]\n"));
	assert_non_null(strstr(out, "  set        set the clock by hand "
	    "(needs --yes)\n"));
	free(out);
	free(err);
	out = run_cli(1, tl, &rc, &err);
	assert_non_null(strstr(out, "  network show|set|route|dns|default|"));
	assert_non_null(strstr(out, "  resources check [--json]"));
	free(out);
	free(err);
}

/* A read-only row and a privileged one, each asking for a helper. */
static enum cmd_retval
fake_helper(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return (tool_priv(ctx, "fake", &netconf_verbs, NETCONF_V_CONFIRM, NULL,
	    2000));
}

static const struct cmd_sub fake_subs[] = {
	{ "look", "look", CMD_READONLY, fake_helper, "look" },
	{ "change", "change", CMD_PRIV, fake_helper, "change" },
	{ "jump", "jump", CMD_PRIV | CMD_CONFIRM, fake_helper, "jump" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_entry fake_entry = {
	.name = "fake",
	.title = "Fake",
	.flags = CMD_PRIV,
	.subs = fake_subs
};

static enum cmd_retval
run_fake(const char *sub, const char *yes, char **err)
{
	struct cmd_ctx	 ctx;
	char		*argv[4] = { "fake", (char *)sub, (char *)yes, NULL };
	char		*out = NULL;
	size_t		 outlen = 0, errlen = 0;
	enum cmd_retval	 r;

	memset(&ctx, 0, sizeof ctx);
	ctx.out = open_memstream(&out, &outlen);
	ctx.err = open_memstream(err, &errlen);
	r = cmd_sub_run(&ctx, &fake_entry, yes != NULL ? 3 : 2, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	free(out);
	return (r);
}

static char *
read_all(const char *path)
{
	static char	 buf[65536];
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return (memset(buf, 0, 1));
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/*
 * CMD_READONLY is enforced where helpers are called: the row's function
 * asks for one and is refused, with a sentence and an audit record.
 */
static void
test_readonly_gate(void **state)
{
	char	 root[] = "/tmp/ac-test-gate.XXXXXX", dir[512], log[600];
	char	*err, *cause = NULL;
	char	*ts[] = { "time", "set", "2030-01-01T00:00:00Z", NULL }, *out;
	struct priv_gate was;
	int	 rc;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/var/log/appliance-console", root);
	snprintf(log, sizeof log, "%s/audit.log", dir);
	assert_int_equal(setenv("CONSOLE_ROOT", root, 1), 0);
	paths_init();
	/* only a real root may choose the root: the tests run as root */
	assert_int_equal(geteuid(), 0);
	assert_int_equal(system_mkdir_p(dir), 0);
	/* The package installs the log: the console never creates it. */
	close(open(log, O_WRONLY | O_CREAT | O_EXCL, 0620));
	assert_int_equal(audit_open(&cause), 0);

	assert_int_equal(run_fake("look", NULL, &err), CMD_RETURN_FAILED);
	assert_string_equal(err, "fake: refused: a read-only command may not "
	    "run a privileged helper\n");
	free(err);
	assert_non_null(strstr(read_all(log), "action=\"helper network "
	    "confirm from read-only fake\" result=\"refused\""));
	/* the refusal ends with the command */
	priv_gate(&(struct priv_gate){ NULL, 0 }, &was);
	assert_null(was.who);

	/* a privileged row gets as far as the helper (absent here) */
	assert_int_equal(run_fake("change", NULL, &err), CMD_RETURN_FAILED);
	assert_null(strstr(err, "may not run"));
	assert_non_null(strstr(err, "fake: "));
	free(err);

	/* CMD_CONFIRM: with no terminal, refused without --yes */
	assert_non_null(freopen("/dev/null", "r", stdin));
	assert_int_equal(run_fake("jump", NULL, &err), CMD_RETURN_ERROR);
	assert_string_equal(err, "fake: 'fake jump' asks before it runs: add "
	    "--yes to go ahead\n");
	free(err);
	assert_non_null(strstr(read_all(log), "action=\"fake: 'fake jump' "
	    "asks before it runs"));
	assert_int_equal(run_fake("jump", "--yes", &err), CMD_RETURN_FAILED);
	assert_null(strstr(err, "--yes"));
	free(err);
	/* a row that does not ask leaves --yes to its own words */
	assert_int_equal(run_fake("change", "--yes", &err), CMD_RETURN_FAILED);
	assert_null(strstr(err, "usage"));
	free(err);

	/* the real table: time set asks */
	out = run_cli(3, ts, &rc, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "time: 'time set' asks before it runs"));
	free(out);
	free(err);

	audit_close();
	unlink(log);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/var/log", root);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/var", root);
	rmdir(dir);
	rmdir(root);
	unsetenv("CONSOLE_ROOT");
	paths_init();
}

/*
 * The man page and the table say the same: every command, alias and
 * sub-command has its ".It Cm" line in COMMANDS, and every command there
 * is in the table.
 */
static void
test_man_page(void **state)
{
	const struct cmd_entry	*const *ce, *one;
	const struct cmd_sub	*sub;
	const char		*page = MAN_PAGE, *p, *q, *end;
	char			 line[512], w[4][64], want[160];
	int			 n;

	(void)state;
	assert_non_null(p = strstr(page, "\n.Sh COMMANDS\n"));
	assert_non_null(end = strstr(p + 1, "\n.Sh "));
	for (; p != NULL && p < end; p = strchr(p + 1, '\n')) {
		if (strncmp(p, "\n.It Cm ", 8) != 0 &&
		    strncmp(p, "\n.It Xo Cm ", 11) != 0)
			continue;
		q = strchr(p + 1, '\n');
		snprintf(line, sizeof line, "%.*s", (int)(q - p - 1), p + 1);
		memset(w, 0, sizeof w);
		n = sscanf(strstr(line, "Cm ") + 3, "%63s %63s %63s %63s",
		    w[0], w[1], w[2], w[3]);
		assert_true(n >= 1);
		if ((one = cmd_find(NULL, w[0], NULL)) == NULL ||
		    (strcmp(one->name, w[0]) != 0 && (one->alias == NULL ||
		    strcmp(one->alias, w[0]) != 0)))
			fail_msg("the manual lists '%s', the table has no such "
			    "command", w[0]);
	}
	for (ce = cmd_table; *ce != NULL; ce++) {
		snprintf(want, sizeof want, "\n.It Cm %s", (*ce)->name);
		if (strstr(page, want) == NULL)
			fail_msg("%s is not in the manual", (*ce)->name);
		if ((*ce)->alias != NULL) {
			snprintf(want, sizeof want, "\n.It Cm %s ",
			    (*ce)->alias);
			if (strstr(page, want) == NULL)
				fail_msg("%s is not in the manual",
				    (*ce)->alias);
		}
		for (sub = (*ce)->subs; sub != NULL && sub->name != NULL;
		    sub++) {
			snprintf(want, sizeof want, "Cm %s %s", (*ce)->name,
			    sub->name);
			if (!man_has_sub(page, want))
				fail_msg("%s %s is not in the manual",
				    (*ce)->name, sub->name);
		}
	}
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
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_subs),
		cmocka_unit_test(test_readonly_gate),
		cmocka_unit_test(test_man_page),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
