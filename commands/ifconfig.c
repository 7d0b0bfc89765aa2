/* SPDX-License-Identifier: ISC */
/*
 * The prompt's `ifconfig [IFACE]` (display only, read in-process over
 * netlink, never by running a tool) and `testconn HOST [PORT] | URL`,
 * which is the connectivity test of module 210 for one target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>

#include "cmd.h"
#include "netconf.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

static enum cmd_retval	 ifconfig_cli(struct cmd_ctx *, int, char **);
static enum cmd_retval	 testconn_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_ifconfig_entry = {
	.name = "ifconfig",
	.number = 0,
	.title = "Show the network adapters",
	.usage = "ifconfig [IFACE]",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = ifconfig_cli
};

const struct cmd_entry cmd_testconn_entry = {
	.name = "testconn",
	.number = 0,
	.title = "Test the connection to one host or URL",
	.usage = "testconn HOST [PORT] | testconn URL",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = testconn_cli
};

static enum cmd_retval
ifconfig_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct netconf_live		 live;
	const struct netlink_link	*l;
	const struct netlink_addr	*a;
	char				*cause = NULL, *name;
	int				 i, j, shown = 0;

	if (argc > 2) {
		fprintf(ctx->err, "usage: %s\n", cmd_ifconfig_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (argc == 2 && valid_ifname(argv[1], &cause) == -1) {
		fprintf(ctx->err, "ifconfig: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (netconf_live_read(&live, &cause) == -1) {
		fprintf(ctx->err, "ifconfig: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	for (i = 0; i < live.nlinks; i++) {
		l = &live.links[i];
		if (argc == 2 && strcmp(argv[1], l->ifname) != 0)
			continue;
		shown++;
		/* Kernel names may hold any byte but '/': shown, not sent. */
		name = text_sanitize(l->ifname, strlen(l->ifname));
		fprintf(ctx->out, "%s: <%s%s%s> mtu %u\n", name,
		    l->up ? "UP" : "DOWN", l->carrier ? ",LOWER_UP" : "",
		    l->loopback ? ",LOOPBACK" : "", l->mtu);
		free(name);
		if (l->mac[0] != '\0')
			fprintf(ctx->out, "    ether %s\n", l->mac);
		for (j = 0; j < live.naddrs; j++) {
			a = &live.addrs[j];
			if (a->ifindex != l->ifindex)
				continue;
			fprintf(ctx->out, "    %s %s/%d%s\n", a->family ==
			    AF_INET ? "inet" : "inet6", a->addr, a->prefixlen,
			    a->flags & IFA_F_TENTATIVE ? " tentative" : "");
		}
	}
	netconf_live_free(&live);
	if (argc == 2 && shown == 0) {
		fprintf(ctx->err, "ifconfig: there is no adapter %s\n",
		    argv[1]);
		return (CMD_RETURN_FAILED);
	}
	return (CMD_RETURN_OK);
}

static enum cmd_retval
testconn_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		 target[300], *cargv[4], *cause = NULL;
	long long	 port;
	enum cmd_retval	 r;

	if (argc < 2 || argc > 3) {
		fprintf(ctx->err, "usage: %s\n", cmd_testconn_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (argc == 3 || strstr(argv[1], "://") == NULL) {
		/* HOST [PORT]: HOST:PORT, 443 when none is given. */
		port = 443;
		if (argc == 3 && valid_number(argv[2], 1, 65535, &port,
		    &cause) == -1) {
			fprintf(ctx->err, "testconn: port: %s\n", cause);
			free(cause);
			return (CMD_RETURN_ERROR);
		}
		if (xsnprintf(target, sizeof target, strchr(argv[1], ':') !=
		    NULL ? "[%s]:%lld" : "%s:%lld", argv[1], port) == -1) {
			fprintf(ctx->err, "testconn: the host is too long\n");
			return (CMD_RETURN_ERROR);
		}
	} else if (xsnprintf(target, sizeof target, "%s", argv[1]) == -1) {
		fprintf(ctx->err, "testconn: the URL is too long\n");
		return (CMD_RETURN_ERROR);
	}
	/* The connectivity test validates the target before any traffic. */
	cargv[0] = "connectivity";
	cargv[1] = "test";
	cargv[2] = target;
	cargv[3] = NULL;
	r = (enum cmd_retval)cmd_run_cli(ctx, 3, cargv);
	return (r);
}
