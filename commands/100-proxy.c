/* SPDX-License-Identifier: ISC */
/*
 * Module 100, Proxy Configuration: the two faces of proxy.c. Changes go
 * through console-helper-proxy (the password on its stdin); the password
 * is never shown, only "set". "proxy test" checks the proxy (reachable,
 * credentials accepted) and runs the connectivity test through it.
 *
 *   proxy show [--json]
 *   proxy set http|socks5 HOST PORT [--user USER] [--no-proxy LIST]
 *   proxy remove
 *   proxy test [--json]
 * With --user, the password is read from standard input (one line), with
 * echo off on a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "connectivity.h"
#include "priv.h"
#include "proxy.h"
#include "sig.h"
#include "text.h"
#include "tool.h"
#include "ui.h"
#include "valid.h"
#include "xmalloc.h"

#define PROXY_TITLE		"100 Proxy Configuration"
#define PROXY_HELPER_MS		10000
#define PROXY_TEST_MS		120000

static enum cmd_retval	 proxy_tui(struct cmd_ctx *);
static enum cmd_retval	 proxy_cli_show(struct cmd_ctx *, int, char **);
static enum cmd_retval	 proxy_cli_set(struct cmd_ctx *, int, char **);
static enum cmd_retval	 proxy_cli_remove(struct cmd_ctx *, int, char **);
static enum cmd_retval	 proxy_cli_test(struct cmd_ctx *, int, char **);
static enum cmd_retval	 proxy_cli_fail(struct cmd_ctx *, char *);
static char		*proxy_show_text(const struct proxy_conf *);
static char		*proxy_show_json(const struct proxy_conf *);
static int		 proxy_apply(const char *, const char *, const char *,
			    const char *, const char *, const char *, char **);
static int		 proxy_test(const struct config *, int,
			    struct conn_report *, char **, char **);
static void		 proxy_progress(const char *, void *);
static char		*proxy_test_json(const struct conn_report *,
			    const char *, int);
static int		 proxy_valid_port(const char *, char **);

/* test goes through the helper when only root can read the password. */
static const struct cmd_sub proxy_subs[] = {
	{ "show", "show [--json]", CMD_READONLY, proxy_cli_show,
	    "the proxy in force, the password never shown" },
	{ "set", "set http|socks5 HOST PORT [--user USER] [--no-proxy LIST]",
	    CMD_PRIV, proxy_cli_set,
	    "set the proxy; with --user, the password is asked for" },
	{ "remove", "remove", CMD_PRIV, proxy_cli_remove,
	    "connect directly again" },
	{ "test", "test [--json]", CMD_PRIV, proxy_cli_test,
	    "the connectivity test through the proxy" },
	{ NULL, NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_proxy_entry = {
	.name = "proxy",
	.number = 100,
	.title = "Proxy configuration",
	.flags = CMD_PRIV,
	.tui = proxy_tui,
	.subs = proxy_subs
};

static char *
proxy_show_text(const struct proxy_conf *pc)
{
	struct text_buf	 b;

	text_buf_init(&b, 4096);
	if (!pc->set) {
		text_buf_printf(&b, "No proxy: the appliance connects "
		    "directly.\n");
		return (text_buf_take(&b));
	}
	text_buf_printf(&b, "Type        %s\n", pc->type);
	text_buf_printf(&b, "Host        %s\n", pc->host);
	text_buf_printf(&b, "Port        %d\n", pc->port);
	text_buf_printf(&b, "User        %s\n", pc->user[0] ? pc->user :
	    "none");
	text_buf_printf(&b, "Password    %s\n", pc->has_password ? "set" :
	    "none");
	text_buf_printf(&b, "No proxy    %s\n", pc->no_proxy[0] ?
	    pc->no_proxy : "none");
	return (text_buf_take(&b));
}

static char *
proxy_show_json(const struct proxy_conf *pc)
{
	json_t	*o;
	char	*s;

	if (!pc->set)
		o = json_pack("{s:b}", "configured", 0);
	else
		o = json_pack("{s:b,s:s,s:s,s:i,s:s?,s:s,s:s}", "configured",
		    1, "type", pc->type, "host", pc->host, "port", pc->port,
		    "user", pc->user[0] ? pc->user : NULL, "password",
		    pc->has_password ? "set" : "none", "no_proxy",
		    pc->no_proxy);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (s != NULL ? s : xstrdup("{}"));
}

static int
proxy_valid_port(const char *s, char **cause)
{
	return (valid_port(s, NULL, cause));
}

/* Validate everything here, then hand it to the helper. */
static int
proxy_apply(const char *type, const char *host, const char *port,
    const char *user, const char *password, const char *noproxy,
    char **cause)
{
	struct priv_result	 res;
	const char		*args[5];
	char			*input = NULL;
	int			 r;

	if (proxy_valid_type(type, cause) == -1 ||
	    proxy_valid_host(host, cause) == -1 ||
	    valid_port(port, NULL, cause) == -1 ||
	    (*user != '\0' && proxy_valid_user(user, cause) == -1) ||
	    (*password != '\0' &&
	    proxy_valid_password(password, cause) == -1) ||
	    (*noproxy != '\0' && proxy_valid_noproxy(noproxy, cause) == -1))
		return (-1);
	if (*password != '\0' && *user == '\0') {
		*cause = xstrdup("a proxy password needs a user name");
		return (-1);
	}
	args[0] = type;
	args[1] = host;
	args[2] = port;
	args[3] = *user != '\0' ? user : NULL;
	args[4] = *noproxy != '\0' ? noproxy : NULL;
	xasprintf(&input, "%s\n", password);
	r = priv_verb(&proxy_verbs, PROXY_V_SET, args, input, PROXY_HELPER_MS,
	    &res);
	explicit_bzero(input, strlen(input));
	free(input);
	if (r == -1)
		*cause = xstrdup(res.message);
	priv_result_free(&res);
	return (r);
}

/*
 * The connectivity test through the proxy. Only root can read the
 * password: an admin with credentials set runs it through the helper.
 */
static int
proxy_test(const struct config *cfg, int tui, struct conn_report *rep,
    char **summary, char **cause)
{
	struct proxy_conf	 pc;
	struct priv_result	 res;
	const struct conn_result *r;
	int			 i, unreachable = 0, auth = 0, ret;

	*summary = NULL;
	if (proxy_load(&pc, cause) == -1)
		return (-1);
	if (!pc.set) {
		*cause = xstrdup("no proxy is configured");
		return (-1);
	}
	if (pc.has_password && geteuid() != 0) {
		ret = priv_verb(&proxy_verbs, PROXY_V_TEST, NULL, NULL,
		    PROXY_TEST_MS, &res);
		if (ret == 0)
			ret = conn_report_parse(res.out, rep, cause);
		else
			*cause = xstrdup(res.message);
		priv_result_free(&res);
	} else
		ret = conn_run(&cfg->conn, NULL, 0, 1, tui ? proxy_progress :
		    NULL, NULL, rep, cause);
	if (ret == -1) {
		proxy_clear(&pc);
		return (-1);
	}
	for (i = 0; i < rep->n; i++) {
		r = &rep->results[i];
		if (r->layer == CONN_L_TCP && strstr(r->reason, "proxy ") ==
		    r->reason)
			unreachable = 1;
		if (r->layer == CONN_L_PROXY && strstr(r->reason,
		    "credentials") != NULL)
			auth = 1;
	}
	xasprintf(summary, "Proxy %s %s:%d: %s", pc.type, pc.host, pc.port,
	    unreachable ? "not reachable" : auth ?
	    "reachable, credentials refused (proxy authentication failed)" :
	    pc.user[0] ? "reachable, credentials accepted" : "reachable");
	proxy_clear(&pc);
	return (unreachable || auth ? 1 : 0);
}

/* The connectivity report with the proxy's own verdict in front. */
static char *
proxy_test_json(const struct conn_report *rep, const char *summary,
    int failed)
{
	json_t	*o, *p;
	char	*report, *s;

	report = conn_report_json(rep);
	if ((p = json_loads(report, 0, NULL)) == NULL)
		return (report);
	free(report);
	o = json_pack("{s:b,s:s,s:o}", "proxy_ok", !failed, "proxy_check",
	    summary, "report", p);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (s != NULL ? s : xstrdup("{}"));
}

static void
proxy_progress(const char *line, void *arg)
{
	(void)arg;
	ui_progress(line);
}

/* proxy show [--json] */
static enum cmd_retval
proxy_cli_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct proxy_conf	 pc;
	char			*cause = NULL, *out;
	int			 json;

	json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 && !json)
		return (cmd_usage_error(ctx, &cmd_proxy_entry));
	if (proxy_load(&pc, &cause) == -1)
		return (proxy_cli_fail(ctx, cause));
	out = json ? proxy_show_json(&pc) : proxy_show_text(&pc);
	fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
	free(out);
	proxy_clear(&pc);
	return (CMD_RETURN_OK);
}

/* proxy remove */
static enum cmd_retval
proxy_cli_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct priv_result	 res;
	int			 r;

	(void)argv;
	if (argc != 2)
		return (cmd_usage_error(ctx, &cmd_proxy_entry));
	r = priv_verb(&proxy_verbs, PROXY_V_REMOVE, NULL, NULL,
	    PROXY_HELPER_MS, &res);
	if (r == -1)
		(void)cmd_error(ctx, "%s", res.message);
	else
		fprintf(ctx->out, "Proxy removed.\n");
	priv_result_free(&res);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_ERROR);
}

/* proxy test [--json] */
static enum cmd_retval
proxy_cli_test(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conn_report	 rep;
	char			*cause = NULL, *out, *summary = NULL;
	int			 json, r;
	enum cmd_retval		 ret;

	json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 && !json)
		return (cmd_usage_error(ctx, &cmd_proxy_entry));
	if ((r = proxy_test(ctx->config, 0, &rep, &summary, &cause)) == -1)
		return (proxy_cli_fail(ctx, cause));
	out = json ? proxy_test_json(&rep, summary, r) :
	    conn_report_text(&rep);
	if (!json)
		fprintf(ctx->out, "%s\n", summary);
	fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
	free(out);
	free(summary);
	ret = r == 0 && rep.passed == rep.n ? CMD_RETURN_OK :
	    CMD_RETURN_FAILED;
	conn_report_free(&rep);
	return (ret);
}

/* proxy set http|socks5 HOST PORT [--user USER] [--no-proxy LIST] */
static enum cmd_retval
proxy_cli_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		*cause = NULL;
	char		 password[PROXY_PASSWORD_MAX + 3] = "";
	const char	*user = "", *noproxy = "";
	int		 i, r;

	if (argc < 5)
		return (cmd_usage_error(ctx, &cmd_proxy_entry));
	for (i = 5; i < argc; i++) {
		if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
			user = argv[++i];
		else if (strcmp(argv[i], "--no-proxy") == 0 && i + 1 < argc)
			noproxy = argv[++i];
		else
			return (cmd_usage_error(ctx, &cmd_proxy_entry));
	}
	/* Never in argv: one line on stdin, not echoed. */
	if (*user != '\0' && tool_read_secret(ctx, "Password: ",
	    password, sizeof password) == -1)
		return (cmd_refuse(ctx, "no password given; nothing was set"));
	r = proxy_apply(argv[2], argv[3], argv[4], user, password, noproxy,
	    &cause);
	explicit_bzero(password, sizeof password);
	if (r == -1)
		return (proxy_cli_fail(ctx, cause));
	fprintf(ctx->out, "Proxy set: %s %s:%s%s%s.\n", argv[2], argv[3],
	    argv[4], *user ? ", user " : "", user);
	return (CMD_RETURN_OK);
}

/* Report cause (which is freed) the one way; ERROR. */
static enum cmd_retval
proxy_cli_fail(struct cmd_ctx *ctx, char *cause)
{
	(void)cmd_refuse(ctx, "%s", cause);
	free(cause);
	return (CMD_RETURN_ERROR);
}

static enum cmd_retval
proxy_tui(struct cmd_ctx *ctx)
{
	struct proxy_conf	 pc;
	struct conn_report	 rep;
	struct ui_field		 f[6];
	char			 type[8] = "http", host[256] = "", port[8] = "";
	char			 user[PROXY_USER_MAX + 1] = "";
	char			 password[PROXY_PASSWORD_MAX + 1] = "";
	char			 noproxy[PROXY_NOPROXY_MAX + 1] = "";
	char			*cause = NULL, *text, *summary, *all;
	int			 u, r;

	if (proxy_load(&pc, &cause) == -1) {
		u = ui_message(PROXY_TITLE, cause);
		free(cause);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	if (pc.set) {
		xsnprintf(type, sizeof type, "%s", pc.type);
		xsnprintf(host, sizeof host, "%s", pc.host);
		xsnprintf(port, sizeof port, "%d", pc.port);
		xsnprintf(user, sizeof user, "%s", pc.user);
		xsnprintf(noproxy, sizeof noproxy, "%s", pc.no_proxy);
	}
	proxy_clear(&pc);
	memset(f, 0, sizeof f);
	/* A blank host removes the proxy (its port is not asked then). */
	f[0] = (struct ui_field){ "Type (http, socks5)", type, sizeof type,
	    proxy_valid_type, 0, NULL };
	f[1] = (struct ui_field){ "Host", host, sizeof host,
	    proxy_valid_host, 0, "no proxy" };
	f[2] = (struct ui_field){ "Port", port, sizeof port,
	    proxy_valid_port, 0, "no proxy" };
	f[3] = (struct ui_field){ "User", user, sizeof user,
	    proxy_valid_user, 0, "none" };
	f[4] = (struct ui_field){ "Password", password, sizeof password,
	    proxy_valid_password, 1, "none" };
	f[5] = (struct ui_field){ "No proxy", noproxy, sizeof noproxy,
	    proxy_valid_noproxy, 0, "none" };
	u = ui_form(PROXY_TITLE, f, 6);
	if (ui_session_over(u))
		return (CMD_RETURN_EXIT);
	if (u != UI_OK) {
		explicit_bzero(password, sizeof password);
		return (CMD_RETURN_OK);
	}
	if (host[0] == '\0') {
		struct priv_result	 res;

		r = priv_verb(&proxy_verbs, PROXY_V_REMOVE, NULL, NULL,
		    PROXY_HELPER_MS, &res);
		u = ui_message(PROXY_TITLE, r == 0 ? "No proxy: the appliance "
		    "connects directly." : res.message);
		priv_result_free(&res);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    r == 0 ? CMD_RETURN_OK : CMD_RETURN_ERROR);
	}
	r = proxy_apply(type, host, port, user, password, noproxy, &cause);
	explicit_bzero(password, sizeof password);
	if (r == -1) {
		u = ui_message(PROXY_TITLE, cause);
		free(cause);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	u = ui_confirm(PROXY_TITLE, "Proxy saved. Test it now?");
	if (ui_session_over(u))
		return (CMD_RETURN_EXIT);
	if (u != 1)
		return (CMD_RETURN_OK);
	ui_progress("Testing the proxy...");
	if ((r = proxy_test(ctx->config, 1, &rep, &summary, &cause)) == -1) {
		u = ui_message(PROXY_TITLE, cause);
		free(cause);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	text = conn_report_text(&rep);
	xasprintf(&all, "%s\n\n%s", summary, text);
	free(text);
	free(summary);
	conn_report_free(&rep);
	u = ui_view(PROXY_TITLE, all);
	free(all);
	return (ui_session_over(u) ? CMD_RETURN_EXIT : CMD_RETURN_OK);
}
