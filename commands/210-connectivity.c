/* SPDX-License-Identifier: ISC */
/*
 * Module 210, Test Network Connectivity: the two faces of connectivity.c.
 * Both run bin/testconn (the engine, linked with libcurl so that the
 * console is not) and render its report: the CLI as text or JSON with
 * exit 0 all passed, 2 any failed, 1 usage; the TUI with a progress line
 * as targets finish and the report in a viewer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "connectivity.h"
#include "text.h"
#include "ui.h"
#include "xmalloc.h"

#define CONN_TITLE	"210 Test Network Connectivity"

static enum cmd_retval	 connectivity_tui(struct cmd_ctx *);
static enum cmd_retval	 connectivity_cli(struct cmd_ctx *, int, char **);
static void		 connectivity_progress(const char *, void *);
static int		 connectivity_valid(const char *, char **);

const struct cmd_entry cmd_connectivity_entry = {
	.name = "connectivity",
	.number = 210,
	.title = "Test network connectivity",
	.usage = "connectivity test [--json] [TARGET ...]",
	.flags = CMD_READONLY,
	.tui = connectivity_tui,
	.cli = connectivity_cli
};

static enum cmd_retval
connectivity_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conn_report	 rep;
	struct conn_target	 t;
	char			*cause = NULL, *out;
	int			 json = 0, first = 2, i;
	enum cmd_retval		 ret;

	if (argc >= 2 && strcmp(argv[1], "test") != 0) {
		fprintf(ctx->err, "usage: %s\n", cmd_connectivity_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (argc > 2 && strcmp(argv[2], "--json") == 0) {
		json = 1;
		first = 3;
	}
	/* Refused here, with the field named, before anything runs. */
	for (i = first; i < argc; i++) {
		if (conn_target_parse(argv[i], NULL, &t, &cause) == -1) {
			fprintf(ctx->err, "connectivity: target %d: %s\n",
			    i - first + 1, cause);
			free(cause);
			return (CMD_RETURN_ERROR);
		}
	}
	if (conn_run(&ctx->config->conn, argv + first, argc > first ?
	    argc - first : 0, 0, NULL, NULL, &rep, &cause) == -1) {
		fprintf(ctx->err, "connectivity: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	out = json ? conn_report_json(&rep) : conn_report_text(&rep);
	fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
	free(out);
	ret = rep.passed == rep.n ? CMD_RETURN_OK : CMD_RETURN_FAILED;
	conn_report_free(&rep);
	return (ret);
}

/* "3/20 PASSED https://..." on the bottom line as each target finishes. */
static void
connectivity_progress(const char *line, void *arg)
{
	(void)arg;
	ui_progress(line);
}

/* The form's field: one target (blank: the configured ones). */
static int
connectivity_valid(const char *s, char **cause)
{
	struct conn_target	 t;

	return (conn_target_parse(s, NULL, &t, cause));
}

static enum cmd_retval
connectivity_tui(struct cmd_ctx *ctx)
{
	struct conn_report	 rep;
	struct conn_target	*ts = NULL;
	struct ui_field		 f;
	char			 value[CONN_SPEC_MAX] = "", *cause = NULL;
	char			*text, *one[1];
	int			 u, n;

	n = conn_targets_from_config(&ctx->config->conn, NULL, &ts, &cause);
	free(ts);
	free(cause);
	cause = NULL;
	memset(&f, 0, sizeof f);
	f.label = n > 0 ? "Target" : "URL or HOST:PORT";
	f.value = value;
	f.size = sizeof value;
	f.valid = connectivity_valid;
	f.blank = n > 0 ? "config" : "none";
	u = ui_form(CONN_TITLE, &f, 1);
	if (ui_session_over(u))
		return (CMD_RETURN_EXIT);
	if (u != UI_OK)
		return (CMD_RETURN_OK);
	if (value[0] == '\0' && n <= 0) {
		u = ui_message(CONN_TITLE, "No targets are configured in "
		    "console.conf: type a URL or HOST:PORT.");
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	one[0] = value;
	ui_progress("Testing connectivity...");
	if (conn_run(&ctx->config->conn, one, value[0] != '\0', 0,
	    connectivity_progress, NULL, &rep, &cause) == -1) {
		u = ui_message(CONN_TITLE, cause);
		free(cause);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	text = conn_report_text(&rep);
	n = rep.passed == rep.n;
	conn_report_free(&rep);
	u = ui_view(CONN_TITLE, text);
	free(text);
	if (ui_session_over(u))
		return (CMD_RETURN_EXIT);
	return (n ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}
