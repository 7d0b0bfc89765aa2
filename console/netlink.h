/* SPDX-License-Identifier: ISC */
/*
 * Netlink over libmnl: dumps of links, addresses and routes read in-process
 * (never by parsing ip's output), with sequence and port checks, and the
 * changes the network helper makes (acknowledged, with the kernel's
 * extended-ack text in the error).
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <netinet/in.h>
#include <net/if.h>

#define NETLINK_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

#define NETLINK_MAC_STRLEN	18

struct netlink_link {
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	int	 up;			/* administratively up */
	int	 carrier;		/* lower layer up */
	unsigned mtu;
	char	 mac[NETLINK_MAC_STRLEN];	/* "" when none */
	int	 loopback;
	char	 kind[16];		/* veth, bridge...; "" for hardware */
};

struct netlink_addr {
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	int	 family;		/* AF_INET, AF_INET6 */
	char	 addr[NETLINK_ADDR_STRLEN];
	int	 prefixlen;
	int	 scope;			/* RT_SCOPE_* */
	unsigned flags;			/* IFA_F_* */
	unsigned valid_lft;		/* seconds; 0xffffffff = forever */
};

struct netlink_route {
	int	 family;
	int	 ifindex;
	char	 ifname[IF_NAMESIZE];
	char	 dst[NETLINK_ADDR_STRLEN];	/* "" for default */
	int	 dst_len;
	char	 gateway[NETLINK_ADDR_STRLEN];	/* "" for none */
	unsigned priority;
	int	 protocol;		/* RTPROT_* */
};

struct netlink_neigh {
	int	 ifindex;
	int	 family;
	char	 addr[NETLINK_ADDR_STRLEN];
	int	 has_lladdr;		/* a link-layer address is known */
	unsigned state;			/* NUD_* */
};

/* The neighbour (ARP/NDP) table. Returns the count or -1 with *cause. */
int	 netlink_dump_neighs(struct netlink_neigh **, char **);
/* All links. Returns the count or -1 with *cause. */
int	 netlink_dump_links(struct netlink_link **, char **);
/* All addresses of all links. Returns the count or -1 with *cause. */
int	 netlink_dump_addrs(struct netlink_addr **, char **);
/* Routes of the main table. Returns the count or -1 with *cause. */
int	 netlink_dump_routes(struct netlink_route **, char **);
/* The same, naming links from a link dump the caller already has. */
int	 netlink_dump_addrs_of(struct netlink_addr **,
	     const struct netlink_link *, int, char **);
int	 netlink_dump_routes_of(struct netlink_route **,
	     const struct netlink_link *, int, char **);


/*
 * Changes. Addresses and gateways are text, already validated. An address
 * with valid_lft 0 is permanent (static); a non-zero lifetime marks one a
 * DHCP lease gave. Each returns 0, or -1 with *cause naming what the
 * kernel refused.
 */
int	 netlink_addr_add(int, const char *, int, unsigned, char **);
int	 netlink_addr_del(int, const char *, int, char **);
/* family, dst ("" = default), dst_len, gateway ("" = none), ifindex
   (0 = any), protocol, metric. */
int	 netlink_route_add(int, const char *, int, const char *, int, int,
	     unsigned, char **);
int	 netlink_route_del(int, const char *, int, const char *, int,
	     unsigned, char **);
/* Set a link up (1) or down (0), and its MTU when mtu is not 0. */
int	 netlink_link_set(int, int, unsigned, char **);
/* The index of a link by name, 0 when there is none. */
int	 netlink_ifindex(const struct netlink_link *, int, const char *);
#endif
