/* SPDX-License-Identifier: ISC */
/*
 * The privileged-helper frame (helper.c) and the console's side of it
 * (priv.c), against a real helper: fixture_helper, built next to this
 * test. helper_main is checked from outside the process (verb table,
 * argument rules, validators, the one stderr line, the hardened process
 * as the verb sees it); priv_run runs the fixture as root through a
 * temporary system root where it is installed as console-helper-firewall.
 * priv.c is included to reach its mapping of sudo's refusals, which only
 * a non-root caller can meet.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "account.h"
#include "auditlog.h"
#include "fwrule.h"
#include "helper.h"
#include "netconf.h"
#include "paths.h"
#include "proxy.h"
#include "systime.h"
#include "verb.h"
#include "priv.h"
#include "spawn.h"
#include "text.h"
#include "xmalloc.h"

#include "../../console/priv.c"

/* Every helper domain's table, each with its man page. */
static const struct verb_domain *const domains[] = {
	&netconf_verbs, &fw_verbs, &systime_verbs, &proxy_verbs, &account_verbs,
	&auditlog_verbs,
};

static char	 helper_path[PATH_MAX];
static char	 tmp_root[PATH_MAX];

/* Run the fixture helper with spawn_run; args NULL-terminated. */
static void
run_helper(struct spawn_result *res, const char *first, ...)
{
	struct spawn_req	 req;
	va_list			 ap;
	char			*argv[16], *cause = NULL;
	const char		*a;
	int			 argc = 0;

	argv[argc++] = "fixture_helper";
	va_start(ap, first);
	for (a = first; a != NULL && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	memset(&req, 0, sizeof req);
	req.path = helper_path;
	req.argv = argv;
	req.timeout_ms = 5000;
	assert_int_equal(spawn_run(&req, res, &cause), 0);
	assert_null(cause);
	assert_int_equal(res->exited, 1);
}

/* The exit code and the one line on stderr. */
static void
expect(struct spawn_result *res, int code, const char *line)
{
	char	*want;

	xasprintf(&want, "%s\n", line);
	assert_int_equal(res->exit_code, code);
	assert_string_equal(res->err, want);
	free(want);
	spawn_result_free(res);
}

static void
test_status_messages(void **state)
{
	int	 s, t;

	(void)state;
	for (s = 0; s < HELPER_STATUS_MAX; s++) {
		if (s == 1) {
			assert_false(helper_status_valid(s));
			continue;
		}
		assert_true(helper_status_valid(s));
		assert_non_null(helper_status_message(s));
		assert_true(strlen(helper_status_message(s)) > 10);
		/* Distinct sentences, or the user cannot tell them apart. */
		for (t = 0; t < s; t++) {
			if (t != 1)
				assert_string_not_equal(
				    helper_status_message(s),
				    helper_status_message(t));
		}
	}
	assert_false(helper_status_valid(-1));
	assert_false(helper_status_valid(HELPER_STATUS_MAX));
	assert_non_null(helper_status_message(-1));
	assert_non_null(helper_status_message(HELPER_STATUS_MAX));
	assert_non_null(helper_status_message(1));
}

static void
test_verb_table(void **state)
{
	struct spawn_result	 res;

	(void)state;
	run_helper(&res, "echo", "word", NULL);
	assert_string_equal(res.out, "word\n");
	expect(&res, HELPER_OK, "ok");

	run_helper(&res, "nope", NULL);
	expect(&res, HELPER_USAGE, "unknown verb 'nope'");
	/* Exact match only: no prefixes, no case folding. */
	run_helper(&res, "ech", "word", NULL);
	expect(&res, HELPER_USAGE, "unknown verb 'ech'");
	run_helper(&res, "ECHO", "word", NULL);
	expect(&res, HELPER_USAGE, "unknown verb 'ECHO'");
	run_helper(&res, NULL);
	expect(&res, HELPER_USAGE, "no verb given");
	run_helper(&res, "--help", NULL);
	expect(&res, HELPER_USAGE, "the verb may not start with '-'");

	run_helper(&res, "echo", NULL);
	expect(&res, HELPER_USAGE, "echo takes 1 argument, not 0");
	run_helper(&res, "echo", "a", "b", NULL);
	expect(&res, HELPER_USAGE, "echo takes 1 argument, not 2");
	run_helper(&res, "env", "x", NULL);
	expect(&res, HELPER_USAGE, "env takes 0 arguments, not 1");
}

static void
test_arguments(void **state)
{
	struct spawn_result	 res;
	char			 longarg[600];

	(void)state;
	/* The validator's own sentence is the line. */
	run_helper(&res, "echo", "Word", NULL);
	assert_int_equal(res.out_len, 0);	/* the verb never ran */
	expect(&res, HELPER_INVALID, "Word is not a lowercase word");
	/* Each argument gets its own validator. */
	run_helper(&res, "pair", "abc", "12", NULL);
	expect(&res, HELPER_OK, "paired abc with 12");
	run_helper(&res, "pair", "abc", "xyz", NULL);
	expect(&res, HELPER_INVALID, "xyz is not a number from 0 to 999999");
	run_helper(&res, "pair", "12", "12", NULL);
	expect(&res, HELPER_INVALID, "12 is not a lowercase word");

	/* Rules before any validator: options, empty, control, length. */
	run_helper(&res, "mkfile", "-rf", NULL);
	expect(&res, HELPER_INVALID, "argument 1 may not start with '-'");
	run_helper(&res, "pair", "abc", "-1", NULL);
	expect(&res, HELPER_INVALID, "argument 2 may not start with '-'");
	run_helper(&res, "echo", "", NULL);
	expect(&res, HELPER_INVALID, "argument 1 is empty");
	run_helper(&res, "echo", "a\nb", NULL);
	expect(&res, HELPER_INVALID,
	    "argument 1 holds a character that is not printable ASCII");
	run_helper(&res, "echo", "caf\xc3\xa9", NULL);
	expect(&res, HELPER_INVALID,
	    "argument 1 holds a character that is not printable ASCII");
	memset(longarg, 'a', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = '\0';
	run_helper(&res, "echo", longarg, NULL);
	expect(&res, HELPER_INVALID,
	    "argument 1 is longer than 512 characters");

	/* A table entry with no validator refuses rather than passes. */
	run_helper(&res, "novalid", "abc", NULL);
	assert_int_equal(res.out_len, 0);
	expect(&res, HELPER_INTERNAL,
	    "verb novalid has no validator for argument 1");
}

static void
test_results(void **state)
{
	struct spawn_result	 res;

	(void)state;
	/* A cause with a newline still makes exactly one line. */
	run_helper(&res, "fail", NULL);
	expect(&res, HELPER_FAILED,
	    "the fixture was told to fail^Jand said so twice");
	/* No cause: the status's own sentence. */
	run_helper(&res, "busy", NULL);
	expect(&res, HELPER_BUSY, helper_status_message(HELPER_BUSY));
	/* A verb cannot return a number outside the enum. */
	run_helper(&res, "bogus", NULL);
	expect(&res, HELPER_INTERNAL,
	    "verb bogus returned an unknown status 1");
}

static void
test_hardened(void **state)
{
	struct spawn_result	 res;
	struct spawn_req	 req;
	struct stat		 sb;
	char			 dir[] = "/tmp/test-helper-XXXXXX", file[64];
	char			*cause = NULL;
	char			*env[] = { "CANARY=1", "LD_LIBRARY_PATH=/tmp",
				    "PATH=/tmp", "LANG=de_DE.UTF-8", NULL };
	char			*argv[] = { "fixture_helper", "env", NULL };
	mode_t			 old;

	(void)state;
	/* Whatever environment the caller gives, the verb sees only PATH. */
	memset(&req, 0, sizeof req);
	req.path = helper_path;
	req.argv = argv;
	req.envp = env;
	assert_int_equal(spawn_run(&req, &res, &cause), 0);
	assert_string_equal(res.out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
	expect(&res, HELPER_OK, "ok");

	run_helper(&res, "hardened", NULL);
	assert_string_equal(res.out, "dumpable=0 nnp=1 core=0\n");
	expect(&res, HELPER_OK, "ok");

	/* The verb asks for 0666; a caller's 022 would give 0644. */
	old = umask(022);
	assert_non_null(mkdtemp(dir));
	xsnprintf(file, sizeof file, "%s/made", dir);
	run_helper(&res, "mkfile", file, NULL);
	expect(&res, HELPER_OK, "ok");
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	unlink(file);
	rmdir(dir);
	umask(old);
}

/*
 * spawn_run closes fds itself, so to see the helper close what it
 * inherits, start it by hand with an fd left open on purpose.
 */
static void
test_fds_closed(void **state)
{
	char	 buf[256], *argv[] = { "fixture_helper", "fds", NULL };
	int	 out[2], status, fd;
	ssize_t	 n;
	size_t	 got = 0;
	pid_t	 pid;

	(void)state;
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		fd = open("/dev/null", O_RDONLY);	/* no close-on-exec */
		if (fd == -1 || dup2(fd, 20) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1 ||
		    dup2(out[1], STDERR_FILENO) == -1)
			_exit(99);
		close(out[0]);
		execve(helper_path, argv, spawn_default_env());
		_exit(98);
	}
	close(out[1]);
	while ((n = read(out[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(out[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), HELPER_OK);
	/* fd 20 is gone; the verb's listing, then the one line. */
	assert_string_equal(buf, "0\n1\n2\nok\n");
}

/* A temporary system root with the fixture installed as one helper. */
static int
setup_root(void **state)
{
	char	 dir[PATH_MAX], link[PATH_MAX], *p;

	(void)state;
	if (getuid() != 0 || getenv("SUDO_UID") != NULL)
		return (0);
	xsnprintf(tmp_root, sizeof tmp_root, "/tmp/test-priv-XXXXXX");
	if (mkdtemp(tmp_root) == NULL)
		return (-1);
	xsnprintf(dir, sizeof dir, "%s%s", tmp_root, LIBEXECDIR);
	for (p = dir + strlen(tmp_root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			return (-1);
		*p = '/';
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return (-1);
	xsnprintf(link, sizeof link, "%s/console-helper-firewall", dir);
	if (symlink(helper_path, link) == -1)
		return (-1);
	setenv("CONSOLE_ROOT", tmp_root, 1);
	paths_init();
	unsetenv("CONSOLE_ROOT");
	return (0);
}

static int
teardown_root(void **state)
{
	char	 path[PATH_MAX], *p;

	(void)state;
	if (tmp_root[0] == '\0')
		return (0);
	xsnprintf(path, sizeof path, "%s%s/console-helper-firewall", tmp_root,
	    LIBEXECDIR);
	unlink(path);
	/* Remove the directories we made, deepest first. */
	for (;;) {
		if ((p = strrchr(path, '/')) == NULL ||
		    (size_t)(p - path) <= strlen(tmp_root))
			break;
		*p = '\0';
		rmdir(path);
	}
	rmdir(tmp_root);
	return (0);
}

static void
test_priv_path(void **state)
{
	char	 buf[PATH_MAX], want[PATH_MAX];

	(void)state;
	xsnprintf(want, sizeof want, "%s%s/console-helper-network",
	    paths_root(), LIBEXECDIR);
	assert_int_equal(priv_helper_path("network", buf, sizeof buf), 0);
	assert_string_equal(buf, want);
	assert_int_equal(priv_helper_path("firewall", buf, sizeof buf), 0);
	assert_int_equal(priv_helper_path("time", buf, sizeof buf), 0);
	assert_int_equal(priv_helper_path("firewall", buf, sizeof buf), 0);

	assert_int_equal(priv_helper_path("shell", buf, sizeof buf), -1);
	assert_int_equal(priv_helper_path("", buf, sizeof buf), -1);
	assert_int_equal(priv_helper_path("../network", buf, sizeof buf), -1);
	assert_int_equal(priv_helper_path("net", buf, sizeof buf), -1);
	assert_int_equal(priv_helper_path("network/x", buf, sizeof buf), -1);
	assert_int_equal(priv_helper_path(NULL, buf, sizeof buf), -1);
	/* Too small a buffer is a refusal, not a cut path. */
	assert_int_equal(priv_helper_path("network", buf, 8), -1);
}

static void
priv_expect(const char *verb, const char *const *args, int timeout_ms,
    int status, const char *message)
{
	struct priv_result	 res;
	int			 r;

	r = priv_run("firewall", verb, args, timeout_ms, &res);
	assert_int_equal(res.status, status);
	assert_int_equal(r, status == HELPER_OK ? 0 : -1);
	assert_non_null(res.message);
	assert_string_equal(res.message, message);
	priv_result_free(&res);
}

static void
test_priv_run(void **state)
{
	struct priv_result	 res;
	const char		*hello[] = { "hello", NULL };
	const char		*upper[] = { "Hello", NULL };
	const char		*pair[] = { "a", "12", NULL };
	const char		*code42[] = { "42", NULL };
	const char		*code1[] = { "1", NULL };
	const char		*sleep5[] = { "5000", NULL };
	const char		*many[] = { "a", "b", "c", "d", "e", "f", "g",
				    "h", "i", NULL };
	char			 sig[8], path[PATH_MAX], want[PATH_MAX + 64];
	const char		*killed[] = { sig, NULL };

	(void)state;
	if (tmp_root[0] == '\0')
		skip();		/* needs a real root for the system root */

	assert_int_equal(priv_run("firewall", "echo", hello, 5000, &res), 0);
	assert_int_equal(res.status, HELPER_OK);
	assert_string_equal(res.message, helper_status_message(HELPER_OK));
	assert_string_equal(res.out, "hello\n");
	assert_int_equal(res.out_len, 6);
	priv_result_free(&res);

	priv_expect("pair", pair, 5000, HELPER_OK, "paired a with 12");
	priv_expect("echo", upper, 5000, HELPER_INVALID,
	    "Hello is not a lowercase word");
	priv_expect("nope", NULL, 5000, HELPER_USAGE, "unknown verb 'nope'");
	priv_expect("fail", NULL, 5000, HELPER_FAILED,
	    "the fixture was told to fail^Jand said so twice");
	priv_expect("busy", NULL, 5000, HELPER_BUSY,
	    helper_status_message(HELPER_BUSY));
	priv_expect("exit", code42, 5000, HELPER_INTERNAL,
	    "the privileged helper exited with unexpected status 42");
	/* Run directly, exit 1 is the helper's, not sudo's: not DENIED. */
	priv_expect("exit", code1, 5000, HELPER_INTERNAL,
	    "the privileged helper exited with unexpected status 1");
	xsnprintf(sig, sizeof sig, "%d", SIGKILL);
	priv_expect("signal", killed, 5000, HELPER_INTERNAL,
	    "the privileged helper was killed by signal 9 (Killed)");
	priv_expect("sleep", sleep5, 200, HELPER_TIMEOUT,
	    "the privileged helper did not finish within 1 second");
	priv_expect("echo", many, 5000, -1,
	    "too many arguments for the privileged helper");

	/* Listed but not installed in this root. */
	assert_int_equal(priv_helper_path("network", path, sizeof path), 0);
	xsnprintf(want, sizeof want,
	    "cannot run %s: No such file or directory", path);
	assert_int_equal(priv_run("network", "show", NULL, 5000, &res), -1);
	assert_int_equal(res.status, -1);
	assert_string_equal(res.message, want);
	priv_result_free(&res);

	/* Not listed at all. */
	assert_int_equal(priv_run("shell", "x", NULL, 5000, &res), -1);
	assert_int_equal(res.status, -1);
	assert_string_equal(res.message,
	    "there is no privileged helper named 'shell'");
	priv_result_free(&res);
}

/* What a non-root caller meets from sudo, through priv.c's own mapping. */
static void
test_priv_map_sudo(void **state)
{
	struct spawn_result	 sr;
	struct priv_result	 res;
	char			 err[] = "sudo: a password is required\n";

	(void)state;
	memset(&sr, 0, sizeof sr);
	sr.exited = 1;
	sr.exit_code = 1;
	sr.err = err;
	sr.err_len = strlen(err);
	memset(&res, 0, sizeof res);
	priv_map(&sr, 1, 5000, &res);
	assert_int_equal(res.status, HELPER_DENIED);
	assert_string_equal(res.message, "the privileged helper is not "
	    "allowed for this user (check the sudoers drop-in)");
	priv_result_free(&res);

	/* Through sudo, the helper's own statuses still come through. */
	sr.exit_code = HELPER_INVALID;
	xsnprintf(err, sizeof err, "bad address\n");
	sr.err_len = strlen(err);
	priv_map(&sr, 1, 5000, &res);
	assert_int_equal(res.status, HELPER_INVALID);
	assert_string_equal(res.message, "bad address");
	priv_result_free(&res);
}

static void
test_priv_last_line(void **state)
{
	char	*s;

	(void)state;
	assert_null(priv_last_line(NULL, 0));
	assert_null(priv_last_line("", 0));
	assert_null(priv_last_line("\n\n", 2));
	s = priv_last_line("warning\nthe line\n\n", 18);
	assert_string_equal(s, "the line");
	free(s);
	s = priv_last_line("only", 4);
	assert_string_equal(s, "only");
	free(s);
	s = priv_last_line("a\x1b[2Jb\n", 7);
	assert_string_equal(s, "a^[[2Jb");
	free(s);
}

/*
 * The verbs a helper's man page lists: in DESCRIPTION, each ".It Cm"
 * item's words after Cm up to the first Ar, in every ", "-separated part
 * ("Cm route-add | route-del Ar prefix", "Cm a Ar x , Cm b Ar x").
 */
static int
man_verbs(const char *helper, char names[][32], int max)
{
	char	 path[PATH_MAX], line[512], *tok, *save;
	FILE	*f;
	int	 n = 0, in_desc = 0, in_cm;

	xsnprintf(path, sizeof path, "man/console-helper-%s.8", helper);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".Sh ", 4) == 0)
			in_desc = strcmp(line, ".Sh DESCRIPTION") == 0;
		if (!in_desc || strncmp(line, ".It Cm ", 7) != 0)
			continue;
		in_cm = 0;
		for (tok = strtok_r(line + 4, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save)) {
			if (strcmp(tok, "Cm") == 0 && in_cm == 0)
				in_cm = 1;
			else if (strcmp(tok, "Ar") == 0 || strcmp(tok, "Cm") == 0)
				in_cm = -1;	/* arguments until a ',' */
			else if (strcmp(tok, ",") == 0)
				in_cm = 0;
			else if (in_cm == 1 && strcmp(tok, "|") != 0) {
				assert_true(n < max);
				xsnprintf(names[n++], sizeof names[0], "%s",
				    tok);
			}
		}
	}
	fclose(f);
	return (n);
}

/* The tables' invariants, and each table against its man page. */
static void
test_verb_domains(void **state)
{
	const struct verb_domain	*d;
	char				 names[64][32], *cause = NULL;
	size_t				 i, k;
	int				 n, j;

	(void)state;
	for (i = 0; i < sizeof domains / sizeof domains[0]; i++) {
		d = domains[i];
		if (verb_domain_check(d, &cause) != 0)
			fail_msg("%s", cause);
		/* Every table has a helper priv_run knows. */
		assert_int_equal(priv_helper_path(d->helper, (char *)names,
		    sizeof names), 0);
		n = man_verbs(d->helper, names, 64);
		assert_true(n > 0);
		for (j = 0; j < n; j++) {
			if (verb_find(d, names[j]) == NULL)
				fail_msg("console-helper-%s(8) names %s, which "
				    "is not in the table", d->helper,
				    names[j]);
		}
		for (k = 0; k < d->nverbs; k++) {
			for (j = 0; j < n; j++)
				if (strcmp(names[j], d->verbs[k].name) == 0)
					break;
			if (j == n)
				fail_msg("console-helper-%s(8) does not name "
				    "%s", d->helper, d->verbs[k].name);
			assert_int_equal(verb_index(d, &d->verbs[k]), (int)k);
			assert_ptr_equal(verb_find(d, d->verbs[k].name),
			    &d->verbs[k]);
		}
	}
	/* The change verbs are exactly those before save-routes. */
	for (k = 0; k < netconf_verbs.nverbs; k++)
		assert_int_equal(netconf_verb_is_change(&netconf_verbs.verbs[k]),
		    k < NETCONF_V_SAVE_ROUTES);
	assert_false(netconf_verb_is_change(NULL));

	/* A bad table is refused: a twin, a count past the rows, no type. */
	{
		struct verb		 bad[2] = {
			{ "a", 1, { { "x", &verb_host, 0 } } },
			{ "a", 0, { { NULL, NULL, 0 } } },
		};
		struct verb_domain	 bd = { "bad", bad, 2 };

		assert_int_equal(verb_domain_check(&bd, &cause), -1);
		assert_string_equal(cause, "bad: verb a twice");
		free(cause);
		bad[1].name = "b";
		bad[1].nargs = 1;
		assert_int_equal(verb_domain_check(&bd, &cause), -1);
		assert_string_equal(cause, "bad b: argument 1 has no name, "
		    "type or validator");
		free(cause);
		bad[1].nargs = 0;
		bad[0].args[0].flags = VERB_KEEP;
		assert_int_equal(verb_domain_check(&bd, &cause), -1);
		free(cause);
		bad[0].args[0].flags = 0;
		assert_int_equal(verb_domain_check(&bd, &cause), 0);
	}
}

/* Values to words and back, as the stub and the frame do it. */
static void
test_verb_wire(void **state)
{
	const struct verb	*st = &netconf_verbs.verbs[NETCONF_V_STATIC];
	const struct verb	*dns = &netconf_verbs.verbs[NETCONF_V_DNS];
	const struct verb	*rt = &netconf_verbs.verbs[NETCONF_V_ROUTE_ADD];
	const char		*vals[VERB_MAX_ARGS], *back[VERB_MAX_ARGS];
	char			*words[VERB_MAX_ARGS + 1], *cause = NULL;
	int			 i;

	(void)state;
	vals[0] = "eth0";
	vals[1] = "192.0.2.10/24,192.0.2.11/24";
	vals[2] = "192.0.2.1";
	vals[3] = NULL;
	vals[4] = verb_keep;
	vals[5] = "192.0.2.53";
	vals[6] = verb_keep;
	assert_int_equal(verb_encode(st, vals, words, &cause), 0);
	assert_string_equal(words[0], "eth0");
	assert_string_equal(words[1], "192.0.2.10/24,192.0.2.11/24");
	assert_string_equal(words[2], "=192.0.2.1");
	assert_string_equal(words[3], "=");
	assert_string_equal(words[4], "keep");
	assert_string_equal(words[5], "=192.0.2.53");
	assert_string_equal(words[6], "keep");
	assert_null(words[7]);
	assert_int_equal(verb_decode(st, 7, words, back, &cause), 0);
	for (i = 0; i < 7; i++) {
		if (vals[i] == NULL || vals[i] == verb_keep)
			assert_ptr_equal(back[i], vals[i]);
		else
			assert_string_equal(back[i], vals[i]);
	}
	verb_words_free(words);

	/* Words that were sentinels are values now, never absence. */
	vals[0] = "none";
	vals[1] = "keep";
	assert_int_equal(verb_encode(dns, vals, words, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	vals[0] = NULL;
	vals[1] = "none,keep";
	assert_int_equal(verb_encode(dns, vals, words, &cause), 0);
	assert_string_equal(words[0], "=");
	assert_string_equal(words[1], "=none,keep");
	assert_int_equal(verb_decode(dns, 2, words, back, &cause), 0);
	assert_null(back[0]);
	assert_string_equal(back[1], "none,keep");
	verb_words_free(words);
	vals[0] = "198.51.100.0/24";
	vals[1] = NULL;
	vals[2] = "keep";
	assert_int_equal(verb_encode(rt, vals, words, &cause), 0);
	assert_int_equal(verb_decode(rt, 3, words, back, &cause), 0);
	assert_null(back[1]);
	assert_string_equal(back[2], "keep");	/* an adapter named keep */
	verb_words_free(words);

	/* What the stub refuses to send. */
	vals[0] = NULL;
	assert_int_equal(verb_encode(rt, vals, words, &cause), -1);
	assert_string_equal(cause, "route-add: prefix is missing");
	free(cause);
	vals[0] = verb_keep;
	assert_int_equal(verb_encode(rt, vals, words, &cause), -1);
	assert_string_equal(cause, "route-add: prefix cannot be left as it "
	    "is");
	free(cause);

	/* What the frame refuses to take. */
	{
		char	*bare[] = { "198.51.100.0/24", "none", "=eth0" };
		char	*keep[] = { "198.51.100.0/24", "keep", "=" };
		char	*list[] = { "=192.0.2.53,,192.0.2.54", "=" };
		char	*two[] = { "198.51.100.0/24", "=" };

		assert_int_equal(verb_decode(rt, 3, bare, back, &cause), -1);
		assert_string_equal(cause, "argument 2 (via) is neither "
		    "=VALUE nor =");
		free(cause);
		assert_int_equal(verb_decode(rt, 3, keep, back, &cause), -1);
		free(cause);
		assert_int_equal(verb_decode(dns, 2, list, back, &cause), -1);
		assert_string_equal(cause, "servers: an empty or overlong "
		    "item in the list");
		free(cause);
		assert_int_equal(verb_decode(rt, 2, two, back, &cause), -2);
		assert_string_equal(cause, "route-add takes 3 arguments, not "
		    "2");
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_messages),
		cmocka_unit_test(test_verb_table),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_fds_closed),
		cmocka_unit_test(test_priv_path),
		cmocka_unit_test(test_priv_run),
		cmocka_unit_test(test_priv_map_sudo),
		cmocka_unit_test(test_priv_last_line),
		cmocka_unit_test(test_verb_domains),
		cmocka_unit_test(test_verb_wire),
	};
	char	*p;
	ssize_t	 n;

	n = readlink("/proc/self/exe", helper_path, sizeof helper_path - 1);
	if (n <= 0)
		return (1);
	helper_path[n] = '\0';
	if ((p = strrchr(helper_path, '/')) == NULL)
		return (1);
	*p = '\0';
	if (xsnprintf(helper_path + strlen(helper_path),
	    sizeof helper_path - strlen(helper_path), "/fixture_helper") == -1)
		return (1);
	return (cmocka_run_group_tests(tests, setup_root, teardown_root));
}
