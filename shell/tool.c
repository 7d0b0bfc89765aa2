/* SPDX-License-Identifier: ISC */
/*
 * The prompt's wrapped tools run through spawn, never a shell: a fixed
 * absolute path, the argv a grammar rebuilt, an environment from nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "priv.h"
#include "sig.h"
#include "spawn.h"
#include "text.h"
#include "tool.h"

static enum cmd_retval	 tool_spawn(struct cmd_ctx *, const char *,
			     const char *const *, const char *const *, int,
			     int);

static enum cmd_retval
tool_spawn(struct cmd_ctx *ctx, const char *name, const char *const *paths,
    const char *const *argv, int timeout_ms, int tty)
{
	struct spawn_result	 res;
	const char		*path;
	char			*cause = NULL, *safe;
	enum cmd_retval		 ret;

	ctx->name = name;
	if ((path = spawn_find(paths)) == NULL)
		return (cmd_error(ctx, "%s is not installed on this appliance",
		    paths[0]));
	fflush(ctx->out);
	if (spawn_run(&(struct spawn_req){ .path = path,
	    .argv = (char *const *)argv, .timeout_ms = timeout_ms,
	    .interactive = tty }, &res, &cause) == -1) {
		ret = cmd_error(ctx, "%s", cause);
		free(cause);
		return (ret);
	}
	if (res.out != NULL && res.out_len > 0) {
		safe = text_sanitize_lines(res.out, res.out_len);
		fputs(safe, ctx->out);
		free(safe);
	}
	if (res.err != NULL && res.err_len > 0) {
		safe = text_sanitize_lines(res.err, res.err_len);
		fputs(safe, ctx->err);
		free(safe);
	}
	if (res.truncated)
		cmd_info(ctx, "the output was cut short");
	if (res.timed_out)
		cmd_info(ctx, "stopped after %d s", timeout_ms / 1000);
	else if (res.cancelled)
		cmd_info(ctx, "cancelled");
	ret = res.exited && res.exit_code == 0 ? CMD_RETURN_OK :
	    CMD_RETURN_FAILED;
	spawn_result_free(&res);
	return (ret);
}

enum cmd_retval
tool_run(struct cmd_ctx *ctx, const char *name, const char *const *paths,
    const char *const *argv, int timeout_ms)
{
	return (tool_spawn(ctx, name, paths, argv, timeout_ms, 0));
}

enum cmd_retval
tool_run_tty(struct cmd_ctx *ctx, const char *name, const char *const *paths,
    const char *const *argv)
{
	ctx->name = name;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return (cmd_refuse(ctx, "needs a terminal (ssh -t)"));
	return (tool_spawn(ctx, name, paths, argv, 0, 1));
}

enum cmd_retval
tool_priv(struct cmd_ctx *ctx, const char *name, const struct verb_domain *d,
    int verb, const char *const *args, int timeout_ms)
{
	struct priv_result	 res;
	char			*safe;
	int			 r;

	ctx->name = name;
	r = priv_verb(d, verb, args, NULL, timeout_ms, &res);
	if (res.out != NULL && res.out_len > 0) {
		safe = text_sanitize_lines(res.out, res.out_len);
		fputs(safe, ctx->out);
		free(safe);
	}
	if (r == -1)
		(void)cmd_fail(ctx, "%s", res.message);
	priv_result_free(&res);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}

/*
 * A secret (a password): one line of standard input. On a
 * terminal it is asked for with echo off, read with read(2) so that
 * Ctrl-C and a hang-up (handlers without SA_RESTART) interrupt it, and
 * the terminal's mode is put back on every way out. 0, or -1 when none
 * was given (interrupted, or the end of input on a terminal).
 */
int
tool_read_secret(struct cmd_ctx *ctx, const char *prompt, char *buf,
    size_t len)
{
	struct termios	 old, quiet;
	size_t		 off = 0;
	ssize_t		 n;
	int		 r = -1;

	buf[0] = '\0';
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) == -1) {
		if (fgets(buf, (int)len, stdin) != NULL)
			buf[strcspn(buf, "\n")] = '\0';
		return (0);
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == -1)
		return (-1);
	fprintf(ctx->err, "%s", prompt);
	fflush(ctx->err);
	while (off < len - 1 && !sig_interrupt && !sig_hangup) {
		if ((n = read(STDIN_FILENO, buf + off, len - 1 - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		off += (size_t)n;
		if (buf[off - 1] == '\n') {
			r = 0;
			break;
		}
	}
	/* Full: too long, which the validator says; the rest is flushed. */
	if (off == len - 1)
		r = 0;
	buf[off] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	/* The Enter was not echoed either. */
	fprintf(ctx->err, "\n");
	if (r == -1)
		explicit_bzero(buf, len);
	return (r);
}
