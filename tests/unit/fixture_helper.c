/* SPDX-License-Identifier: ISC */
/*
 * A privileged helper for tests: a small verb table on helper_main, with
 * verbs that show the hardened process from the inside (environment,
 * fds, umask, dumpable, no_new_privs) and verbs that end in each way
 * priv_run must map (a status, a sentence, an odd exit code, a signal,
 * a hang). test_helper installs it as a console-helper-* in a temporary
 * system root.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "xmalloc.h"

extern char	**environ;

static int	 fixture_valid_word(const char *, char **);
static int	 fixture_valid_number(const char *, char **);
static int	 fixture_valid_path(const char *, char **);
static long	 fixture_number(const char *);
static enum helper_status fixture_echo(char **, char **);
static enum helper_status fixture_pair(char **, char **);
static enum helper_status fixture_env(char **, char **);
static enum helper_status fixture_fds(char **, char **);
static enum helper_status fixture_mkfile(char **, char **);
static enum helper_status fixture_hardened(char **, char **);
static enum helper_status fixture_fail(char **, char **);
static enum helper_status fixture_busy(char **, char **);
static enum helper_status fixture_exit(char **, char **);
static enum helper_status fixture_signal(char **, char **);
static enum helper_status fixture_sleep(char **, char **);
static enum helper_status fixture_bogus(char **, char **);

static const struct helper_verb fixture_verbs[] = {
	{ "echo", 1, { fixture_valid_word }, fixture_echo },
	{ "pair", 2, { fixture_valid_word, fixture_valid_number },
	    fixture_pair },
	{ "env", 0, { NULL }, fixture_env },
	{ "fds", 0, { NULL }, fixture_fds },
	{ "mkfile", 1, { fixture_valid_path }, fixture_mkfile },
	{ "hardened", 0, { NULL }, fixture_hardened },
	{ "fail", 0, { NULL }, fixture_fail },
	{ "busy", 0, { NULL }, fixture_busy },
	{ "exit", 1, { fixture_valid_number }, fixture_exit },
	{ "signal", 1, { fixture_valid_number }, fixture_signal },
	{ "sleep", 1, { fixture_valid_number }, fixture_sleep },
	{ "bogus", 0, { NULL }, fixture_bogus },
	{ "novalid", 1, { NULL }, fixture_echo },
};

static int
fixture_valid_word(const char *s, char **cause)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < 'a' || s[i] > 'z' || i >= 32) {
			if (cause != NULL)
				xasprintf(cause, "%s is not a lowercase word",
				    s);
			return (-1);
		}
	}
	return (0);
}

static int
fixture_valid_number(const char *s, char **cause)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 6) {
			if (cause != NULL)
				xasprintf(cause, "%s is not a number from 0 "
				    "to 999999", s);
			return (-1);
		}
	}
	return (0);
}

static int
fixture_valid_path(const char *s, char **cause)
{
	if (s[0] != '/' || strstr(s, "..") != NULL) {
		if (cause != NULL)
			xasprintf(cause, "%s is not an absolute path", s);
		return (-1);
	}
	return (0);
}

/* Only ever called on what fixture_valid_number accepted. */
static long
fixture_number(const char *s)
{
	return (strtol(s, NULL, 10));
}

static enum helper_status
fixture_echo(char **args, char **cause)
{
	(void)cause;
	printf("%s\n", args[0]);
	return (HELPER_OK);
}

static enum helper_status
fixture_pair(char **args, char **cause)
{
	xasprintf(cause, "paired %s with %s", args[0], args[1]);
	return (HELPER_OK);
}

static enum helper_status
fixture_env(char **args, char **cause)
{
	char	**e;

	(void)args;
	(void)cause;
	for (e = environ; *e != NULL; e++)
		printf("%s\n", *e);
	return (HELPER_OK);
}

static enum helper_status
fixture_fds(char **args, char **cause)
{
	struct dirent	*de;
	DIR		*d;

	(void)args;
	if ((d = opendir("/proc/self/fd")) == NULL) {
		xasprintf(cause, "cannot list fds: %s", strerror(errno));
		return (HELPER_FAILED);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strtol(de->d_name, NULL, 10) == dirfd(d))
			continue;
		printf("%s\n", de->d_name);
	}
	closedir(d);
	return (HELPER_OK);
}

static enum helper_status
fixture_mkfile(char **args, char **cause)
{
	int	 fd;

	/* 0666 asked for: only the umask can make it 0600. */
	if ((fd = open(args[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1) {
		xasprintf(cause, "cannot create %s: %s", args[0],
		    strerror(errno));
		return (HELPER_FAILED);
	}
	close(fd);
	return (HELPER_OK);
}

static enum helper_status
fixture_hardened(char **args, char **cause)
{
	struct rlimit	 rl;

	(void)args;
	(void)cause;
	if (getrlimit(RLIMIT_CORE, &rl) == -1)
		return (HELPER_FAILED);
	printf("dumpable=%d nnp=%d core=%llu\n",
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0),
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
	    (unsigned long long)rl.rlim_max);
	return (HELPER_OK);
}

static enum helper_status
fixture_fail(char **args, char **cause)
{
	(void)args;
	/* Two lines on purpose: the report must stay one. */
	xasprintf(cause, "the fixture was told to fail\nand said so twice");
	return (HELPER_FAILED);
}

static enum helper_status
fixture_busy(char **args, char **cause)
{
	(void)args;
	(void)cause;
	return (HELPER_BUSY);
}

static enum helper_status
fixture_exit(char **args, char **cause)
{
	(void)cause;
	fflush(stdout);
	_exit((int)fixture_number(args[0]));
}

static enum helper_status
fixture_signal(char **args, char **cause)
{
	(void)cause;
	raise((int)fixture_number(args[0]));
	return (HELPER_INTERNAL);
}

static enum helper_status
fixture_sleep(char **args, char **cause)
{
	struct timespec	 ts;
	long		 ms;

	(void)cause;
	ms = fixture_number(args[0]);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return (HELPER_OK);
}

/* Returns a number that is not a status: helper_main must not pass it on. */
static enum helper_status
fixture_bogus(char **args, char **cause)
{
	(void)args;
	(void)cause;
	return ((enum helper_status)1);
}

int
main(int argc, char **argv)
{
	return (helper_main(argc, argv, fixture_verbs,
	    sizeof fixture_verbs / sizeof fixture_verbs[0]));
}
