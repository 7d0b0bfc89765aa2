/* SPDX-License-Identifier: ISC */
/*
 * exit: leaves the prompt for the menu. With -c it does nothing and
 * succeeds, so a script may end with it.
 */
#include <stdio.h>

#include "cmd.h"
#include "tool.h"

static enum cmd_retval	 exit_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_exit_entry = {
	.name = "exit",
	.number = 0,
	.title = "Leave the prompt for the menu",
	.usage = "exit",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = exit_cli,
	.help = "Back to the menu. Ctrl-D on an empty line does the same.\n"
};

static enum cmd_retval
exit_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return (cmd_usage_error(ctx, &cmd_exit_entry));
	ctx->leave = CMD_LEAVE_PROMPT;
	return (CMD_RETURN_OK);
}
