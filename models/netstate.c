/* SPDX-License-Identifier: ISC */
/*
 * Module 200's model (see network.h). Address origins: link scope is
 * link-local; an IPv6 address the kernel made from a router advert is not
 * permanent (SLAAC); an IPv4 address with a lifetime came from our DHCP
 * hook; anything else is static.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "netapply.h"
#include "netstate.h"
#include "paths.h"
#include "text.h"
#include "xmalloc.h"

#define NETWORK_TEXT_MAX	(256 * 1024)
#define NETWORK_MAX_DEFAULTS	64

static const char *
network_origin(const struct netlink_addr *a)
{
	if (a->scope != RT_SCOPE_UNIVERSE)
		return ("link-local");
	if (a->family == AF_INET6 && !(a->flags & IFA_F_PERMANENT))
		return ("slaac");
	if (a->family == AF_INET && a->valid_lft != 0xffffffffU)
		return ("dhcp");
	return ("static");
}

/* The driver's name through ethtool; "" when it has none. */
static void
network_driver(const char *ifname, char *buf, size_t len)
{
	struct ethtool_drvinfo	 di;
	struct ifreq		 ifr;
	int			 s;

	buf[0] = '\0';
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&ifr, 0, sizeof ifr);
	memset(&di, 0, sizeof di);
	(void)xsnprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	di.cmd = ETHTOOL_GDRVINFO;
	ifr.ifr_data = (char *)&di;
	if (ioctl(s, SIOCETHTOOL, &ifr) == 0) {
		di.driver[sizeof di.driver - 1] = '\0';
		(void)xsnprintf(buf, len, "%s", di.driver);
	}
	close(s);
}

static json_t *
network_lease(const char *ifname)
{
	char	 rel[PATH_MAX], path[PATH_MAX], *text;
	json_t	*j;

	if (xsnprintf(rel, sizeof rel, "%s/lease-%s", NETAPPLY_STATE,
	    ifname) == -1 || paths_get(path, sizeof path, rel) == -1 ||
	    (text = text_read_file(path, 8192, NULL)) == NULL)
		return (NULL);
	j = json_loads(text, 0, NULL);
	free(text);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return (j);
}

int
netstate_pending_left(void)
{
	char		 rel[PATH_MAX], path[PATH_MAX], *text, *p;
	long long	 deadline, left;

	if (xsnprintf(rel, sizeof rel, "%s/pending.info", NETAPPLY_STATE) ==
	    -1 || paths_get(path, sizeof path, rel) == -1 ||
	    (text = text_read_file(path, 256, NULL)) == NULL)
		return (-1);
	/* The boot clock when the helper wrote it: wall-clock steps lie. */
	if ((p = strstr(text, "boottime_end ")) != NULL) {
		struct timespec	 ts;

		clock_gettime(CLOCK_BOOTTIME, &ts);
		left = strtoll(p + 13, NULL, 10) - (long long)ts.tv_sec;
	} else {
		p = strstr(text, "deadline ");
		deadline = p != NULL ? strtoll(p + 9, NULL, 10) : 0;
		left = deadline - (long long)time(NULL);
	}
	free(text);
	return (left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left);
}

int
netstate_ssh_iface(const struct netconf_live *live, char *iface, size_t ilen,
    char *client, size_t clen)
{
	const char	*conn = audit_ssh_connection();
	char		 c[64], s[64];
	int		 i;

	if (sscanf(conn, "%63s %*s %63s", c, s) != 2)
		return (-1);
	for (i = 0; i < live->naddrs; i++) {
		if (strcmp(live->addrs[i].addr, s) == 0) {
			(void)xsnprintf(iface, ilen, "%s",
			    live->addrs[i].ifname);
			(void)xsnprintf(client, clen, "%s", c);
			return (0);
		}
	}
	return (-1);
}

/*
 * The routes worth showing (not the kernel's own, not IPv6 multicast and
 * link noise) and their destination text and origin; -1 to skip.
 */
static int
network_route_fields(const struct netlink_route *r, char *dest, size_t len,
    const char **origin)
{
	if (r->protocol == RTPROT_KERNEL || (r->family == AF_INET6 &&
	    r->dst_len != 0 && r->gateway[0] == '\0' &&
	    r->protocol != RTPROT_STATIC && r->protocol != RTPROT_BOOT))
		return (-1);
	if (r->dst_len == 0)
		(void)xsnprintf(dest, len, "default");
	else
		(void)xsnprintf(dest, len, "%s/%d", r->dst, r->dst_len);
	*origin = r->protocol == RTPROT_DHCP ? "dhcp" : r->protocol ==
	    RTPROT_RA ? "router-advert" : "static";
	return (0);
}

/* A JSON string of bytes from the kernel: escaped, never invalid. */
static void
network_json_str(FILE *f, const char *s)
{
	const unsigned char	*p;

	fputc('"', f);
	if (strcspn(s, "\"\\") == strlen(s)) {
		for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
			;
		if (*p == '\0') {
			fputs(s, f);
			fputc('"', f);
			return;
		}
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Append to a line buffer without printf (10,000 routes). */
static char *
network_put(char *p, const char *s)
{
	size_t	 n = strlen(s);

	memcpy(p, s, n);
	return (p + n);
}

void
netstate_routes_dump(FILE *f, const struct netconf_live *live, int level)
{
	const struct netlink_route	*r;
	const char			*origin;
	char				 d[64], line[512], pad[2][16], num[16];
	char				*p;
	int				 i, n = 0;

	/* The layout of jansson's JSON_INDENT(2), so both parts agree. */
	(void)xsnprintf(pad[0], sizeof pad[0], "\n%*s", level * 2 + 2, "");
	(void)xsnprintf(pad[1], sizeof pad[1], "\n%*s", level * 2 + 4, "");
	fputc('[', f);
	for (i = 0; i < live->nroutes; i++) {
		r = &live->routes[i];
		if (network_route_fields(r, d, sizeof d, &origin) == -1)
			continue;
		/* Assembled without printf: 10,000 routes. */
		p = line;
		if (n++ > 0)
			*p++ = ',';
		p = network_put(p, pad[0]);
		*p++ = '{';
		p = network_put(p, pad[1]);
		p = network_put(p, "\"destination\": \"");
		p = network_put(p, d);
		p = network_put(p, "\",");
		if (r->gateway[0] != '\0') {
			p = network_put(p, pad[1]);
			p = network_put(p, "\"via\": \"");
			p = network_put(p, r->gateway);
			p = network_put(p, "\",");
		}
		p = network_put(p, pad[1]);
		p = network_put(p, "\"dev\": ");
		fwrite(line, 1, (size_t)(p - line), f);
		network_json_str(f, r->ifname);
		p = line;
		*p++ = ',';
		p = network_put(p, pad[1]);
		p = network_put(p, "\"origin\": \"");
		p = network_put(p, origin);
		*p++ = '"';
		if (r->priority != 0) {
			(void)xsnprintf(num, sizeof num, "%u", r->priority);
			*p++ = ',';
			p = network_put(p, pad[1]);
			p = network_put(p, "\"metric\": ");
			p = network_put(p, num);
		}
		p = network_put(p, pad[0]);
		*p++ = '}';
		fwrite(line, 1, (size_t)(p - line), f);
	}
	if (n > 0)
		fprintf(f, "\n%*s", level * 2, "");
	fputc(']', f);
}

json_t *
netstate_collect(char **cause)
{
	return (netstate_collect_with(NULL, cause));
}

json_t *
netstate_collect_with(struct netconf_live *keep, char **cause)
{
	struct netconf_live		 live;
	struct netconf			*cfg = netconf_new();
	const struct netconf_iface	*ifc;
	const struct netlink_link	*l;
	const struct netlink_route	*r;
	json_t				*root, *ads, *ad, *addrs, *a, *routes;
	json_t				*dns, *lease, *arr;
	char				 drv[64], host[NETCONF_HOST_MAX + 2];
	char				*why = NULL;
	int				 i, j, left, def, ndefs = 0;
	int				 defs[NETWORK_MAX_DEFAULTS];

	if (netconf_live_read(&live, cause) == -1) {
		netconf_free(cfg);
		return (NULL);
	}
	/* The adapters holding a default route, found in one pass. */
	for (i = 0; i < live.nroutes && ndefs < NETWORK_MAX_DEFAULTS; i++)
		if (live.routes[i].dst_len == 0)
			defs[ndefs++] = live.routes[i].ifindex;
	root = json_object();
	if (netconf_current(cfg, &live, &why) == -1) {
		json_object_set_new(root, "config_error", json_string(why));
		free(why);
		netconf_from_live(cfg, &live);
	}
	memset(host, 0, sizeof host);
	(void)gethostname(host, sizeof host - 1);
	json_object_set_new(root, "hostname", json_string(host));
	ads = json_array();
	for (i = 0; i < live.nlinks; i++) {
		l = &live.links[i];
		if (l->loopback)
			continue;
		ad = json_object();
		json_object_set_new(ad, "name", json_string(l->ifname));
		json_object_set_new(ad, "state", json_string(l->up ? "up" :
		    "down"));
		json_object_set_new(ad, "carrier", json_boolean(l->carrier));
		json_object_set_new(ad, "mac", json_string(l->mac));
		json_object_set_new(ad, "mtu", json_integer(l->mtu));
		if (l->kind[0] != '\0')
			(void)xsnprintf(drv, sizeof drv, "%s", l->kind);
		else
			network_driver(l->ifname, drv, sizeof drv);
		json_object_set_new(ad, "driver", json_string(drv));
		ifc = netconf_iface_find(cfg, l->ifname);
		json_object_set_new(ad, "mode", json_string(ifc == NULL ?
		    "unconfigured" : ifc->mode == NETCONF_STATIC ? "static" :
		    "dhcp"));
		if (ifc != NULL)
			json_object_set_new(ad, "ipv6", json_string(
			    ifc->slaac ? "slaac" : "off"));
		addrs = json_array();
		for (j = 0; j < live.naddrs; j++) {
			if (live.addrs[j].ifindex != l->ifindex)
				continue;
			a = json_object();
			json_object_set_new(a, "address",
			    json_string(live.addrs[j].addr));
			json_object_set_new(a, "prefixlen",
			    json_integer(live.addrs[j].prefixlen));
			json_object_set_new(a, "family", json_string(
			    live.addrs[j].family == AF_INET ? "inet" :
			    "inet6"));
			json_object_set_new(a, "origin",
			    json_string(network_origin(&live.addrs[j])));
			if (live.addrs[j].flags & IFA_F_TENTATIVE)
				json_object_set_new(a, "tentative",
				    json_true());
			if (live.addrs[j].flags & IFA_F_DADFAILED)
				json_object_set_new(a, "duplicate",
				    json_true());
			json_array_append_new(addrs, a);
		}
		json_object_set_new(ad, "addresses", addrs);
		def = 0;
		for (j = 0; j < ndefs; j++)
			if (defs[j] == l->ifindex)
				def = 1;
		json_object_set_new(ad, "default_route", json_boolean(def));
		if ((lease = network_lease(l->ifname)) != NULL)
			json_object_set_new(ad, "lease", lease);
		json_array_append_new(ads, ad);
	}
	json_object_set_new(root, "adapters", ads);
	if (keep == NULL) {
		routes = json_array();
		for (i = 0; i < live.nroutes; i++) {
			const char	*origin;
			char		 d[64];

			r = &live.routes[i];
			if (network_route_fields(r, d, sizeof d, &origin) == -1)
				continue;
			a = json_object();
			json_object_set_new(a, "destination", json_string(d));
			if (r->gateway[0] != '\0')
				json_object_set_new(a, "via",
				    json_string(r->gateway));
			json_object_set_new(a, "dev", json_string(r->ifname));
			json_object_set_new(a, "origin", json_string(origin));
			if (r->priority != 0)
				json_object_set_new(a, "metric",
				    json_integer(r->priority));
			json_array_append_new(routes, a);
		}
		json_object_set_new(root, "routes", routes);
	}
	dns = json_object();
	arr = json_array();
	{
		struct netconf	*rc = netconf_new();

		/* What the resolver uses: the file, not the intent. */
		netconf_read_resolv(rc);
		for (i = 0; i < rc->ndns; i++)
			json_array_append_new(arr, json_string(rc->dns[i]));
		json_object_set_new(dns, "nameservers", arr);
		arr = json_array();
		for (i = 0; i < rc->nsearch; i++)
			json_array_append_new(arr,
			    json_string(rc->search[i]));
		json_object_set_new(dns, "search", arr);
		netconf_free(rc);
	}
	json_object_set_new(root, "dns", dns);
	json_object_set_new(root, "default_adapter",
	    json_string(cfg->default_iface));
	if ((left = netstate_pending_left()) >= 0)
		json_object_set_new(root, "pending_seconds",
		    json_integer(left));
	netconf_free(cfg);
	if (keep != NULL)
		*keep = live;	/* the caller streams the routes */
	else
		netconf_live_free(&live);
	return (root);
}

char *
netstate_text(const json_t *root)
{
	struct text_buf	 b;
	json_t		*ad, *a, *lease, *v;
	size_t		 i, j;
	const char	*s;
	char		*safe;

	text_buf_init(&b, NETWORK_TEXT_MAX);
	text_buf_printf(&b, "Host name  %s\n",
	    json_string_value(json_object_get(root, "hostname")));
	json_array_foreach(json_object_get(root, "adapters"), i, ad) {
		text_buf_printf(&b, "\nAdapter %s%s: %s, %s, MTU %lld",
		    json_string_value(json_object_get(ad, "name")),
		    json_is_true(json_object_get(ad, "default_route")) ?
		    " (default route)" : "",
		    json_string_value(json_object_get(ad, "state")),
		    json_is_true(json_object_get(ad, "carrier")) ?
		    "carrier" : "NO CARRIER",
		    (long long)json_integer_value(json_object_get(ad, "mtu")));
		if (*(s = json_string_value(json_object_get(ad, "driver"))))
			text_buf_printf(&b, ", driver %s", s);
		text_buf_printf(&b, "\n  MAC %s, configured: %s\n",
		    *(s = json_string_value(json_object_get(ad, "mac"))) ?
		    s : "none", json_string_value(json_object_get(ad,
		    "mode")));
		json_array_foreach(json_object_get(ad, "addresses"), j, a) {
			char	 cidr[64];

			(void)xsnprintf(cidr, sizeof cidr, "%s/%lld",
			    json_string_value(json_object_get(a, "address")),
			    (long long)json_integer_value(json_object_get(a,
			    "prefixlen")));
			text_buf_printf(&b, "  %-44s %s%s%s\n", cidr,
			    json_string_value(json_object_get(a, "origin")),
			    json_is_true(json_object_get(a, "tentative")) ?
			    ", tentative" : "",
			    json_is_true(json_object_get(a, "duplicate")) ?
			    ", DUPLICATE on the link" : "");
		}
		if ((lease = json_object_get(ad, "lease")) != NULL) {
			text_buf_printf(&b, "  DHCP lease %s/%lld",
			    json_string_value(json_object_get(lease,
			    "address")), (long long)json_integer_value(
			    json_object_get(lease, "prefixlen")));
			if ((v = json_object_get(lease, "gateway")) != NULL)
				text_buf_printf(&b, ", gateway %s",
				    json_string_value(v));
			if ((v = json_object_get(lease, "server")) != NULL)
				text_buf_printf(&b, ", from %s",
				    json_string_value(v));
			text_buf_printf(&b, ", %lld s\n", (long long)
			    json_integer_value(json_object_get(lease,
			    "lease_seconds")));
		}
	}
	text_buf_printf(&b, "\nRoutes\n");
	json_array_foreach(json_object_get(root, "routes"), i, a) {
		v = json_object_get(a, "via");
		text_buf_printf(&b, "  %-24s %s%s dev %s (%s)\n",
		    json_string_value(json_object_get(a, "destination")),
		    v != NULL ? "via " : "", v != NULL ? json_string_value(v) :
		    "", json_string_value(json_object_get(a, "dev")),
		    json_string_value(json_object_get(a, "origin")));
	}
	text_buf_printf(&b, "\nDNS servers   ");
	json_array_foreach(json_object_get(json_object_get(root, "dns"),
	    "nameservers"), i, a)
		text_buf_printf(&b, "%s ", json_string_value(a));
	text_buf_printf(&b, "\nSearch        ");
	json_array_foreach(json_object_get(json_object_get(root, "dns"),
	    "search"), i, a)
		text_buf_printf(&b, "%s ", json_string_value(a));
	text_buf_printf(&b, "\n");
	if ((v = json_object_get(root, "config_error")) != NULL)
		text_buf_printf(&b, "\nWARNING: %s\n", json_string_value(v));
	if ((v = json_object_get(root, "pending_seconds")) != NULL)
		text_buf_printf(&b, "\nA change waits for confirmation: %lld s "
		    "left ('network confirm' keeps it).\n",
		    (long long)json_integer_value(v));
	safe = text_buf_take(&b);
	return (safe);
}
