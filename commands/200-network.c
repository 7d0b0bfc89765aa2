/* SPDX-License-Identifier: ISC */
/*
 * Module 200, Network Configuration: the CLI and TUI faces of network.c
 * (the state) and netconf.c (the edits). A change is checked here first
 * (the same edit and validation the helper repeats), shown as a before and
 * after summary with a warning when it touches the adapter this SSH
 * session arrives on, then applied by the network helper, which leaves a
 * rollback timer: "network confirm" keeps the change.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "netconf.h"
#include "netstate.h"
#include "network-cli.h"
#include "priv.h"
#include "text.h"
#include "ui.h"
#include "valid.h"
#include "xmalloc.h"

#define NET_HELPER_MS	60000	/* a DHCP wait fits well inside */
#define NET_LIST_MAX	1024

static enum cmd_retval	 network_tui(struct cmd_ctx *);
static enum cmd_retval	 network_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_network_entry = {
	.name = "network",
	.number = 200,
	.title = "Network configuration",
	.usage = "network show [--json] | set IFACE dhcp|static ... | "
	    "route list|add|del ... | dns show|set ... | default IFACE | "
	    "hostname [NAME] | reset-dhcp | confirm | rollback",
	.flags = CMD_PRIV | CMD_CONFIRM,
	.tui = network_tui,
	.cli = network_cli
};

static const char *const network_usage[] = {
	"network show [--json]",
	"network set IFACE dhcp [--ipv6 slaac|off]",
	"network set IFACE static ADDR/PREFIX... [--gateway ADDR] "
	    "[--gateway6 ADDR] [--mtu N] [--dns ADDR]... [--search DOMAIN]...",
	"network route list | add|del PREFIX [via ADDR] [dev IFACE]",
	"network dns show | set [ADDR...] [--search DOMAIN...]",
	"network default IFACE",
	"network hostname [NAME]",
	"network reset-dhcp",
	"network confirm | rollback",
	NULL
};

/* A comma list of words, "" when empty. */
static void
network_list_add(char *list, size_t len, const char *word)
{
	size_t	 n = strlen(list);

	(void)xsnprintf(list + n, len - n, "%s%s", n > 0 ? "," : "", word);
}

/* A value of a verb: blank is absent. */
static const char *
network_opt(const char *s)
{
	return (*s != '\0' ? s : NULL);
}

/*
 * The preview: the summary of before and after, or -1 with *cause when
 * the change is refused here. *warn gets the SSH warning, if any.
 */
static int
network_preview(const char *verb, const char *const *args, char **diff,
    char **warn, char **cause)
{
	struct netconf_live	 live;
	struct netconf		*cur = netconf_new(), *next = NULL;
	char			 iface[IF_NAMESIZE], client[64];
	int			 r = -1, i, touched;

	*diff = *warn = NULL;
	if (netconf_live_read(&live, cause) == -1) {
		netconf_free(cur);
		return (-1);
	}
	if (netconf_current(cur, &live, cause) == -1)
		goto out;
	next = netconf_dup(cur);
	if (netconf_edit_verb(next, verb, args, &live, cause) == -1 ||
	    netconf_validate(next, &live, cause) == -1)
		goto out;
	*diff = netconf_diff(cur, next);
	if (netstate_ssh_iface(&live, iface, sizeof iface, client,
	    sizeof client) == 0) {
		const struct netconf_iface	*a, *b;
		char				*ta, *tb;

		a = netconf_iface_find(cur, iface);
		b = netconf_iface_find(next, iface);
		ta = a != NULL ? xstrdup(a->name) : NULL;
		touched = (a == NULL) != (b == NULL) || (a != NULL &&
		    memcmp(a, b, sizeof *a) != 0);
		tb = NULL;
		for (i = 0; !touched && i < next->nroutes; i++)
			touched = i >= cur->nroutes || memcmp(&cur->routes[i],
			    &next->routes[i], sizeof cur->routes[i]) != 0;
		touched |= cur->nroutes != next->nroutes ||
		    strcmp(cur->default_iface, next->default_iface) != 0;
		if (touched)
			xasprintf(warn, "This may drop your session from %s on "
			    "%s.", client, iface);
		free(ta);
		free(tb);
	}
	r = 0;
out:
	netconf_free(cur);
	netconf_free(next);
	netconf_live_free(&live);
	return (r);
}

/* Run one helper verb; its stdout is the report. Returns 0 or -1. */
static int
network_helper(const char *verb, const char *const *args, char **out,
    char **message)
{
	struct priv_result	 res;
	int			 r;

	r = priv_verb(&netconf_verbs, verb_index(&netconf_verbs,
	    verb_find(&netconf_verbs, verb)), args, NULL, NET_HELPER_MS, &res);
	*out = res.out != NULL ? text_sanitize_lines(res.out, res.out_len) :
	    xstrdup("");
	*message = res.message != NULL ? xstrdup(res.message) : NULL;
	priv_result_free(&res);
	return (r);
}

/* The CLI path of a change: preview, apply, report. */
enum cmd_retval
network_cli_change(struct cmd_ctx *ctx, const char *verb,
    const char *const *args)
{
	char	*diff = NULL, *warn = NULL, *cause = NULL, *out = NULL;
	int	 r;

	if (network_preview(verb, args, &diff, &warn, &cause) == -1) {
		fprintf(ctx->err, "network: %s\n", cause);
		audit_logf("refused", "network %s: %s", verb, cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (warn != NULL)
		fprintf(ctx->err, "Warning: %s\n", warn);
	r = network_helper(verb, args, &out, &cause);
	fprintf(ctx->out, "%s", out);
	if (r == -1)
		fprintf(ctx->err, "network: %s\n", cause);
	audit_logf(r == 0 ? "ok" : "failed", "network %s%s%s", verb,
	    r == 0 ? "" : ": ", r == 0 ? "" : cause);
	free(diff);
	free(warn);
	free(cause);
	free(out);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}

static enum cmd_retval
network_usage_error(struct cmd_ctx *ctx, const char *why)
{
	int	 i;

	if (why != NULL)
		fprintf(ctx->err, "network: %s\n", why);
	for (i = 0; network_usage[i] != NULL; i++)
		fprintf(ctx->err, "%s %s\n", i == 0 ? "usage:" : "      ",
		    network_usage[i]);
	return (CMD_RETURN_ERROR);
}

static enum cmd_retval
network_cli_show(struct cmd_ctx *ctx, int json, const char *part)
{
	struct netconf_live	 live;
	json_t			*root;
	char			*cause = NULL, *text, *end;

	memset(&live, 0, sizeof live);
	root = json ? netstate_collect_with(&live, &cause) :
	    netstate_collect(&cause);
	if (root == NULL) {
		fprintf(ctx->err, "network: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (!json) {
		text = netstate_text(root);
		fprintf(ctx->out, "%s\n", text);
		free(text);
	} else if (part != NULL && strcmp(part, "routes") == 0) {
		netstate_routes_dump(ctx->out, &live, 0);
		fputc('\n', ctx->out);
	} else if (part != NULL) {
		(void)json_dumpf(json_object_get(root, part), ctx->out,
		    JSON_INDENT(2));
		fputc('\n', ctx->out);
	} else {
		/* The tree, then the routes streamed in before its end. */
		text = json_dumps(root, JSON_INDENT(2));
		if (text != NULL && (end = strrchr(text, '}')) != NULL) {
			while (end > text && (end[-1] == '\n' ||
			    end[-1] == ' '))
				end--;
			fprintf(ctx->out, "%.*s,\n  \"routes\": ",
			    (int)(end - text), text);
			netstate_routes_dump(ctx->out, &live, 1);
			fprintf(ctx->out, "\n}\n");
		}
		free(text);
	}
	json_decref(root);
	netconf_live_free(&live);
	return (CMD_RETURN_OK);
}

/* network set IFACE static|dhcp ... */
static enum cmd_retval
network_cli_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		 addrs[NET_LIST_MAX] = "", dns[NET_LIST_MAX] = "";
	char		 search[NET_LIST_MAX] = "", gw[64] = "", gw6[64] = "";
	char		 mtu[16] = "";
	const char	*args[8];
	int		 i;

	if (argc < 4)
		return (network_usage_error(ctx, NULL));
	if (strcmp(argv[3], "dhcp") == 0) {
		const char	*v6 = "slaac";

		if (argc == 6 && strcmp(argv[4], "--ipv6") == 0)
			v6 = argv[5];
		else if (argc != 4)
			return (network_usage_error(ctx, NULL));
		args[0] = argv[2];
		args[1] = v6;
		return (network_cli_change(ctx, "dhcp", args));
	}
	if (strcmp(argv[3], "static") != 0)
		return (network_usage_error(ctx, "set: say dhcp or static"));
	for (i = 4; i < argc; i++) {
		const char	*opt = argv[i];

		if (opt[0] != '-') {
			if (strlen(addrs) + strlen(opt) + 2 > sizeof addrs)
				return (network_usage_error(ctx,
				    "too many addresses"));
			network_list_add(addrs, sizeof addrs, opt);
			continue;
		}
		if (i + 1 >= argc)
			return (network_usage_error(ctx, "an option needs a "
			    "value"));
		if (strlen(argv[i + 1]) >= 64 && strcmp(opt, "--dns") != 0 &&
		    strcmp(opt, "--search") != 0)
			return (network_usage_error(ctx, "a value is too "
			    "long"));
		if (strcmp(opt, "--gateway") == 0)
			(void)xsnprintf(gw, sizeof gw, "%s", argv[++i]);
		else if (strcmp(opt, "--gateway6") == 0)
			(void)xsnprintf(gw6, sizeof gw6, "%s", argv[++i]);
		else if (strcmp(opt, "--mtu") == 0)
			(void)xsnprintf(mtu, sizeof mtu, "%s", argv[++i]);
		else if (strcmp(opt, "--dns") == 0)
			network_list_add(dns, sizeof dns, argv[++i]);
		else if (strcmp(opt, "--search") == 0)
			network_list_add(search, sizeof search, argv[++i]);
		else
			return (network_usage_error(ctx, "unknown option"));
	}
	/* Not given: no gateways, the MTU and DNS as they are. */
	args[0] = argv[2];
	args[1] = network_opt(addrs);
	args[2] = network_opt(gw);
	args[3] = network_opt(gw6);
	args[4] = *mtu != '\0' ? mtu : verb_keep;
	args[5] = *dns != '\0' ? dns : verb_keep;
	args[6] = *search != '\0' ? search : verb_keep;
	return (network_cli_change(ctx, "static", args));
}

/* network route add|del PREFIX [via ADDR] [dev IFACE] */
static enum cmd_retval
network_cli_route(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*args[3] = { NULL, NULL, NULL };
	int		 i;

	if (argc == 3 && strcmp(argv[2], "list") == 0)
		return (network_cli_show(ctx, 1, "routes"));
	if (argc < 4 || (strcmp(argv[2], "add") != 0 &&
	    strcmp(argv[2], "del") != 0) || argc % 2 != 0)
		return (network_usage_error(ctx, NULL));
	args[0] = argv[3];
	for (i = 4; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "via") == 0)
			args[1] = argv[i + 1];
		else if (strcmp(argv[i], "dev") == 0)
			args[2] = argv[i + 1];
		else
			return (network_usage_error(ctx, "route: expected "
			    "via or dev"));
	}
	return (network_cli_change(ctx, argv[2][0] == 'a' ? "route-add" :
	    "route-del", args));
}

/* network dns set [ADDR...] [--search DOMAIN...] */
static enum cmd_retval
network_cli_dns(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		 dns[NET_LIST_MAX] = "", search[NET_LIST_MAX] = "";
	const char	*args[2];
	int		 i, in_search = 0;

	if (argc == 3 && strcmp(argv[2], "show") == 0)
		return (network_cli_show(ctx, 1, "dns"));
	if (argc < 3 || strcmp(argv[2], "set") != 0)
		return (network_usage_error(ctx, NULL));
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--search") == 0) {
			in_search = 1;
			continue;
		}
		if (strlen(argv[i]) > 253 || strlen(dns) + strlen(search) +
		    strlen(argv[i]) + 2 > NET_LIST_MAX)
			return (network_usage_error(ctx, "too long"));
		network_list_add(in_search ? search : dns, NET_LIST_MAX,
		    argv[i]);
	}
	args[0] = network_opt(dns);
	args[1] = network_opt(search);
	return (network_cli_change(ctx, "dns", args));
}

/* confirm, rollback: no preview, straight to the helper. */
static enum cmd_retval
network_cli_plain(struct cmd_ctx *ctx, const char *verb)
{
	char	*out = NULL, *cause = NULL;
	int	 r;

	r = network_helper(verb, NULL, &out, &cause);
	fprintf(ctx->out, "%s", out);
	if (r == -1)
		fprintf(ctx->err, "network: %s\n", cause);
	audit_logf(r == 0 ? "ok" : "failed", "network %s", verb);
	free(out);
	free(cause);
	return (r == 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}

static enum cmd_retval
network_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*args[1] = { NULL };

	if (argc < 2 || (strcmp(argv[1], "show") == 0 && argc == 2))
		return (network_cli_show(ctx, 0, NULL));
	if (strcmp(argv[1], "show") == 0 && argc == 3 &&
	    strcmp(argv[2], "--json") == 0)
		return (network_cli_show(ctx, 1, NULL));
	if (strcmp(argv[1], "set") == 0)
		return (network_cli_set(ctx, argc, argv));
	if (strcmp(argv[1], "route") == 0)
		return (network_cli_route(ctx, argc, argv));
	if (strcmp(argv[1], "dns") == 0)
		return (network_cli_dns(ctx, argc, argv));
	if (strcmp(argv[1], "default") == 0 && argc == 3) {
		args[0] = argv[2];
		return (network_cli_change(ctx, "default", args));
	}
	if (strcmp(argv[1], "hostname") == 0 && argc == 2) {
		json_t	*root;
		char	*cause = NULL;

		if ((root = netstate_collect(&cause)) == NULL) {
			fprintf(ctx->err, "network: %s\n", cause);
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		fprintf(ctx->out, "%s\n", json_string_value(
		    json_object_get(root, "hostname")));
		json_decref(root);
		return (CMD_RETURN_OK);
	}
	if (strcmp(argv[1], "hostname") == 0 && argc == 3) {
		args[0] = argv[2];
		return (network_cli_change(ctx, "hostname", args));
	}
	if (strcmp(argv[1], "reset-dhcp") == 0 && argc == 2)
		return (network_cli_change(ctx, "reset-dhcp", args));
	if ((strcmp(argv[1], "confirm") == 0 ||
	    strcmp(argv[1], "rollback") == 0) && argc == 2)
		return (network_cli_plain(ctx, argv[1]));
	return (network_usage_error(ctx, NULL));
}

/* --- the TUI face ------------------------------------------------------ */

static int
network_tui_show(void)
{
	json_t	*root;
	char	*cause = NULL, *text;
	int	 u;

	if ((root = netstate_collect(&cause)) == NULL) {
		u = ui_message("200 Network", cause);
		free(cause);
		return (u);
	}
	text = netstate_text(root);
	json_decref(root);
	u = ui_view("200 Network: adapters, routes, DNS", text);
	free(text);
	return (u);
}

/*
 * A change from the TUI: preview and confirm, apply, then the countdown
 * until the admin keeps it (C) or rolls it back (R).
 */
static int
network_tui_change(const char *verb, const char *const *args)
{
	char	*diff = NULL, *warn = NULL, *cause = NULL, *out = NULL, *text;
	int	 u, r, left;

	if (network_preview(verb, args, &diff, &warn, &cause) == -1) {
		audit_logf("refused", "network %s: %s", verb, cause);
		u = ui_message("Not applied", cause);
		free(cause);
		return (u);
	}
	xasprintf(&text, "%s%s%s\nApply this change? It must be confirmed "
	    "afterwards, or it is rolled back.", diff, warn != NULL ? "\n" :
	    "", warn != NULL ? warn : "");
	u = ui_confirm("200 Network: apply this change?", text);
	free(text);
	free(diff);
	free(warn);
	if (u != 1)
		return (ui_session_over(u) ? u : UI_OK);
	ui_progress("Applying the change...");
	r = network_helper(verb, args, &out, &cause);
	audit_logf(r == 0 ? "ok" : "failed", "network %s%s%s", verb,
	    r == 0 ? "" : ": ", r == 0 ? "" : cause);
	if (r == -1) {
		u = ui_message("Not applied", cause);
		free(out);
		free(cause);
		return (u);
	}
	free(cause);
	cause = NULL;
	if ((left = netstate_pending_left()) < 0) {
		u = ui_message("200 Network", out);
		free(out);
		return (u);
	}
	u = ui_countdown("200 Network: keep this change?", out, left);
	free(out);
	if (ui_session_over(u))
		return (u);	/* the timer rolls back without us */
	if (u == UI_OK || u == UI_CANCEL) {
		r = network_helper(u == UI_OK ? "confirm" : "rollback", NULL,
		    &out, &cause);
		audit_logf(r == 0 ? "ok" : "failed", "network %s",
		    u == UI_OK ? "confirm" : "rollback");
		u = ui_message("200 Network", r == 0 ? out : cause);
		free(out);
		free(cause);
		return (u);
	}
	return (ui_message("200 Network", "The change was not confirmed in "
	    "time: the previous configuration is back."));
}

static int
network_valid_ifname(const char *s, char **cause)
{
	return (valid_ifname(s, cause));
}

static int
network_valid_cidrs(const char *s, char **cause)
{
	char			 copy[NET_LIST_MAX], *w, *save = NULL;
	struct netconf_addr	 a;

	if (xsnprintf(copy, sizeof copy, "%s", s) == -1) {
		xasprintf(cause, "too long");
		return (-1);
	}
	if (strspn(copy, " ") == strlen(copy)) {
		xasprintf(cause, "give at least one address, like "
		    "192.0.2.10/24");
		return (-1);
	}
	for (w = strtok_r(copy, " ,", &save); w != NULL;
	    w = strtok_r(NULL, " ,", &save))
		if (netconf_parse_host(w, &a, cause) == -1)
			return (-1);
	return (0);
}

static int
network_valid_prefix(const char *s, char **cause)
{
	return (valid_cidr(s, NULL, cause));
}

static int
network_valid_ip(const char *s, char **cause)
{
	return (valid_ip(s, NULL, cause));
}

static int
network_valid_mtu(const char *s, char **cause)
{
	return (valid_number(s, 68, 65535, NULL, cause));
}

/* Addresses or names, separated by spaces or commas. */
static int
network_valid_list(const char *s, char **cause)
{
	char	 copy[NET_LIST_MAX], *w, *save = NULL;

	if (xsnprintf(copy, sizeof copy, "%s", s) == -1) {
		xasprintf(cause, "too long");
		return (-1);
	}
	for (w = strtok_r(copy, " ,", &save); w != NULL;
	    w = strtok_r(NULL, " ,", &save))
		if (valid_ip(w, NULL, NULL) == -1 &&
		    valid_hostname(w, cause) == -1)
			return (-1);
	return (0);
}

/* The DNS fields of a form; blank means what `blank` says. */
#define NETWORK_DNS_FIELDS(dns, search, blank)				\
	{ "DNS servers", dns, sizeof dns, network_valid_list, 0, blank },\
	{ "Search domains", search, sizeof search, network_valid_list, 0,\
	    blank },

/* Spaces separate list items in a form; blank is an empty list. */
static void
network_form_list(const char *in, char *out, size_t len)
{
	const char	*p;

	out[0] = '\0';
	for (p = in; *p != '\0'; ) {
		char	 w[256];
		size_t	 n;

		p += strspn(p, " ,");
		if ((n = strcspn(p, " ,")) == 0)
			break;
		if (n < sizeof w) {
			memcpy(w, p, n);
			w[n] = '\0';
			network_list_add(out, len, w);
		}
		p += n;
	}
}

static int
network_tui_static(void)
{
	char		 iface[IF_NAMESIZE] = "eth0", addrs[256] = "";
	char		 gw[64] = "", gw6[64] = "", mtu[8] = "", dns[256] = "";
	char		 search[256] = "", a[NET_LIST_MAX], d[NET_LIST_MAX];
	char		 s[NET_LIST_MAX];
	const char	*args[7];
	struct ui_field	 f[] = {
		{ "Adapter", iface, sizeof iface, network_valid_ifname, 0,
		    NULL },
		{ "Addresses (ADDR/PREFIX ...)", addrs, sizeof addrs,
		    network_valid_cidrs, 0, NULL },
		{ "IPv4 gateway", gw, sizeof gw, network_valid_ip, 0, "none" },
		{ "IPv6 gateway", gw6, sizeof gw6, network_valid_ip, 0,
		    "none" },
		{ "MTU", mtu, sizeof mtu, network_valid_mtu, 0, "keep" },
		NETWORK_DNS_FIELDS(dns, search, "keep")
	};
	int		 u;

	u = ui_form("200 Network: static IP", f, 7);
	if (u != UI_OK)
		return (u == UI_CANCEL ? UI_OK : u);
	network_form_list(addrs, a, sizeof a);
	network_form_list(dns, d, sizeof d);
	network_form_list(search, s, sizeof s);
	/* Blank fields: no gateways, the MTU and DNS as they are. */
	args[0] = iface;
	args[1] = network_opt(a);
	args[2] = network_opt(gw);
	args[3] = network_opt(gw6);
	args[4] = *mtu != '\0' ? mtu : verb_keep;
	args[5] = *dns != '\0' ? network_opt(d) : verb_keep;
	args[6] = *search != '\0' ? network_opt(s) : verb_keep;
	return (network_tui_change("static", args));
}

/* A one-field form, then a change verb with that value. */
static int
network_tui_one(const char *title, const char *label, const char *verb,
    int (*valid)(const char *, char **), const char *second)
{
	char		 v[256] = "";
	const char	*args[2];
	struct ui_field	 f[] = { { label, v, sizeof v, valid, 0, NULL } };
	int		 u;

	u = ui_form(title, f, 1);
	if (u != UI_OK)
		return (u == UI_CANCEL ? UI_OK : u);
	args[0] = v;
	args[1] = second;
	return (network_tui_change(verb, args));
}

static int
network_tui_dns(void)
{
	char		 dns[256] = "", search[256] = "", d[NET_LIST_MAX];
	char		 s[NET_LIST_MAX];
	const char	*args[2];
	struct ui_field	 f[] = { NETWORK_DNS_FIELDS(dns, search, "none") };
	int		 u;

	u = ui_form("200 Network: DNS", f, 2);
	if (u != UI_OK)
		return (u == UI_CANCEL ? UI_OK : u);
	network_form_list(dns, d, sizeof d);
	network_form_list(search, s, sizeof s);
	args[0] = network_opt(d);
	args[1] = network_opt(s);
	return (network_tui_change("dns", args));
}

static int
network_tui_route(int add)
{
	char		 prefix[64] = "", via[64] = "", dev[IF_NAMESIZE] = "";
	const char	*args[3];
	struct ui_field	 f[] = {
		{ "Prefix (like 198.51.100.0/24)", prefix, sizeof prefix,
		    network_valid_prefix, 0, NULL },
		{ "Via gateway", via, sizeof via, network_valid_ip, 0,
		    "none" },
		{ "Adapter", dev, sizeof dev, network_valid_ifname, 0, "any" },
	};
	int		 u;

	u = ui_form(add ? "200 Network: add a route" :
	    "200 Network: delete a route", f, 3);
	if (u != UI_OK)
		return (u == UI_CANCEL ? UI_OK : u);
	args[0] = prefix;
	args[1] = network_opt(via);
	args[2] = network_opt(dev);
	return (network_tui_change(add ? "route-add" : "route-del", args));
}

static enum cmd_retval
network_tui(struct cmd_ctx *ctx)
{
	static const struct ui_menu_item items[] = {
		{ '1', "Describe adapters, routes and DNS" },
		{ '2', "Configure a static IP" },
		{ '3', "Configure DHCP on an adapter" },
		{ '4', "Reset all adapters to DHCP" },
		{ '5', "Choose the default adapter" },
		{ '6', "Add a static route" },
		{ '7', "Delete a static route" },
		{ '8', "DNS servers and search domains" },
		{ '9', "Host name" },
		{ '0', "Back" },
	};
	struct ui_menu	 m;
	const char	*header[1] = { "200 Network configuration" };
	const char	*none[1] = { NULL };
	int		 u, choice;

	(void)ctx;
	memset(&m, 0, sizeof m);
	m.title = "Network configuration";
	m.header = header;
	m.nheader = 1;
	m.items = items;
	m.nitems = (int)(sizeof items / sizeof items[0]);
	for (;;) {
		choice = ui_menu_run(&m);
		if (ui_session_over(choice))
			return (CMD_RETURN_EXIT);
		if (choice < 0 || items[choice].key == '0')
			return (CMD_RETURN_OK);
		audit_logf("ok", "menu 200 item %c", items[choice].key);
		switch (items[choice].key) {
		case '1':
			u = network_tui_show();
			break;
		case '2':
			u = network_tui_static();
			break;
		case '3':
			u = network_tui_one("200 Network: DHCP", "Adapter",
			    "dhcp", network_valid_ifname, "slaac");
			break;
		case '4':
			u = network_tui_change("reset-dhcp", none);
			break;
		case '5':
			u = network_tui_one("200 Network: default adapter",
			    "Adapter", "default", network_valid_ifname, NULL);
			break;
		case '6':
		case '7':
			u = network_tui_route(items[choice].key == '6');
			break;
		case '8':
			u = network_tui_dns();
			break;
		default:
			u = network_tui_one("200 Network: host name",
			    "Host name", "hostname", valid_hostname, NULL);
			break;
		}
		if (ui_session_over(u))
			return (CMD_RETURN_EXIT);
	}
}
