/* SPDX-License-Identifier: ISC */
/*
 * testconn: the connectivity engine (module 210's) for one typed target,
 * HOST PORT or a URL, through the configured proxy as the module does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "config.h"
#include "connectivity.h"
#include "tool.h"

static enum cmd_retval	 testconn_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_testconn_entry = {
	.name = "testconn",
	.number = 0,
	.title = "Test the connection to a target",
	.usage = "testconn HOST [PORT] | URL",
	/* With a proxy password, the proxy helper runs it for us. */
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = testconn_cli,
	.help = "HOST PORT: a TCP connection. HOST alone or an https:// URL:\n"
	    "TCP, TLS with the certificate checked, and an HTTP request.\n"
	    "Exit status 2 when the test failed.\n"
	    "Examples:\n  testconn example.com 443\n"
	    "  testconn https://example.com/health\n"
};

static enum cmd_retval
testconn_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conn_report	 rep;
	struct conn_target	 t;
	char			*cause = NULL, *text, *one[1];
	enum cmd_retval		 ret;

	if (argc != 2 && argc != 3)
		return (cmd_usage_error(ctx, &cmd_testconn_entry));
	if (conn_target_parse(argv[1], argc == 3 ? argv[2] : NULL, &t,
	    &cause) == -1) {
		(void)cmd_refuse(ctx, "%s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	one[0] = t.spec;
	if (conn_run(&ctx->config->conn, one, 1, 0, NULL, NULL, &rep,
	    &cause) == -1) {
		(void)cmd_error(ctx, "%s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	text = conn_report_text(&rep);
	fputs(text, ctx->out);
	free(text);
	ret = rep.passed == rep.n ? CMD_RETURN_OK : CMD_RETURN_FAILED;
	conn_report_free(&rep);
	return (ret);
}
