/* SPDX-License-Identifier: ISC */
/*
 * The console's own audit log (console/audit.c): a record is one line
 * whatever its fields hold (quotes, backslashes, control bytes cannot
 * forge a field or a second record), a record longer than the buffer is
 * cut and kept, the console never creates the file, and the root side
 * never blocks on or follows what is not a regular file.
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

#include "audit.h"
#include "paths.h"

static char	 troot[64];
static char	 tdir[128];
static char	 tlog[160];

/* The whole log, NUL-terminated (static storage). */
static const char *
read_log(void)
{
	static char	 buf[65536];
	ssize_t		 n;
	int		 fd;

	buf[0] = '\0';
	if ((fd = open(tlog, O_RDONLY)) == -1)
		return (buf);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return (buf);
}

static int
count_lines(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return (n);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(troot, sizeof troot, "/tmp/ac-test-audit.XXXXXX");
	if (mkdtemp(troot) == NULL)
		return (-1);
	snprintf(tdir, sizeof tdir, "%s/var/log/appliance-console", troot);
	snprintf(tlog, sizeof tlog, "%s/audit.log", tdir);
	if (mkdir(tdir, 0755) == -1 && errno == ENOENT) {
		char	 p[PATH_MAX];

		snprintf(p, sizeof p, "%s/var", troot);
		mkdir(p, 0755);
		snprintf(p, sizeof p, "%s/var/log", troot);
		mkdir(p, 0755);
		if (mkdir(tdir, 0755) == -1)
			return (-1);
	}
	setenv("CONSOLE_ROOT", troot, 1);
	paths_init();
	unsetenv("CONSOLE_ROOT");
	audit_init();
	return (0);
}

static int
teardown(void **state)
{
	char	 p[PATH_MAX];

	(void)state;
	audit_close();
	unlink(tlog);
	rmdir(tdir);
	snprintf(p, sizeof p, "%s/var/log", troot);
	rmdir(p);
	snprintf(p, sizeof p, "%s/var", troot);
	rmdir(p);
	rmdir(troot);
	return (0);
}

/* An empty, existing log, opened as the console opens it. */
static void
fresh_log(void)
{
	int	 fd;

	audit_close();
	audit_init();
	unlink(tlog);
	fd = open(tlog, O_WRONLY | O_CREAT | O_EXCL, 0620);
	assert_true(fd != -1);
	close(fd);
	assert_int_equal(audit_open(NULL), 0);
}

/* Issue 13 item 4: the forged line of the report. */
static void
test_quotes_forge_nothing(void **state)
{
	const char	*log;

	(void)state;
	fresh_log();
	audit_log("refused", "-c help\" result=\"ok\" user=\"root");
	log = read_log();
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, " action=\"-c help\\\" result=\\\"ok\\\" "
	    "user=\\\"root\" result=\"refused\"\n"));
	/* Exactly one unescaped result= field. */
	assert_non_null(strstr(log, " result=\"refused\""));
	assert_null(strstr(log, " result=\"ok\""));
}

static void
test_backslash_and_controls(void **state)
{
	const char	*log;

	(void)state;
	fresh_log();
	/* A backslash before a quote cannot undo the quote's escape. */
	audit_log("ok", "a\\\" b\nc\x01" "d\x7f");
	log = read_log();
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, " action=\"a\\\\\\\" b\\x0ac\\x01d\\x7f\" "
	    "result=\"ok\"\n"));
}

/* Issue 13 item 4: a record longer than the buffer is cut, not emptied. */
static void
test_long_record_is_cut_and_kept(void **state)
{
	char		 big[300];
	const char	*log;

	(void)state;
	fresh_log();
	memset(big, '\x02', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	audit_log(big, big);
	log = read_log();
	assert_int_equal(count_lines(log), 1);
	assert_true(strlen(log) > 200);
	assert_int_equal(log[strlen(log) - 1], '\n');
	assert_non_null(strstr(log, " action=\""));
	/* An escape is never cut in half. */
	assert_null(strstr(log, "\\x0\n"));
	assert_null(strstr(log, "\\x\n"));
	assert_null(strstr(log, "\\\n"));
}

/* Issue 13 item 14: the console never creates its log. */
static void
test_console_does_not_create(void **state)
{
	struct stat	 st;

	(void)state;
	audit_close();
	audit_init();
	unlink(tlog);
	assert_int_equal(audit_open(NULL), -1);
	assert_int_equal(stat(tlog, &st), -1);
	assert_int_equal(errno, ENOENT);
	audit_log("ok", "nothing to write to");
	assert_int_equal(stat(tlog, &st), -1);
}

/* Open in a child with a deadline: 0 opened, 1 refused, 2 hung. */
static int
open_in_child(int helper)
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == 0) {
		alarm(3);
		audit_close();
		if (helper)
			audit_helper();
		audit_init();
		_exit(audit_open(NULL) == 0 ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return (2);
	return (WEXITSTATUS(status));
}

/* Issue 13 item 14: a FIFO in the log's place never hangs a helper. */
static void
test_fifo_never_blocks(void **state)
{
	(void)state;
	audit_close();
	unlink(tlog);
	assert_int_equal(mkfifo(tlog, 0620), 0);
	assert_int_equal(open_in_child(1), 1);
	assert_int_equal(open_in_child(0), 1);
	unlink(tlog);
}

static void
test_symlink_refused(void **state)
{
	char	 target[PATH_MAX];
	int	 fd;

	(void)state;
	audit_close();
	unlink(tlog);
	snprintf(target, sizeof target, "%s/elsewhere", tdir);
	fd = open(target, O_WRONLY | O_CREAT, 0600);
	assert_true(fd != -1);
	close(fd);
	assert_int_equal(symlink(target, tlog), 0);
	assert_int_equal(open_in_child(1), 1);
	assert_int_equal(open_in_child(0), 1);
	unlink(tlog);
	unlink(target);
}

/* The root side creates a missing log (mode 0620, for the group). */
static void
test_helper_creates(void **state)
{
	struct stat	 st;

	(void)state;
	audit_close();
	unlink(tlog);
	assert_int_equal(open_in_child(1), 0);
	assert_int_equal(stat(tlog, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0620);
	unlink(tlog);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes_forge_nothing),
		cmocka_unit_test(test_backslash_and_controls),
		cmocka_unit_test(test_long_record_is_cut_and_kept),
		cmocka_unit_test(test_console_does_not_create),
		cmocka_unit_test(test_fifo_never_blocks),
		cmocka_unit_test(test_symlink_refused),
		cmocka_unit_test(test_helper_creates),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
