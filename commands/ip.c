/* SPDX-License-Identifier: ISC */
/*
 * The prompt's `ip`: a grammar, not a pass-through. Reading
 * (`[-4|-6] [-br] [-j] addr|link|route|neigh|rule [show] [dev IFACE]`)
 * runs /sbin/ip with an argv rebuilt from the parsed words, never the
 * user's; route changes become `network route add|del`, which goes through
 * the privileged helper with its confirmation. Everything else (netns,
 * vrf, -batch, -force, monitor, files) is refused by construction: only
 * the words below are known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ip.h"
#include "spawn.h"
#include "valid.h"
#include "xmalloc.h"

#define IP_PATH		"/sbin/ip"
#define IP_TIMEOUT_MS	10000

static enum cmd_retval	 ip_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_ip_entry = {
	.name = "ip",
	.number = 0,
	.title = "Show addresses, links, routes (ip)",
	.usage = "ip [-4|-6] [-br] [-j] addr|link|route|neigh|rule [show] "
	    "[dev IFACE] | ip route add|del PREFIX via ADDR [dev IFACE]",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = ip_cli
};

static const struct {
	const char	*word;		/* what may be typed, ip's abbreviations */
	const char	*object;	/* what is passed on */
} ip_objects[] = {
	{ "address", "address" }, { "addr", "address" }, { "a", "address" },
	{ "link", "link" }, { "l", "link" },
	{ "route", "route" }, { "r", "route" },
	{ "neighbour", "neigh" }, { "neigh", "neigh" }, { "n", "neigh" },
	{ "rule", "rule" }, { "ru", "rule" },
};

void
ip_argv_free(struct ip_argv *a)
{
	int	 i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	memset(a, 0, sizeof *a);
}

static void
ip_push(struct ip_argv *a, const char *w)
{
	a->argv[a->argc++] = xstrdup(w);
	a->argv[a->argc] = NULL;
}

int
ip_parse(int argc, char **argv, struct ip_argv *out, char **cause)
{
	const char	*object = NULL, *opt4 = NULL;
	int		 i = 1, br = 0, json = 0;
	size_t		 k;

	memset(out, 0, sizeof *out);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-4") == 0 || strcmp(argv[i], "-6") == 0)
			opt4 = argv[i];
		else if (strcmp(argv[i], "-br") == 0 ||
		    strcmp(argv[i], "-brief") == 0)
			br = 1;
		else if (strcmp(argv[i], "-j") == 0 ||
		    strcmp(argv[i], "-json") == 0)
			json = 1;
		else {
			xasprintf(cause, "ip: option '%s' is not allowed "
			    "(only -4, -6, -br and -j)", argv[i]);
			return (-1);
		}
	}
	if (i >= argc) {
		xasprintf(cause, "ip: say what to show: addr, link, route, "
		    "neigh or rule");
		return (-1);
	}
	for (k = 0; k < sizeof ip_objects / sizeof ip_objects[0]; k++)
		if (strcmp(argv[i], ip_objects[k].word) == 0)
			object = ip_objects[k].object;
	if (object == NULL) {
		xasprintf(cause, "ip: '%s' is not allowed here (addr, link, "
		    "route, neigh or rule)", argv[i]);
		return (-1);
	}
	i++;
	/* route add|del: a configuration change, through module 200. */
	if (strcmp(object, "route") == 0 && i < argc &&
	    (strcmp(argv[i], "add") == 0 || strcmp(argv[i], "del") == 0 ||
	    strcmp(argv[i], "delete") == 0)) {
		out->network = 1;
		ip_push(out, "network");
		ip_push(out, "route");
		ip_push(out, argv[i][1] == 'd' ? "add" : "del");
		for (i++; i < argc; i++) {
			if (out->argc >= IP_ARGV_MAX - 1) {
				xasprintf(cause, "ip: too many words");
				ip_argv_free(out);
				return (-1);
			}
			ip_push(out, argv[i]);
		}
		return (0);
	}
	if (i < argc && (strcmp(argv[i], "show") == 0 ||
	    strcmp(argv[i], "list") == 0 || strcmp(argv[i], "ls") == 0))
		i++;
	ip_push(out, IP_PATH);
	if (opt4 != NULL)
		ip_push(out, opt4);
	if (br)
		ip_push(out, "-brief");
	if (json)
		ip_push(out, "-json");
	ip_push(out, object);
	ip_push(out, "show");
	if (i < argc) {
		if (strcmp(argv[i], "dev") != 0 || i + 2 != argc) {
			xasprintf(cause, "ip: after '%s show' only 'dev IFACE' "
			    "is allowed; changes are made with 'network'",
			    object);
			ip_argv_free(out);
			return (-1);
		}
		if (valid_ifname(argv[i + 1], cause) == -1) {
			ip_argv_free(out);
			return (-1);
		}
		ip_push(out, "dev");
		ip_push(out, argv[i + 1]);
	}
	return (0);
}

static enum cmd_retval
ip_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ip_argv		 a;
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*cause = NULL;
	enum cmd_retval		 r = CMD_RETURN_ERROR;

	if (ip_parse(argc, argv, &a, &cause) == -1) {
		fprintf(ctx->err, "%s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (a.network) {
		r = (enum cmd_retval)cmd_run_cli(ctx, a.argc, a.argv);
		ip_argv_free(&a);
		return (r);
	}
	memset(&req, 0, sizeof req);
	req.path = IP_PATH;
	req.argv = a.argv;
	req.timeout_ms = IP_TIMEOUT_MS;
	if (spawn_run(&req, &res, &cause) == -1) {
		fprintf(ctx->err, "ip: %s\n", cause);
		free(cause);
		goto out;
	}
	if (res.out != NULL)
		fwrite(res.out, 1, res.out_len, ctx->out);
	if (res.err != NULL)
		fwrite(res.err, 1, res.err_len, ctx->err);
	r = res.exited && res.exit_code == 0 ? CMD_RETURN_OK :
	    CMD_RETURN_FAILED;
	spawn_result_free(&res);
out:
	ip_argv_free(&a);
	return (r);
}
