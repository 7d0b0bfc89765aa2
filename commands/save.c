/* SPDX-License-Identifier: ISC */
/*
 * save-iptables and save-routing-table: keep what is in force now for the
 * next boot. Each is one verb of a privileged helper with no argument:
 *   save-iptables       the firewall helper writes iptables-save's output
 *                       to /etc/appliance-console/iptables.rules, which the
 *                       appliance-console-firewall unit restores;
 *   save-routing-table  the network helper writes the static routes in
 *                       force into /etc/appliance-console/network.conf,
 *                       which the appliance-console-network unit applies.
 */
#include <stdlib.h>

#include "cmd.h"
#include "fwrule.h"
#include "netconf.h"
#include "tool.h"

#define SAVE_TIMEOUT_MS	40000

static enum cmd_retval	 save_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_save_iptables_entry = {
	.name = "save-iptables",
	.number = 0,
	.title = "Keep the firewall rules across reboots",
	.usage = "save-iptables",
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = save_cli,
	.help = "Saves every table's rules, as iptables-save prints them, to\n"
	    "/etc/appliance-console/iptables.rules (replaced whole, never\n"
	    "half written). They are restored at boot before the network\n"
	    "comes up.\nExample:\n  save-iptables\n"
};

const struct cmd_entry cmd_save_routing_table_entry = {
	.name = "save-routing-table",
	.number = 0,
	.title = "Keep the static routes across reboots",
	.usage = "save-routing-table",
	.flags = CMD_PRIV,
	.tui = NULL,
	.cli = save_cli,
	.help = "Saves every static route in force (added with 'ip route add'\n"
	    "or 'network route add', not the adapters' gateways) into\n"
	    "/etc/appliance-console/network.conf, replaced whole, never half\n"
	    "written; they are restored at boot. Not while a network change\n"
	    "waits for confirmation.\nExample:\n  save-routing-table\n"
};

static enum cmd_retval
save_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce = &cmd_save_iptables_entry;
	const struct verb_domain *d = &fw_verbs;
	int			 verb = FW_V_SAVE;
	char			*cause = NULL;

	/* argv[0] is as typed, maybe a prefix: the table says which. */
	if (cmd_find(ctx->config, argv[0], &cause) ==
	    &cmd_save_routing_table_entry) {
		ce = &cmd_save_routing_table_entry;
		d = &netconf_verbs;
		verb = NETCONF_V_SAVE_ROUTES;
	}
	free(cause);
	if (argc != 1)
		return (cmd_usage_error(ctx, ce));
	return (tool_priv(ctx, ce->name, d, verb, NULL, SAVE_TIMEOUT_MS));
}
