/* SPDX-License-Identifier: ISC */
/*
 * The prompt's wrapped tools run through spawn, never a shell: a fixed
 * absolute path, the argv a grammar rebuilt, an environment from nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "priv.h"
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
	enum cmd_retval		 ret = CMD_RETURN_ERROR;

	if ((path = spawn_find(paths)) == NULL) {
		fprintf(ctx->err, "%s: %s is not installed on this appliance\n",
		    name, paths[0]);
		return (CMD_RETURN_ERROR);
	}
	fflush(ctx->out);
	if (spawn_run(&(struct spawn_req){ .path = path,
	    .argv = (char *const *)argv, .timeout_ms = timeout_ms,
	    .interactive = tty }, &res, &cause) == -1) {
		fprintf(ctx->err, "%s: %s\n", name, cause);
		free(cause);
		return (CMD_RETURN_ERROR);
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
		fprintf(ctx->err, "%s: the output was cut short\n", name);
	if (res.timed_out)
		fprintf(ctx->err, "%s: stopped after %d s\n", name,
		    timeout_ms / 1000);
	else if (res.cancelled)
		fprintf(ctx->err, "%s: cancelled\n", name);
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
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(ctx->err, "%s: needs a terminal (ssh -t)\n", name);
		return (CMD_RETURN_ERROR);
	}
	return (tool_spawn(ctx, name, paths, argv, 0, 1));
}

enum cmd_retval
tool_priv(struct cmd_ctx *ctx, const char *name, const struct verb_domain *d,
    int verb, const char *const *args, int timeout_ms)
{
	struct priv_result	 res;
	char			*safe;
	int			 r;

	r = priv_verb(d, verb, args, NULL, timeout_ms, &res);
	if (res.out != NULL && res.out_len > 0) {
		safe = text_sanitize_lines(res.out, res.out_len);
		fputs(safe, ctx->out);
		free(safe);
	}
	if (r == -1)
		fprintf(ctx->err, "%s: %s\n", name, res.message);
	priv_result_free(&res);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}

enum cmd_retval
tool_usage(struct cmd_ctx *ctx, const struct cmd_entry *ce)
{
	fprintf(ctx->err, "usage: %s\n", ce->usage);
	return (CMD_RETURN_ERROR);
}
