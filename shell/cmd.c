/* SPDX-License-Identifier: ISC */
/*
 * The command table and what is generated from it: CLI dispatch with
 * unambiguous-prefix lookup, sub-command tables, help, the one report
 * path of every command, and the drop-in items of commands.d. Flags and
 * module visibility are enforced here, in one place, and every CLI
 * command is audited here.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "priv.h"
#include "text.h"
#include "ui.h"
#include "xmalloc.h"

#ifndef CONSOLE_VERSION
#define CONSOLE_VERSION	"0.1.0"
#endif

#define CMD_DROPINS_MAX	32

static enum cmd_retval	 cmd_help_cli(struct cmd_ctx *, int, char **);
static enum cmd_retval	 cmd_version_cli(struct cmd_ctx *, int, char **);
static int		 cmd_dropin_cmp(const void *, const void *);
static int		 cmd_dropin_name(const char *, int *);
static int		 cmd_ask(struct cmd_ctx *, const struct cmd_entry *,
			     const struct cmd_sub *);

extern const struct cmd_entry	 cmd_proxy_entry;
extern const struct cmd_entry	 cmd_network_entry;
extern const struct cmd_entry	 cmd_connectivity_entry;
extern const struct cmd_entry	 cmd_audit_entry;
extern const struct cmd_entry	 cmd_resources_entry;
extern const struct cmd_entry	 cmd_time_entry;
extern const struct cmd_entry	 cmd_prompt_entry;
extern const struct cmd_entry	 cmd_exit_entry;
extern const struct cmd_entry	 cmd_ifconfig_entry;
extern const struct cmd_entry	 cmd_ip_entry;
extern const struct cmd_entry	 cmd_iptables_entry;
extern const struct cmd_entry	 cmd_man_entry;
extern const struct cmd_entry	 cmd_passwd_entry;
extern const struct cmd_entry	 cmd_ping_entry;
extern const struct cmd_entry	 cmd_resolve_entry;
extern const struct cmd_entry	 cmd_save_iptables_entry;
extern const struct cmd_entry	 cmd_save_routing_table_entry;
extern const struct cmd_entry	 cmd_ssh_unlock_entry;
extern const struct cmd_entry	 cmd_testconn_entry;

#define CMD_HELP_HELP \
	"Without a command, lists every command with one line each. With\n" \
	"one (or an unambiguous prefix), shows its usage and examples.\n" \
	"Examples:\n  help\n  help ip\n  h ping\n"

/* Every command name and alias: the keywords of CMD_ARG_CMD commands. */
static const char	*cmd_names[48];

static const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = "h",
	.number = 0,
	.title = "List the commands",
	.usage = "help [CMD]",
	.flags = CMD_READONLY|CMD_ARG_CMD,
	.tui = NULL,
	.cli = cmd_help_cli,
	.help = CMD_HELP_HELP
};

static const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.number = 0,
	.title = "Show the console's version",
	.usage = "version",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = cmd_version_cli
};

/* Modules in menu order, then the CLI-only commands. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_proxy_entry,
	&cmd_network_entry,
	&cmd_connectivity_entry,
	&cmd_resources_entry,
	&cmd_time_entry,
	&cmd_prompt_entry,
	&cmd_audit_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	&cmd_exit_entry,
	&cmd_ifconfig_entry,
	&cmd_ip_entry,
	&cmd_iptables_entry,
	&cmd_man_entry,
	&cmd_passwd_entry,
	&cmd_ping_entry,
	&cmd_resolve_entry,
	&cmd_save_iptables_entry,
	&cmd_save_routing_table_entry,
	&cmd_ssh_unlock_entry,
	&cmd_testconn_entry,
	NULL
};

const char *const *
cmd_keywords(const struct cmd_entry *ce)
{
	const struct cmd_entry	*const *e;
	size_t			 n = 0, max;

	if ((ce->flags & CMD_ARG_CMD) == 0)
		return (ce->keywords);
	max = sizeof cmd_names / sizeof cmd_names[0] - 1;
	if (cmd_names[0] == NULL) {
		for (e = cmd_table; *e != NULL && n < max; e++) {
			cmd_names[n++] = (*e)->name;
			if ((*e)->alias != NULL && n < max)
				cmd_names[n++] = (*e)->alias;
		}
		cmd_names[n] = NULL;
	}
	return (cmd_names);
}

int
cmd_visible(const struct config *cfg, const struct cmd_entry *ce)
{
	return ((ce->cli != NULL || ce->subs != NULL) && (cfg == NULL ||
	    !config_module_hidden(cfg, ce->name)));
}

const struct cmd_entry *
cmd_find(const struct config *cfg, const char *name, char **cause)
{
	const struct cmd_entry	*const *ce, *found = NULL;
	struct text_buf		 cand;
	size_t			 len = strlen(name);
	int			 n = 0;
	char			*safe;

	for (ce = cmd_table; *ce != NULL; ce++) {
		if (strcmp((*ce)->name, name) == 0 ||
		    ((*ce)->alias != NULL && strcmp((*ce)->alias, name) == 0))
			return (*ce);
	}
	/* A hidden module is neither a candidate nor named. */
	text_buf_init(&cand, 512);
	for (ce = cmd_table; len > 0 && *ce != NULL; ce++) {
		if (strncmp((*ce)->name, name, len) == 0 &&
		    cmd_visible(cfg, *ce)) {
			text_buf_printf(&cand, "%s%s", n ? ", " : "",
			    (*ce)->name);
			found = *ce;
			n++;
		}
	}
	if (n == 1) {
		text_buf_free(&cand);
		return (found);
	}
	if (cause == NULL) {
		text_buf_free(&cand);
		return (NULL);
	}
	safe = text_sanitize(name, len);
	if (n == 0)
		xasprintf(cause, "unknown command '%s'; type 'help' for the "
		    "list", safe);
	else
		xasprintf(cause, "ambiguous command '%s': it could be %s",
		    safe, cand.data);
	free(safe);
	text_buf_free(&cand);
	return (NULL);
}

int
cmd_module_index(const char *word)
{
	const struct cmd_entry	*const *ce;
	char			 num[16];
	int			 idx;

	for (ce = cmd_table, idx = 0; *ce != NULL; ce++, idx++) {
		xsnprintf(num, sizeof num, "%d", (*ce)->number);
		if (strcmp(word, (*ce)->name) == 0 ||
		    ((*ce)->number != 0 && strcmp(word, num) == 0))
			return (idx);
	}
	return (-1);
}

/*
 * Put flags in force for what runs next: the name its reports carry, and
 * priv.c's refusal unless it is CMD_PRIV (a read-only command, or one
 * that changes things without a helper: passwd). *was gets the gate to
 * put back after it.
 */
static void
cmd_enter(struct cmd_ctx *ctx, const char *name, int flags,
    struct priv_gate *was)
{
	struct priv_gate	 gate;

	ctx->name = name;
	ctx->flags = flags;
	gate.who = (flags & CMD_PRIV) ? NULL : name;
	gate.readonly = (flags & CMD_READONLY) != 0;
	priv_gate(&gate, was);
}

/* Take --yes out of argv (a CMD_CONFIRM command's consent); its count. */
static int
cmd_take_yes(int *argc, char **argv)
{
	int	 i, j, n = 0;

	for (i = 1; i < *argc; i++)
		n += strcmp(argv[i], "--yes") == 0;
	if (n == 0)
		return (0);
	for (i = j = 0; i < *argc; i++) {
		if (i == 0 || strcmp(argv[i], "--yes") != 0)
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argc = j;
	return (n);
}

int
cmd_run_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct text_buf		 line;
	enum cmd_retval		 r;
	struct priv_gate	 was;
	char			*cause = NULL;
	int			 i;

	ctx->name = NULL;
	ctx->flags = 0;
	ctx->yes = 0;
	if (argc < 1)
		return (cmd_refuse(ctx, "no command given; type 'help' for "
		    "the list"));
	text_buf_init(&line, 512);
	for (i = 0; i < argc; i++)
		text_buf_printf(&line, "%s%s", i ? " " : "", argv[i]);

	if ((ce = cmd_find(ctx->config, argv[0], &cause)) == NULL) {
		fprintf(ctx->err, "%s\n", cause);
		audit_logf("refused", "cli %s", line.data);
		free(cause);
		text_buf_free(&line);
		return (CMD_RETURN_ERROR);
	}
	if (!cmd_visible(ctx->config, ce)) {
		fprintf(ctx->err, "the %s module is not available on this "
		    "appliance\n", ce->name);
		audit_logf("refused", "cli %s", line.data);
		text_buf_free(&line);
		return (CMD_RETURN_ERROR);
	}
	cmd_enter(ctx, ce->name, ce->flags, &was);
	r = ce->subs != NULL ? cmd_sub_run(ctx, ce, argc, argv) :
	    ce->cli(ctx, argc, argv);
	priv_gate(&was, NULL);
	fflush(ctx->out);
	audit_logf(r == CMD_RETURN_OK ? "ok" : r == CMD_RETURN_FAILED ?
	    "failed" : "error", "cli %s", line.data);
	text_buf_free(&line);
	return (r == CMD_RETURN_EXIT ? CMD_RETURN_OK : (int)r);
}

enum cmd_retval
cmd_run_tui(struct cmd_ctx *ctx, const struct cmd_entry *ce)
{
	struct priv_gate	 was;
	enum cmd_retval		 r;

	ctx->yes = 0;
	cmd_enter(ctx, ce->name, ce->flags, &was);
	r = ce->tui(ctx);
	priv_gate(&was, NULL);
	return (r);
}

/*
 * A CMD_CONFIRM row asks: on the screen at the prompt, else on the
 * terminal (y to go ahead, as time sync asks). 1 to go ahead.
 */
static int
cmd_ask(struct cmd_ctx *ctx, const struct cmd_entry *ce,
    const struct cmd_sub *sub)
{
	char	*q, line[16];
	int	 u;

	if (!ctx->prompt) {
		fprintf(ctx->out, "%s %s: %s. Go ahead? [y/N] ", ce->name,
		    sub->name, sub->help);
		fflush(ctx->out);
		if (fgets(line, sizeof line, stdin) == NULL) {
			clearerr(stdin);
			return (0);
		}
		return (line[0] == 'y' || line[0] == 'Y');
	}
	xasprintf(&q, "%s %s: %s.\n\nGo ahead?", ce->name, sub->name,
	    sub->help);
	ui_resume();
	u = ui_confirm(ce->title, q);
	ui_suspend();
	free(q);
	if (u == UI_IDLE || u == UI_HANGUP)
		ctx->leave = CMD_LEAVE_SESSION;
	return (u);
}

enum cmd_retval
cmd_sub_run(struct cmd_ctx *ctx, const struct cmd_entry *ce, int argc,
    char **argv)
{
	const struct cmd_sub	*sub;
	const char		*word, *name;
	struct priv_gate	 was;
	char			*dflt[3];
	enum cmd_retval		 r;
	int			 yes, flags;

	if (argc < 2 && ce->sub_default != NULL) {
		dflt[0] = argv[0];
		dflt[1] = (char *)ce->sub_default;
		dflt[2] = NULL;
		argv = dflt;
		argc = 2;
	}
	word = argc >= 2 ? argv[1] : "";
	for (sub = ce->subs; sub->name != NULL; sub++) {
		if (strcmp(sub->name, word) == 0)
			break;
	}
	if (sub->name == NULL)
		return (cmd_usage_error(ctx, ce));
	/* A row without CMD_CONFIRM reads its own words (sync's --yes). */
	yes = (sub->flags & CMD_CONFIRM) ? cmd_take_yes(&argc, argv) : 0;
	if ((sub->flags & CMD_CONFIRM) && !yes && !ctx->yes) {
		ctx->name = ce->name;
		if (!ctx->prompt && !isatty(STDIN_FILENO))
			return (cmd_refuse(ctx, "'%s %s' asks before it runs: "
			    "add --yes to go ahead", ce->name, sub->name));
		if (cmd_ask(ctx, ce, sub) != 1)
			return (cmd_refuse(ctx, "not done"));
		yes = 1;
	}
	/* ip runs network's rows: its own name and flags come back after. */
	name = ctx->name;
	flags = ctx->flags;
	cmd_enter(ctx, ce->name, sub->flags, &was);
	ctx->yes = yes;
	r = sub->fn(ctx, argc, argv);
	priv_gate(&was, NULL);
	ctx->name = name;
	ctx->flags = flags;
	return (r);
}

static void
cmd_print_usage(FILE *f, const struct cmd_entry *ce)
{
	const struct cmd_sub	*sub;
	const char		*p, *nl;
	int			 first = 1;

	if (ce->subs == NULL) {
		fprintf(f, "usage: %s\n", ce->usage);
		return;
	}
	/* One line per row, and per alternative of a row ('\n'). */
	for (sub = ce->subs; sub->name != NULL; sub++) {
		for (p = sub->usage; p != NULL; p = nl != NULL ? nl + 1 :
		    NULL) {
			nl = strchr(p, '\n');
			fprintf(f, "%s %s %.*s\n", first ? "usage:" : "      ",
			    ce->name, nl != NULL ? (int)(nl - p) :
			    (int)strlen(p), p);
			first = 0;
		}
	}
}

static void
cmd_vreport(struct cmd_ctx *ctx, const char *kind, const char *fmt,
    va_list ap)
{
	const char	*name = ctx->name;
	char		*msg, *safe;

	xvasprintf(&msg, fmt, ap);
	safe = text_sanitize(msg, strlen(msg));
	/* A grammar's sentence may name the command already, or be usage. */
	if (strncmp(safe, "usage: ", 7) == 0 || (name != NULL &&
	    strncmp(safe, name, strlen(name)) == 0 &&
	    safe[strlen(name)] == ':'))
		name = NULL;
	if (name != NULL)
		fprintf(ctx->err, "%s: %s\n", name, safe);
	else
		fprintf(ctx->err, "%s\n", safe);
	if (kind != NULL)
		audit_logf(kind, "%s%s%s", ctx->name != NULL ? ctx->name : "",
		    ctx->name != NULL ? ": " : "", safe);
	free(safe);
	free(msg);
}

enum cmd_retval
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreport(ctx, "error", fmt, ap);
	va_end(ap);
	return (CMD_RETURN_ERROR);
}

enum cmd_retval
cmd_refuse(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreport(ctx, "refused", fmt, ap);
	va_end(ap);
	return (CMD_RETURN_ERROR);
}

enum cmd_retval
cmd_fail(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreport(ctx, "failed", fmt, ap);
	va_end(ap);
	return (CMD_RETURN_FAILED);
}

void
cmd_info(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreport(ctx, NULL, fmt, ap);
	va_end(ap);
}

enum cmd_retval
cmd_usage_error(struct cmd_ctx *ctx, const struct cmd_entry *ce)
{
	cmd_print_usage(ctx->err, ce);
	return (CMD_RETURN_ERROR);
}

static void
cmd_print_help(FILE *f, const struct cmd_entry *ce)
{
	const struct cmd_sub	*sub;

	cmd_print_usage(f, ce);
	fprintf(f, "%s\n", ce->title);
	if (ce->alias != NULL)
		fprintf(f, "Also: %s\n", ce->alias);
	for (sub = ce->subs; sub != NULL && sub->name != NULL; sub++)
		fprintf(f, "  %-10s %s%s\n", sub->name, sub->help,
		    (sub->flags & CMD_CONFIRM) ? " (needs --yes)" : "");
	fputs(ce->help != NULL ? ce->help : "", f);
}

static enum cmd_retval
cmd_help_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*const *ce, *one;
	const struct cmd_sub	*sub;
	struct text_buf		 left;
	char			*cause = NULL;

	if (argc > 2)
		return (cmd_usage_error(ctx, &cmd_help_entry));
	if (argc == 2) {
		if ((one = cmd_find(ctx->config, argv[1], &cause)) == NULL ||
		    !cmd_visible(ctx->config, one)) {
			cmd_refuse(ctx, "%s", cause != NULL ? cause :
			    "that module is not available on this appliance");
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		cmd_print_help(ctx->out, one);
		return (CMD_RETURN_OK);
	}
	/* One line each: the usage, or a module's sub-commands by name. */
	fprintf(ctx->out, "Commands:\n");
	text_buf_init(&left, 256);
	for (ce = cmd_table; *ce != NULL; ce++) {
		if (!cmd_visible(ctx->config, *ce))
			continue;
		left.len = 0;
		if ((*ce)->subs == NULL)
			text_buf_printf(&left, "%s", (*ce)->usage);
		else if ((*ce)->subs[1].name == NULL)
			text_buf_printf(&left, "%s %s", (*ce)->name,
			    (*ce)->subs[0].usage);
		else {
			text_buf_printf(&left, "%s ", (*ce)->name);
			for (sub = (*ce)->subs; sub->name != NULL; sub++)
				text_buf_printf(&left, "%s%s", sub ==
				    (*ce)->subs ? "" : "|", sub->name);
		}
		fprintf(ctx->out, "  %-34s %s\n", left.data, (*ce)->title);
	}
	text_buf_free(&left);
	return (CMD_RETURN_OK);
}

static enum cmd_retval
cmd_version_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return (cmd_usage_error(ctx, &cmd_version_entry));
	fprintf(ctx->out, "appliance-console %s\n", CONSOLE_VERSION);
	return (CMD_RETURN_OK);
}

/* "NNN-name": NNN in 100..999, name of [a-z0-9-] not ending in '-'. */
static int
cmd_dropin_name(const char *name, int *number)
{
	size_t	 i, len = strlen(name);

	if (len < 5 || len > 64)
		return (-1);
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)name[i]))
			return (-1);
	}
	if (name[0] == '0' || name[3] != '-' || name[len - 1] == '-')
		return (-1);
	for (i = 4; i < len; i++) {
		if (!(islower((unsigned char)name[i]) ||
		    isdigit((unsigned char)name[i]) || name[i] == '-'))
			return (-1);
	}
	*number = (name[0] - '0') * 100 + (name[1] - '0') * 10 +
	    (name[2] - '0');
	return (0);
}

static int
cmd_dropin_cmp(const void *a, const void *b)
{
	const struct cmd_dropin	*da = a, *db = b;

	return (da->number - db->number);
}

int
cmd_dropins_scan(const char *dir, struct cmd_dropin **out)
{
	const struct cmd_entry	*const *ce;
	struct cmd_dropin	*list = NULL;
	struct dirent		*de;
	struct stat		 st;
	DIR			*d;
	int			 n = 0, number, clash, dfd;
	char			*title;
	size_t			 i;

	*out = NULL;
	if ((d = opendir(dir)) == NULL)
		return (0);
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL && n < CMD_DROPINS_MAX) {
		if (cmd_dropin_name(de->d_name, &number) == -1)
			continue;
		/*
		 * Only a regular executable that only root (or we) can
		 * change: a writable drop-in would be a way in.
		 */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0 ||
		    (st.st_mode & 022) != 0 ||
		    (st.st_uid != 0 && st.st_uid != geteuid()))
			continue;
		clash = 0;
		for (ce = cmd_table; *ce != NULL; ce++)
			clash |= (*ce)->number == number;
		for (i = 0; i < (size_t)n; i++)
			clash |= list[i].number == number;
		if (clash)
			continue;
		list = xreallocarray(list, n + 1, sizeof *list);
		list[n].number = number;
		title = xstrdup(de->d_name + 4);
		for (i = 0; title[i] != '\0'; i++) {
			if (title[i] == '-')
				title[i] = ' ';
		}
		title[0] = (char)toupper((unsigned char)title[0]);
		list[n].title = title;
		xasprintf(&list[n].path, "%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(list, n, sizeof *list, cmd_dropin_cmp);
	*out = list;
	return (n);
}

void
cmd_dropins_free(struct cmd_dropin *list, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(list[i].title);
		free(list[i].path);
	}
	free(list);
}
