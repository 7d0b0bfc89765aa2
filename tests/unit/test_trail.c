/* SPDX-License-Identifier: ISC */
/*
 * The chained trail (console/trail.c) in a temporary system root: records
 * appended by several processes at once keep one chain; a copy with a line
 * edited, deleted or inserted (and the end cut or extended) is named by
 * trail_verify at the right line; quotes in an argument forge no field;
 * the console's context word is checked.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "paths.h"
#include "trail.h"

static char	 troot[64];
static char	 tlog[160];
static char	 thead[160];
static char	 tcopy[160];

static char	*lines[64];
static int	 nlines;

/* The log's lines, without their newlines. */
static void
load(void)
{
	char	 buf[8192];
	FILE	*f;

	while (nlines > 0)
		free(lines[--nlines]);
	assert_non_null(f = fopen(tlog, "r"));
	while (nlines < 64 && fgets(buf, sizeof buf, f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		lines[nlines++] = strdup(buf);
	}
	fclose(f);
}

/*
 * The copy: the log's lines with line k (from 1) replaced by with, or
 * deleted (with NULL), or with put before it (before set); k past the
 * end appends.
 */
static void
copy_with(int k, const char *with, int before)
{
	FILE	*f;
	int	 i;

	load();
	assert_non_null(f = fopen(tcopy, "w"));
	for (i = 1; i <= nlines || i == k; i++) {
		if (i == k && with != NULL)
			fprintf(f, "%s\n", with);
		if (i <= nlines && (i != k || before))
			fprintf(f, "%s\n", lines[i - 1]);
	}
	fclose(f);
}

/* Line k of the log with from replaced by to. */
static char *
edited(int k, const char *from, const char *to)
{
	static char	 buf[8192];
	char		*p;

	load();
	assert_non_null(p = strstr(lines[k - 1], from));
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - lines[k - 1]),
	    lines[k - 1], to, p + strlen(from));
	return (buf);
}

static int
setup(void **state)
{
	char	 d[128];

	(void)state;
	snprintf(troot, sizeof troot, "/tmp/ac-test-trail.XXXXXX");
	if (mkdtemp(troot) == NULL)
		return (-1);
	snprintf(d, sizeof d, "%s/var", troot);
	mkdir(d, 0755);
	snprintf(d, sizeof d, "%s/var/log", troot);
	mkdir(d, 0755);
	snprintf(d, sizeof d, "%s/var/lib", troot);
	mkdir(d, 0755);
	snprintf(d, sizeof d, "%s/var/log/appliance-console", troot);
	mkdir(d, 02750);
	snprintf(tlog, sizeof tlog, "%s%s", troot, PATH_TRAIL_LOG);
	snprintf(thead, sizeof thead, "%s%s", troot, PATH_TRAIL_HEAD);
	snprintf(tcopy, sizeof tcopy, "%s/copy.log", troot);
	setenv("CONSOLE_ROOT", troot, 1);
	paths_init();
	unsetenv("CONSOLE_ROOT");
	trail_capture();
	return (0);
}

static int
teardown(void **state)
{
	const char	*sub[] = { "var/log/appliance-console",
			    "var/lib/appliance-console", "var/log", "var/lib",
			    "var" };
	char		 d[128];
	size_t		 i;

	(void)state;
	unlink(tlog);
	unlink(thead);
	unlink(tcopy);
	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		snprintf(d, sizeof d, "%s/%s", troot, sub[i]);
		rmdir(d);
	}
	return (rmdir(troot));
}

/* n records with a fresh log. */
static void
fresh(int n)
{
	char	*args[] = { "eth0", "10.0.0.1/24", NULL };
	char	 msg[32];
	int	 i;

	unlink(tlog);
	unlink(thead);
	trail_request("network", "addr-add", 2, args);
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof msg, "change %d", i + 1);
		assert_int_equal(trail_append("ok", msg, NULL), 0);
	}
}

static struct trail_report
verify_copy(int want)
{
	struct trail_report	 rep;

	assert_int_equal(trail_verify(tcopy, thead, &rep), want);
	return (rep);
}

static void
test_chain_holds(void **state)
{
	struct trail_report	 rep;
	struct stat		 st;

	(void)state;
	fresh(6);
	assert_int_equal(trail_verify(tlog, thead, &rep), 0);
	assert_int_equal(rep.records, 6);
	assert_int_equal(rep.problem, TRAIL_OK);
	assert_int_equal(stat(tlog, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(stat(thead, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void
test_edit_named(void **state)
{
	struct trail_report	 rep;

	(void)state;
	fresh(6);
	copy_with(3, edited(3, "change 3", "change 9"), 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_CHANGED);
	assert_int_equal(rep.line, 3);
	assert_int_equal(rep.seq, 3);
	assert_string_equal(rep.message, "line 3 (record 3) was changed: the "
	    "next record holds another hash of it");
	/* The last line: only the head knows. */
	copy_with(6, edited(6, "result=\"ok\"", "result=\"no\""), 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_CHANGED);
	assert_int_equal(rep.line, 6);
	/* Without the head the same copy passes: the head is what holds it. */
	assert_int_equal(trail_verify(tcopy, NULL, &rep), 0);
	/* The first line. */
	copy_with(1, edited(1, "change 1", "change 0"), 0);
	rep = verify_copy(1);
	assert_int_equal(rep.line, 1);
	assert_int_equal(rep.problem, TRAIL_CHANGED);
}

static void
test_delete_named(void **state)
{
	struct trail_report	 rep;

	(void)state;
	fresh(6);
	copy_with(4, NULL, 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_DELETED);
	assert_int_equal(rep.line, 4);
	assert_string_equal(rep.message, "records 4 to 4 are missing "
	    "(deleted)");
	copy_with(1, NULL, 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_DELETED);
	assert_int_equal(rep.line, 1);
	copy_with(6, NULL, 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_DELETED);
	assert_string_equal(rep.message, "records 6 to 6 are missing at the "
	    "end (deleted)");
}

/* Record 3 as a forger with read access would write it. */
static const char *
forged(void)
{
	static char	 buf[8192];
	char		 h[TRAIL_HASH_HEX + 1], *p;
	const char	*l3;

	load();
	assert_int_equal(trail_hash(lines[1], strlen(lines[1]), h), 0);
	l3 = edited(3, "change 3", "nothing happened");
	snprintf(buf, sizeof buf, "%s", l3);
	assert_non_null(p = strstr(buf, " prev=\""));
	assert_memory_equal(p + 7, h, TRAIL_HASH_HEX);
	return (buf);
}

/* A record 7 chained onto the last, as a forger could append it. */
static const char *
forged_next(void)
{
	static char	 buf[8192];
	char		 h[TRAIL_HASH_HEX + 1], *p;

	load();
	assert_int_equal(trail_hash(lines[5], strlen(lines[5]), h), 0);
	snprintf(buf, sizeof buf, "%s", edited(6, "seq=\"6\"", "seq=\"7\""));
	assert_non_null(p = strstr(buf, " prev=\""));
	memcpy(p + 7, h, TRAIL_HASH_HEX);
	return (buf);
}

static void
test_insert_named(void **state)
{
	struct trail_report	 rep;

	(void)state;
	fresh(6);
	/*
	 * A forged record 3 put before the real one: well formed, its
	 * number and its prev right, so only the record after it shows.
	 */
	copy_with(3, forged(), 1);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_INSERTED);
	assert_int_equal(rep.line, 3);
	assert_string_equal(rep.message, "line 3 (record 3) was inserted: "
	    "the next record follows the one before it");
	copy_with(4, "forged line", 1);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_MALFORMED);
	assert_int_equal(rep.line, 4);
	assert_string_equal(rep.message, "line 4 is not a record (edited or "
	    "inserted)");
	/* Records appended after the head: named from the first. */
	copy_with(7, forged_next(), 0);
	rep = verify_copy(1);
	assert_int_equal(rep.problem, TRAIL_INSERTED);
	assert_string_equal(rep.message, "line 7 (record 7) and those after "
	    "it were not written by a helper (appended)");
	assert_int_equal(rep.line, 7);
}

static void
test_quotes_forge_nothing(void **state)
{
	char	*args[] = { "x\" result=\"ok\" user=\"root", NULL };
	char	 buf[8192];
	FILE	*f;

	(void)state;
	unlink(tlog);
	unlink(thead);
	trail_request("firewall", "run", 1, args);
	assert_int_equal(trail_append("invalid", "a\\\" b\nc", NULL), 0);
	assert_non_null(f = fopen(tlog, "r"));
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_null(fgets(buf + strlen(buf), 100, f));
	fclose(f);
	assert_non_null(strstr(buf, " args=\"x\\\" result=\\\"ok\\\" "
	    "user=\\\"root\" result=\"invalid\" msg=\"a\\\\\\\" b\\x0ac\" "
	    "prev=\""));
}

/* Three writers at once (two consoles' helpers and a timer): one chain. */
static void
test_concurrent_writers(void **state)
{
	struct trail_report	 rep;
	pid_t			 pid[3];
	int			 i, j, status, n[3] = { 333, 333, 334 };
	char			 msg[32];

	(void)state;
	unlink(tlog);
	unlink(thead);
	for (i = 0; i < 3; i++) {
		if ((pid[i] = fork()) == 0) {
			for (j = 0; j < n[i]; j++) {
				snprintf(msg, sizeof msg, "writer %d #%d",
				    i, j);
				if (trail_append("ok", msg, NULL) != 0)
					_exit(1);
			}
			_exit(0);
		}
		assert_true(pid[i] > 0);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(trail_verify(tlog, thead, &rep), 0);
	assert_int_equal(rep.records, 1000);
}

static void
test_context_word(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(trail_context("@4711,pts/3,10.1.0.1,51000", NULL), 0);
	assert_int_equal(trail_context("@4711,-,fe80::1,22", NULL), 0);
	assert_int_equal(trail_context("@-,-,-,-", NULL), 0);
	assert_int_equal(trail_context("@0,pts/3,-,-", &cause), -1);
	assert_string_equal(cause, "the context word is not "
	    "@SESSION,TTY,ADDR,PORT");
	free(cause);
	assert_int_equal(trail_context("@1,../etc,-,-", NULL), -1);
	assert_int_equal(trail_context("@1,pts/3,10.1.0.1,-", NULL), -1);
	assert_int_equal(trail_context("@1,pts/3,10.1.0.1,99999", NULL), -1);
	assert_int_equal(trail_context("@1,pts 3,-,-", NULL), -1);
	assert_int_equal(trail_context("@1,pts/3,-,-,x", NULL), -1);
	assert_int_equal(trail_context("@1,pts/3,host\",-", NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_holds),
		cmocka_unit_test(test_edit_named),
		cmocka_unit_test(test_delete_named),
		cmocka_unit_test(test_insert_named),
		cmocka_unit_test(test_quotes_forge_nothing),
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_context_word),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
