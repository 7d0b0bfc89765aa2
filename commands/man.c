/* SPDX-License-Identifier: ISC */
/*
 * man: the console's own manual, appliance-console(8), compiled into the
 * binary (so it always matches the commands), rendered to plain text by
 * groff in safer mode with a fixed argv and the page on its stdin, cut to
 * the command's entries, and shown in the console's scrolling viewer. No
 * pager runs, so there is nothing to escape to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "man-page.h"	/* MAN_PAGE: man/appliance-console.8, generated */
#include "spawn.h"
#include "text.h"
#include "tool.h"
#include "ui.h"
#include "xmalloc.h"

#define MAN_TIMEOUT_MS	5000
#define MAN_INDENT	5	/* where groff -mdoc puts an item's head */

static enum cmd_retval	 man_cli(struct cmd_ctx *, int, char **);
static int		 man_is_head(const char *, size_t, const char *);
static char		*man_extract(const char *, const char *);

static const char *const	 man_groff[] = {
	"/usr/bin/groff", "/bin/groff", NULL
};

const struct cmd_entry cmd_man_entry = {
	.name = "man",
	.number = 0,
	.title = "Show a command's manual",
	.usage = "man [CMD]",
	.flags = CMD_READONLY|CMD_ARG_CMD,
	.tui = NULL,
	.cli = man_cli,
	.help = "The entries of appliance-console(8) for CMD, or the whole\n"
	    "page, in the console's viewer (arrows, PgUp/PgDn, q to leave).\n"
	    "Examples:\n  man ip\n  man\n"
};

/* Is line an item head "     NAME ..." (five spaces, then NAME)? */
static int
man_is_head(const char *line, size_t len, const char *name)
{
	size_t	 n = strlen(name);

	return (len >= MAN_INDENT + n && strspn(line, " ") == MAN_INDENT &&
	    strncmp(line + MAN_INDENT, name, n) == 0 &&
	    (len == MAN_INDENT + n || line[MAN_INDENT + n] == ' '));
}

/*
 * The entries of one command: each item head naming it and the lines
 * indented under it. NULL when the page has none.
 */
static char *
man_extract(const char *page, const char *name)
{
	struct text_buf	 b;
	const char	*p, *nl;
	size_t		 len;
	int		 in = 0, found = 0;

	text_buf_init(&b, 64 * 1024);
	for (p = page; *p != '\0'; p = nl + (*nl != '\0')) {
		nl = p + strcspn(p, "\n");
		len = (size_t)(nl - p);
		if (man_is_head(p, len, name))
			in = found = 1;
		else if (len > 0 && strspn(p, " ") <= MAN_INDENT)
			in = 0;
		if (in)
			text_buf_printf(&b, "%.*s\n", (int)len, p);
	}
	if (!found) {
		text_buf_free(&b);
		return (NULL);
	}
	return (text_buf_take(&b));
}

static enum cmd_retval
man_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const	 args[] = { "groff", "-S", "-Tascii",
	    "-mdoc", "-P-c", "-P-b", "-P-u", "-P-o", NULL };
	const struct cmd_entry		*ce = NULL;
	const char			*path;
	struct spawn_result		 res;
	char				*cause = NULL, *text = NULL, *part;
	char				 title[64];
	int				 u;
	enum cmd_retval			 ret = CMD_RETURN_ERROR;

	if (argc > 2)
		return (tool_usage(ctx, &cmd_man_entry));
	if (argc == 2 && (ce = cmd_find(argv[1], &cause)) == NULL) {
		fprintf(ctx->err, "man: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if ((path = spawn_find(man_groff)) == NULL) {
		fprintf(ctx->err, "man: groff is not installed\n");
		return (CMD_RETURN_ERROR);
	}
	if (spawn_run(&(struct spawn_req){ .path = path,
	    .argv = (char *const *)args, .stdin_data = MAN_PAGE,
	    .timeout_ms = MAN_TIMEOUT_MS }, &res, &cause) == -1) {
		fprintf(ctx->err, "man: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (!res.exited || res.exit_code != 0 || res.out == NULL) {
		fprintf(ctx->err, "man: the page could not be rendered\n");
		goto out;
	}
	text = text_sanitize_lines(res.out, res.out_len);
	if (ce != NULL && (part = man_extract(text, ce->name)) != NULL) {
		free(text);
		text = part;
	}
	if (xsnprintf(title, sizeof title, "appliance-console(8)%s%s",
	    ce != NULL ? ": " : "", ce != NULL ? ce->name : "") == -1)
		title[0] = '\0';
	if (!ctx->prompt) {
		fputs(text, ctx->out);
		ret = CMD_RETURN_OK;
		goto out;
	}
	ui_resume();
	u = ui_view(title, text);
	ui_suspend();
	if (ui_session_over(u))
		ctx->leave = CMD_LEAVE_SESSION;
	ret = CMD_RETURN_OK;
out:
	free(text);
	spawn_result_free(&res);
	return (ret);
}
