/* SPDX-License-Identifier: ISC */
/*
 * ip: the read-only views of iproute2 run unprivileged with an argv the
 * grammar rebuilt (prompt_ip_parse); route, address and link changes go
 * through module 200's change path, which applies them with the network
 * helper's commit-confirmed rollback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "grammar.h"
#include "network-cli.h"
#include "tool.h"

#define IP_TIMEOUT_MS	10000

extern const struct cmd_entry	 cmd_network_entry;

static enum cmd_retval	 ip_cli(struct cmd_ctx *, int, char **);

static const char *const	 ip_paths[] = {
	"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip", NULL
};

static const char *const	 ip_keywords[] = {
	"-4", "-6", "-br", "-j", "addr", "link", "route", "neigh", "rule",
	"show", "dev", "add", "del", "set", "via", "up", "down", "mtu", NULL
};

const struct cmd_entry cmd_ip_entry = {
	.name = "ip",
	.number = 0,
	.title = "Show addresses, links, routes",
	.usage = "ip [-4|-6] [-br] [-j] addr|link|route|neigh|rule [show] "
	    "[dev IFACE]",
	/* Its changes go through the network helper, as network's do. */
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = ip_cli,
	.help =
	    "Shows the kernel's view with iproute2, read-only. Changes:\n"
	    "  ip route add|del PREFIX via ADDR [dev IFACE]\n"
	    "    applied like 'network route add', kept only when confirmed\n"
	    "    with 'network confirm'.\n"
	    "  ip addr add|del ADDR/PREFIX dev IFACE\n"
	    "  ip link set IFACE up|down|mtu N\n"
	    "    the same: a static address more or less, the link's state\n"
	    "    or MTU, rolled back unless confirmed.\n"
	    "Never: netns, vrf exec, -batch, -force, monitor.\n"
	    "Examples:\n  ip -br addr\n  ip -6 route show dev eth0\n"
	    "  ip -j link\n  ip route add 10.9.0.0/16 via 192.0.2.1\n"
	    "  ip addr add 192.0.2.11/24 dev eth0\n  ip link set eth1 mtu 9000\n",
	.keywords = ip_keywords
};

static enum cmd_retval
ip_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct prompt_cmd	 pc;
	char			*cause = NULL;

	if (prompt_ip_parse(argc, argv, &pc, &cause) == -1) {
		(void)cmd_refuse(ctx, "%s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (pc.kind == PROMPT_RUN)
		return (tool_run(ctx, "ip", ip_paths, pc.argv, IP_TIMEOUT_MS));
	if (!cmd_visible(ctx->config, &cmd_network_entry)) {
		(void)cmd_refuse(ctx, "the network is managed outside this "
		    "appliance; it cannot be changed here");
		return (CMD_RETURN_ERROR);
	}
	if (pc.kind == PROMPT_NETWORK)
		return (cmd_sub_run(ctx, &cmd_network_entry, pc.argc,
		    (char **)pc.argv));
	/* addr-add, addr-del, link-set, link-mtu: the same rollback. */
	return (network_cli_change(ctx, pc.argv[0], pc.argv + 1));
}
