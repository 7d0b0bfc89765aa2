/* SPDX-License-Identifier: ISC */
/*
 * The frame every privileged helper runs in, after OpenSSH's monitor and
 * chrony's privops: harden the process before looking at a single input
 * byte, then accept only a verb from a fixed table with exactly its number
 * of arguments, each bounded, printable and never an option, each passed
 * through its own validator. The caller is not trusted even though it
 * validated already. The result is one line on stderr and an exit code
 * from enum helper_status; data, if any, goes to stdout.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "helper.h"
#include "spawn.h"
#include "text.h"
#include "trail.h"
#include "xmalloc.h"

#define HELPER_LINE_MAX		512	/* bytes in the result line */
#define HELPER_PATH		"/usr/sbin:/usr/bin:/sbin:/bin"

static const char *helper_unrecorded;

static int	 helper_std_fds(void);
static const char *helper_result_word(int);
static void	 helper_report(int, const char *);

/*
 * Make sure 0, 1 and 2 are open (on /dev/null if need be), so no file we
 * open later becomes stderr and receives our result line.
 */
static int
helper_std_fds(void)
{
	int	 fd;

	for (;;) {
		if ((fd = open("/dev/null", O_RDWR)) == -1)
			return (-1);
		if (fd > 2) {
			close(fd);
			return (0);
		}
	}
}

int
helper_harden(char **cause)
{
	struct rlimit	 rl;

	if (cause != NULL)
		*cause = NULL;
	if (helper_std_fds() == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot open /dev/null: %s",
			    strerror(errno));
		return (-1);
	}
	spawn_closefrom(3);
	/* Only a root helper may create the console's audit log. */
	audit_helper();
	/* The caller's environment means nothing to us, not even LANG. */
	if (clearenv() != 0 || setenv("PATH", HELPER_PATH, 1) != 0) {
		if (cause != NULL)
			xasprintf(cause, "cannot clear the environment");
		return (-1);
	}
	umask(077);
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot harden the helper: %s",
			    strerror(errno));
		return (-1);
	}
	return (0);
}

void
helper_reads_only(const char *verb)
{
	helper_unrecorded = verb;
}

/* The trail's word for a status. */
static const char *
helper_result_word(int status)
{
	static const char *const words[] = {
		[HELPER_OK] = "ok", [HELPER_USAGE] = "usage",
		[HELPER_INVALID] = "invalid", [HELPER_DENIED] = "denied",
		[HELPER_FAILED] = "failed", [HELPER_BUSY] = "busy",
		[HELPER_TIMEOUT] = "timeout", [HELPER_INTERNAL] = "internal",
	};

	if (!helper_status_valid(status) || words[status] == NULL)
		return ("internal");
	return (words[status]);
}

/* The one line on stderr: sanitised, bounded, never more than one. */
static void
helper_report(int status, const char *cause)
{
	const char	*line;
	char		*safe;
	size_t		 len;

	if (cause != NULL && *cause != '\0')
		line = cause;
	else if (status == HELPER_OK)
		line = "ok";
	else
		line = helper_status_message(status);
	len = strlen(line);
	if (len > HELPER_LINE_MAX)
		len = HELPER_LINE_MAX;
	safe = text_sanitize(line, len);
	fflush(stdout);
	fprintf(stderr, "%s\n", safe);
	fflush(stderr);
	free(safe);
}

int
helper_main(int argc, char **argv, const struct verb_domain *d,
    const helper_fn *fns)
{
	const struct verb	*v = NULL;
	const char		*vals[VERB_MAX_ARGS];
	char			*cause = NULL, *safe;
	int			 status = HELPER_INTERNAL, i, nargs;
	int			 record = 0;
	size_t			 n;

	/* Who asked: sudo's variables, before the environment goes. */
	trail_capture();
	if (helper_harden(&cause) == -1)
		goto out;
	/* Every request is recorded, a refused one too. */
	record = 1;
	trail_request(d->helper, argc > 1 ? argv[1] : NULL,
	    argc > 2 ? argc - 2 : 0, argv + (argc > 2 ? 2 : argc));
	/* The console's context: the first word, "@SESSION,TTY,ADDR,PORT". */
	if (argc > 1 && argv[1] != NULL && argv[1][0] == '@') {
		if (trail_context(argv[1], &cause) == -1) {
			status = HELPER_USAGE;
			goto out;
		}
		argc--;
		argv++;
		trail_request(d->helper, argc > 1 ? argv[1] : NULL,
		    argc > 2 ? argc - 2 : 0, argv + (argc > 2 ? 2 : argc));
	}
	if (helper_unrecorded != NULL && argc > 1 && argv[1] != NULL &&
	    strcmp(argv[1], helper_unrecorded) == 0)
		record = 0;
	if (record)
		audit_set_sink(trail_sink);

	/* A row without its function is a table bug, whichever verb came. */
	for (n = 0; n < d->nverbs; n++) {
		if (fns[n] == NULL) {
			xasprintf(&cause, "verb %s has no function",
			    d->verbs[n].name);
			goto out;
		}
	}
	if (argc < 2 || argv[1] == NULL) {
		status = HELPER_USAGE;
		xasprintf(&cause, "no verb given");
		goto out;
	}
	if (verb_word(0, argv[1], &cause) == -1) {
		status = HELPER_USAGE;
		goto out;
	}
	if ((v = verb_find(d, argv[1])) == NULL) {
		status = HELPER_USAGE;
		safe = text_sanitize(argv[1], strlen(argv[1]));
		xasprintf(&cause, "unknown verb '%s'", safe);
		free(safe);
		goto out;
	}
	if (v->nargs < 0 || v->nargs > VERB_MAX_ARGS) {
		xasprintf(&cause, "verb %s is badly defined", v->name);
		goto out;
	}
	nargs = argc - 2;
	/* An argument without a validator is a table bug: refuse. */
	for (i = 0; i < nargs && i < v->nargs; i++) {
		if (v->args[i].type == NULL ||
		    v->args[i].type->valid == NULL) {
			xasprintf(&cause, "verb %s has no validator for "
			    "argument %d", v->name, i + 1);
			goto out;
		}
	}
	if ((i = verb_decode(v, nargs, argv + 2, vals, &cause)) != 0) {
		status = i == -2 ? HELPER_USAGE : HELPER_INVALID;
		goto out;
	}

	status = fns[verb_index(d, v)](v, vals, &cause);
	if (!helper_status_valid(status)) {
		free(cause);
		xasprintf(&cause, "verb %s returned an unknown status %d",
		    v->name, status);
		status = HELPER_INTERNAL;
	}

out:
	if (record) {
		audit_set_sink(NULL);
		trail_sink(helper_result_word(status), cause);
	}
	helper_report(status, cause);
	free(cause);
	return (status);
}
