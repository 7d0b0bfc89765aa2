/* SPDX-License-Identifier: ISC */
/*
 * Netlink dumps with libmnl, after libmnl's rtnl examples and iproute2's
 * libnetlink: one socket per dump, a checked sequence number and port id,
 * bounded results. Errors go back to the caller; nothing here exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netlink.h"
#include "xmalloc.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP		0x10000	/* linux/if.h; clashes with net/if.h */
#endif
#define NETLINK_MAX_ITEMS	100000	/* a bound on what a dump returns */

struct netlink_dump {
	void		*items;
	size_t		 size;		/* of one item */
	int		 n;
	int		 family;
	int		 cap;
};

static int	 netlink_dump(int, int, mnl_cb_t, struct netlink_dump *,
		     char **);
static int	 netlink_attr_cb(const struct nlattr *, void *);
static void	 netlink_attrs(const struct nlmsghdr *, size_t,
		     const struct nlattr **, uint16_t);
static void	 netlink_attr_ntop(const struct nlattr *, int, size_t,
		     char *, size_t);
static int	 netlink_dump_all(int, mnl_cb_t, size_t, void **, char **);
static int	 netlink_dump_named(int, mnl_cb_t, size_t, size_t, size_t,
		     void **, const struct netlink_link *, int, char **);
static int	 netlink_addr_attr(const struct nlattr *, void *);
static int	 netlink_addr_cb(const struct nlmsghdr *, void *);
static int	 netlink_route_cb(const struct nlmsghdr *, void *);
static void	*netlink_push(struct netlink_dump *);
static int	 netlink_link_cb(const struct nlmsghdr *, void *);
static int	 netlink_change(struct nlmsghdr *, const char *, char **);
static int	 netlink_neigh_cb(const struct nlmsghdr *, void *);
static int	 netlink_put_addr(struct nlmsghdr *, int, int, const char *);
static int	 netlink_addr_change(int, int, const char *, int, unsigned,
		     char **);
static int	 netlink_route_change(int, int, const char *, int,
		     const char *, int, int, unsigned, char **);

/*
 * inet_ntop for IPv4 without printf: 10,000 routes spent a tenth of their
 * time in it.
 */
static void
netlink_ntop4(const unsigned char *b, char *out)
{
	int	 i, v;

	for (i = 0; i < 4; i++) {
		v = b[i];
		if (v >= 100)
			*out++ = (char)('0' + v / 100);
		if (v >= 10)
			*out++ = (char)('0' + v / 10 % 10);
		*out++ = (char)('0' + v % 10);
		*out++ = i < 3 ? '.' : '\0';
	}
}

static int
netlink_ntop(int family, const void *src, char *dst, size_t len)
{
	if (family == AF_INET && len >= 16) {
		netlink_ntop4(src, dst);
		return (0);
	}
	return (inet_ntop(family, src, dst, (socklen_t)len) == NULL ? -1 : 0);
}

static void *
netlink_push(struct netlink_dump *d)
{
	char	*p;

	if (d->n >= NETLINK_MAX_ITEMS)
		return (NULL);
	/* Doubling: 10,000 routes must not mean 10,000 copies. */
	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 16 : d->cap * 2;
		d->items = xreallocarray(d->items, d->cap, d->size);
	}
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

/* tb[TYPE] for every attribute of a known type (up to max). */
struct netlink_attr_tb {
	const struct nlattr	**tb;
	uint16_t		  max;
};

static int
netlink_attr_cb(const struct nlattr *attr, void *data)
{
	struct netlink_attr_tb	*a = data;

	if (mnl_attr_type_valid(attr, a->max) < 0)
		return (MNL_CB_OK);
	a->tb[mnl_attr_get_type(attr)] = attr;
	return (MNL_CB_OK);
}

static void
netlink_attrs(const struct nlmsghdr *nlh, size_t off,
    const struct nlattr **tb, uint16_t max)
{
	struct netlink_attr_tb	 a = { tb, max };

	mnl_attr_parse(nlh, (unsigned int)off, netlink_attr_cb, &a);
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
	na->flags = ifa->ifa_flags;
	if (tb[IFA_FLAGS] != NULL &&
	    mnl_attr_get_payload_len(tb[IFA_FLAGS]) >= sizeof(uint32_t))
		na->flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	na->valid_lft = 0xffffffffU;
	if (tb[IFA_CACHEINFO] != NULL &&
	    mnl_attr_get_payload_len(tb[IFA_CACHEINFO]) >=
	    sizeof(struct ifa_cacheinfo))
		na->valid_lft = ((const struct ifa_cacheinfo *)
		    mnl_attr_get_payload(tb[IFA_CACHEINFO]))->ifa_valid;
	if (inet_ntop(ifa->ifa_family, mnl_attr_get_payload(a), na->addr,
	    sizeof na->addr) == NULL)
		na->addr[0] = '\0';
	return (MNL_CB_OK);
}

/*
 * Names for the indexes of a dump: one link dump, not an ioctl per item
 * (10,000 routes would be 10,000 system calls). name_off is where the
 * item's ifname is, index_off its ifindex.
 */
static int
netlink_names(void *items, int n, size_t size, size_t index_off,
    size_t name_off, const struct netlink_link *given, int ngiven,
    char **cause)
{
	struct netlink_link	*links = NULL;
	const struct netlink_link *use = given;
	char			*p;
	int			 nl = ngiven, i, j, idx;

	if (use == NULL) {
		if ((nl = netlink_dump_links(&links, cause)) == -1)
			return (-1);
		use = links;
	}
	for (i = 0, j = 0; i < n; i++) {
		p = (char *)items + (size_t)i * size;
		memcpy(&idx, p + index_off, sizeof idx);
		/* Dumps come grouped by link: try the last match first. */
		if (j >= nl || use[j].ifindex != idx)
			for (j = 0; j < nl && use[j].ifindex != idx; j++)
				;
		if (j < nl)
			memcpy(p + name_off, use[j].ifname, IF_NAMESIZE);
	}
	free(links);
	return (0);
}

int
netlink_dump_addrs(struct netlink_addr **out, char **cause)
{
	return (netlink_dump_addrs_of(out, NULL, 0, cause));
}

/* A whole dump of items of size: their number, in *out; -1 on failure. */
static int
netlink_dump_all(int type, mnl_cb_t cb, size_t size, void **out,
    char **cause)
{
	struct netlink_dump	 d = { NULL, size, 0, AF_UNSPEC, 0 };

	*out = NULL;
	if (netlink_dump(type, AF_UNSPEC, cb, &d, cause) == -1) {
		free(d.items);
		return (-1);
	}
	*out = d.items;
	return (d.n);
}

/*
 * A dump of items of size that carry an ifindex and an ifname (at those
 * offsets), the names filled in from links or a link dump of our own.
 */
static int
netlink_dump_named(int type, mnl_cb_t cb, size_t size, size_t index_off,
    size_t name_off, void **out, const struct netlink_link *links,
    int nlinks, char **cause)
{
	int	 n;

	if ((n = netlink_dump_all(type, cb, size, out, cause)) == -1)
		return (-1);
	if (netlink_names(*out, n, size, index_off, name_off, links, nlinks,
	    cause) == -1) {
		free(*out);
		*out = NULL;
		return (-1);
	}
	return (n);
}

int
netlink_dump_addrs_of(struct netlink_addr **out,
    const struct netlink_link *links, int nlinks, char **cause)
{
	void	*items;
	int	 n;

	n = netlink_dump_named(RTM_GETADDR, netlink_addr_cb, sizeof **out,
	    offsetof(struct netlink_addr, ifindex),
	    offsetof(struct netlink_addr, ifname), &items, links, nlinks,
	    cause);
	*out = items;
	return (n);
}

/*
 * An address attribute of a route as text; left as it was (empty) when the
 * attribute is absent, shorter than need or cannot be printed.
 */
static void
netlink_attr_ntop(const struct nlattr *a, int family, size_t need,
    char *dst, size_t len)
{
	if (a != NULL && mnl_attr_get_payload_len(a) >= need &&
	    netlink_ntop(family, mnl_attr_get_payload(a), dst, len) == -1)
		dst[0] = '\0';
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
	netlink_attrs(nlh, sizeof *rm, tb, RTA_MAX);
	if ((nr = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	need = rm->rtm_family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	nr->family = rm->rtm_family;
	nr->dst_len = rm->rtm_dst_len;
	nr->protocol = rm->rtm_protocol;
	netlink_attr_ntop(tb[RTA_DST], rm->rtm_family, need, nr->dst,
	    sizeof nr->dst);
	netlink_attr_ntop(tb[RTA_GATEWAY], rm->rtm_family, need, nr->gateway,
	    sizeof nr->gateway);
	if (tb[RTA_OIF] != NULL) {
		nr->ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	}
	if (tb[RTA_PRIORITY] != NULL)
		nr->priority = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	return (MNL_CB_OK);
}

int
netlink_dump_routes(struct netlink_route **out, char **cause)
{
	return (netlink_dump_routes_of(out, NULL, 0, cause));
}

int
netlink_dump_routes_of(struct netlink_route **out,
    const struct netlink_link *links, int nlinks, char **cause)
{
	void	*items;
	int	 n;

	n = netlink_dump_named(RTM_GETROUTE, netlink_route_cb, sizeof **out,
	    offsetof(struct netlink_route, ifindex),
	    offsetof(struct netlink_route, ifname), &items, links, nlinks,
	    cause);
	*out = items;
	return (n);
}

static int
netlink_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*tb[IFLA_MAX + 1] = { NULL };
	struct netlink_dump	*d = arg;
	struct ifinfomsg	*ifm = mnl_nlmsg_get_payload(nlh);
	struct netlink_link	*nl;
	const unsigned char	*mac;
	size_t			 len;

	netlink_attrs(nlh, sizeof *ifm, tb, IFLA_MAX);
	if (tb[IFLA_IFNAME] == NULL ||
	    mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_STRING) < 0)
		return (MNL_CB_OK);
	if ((nl = netlink_push(d)) == NULL)
		return (MNL_CB_STOP);
	nl->ifindex = ifm->ifi_index;
	strncpy(nl->ifname, mnl_attr_get_str(tb[IFLA_IFNAME]),
	    sizeof nl->ifname - 1);
	nl->up = (ifm->ifi_flags & IFF_UP) != 0;
	nl->carrier = (ifm->ifi_flags & IFF_LOWER_UP) != 0;
	nl->loopback = (ifm->ifi_flags & IFF_LOOPBACK) != 0;
	if (tb[IFLA_MTU] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_MTU]) >= sizeof(uint32_t))
		nl->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO] != NULL) {
		const struct nlattr	*a;

		/* The kind of a virtual link, without an ethtool ioctl. */
		mnl_attr_for_each_nested(a, tb[IFLA_LINKINFO])
			if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
			    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
				(void)xsnprintf(nl->kind, sizeof nl->kind,
				    "%s", mnl_attr_get_str(a));
	}
	if (tb[IFLA_ADDRESS] != NULL && !nl->loopback &&
	    (len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS])) == 6) {
		mac = mnl_attr_get_payload(tb[IFLA_ADDRESS]);
		(void)xsnprintf(nl->mac, sizeof nl->mac,
		    "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		    mac[3], mac[4], mac[5]);
	}
	return (MNL_CB_OK);
}

int
netlink_dump_links(struct netlink_link **out, char **cause)
{
	void	*items;
	int	 n;

	n = netlink_dump_all(RTM_GETLINK, netlink_link_cb, sizeof **out, &items,
	    cause);
	*out = items;
	return (n);
}

int
netlink_ifindex(const struct netlink_link *links, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(links[i].ifname, name) == 0)
			return (links[i].ifindex);
	return (0);
}

/* The kernel's own words from an extended ack, if it sent any. */
static const char *
netlink_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	size_t			 off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return (NULL);
	off = sizeof *e;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return (mnl_attr_get_str(a));
	}
	return (NULL);
}

/* Send one change with NLM_F_ACK and read the kernel's answer. */
static int
netlink_change(struct nlmsghdr *nlh, const char *what, char **cause)
{
	char			 buf[8192];
	struct mnl_socket	*nl;
	const struct nlmsghdr	*ans;
	const struct nlmsgerr	*e;
	const char		*msg;
	unsigned int		 seq, portid;
	int			 r = -1, one = 1;
	ssize_t			 n;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL) {
		xasprintf(cause, "cannot open a netlink socket: %s",
		    strerror(errno));
		return (-1);
	}
	/* Ask for the kernel's reason in words; old kernels ignore it. */
	(void)mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof one);
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		xasprintf(cause, "cannot bind the netlink socket: %s",
		    strerror(errno));
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		xasprintf(cause, "cannot send the netlink request: %s",
		    strerror(errno));
		goto out;
	}
	do
		n = mnl_socket_recvfrom(nl, buf, sizeof buf);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		xasprintf(cause, "netlink read failed: %s", strerror(errno));
		goto out;
	}
	ans = (const struct nlmsghdr *)buf;
	if (!mnl_nlmsg_ok(ans, (int)n) || ans->nlmsg_seq != seq ||
	    ans->nlmsg_pid != portid || ans->nlmsg_type != NLMSG_ERROR ||
	    mnl_nlmsg_get_payload_len(ans) < sizeof *e) {
		xasprintf(cause, "%s: unexpected netlink answer", what);
		goto out;
	}
	e = mnl_nlmsg_get_payload(ans);
	if (e->error != 0) {
		msg = netlink_extack(ans);
		xasprintf(cause, "%s: %s%s%s", what, strerror(-e->error),
		    msg != NULL ? " - " : "", msg != NULL ? msg : "");
		goto out;
	}
	r = 0;
out:
	mnl_socket_close(nl);
	return (r);
}

/* Put an address attribute; -1 when the text is not of that family. */
static int
netlink_put_addr(struct nlmsghdr *nlh, int type, int family, const char *a)
{
	unsigned char	 bin[sizeof(struct in6_addr)];

	if (inet_pton(family, a, bin) != 1)
		return (-1);
	mnl_attr_put(nlh, type, family == AF_INET ? 4 : 16, bin);
	return (0);
}

static int
netlink_addr_change(int add, int ifindex, const char *addr, int prefixlen,
    unsigned valid_lft, char **cause)
{
	char			 buf[512], what[96];
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct ifa_cacheinfo	 ci;
	int			 family;

	family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	(void)xsnprintf(what, sizeof what, "%s address %s/%d",
	    add ? "adding" : "removing", addr, prefixlen);
	memset(buf, 0, sizeof buf);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (netlink_put_addr(nlh, IFA_LOCAL, family, addr) == -1 ||
	    netlink_put_addr(nlh, IFA_ADDRESS, family, addr) == -1) {
		xasprintf(cause, "%s: not an address", what);
		return (-1);
	}
	if (add && family == AF_INET && prefixlen < 31) {
		struct in_addr	 a, b;

		(void)inet_pton(AF_INET, addr, &a);
		b.s_addr = a.s_addr | htonl(prefixlen == 0 ? 0xffffffffU :
		    (0xffffffffU >> prefixlen));
		mnl_attr_put(nlh, IFA_BROADCAST, 4, &b);
	}
	if (add && valid_lft != 0) {
		memset(&ci, 0, sizeof ci);
		ci.ifa_valid = ci.ifa_prefered = valid_lft;
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof ci, &ci);
	}
	return (netlink_change(nlh, what, cause));
}

int
netlink_addr_add(int ifindex, const char *addr, int prefixlen,
    unsigned valid_lft, char **cause)
{
	return (netlink_addr_change(1, ifindex, addr, prefixlen, valid_lft,
	    cause));
}

int
netlink_addr_del(int ifindex, const char *addr, int prefixlen, char **cause)
{
	return (netlink_addr_change(0, ifindex, addr, prefixlen, 0, cause));
}

static int
netlink_route_change(int add, int family, const char *dst, int dst_len,
    const char *gw, int ifindex, int protocol, unsigned metric, char **cause)
{
	char		 buf[512], what[160];
	struct nlmsghdr	*nlh;
	struct rtmsg	*rm;

	(void)xsnprintf(what, sizeof what, "%s route %s/%d%s%s",
	    add ? "adding" : "removing", *dst == '\0' ? (family == AF_INET ?
	    "0.0.0.0" : "::") : dst, dst_len, *gw != '\0' ? " via " : "", gw);
	memset(buf, 0, sizeof buf);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	rm = mnl_nlmsg_put_extra_header(nlh, sizeof *rm);
	rm->rtm_family = family;
	rm->rtm_dst_len = dst_len;
	rm->rtm_table = RT_TABLE_MAIN;
	rm->rtm_protocol = add ? protocol : RTPROT_UNSPEC;
	rm->rtm_scope = *gw != '\0' ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rm->rtm_type = RTN_UNICAST;
	if (!add)
		rm->rtm_scope = RT_SCOPE_NOWHERE;
	if ((*dst != '\0' && netlink_put_addr(nlh, RTA_DST, family, dst) ==
	    -1) || (*gw != '\0' && netlink_put_addr(nlh, RTA_GATEWAY, family,
	    gw) == -1)) {
		xasprintf(cause, "%s: not an address", what);
		return (-1);
	}
	if (ifindex > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	if (metric > 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
	return (netlink_change(nlh, what, cause));
}

int
netlink_route_add(int family, const char *dst, int dst_len, const char *gw,
    int ifindex, int protocol, unsigned metric, char **cause)
{
	return (netlink_route_change(1, family, dst, dst_len, gw, ifindex,
	    protocol, metric, cause));
}

int
netlink_route_del(int family, const char *dst, int dst_len, const char *gw,
    int ifindex, unsigned metric, char **cause)
{
	return (netlink_route_change(0, family, dst, dst_len, gw, ifindex, 0,
	    metric, cause));
}

int
netlink_link_set(int ifindex, int up, unsigned mtu, char **cause)
{
	char			 buf[256], what[64];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifm;

	(void)xsnprintf(what, sizeof what, "setting link %d %s", ifindex,
	    up ? "up" : "down");
	memset(buf, 0, sizeof buf);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	if (mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return (netlink_change(nlh, what, cause));
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
	netlink_attrs(nlh, sizeof *nd, tb, NDA_MAX);
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
	void	*items;
	int	 n;

	n = netlink_dump_all(RTM_GETNEIGH, netlink_neigh_cb, sizeof **out, &items,
	    cause);
	*out = items;
	return (n);
}
