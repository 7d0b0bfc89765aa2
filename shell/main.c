/* SPDX-License-Identifier: ISC */
/*
 * appliance-console: the admin user's login shell. Decides between the
 * three forms a login shell is started in (interactive menu, -c CMD from
 * sshd, a direct CLI command), scrubs the environment, loads the config,
 * and runs the main menu built from the command table and commands.d.
 */
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "netlink.h"
#include "passwd.h"
#include "paths.h"
#include "priv.h"
#include "sig.h"
#include "spawn.h"
#include "text.h"
#include "ui.h"
#include "valid.h"
#include "words.h"
#include "xmalloc.h"

#define MAIN_ITEMS_MAX	48
#define MAIN_ENV_MAX	24
#define MAIN_ACCOUNT_MS	15000

static char	*main_env[MAIN_ENV_MAX];	/* what children may see */

static void	 main_scrub_env(void);
static int	 main_usage(void);
static int	 main_refuse(int, char **);
static int	 main_cli(struct config *, int, char **);
static int	 main_command_string(struct config *, const char *);
static int	 main_menu(struct config *);
static void	 main_header(const struct config *, char *, size_t, char *,
		     size_t);
static void	 main_ui_cleanup(void);
static int	 main_account(struct config *, int);

/* What the account helper said at login, for the header (known: 1). */
static struct account_status	 main_acct;
static int			 main_acct_known;

/*
 * Keep only a validated TERM and LANG/LC_*; everything else (LD_*,
 * TERMINFO, BASH_ENV, pagers, editors) goes. An unknown or missing TERM
 * becomes vt100: a login must never fail on the terminal type.
 */
static void
main_scrub_env(void)
{
	extern char	**environ;
	char		**e, *name, *eq;
	const char	 *term;
	int		  n = 0;

	term = getenv("TERM");
	if (term == NULL || valid_term(term) == -1)
		term = "vt100";
	xasprintf(&main_env[n++], "TERM=%s", term);
	xasprintf(&main_env[n++], "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
	for (e = environ; *e != NULL && n < MAIN_ENV_MAX - 1; e++) {
		if ((eq = strchr(*e, '=')) == NULL)
			continue;
		name = xstrndup(*e, (size_t)(eq - *e));
		if ((strcmp(name, "LANG") == 0 ||
		    (strncmp(name, "LC_", 3) == 0 && strlen(name) < 20 &&
		    strspn(name + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
		    strlen(name + 3))) && valid_locale(eq + 1) == 0)
			main_env[n++] = xstrdup(*e);
		/* no-color.org: present and not empty turns colour off. */
		else if (strcmp(name, "NO_COLOR") == 0 && eq[1] != '\0')
			main_env[n++] = xstrdup("NO_COLOR=1");
		free(name);
	}
	main_env[n] = NULL;
	clearenv();
	for (e = main_env; *e != NULL; e++) {
		eq = strchr(*e, '=');
		name = xstrndup(*e, (size_t)(eq - *e));
		setenv(name, eq + 1, 1);
		free(name);
	}
}

static int
main_usage(void)
{
	fprintf(stderr, "usage: appliance-console [-c 'COMMAND ARGS'] | "
	    "[COMMAND ARGS]\n");
	return (1);
}

/* Any other invocation is refused, and audited like a refused line. */
static int
main_refuse(int argc, char **argv)
{
	struct text_buf	 line;
	int		 i;

	text_buf_init(&line, 256);
	for (i = 1; i < argc && line.len < 200; i++)
		text_buf_printf(&line, "%s%.200s", i > 1 ? " " : "", argv[i]);
	audit_logf("refused", "argv %.200s", line.data != NULL ? line.data : "");
	text_buf_free(&line);
	return (main_usage());
}

static int
main_cli(struct config *cfg, int argc, char **argv)
{
	struct cmd_ctx	 ctx = { .config = cfg, .out = stdout,
	    .err = stderr };

	return (cmd_run_cli(&ctx, argc, argv));
}

/* -c CMD from sshd: the same tokenizer as the prompt, never a shell. */
static int
main_command_string(struct config *cfg, const char *line)
{
	static const char	*transfer[] = { "scp", "sftp-server",
	    "/usr/lib/openssh/sftp-server", "/usr/lib/sftp-server",
	    "internal-sftp", "rsync", NULL };
	struct words		 w;
	char			*cause = NULL;
	int			 i, r;

	if (words_split(line, &w, &cause) == -1) {
		fprintf(stderr, "appliance-console: %s\n", cause);
		audit_logf("refused", "-c %.200s", line);
		free(cause);
		return (1);
	}
	if (w.argc == 0) {
		words_free(&w);
		audit_logf("refused", "-c %.200s", line);
		return (main_usage());
	}
	for (i = 0; transfer[i] != NULL; i++) {
		if (strcmp(w.argv[0], transfer[i]) == 0) {
			fprintf(stderr, "appliance-console: file transfer "
			    "(%s) is not available on this appliance\n",
			    transfer[i]);
			audit_logf("refused", "-c %.200s", line);
			words_free(&w);
			return (1);
		}
	}
	r = main_cli(cfg, w.argc, w.argv);
	words_free(&w);
	return (r);
}

/* The two header lines under the appliance name. */
static void
main_header(const struct config *cfg, char *l1, size_t len1, char *l2,
    size_t len2)
{
	struct netlink_addr	*addrs = NULL;
	struct netlink_route	*routes = NULL;
	char			 host[HOST_NAME_MAX + 1], addr[80], gw[80];
	const struct cmd_entry	*const *ce;
	char			 sum[80], *cause = NULL;
	size_t			 used;
	int			 n, i, more = 0, pick = -1;
	int			 count = 0;

	if (gethostname(host, sizeof host) == -1)
		xsnprintf(host, sizeof host, "%s", "(unknown)");
	host[sizeof host - 1] = '\0';

	/* Prefer a global IPv4 address, then IPv6; say how many more. */
	addr[0] = '\0';
	if ((n = netlink_dump_addrs(&addrs, &cause)) == -1) {
		xsnprintf(addr, sizeof addr, "%s", "(cannot read)");
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < n; i++) {
		if (addrs[i].scope != 0 || strcmp(addrs[i].ifname, "lo") == 0)
			continue;
		if (pick == -1 || (addrs[i].family == AF_INET &&
		    addrs[pick].family != AF_INET))
			pick = i;
		count++;
	}
	if (pick != -1 && xsnprintf(addr, sizeof addr, "%s/%d (%s)",
	    addrs[pick].addr, addrs[pick].prefixlen, addrs[pick].ifname) == -1)
		xsnprintf(addr, sizeof addr, "%s", "?");
	more = count - 1;
	if (addr[0] == '\0')
		xsnprintf(addr, sizeof addr, "%s", "none");
	else if (more > 0) {
		size_t	 l = strlen(addr);

		xsnprintf(addr + l, sizeof addr - l, " +%d", more);
	}
	free(addrs);

	gw[0] = '\0';
	if ((n = netlink_dump_routes(&routes, &cause)) == -1) {
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < n && gw[0] == '\0'; i++) {
		if (routes[i].dst_len == 0 && routes[i].gateway[0] != '\0')
			xsnprintf(gw, sizeof gw, "%s (%s)", routes[i].gateway,
			    routes[i].ifname);
	}
	if (gw[0] == '\0')
		xsnprintf(gw, sizeof gw, "%s", "none");
	free(routes);

	if (xsnprintf(l1, len1, "Host: %-26.26s Address: %.40s", host,
	    addr) == -1)
		l1[0] = '\0';
	if (xsnprintf(l2, len2, "Gateway: %-23.40s", gw) == -1)
		l2[0] = '\0';
	/* Each module that has a word for the header says it. */
	for (ce = cmd_table; *ce != NULL; ce++) {
		if ((*ce)->summary == NULL)
			continue;
		sum[0] = '\0';
		(*ce)->summary(cfg, sum, sizeof sum);
		used = strlen(l2);
		if (sum[0] != '\0' && used < len2)
			(void)xsnprintf(l2 + used, len2 - used, " %s", sum);
	}
}

static void
main_ui_cleanup(void)
{
	ui_end();
}

/* Run a drop-in with the terminal handed over. */
static void
main_dropin(const struct cmd_dropin *d)
{
	struct spawn_result	 res;
	char			*argv[2] = { d->path, NULL }, *cause = NULL;

	ui_suspend();
	if (spawn_run(&(struct spawn_req){ .path = d->path, .argv = argv,
	    .envp = main_env, .interactive = 1 }, &res, &cause) == -1) {
		ui_resume();
		audit_logf("error", "menu %d %s", d->number, d->title);
		ui_message("Cannot run the item", cause);
		free(cause);
		return;
	}
	ui_resume();
	audit_logf(res.exited && res.exit_code == 0 ? "ok" : "failed",
	    "menu %d %s", d->number, d->title);
	spawn_result_free(&res);
}

/*
 * The login user's account before anything else is reachable: an
 * expired password is changed first (the menu's login, interactive) or
 * refuses the command (-c). The helper reads what admin cannot (the
 * shadow file, faillock's tallies); the login verb also makes this the
 * last login the header counts failures from. Root (the lab, tests) has
 * no such gate. 0 to go on, 1 to end the session.
 */
static int
main_account(struct config *cfg, int interactive)
{
	struct priv_result	 res;
	struct priv_gate	 was;
	struct cmd_ctx		 ctx = { .config = cfg, .out = stdout,
	    .err = stderr };
	char			*cause = NULL;
	int			 r;

	if (getuid() == 0)
		return (0);
	/* The login's account check: the one helper call outside a command. */
	priv_gate(&(struct priv_gate){ NULL, 0 }, &was);
	r = priv_verb(&account_verbs, interactive ? ACCOUNT_V_LOGIN :
	    ACCOUNT_V_STATUS, NULL, NULL, MAIN_ACCOUNT_MS, &res);
	priv_gate(&was, NULL);
	/* No answer: nothing to gate on (the helper logs why). */
	if (r == -1 || account_status_parse(res.out, &main_acct,
	    &cause) == -1) {
		free(cause);
		priv_result_free(&res);
		return (0);
	}
	priv_result_free(&res);
	main_acct_known = 1;
	if (main_acct.password != ACCOUNT_PW_EXPIRED)
		return (0);
	if (!interactive) {
		fprintf(stderr, "appliance-console: the password has expired: "
		    "log in with a terminal (ssh -t) to change it first\n");
		audit_log("refused", "-c: the password has expired");
		return (1);
	}
	if (passwd_change(&ctx, 1) == -1) {
		audit_log("failed", "expired password not changed: logout");
		return (1);
	}
	audit_log("ok", "expired password changed");
	main_acct.password = ACCOUNT_PW_OK;
	return (0);
}

static int
main_menu(struct config *cfg)
{
	const struct cmd_entry	*const *ce;
	const struct cmd_entry	*mods[MAIN_ITEMS_MAX];
	struct cmd_dropin	*drops = NULL;
	struct ui_menu_item	 items[MAIN_ITEMS_MAX];
	char			*labels[MAIN_ITEMS_MAX];
	const struct cmd_dropin	*dropof[MAIN_ITEMS_MAX];
	struct cmd_ctx		 ctx = { .config = cfg, .out = stdout,
	    .err = stderr };
	struct ui_menu		 m;
	char			 dir[PATH_MAX], h1[128], h2[128], h3[128];
	char			*cause = NULL;
	const char		*header[3] = { h1, h2, h3 };
	enum cmd_retval		 ret;
	int			 ndrops, n = 0, i, j, r, status = 0;

	if (paths_get(dir, sizeof dir, PATH_COMMANDS_D) == -1)
		dir[0] = '\0';
	ndrops = dir[0] != '\0' ? cmd_dropins_scan(dir, &drops) : 0;

	/* Modules and drop-ins merged in number order, then Exit. */
	ce = cmd_table;
	j = 0;
	while (n < MAIN_ITEMS_MAX - 1) {
		while (*ce != NULL && ((*ce)->tui == NULL ||
		    !cmd_visible(cfg, *ce)))
			ce++;
		if (*ce == NULL && j >= ndrops)
			break;
		if (*ce != NULL && (j >= ndrops ||
		    (*ce)->number < drops[j].number)) {
			mods[n] = *ce;
			dropof[n] = NULL;
			xasprintf(&labels[n], "%s", (*ce)->title);
			ce++;
		} else {
			mods[n] = NULL;
			dropof[n] = &drops[j];
			xasprintf(&labels[n], "%s", drops[j].title);
			j++;
		}
		items[n].key = n < 9 ? (char)('1' + n) : 0;
		items[n].label = labels[n];
		n++;
	}
	mods[n] = NULL;
	dropof[n] = NULL;
	labels[n] = xstrdup("Exit");
	items[n].key = '0';
	items[n].label = labels[n];
	n++;

	if (ui_start(&(struct ui_opts){ .idle_timeout = cfg->idle_timeout,
	    .ascii_borders = cfg->borders != NULL &&
	    strcmp(cfg->borders, "ascii") == 0,
	    .colour = cfg->colour == NULL || strcmp(cfg->colour, "never") != 0,
	    .escape_delay_ms = cfg->escape_delay_ms }, &cause) == -1) {
		fprintf(stderr, "appliance-console: %s\n", cause);
		free(cause);
		status = 1;
		goto out;
	}
	fatal_set_cleanup(main_ui_cleanup);
	audit_log("ok", "login");

	memset(&m, 0, sizeof m);
	m.title = cfg->name;
	m.header = header;
	m.nheader = 2;
	/* Failed logins since the last one: a line only when there were. */
	if (main_acct_known && (main_acct.failures > 0 ||
	    main_acct.ssh_locked)) {
		if (xsnprintf(h3, sizeof h3, "Failed logins since the last: "
		    "%d, last from %.52s%s", main_acct.failures,
		    main_acct.last_from[0] != '\0' ? main_acct.last_from : "?",
		    main_acct.ssh_locked ? "; SSH locked (ssh-unlock)" : "") ==
		    -1)
			h3[0] = '\0';
		m.nheader = 3;
	}
	m.warning = cfg->warning;
	m.items = items;
	m.nitems = n;
	for (;;) {
		main_header(cfg, h1, sizeof h1, h2, sizeof h2);
		r = ui_menu_run(&m);
		if (r == UI_IDLE) {
			audit_log("ok", "idle logout");
			ui_end();
			printf("Logged out after %d seconds without input.\n",
			    cfg->idle_timeout);
			break;
		}
		if (r == UI_HANGUP || sig_hangup) {
			audit_log("ok", "hang-up");
			break;
		}
		if (r == n - 1) {
			audit_log("ok", "logout");
			break;
		}
		if (dropof[r] != NULL) {
			main_dropin(dropof[r]);
			continue;
		}
		ret = cmd_run_tui(&ctx, mods[r]);
		audit_logf(ret == CMD_RETURN_OK ? "ok" : ret == CMD_RETURN_FAILED ?
		    "failed" : ret == CMD_RETURN_EXIT ? "ended by logout" :
		    "error", "menu %d %s", mods[r]->number, mods[r]->name);
		if (ret == CMD_RETURN_EXIT) {
			if (sig_hangup) {
				audit_log("ok", "hang-up");
				break;
			}
			audit_log("ok", "idle logout");
			ui_end();
			printf("Logged out after %d seconds without input.\n",
			    cfg->idle_timeout);
			break;
		}
	}
	spawn_kill_running();
	fatal_set_cleanup(NULL);
	ui_end();
out:
	for (i = 0; i < n; i++)
		free(labels[i]);
	cmd_dropins_free(drops, ndrops);
	return (status);
}

int
main(int argc, char **argv)
{
	struct config	 cfg;
	char		 path[PATH_MAX], *cause = NULL, **e;
	int		 r, login;

	/* Both read the environment: before the scrub. */
	paths_init();
	audit_init();
	main_scrub_env();

	/*
	 * No helper outside a CMD_PRIV command: the dispatcher opens the
	 * gate for the commands and rows marked so, and for nothing else.
	 */
	priv_gate(&(struct priv_gate){ "appliance-console", 0 }, NULL);
	config_modules_lookup(cmd_module_index);
	config_defaults(&cfg);
	if (paths_get(path, sizeof path, PATH_CONFIG) == 0)
		config_load(&cfg, path);
	if (audit_open(&cause) == -1) {
		/* syslog still has every record; the file is a convenience. */
		free(cause);
		cause = NULL;
	}

	login = argv[0] != NULL && argv[0][0] == '-';
	if (argc <= 1) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "appliance-console: the menu needs a "
			    "terminal; for automation use -c 'COMMAND'\n");
			r = 1;
			goto out;
		}
		sig_install();
		r = main_account(&cfg, 1) != 0 ? 1 : main_menu(&cfg);
	} else if (strcmp(argv[1], "-c") == 0 && argc == 3)
		r = main_account(&cfg, 0) != 0 ? 1 :
		    main_command_string(&cfg, argv[2]);
	else if (!login && argv[1][0] != '-') {
		/* A direct CLI: each argument must be one plain word. */
		struct words	 w;
		int		 i;

		for (i = 1; i < argc; i++) {
			if (words_split(argv[i], &w, &cause) == -1 ||
			    w.argc != 1) {
				fprintf(stderr, "appliance-console: argument "
				    "%d: %s\n", i, cause != NULL ? cause :
				    "must be one word");
				free(cause);
				words_free(&w);
				(void)main_refuse(argc, argv);
				r = 1;
				goto out;
			}
			words_free(&w);
		}
		r = main_cli(&cfg, argc - 1, argv + 1);
	} else
		r = main_refuse(argc, argv);
out:
	audit_close();
	config_free(&cfg);
	for (e = main_env; *e != NULL; e++)
		free(*e);
	return (r);
}
