/* SPDX-License-Identifier: ISC */
/*
 * save-iptables: keep the firewall rules in force now. The firewall
 * helper writes iptables-save's output atomically to
 * /etc/appliance-console/iptables.rules, which the boot unit
 * (appliance-console-firewall) feeds to iptables-restore.
 */
#include "cmd.h"
#include "tool.h"

#define SAVE_IPTABLES_TIMEOUT_MS	40000

static enum cmd_retval	 save_iptables_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_save_iptables_entry = {
	.name = "save-iptables",
	.number = 0,
	.title = "Keep the firewall rules across reboots",
	.usage = "save-iptables",
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = save_iptables_cli,
	.help = "Saves every table's rules, as iptables-save prints them, to\n"
	    "/etc/appliance-console/iptables.rules (replaced whole, never\n"
	    "half written). They are restored at boot before the network\n"
	    "comes up.\nExample:\n  save-iptables\n"
};

static enum cmd_retval
save_iptables_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return (tool_usage(ctx, &cmd_save_iptables_entry));
	return (tool_priv(ctx, "save-iptables", "firewall", "save", NULL,
	    SAVE_IPTABLES_TIMEOUT_MS));
}
