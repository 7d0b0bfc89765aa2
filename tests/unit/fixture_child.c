/* SPDX-License-Identifier: ISC */
/*
 * A child program for test_spawn: each mode shows one thing spawn_run
 * promises from the inside (the environment it got, the fds it holds),
 * or behaves badly on purpose (sleeps, floods, ignores SIGTERM, leaves a
 * grandchild behind) so the parent's limits can be seen to hold.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char	**environ;

static long	 fixture_number(const char *);
static void	 fixture_sleep_ms(long);
static int	 fixture_fds(void);
static int	 fixture_write(long);
static int	 fixture_cat(void);
static int	 fixture_family(long, int);
static int	 fixture_foreground(void);

static long
fixture_number(const char *s)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0) {
		fprintf(stderr, "fixture_child: bad number %s\n", s);
		exit(64);
	}
	return (n);
}

static void
fixture_sleep_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Every open fd but the one reading the directory, one per line. */
static int
fixture_fds(void)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (strtol(de->d_name, NULL, 10) == dirfd(d))
			continue;
		printf("%s\n", de->d_name);
	}
	closedir(d);
	return (0);
}

static int
fixture_write(long n)
{
	char	 buf[8192];
	size_t	 k;
	ssize_t	 w;

	memset(buf, 'x', sizeof buf);
	while (n > 0) {
		k = (size_t)n < sizeof buf ? (size_t)n : sizeof buf;
		if ((w = write(STDOUT_FILENO, buf, k)) == -1) {
			if (errno == EINTR)
				continue;
			return (1);
		}
		n -= w;
	}
	return (0);
}

static int
fixture_cat(void)
{
	char	 buf[4096];
	ssize_t	 n;

	while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
		if (write(STDOUT_FILENO, buf, (size_t)n) != n)
			return (1);
	}
	return (n == 0 ? 0 : 1);
}

/*
 * A grandchild that keeps stdout open and sleeps (ignoring SIGTERM if
 * stubborn); its pid goes to stdout so the test can check it died with
 * the group.
 */
static int
fixture_family(long ms, int stubborn)
{
	pid_t	 pid;

	if ((pid = fork()) == -1)
		return (1);
	if (pid == 0) {
		if (stubborn)
			signal(SIGTERM, SIG_IGN);
		fixture_sleep_ms(ms);
		_exit(0);
	}
	printf("%ld\n", (long)pid);
	fflush(stdout);
	fixture_sleep_ms(ms);
	return (0);
}

/*
 * Interactive: we lead our own group, it is the terminal's foreground, and
 * we leave echo off behind us for the parent to restore.
 */
static int
fixture_foreground(void)
{
	struct termios	 tio;

	if (!isatty(STDIN_FILENO))
		return (2);
	if (getpgrp() != getpid())
		return (3);
	if (tcgetpgrp(STDIN_FILENO) != getpgrp())
		return (4);
	if (tcgetattr(STDIN_FILENO, &tio) == -1)
		return (5);
	tio.c_lflag &= ~(tcflag_t)ECHO;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == -1)
		return (6);
	return (0);
}

int
main(int argc, char **argv)
{
	char	**e;

	if (argc < 2) {
		fprintf(stderr, "usage: fixture_child mode [arg]\n");
		return (64);
	}
	if (strcmp(argv[1], "env") == 0) {
		for (e = environ; *e != NULL; e++)
			printf("%s\n", *e);
		return (0);
	}
	if (strcmp(argv[1], "fds") == 0)
		return (fixture_fds());
	if (strcmp(argv[1], "cat") == 0)
		return (fixture_cat());
	if (strcmp(argv[1], "foreground") == 0)
		return (fixture_foreground());
	if (strcmp(argv[1], "stop") == 0) {
		/* As Ctrl-Z would: the parent must resume us. */
		raise(SIGSTOP);
		return (0);
	}
	if (argc < 3) {
		fprintf(stderr, "fixture_child: %s needs an argument\n",
		    argv[1]);
		return (64);
	}
	if (strcmp(argv[1], "exit") == 0)
		return ((int)fixture_number(argv[2]));
	if (strcmp(argv[1], "signal") == 0) {
		signal((int)fixture_number(argv[2]), SIG_DFL);
		raise((int)fixture_number(argv[2]));
		return (1);
	}
	if (strcmp(argv[1], "sleep") == 0) {
		fixture_sleep_ms(fixture_number(argv[2]));
		return (0);
	}
	if (strcmp(argv[1], "stubborn") == 0) {
		/* Ignores SIGTERM: only SIGKILL ends it. */
		signal(SIGTERM, SIG_IGN);
		fixture_sleep_ms(fixture_number(argv[2]));
		return (0);
	}
	if (strcmp(argv[1], "write") == 0)
		return (fixture_write(fixture_number(argv[2])));
	if (strcmp(argv[1], "stderr") == 0) {
		fprintf(stderr, "%s\n", argv[2]);
		return (0);
	}
	if (strcmp(argv[1], "family") == 0)
		return (fixture_family(fixture_number(argv[2]), 0));
	if (strcmp(argv[1], "stubborn-family") == 0)
		return (fixture_family(fixture_number(argv[2]), 1));
	fprintf(stderr, "fixture_child: unknown mode %s\n", argv[1]);
	return (64);
}
