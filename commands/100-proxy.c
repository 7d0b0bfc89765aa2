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
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "connectivity.h"
#include "priv.h"
#include "proxy.h"
#include "sig.h"
#include "text.h"
#include "ui.h"
#include "valid.h"
#include "xmalloc.h"

#define PROXY_TITLE		"100 Proxy Configuration"
#define PROXY_HELPER_MS		10000
#define PROXY_TEST_MS		120000

static enum cmd_retval	 proxy_tui(struct cmd_ctx *);
static enum cmd_retval	 proxy_cli(struct cmd_ctx *, int, char **);
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
static int		 proxy_read_password(struct cmd_ctx *, char *, size_t);

const struct cmd_entry cmd_proxy_entry = {
	.name = "proxy",
	.number = 100,
	.title = "Proxy configuration",
	.usage = "proxy show|set|remove|test [--json] (see the manual)",
	.flags = CMD_PRIV,
	.tui = proxy_tui,
	.cli = proxy_cli
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

/*
 * The password for proxy set --user: one line of standard input. On a
 * terminal it is asked for with echo off, read with read(2) so that
 * Ctrl-C and a hang-up (handlers without SA_RESTART) interrupt it, and
 * the terminal's mode is put back on every way out. 0, or -1 when none
 * was given (interrupted, or the end of input on a terminal).
 */
static int
proxy_read_password(struct cmd_ctx *ctx, char *buf, size_t len)
{
	struct termios	 old, quiet;
	size_t		 off = 0;
	ssize_t		 n;
	int		 r = -1;

	buf[0] = '\0';
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) == -1) {
		if (fgets(buf, (int)len, stdin) != NULL)
			buf[strcspn(buf, "\n")] = '\0';
		return (0);
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == -1)
		return (-1);
	fprintf(ctx->err, "Password: ");
	fflush(ctx->err);
	while (off < len - 1 && !sig_interrupt && !sig_hangup) {
		if ((n = read(STDIN_FILENO, buf + off, len - 1 - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		off += (size_t)n;
		if (buf[off - 1] == '\n') {
			r = 0;
			break;
		}
	}
	/* Full: too long, which the validator says; the rest is flushed. */
	if (off == len - 1)
		r = 0;
	buf[off] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	/* The Enter was not echoed either. */
	fprintf(ctx->err, "\n");
	if (r == -1)
		explicit_bzero(buf, len);
	return (r);
}

static enum cmd_retval
proxy_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct proxy_conf	 pc;
	struct conn_report	 rep;
	char			*cause = NULL, *out, *summary = NULL;
	char			 password[PROXY_PASSWORD_MAX + 3] = "";
	const char		*user = "", *noproxy = "";
	int			 json, i, r;
	enum cmd_retval		 ret = CMD_RETURN_ERROR;

	json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc >= 2 && strcmp(argv[1], "show") == 0 && (argc == 2 || json)) {
		if (proxy_load(&pc, &cause) == -1)
			goto fail;
		out = json ? proxy_show_json(&pc) : proxy_show_text(&pc);
		fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
		free(out);
		proxy_clear(&pc);
		return (CMD_RETURN_OK);
	}
	if (argc == 2 && strcmp(argv[1], "remove") == 0) {
		struct priv_result	 res;

		r = priv_verb(&proxy_verbs, PROXY_V_REMOVE, NULL, NULL,
		    PROXY_HELPER_MS, &res);
		if (r == -1)
			cause = xstrdup(res.message);
		else
			fprintf(ctx->out, "Proxy removed.\n");
		priv_result_free(&res);
		if (r == -1)
			goto fail;
		return (CMD_RETURN_OK);
	}
	if (argc >= 2 && strcmp(argv[1], "test") == 0 && (argc == 2 || json)) {
		if ((r = proxy_test(ctx->config, 0, &rep, &summary, &cause)) ==
		    -1)
			goto fail;
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
	if (argc >= 5 && strcmp(argv[1], "set") == 0) {
		for (i = 5; i < argc; i++) {
			if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
				user = argv[++i];
			else if (strcmp(argv[i], "--no-proxy") == 0 &&
			    i + 1 < argc)
				noproxy = argv[++i];
			else
				goto usage;
		}
		/* Never in argv: one line on stdin, not echoed. */
		if (*user != '\0' && proxy_read_password(ctx, password,
		    sizeof password) == -1) {
			cause = xstrdup("no password given; nothing was set");
			goto fail;
		}
		r = proxy_apply(argv[2], argv[3], argv[4], user, password,
		    noproxy, &cause);
		explicit_bzero(password, sizeof password);
		if (r == -1)
			goto fail;
		fprintf(ctx->out, "Proxy set: %s %s:%s%s%s.\n", argv[2],
		    argv[3], argv[4], *user ? ", user " : "", user);
		return (CMD_RETURN_OK);
	}
usage:
	fprintf(ctx->err, "usage: proxy show [--json] | proxy set http|socks5 "
	    "HOST PORT [--user USER] [--no-proxy LIST] | proxy remove | "
	    "proxy test [--json]\n");
	return (CMD_RETURN_ERROR);
fail:
	fprintf(ctx->err, "proxy: %s\n", cause);
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
