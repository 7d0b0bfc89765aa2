/* SPDX-License-Identifier: ISC */
/*
 * The network configuration the console owns, as data: adapters (DHCP or
 * static v4/v6 with gateways and MTU), DNS, static routes, the host name
 * and the default adapter. Loaded from and saved to a declarative INI file
 * (atomically), edited by the CLI's verbs, validated as a whole against the
 * live links. The console uses it to preview a change; the network helper
 * uses the same code to re-validate and apply it.
 */
#ifndef NETCONF_H
#define NETCONF_H

#include <stddef.h>

#include "netlink.h"
#include "verb.h"

#define NETCONF_PATH		"/etc/appliance-console/network.conf"
#define NETCONF_RESOLV		"/etc/resolv.conf"
#define NETCONF_HOSTNAME	"/etc/hostname"
#define NETCONF_MAX_IFACES	32
#define NETCONF_MAX_ADDRS	8
#define NETCONF_MAX_DNS		3	/* what resolv.conf honours */
#define NETCONF_MAX_SEARCH	6
/*
 * The longest line netconf_format writes: inih reads 200 bytes a line,
 * "\r\n\0" and one spare included (the library's limit is fixed when it
 * is built). A search domain must fit on a "search = " line of its own.
 */
#define NETCONF_LINE_MAX	196
#define NETCONF_SEARCH_NAME_MAX	(NETCONF_LINE_MAX - 9)
#define NETCONF_SEARCH_TOTAL	256
#define NETCONF_MAX_ROUTES	64
#define NETCONF_HOST_MAX	64	/* HOST_NAME_MAX */

enum netconf_mode {
	NETCONF_DHCP,
	NETCONF_STATIC
};

struct netconf_addr {
	int	 family;
	char	 addr[NETLINK_ADDR_STRLEN];
	int	 prefixlen;
};

struct netconf_iface {
	char			 name[IF_NAMESIZE];
	enum netconf_mode	 mode;
	struct netconf_addr	 addrs[NETCONF_MAX_ADDRS];
	int			 naddrs;
	char			 gateway[NETLINK_ADDR_STRLEN];	/* "" none */
	char			 gateway6[NETLINK_ADDR_STRLEN];
	unsigned		 mtu;		/* 0: leave as it is */
	int			 slaac;		/* accept IPv6 router adverts */
	int			 down;		/* administratively down */
};

struct netconf_route {
	int	 family;
	char	 dst[NETLINK_ADDR_STRLEN];
	int	 dst_len;
	char	 via[NETLINK_ADDR_STRLEN];	/* "" for a device route */
	char	 dev[IF_NAMESIZE];		/* "" for any */
};

struct netconf {
	struct netconf_iface	 ifaces[NETCONF_MAX_IFACES];
	int			 nifaces;
	char			 dns[NETCONF_MAX_DNS][NETLINK_ADDR_STRLEN];
	int			 ndns;
	char			 search[NETCONF_MAX_SEARCH][254];
	int			 nsearch;
	struct netconf_route	 routes[NETCONF_MAX_ROUTES];
	int			 nroutes;
	char			 hostname[NETCONF_HOST_MAX + 1];
	char			 default_iface[IF_NAMESIZE];	/* "" none */
};

/* The live state a configuration is checked against and derived from. */
struct netconf_live {
	struct netlink_link	*links;
	int			 nlinks;
	struct netlink_addr	*addrs;
	int			 naddrs;
	struct netlink_route	*routes;
	int			 nroutes;
};

struct netconf	*netconf_new(void);
void		 netconf_free(struct netconf *);
struct netconf	*netconf_dup(const struct netconf *);
int		 netconf_equal(const struct netconf *, const struct netconf *);

int		 netconf_live_read(struct netconf_live *, char **);
void		 netconf_live_free(struct netconf_live *);

/* Parse a file: 0, 1 when it does not exist (cfg empty), -1 with *cause. */
int		 netconf_load(const char *, struct netconf *, char **);
/* The file's text; the caller frees it. */
char		*netconf_format(const struct netconf *);
int		 netconf_save(const char *, const struct netconf *, char **);
/*
 * What is in force now: the saved file when there is one, else what the
 * live system shows (addresses, default routes, resolv.conf, host name).
 */
int		 netconf_current(struct netconf *, const struct netconf_live *,
		     char **);
void		 netconf_from_live(struct netconf *,
		     const struct netconf_live *);
/* The nameserver and search lines of resolv.conf, into cfg. */
void		 netconf_read_resolv(struct netconf *);

/* Whole-configuration check: -1 with one sentence naming the field. */
int		 netconf_validate(const struct netconf *,
		     const struct netconf_live *, char **);

/*
 * Edits, as the helper's verbs receive them: lists are comma-separated,
 * NULL is empty, verb_keep leaves a value as it is. Each validates its own
 * words and returns -1 with *cause; netconf_validate checks the result.
 */
int	 netconf_edit_static(struct netconf *, const char *, const char *,
	     const char *, const char *, const char *, char **);
int	 netconf_edit_dhcp(struct netconf *, const char *, const char *,
	     char **);
int	 netconf_edit_dns(struct netconf *, const char *, const char *,
	     char **);
int	 netconf_edit_route(struct netconf *, int, const char *, const char *,
	     const char *, char **);
int	 netconf_edit_hostname(struct netconf *, const char *, char **);
int	 netconf_edit_default(struct netconf *, const char *, char **);
/*
 * One static address more or less on an adapter (ip addr add|del): a DHCP
 * adapter's address comes from its lease, and a static adapter keeps at
 * least one.
 */
int	 netconf_edit_addr(struct netconf *, int, const char *, const char *,
	     char **);
/* ip link set IFACE up|down, or mtu N (NULL: leave it as it is). */
int	 netconf_edit_link(struct netconf *, const char *, const char *,
	     char **);
int	 netconf_edit_mtu(struct netconf *, const char *, const char *,
	     char **);
/* Every adapter with a link (not loopback) to DHCP with SLAAC. */
int	 netconf_edit_reset_dhcp(struct netconf *,
	     const struct netconf_live *, char **);

/*
 * The verbs of console-helper-network, in the order of its table. The
 * changes come first: each is an edit of the configuration in force,
 * previewed by the console and applied on trial by the helper.
 */
enum netconf_verb {
	NETCONF_V_STATIC,
	NETCONF_V_DHCP,
	NETCONF_V_RESET_DHCP,
	NETCONF_V_DEFAULT,
	NETCONF_V_ROUTE_ADD,
	NETCONF_V_ROUTE_DEL,
	NETCONF_V_DNS,
	NETCONF_V_HOSTNAME,
	NETCONF_V_ADDR_ADD,
	NETCONF_V_ADDR_DEL,
	NETCONF_V_LINK_SET,
	NETCONF_V_LINK_MTU,
	NETCONF_V_SAVE_ROUTES,
	NETCONF_V_CONFIRM,
	NETCONF_V_ROLLBACK,
	NETCONF_V_RESTORE,
	NETCONF_V_TIMER,	/* the rollback timer as a unit of its own */
	NETCONF_V_COUNT
};
extern const struct verb_domain	 netconf_verbs;

/* 1 when the verb is an edit of the configuration (a change). */
int	 netconf_verb_is_change(const struct verb *);
/*
 * The edit a change verb names with its values (as verb.h has them);
 * -1 with *cause for bad input or a verb that is no change.
 */
int	 netconf_edit_verb(struct netconf *, const char *,
	     const char *const *, const struct netconf_live *, char **);

/* "before -> after" lines for the preview; the caller frees it. */
char	*netconf_diff(const struct netconf *, const struct netconf *);

struct netconf_iface	*netconf_iface_find(const struct netconf *,
			     const char *);
/* ADDR/PREFIX that names a host (not the network or broadcast address). */
int	 netconf_parse_host(const char *, struct netconf_addr *, char **);

#endif
