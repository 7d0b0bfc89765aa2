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
static enum helper_status fixture_echo(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_pair(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_env(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_fds(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_mkfile(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_hardened(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_fail(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_busy(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_exit(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_signal(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_sleep(const struct verb *,
			    const char *const *, char **);
static enum helper_status fixture_bogus(const struct verb *,
			    const char *const *, char **);

static const struct verb_type fixture_word = { "word", fixture_valid_word };
static const struct verb_type fixture_num = { "number", fixture_valid_number };
static const struct verb_type fixture_path = { "path", fixture_valid_path };
static const struct verb_type fixture_none = { "none", NULL };

#define FIXTURE_NONE	{ { NULL, NULL, 0 } }

/* The table and a function per row, in the same order. */
static const struct verb fixture_table[] = {
	{ "echo", 1, { { "word", &fixture_word, 0 } } },
	{ "pair", 2, { { "word", &fixture_word, 0 },
	    { "number", &fixture_num, 0 } } },
	{ "env", 0, FIXTURE_NONE },
	{ "fds", 0, FIXTURE_NONE },
	{ "mkfile", 1, { { "path", &fixture_path, 0 } } },
	{ "hardened", 0, FIXTURE_NONE },
	{ "fail", 0, FIXTURE_NONE },
	{ "busy", 0, FIXTURE_NONE },
	{ "exit", 1, { { "code", &fixture_num, 0 } } },
	{ "signal", 1, { { "signal", &fixture_num, 0 } } },
	{ "sleep", 1, { { "ms", &fixture_num, 0 } } },
	{ "bogus", 0, FIXTURE_NONE },
	{ "novalid", 1, { { "word", &fixture_none, 0 } } },
};
static const helper_fn fixture_fns[] = {
	fixture_echo, fixture_pair, fixture_env, fixture_fds, fixture_mkfile,
	fixture_hardened, fixture_fail, fixture_busy, fixture_exit,
	fixture_signal, fixture_sleep, fixture_bogus, fixture_echo,
};
_Static_assert(sizeof fixture_fns / sizeof fixture_fns[0] ==
    sizeof fixture_table / sizeof fixture_table[0], "a function per row");
static const struct verb_domain fixture_domain = { "support", fixture_table,
	sizeof fixture_table / sizeof fixture_table[0] };

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
fixture_echo(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)cause;
	printf("%s\n", args[0]);
	return (HELPER_OK);
}

static enum helper_status
fixture_pair(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	xasprintf(cause, "paired %s with %s", args[0], args[1]);
	return (HELPER_OK);
}

static enum helper_status
fixture_env(const struct verb *v, const char *const *args, char **cause)
{
	char	**e;

	(void)v;
	(void)args;
	(void)cause;
	for (e = environ; *e != NULL; e++)
		printf("%s\n", *e);
	return (HELPER_OK);
}

static enum helper_status
fixture_fds(const struct verb *v, const char *const *args, char **cause)
{
	struct dirent	*de;
	DIR		*d;

	(void)v;
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
fixture_mkfile(const struct verb *v, const char *const *args, char **cause)
{
	int	 fd;

	(void)v;
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
fixture_hardened(const struct verb *v, const char *const *args, char **cause)
{
	struct rlimit	 rl;

	(void)v;
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
fixture_fail(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	/* Two lines on purpose: the report must stay one. */
	xasprintf(cause, "the fixture was told to fail\nand said so twice");
	return (HELPER_FAILED);
}

static enum helper_status
fixture_busy(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	(void)cause;
	return (HELPER_BUSY);
}

static enum helper_status
fixture_exit(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)cause;
	fflush(stdout);
	_exit((int)fixture_number(args[0]));
}

static enum helper_status
fixture_signal(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)cause;
	raise((int)fixture_number(args[0]));
	return (HELPER_INTERNAL);
}

static enum helper_status
fixture_sleep(const struct verb *v, const char *const *args, char **cause)
{
	struct timespec	 ts;
	long		 ms;

	(void)v;
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
fixture_bogus(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	(void)cause;
	return ((enum helper_status)1);
}

int
main(int argc, char **argv)
{
	return (helper_main(argc, argv, &fixture_domain, fixture_fns));
}
