/* SPDX-License-Identifier: ISC */
/*
 * Netlink over libmnl: dumps of links, addresses and routes read in-process
 * (never by parsing ip's output), with sequence and port checks.
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <netinet/in.h>
#include <net/if.h>

#define NETLINK_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

struct netlink_addr {
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	int	 family;		/* AF_INET, AF_INET6 */
	char	 addr[NETLINK_ADDR_STRLEN];
	int	 prefixlen;
	int	 scope;			/* RT_SCOPE_* */
};

struct netlink_route {
	int	 family;
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	char	 dst[NETLINK_ADDR_STRLEN];	/* "" for default */
	int	 dst_len;
	char	 gateway[NETLINK_ADDR_STRLEN];	/* "" for none */
	unsigned priority;
};

struct netlink_link {
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	unsigned flags;			/* IFF_* */
	int	 carrier;		/* lower layer up */
	int	 operstate;		/* IF_OPER_* */
};

struct netlink_neigh {
	int	 ifindex;
	int	 family;
	char	 addr[NETLINK_ADDR_STRLEN];
	int	 has_lladdr;		/* a link-layer address is known */
	unsigned state;			/* NUD_* */
};

/* All addresses of all links. Returns the count or -1 with *cause. */
int	 netlink_dump_addrs(struct netlink_addr **, char **);
/* Routes of the main table. Returns the count or -1 with *cause. */
int	 netlink_dump_routes(struct netlink_route **, char **);

/* All links with their flags and carrier. Returns the count or -1 with *cause. */
int	 netlink_dump_links(struct netlink_link **, char **);
/* The neighbour (ARP/NDP) table. Returns the count or -1 with *cause. */
int	 netlink_dump_neighs(struct netlink_neigh **, char **);

#endif
