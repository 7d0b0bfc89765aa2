/* SPDX-License-Identifier: ISC */
/*
 * Module 600, the audit trail: `audit show` lists the records the root
 * helpers wrote in the chained trail (read directly: the audit group may
 * read it), newest first, filtered by time and word; `audit verify` has
 * console-helper-audit check the chain against the root-only head and
 * names the first record that does not match. The Audit screen is a
 * filter form over a scrollable viewer of the same records.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "auditlog.h"
#include "cmd.h"
#include "helper.h"
#include "paths.h"
#include "priv.h"
#include "text.h"
#include "trail.h"
#include "ui.h"
#include "valid.h"
#include "xmalloc.h"

#define AUDIT_TITLE	"600 Audit Trail"
#define AUDIT_WORD_MAX	64
#define AUDIT_TUI_MAX	5000	/* records on the screen */
#define AUDIT_HELPER_MS	30000

static enum cmd_retval	 audit_tui(struct cmd_ctx *);
static enum cmd_retval	 audit_show(struct cmd_ctx *, int, char **);
static enum cmd_retval	 audit_verify(struct cmd_ctx *, int, char **);
static int		 audit_word_valid(const char *, char **);
static int		 audit_load(time_t, const char *, size_t,
			    struct auditlog *, char **);

static const struct cmd_sub audit_subs[] = {
	{ "show", "show [--json] [--since TIME] [--grep WORD]", CMD_READONLY,
	    audit_show, "the records of the audit trail, newest first" },
	{ "verify", "verify [--json]", CMD_PRIV, audit_verify,
	    "check the trail's hash chain; name the first record that does "
	    "not match" },
	{ NULL, NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.number = 600,
	.title = "Audit trail",
	/* verify reads the root-only head through the audit helper. */
	.flags = CMD_PRIV,
	.tui = audit_tui,
	.subs = audit_subs,
	.sub_default = "show",
	.help = "audit show lists who changed what, from where, and how it "
	    "ended,\nas recorded by the privileged helpers; audit verify "
	    "checks that no\nrecord was changed, inserted or deleted.\n"
	    "Examples: audit show --grep network, audit show --since "
	    "2027-03-01T00:00:00Z\n"
};

/* A word to look for: printable, bounded (the tokenizer made it ASCII). */
static int
audit_word_valid(const char *s, char **cause)
{
	if (strlen(s) == 0 || strlen(s) > AUDIT_WORD_MAX) {
		if (cause != NULL)
			xasprintf(cause, "a word of 1 to %d characters",
			    AUDIT_WORD_MAX);
		return (-1);
	}
	return (0);
}

static int
audit_load(time_t since, const char *word, size_t max, struct auditlog *al,
    char **cause)
{
	char	 path[PATH_MAX];

	if (paths_get(path, sizeof path, PATH_TRAIL_LOG) == -1) {
		xasprintf(cause, "the trail's path is too long");
		return (-1);
	}
	return (auditlog_load(path, since, word, max, al, cause));
}

static enum cmd_retval
audit_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct auditlog	 al;
	const char	*word = NULL;
	char		*cause = NULL, *out;
	time_t		 since = 0;
	int		 json = 0, i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && !json)
			json = 1;
		else if (strcmp(argv[i], "--since") == 0 && i + 1 < argc &&
		    since == 0) {
			if (valid_datetime(argv[++i], &since, &cause) == -1) {
				(void)cmd_refuse(ctx, "--since: %s", cause);
				free(cause);
				return (CMD_RETURN_ERROR);
			}
		} else if (strcmp(argv[i], "--grep") == 0 && i + 1 < argc &&
		    word == NULL) {
			if (audit_word_valid(argv[++i], &cause) == -1) {
				(void)cmd_refuse(ctx, "--grep: %s", cause);
				free(cause);
				return (CMD_RETURN_ERROR);
			}
			word = argv[i];
		} else
			return (cmd_usage_error(ctx, &cmd_audit_entry));
	}
	if (audit_load(since, word, 0, &al, &cause) == -1) {
		(void)cmd_error(ctx, "%s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	out = json ? auditlog_json(&al) : auditlog_text(&al);
	fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
	free(out);
	auditlog_free(&al);
	return (CMD_RETURN_OK);
}

static enum cmd_retval
audit_verify(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct priv_result	 res;
	char			 problem[16], msg[256];
	long long		 line, seq, records;
	json_t			*o;
	char			*s;
	int			 json = 0;
	enum cmd_retval		 ret;

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		json = 1;
	else if (argc != 2)
		return (cmd_usage_error(ctx, &cmd_audit_entry));
	if (priv_verb(&auditlog_verbs, AUDITLOG_V_VERIFY, NULL, NULL,
	    AUDIT_HELPER_MS, &res) == -1) {
		(void)cmd_error(ctx, "%s", res.message);
		priv_result_free(&res);
		return (CMD_RETURN_ERROR);
	}
	if (res.out == NULL || sscanf(res.out, "%15s %lld %lld %lld %255[^\n]",
	    problem, &line, &seq, &records, msg) != 5) {
		priv_result_free(&res);
		return (cmd_error(ctx, "the audit helper gave no answer"));
	}
	priv_result_free(&res);
	ret = strcmp(problem, "ok") == 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED;
	if (json) {
		o = json_pack("{s:b, s:s, s:I, s:I, s:I, s:s}", "ok",
		    ret == CMD_RETURN_OK, "problem", problem, "records",
		    (json_int_t)records, "line", (json_int_t)line, "seq",
		    (json_int_t)seq, "message", msg);
		s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		fprintf(ctx->out, "%s\n", s != NULL ? s : "{}");
		free(s);
		json_decref(o);
	} else if (ret == CMD_RETURN_OK)
		fprintf(ctx->out, "The audit trail holds: %s.\n", msg);
	else
		fprintf(ctx->out, "The audit trail does not hold: %s.\n", msg);
	if (ret != CMD_RETURN_OK)
		(void)cmd_fail(ctx, "the chain is broken: %s", msg);
	return (ret);
}

static enum cmd_retval
audit_tui(struct cmd_ctx *ctx)
{
	struct auditlog	 al;
	struct ui_field	 f;
	char		 word[AUDIT_WORD_MAX + 1] = "", *cause = NULL, *text;
	char		*page;
	int		 u;

	(void)ctx;
	for (;;) {
		memset(&f, 0, sizeof f);
		f.label = "Filter";
		f.value = word;
		f.size = sizeof word;
		f.valid = audit_word_valid;
		f.blank = "all";
		u = ui_form(AUDIT_TITLE, &f, 1);
		if (ui_session_over(u))
			return (CMD_RETURN_EXIT);
		if (u != UI_OK)
			return (CMD_RETURN_OK);
		if (audit_load(0, word[0] != '\0' ? word : NULL, AUDIT_TUI_MAX,
		    &al, &cause) == -1) {
			u = ui_message(AUDIT_TITLE, cause);
			free(cause);
			return (ui_session_over(u) ? CMD_RETURN_EXIT :
			    CMD_RETURN_ERROR);
		}
		text = auditlog_text(&al);
		xasprintf(&page, "%zu record%s%s%s, newest first\n\n%s", al.n,
		    al.n == 1 ? "" : "s", word[0] != '\0' ? " with " : "",
		    word, text);
		free(text);
		auditlog_free(&al);
		u = ui_view(AUDIT_TITLE, page);
		free(page);
		if (ui_session_over(u))
			return (CMD_RETURN_EXIT);
	}
}
