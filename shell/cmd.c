/* SPDX-License-Identifier: ISC */
/*
 * The command table and what is generated from it: CLI dispatch with
 * unambiguous-prefix lookup, help, and the drop-in items of commands.d.
 * Flags and module visibility are enforced here, in one place, and every
 * CLI command is audited here.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "text.h"
#include "xmalloc.h"

#ifndef CONSOLE_VERSION
#define CONSOLE_VERSION	"0.1.0"
#endif

#define CMD_DROPINS_MAX	32

static enum cmd_retval	 cmd_help_cli(struct cmd_ctx *, int, char **);
static enum cmd_retval	 cmd_version_cli(struct cmd_ctx *, int, char **);
static int		 cmd_dropin_cmp(const void *, const void *);
static int		 cmd_dropin_name(const char *, int *);

extern const struct cmd_entry	 cmd_proxy_entry;
extern const struct cmd_entry	 cmd_network_entry;
extern const struct cmd_entry	 cmd_connectivity_entry;
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

/* Every command name: the keywords of CMD_ARG_CMD commands. */
static const char	*cmd_names[48];

static const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.number = 0,
	.title = "List the commands",
	.usage = "help [CMD]",
	.flags = CMD_READONLY|CMD_ARG_CMD,
	.tui = NULL,
	.cli = cmd_help_cli,
	.help = CMD_HELP_HELP
};

static const struct cmd_entry cmd_h_entry = {
	.name = "h",
	.number = 0,
	.title = "Same as help",
	.usage = "h [CMD]",
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
	&cmd_help_entry,
	&cmd_h_entry,
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
	size_t			 n = 0;

	if ((ce->flags & CMD_ARG_CMD) == 0)
		return (ce->keywords);
	if (cmd_names[0] == NULL) {
		for (e = cmd_table; *e != NULL && n + 1 <
		    sizeof cmd_names / sizeof cmd_names[0]; e++)
			cmd_names[n++] = (*e)->name;
		cmd_names[n] = NULL;
	}
	return (cmd_names);
}

const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	*const *ce, *found = NULL;
	struct text_buf		 cand;
	size_t			 len = strlen(name);
	int			 n = 0;
	char			*safe;

	for (ce = cmd_table; *ce != NULL; ce++) {
		if (strcmp((*ce)->name, name) == 0)
			return (*ce);
	}
	text_buf_init(&cand, 512);
	for (ce = cmd_table; len > 0 && *ce != NULL; ce++) {
		if (strncmp((*ce)->name, name, len) == 0) {
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

static int
cmd_hidden(const struct cmd_ctx *ctx, const struct cmd_entry *ce)
{
	return (ctx->config != NULL &&
	    config_module_hidden(ctx->config, ce->name));
}

int
cmd_run_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct text_buf		 line;
	enum cmd_retval		 r;
	char			*cause = NULL;
	int			 i;

	if (argc < 1) {
		fprintf(ctx->err, "no command given; type 'help' for the "
		    "list\n");
		return (CMD_RETURN_ERROR);
	}
	text_buf_init(&line, 512);
	for (i = 0; i < argc; i++)
		text_buf_printf(&line, "%s%s", i ? " " : "", argv[i]);

	if ((ce = cmd_find(argv[0], &cause)) == NULL) {
		fprintf(ctx->err, "%s\n", cause);
		audit_logf("refused", "cli %s", line.data);
		free(cause);
		text_buf_free(&line);
		return (CMD_RETURN_ERROR);
	}
	if (ce->cli == NULL || cmd_hidden(ctx, ce)) {
		fprintf(ctx->err, "the %s module is not available on this "
		    "appliance\n", ce->name);
		audit_logf("refused", "cli %s", line.data);
		text_buf_free(&line);
		return (CMD_RETURN_ERROR);
	}
	r = ce->cli(ctx, argc, argv);
	fflush(ctx->out);
	audit_logf(r == CMD_RETURN_OK ? "ok" : r == CMD_RETURN_FAILED ?
	    "failed" : "error", "cli %s", line.data);
	text_buf_free(&line);
	return (r == CMD_RETURN_EXIT ? CMD_RETURN_OK : (int)r);
}

static enum cmd_retval
cmd_help_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*const *ce, *one;
	char			*cause = NULL;

	if (argc > 2) {
		fprintf(ctx->err, "usage: %s\n", cmd_help_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (argc == 2) {
		if ((one = cmd_find(argv[1], &cause)) == NULL ||
		    one->cli == NULL || cmd_hidden(ctx, one)) {
			fprintf(ctx->err, "help: %s\n", cause != NULL ? cause :
			    "that module is not available on this appliance");
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		fprintf(ctx->out, "usage: %s\n%s\n%s", one->usage, one->title,
		    one->help != NULL ? one->help : "");
		return (CMD_RETURN_OK);
	}
	fprintf(ctx->out, "Commands:\n");
	for (ce = cmd_table; *ce != NULL; ce++) {
		if ((*ce)->cli == NULL || cmd_hidden(ctx, *ce))
			continue;
		fprintf(ctx->out, "  %-34s %s\n", (*ce)->usage, (*ce)->title);
	}
	return (CMD_RETURN_OK);
}

static enum cmd_retval
cmd_version_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(ctx->err, "usage: %s\n", cmd_version_entry.usage);
		return (CMD_RETURN_ERROR);
	}
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
