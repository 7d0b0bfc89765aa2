/* SPDX-License-Identifier: ISC */
/*
 * The DHCP client's event hook: udhcpc runs it (as root, from the network
 * helper) with the event in argv[1] and the lease in its environment. The
 * lease comes from the network, so every value is validated like user
 * input before it reaches netlink. "bound"/"renew" put the address (with
 * the lease's lifetime, which marks it as DHCP's), the default route when
 * this adapter holds it, and the lease file the console shows;
 * "deconfig"/"leasefail"/"nak" take the lease's address and routes away.
 */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
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
	char			 rel[PATH_MAX], path[PATH_MAX], *text;
	json_t			*j, *dns;
	int			 i, idx, r = -1, holds;

	memset(&live, 0, sizeof live);
	if (l->ip[0] == '\0') {
		xasprintf(cause, "the lease has no valid address");
		goto out;
	}
	if (netconf_live_read(&live, cause) == -1)
		goto out;
	if ((idx = netlink_ifindex(live.links, live.nlinks, l->iface)) == 0) {
		xasprintf(cause, "no adapter %s", l->iface);
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
	char		*cause = NULL;
	int		 r = 0;

	paths_init();
	if (argc < 2 || lease_read(&l) == -1)
		return (HELPER_USAGE);
	/* The lease is read; nothing else of the environment is used. */
	if (helper_harden(NULL) == -1)
		return (HELPER_INTERNAL);
	if (strcmp(argv[1], "bound") == 0 || strcmp(argv[1], "renew") == 0)
		r = lease_bound(&l, &cause);
	else if (strcmp(argv[1], "deconfig") == 0 ||
	    strcmp(argv[1], "nak") == 0)
		lease_clear(l.iface);
	if (r == -1) {
		fprintf(stderr, "console-dhcp-event: %s\n", cause);
		free(cause);
		return (HELPER_FAILED);
	}
	return (HELPER_OK);
}
