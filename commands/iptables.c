/* SPDX-License-Identifier: ISC */
/*
 * iptables: the prompt's firewall command. The line is parsed here with
 * the grammar of fwrule.c (a refusal costs nothing and names the word),
 * then sent as its canonical form to the firewall helper, which parses it
 * again and runs iptables as root. Changes last until the next boot
 * unless save-iptables keeps them. At the interactive prompt a change that
 * can cut sessions (-F, -X, -D, -R, a DROP policy or rule) is confirmed
 * first; "ssh admin@host 'iptables ...'" runs as typed, for automation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fwrule.h"
#include "tool.h"
#include "ui.h"
#include "xmalloc.h"

#define IPTABLES_TIMEOUT_MS	40000

static enum cmd_retval	 iptables_cli(struct cmd_ctx *, int, char **);

static const char *const	 iptables_keywords[] = {
	"-t", "filter", "nat", "mangle", "-L", "-S", "-n", "-v",
	"--line-numbers", "-A", "-I", "-D", "-R", "-F", "-Z", "-N", "-X", "-P",
	"INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING", "-p",
	"tcp", "udp", "icmp", "all", "-s", "-d", "-i", "-o", "--sport",
	"--dport", "-m", "state", "conntrack", "comment", "--state",
	"--ctstate", "NEW", "ESTABLISHED", "RELATED", "INVALID", "--comment",
	"-j", "ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "REDIRECT", "DNAT",
	"SNAT", "MASQUERADE", "--log-prefix", "--reject-with", "--to-ports",
	"--to-destination", "--to-source", NULL
};

const struct cmd_entry cmd_iptables_entry = {
	.name = "iptables",
	.number = 0,
	.title = "Show and change the firewall",
	.usage = "iptables [-t filter|nat|mangle] -L|-S|-A|-I|-D|-R|-F|-Z|-N|"
	    "-X|-P [CHAIN] [RULE]",
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = iptables_cli,
	.help =
	    "The IPv4 firewall, through the privileged firewall helper.\n"
	    "Show:   -L [CHAIN] [-n] [-v] [--line-numbers], -S [CHAIN]\n"
	    "Change: -A CHAIN RULE, -I CHAIN [N] RULE, -D CHAIN N|RULE,\n"
	    "        -R CHAIN N RULE, -F [CHAIN], -Z [CHAIN], -N CHAIN,\n"
	    "        -X [CHAIN], -P CHAIN ACCEPT|DROP\n"
	    "RULE:   [-p tcp|udp|icmp|all] [-s ADDR[/N]] [-d ADDR[/N]]\n"
	    "        [-i IFACE] [-o IFACE] [--sport P[:P]] [--dport P[:P]]\n"
	    "        [-m state --state S,..|-m conntrack --ctstate S,..]\n"
	    "        [-m comment --comment TEXT] -j TARGET\n"
	    "TARGET: ACCEPT DROP RETURN, REJECT [--reject-with TYPE],\n"
	    "        LOG [--log-prefix TEXT], REDIRECT [--to-ports P[-P]],\n"
	    "        DNAT --to-destination ADDR[:P], SNAT --to-source ADDR[:P],\n"
	    "        MASQUERADE [--to-ports P[-P]], or a chain made with -N\n"
	    "Changes last until reboot unless kept with save-iptables.\n"
	    "Never: --modprobe, files, other matches or targets.\n"
	    "Examples:\n  iptables -L -n -v\n"
	    "  iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n"
	    "  iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT "
	    "--to-ports 8080\n"
	    "  iptables -D INPUT 3\n",
	.keywords = iptables_keywords
};

static enum cmd_retval
iptables_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct fw_rule	 r;
	char		 line[FW_LINE_MAX + 1], *cause = NULL, *q;
	const char	*args[2] = { line, NULL };
	int		 u;

	if (argc < 2)
		return (tool_usage(ctx, &cmd_iptables_entry));
	if (fw_parse(argc, argv, &r, &cause) == -1 ||
	    fw_format(&r, line, sizeof line) == -1) {
		fprintf(ctx->err, "%s\n", cause != NULL ? cause :
		    "iptables: the rule is too long");
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (ctx->prompt && fw_is_disruptive(&r)) {
		xasprintf(&q, "This may cut connections to the appliance, "
		    "yours included:\n\n%s\n\nApply it?", line);
		ui_resume();
		u = ui_confirm("Firewall change", q);
		ui_suspend();
		free(q);
		if (u != 1) {
			fprintf(ctx->err, "iptables: not applied\n");
			if (ui_session_over(u))
				ctx->leave = CMD_LEAVE_SESSION;
			return (CMD_RETURN_ERROR);
		}
	}
	return (tool_priv(ctx, "iptables", &fw_verbs, FW_V_RUN, args,
	    IPTABLES_TIMEOUT_MS));
}
