/* SPDX-License-Identifier: ISC */
/*
 * Module 500, Command Prompt: leaves the menu for a line prompt,
 * "admin@HOST> ", read by shell/edit.c. Every line goes through the
 * same tokenizer (words_split) and command table (cmd_run_cli) as -c: a
 * refused line is audited here, an accepted one by cmd_run_cli. exit
 * returns to the menu; the idle timeout and a hang-up end the session.
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cmd.h"
#include "complete.h"
#include "config.h"
#include "edit.h"
#include "grammar.h"
#include "sig.h"
#include "text.h"
#include "ui.h"
#include "words.h"
#include "xmalloc.h"

static enum cmd_retval	 prompt_tui(struct cmd_ctx *);
static enum cmd_retval	 prompt_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_prompt_entry = {
	.name = "prompt",
	.number = 500,
	.title = "Command prompt",
	.usage = "prompt",
	.flags = CMD_READONLY,
	.tui = prompt_tui,
	.cli = prompt_cli,
	.help = "Menu item 500: a line prompt for the commands of 'help'.\n"
	    "Not a shell: words split on spaces, nothing expanded; a line\n"
	    "with any of ; | & $ ` < > ( ) { } \\ \" ' * ? [ ] ~ ! # or a\n"
	    "control byte is refused whole. Tab completes command words\n"
	    "and keywords, Up and Down recall lines, exit returns to the\n"
	    "menu.\n"
};

/* With -c or directly there is no prompt to start: run commands instead. */
static enum cmd_retval
prompt_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	(void)cmd_refuse(ctx, "the prompt is interactive (menu item "
	    "500); give the command itself instead");
	return (CMD_RETURN_ERROR);
}

static enum cmd_retval
prompt_tui(struct cmd_ctx *ctx)
{
	struct cmd_ctx	 pctx = *ctx;
	struct passwd	*pw;
	struct words	 w;
	struct edit	*e;
	char		 host[HOST_NAME_MAX + 1], *prompt, *line, *cause = NULL;
	char		*safe;
	int		 why, idle = ctx->config->idle_timeout;
	enum cmd_retval	 ret = CMD_RETURN_OK;

	if (gethostname(host, sizeof host) == -1)
		xsnprintf(host, sizeof host, "%s", "appliance");
	host[sizeof host - 1] = '\0';
	pw = getpwuid(getuid());
	safe = text_sanitize(host, strlen(host));
	xasprintf(&prompt, "%s@%s> ", pw != NULL ? pw->pw_name : "admin",
	    safe);
	free(safe);

	ui_suspend();
	printf("Command prompt: 'help' lists the commands, 'exit' returns to "
	    "the menu.\n");
	fflush(stdout);
	if ((e = edit_new(prompt, WORDS_LINE_MAX, prompt_complete,
	    &cause)) == NULL) {
		ui_resume();
		ui_message("500 Command prompt", cause);
		free(cause);
		free(prompt);
		return (CMD_RETURN_ERROR);
	}
	prompt_complete_config(ctx->config);
	pctx.prompt = 1;
	pctx.leave = 0;
	for (;;) {
		if ((line = edit_read(e, idle, &why)) == NULL) {
			if (why == EDIT_INTERRUPT)
				continue;
			if (why == EDIT_IDLE || why == EDIT_HANGUP ||
			    sig_hangup) {
				ret = CMD_RETURN_EXIT;
				break;
			}
			/* Ctrl-D: as exit. */
			fputc('\n', stdout);
			audit_log("ok", "prompt exit");
			break;
		}
		edit_history_add(e, line);
		if (words_split(line, &w, &cause) == -1) {
			fprintf(stderr, "%s\n", cause);
			safe = text_sanitize(line, strnlen(line, 200));
			audit_logf("refused", "prompt %s: %s", safe, cause);
			free(safe);
			free(cause);
			cause = NULL;
			free(line);
			continue;
		}
		free(line);
		if (w.argc > 0)
			(void)cmd_run_cli(&pctx, w.argc, w.argv);
		words_free(&w);
		fflush(stdout);
		fflush(stderr);
		if (sig_hangup || pctx.leave == CMD_LEAVE_SESSION) {
			ret = CMD_RETURN_EXIT;
			break;
		}
		if (pctx.leave == CMD_LEAVE_PROMPT)
			break;
	}
	edit_free(e);
	free(prompt);
	ui_resume();
	return (ret);
}
