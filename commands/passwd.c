/* SPDX-License-Identifier: ISC */
/*
 * passwd: the system's passwd, run as the user who is logged in with a
 * fixed argv (no user name, no option), so PAM changes only that user's
 * own password. It needs the terminal.
 */
#include <stdio.h>

#include "cmd.h"
#include "tool.h"

static enum cmd_retval	 passwd_cli(struct cmd_ctx *, int, char **);

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
	.help = "Asks for the current password and the new one twice. Over\n"
	    "SSH it needs a terminal: ssh -t admin@HOST passwd\n"
};

static enum cmd_retval
passwd_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const	 args[] = { "passwd", NULL };

	(void)argv;
	if (argc != 1)
		return (cmd_usage_error(ctx, &cmd_passwd_entry));
	return (tool_run_tty(ctx, "passwd", passwd_paths, args));
}
