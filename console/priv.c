/* SPDX-License-Identifier: ISC */
/*
 * The unprivileged side of privilege separation. The console never
 * changes the system itself: it runs one of a fixed list of helpers,
 * LIBEXECDIR/console-helper-NAME VERB ARGS, through "sudo -n" (or
 * directly when it already is root: the lab and the tests), with the
 * default environment and a timeout, and turns the exit code and the
 * helper's one stderr line into a status and a sentence for the user.
 */
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "helper.h"
#include "paths.h"
#include "priv-helpers.h"
#include "priv.h"
#include "spawn.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define PRIV_SUDO		"/usr/bin/sudo"
#define PRIV_LINE_MAX		512

/*
 * The command running now when it is not a privileged one: while it is
 * set, no helper is started (the command table's CMD_READONLY and
 * CMD_PRIV, enforced here where every helper call passes).
 */
static struct priv_gate	 priv_gate_now;

/*
 * Everything sudoers lets admin run; nothing else is ever asked for. The
 * list is bin/helpers.list, which makes the drop-in's list too.
 */
static const char *const priv_helpers[] = { PRIV_HELPERS };

static char	*priv_last_line(const char *, size_t);
static void	 priv_context(char *, size_t);
static void	 priv_map(const struct spawn_result *, int, int,
		    struct priv_result *);

int
priv_helper_path(const char *name, char *buf, size_t len)
{
	char	 rel[PATH_MAX];
	size_t	 i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < sizeof priv_helpers / sizeof priv_helpers[0]; i++) {
		if (strcmp(name, priv_helpers[i]) == 0)
			break;
	}
	if (i == sizeof priv_helpers / sizeof priv_helpers[0])
		return (-1);
	if (xsnprintf(rel, sizeof rel, "%s/console-helper-%s", LIBEXECDIR,
	    priv_helpers[i]) == -1)
		return (-1);
	return (paths_get(buf, len, rel));
}

/*
 * The context word every helper call starts with, for the helper's record:
 * "@SESSION,TTY,ADDR,PORT", each "-" when unknown or not of its form (the
 * helper checks it again; who asked it takes from sudo, not from us).
 */
static void
priv_context(char *buf, size_t len)
{
	char		 tty[48] = "-", addr[64] = "-", port[8] = "-";
	char		 conn[128];
	const char	*t;
	pid_t		 sid;

	if ((t = ttyname(STDIN_FILENO)) != NULL &&
	    strncmp(t, "/dev/", 5) == 0 && strlen(t + 5) < sizeof tty &&
	    strspn(t + 5, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789/") == strlen(t + 5) && t[5] != '\0')
		(void)xsnprintf(tty, sizeof tty, "%s", t + 5);
	/* SSH_CONNECTION: client address, client port, ours, our port. */
	if (xsnprintf(conn, sizeof conn, "%s", audit_ssh_connection()) != -1 &&
	    sscanf(conn, "%63s %7s", addr, port) == 2 &&
	    (valid_ip(addr, NULL, NULL) != 0 ||
	    valid_port(port, NULL, NULL) != 0)) {
		(void)xsnprintf(addr, sizeof addr, "-");
		(void)xsnprintf(port, sizeof port, "-");
	}
	if (strcmp(addr, "-") == 0 || strcmp(port, "-") == 0) {
		(void)xsnprintf(addr, sizeof addr, "-");
		(void)xsnprintf(port, sizeof port, "-");
	}
	sid = getsid(0);
	if (sid > 0)
		(void)xsnprintf(buf, len, "@%ld,%s,%s,%s", (long)sid, tty,
		    addr, port);
	else
		(void)xsnprintf(buf, len, "@-,%s,%s,%s", tty, addr, port);
}

/* The last non-empty line of the helper's stderr, sanitised; or NULL. */
static char *
priv_last_line(const char *err, size_t len)
{
	const char	*start;

	if (err == NULL)
		return (NULL);
	while (len > 0 && (err[len - 1] == '\n' || err[len - 1] == '\r'))
		len--;
	if (len == 0)
		return (NULL);
	start = err + len;
	while (start > err && start[-1] != '\n')
		start--;
	len -= (size_t)(start - err);
	if (len > PRIV_LINE_MAX)
		len = PRIV_LINE_MAX;
	return (text_sanitize(start, len));
}

/* From how the process ended to a status and a sentence. */
static void
priv_map(const struct spawn_result *sr, int via_sudo, int timeout_ms,
    struct priv_result *res)
{
	char	*line;
	int	 secs;

	if (sr->timed_out) {
		res->status = HELPER_TIMEOUT;
		secs = (timeout_ms + 999) / 1000;
		xasprintf(&res->message, "the privileged helper did not "
		    "finish within %d second%s", secs, secs == 1 ? "" : "s");
		return;
	}
	if (sr->cancelled) {
		res->status = HELPER_INTERNAL;
		res->message = xstrdup("the privileged helper was cancelled");
		return;
	}
	if (!sr->exited) {
		res->status = HELPER_INTERNAL;
		xasprintf(&res->message, "the privileged helper was killed by "
		    "signal %d (%s)", sr->signal, strsignal(sr->signal));
		return;
	}
	/*
	 * No helper exits 1 (it is not a status), but sudo does for all its
	 * own refusals: "a password is required", "not allowed to execute".
	 */
	if (via_sudo && sr->exit_code == 1) {
		res->status = HELPER_DENIED;
		res->message = xstrdup("the privileged helper is not allowed "
		    "for this user (check the sudoers drop-in)");
		return;
	}
	if (!helper_status_valid(sr->exit_code)) {
		res->status = HELPER_INTERNAL;
		xasprintf(&res->message, "the privileged helper exited with "
		    "unexpected status %d", sr->exit_code);
		return;
	}
	res->status = sr->exit_code;
	line = priv_last_line(sr->err, sr->err_len);
	if (line != NULL && strcmp(line, "ok") != 0)
		res->message = line;
	else {
		free(line);
		res->message = xstrdup(helper_status_message(res->status));
	}
}

int
priv_run(const char *helper, const char *verb, const char *const *args,
    int timeout_ms, struct priv_result *res)
{
	return (priv_run_input(helper, verb, args, NULL, timeout_ms, res));
}

int
priv_run_input(const char *helper, const char *verb, const char *const *args,
    const char *input, int timeout_ms, struct priv_result *res)
{
	struct spawn_req	 req;
	struct spawn_result	 sr;
	char			 path[PATH_MAX], *argv[HELPER_MAX_ARGS + 7];
	char			 ctx[160];
	char			*cause = NULL, *safe;
	int			 via_sudo, argc = 0, nargs = 0;

	memset(res, 0, sizeof *res);
	memset(&sr, 0, sizeof sr);
	res->status = -1;

	if (priv_gate_now.who != NULL) {
		xasprintf(&res->message, "refused: a %s command may not run a "
		    "privileged helper", priv_gate_now.readonly ? "read-only" :
		    "non-privileged");
		audit_logf("refused", "helper %s %s from %s%s",
		    helper != NULL ? helper : "", verb != NULL ? verb : "",
		    priv_gate_now.readonly ? "read-only " : "",
		    priv_gate_now.who);
		return (-1);
	}
	if (helper == NULL ||
	    priv_helper_path(helper, path, sizeof path) == -1) {
		safe = text_sanitize(helper == NULL ? "" : helper,
		    helper == NULL ? 0 : strlen(helper));
		xasprintf(&res->message, "there is no privileged helper "
		    "named '%s'", safe);
		free(safe);
		return (-1);
	}
	if (verb == NULL) {
		res->message = xstrdup("no verb for the privileged helper");
		return (-1);
	}
	while (args != NULL && args[nargs] != NULL) {
		if (++nargs > HELPER_MAX_ARGS) {
			res->message = xstrdup("too many arguments for the "
			    "privileged helper");
			return (-1);
		}
	}
	/* Say which file is missing rather than what sudo thinks of it. */
	if (access(path, X_OK) == -1) {
		xasprintf(&res->message, "cannot run %s: %s", path,
		    strerror(errno));
		return (-1);
	}

	via_sudo = geteuid() != 0;
	if (via_sudo) {
		argv[argc++] = "sudo";
		argv[argc++] = "-n";
		argv[argc++] = "--";
	}
	argv[argc++] = path;
	priv_context(ctx, sizeof ctx);
	argv[argc++] = ctx;
	argv[argc++] = (char *)verb;
	while (args != NULL && *args != NULL)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;

	memset(&req, 0, sizeof req);
	req.path = via_sudo ? PRIV_SUDO : path;
	req.argv = argv;
	/* Run directly (as root), a helper sees the test seam too. */
	req.envp = via_sudo ? NULL : paths_child_env();
	req.timeout_ms = timeout_ms;
	req.stdin_data = input;
	if (spawn_run(&req, &sr, &cause) == -1) {
		res->message = cause;
		return (-1);
	}
	priv_map(&sr, via_sudo, timeout_ms, res);
	res->out = sr.out;
	res->out_len = sr.out_len;
	sr.out = NULL;
	spawn_result_free(&sr);
	return (res->status == HELPER_OK ? 0 : -1);
}

int
priv_verb(const struct verb_domain *d, int id, const char *const *vals,
    const char *input, int timeout_ms, struct priv_result *res)
{
	char	*words[VERB_MAX_ARGS + 1], *cause = NULL;
	int	 r;

	if (id < 0 || (size_t)id >= d->nverbs) {
		memset(res, 0, sizeof *res);
		res->status = -1;
		xasprintf(&res->message, "no verb %d for the %s helper", id,
		    d->helper);
		return (-1);
	}
	if (verb_encode(&d->verbs[id], vals, words, &cause) == -1) {
		memset(res, 0, sizeof *res);
		res->status = -1;
		res->message = cause;
		return (-1);
	}
	r = priv_run_input(d->helper, d->verbs[id].name,
	    (const char *const *)words, input, timeout_ms, res);
	verb_words_free(words);
	return (r);
}

void
priv_gate(const struct priv_gate *gate, struct priv_gate *was)
{
	if (was != NULL)
		*was = priv_gate_now;
	priv_gate_now = *gate;
}

void
priv_result_free(struct priv_result *res)
{
	if (res == NULL)
		return;
	free(res->message);
	free(res->out);
	memset(res, 0, sizeof *res);
}
