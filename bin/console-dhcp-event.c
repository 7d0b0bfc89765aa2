/* SPDX-License-Identifier: ISC */
/*
 * The DHCP client's event hook: udhcpc runs it (as root, from the network
 * helper) with the event in argv[1] and the lease in its environment. The
 * lease comes from the network, so every value is validated like user
 * input before it reaches netlink. "bound"/"renew" put the address (with
 * the lease's lifetime, which marks it as DHCP's), the default route when
 * this adapter holds it, and the lease file the console shows;
 * "deconfig"/"leasefail"/"nak" take the lease's address and routes away.
 *
 * A lease is a claim by whoever answers on the link: its address must be
 * a host address as a static one must (no loopback, multicast, network or
 * broadcast address), and neither it nor its subnet may overlap a subnet
 * of another adapter, or a rogue server could take the management
 * network. A refused lease changes nothing and is logged with the
 * server's address. Every event runs under the network helper's lock and
 * only for an adapter that the applied configuration puts in DHCP mode: a
 * renew that finishes after a switch to static must not put the lease
 * back.
 */
#include <sys/file.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "audit.h"
#include "helper.h"
#include "netapply.h"
#include "netconf.h"
#include "paths.h"
#include "valid.h"
#include "xmalloc.h"

struct lease {
	char		 iface[IF_NAMESIZE];
	char		 ip[NETLINK_ADDR_STRLEN];
	long long	 prefixlen;
	char		 router[NETLINK_ADDR_STRLEN];
	char		 dns[NETCONF_MAX_DNS][NETLINK_ADDR_STRLEN];
	int		 ndns;
	char		 domain[254];
	long long	 seconds;
	char		 server[NETLINK_ADDR_STRLEN];
};

static void	 lease_word(const char *, char *, size_t,
		     int (*)(const char *, char **));
static int	 lease_read(struct lease *);
static int	 lease_lock(char **);
static int	 lease_is_dhcp(const char *, char **);
static int	 lease_overlap(const struct netconf_addr *,
		     const struct netlink_addr *);
static int	 lease_check(const struct lease *, const struct netconf_live *,
		     int, char **);
static void	 lease_clear(const char *);
static int	 lease_bound(const struct lease *, char **);

/* The first word of an env value, if it passes check. */
static void
lease_word(const char *name, char *out, size_t len,
    int (*check)(const char *, char **))
{
	const char	*v = getenv(name);
	char		 w[256];
	size_t		 n;

	out[0] = '\0';
	if (v == NULL)
		return;
	n = strcspn(v, " ");
	if (n == 0 || n >= sizeof w || n >= len)
		return;
	memcpy(w, v, n);
	w[n] = '\0';
	if (check(w, NULL) == 0)
		memcpy(out, w, n + 1);
}

static int
lease_read(struct lease *l)
{
	const char	*v;
	char		 w[64];
	size_t		 n;

	memset(l, 0, sizeof *l);
	lease_word("interface", l->iface, sizeof l->iface, valid_ifname);
	lease_word("ip", l->ip, sizeof l->ip, valid_ipv4);
	lease_word("router", l->router, sizeof l->router, valid_ipv4);
	lease_word("serverid", l->server, sizeof l->server, valid_ipv4);
	lease_word("domain", l->domain, sizeof l->domain, valid_hostname);
	if ((v = getenv("mask")) == NULL ||
	    valid_number(v, 1, 32, &l->prefixlen, NULL) == -1)
		l->prefixlen = 24;
	if ((v = getenv("lease")) == NULL ||
	    valid_number(v, 1, 0x7fffffff, &l->seconds, NULL) == -1)
		l->seconds = 3600;
	if ((v = getenv("dns")) != NULL) {
		while (*v != '\0' && l->ndns < NETCONF_MAX_DNS) {
			v += strspn(v, " ");
			n = strcspn(v, " ");
			if (n == 0)
				break;
			if (n < sizeof w) {
				memcpy(w, v, n);
				w[n] = '\0';
				if (valid_ip(w, NULL, NULL) == 0)
					memcpy(l->dns[l->ndns++], w, n + 1);
			}
			v += n;
		}
	}
	return (l->iface[0] != '\0' ? 0 : -1);
}

/* The network helper's lock (its state directory's "lock"). */
static int
lease_lock(char **cause)
{
	char	 rel[PATH_MAX], path[PATH_MAX];
	int	 fd;

	if (xsnprintf(rel, sizeof rel, "%s/lock", NETAPPLY_STATE) == -1 ||
	    paths_get(path, sizeof path, rel) == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	if (atomic_mkdirs_for(path, NETAPPLY_STATE_MODE, cause) == -1)
		return (-1);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		return (-1);
	}
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		xasprintf(cause, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

/* 1 when the applied configuration has iface in DHCP mode. */
static int
lease_is_dhcp(const char *iface, char **cause)
{
	struct netconf			*applied = netconf_new();
	const struct netconf_iface	*ifc;
	int				 r;

	if (netapply_applied(applied, cause) == -1) {
		netconf_free(applied);
		return (-1);
	}
	ifc = netconf_iface_find(applied, iface);
	r = ifc != NULL && ifc->mode == NETCONF_DHCP;
	netconf_free(applied);
	return (r);
}

/* 1 when the two IPv4 subnets share an address. */
static int
lease_overlap(const struct netconf_addr *a, const struct netlink_addr *b)
{
	struct in_addr	 x, y;
	uint32_t	 mask;
	int		 plen;

	if (b->family != AF_INET || inet_pton(AF_INET, a->addr, &x) != 1 ||
	    inet_pton(AF_INET, b->addr, &y) != 1)
		return (0);
	plen = a->prefixlen < b->prefixlen ? a->prefixlen : b->prefixlen;
	mask = plen == 0 ? 0 : htonl(0xffffffffU << (32 - plen));
	return ((x.s_addr & mask) == (y.s_addr & mask));
}

/*
 * The lease against the host-address rules and every other adapter's
 * IPv4 subnets (the loopback's included). 0, or -1 with *cause.
 */
static int
lease_check(const struct lease *l, const struct netconf_live *live, int idx,
    char **cause)
{
	struct netconf_addr	 a;
	char			 cidr[NETLINK_ADDR_STRLEN + 4], *why = NULL;
	int			 i;

	if (l->ip[0] == '\0') {
		xasprintf(cause, "the lease has no valid address");
		return (-1);
	}
	if (xsnprintf(cidr, sizeof cidr, "%s/%lld", l->ip, l->prefixlen) ==
	    -1 || netconf_parse_host(cidr, &a, &why) == -1) {
		xasprintf(cause, "%s", why != NULL ? why : "bad address");
		free(why);
		return (-1);
	}
	for (i = 0; i < live->naddrs; i++) {
		if (live->addrs[i].ifindex == idx ||
		    !lease_overlap(&a, &live->addrs[i]))
			continue;
		xasprintf(cause, "%s overlaps %s/%d of adapter %s", cidr,
		    live->addrs[i].addr, live->addrs[i].prefixlen,
		    live->addrs[i].ifname);
		return (-1);
	}
	return (0);
}

/* Remove the lease's addresses (those with a lifetime) and DHCP routes. */
static void
lease_clear(const char *iface)
{
	struct netconf_live	 live;
	char			*cause = NULL, path[PATH_MAX];
	int			 i, idx;

	if (netconf_live_read(&live, &cause) == -1) {
		free(cause);
		return;
	}
	idx = netlink_ifindex(live.links, live.nlinks, iface);
	for (i = 0; i < live.nroutes; i++)
		if (live.routes[i].ifindex == idx &&
		    live.routes[i].protocol == RTPROT_DHCP &&
		    netlink_route_del(live.routes[i].family,
		    live.routes[i].dst, live.routes[i].dst_len,
		    live.routes[i].gateway, idx, live.routes[i].priority,
		    &cause) == -1) {
			free(cause);
			cause = NULL;
		}
	for (i = 0; i < live.naddrs; i++)
		if (live.addrs[i].ifindex == idx &&
		    live.addrs[i].family == AF_INET &&
		    live.addrs[i].scope == RT_SCOPE_UNIVERSE &&
		    live.addrs[i].valid_lft != 0xffffffffU &&
		    netlink_addr_del(idx, live.addrs[i].addr,
		    live.addrs[i].prefixlen, &cause) == -1) {
			free(cause);
			cause = NULL;
		}
	netconf_live_free(&live);
	if (xsnprintf(path, sizeof path, "%s/lease-%s", NETAPPLY_STATE,
	    iface) != -1) {
		char	 full[PATH_MAX];

		if (paths_get(full, sizeof full, path) == 0)
			(void)unlink(full);
	}
}

static int
lease_bound(const struct lease *l, char **cause)
{
	struct netconf		*applied = netconf_new();
	struct netconf_live	 live;
	char			 rel[PATH_MAX], path[PATH_MAX], *text, *why = NULL;
	json_t			*j, *dns;
	int			 i, idx, r = -1, holds;

	memset(&live, 0, sizeof live);
	if (netconf_live_read(&live, cause) == -1)
		goto out;
	if ((idx = netlink_ifindex(live.links, live.nlinks, l->iface)) == 0) {
		xasprintf(cause, "no adapter %s", l->iface);
		goto out;
	}
	if (lease_check(l, &live, idx, &why) == -1) {
		audit_logf("refused", "DHCP lease %s/%lld on %s from server %s: "
		    "%s", l->ip[0] != '\0' ? l->ip : "(none)", l->prefixlen,
		    l->iface, l->server[0] != '\0' ? l->server : "(unknown)",
		    why);
		xasprintf(cause, "lease refused: %s", why);
		free(why);
		goto out;
	}
	/* A new address replaces an old lease's. */
	for (i = 0; i < live.naddrs; i++)
		if (live.addrs[i].ifindex == idx &&
		    live.addrs[i].family == AF_INET &&
		    live.addrs[i].valid_lft != 0xffffffffU &&
		    strcmp(live.addrs[i].addr, l->ip) != 0)
			(void)netlink_addr_del(idx, live.addrs[i].addr,
			    live.addrs[i].prefixlen, NULL);
	if (netlink_addr_add(idx, l->ip, (int)l->prefixlen,
	    (unsigned)l->seconds, cause) == -1)
		goto out;
	(void)netapply_applied(applied, NULL);
	holds = applied->default_iface[0] == '\0' ||
	    strcmp(applied->default_iface, l->iface) == 0;
	if (holds && l->router[0] != '\0') {
		char	*ignore = NULL;

		(void)netlink_route_del(AF_INET, "", 0, l->router, idx, 0,
		    &ignore);
		free(ignore);
		if (netlink_route_add(AF_INET, "", 0, l->router, idx,
		    RTPROT_DHCP, 0, cause) == -1)
			goto out;
	}
	j = json_object();
	json_object_set_new(j, "interface", json_string(l->iface));
	json_object_set_new(j, "address", json_string(l->ip));
	json_object_set_new(j, "prefixlen", json_integer(l->prefixlen));
	if (l->router[0] != '\0')
		json_object_set_new(j, "gateway", json_string(l->router));
	dns = json_array();
	for (i = 0; i < l->ndns; i++)
		json_array_append_new(dns, json_string(l->dns[i]));
	json_object_set_new(j, "dns", dns);
	if (l->domain[0] != '\0')
		json_object_set_new(j, "domain", json_string(l->domain));
	if (l->server[0] != '\0')
		json_object_set_new(j, "server", json_string(l->server));
	json_object_set_new(j, "lease_seconds", json_integer(l->seconds));
	json_object_set_new(j, "obtained", json_integer((long long)time(NULL)));
	text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (xsnprintf(rel, sizeof rel, "%s/lease-%s", NETAPPLY_STATE,
	    l->iface) == -1 || paths_get(path, sizeof path, rel) == -1 ||
	    atomic_mkdirs_for(path, NETAPPLY_STATE_MODE, cause) == -1 ||
	    atomic_write_file(path, text, strlen(text), 0644, cause) == -1) {
		free(text);
		goto out;
	}
	free(text);
	/* No nameservers of its own: the file takes the lease's. */
	if (applied->ndns == 0 && netapply_resolv(applied, cause) == -1)
		goto out;
	r = 0;
out:
	netconf_live_free(&live);
	netconf_free(applied);
	return (r);
}

int
main(int argc, char **argv)
{
	struct lease	 l;
	char		*cause = NULL, *why = NULL;
	int		 r = 0, lock, dhcp;

	paths_init();
	if (argc < 2 || lease_read(&l) == -1)
		return (HELPER_USAGE);
	/* The lease is read; nothing else of the environment is used. */
	if (helper_harden(NULL) == -1)
		return (HELPER_INTERNAL);
	audit_init();
	if (audit_open(&why) == -1)
		free(why);
	if ((lock = lease_lock(&cause)) == -1)
		r = -1;
	else if ((dhcp = lease_is_dhcp(l.iface, &cause)) == -1)
		r = -1;
	else if (!dhcp) {
		/* Switched to static (or gone) while this event ran. */
		r = 0;
	} else if (strcmp(argv[1], "bound") == 0 ||
	    strcmp(argv[1], "renew") == 0)
		r = lease_bound(&l, &cause);
	else if (strcmp(argv[1], "deconfig") == 0 ||
	    strcmp(argv[1], "nak") == 0)
		lease_clear(l.iface);
	if (lock != -1)
		close(lock);
	if (r == -1) {
		fprintf(stderr, "console-dhcp-event: %s\n", cause);
		free(cause);
		return (HELPER_FAILED);
	}
	return (HELPER_OK);
}
