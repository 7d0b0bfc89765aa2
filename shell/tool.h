/* SPDX-License-Identifier: ISC */
/*
 * Running the prompt's wrapped system tools (ip, ping, passwd, groff):
 * the first of a list of absolute paths that exists, an argv that a
 * grammar built, spawn's clean environment and a timeout.
 */
#ifndef TOOL_H
#define TOOL_H

#include "cmd.h"
#include "verb.h"

/*
 * Run, capture and print the output (made safe) to ctx->out and ctx->err.
 * OK when it exited 0, FAILED when it ran and failed, ERROR when it could
 * not be started.
 */
enum cmd_retval	 tool_run(struct cmd_ctx *, const char *, const char *const *,
		    const char *const *, int);
/* Hand the terminal over to it (passwd); same results. */
enum cmd_retval	 tool_run_tty(struct cmd_ctx *, const char *,
		    const char *const *, const char *const *);
/*
 * Run a privileged helper's verb: its report (made safe) to ctx->out, its
 * sentence to ctx->err prefixed with name when it failed. OK or FAILED.
 */
enum cmd_retval	 tool_priv(struct cmd_ctx *, const char *,
		    const struct verb_domain *, int, const char *const *, int);
/*
 * A secret (a password) typed at the prompt, after prompt on ctx->err:
 * echo off on a terminal, Ctrl-C and a hang-up end it; one line of stdin
 * otherwise. 0, or -1 when none was given (buf cleared). A line that
 * fills buf (len - 1 bytes) was longer: the caller refuses it.
 */
int		 tool_read_secret(struct cmd_ctx *, const char *, char *, size_t);

#endif
