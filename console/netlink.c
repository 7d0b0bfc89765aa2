/* SPDX-License-Identifier: ISC */
/*
 * Netlink dumps with libmnl, after libmnl's rtnl examples and iproute2's
 * libnetlink: one socket per dump, a checked sequence number and port id,
 * bounded results. Errors go back to the caller; nothing here exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "netlink.h"
#include "xmalloc.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000		/* linux/if.h clashes with net/if.h */
#endif
#define NETLINK_MAX_ITEMS	100000	/* a bound on what a dump returns */

struct netlink_dump {
	void		*items;
	size_t		 size;		/* of one item */
	int		 n;
	int		 family;
};

static int	 netlink_dump(int, int, mnl_cb_t, struct netlink_dump *,
		     char **);
static int	 netlink_addr_attr(const struct nlattr *, void *);
static int	 netlink_addr_cb(const struct nlmsghdr *, void *);
static int	 netlink_route_attr(const struct nlattr *, void *);
static int	 netlink_route_cb(const struct nlmsghdr *, void *);
static void	*netlink_push(struct netlink_dump *);
static int	 netlink_dump_array(int, mnl_cb_t, size_t, void **, char **);
static int	 netlink_link_attr(const struct nlattr *, void *);
static int	 netlink_link_cb(const struct nlmsghdr *, void *);
static int	 netlink_neigh_attr(const struct nlattr *, void *);
static int	 netlink_neigh_cb(const struct nlmsghdr *, void *);

static void *
netlink_push(struct netlink_dump *d)
{
	char	*p;

	if (d->n >= NETLINK_MAX_ITEMS)
		return (NULL);
	d->items = xreallocarray(d->items, d->n + 1, d->size);
	p = (char *)d->items + (size_t)d->n * d->size;
	memset(p, 0, d->size);
	d->n++;
	return (p);
}

/* Send one dump request and run cb over every answer. */
static int
netlink_dump(int type, int family, mnl_cb_t cb, struct netlink_dump *d,
    char **cause)
{
	char			 buf[32768];	/* >= MNL_SOCKET_BUFFER_SIZE (8 KiB) */
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	struct rtgenmsg		*rt;
	unsigned int		 seq, portid;
	ssize_t			 n;
	int			 r = -1, ret;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL) {
		xasprintf(cause, "cannot open a netlink socket: %s",
		    strerror(errno));
		return (-1);
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		xasprintf(cause, "cannot bind the netlink socket: %s",
		    strerror(errno));
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof *rt);
	rt->rtgen_family = family;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		xasprintf(cause, "cannot send the netlink request: %s",
		    strerror(errno));
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "netlink read failed: %s",
			    strerror(errno));
			goto out;
		}
		ret = mnl_cb_run(buf, n, seq, portid, cb, d);
		if (ret == MNL_CB_STOP)
			break;
		if (ret == MNL_CB_ERROR) {
			xasprintf(cause, "netlink dump failed: %s",
			    strerror(errno));
			goto out;
		}
	}
	r = 0;
out:
	mnl_socket_close(nl);
	return (r);
}

static int
netlink_addr_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr	**tb = data;
	int			  type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return (MNL_CB_OK);
	if ((type == IFA_ADDRESS || type == IFA_LOCAL) &&
	    mnl_attr_get_payload_len(attr) < sizeof(struct in_addr))
		return (MNL_CB_OK);
	tb[type] = attr;
	return (MNL_CB_OK);
}

static int
netlink_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*tb[IFA_MAX + 1] = { NULL };
	const struct nlattr	*a;
	struct netlink_dump	*d = arg;
	struct ifaddrmsg	*ifa = mnl_nlmsg_get_payload(nlh);
	struct netlink_addr	*na;
	size_t			 need;

	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return (MNL_CB_OK);
	mnl_attr_parse(nlh, sizeof *ifa, netlink_addr_attr, tb);
	/* IFA_LOCAL is our address on point-to-point links. */
	a = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a == NULL)
		return (MNL_CB_OK);
	need = ifa->ifa_family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	if (mnl_attr_get_payload_len(a) < need)
		return (MNL_CB_OK);
	if ((na = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	na->ifindex = (int)ifa->ifa_index;
	na->family = ifa->ifa_family;
	na->prefixlen = ifa->ifa_prefixlen;
	na->scope = ifa->ifa_scope;
	if (inet_ntop(ifa->ifa_family, mnl_attr_get_payload(a), na->addr,
	    sizeof na->addr) == NULL)
		na->addr[0] = '\0';
	if (if_indextoname(ifa->ifa_index, na->ifname) == NULL)
		na->ifname[0] = '\0';
	return (MNL_CB_OK);
}

int
netlink_dump_addrs(struct netlink_addr **out, char **cause)
{
	struct netlink_dump	 d = { NULL, sizeof(struct netlink_addr), 0,
				     AF_UNSPEC };

	*out = NULL;
	if (netlink_dump(RTM_GETADDR, AF_UNSPEC, netlink_addr_cb, &d,
	    cause) == -1) {
		free(d.items);
		return (-1);
	}
	*out = d.items;
	return (d.n);
}

static int
netlink_route_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr	**tb = data;

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return (MNL_CB_OK);
	tb[mnl_attr_get_type(attr)] = attr;
	return (MNL_CB_OK);
}

static int
netlink_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*tb[RTA_MAX + 1] = { NULL };
	struct netlink_dump	*d = arg;
	struct rtmsg		*rm = mnl_nlmsg_get_payload(nlh);
	struct netlink_route	*nr;
	size_t			 need;

	if (rm->rtm_family != AF_INET && rm->rtm_family != AF_INET6)
		return (MNL_CB_OK);
	if (rm->rtm_table != RT_TABLE_MAIN || rm->rtm_type != RTN_UNICAST)
		return (MNL_CB_OK);
	mnl_attr_parse(nlh, sizeof *rm, netlink_route_attr, tb);
	if ((nr = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	need = rm->rtm_family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	nr->family = rm->rtm_family;
	nr->dst_len = rm->rtm_dst_len;
	if (tb[RTA_DST] != NULL && mnl_attr_get_payload_len(tb[RTA_DST]) >=
	    need && inet_ntop(rm->rtm_family, mnl_attr_get_payload(tb[RTA_DST]),
	    nr->dst, sizeof nr->dst) == NULL)
		nr->dst[0] = '\0';
	if (tb[RTA_GATEWAY] != NULL &&
	    mnl_attr_get_payload_len(tb[RTA_GATEWAY]) >= need &&
	    inet_ntop(rm->rtm_family, mnl_attr_get_payload(tb[RTA_GATEWAY]),
	    nr->gateway, sizeof nr->gateway) == NULL)
		nr->gateway[0] = '\0';
	if (tb[RTA_OIF] != NULL) {
		nr->ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
		if (if_indextoname((unsigned)nr->ifindex, nr->ifname) == NULL)
			nr->ifname[0] = '\0';
	}
	if (tb[RTA_PRIORITY] != NULL)
		nr->priority = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	return (MNL_CB_OK);
}

int
netlink_dump_routes(struct netlink_route **out, char **cause)
{
	struct netlink_dump	 d = { NULL, sizeof(struct netlink_route), 0,
				     AF_UNSPEC };

	*out = NULL;
	if (netlink_dump(RTM_GETROUTE, AF_UNSPEC, netlink_route_cb, &d,
	    cause) == -1) {
		free(d.items);
		return (-1);
	}
	*out = d.items;
	return (d.n);
}

static int
netlink_link_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr	**tb = data;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return (MNL_CB_OK);
	tb[mnl_attr_get_type(attr)] = attr;
	return (MNL_CB_OK);
}

static int
netlink_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*tb[IFLA_MAX + 1] = { NULL };
	struct netlink_dump	*d = arg;
	struct ifinfomsg	*ifi = mnl_nlmsg_get_payload(nlh);
	struct netlink_link	*nl;
	const char		*name;

	mnl_attr_parse(nlh, sizeof *ifi, netlink_link_attr, tb);
	if ((nl = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	nl->ifindex = ifi->ifi_index;
	nl->flags = ifi->ifi_flags;
	nl->carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
	if (tb[IFLA_IFNAME] != NULL &&
	    mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_STRING) == 0) {
		name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		if (strlen(name) < sizeof nl->ifname)
			memcpy(nl->ifname, name, strlen(name) + 1);
	}
	/* IFLA_CARRIER says it directly where the kernel sends it. */
	if (tb[IFLA_CARRIER] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_CARRIER]) >= 1)
		nl->carrier = mnl_attr_get_u8(tb[IFLA_CARRIER]) != 0;
	if (tb[IFLA_OPERSTATE] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_OPERSTATE]) >= 1)
		nl->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	return (MNL_CB_OK);
}

/* A whole dump of one message type into an array of size-byte items. */
static int
netlink_dump_array(int type, mnl_cb_t cb, size_t size, void **out,
    char **cause)
{
	struct netlink_dump	 d = { NULL, size, 0, AF_UNSPEC };

	*out = NULL;
	if (netlink_dump(type, AF_UNSPEC, cb, &d, cause) == -1) {
		free(d.items);
		return (-1);
	}
	*out = d.items;
	return (d.n);
}

int
netlink_dump_links(struct netlink_link **out, char **cause)
{
	return (netlink_dump_array(RTM_GETLINK, netlink_link_cb,
	    sizeof **out, (void **)out, cause));
}

static int
netlink_neigh_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr	**tb = data;

	if (mnl_attr_type_valid(attr, NDA_MAX) < 0)
		return (MNL_CB_OK);
	tb[mnl_attr_get_type(attr)] = attr;
	return (MNL_CB_OK);
}

static int
netlink_neigh_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*tb[NDA_MAX + 1] = { NULL };
	struct netlink_dump	*d = arg;
	struct ndmsg		*nd = mnl_nlmsg_get_payload(nlh);
	struct netlink_neigh	*nn;
	size_t			 need;

	if (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6)
		return (MNL_CB_OK);
	mnl_attr_parse(nlh, sizeof *nd, netlink_neigh_attr, tb);
	need = nd->ndm_family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	if (tb[NDA_DST] == NULL || mnl_attr_get_payload_len(tb[NDA_DST]) <
	    need)
		return (MNL_CB_OK);
	if ((nn = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	nn->ifindex = nd->ndm_ifindex;
	nn->family = nd->ndm_family;
	nn->state = nd->ndm_state;
	nn->has_lladdr = tb[NDA_LLADDR] != NULL &&
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) > 0;
	if (inet_ntop(nd->ndm_family, mnl_attr_get_payload(tb[NDA_DST]),
	    nn->addr, sizeof nn->addr) == NULL)
		nn->addr[0] = '\0';
	return (MNL_CB_OK);
}

int
netlink_dump_neighs(struct netlink_neigh **out, char **cause)
{
	return (netlink_dump_array(RTM_GETNEIGH, netlink_neigh_cb,
	    sizeof **out, (void **)out, cause));
}
