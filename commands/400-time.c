/* SPDX-License-Identifier: ISC */
/*
 * Module 400, System Time Management: the two faces of systime.c. The CLI
 * (time show [--json], sync, servers, zone, set) prints text or JSON and
 * exits 2 when the clock is off by more than [time] warn_offset_seconds
 * or no server answers; the TUI shows the same report and offers the
 * changes, each confirmed with what it will do. Every change goes through
 * the privileged time helper after the same validation the helper repeats.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "priv.h"
#include "systime.h"
#include "text.h"
#include "ui.h"
#include "valid.h"
#include "xmalloc.h"

#define TIME_TEXT_MAX		(16 * 1024)
#define TIME_PRIV_TIMEOUT	30000
#define TIME_TITLE		"400 System Time Management"
#define TIME_ZONES_SHOWN	9

static enum cmd_retval	 time_tui(struct cmd_ctx *);
static enum cmd_retval	 time_cli(struct cmd_ctx *, int, char **);
static char		*time_text(const struct systime_report *);
static char		*time_json(const struct systime_report *);
static void		 time_warning(const struct systime_report *, char *,
			     size_t);
static int		 time_priv(const char *, const char *, int, char **);
static int		 time_valid_datetime(const char *, char **);
static int		 time_valid_search(const char *, char **);
static enum cmd_retval	 time_cli_change(struct cmd_ctx *, const char *,
			     const char *, int (*)(const char *, char **));
static int		 time_sync_step(const struct systime_report *,
			     char **);
static int		 time_sync_run(const struct systime_report *, int,
			     int, char **);
static enum cmd_retval	 time_cli_sync(struct cmd_ctx *, int, char **);
static int		 time_tui_sync(struct cmd_ctx *,
			     const struct systime_report *);
static int		 time_tui_servers(struct cmd_ctx *);
static int		 time_tui_zone(void);
static int		 time_tui_set(void);
static int		 time_tui_result(const char *, int, char *);

const struct cmd_entry cmd_time_entry = {
	.name = "time",
	.number = 400,
	.title = "System time management",
	.usage = "time show [--json] | sync [--yes] [--force] | "
	    "servers list|add|remove NAME | "
	    "zone set ZONE | zone list [TEXT] | set ISO8601",
	.flags = CMD_PRIV | CMD_CONFIRM,
	.tui = time_tui,
	.cli = time_cli
};

/* The one-line warning of a report, or "" when there is none. */
static void
time_warning(const struct systime_report *r, char *buf, size_t len)
{
	const struct sntp_result	*b;
	double				 off;

	buf[0] = '\0';
	if (r->servers.n > 0 && r->best == -1) {
		if (systime_answered(r->results, r->servers.n) > 0)
			snprintf(buf, len, "The servers disagree: no majority "
			    "of those that answered tell the same time");
		else
			snprintf(buf, len, "No NTP server answered: the clock "
			    "cannot be checked");
		return;
	}
	if (!r->warn)
		return;
	b = &r->results[r->best];
	off = (double)b->offset_ns / 1e9;
	snprintf(buf, len, "The clock is %.3f s %s %.40s (more than %d s)",
	    off < 0 ? -off : off, off > 0 ? "behind" : "ahead of", b->server,
	    r->warn_offset);
}

static char *
time_text(const struct systime_report *r)
{
	const struct sntp_result	*s;
	struct text_buf			 b;
	char				 w[160], off[24], dly[24], st[8];
	int				 i;

	text_buf_init(&b, TIME_TEXT_MAX);
	text_buf_printf(&b, "Local time    %s\n", r->local);
	text_buf_printf(&b, "UTC           %s\n", r->utc);
	text_buf_printf(&b, "Time zone     %s\n", r->zone);
	text_buf_printf(&b, "Time service  %s, kernel clock %s\n",
	    systime_service_name(r->service), r->kernel_synced == 1 ?
	    "synchronised" : r->kernel_synced == 0 ? "not synchronised" :
	    "state unknown");
	text_buf_printf(&b, "Servers       %s, asked in %.1f ms\n\n",
	    r->servers.from_state ? "set with 'time servers'" :
	    "from console.conf", (double)r->query_ns / 1e6);
	text_buf_printf(&b, "  %-20s %-15s %-12s %3s %10s %8s\n", "Server",
	    "Address", "Status", "Str", "Offset ms", "Delay ms");
	for (i = 0; i < r->servers.n; i++) {
		s = &r->results[i];
		if (s->status == SNTP_OK) {
			snprintf(off, sizeof off, "%+.3f",
			    (double)s->offset_ns / 1e6);
			snprintf(dly, sizeof dly, "%.3f",
			    (double)s->delay_ns / 1e6);
			snprintf(st, sizeof st, "%d", s->stratum);
		} else {
			snprintf(off, sizeof off, "-");
			snprintf(dly, sizeof dly, "-");
			snprintf(st, sizeof st, "-");
		}
		text_buf_printf(&b, "  %-20.20s %-15.15s %-12s %3s %10s %8s\n",
		    s->server, s->addr[0] ? s->addr : "-",
		    sntp_status_name(s->status), st, off, dly);
		if (s->status != SNTP_OK)
			text_buf_printf(&b, "      %.74s\n", s->message);
	}
	if (r->best != -1)
		text_buf_printf(&b, "\nBest          %s, offset %+.6f s\n",
		    r->results[r->best].server,
		    (double)r->results[r->best].offset_ns / 1e9);
	time_warning(r, w, sizeof w);
	if (w[0] != '\0')
		text_buf_printf(&b, "\nWARNING: %s\n", w);
	return (text_buf_take(&b));
}

static char *
time_json(const struct systime_report *r)
{
	const struct sntp_result	*s;
	json_t				*o, *a, *e;
	char				 w[160], *out;
	int				 i;

	o = json_object();
	json_object_set_new(o, "local_time", json_string(r->local));
	json_object_set_new(o, "utc", json_string(r->utc));
	json_object_set_new(o, "unix_time", json_real((double)r->now.tv_sec +
	    (double)r->now.tv_nsec / 1e9));
	json_object_set_new(o, "zone", json_string(r->zone));
	json_object_set_new(o, "service",
	    json_string(systime_service_name(r->service)));
	json_object_set_new(o, "kernel_synchronised", r->kernel_synced < 0 ?
	    json_null() : json_boolean(r->kernel_synced));
	json_object_set_new(o, "servers_source", json_string(
	    r->servers.from_state ? "state" : "config"));
	json_object_set_new(o, "query_ms", json_real((double)r->query_ns /
	    1e6));
	a = json_array();
	for (i = 0; i < r->servers.n; i++) {
		s = &r->results[i];
		e = json_pack("{s:s,s:s,s:b,s:s}", "server", s->server,
		    "status", sntp_status_name(s->status), "reachable",
		    s->status == SNTP_OK, "address", s->addr);
		if (s->status == SNTP_OK) {
			json_object_set_new(e, "stratum",
			    json_integer(s->stratum));
			json_object_set_new(e, "offset_seconds",
			    json_real((double)s->offset_ns / 1e9));
			json_object_set_new(e, "delay_seconds",
			    json_real((double)s->delay_ns / 1e9));
		} else
			json_object_set_new(e, "message",
			    json_string(s->message));
		json_object_set_new(e, "elapsed_ms",
		    json_real((double)s->elapsed_ns / 1e6));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "servers", a);
	json_object_set_new(o, "best", r->best == -1 ? json_null() :
	    json_pack("{s:s,s:f}", "server", r->results[r->best].server,
	    "offset_seconds", (double)r->results[r->best].offset_ns / 1e9));
	time_warning(r, w, sizeof w);
	json_object_set_new(o, "warning", w[0] ? json_string(w) :
	    json_null());
	if ((out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(9))) == NULL)
		out = xstrdup("{\"error\": \"the report could not be "
		    "encoded\"}");
	json_decref(o);
	return (out);
}

/*
 * Run one verb of the time helper; *msg gets its sentence. The TUI audits
 * here (the CLI is audited by cmd.c). Returns 0 when it was carried out.
 */
static int
time_priv(const char *verb, const char *arg, int audit, char **msg)
{
	struct priv_result	 res;
	const char		*args[2] = { arg, NULL };
	int			 r;

	r = priv_verb(&systime_verbs, verb_index(&systime_verbs,
	    verb_find(&systime_verbs, verb)), args, NULL, TIME_PRIV_TIMEOUT,
	    &res);
	if (audit)
		audit_logf(r == 0 ? "ok" : "failed", "time %s%s%s: %s", verb,
		    arg != NULL ? " " : "", arg != NULL ? arg : "",
		    res.message);
	*msg = res.message;
	res.message = NULL;
	priv_result_free(&res);
	return (r);
}

static int
time_valid_datetime(const char *s, char **cause)
{
	return (valid_datetime(s, NULL, cause));
}

/* A search text: empty, or what a zone name may hold. */
static int
time_valid_search(const char *s, char **cause)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_/+-", s[i]) == NULL || i >= SYSTIME_ZONE_MAX) {
			xasprintf(cause, "search with letters, digits and _ / "
			    "+ - only");
			return (-1);
		}
	}
	return (0);
}

/* CLI: one helper verb after the console's own check of its argument. */
static enum cmd_retval
time_cli_change(struct cmd_ctx *ctx, const char *verb, const char *arg,
    int (*valid)(const char *, char **))
{
	char	*cause = NULL;
	int	 r;

	if (arg != NULL && valid(arg, &cause) == -1) {
		fprintf(ctx->err, "time: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	r = time_priv(verb, arg, 0, &cause);
	fprintf(r == 0 ? ctx->out : ctx->err, "%s%s\n", r == 0 ? "" :
	    "time: ", cause);
	free(cause);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_ERROR);
}

/* The step to offer: 0, or -1 with *cause saying why there is none. */
static int
time_sync_step(const struct systime_report *r, char **cause)
{
	int	 answered = systime_answered(r->results, r->servers.n);

	if (r->best != -1)
		return (0);
	if (answered == 0)
		xasprintf(cause, "no NTP server answered, so there is nothing "
		    "to step to: check the servers, or set the time by hand");
	else
		xasprintf(cause, "no majority of the %d servers that answered "
		    "agree on the time, so there is nothing to step to: check "
		    "the servers ('time show')", answered);
	return (-1);
}

/*
 * The helper steps by the step shown here and confirmed, and refuses
 * when its own measurement says otherwise. Returns 0 when it stepped.
 */
static int
time_sync_run(const struct systime_report *r, int force, int audit,
    char **msg)
{
	struct priv_result	 res;
	const char		*args[3];
	char			 dir[16], ns[32];
	int			 rc;

	systime_step_words(r->results[r->best].offset_ns, dir, sizeof dir, ns,
	    sizeof ns);
	args[0] = dir;
	args[1] = ns;
	args[2] = force ? "force" : NULL;
	rc = priv_verb(&systime_verbs, SYSTIME_V_SYNC, args, NULL,
	    TIME_PRIV_TIMEOUT, &res);
	if (audit)
		audit_logf(rc == 0 ? "ok" : "failed", "time sync %s %s%s: %s",
		    dir, ns, force ? " force" : "", res.message);
	*msg = res.message;
	res.message = NULL;
	priv_result_free(&res);
	return (rc);
}

/* time sync [--yes] [--force]: measure, show, confirm, then the helper. */
static enum cmd_retval
time_cli_sync(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct systime_report		 r;
	const struct sntp_result	*b;
	char				*cause = NULL, line[16];
	int				 i, yes = 0, force = 0, rc = -1;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--yes") == 0)
			yes = 1;
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else {
			fprintf(ctx->err, "usage: %s\n", cmd_time_entry.usage);
			return (CMD_RETURN_ERROR);
		}
	}
	if (systime_report_collect(ctx->config, &r, &cause) == -1 ||
	    time_sync_step(&r, &cause) == -1)
		goto out;
	b = &r.results[r.best];
	if (systime_step_check(ctx->config, b->offset_ns, force, &cause) ==
	    -1)
		goto out;
	if (!yes && !isatty(STDIN_FILENO)) {
		xasprintf(&cause, "sync changes the system clock: add --yes "
		    "to step it by %+.6f s to match %s", (double)b->offset_ns /
		    1e9, b->server);
		goto out;
	}
	if (!yes) {
		fprintf(ctx->out, "Step the clock by %+.6f s to match %s "
		    "(stratum %d)? [y/N] ", (double)b->offset_ns / 1e9,
		    b->server, b->stratum);
		fflush(ctx->out);
		if (fgets(line, sizeof line, stdin) == NULL ||
		    (line[0] != 'y' && line[0] != 'Y')) {
			clearerr(stdin);
			cause = xstrdup("not confirmed; the clock was not "
			    "changed");
			goto out;
		}
	}
	rc = time_sync_run(&r, force, 0, &cause);
	if (rc == 0)
		fprintf(ctx->out, "%s\n", cause);
out:
	if (rc != 0)
		fprintf(ctx->err, "time: %s\n", cause);
	free(cause);
	systime_report_free(&r);
	return (rc == 0 ? CMD_RETURN_OK : CMD_RETURN_ERROR);
}

static enum cmd_retval
time_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct systime_report	 r;
	struct systime_servers	 sv;
	char			*cause = NULL, *out, **zones;
	const char		*sub = argc >= 2 ? argv[1] : "show";
	enum cmd_retval		 ret;
	int			 json, i, n;

	if (strcmp(sub, "show") == 0 && argc <= 3) {
		json = argc == 3 && strcmp(argv[2], "--json") == 0;
		if (argc == 3 && !json)
			goto usage;
		if (systime_report_collect(ctx->config, &r, &cause) == -1) {
			fprintf(ctx->err, "time: %s\n", cause);
			free(cause);
			systime_report_free(&r);
			return (CMD_RETURN_ERROR);
		}
		out = json ? time_json(&r) : time_text(&r);
		fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
		free(out);
		ret = r.warn || (r.servers.n > 0 && r.best == -1) ?
		    CMD_RETURN_FAILED : CMD_RETURN_OK;
		systime_report_free(&r);
		return (ret);
	}
	if (strcmp(sub, "sync") == 0)
		return (time_cli_sync(ctx, argc, argv));
	if (strcmp(sub, "set") == 0 && argc == 3)
		return (time_cli_change(ctx, "set", argv[2],
		    time_valid_datetime));
	if (strcmp(sub, "servers") == 0 && argc == 3 &&
	    strcmp(argv[2], "list") == 0) {
		if (systime_servers_load(ctx->config, &sv, &cause) == -1) {
			fprintf(ctx->err, "time: %s\n", cause);
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		for (i = 0; i < sv.n; i++)
			fprintf(ctx->out, "%s\n", sv.names[i]);
		systime_servers_free(&sv);
		return (CMD_RETURN_OK);
	}
	if (strcmp(sub, "servers") == 0 && argc == 4 &&
	    (strcmp(argv[2], "add") == 0 || strcmp(argv[2], "remove") == 0))
		return (time_cli_change(ctx, strcmp(argv[2], "add") == 0 ?
		    "server-add" : "server-remove", argv[3],
		    valid_ntp_server));
	if (strcmp(sub, "zone") == 0 && argc == 4 &&
	    strcmp(argv[2], "set") == 0)
		return (time_cli_change(ctx, "zone-set", argv[3],
		    systime_zone_check));
	if (strcmp(sub, "zone") == 0 && (argc == 3 || argc == 4) &&
	    strcmp(argv[2], "list") == 0) {
		if (argc == 4 && time_valid_search(argv[3], &cause) == -1) {
			fprintf(ctx->err, "time: %s\n", cause);
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		zones = systime_zone_search(argc == 4 ? argv[3] : "", &n);
		for (i = 0; i < n; i++)
			fprintf(ctx->out, "%s\n", zones[i]);
		systime_zone_list_free(zones);
		return (n > 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
	}
	if (strcmp(sub, "restart") == 0 && argc == 2)
		return (time_cli_change(ctx, "restart", NULL, NULL));
usage:
	fprintf(ctx->err, "usage: %s\n", cmd_time_entry.usage);
	return (CMD_RETURN_ERROR);
}

/* Show a helper's sentence; returns 1 when the session must end. */
static int
time_tui_result(const char *title, int r, char *msg)
{
	char	*text;
	int	 u;

	xasprintf(&text, "%s%s", r == 0 ? "" : "Not done: ", msg);
	u = ui_message(title, text);
	free(text);
	free(msg);
	return (ui_session_over(u));
}

static int
time_tui_sync(struct cmd_ctx *ctx, const struct systime_report *r)
{
	const struct sntp_result	*b;
	char				*q, *msg = NULL;
	int				 u, rc, force = 0;

	if (time_sync_step(r, &msg) == -1) {
		/* A sentence of its own on the screen. */
		msg[0] = (char)toupper((unsigned char)msg[0]);
		u = ui_message("Synchronise now", msg);
		free(msg);
		return (ui_session_over(u));
	}
	b = &r->results[r->best];
	xasprintf(&q, "Step the clock by %+.6f seconds to match %s "
	    "(stratum %d)?", (double)b->offset_ns / 1e9, b->server,
	    b->stratum);
	u = ui_confirm("Synchronise now", q);
	free(q);
	if (u != 1)
		return (ui_session_over(u));
	/* Over the cap: a second, explicit yes is the override. */
	if (systime_step_check(ctx->config, b->offset_ns, 0, &msg) == -1) {
		xasprintf(&q, "The step of %+.3f s is larger than [time] "
		    "max_step_seconds (%d). Check the servers first. Step "
		    "anyway?", (double)b->offset_ns / 1e9,
		    ctx->config->time.max_step_seconds);
		free(msg);
		u = ui_confirm("Synchronise now", q);
		free(q);
		if (u != 1)
			return (ui_session_over(u));
		force = 1;
	}
	ui_progress("Synchronising...");
	rc = time_sync_run(r, force, 1, &msg);
	return (time_tui_result("Synchronise now", rc, msg));
}

static int
time_tui_servers(struct cmd_ctx *ctx)
{
	static const struct ui_menu_item acts[] = {
		{ '1', "Add a server" },
		{ '2', "Remove a server" },
		{ '0', "Back" },
	};
	struct systime_servers	 sv;
	struct ui_menu		 m;
	struct ui_menu_item	 items[CONFIG_TIME_SERVERS_MAX + 1];
	struct ui_field		 f;
	const char		*header[CONFIG_TIME_SERVERS_MAX + 1];
	char			 name[VALID_HOSTNAME_MAX + 1], *cause = NULL;
	char			*msg, *q;
	int			 u, i, rc;

	for (;;) {
		if (systime_servers_load(ctx->config, &sv, &cause) == -1) {
			u = ui_message("NTP servers", cause);
			free(cause);
			return (ui_session_over(u));
		}
		header[0] = "Servers in use:";
		for (i = 0; i < sv.n; i++)
			header[i + 1] = sv.names[i];
		memset(&m, 0, sizeof m);
		m.title = "400 NTP servers";
		m.header = header;
		m.nheader = sv.n + 1;
		m.items = acts;
		m.nitems = 3;
		u = ui_menu_run(&m);
		if (u < 0 || u == 2) {
			systime_servers_free(&sv);
			return (ui_session_over(u));
		}
		if (u == 0) {
			name[0] = '\0';
			f = (struct ui_field){ .label = "Host name or address",
			    .value = name, .size = sizeof name,
			    .valid = valid_ntp_server };
			u = ui_form("Add an NTP server", &f, 1);
			systime_servers_free(&sv);
			if (u != UI_OK) {
				if (ui_session_over(u))
					return (1);
				continue;
			}
			ui_progress("Adding the server...");
			rc = time_priv("server-add", name, 1, &msg);
			if (time_tui_result("Add an NTP server", rc, msg))
				return (1);
			continue;
		}
		for (i = 0; i < sv.n; i++) {
			items[i].key = (char)('1' + i);
			items[i].label = sv.names[i];
		}
		items[sv.n].key = '0';
		items[sv.n].label = "Back";
		memset(&m, 0, sizeof m);
		m.title = "400 Remove an NTP server";
		m.items = items;
		m.nitems = sv.n + 1;
		u = ui_menu_run(&m);
		if (u < 0 || u == sv.n) {
			systime_servers_free(&sv);
			if (ui_session_over(u))
				return (1);
			continue;
		}
		xsnprintf(name, sizeof name, "%s", sv.names[u]);
		systime_servers_free(&sv);
		xasprintf(&q, "Remove %s from the NTP servers?", name);
		u = ui_confirm("Remove an NTP server", q);
		free(q);
		if (u != 1) {
			if (ui_session_over(u))
				return (1);
			continue;
		}
		rc = time_priv("server-remove", name, 1, &msg);
		if (time_tui_result("Remove an NTP server", rc, msg))
			return (1);
	}
}

static int
time_tui_zone(void)
{
	struct ui_menu		 m;
	struct ui_menu_item	 items[TIME_ZONES_SHOWN + 2];
	struct ui_field		 f;
	const char		*header[1];
	char			 search[SYSTIME_ZONE_MAX + 1] = "", cur[80];
	char			 h[96], title[112], **zones, *q, *msg;
	int			 u, n, i, shown, rc, pick;

	systime_zone_current(cur, sizeof cur);
	snprintf(title, sizeof title, "Time zone (now %s)", cur);
	for (;;) {
		f = (struct ui_field){ .label = "Search the zones for",
		    .value = search, .size = sizeof search,
		    .valid = time_valid_search };
		u = ui_form(title, &f, 1);
		if (u != UI_OK)
			return (ui_session_over(u));
		zones = systime_zone_search(search, &n);
		if (n <= 0) {
			systime_zone_list_free(zones);
			if (ui_session_over(ui_message("Time zone", "No zone "
			    "of the installed tz database matches; try part "
			    "of a city's name.")))
				return (1);
			continue;
		}
		shown = n < TIME_ZONES_SHOWN ? n : TIME_ZONES_SHOWN;
		for (i = 0; i < shown; i++) {
			items[i].key = (char)('1' + i);
			items[i].label = zones[i];
		}
		items[shown].key = '0';
		items[shown].label = "Search again";
		if (n > shown)
			snprintf(h, sizeof h, "%d zones match; the first %d "
			    "are shown: search again to narrow.", n, shown);
		else
			snprintf(h, sizeof h, "%d zone%s match%s.", n,
			    n == 1 ? "" : "s", n == 1 ? "es" : "");
		header[0] = h;
		memset(&m, 0, sizeof m);
		m.title = "400 Choose a time zone";
		m.header = header;
		m.nheader = 1;
		m.items = items;
		m.nitems = shown + 1;
		u = ui_menu_run(&m);
		if (u < 0 || u == shown) {
			systime_zone_list_free(zones);
			if (ui_session_over(u))
				return (1);
			continue;
		}
		pick = u;
		xasprintf(&q, "Change the time zone from %s to %s?", cur,
		    zones[pick]);
		u = ui_confirm("Time zone", q);
		free(q);
		if (u == 1) {
			rc = time_priv("zone-set", zones[pick], 1, &msg);
			systime_zone_list_free(zones);
			return (time_tui_result("Time zone", rc, msg));
		}
		systime_zone_list_free(zones);
		if (ui_session_over(u))
			return (1);
	}
}

static int
time_tui_set(void)
{
	struct ui_field	 f;
	struct timespec	 now;
	char		 value[32] = "", shown[32], *q, *msg;
	time_t		 t;
	int		 u, rc;

	f = (struct ui_field){ .label = "Date and time", .value = value,
	    .size = sizeof value, .valid = time_valid_datetime };
	u = ui_form("Set the time by hand: YYYY-MM-DDTHH:MM:SSZ (UTC) or with "
	    "an offset such as +01:00", &f, 1);
	if (u != UI_OK || valid_datetime(value, &t, NULL) == -1)
		return (ui_session_over(u));
	clock_gettime(CLOCK_REALTIME, &now);
	systime_format(shown, sizeof shown, t, NULL);
	xasprintf(&q, "Set the clock to %s UTC? That is a step of %+lld "
	    "seconds.", shown, (long long)(t - now.tv_sec));
	u = ui_confirm("Set the time by hand", q);
	free(q);
	if (u != 1)
		return (ui_session_over(u));
	rc = time_priv("set", value, 1, &msg);
	return (time_tui_result("Set the time by hand", rc, msg));
}

static enum cmd_retval
time_tui(struct cmd_ctx *ctx)
{
	static const struct ui_menu_item items[] = {
		{ '1', "View the details" },
		{ '2', "Synchronise now" },
		{ '3', "NTP servers" },
		{ '4', "Time zone" },
		{ '5', "Set the time by hand" },
		{ '6', "Restart the time service" },
		{ '0', "Back" },
	};
	struct systime_report	 r;
	struct ui_menu		 m;
	char			 h[4][160], w[160], *cause = NULL, *text, *msg;
	const char		*header[4] = { h[0], h[1], h[2], h[3] };
	int			 u, end = 0, rc, selected = 0;

	while (!end) {
		ui_progress("Asking the NTP servers...");
		if (systime_report_collect(ctx->config, &r, &cause) == -1) {
			u = ui_message(TIME_TITLE, cause);
			free(cause);
			systime_report_free(&r);
			return (ui_session_over(u) ? CMD_RETURN_EXIT :
			    CMD_RETURN_ERROR);
		}
		snprintf(h[0], sizeof h[0], "Local time  %s", r.local);
		snprintf(h[1], sizeof h[1], "UTC         %s   Zone %s", r.utc,
		    r.zone);
		snprintf(h[2], sizeof h[2], "Service     %s, kernel clock %s",
		    systime_service_name(r.service), r.kernel_synced == 1 ?
		    "synchronised" : "not synchronised");
		if (r.best != -1)
			snprintf(h[3], sizeof h[3], "Best        %.40s, offset "
			    "%+.6f s", r.results[r.best].server,
			    (double)r.results[r.best].offset_ns / 1e9);
		else
			snprintf(h[3], sizeof h[3], "Best        none of %d "
			    "server%s answered", r.servers.n,
			    r.servers.n == 1 ? "" : "s");
		time_warning(&r, w, sizeof w);
		memset(&m, 0, sizeof m);
		m.title = TIME_TITLE;
		m.header = header;
		m.nheader = 4;
		m.warning = w[0] ? w : NULL;
		m.items = items;
		m.nitems = 7;
		m.selected = selected;
		u = ui_menu_run(&m);
		selected = m.selected;
		switch (u) {
		case 0:
			text = time_text(&r);
			end = ui_session_over(ui_view(TIME_TITLE, text));
			free(text);
			break;
		case 1:
			end = time_tui_sync(ctx, &r);
			break;
		case 2:
			end = time_tui_servers(ctx);
			break;
		case 3:
			end = time_tui_zone();
			break;
		case 4:
			end = time_tui_set();
			break;
		case 5:
			u = ui_confirm("Restart the time service", "Restart "
			    "the time service now?");
			if (u == 1) {
				rc = time_priv("restart", NULL, 1, &msg);
				end = time_tui_result("Restart the time "
				    "service", rc, msg);
			} else
				end = ui_session_over(u);
			break;
		default:
			systime_report_free(&r);
			return (ui_session_over(u) ? CMD_RETURN_EXIT :
			    CMD_RETURN_OK);
		}
		systime_report_free(&r);
	}
	return (CMD_RETURN_EXIT);
}
