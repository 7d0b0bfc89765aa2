/* SPDX-License-Identifier: ISC */
/*
 * Making the live system match a network configuration: addresses, links,
 * routes (ours carry protocol "static"), the DHCP client per adapter,
 * resolv.conf and the host name. Used only by the privileged network
 * helper and the DHCP event hook; needs CAP_NET_ADMIN.
 */
#ifndef NETAPPLY_H
#define NETAPPLY_H

#include "netconf.h"

#define NETAPPLY_STATE		"/var/lib/appliance-console/network"
/* The console (unprivileged) reads pending.info and lease-IFACE there. */
#define NETAPPLY_STATE_MODE	0755
#define NETAPPLY_UDHCPC		"/usr/sbin/udhcpc"

/* Reconcile the live system with cfg. Returns 0, or -1 with *cause. */
int	 netapply_run(const struct netconf *, char **);
/*
 * ARP-probe every IPv4 address cfg adds that is not live yet. -1 with
 * *cause naming the address and the MAC that answered for it.
 */
int	 netapply_probe(const struct netconf *, const struct netconf_live *,
	     char **);
/* The applied configuration the DHCP hook follows (state dir). */
int	 netapply_applied(struct netconf *, char **);
/* Wait up to ms for the lease of iface; 0 with its summary in *text. */
int	 netapply_wait_lease(const char *, int, char **);
/* Write resolv.conf for cfg, adding the lease servers when it has none. */
int	 netapply_resolv(const struct netconf *, char **);

#endif
