/* SPDX-License-Identifier: ISC */
/*
 * ping: iputils ping with a fixed, bounded argv (prompt_ping_parse): a
 * count of at most 10, a two-second wait per reply, no flood, pattern,
 * size or interface options.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "grammar.h"
#include "tool.h"

static enum cmd_retval	 ping_cli(struct cmd_ctx *, int, char **);

static const char *const	 ping_paths[] = {
	"/usr/bin/ping", "/bin/ping", NULL
};

static const char *const	 ping_keywords[] = { "-4", "-6", "-c", NULL };

const struct cmd_entry cmd_ping_entry = {
	.name = "ping",
	.number = 0,
	.title = "Send ICMP echo requests",
	.usage = "ping [-4|-6] [-c N] HOST",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = ping_cli,
	.help =
	    "Sends N echo requests (default 4, at most 10) one second apart\n"
	    "and waits up to 2 s for each reply. Exit status 2 when no reply\n"
	    "came back.\nExamples:\n  ping 192.0.2.1\n  ping -6 -c 2 "
	    "example.com\n",
	.keywords = ping_keywords
};

static enum cmd_retval
ping_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct prompt_cmd	 pc;
	char			*cause = NULL;

	if (prompt_ping_parse(argc, argv, &pc, &cause) == -1) {
		(void)cmd_refuse(ctx, "%s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	/* N replies a second apart, the last waited for 2 s, and slack. */
	return (tool_run(ctx, "ping", ping_paths, pc.argv,
	    (PROMPT_PING_MAX + 5) * 1000));
}
