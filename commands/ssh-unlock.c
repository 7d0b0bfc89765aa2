/* SPDX-License-Identifier: ISC */
/*
 * ssh-unlock: clears the SSH lock pam_faillock sets after too many bad
 * passwords (and the failures it counts) for the user who is logged in.
 * console-helper-account does it, and only for a console started by
 * login(1) (the serial or hypervisor console), which is never locked:
 * physical access is always a way in.
 */
#include <stdio.h>

#include "account.h"
#include "cmd.h"
#include "tool.h"

#define SSH_UNLOCK_MS	15000

static enum cmd_retval	 ssh_unlock_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_ssh_unlock_entry = {
	.name = "ssh-unlock",
	.number = 0,
	.title = "Clear the SSH lock after failed logins",
	.usage = "ssh-unlock",
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = ssh_unlock_cli,
	.help = "After 5 bad passwords SSH refuses password logins for 15\n"
	    "minutes. From the serial or hypervisor console this clears the\n"
	    "failures at once. Over SSH it is refused.\n"
};

static enum cmd_retval
ssh_unlock_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_retval	 r;

	(void)argv;
	if (argc != 1)
		return (cmd_usage_error(ctx, &cmd_ssh_unlock_entry));
	r = tool_priv(ctx, "ssh-unlock", &account_verbs,
	    ACCOUNT_V_FAILLOCK_RESET, NULL, SSH_UNLOCK_MS);
	if (r == CMD_RETURN_OK)
		fprintf(ctx->out, "SSH password logins are open again.\n");
	return (r);
}
