/* SPDX-License-Identifier: ISC */
/*
 * spawn_run against real processes (fixture_child, built next to this
 * test): exit codes and signals, spawn_simple's sentences, the timeout
 * reaching a grandchild through the process group, SIGKILL after a
 * SIGTERM that is ignored, the capture cap, the environment built from
 * nothing, fds closed, stdin fed, exec failures reported, Ctrl-C and hang-up, and the terminal handed to an
 * interactive child and taken back (on a pty of our own), and each way
 * of closing fds.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
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
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sig.h"
#include "spawn.h"
#include "xmalloc.h"

/* For the fallbacks of spawn_closefrom, which this kernel never needs. */
#include "../../console/spawn.c"

static char	 child_path[PATH_MAX];

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Run fixture_child with up to two arguments. */
static int
run_child(struct spawn_req *req, struct spawn_result *res, char **cause,
    const char *a1, const char *a2)
{
	char	*argv[4];

	argv[0] = "fixture_child";
	argv[1] = (char *)a1;
	argv[2] = (char *)a2;
	argv[3] = NULL;
	req->path = child_path;
	req->argv = argv;
	return (spawn_run(req, res, cause));
}

/* It exited by itself with code, and res is freed. */
static void
expect_exit(struct spawn_result *res, int code)
{
	assert_int_equal(res->exited, 1);
	assert_int_equal(res->exit_code, code);
	assert_int_equal(res->signal, 0);
	assert_int_equal(res->timed_out, 0);
	spawn_result_free(res);
}

/* A process that is gone or a zombie is dead for our purposes. */
static int
pid_is_dead(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	int	 dead = 1;

	xsnprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (1);
	if (fgets(buf, sizeof buf, f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL && p[1] == ' ')
		dead = p[2] == 'Z' || p[2] == 'X';
	fclose(f);
	return (dead);
}

static int
count_fds(void)
{
	char	 path[64];
	int	 fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		xsnprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		if (access(path, F_OK) == 0)
			n++;
	}
	return (n);
}

/* A process that sends sig to us after ms; reap it with waitpid. */
static pid_t
signal_later(int sig, long ms)
{
	struct timespec	 ts;
	pid_t		 parent = getpid(), pid;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000;
		nanosleep(&ts, NULL);
		kill(parent, sig);
		_exit(0);
	}
	return (pid);
}

static void
test_exit_code(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	assert_int_equal(run_child(&req, &res, &cause, "exit", "7"), 0);
	assert_null(cause);
	assert_non_null(res.out);
	assert_int_equal(res.out_len, 0);
	expect_exit(&res, 7);

	assert_int_equal(run_child(&req, &res, &cause, "exit", "0"), 0);
	expect_exit(&res, 0);
}

/* spawn_simple: exit 0 is success, every other end one sentence. */
static void
test_simple(void **state)
{
	static const struct {
		int		 timeout_ms;
		size_t		 cap;
		const char	*a1, *a2;	/* a1 NULL: no mode */
		const char	*cause;		/* NULL: success */
	} t[] = {
		{ 5000, 0, "stderr", "chatter", NULL },
		{ 5000, 0, "exit", "7", "fixture_child failed (status 7)" },
		/* Its own words: as they are when they name it, else after
		   ours. */
		{ 5000, 0, "bogus", "1", "fixture_child: unknown mode bogus" },
		{ 5000, 0, NULL, NULL,
		    "fixture_child failed: usage: fixture_child mode [arg]" },
		{ 5000, 0, "signal", "9",
		    "fixture_child was killed by signal 9" },
		{ 200, 0, "sleep", "5000",
		    "fixture_child did not finish in time" },
		{ 5000, 4096, "write", "8192",
		    "fixture_child wrote more than it may" },
	};
	char	*argv[4], *cause;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		argv[0] = child_path;
		argv[1] = (char *)t[i].a1;
		argv[2] = (char *)t[i].a2;
		argv[3] = NULL;
		cause = NULL;
		assert_int_equal(spawn_simple(&(struct spawn_req){
		    .path = child_path, .argv = argv,
		    .timeout_ms = t[i].timeout_ms, .capture_max = t[i].cap },
		    NULL, &cause), t[i].cause == NULL ? 0 : -1);
		if (t[i].cause == NULL)
			assert_null(cause);
		else
			assert_string_equal(cause, t[i].cause);
		free(cause);
	}
}

static void
test_signal(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL, sig[8];

	(void)state;
	memset(&req, 0, sizeof req);
	xsnprintf(sig, sizeof sig, "%d", SIGUSR1);
	assert_int_equal(run_child(&req, &res, &cause, "signal", sig), 0);
	assert_int_equal(res.exited, 0);
	assert_int_equal(res.signal, SIGUSR1);
	assert_int_equal(res.timed_out, 0);
	spawn_result_free(&res);
}

static void
timeout_family(const char *mode)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL, *end;
	struct timespec		 tick = { 0, 10 * 1000000 };
	int64_t			 t0, elapsed;
	long			 gpid;

	memset(&req, 0, sizeof req);
	req.timeout_ms = 300;
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, mode, "30000"), 0);
	elapsed = now_ms() - t0;
	assert_int_equal(res.timed_out, 1);
	assert_int_equal(res.exited, 0);
	assert_int_equal(res.signal, SIGTERM);
	/* Never early; late only within a loose bound (a loaded machine). */
	assert_true(elapsed >= 300);
	assert_true(elapsed < 300 + 10000);

	/*
	 * The grandchild held stdout open; it must die too, within the
	 * same loose bound (a signal sent is not yet a process gone).
	 */
	gpid = strtol(res.out, &end, 10);
	assert_true(gpid > 1);
	assert_int_equal(*end, '\n');
	while (!pid_is_dead((pid_t)gpid) && now_ms() - t0 < 300 + 10000)
		nanosleep(&tick, NULL);
	assert_true(pid_is_dead((pid_t)gpid));
	spawn_result_free(&res);
}

static void
test_timeout_kills_group(void **state)
{
	(void)state;
	timeout_family("family");
	/* A grandchild that ignores SIGTERM gets SIGKILL. */
	timeout_family("stubborn-family");
}

static void
test_timeout_sigkill(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int64_t			 t0, elapsed;

	(void)state;
	memset(&req, 0, sizeof req);
	req.timeout_ms = 200;
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "stubborn", "30000"),
	    0);
	elapsed = now_ms() - t0;
	assert_int_equal(res.timed_out, 1);
	assert_int_equal(res.signal, SIGKILL);
	/* SIGTERM at 200 ms is ignored; SIGKILL follows 500 ms later. */
	assert_true(elapsed >= 200 + 500);
	assert_true(elapsed < 200 + 10000);
	spawn_result_free(&res);
}

static void
test_capture_cap(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int64_t			 t0;

	(void)state;
	memset(&req, 0, sizeof req);
	req.capture_max = 4096;
	req.timeout_ms = 5000;
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "write", "1048576"),
	    0);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(res.truncated, 1);
	assert_int_equal(res.out_len, 4096);
	assert_int_equal(strlen(res.out), 4096);
	assert_int_equal(res.out[0], 'x');
	assert_int_equal(res.out[4095], 'x');
	expect_exit(&res, 0);	/* drained, not cut off */

	/* Under the cap: all of it, not truncated. */
	assert_int_equal(run_child(&req, &res, &cause, "write", "4096"), 0);
	assert_int_equal(res.truncated, 0);
	assert_int_equal(res.out_len, 4096);
	spawn_result_free(&res);
}

static void
test_env_from_nothing(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	char			*env[] = { "ONLY=this", NULL };

	(void)state;
	setenv("CANARY", "1", 1);
	memset(&req, 0, sizeof req);
	assert_int_equal(run_child(&req, &res, &cause, "env", NULL), 0);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(res.out,
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C\n");
	assert_null(strstr(res.out, "CANARY"));
	spawn_result_free(&res);

	/* A caller's own environment is passed exactly. */
	req.envp = env;
	assert_int_equal(run_child(&req, &res, &cause, "env", NULL), 0);
	assert_string_equal(res.out, "ONLY=this\n");
	spawn_result_free(&res);
	unsetenv("CANARY");
}

static void
test_fds_closed(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int			 leak, before;

	(void)state;
	/* Not close-on-exec: only spawn's own closing can keep it out. */
	leak = open("/dev/null", O_RDONLY);
	assert_true(leak > 2);
	before = count_fds();
	memset(&req, 0, sizeof req);
	assert_int_equal(run_child(&req, &res, &cause, "fds", NULL), 0);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(res.out, "0\n1\n2\n");
	spawn_result_free(&res);
	/* And the parent leaks none of its pipes. */
	assert_int_equal(count_fds(), before);
	close(leak);
}

static void
test_relative_path(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	char			*argv[] = { "true", NULL };

	(void)state;
	memset(&req, 0, sizeof req);
	req.path = "bin/true";
	req.argv = argv;
	assert_int_equal(spawn_run(&req, &res, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "cannot run bin/true: not an absolute path");
	assert_null(res.out);
	free(cause);
}

static void
test_missing_path(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	char			*argv[] = { "y", NULL };
	int			 before;

	(void)state;
	before = count_fds();
	memset(&req, 0, sizeof req);
	req.path = "/nonexistent/x/y";
	req.argv = argv;
	assert_int_equal(spawn_run(&req, &res, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "cannot run /nonexistent/x/y: No such file or directory");
	assert_null(res.out);
	assert_int_equal(res.exited, 0);
	free(cause);
	assert_int_equal(count_fds(), before);

	/* Not an executable file. */
	req.path = "/dev/null";
	cause = NULL;
	assert_int_equal(spawn_run(&req, &res, &cause), -1);
	assert_string_equal(cause, "cannot run /dev/null: Permission denied");
	free(cause);
}

static void
test_stdin(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL, *big;
	size_t			 len = 200 * 1024;

	(void)state;
	memset(&req, 0, sizeof req);
	req.stdin_data = "hello\nworld\n";
	assert_int_equal(run_child(&req, &res, &cause, "cat", NULL), 0);
	assert_string_equal(res.out, "hello\nworld\n");
	spawn_result_free(&res);

	/* No data: /dev/null, so a reader sees EOF at once. */
	req.stdin_data = NULL;
	assert_int_equal(run_child(&req, &res, &cause, "cat", NULL), 0);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(res.out_len, 0);
	spawn_result_free(&res);

	/* More than a pipe holds, both ways at once. */
	big = xmalloc(len + 1);
	memset(big, 'y', len);
	big[len] = '\0';
	req.stdin_data = big;
	assert_int_equal(run_child(&req, &res, &cause, "cat", NULL), 0);
	assert_int_equal(res.out_len, len);
	assert_memory_equal(res.out, big, len);
	spawn_result_free(&res);

	/* A child that never reads must not take us down with SIGPIPE. */
	assert_int_equal(run_child(&req, &res, &cause, "exit", "0"), 0);
	assert_int_equal(res.exit_code, 0);
	spawn_result_free(&res);
	free(big);
}

static void
test_stderr(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	assert_int_equal(run_child(&req, &res, &cause, "stderr", "oops"), 0);
	assert_string_equal(res.err, "oops\n");
	assert_int_equal(res.err_len, 5);
	assert_int_equal(res.out_len, 0);
	spawn_result_free(&res);
}

static void
test_interrupt_cancels(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int64_t			 t0;
	pid_t			 killer;

	(void)state;
	sig_install();
	sig_interrupt = 0;
	memset(&req, 0, sizeof req);
	killer = signal_later(SIGINT, 200);
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "sleep", "30000"), 0);
	assert_true(now_ms() - t0 < 1500);
	assert_int_equal(res.cancelled, 1);
	assert_int_equal(res.timed_out, 0);
	assert_int_equal(res.signal, SIGTERM);
	spawn_result_free(&res);
	waitpid(killer, NULL, 0);
	assert_int_equal(sig_interrupt, 1);

	/* A Ctrl-C from before the run started is not this run's. */
	assert_int_equal(run_child(&req, &res, &cause, "exit", "3"), 0);
	assert_int_equal(res.cancelled, 0);
	assert_int_equal(res.exit_code, 3);
	spawn_result_free(&res);
	sig_interrupt = 0;
}

static void
test_hangup(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int64_t			 t0;
	pid_t			 killer;

	(void)state;
	sig_install();
	sig_hangup = 0;
	memset(&req, 0, sizeof req);
	killer = signal_later(SIGHUP, 200);
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "stubborn", "30000"),
	    0);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(res.cancelled, 1);
	assert_int_equal(res.signal, SIGKILL);
	spawn_result_free(&res);
	waitpid(killer, NULL, 0);

	/* Nothing new starts once the session is ending. */
	assert_int_equal(run_child(&req, &res, &cause, "exit", "0"), -1);
	assert_non_null(strstr(cause, "the session is ending"));
	free(cause);
	sig_hangup = 0;
}

static void
kill_running_handler(int sig)
{
	(void)sig;
	spawn_kill_running();
}

static void
test_kill_running(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	struct sigaction	 sa, old;
	struct itimerval	 it;
	char			*cause = NULL;
	int64_t			 t0;

	(void)state;
	/* From a signal handler, as on hang-up. */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = kill_running_handler;
	sigaction(SIGALRM, &sa, &old);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 200000;
	setitimer(ITIMER_REAL, &it, NULL);

	memset(&req, 0, sizeof req);
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "stubborn", "30000"),
	    0);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(res.signal, SIGKILL);
	spawn_result_free(&res);
	sigaction(SIGALRM, &old, NULL);

	/* Nothing running: a no-op. */
	spawn_kill_running();
}

static void
test_interactive_no_tty(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	int64_t			 t0;

	(void)state;
	memset(&req, 0, sizeof req);
	req.interactive = 1;
	assert_int_equal(run_child(&req, &res, &cause, "exit", "4"), 0);
	assert_int_equal(res.exited, 1);
	assert_int_equal(res.exit_code, 4);
	assert_null(res.out);
	assert_null(res.err);
	spawn_result_free(&res);

	req.timeout_ms = 200;
	assert_int_equal(run_child(&req, &res, &cause, "sleep", "30000"), 0);
	assert_int_equal(res.timed_out, 1);
	spawn_result_free(&res);

	/* Stopped (Ctrl-Z) it is resumed: there is no job control. */
	req.timeout_ms = 5000;
	t0 = now_ms();
	assert_int_equal(run_child(&req, &res, &cause, "stop", NULL), 0);
	assert_true(now_ms() - t0 < 1500);
	assert_int_equal(res.timed_out, 0);
	assert_int_equal(res.exited, 1);
	assert_int_equal(res.exit_code, 0);
	spawn_result_free(&res);
}

/*
 * On a pty of our own: the interactive child is the foreground group, may
 * change the terminal's modes, and we get the terminal back as it was.
 */
static void
test_interactive_tty(void **state)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	struct termios		 tio;
	char			*cause = NULL, *slave;
	int			 master, fd, status;
	pid_t			 pid;

	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master != -1);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	assert_non_null(slave = ptsname(master));

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		/* A new session whose controlling terminal is the pty. */
		if (setsid() == -1 || (fd = open(slave, O_RDWR)) == -1 ||
		    ioctl(fd, TIOCSCTTY, 0) == -1)
			_exit(10);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		memset(&req, 0, sizeof req);
		req.interactive = 1;
		req.timeout_ms = 5000;
		if (run_child(&req, &res, &cause, "foreground", NULL) != 0)
			_exit(11);
		if (!res.exited || res.exit_code != 0)
			_exit(12 + (res.exited ? res.exit_code : 20));
		if (tcgetpgrp(0) != getpgrp())
			_exit(40);	/* terminal not taken back */
		if (tcgetattr(0, &tio) == -1 || !(tio.c_lflag & ECHO))
			_exit(41);	/* modes not restored */
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	close(master);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * In a child: fds 3 and 4 below the line stay, everything from 5 up
 * (including far ones) goes. Exit 0 when that holds.
 */
static void
closefrom_check(int how)
{
	int	 fd, status, i;
	pid_t	 pid;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		for (i = 3; i <= 8; i++) {
			if ((fd = open("/dev/null", O_RDONLY)) == -1 ||
			    (fd != i && dup2(fd, i) == -1))
				_exit(90);
		}
		if (dup2(3, 40) == -1 || dup2(3, 300) == -1)
			_exit(91);
		if (how == 0)
			spawn_closefrom(5);
		else if (how == 1) {
			if (spawn_closefrom_proc(5) == -1)
				_exit(92);
		} else
			spawn_closefrom_all(5);
		if (fcntl(3, F_GETFD) == -1 || fcntl(4, F_GETFD) == -1)
			_exit(93);
		for (i = 5; i <= 8; i++) {
			if (fcntl(i, F_GETFD) != -1)
				_exit(94);
		}
		if (fcntl(40, F_GETFD) != -1 || fcntl(300, F_GETFD) != -1)
			_exit(95);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_closefrom(void **state)
{
	(void)state;
	closefrom_check(0);	/* close_range */
	closefrom_check(1);	/* /proc/self/fd */
	closefrom_check(2);	/* every fd up to the limit */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_code),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_timeout_sigkill),
		cmocka_unit_test(test_capture_cap),
		cmocka_unit_test(test_env_from_nothing),
		cmocka_unit_test(test_fds_closed),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_missing_path),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_stderr),
		cmocka_unit_test(test_kill_running),
		cmocka_unit_test(test_interactive_no_tty),
		cmocka_unit_test(test_interactive_tty),
		cmocka_unit_test(test_interrupt_cancels),
		cmocka_unit_test(test_hangup),
		cmocka_unit_test(test_closefrom),
	};
	char	*p;
	ssize_t	 n;

	n = readlink("/proc/self/exe", child_path, sizeof child_path - 1);
	if (n <= 0)
		return (1);
	child_path[n] = '\0';
	if ((p = strrchr(child_path, '/')) == NULL)
		return (1);
	*p = '\0';
	if (xsnprintf(child_path + strlen(child_path),
	    sizeof child_path - strlen(child_path), "/fixture_child") == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
