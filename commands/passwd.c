/* SPDX-License-Identifier: ISC */
/*
 * passwd: the user's own password, changed through the system's passwd
 * (PAM: pam_unix and pam_pwquality's policy decide, never this code),
 * run as the user who is logged in with a fixed argv (no user name, no
 * option). The console reads the passwords itself, with echo off and a
 * bound, so that it can show what arrived without revealing it: the
 * length, a two-word fingerprint (models/secret.c) and the characters
 * that move between keyboard layouts. Then it answers passwd's questions
 * on a pipe, one at a time as they come; a "BAD PASSWORD" line ends that
 * run and its reason is shown, and the new password is asked for again
 * with the current one kept in memory (cleared on every way out).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "paths.h"
#include "passwd.h"
#include "secret.h"
#include "sig.h"
#include "spawn.h"
#include "text.h"
#include "tool.h"
#include "xmalloc.h"

#define PASSWD_MAX		128	/* characters in a password */
#define PASSWD_TRIES		20	/* new passwords asked for in one go */
#define PASSWD_TIMEOUT_MS	60000
#define PASSWD_REASON_MAX	200

/* One run of passwd: what to answer and what it said. */
struct passwd_talk {
	const char	*old;
	const char	*new;
	char		 answer[PASSWD_MAX + 2];
	size_t		 seen;		/* stderr read up to here */
	int		 asked_old;
	int		 bad;		/* pwquality refused */
	char		 reason[PASSWD_REASON_MAX];
};

enum passwd_end {
	PASSWD_CHANGED,
	PASSWD_REFUSED,		/* the policy said no: ask again */
	PASSWD_FAILED		/* wrong current password, or passwd failed */
};

static enum cmd_retval	 passwd_cli(struct cmd_ctx *, int, char **);
static const char	*passwd_prompt(const char *, size_t, void *);
static enum passwd_end	 passwd_run(struct cmd_ctx *, const char *,
			    const char *, char *, size_t);
static int		 passwd_read(struct cmd_ctx *, const char *, char *);
static int		 passwd_confirm(struct cmd_ctx *);
static void		 passwd_show(struct cmd_ctx *, const char *);

static const char *const	 passwd_paths[] = {
	"/usr/bin/passwd", "/bin/passwd", NULL
};

const struct cmd_entry cmd_passwd_entry = {
	.name = "passwd",
	.number = 0,
	.title = "Change your own password",
	.usage = "passwd",
	.flags = 0,
	.tui = NULL,
	.cli = passwd_cli,
	.help = "Asks for the current password and the new one twice, shows\n"
	    "its length and fingerprint, then changes it if the policy\n"
	    "allows. Over SSH it needs a terminal: ssh -t admin@HOST passwd\n"
};

/*
 * passwd's questions come on stderr, each ending in ": " with no newline
 * (Linux-PAM's conversation); its refusals are lines. Answer a question
 * once, stop at a refusal (closing stdin ends passwd), wait otherwise.
 */
static const char *
passwd_prompt(const char *err, size_t len, void *arg)
{
	struct passwd_talk	*t = arg;
	const char		*p, *bad, *q;
	size_t			 n;

	if (len <= t->seen)
		return ("");
	p = err + t->seen;
	n = len - t->seen;
	if ((bad = memmem(p, n, "BAD PASSWORD: ", 14)) != NULL) {
		bad += 14;
		if ((q = memchr(bad, '\n', (size_t)(err + len - bad))) == NULL)
			return ("");
		xsnprintf(t->reason, sizeof t->reason, "%.*s",
		    (int)(q - bad), bad);
		t->bad = 1;
		return (NULL);
	}
	if (n < 2 || p[n - 2] != ':' || p[n - 1] != ' ')
		return ("");
	t->seen = len;
	if (memmem(p, n, "urrent", 6) != NULL) {
		t->asked_old = 1;
		xsnprintf(t->answer, sizeof t->answer, "%s\n", t->old);
	} else if (memmem(p, n, "ew password", 11) != NULL ||
	    memmem(p, n, "etype", 5) != NULL)
		xsnprintf(t->answer, sizeof t->answer, "%s\n", t->new);
	else
		return (NULL);	/* a question we do not know: no answer */
	return (t->answer);
}

/* One run of passwd with both passwords; a refusal's reason in why. */
static enum passwd_end
passwd_run(struct cmd_ctx *ctx, const char *old, const char *new, char *why,
    size_t whylen)
{
	static const char *const	 args[] = { "passwd", NULL };
	struct passwd_talk		 t;
	struct spawn_result		 res;
	const char *const		*p;
	char				*cause = NULL, *line;
	const char			*q;
	enum passwd_end			 end = PASSWD_FAILED;

	(void)ctx;
	why[0] = '\0';
	for (p = passwd_paths; *p != NULL && access(*p, X_OK) != 0; p++)
		;
	if (*p == NULL) {
		xsnprintf(why, whylen, "%s", "passwd is not installed");
		return (PASSWD_FAILED);
	}
	memset(&t, 0, sizeof t);
	t.old = old;
	t.new = new;
	if (spawn_run(&(struct spawn_req){ .path = *p,
	    .argv = (char *const *)args, .timeout_ms = PASSWD_TIMEOUT_MS,
	    .on_prompt = passwd_prompt, .on_prompt_arg = &t }, &res,
	    &cause) == -1) {
		xsnprintf(why, whylen, "%s", cause);
		free(cause);
		explicit_bzero(&t, sizeof t);
		return (PASSWD_FAILED);
	}
	if (t.bad) {
		xsnprintf(why, whylen, "%s", t.reason);
		end = PASSWD_REFUSED;
	} else if (res.exited && res.exit_code == 0)
		end = PASSWD_CHANGED;
	else if (res.cancelled || res.timed_out)
		xsnprintf(why, whylen, "%s", res.cancelled ? "cancelled" :
		    "passwd did not finish in time");
	else {
		/* passwd's own words: its first "passwd: " line. */
		line = NULL;
		if (res.err != NULL && (q = strstr(res.err, "passwd: ")) !=
		    NULL)
			line = text_sanitize(q, strcspn(q, "\n"));
		xsnprintf(why, whylen, "%s%s", t.asked_old ? "the current "
		    "password was not accepted: " : "", line != NULL ? line :
		    "passwd failed");
		free(line);
	}
	explicit_bzero(&t, sizeof t);
	if (res.err != NULL)
		explicit_bzero(res.err, res.err_len);
	spawn_result_free(&res);
	return (end);
}

/* A password into buf (PASSWD_MAX + 2 bytes): 0, 1 refused, -1 ended. */
static int
passwd_read(struct cmd_ctx *ctx, const char *prompt, char *buf)
{
	size_t	 i, len;

	sig_interrupt = 0;
	if (tool_read_secret(ctx, prompt, buf, PASSWD_MAX + 2) == -1 ||
	    sig_hangup)
		return (-1);
	len = strlen(buf);
	if (len > PASSWD_MAX) {
		fprintf(ctx->err, "Refused: longer than %d characters\n",
		    PASSWD_MAX);
		return (1);
	}
	/* What a remote keyboard can send the same on every layout's map. */
	for (i = 0; i < len; i++) {
		if (buf[i] < ' ' || buf[i] > '~') {
			fprintf(ctx->err, "Refused: only printable ASCII "
			    "characters (letters, digits, symbols, space)\n");
			return (1);
		}
	}
	return (0);
}

/* "y" or "yes" and Enter: 1; anything else 0; Ctrl-C, a hang-up -1. */
static int
passwd_confirm(struct cmd_ctx *ctx)
{
	char	 line[16];
	size_t	 off = 0;
	ssize_t	 n;

	fprintf(ctx->err, "Change the password to this one? [y/N] ");
	fflush(ctx->err);
	sig_interrupt = 0;
	while (off < sizeof line - 1 && !sig_interrupt && !sig_hangup) {
		if ((n = read(STDIN_FILENO, line + off,
		    sizeof line - 1 - off)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		if (n == 0)
			return (-1);
		off += (size_t)n;
		if (line[off - 1] == '\n')
			break;
	}
	if (sig_interrupt || sig_hangup)
		return (-1);
	line[off] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	return (strcmp(line, "y") == 0 || strcmp(line, "yes") == 0);
}

/* The length, the fingerprint and what moves between layouts. */
static void
passwd_show(struct cmd_ctx *ctx, const char *pw)
{
	unsigned char	 key[SECRET_KEY_LEN];
	char		 path[PATH_MAX], fp[SECRET_FP_MAX];
	char		 moves[SECRET_LAYOUT_MAX], *cause = NULL;

	if (paths_get(path, sizeof path, SECRET_KEY_PATH) == 0 &&
	    secret_key_load(path, key, &cause) == 0) {
		secret_fingerprint(key, sizeof key, pw, fp, sizeof fp);
		explicit_bzero(key, sizeof key);
		fprintf(ctx->err, "Received %zu characters, fingerprint %s\n",
		    strlen(pw), fp);
	} else {
		fprintf(ctx->err, "Received %zu characters (no fingerprint: "
		    "%s)\n", strlen(pw), cause != NULL ? cause : "no key");
		free(cause);
	}
	if (secret_layout_moves(pw, moves, sizeof moves) > 0)
		fprintf(ctx->err, "Warning: it holds characters that another "
		    "keyboard layout types differently: %s\n", moves);
	explicit_bzero(moves, sizeof moves);
	explicit_bzero(fp, sizeof fp);
}

int
passwd_change(struct cmd_ctx *ctx, int first)
{
	char		 old[PASSWD_MAX + 2], new[PASSWD_MAX + 2];
	char		 again[PASSWD_MAX + 2], why[PASSWD_REASON_MAX + 64];
	enum passwd_end	 end;
	int		 tries, r, status = -1;

	if (!isatty(STDIN_FILENO)) {
		fprintf(ctx->err, "passwd: needs a terminal (ssh -t)\n");
		return (-1);
	}
	if (first)
		fprintf(ctx->err, "The password of this account has expired: "
		    "change it now to continue.\n");
	fprintf(ctx->err, "The new password: at least 15 characters, upper "
	    "and lower case, a digit\nand a symbol, no dictionary word, not "
	    "your user name, unlike the current one.\n");
	if (passwd_read(ctx, "Current password: ", old) != 0)
		goto out;
	for (tries = 0; tries < PASSWD_TRIES; tries++) {
		if ((r = passwd_read(ctx, "New password: ", new)) == -1)
			goto out;
		if (r == 1)
			continue;
		if ((r = passwd_read(ctx, "Retype new password: ", again)) ==
		    -1)
			goto out;
		if (r == 1)
			continue;
		if (strcmp(new, again) != 0) {
			fprintf(ctx->err, "Refused: the two entries differ\n");
			continue;
		}
		passwd_show(ctx, new);
		if ((r = passwd_confirm(ctx)) == -1)
			goto out;
		if (r == 0) {
			fprintf(ctx->err, "Not changed; enter it again.\n");
			continue;
		}
		end = passwd_run(ctx, old, new, why, sizeof why);
		if (end == PASSWD_CHANGED) {
			fprintf(ctx->err, "Password changed.\n");
			status = 0;
			goto out;
		}
		if (end == PASSWD_FAILED) {
			fprintf(ctx->err, "Not changed: %s\n", why);
			goto out;
		}
		fprintf(ctx->err, "Refused: %s\n", why);
	}
	fprintf(ctx->err, "Not changed: too many attempts\n");
out:
	if (status == -1 && (sig_interrupt || sig_hangup))
		fprintf(ctx->err, "Cancelled: the password is unchanged.\n");
	sig_interrupt = 0;
	explicit_bzero(old, sizeof old);
	explicit_bzero(new, sizeof new);
	explicit_bzero(again, sizeof again);
	return (status);
}

static enum cmd_retval
passwd_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return (cmd_usage_error(ctx, &cmd_passwd_entry));
	return (passwd_change(ctx, 0) == 0 ? CMD_RETURN_OK :
	    CMD_RETURN_FAILED);
}
