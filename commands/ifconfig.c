/* SPDX-License-Identifier: ISC */
/*
 * ifconfig: the interfaces and their addresses as the kernel has them,
 * read over netlink and printed in ifconfig's layout. Display only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlink.h"
#include "tool.h"
#include "valid.h"

static enum cmd_retval	 ifconfig_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_ifconfig_entry = {
	.name = "ifconfig",
	.number = 0,
	.title = "Show the interfaces",
	.usage = "ifconfig [IFACE]",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = ifconfig_cli,
	.help = "Display only: state, MTU, MAC and addresses of every\n"
	    "interface, or of one. Changes go through 'network' or 'ip'.\n"
	    "Examples:\n  ifconfig\n  ifconfig eth0\n"
};

static enum cmd_retval
ifconfig_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct netlink_link	*links = NULL;
	struct netlink_addr	*addrs = NULL;
	char			*cause = NULL;
	int			 nl, na = 0, i, j, shown = 0;
	enum cmd_retval		 ret = CMD_RETURN_ERROR;

	if (argc > 2)
		return (cmd_usage_error(ctx, &cmd_ifconfig_entry));
	if (argc == 2 && valid_ifname(argv[1], &cause) == -1) {
		(void)cmd_refuse(ctx, "interface: %s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if ((nl = netlink_dump_links(&links, &cause)) == -1 ||
	    (na = netlink_dump_addrs(&addrs, &cause)) == -1) {
		(void)cmd_error(ctx, "%s", cause);
		free(cause);
		goto out;
	}
	for (i = 0; i < nl; i++) {
		if (argc == 2 && strcmp(links[i].ifname, argv[1]) != 0)
			continue;
		if (shown++ > 0)
			fprintf(ctx->out, "\n");
		fprintf(ctx->out, "%s: flags=%s%s%s  mtu %u\n", links[i].ifname,
		    links[i].up ? "UP" : "DOWN",
		    links[i].carrier ? ",RUNNING" : "",
		    links[i].loopback ? ",LOOPBACK" : "", links[i].mtu);
		if (links[i].mac[0] != '\0' && !links[i].loopback)
			fprintf(ctx->out, "        ether %s\n", links[i].mac);
		for (j = 0; j < na; j++) {
			if (addrs[j].ifindex != links[i].ifindex)
				continue;
			fprintf(ctx->out, "        %s %s/%d\n",
			    addrs[j].family == AF_INET6 ? "inet6" : "inet",
			    addrs[j].addr, addrs[j].prefixlen);
		}
	}
	if (argc == 2 && shown == 0) {
		(void)cmd_fail(ctx, "no interface named %s",
		    argv[1]);
		goto out;
	}
	ret = CMD_RETURN_OK;
out:
	free(links);
	free(addrs);
	return (ret);
}
