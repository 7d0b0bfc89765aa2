/* SPDX-License-Identifier: ISC */
/*
 * The declarative network configuration (see netconf.h): INI in and out,
 * the edits the CLI and the helper share, and the whole-file validation
 * whose sentences name the field that is wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>
#include <linux/rtnetlink.h>

#include "atomic.h"
#include "netconf.h"
#include "paths.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define NETCONF_FILE_MAX	(64 * 1024)
#define NETCONF_LIST_MAX	16

struct netconf_parse {
	struct netconf	*cfg;
	char		*cause;
	int		 line;
	int		 search_lines;	/* "search" lines so far: they add up */
};

static int	 netconf_parse_text(const char *, const char *, struct netconf *,
		     char **);
static int	 netconf_handler(void *, const char *, const char *,
		     const char *);
static int	 netconf_split(const char *, char [][256], int, const char *,
		     char **);
static int	 netconf_add_route_text(struct netconf *, const char *,
		     char **);
static int	 netconf_in_subnet(int, const char *, const char *, int);
static int	 netconf_on_link(const struct netconf *,
		     const struct netconf_live *, const char *, int,
		     const char *);
static int	 netconf_gateway_ok(const struct netconf_iface *, const char *,
		     int, const char *, char **);

struct netconf *
netconf_new(void)
{
	return (xcalloc(1, sizeof(struct netconf)));
}

void
netconf_free(struct netconf *cfg)
{
	free(cfg);
}

struct netconf *
netconf_dup(const struct netconf *cfg)
{
	struct netconf	*c = netconf_new();

	memcpy(c, cfg, sizeof *c);
	return (c);
}

int
netconf_equal(const struct netconf *a, const struct netconf *b)
{
	char	*ta = netconf_format(a), *tb = netconf_format(b);
	int	 eq = strcmp(ta, tb) == 0;

	free(ta);
	free(tb);
	return (eq);
}

int
netconf_live_read(struct netconf_live *live, char **cause)
{
	memset(live, 0, sizeof *live);
	if ((live->nlinks = netlink_dump_links(&live->links, cause)) == -1 ||
	    (live->naddrs = netlink_dump_addrs_of(&live->addrs, live->links,
	    live->nlinks, cause)) == -1 ||
	    (live->nroutes = netlink_dump_routes_of(&live->routes, live->links,
	    live->nlinks, cause)) == -1) {
		netconf_live_free(live);
		return (-1);
	}
	return (0);
}

void
netconf_live_free(struct netconf_live *live)
{
	free(live->links);
	free(live->addrs);
	free(live->routes);
	memset(live, 0, sizeof *live);
}

struct netconf_iface *
netconf_iface_find(const struct netconf *cfg, const char *name)
{
	int	 i;

	for (i = 0; i < cfg->nifaces; i++)
		if (strcmp(cfg->ifaces[i].name, name) == 0)
			return ((struct netconf_iface *)&cfg->ifaces[i]);
	return (NULL);
}

/* The adapter's entry, made (DHCP, SLAAC on) when it is new. */
static struct netconf_iface *
netconf_iface_get(struct netconf *cfg, const char *name, char **cause)
{
	struct netconf_iface	*ifc;

	if ((ifc = netconf_iface_find(cfg, name)) != NULL)
		return (ifc);
	if (cfg->nifaces >= NETCONF_MAX_IFACES) {
		xasprintf(cause, "at most %d adapters can be configured",
		    NETCONF_MAX_IFACES);
		return (NULL);
	}
	ifc = &cfg->ifaces[cfg->nifaces++];
	memset(ifc, 0, sizeof *ifc);
	(void)xsnprintf(ifc->name, sizeof ifc->name, "%s", name);
	ifc->mode = NETCONF_DHCP;
	ifc->slaac = 1;
	return (ifc);
}

/* Split on commas or spaces into at most max words; NULL is no word. */
static int
netconf_split(const char *s, char words[][256], int max, const char *what,
    char **cause)
{
	const char	*p = s, *e;
	size_t		 len;
	int		 n = 0;

	if (s == NULL)
		return (0);
	while (*p != '\0') {
		while (*p == ',' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		e = p + strcspn(p, ", ");
		len = (size_t)(e - p);
		if (n >= max) {
			xasprintf(cause, "%s: at most %d values", what, max);
			return (-1);
		}
		if (len >= 256) {
			xasprintf(cause, "%s: a value is too long", what);
			return (-1);
		}
		memcpy(words[n], p, len);
		words[n][len] = '\0';
		n++;
		p = e;
	}
	return (n);
}

/* The address as network-order bytes; its length, or 0. */
static size_t
netconf_bytes(int family, const char *a, unsigned char *b)
{
	if (inet_pton(family, a, b) != 1)
		return (0);
	return (family == AF_INET ? 4 : 16);
}

/* 1 when a and net share their first plen bits. */
static int
netconf_in_subnet(int family, const char *a, const char *net, int plen)
{
	unsigned char	 x[16], y[16];
	size_t		 len, i;
	int		 bits;

	if ((len = netconf_bytes(family, a, x)) == 0 ||
	    netconf_bytes(family, net, y) != len)
		return (0);
	for (i = 0, bits = plen; i < len && bits > 0; i++, bits -= 8) {
		unsigned char	 m = bits >= 8 ? 0xff :
				     (unsigned char)(0xff << (8 - bits));

		if ((x[i] & m) != (y[i] & m))
			return (0);
	}
	return (1);
}

int
netconf_parse_host(const char *s, struct netconf_addr *a, char **cause)
{
	char		*why = NULL, *slash;
	unsigned char	 b[16];
	long long	 plen;
	size_t		 len, i;
	int		 family, host0 = 1, host1 = 1, bits;

	memset(a, 0, sizeof *a);
	if (valid_cidr(s, &family, &why) == -1) {
		xasprintf(cause, "'%s' is not an address with a prefix "
		    "(like 192.0.2.10/24 or 2001:db8::10/64): %s", s, why);
		free(why);
		return (-1);
	}
	slash = strchr(s, '/');
	(void)xsnprintf(a->addr, sizeof a->addr, "%.*s", (int)(slash - s), s);
	(void)valid_number(slash + 1, 0, family == AF_INET ? 32 : 128, &plen,
	    NULL);
	a->family = family;
	a->prefixlen = (int)plen;
	len = netconf_bytes(family, a->addr, b);
	if (plen == 0) {
		xasprintf(cause, "'%s': a prefix of 0 is not a subnet", s);
		return (-1);
	}
	if (family == AF_INET) {
		if (b[0] == 0 || b[0] == 127 || b[0] >= 224) {
			xasprintf(cause, "'%s': %s is not a unicast host "
			    "address", s, a->addr);
			return (-1);
		}
	} else if (b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
	    IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)b) ||
	    IN6_IS_ADDR_LOOPBACK((struct in6_addr *)b) ||
	    IN6_IS_ADDR_V4MAPPED((struct in6_addr *)b)) {
		xasprintf(cause, "'%s': %s is not a global unicast address "
		    "(link-local addresses are made by the kernel)", s,
		    a->addr);
		return (-1);
	}
	/* The host part: all zeros is the network, all ones broadcast. */
	for (i = 0, bits = (int)plen; i < len; i++, bits -= 8) {
		unsigned char	 m = bits >= 8 ? 0 : bits <= 0 ? 0xff :
				     (unsigned char)(0xff >> bits);

		if ((b[i] & m) != 0)
			host0 = 0;
		if ((b[i] & m) != m)
			host1 = 0;
	}
	if (family == AF_INET && plen <= 30 && host0) {
		xasprintf(cause, "'%s': %s is the network address of its "
		    "subnet, not a host", s, a->addr);
		return (-1);
	}
	if (family == AF_INET && plen <= 30 && host1) {
		xasprintf(cause, "'%s': %s is the broadcast address of its "
		    "subnet, not a host", s, a->addr);
		return (-1);
	}
	if (family == AF_INET6 && plen < 127 && host0) {
		xasprintf(cause, "'%s': %s is the subnet-router anycast "
		    "address of its prefix, not a host", s, a->addr);
		return (-1);
	}
	return (0);
}

/* "PREFIX via ADDR dev IFACE", either of via or dev may be absent. */
static int
netconf_add_route_text(struct netconf *cfg, const char *text, char **cause)
{
	char	 w[6][256];
	int	 n, i;
	char	*via = NULL, *dev = NULL;

	if ((n = netconf_split(text, w, 6, "route", cause)) == -1)
		return (-1);
	if (n != 3 && n != 5) {
		xasprintf(cause, "route '%s': expected PREFIX via ADDR "
		    "[dev IFACE] or PREFIX dev IFACE", text);
		return (-1);
	}
	for (i = 1; i + 1 < n; i += 2) {
		if (strcmp(w[i], "via") == 0)
			via = w[i + 1];
		else if (strcmp(w[i], "dev") == 0)
			dev = w[i + 1];
		else {
			xasprintf(cause, "route '%s': unknown word '%s'", text,
			    w[i]);
			return (-1);
		}
	}
	return (netconf_edit_route(cfg, 1, w[0], via, dev, cause));
}

static int
netconf_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct netconf_parse	*p = arg;
	struct netconf		*cfg = p->cfg;
	struct netconf_iface	*ifc;
	char			*why = NULL;
	int			 r = 0;

	if (p->cause != NULL)
		return (0);
	if (strcmp(section, "system") == 0 && strcmp(key, "hostname") == 0)
		r = netconf_edit_hostname(cfg, value, &why);
	else if (strcmp(section, "system") == 0 &&
	    strcmp(key, "default") == 0)
		r = netconf_edit_default(cfg, value, &why);
	else if (strcmp(section, "dns") == 0 &&
	    strcmp(key, "nameservers") == 0)
		r = netconf_edit_dns(cfg, value, verb_keep, &why);
	else if (strcmp(section, "dns") == 0 && strcmp(key, "search") == 0) {
		struct text_buf	 all;
		char		*joined;
		int		 i;

		/* A long list is written on several lines: join them. */
		text_buf_init(&all, NETCONF_FILE_MAX);
		for (i = 0; p->search_lines > 0 && i < cfg->nsearch; i++)
			text_buf_printf(&all, "%s ", cfg->search[i]);
		text_buf_printf(&all, "%s", value);
		joined = text_buf_take(&all);
		r = netconf_edit_dns(cfg, verb_keep, joined, &why);
		free(joined);
		p->search_lines++;
	}
	else if (strcmp(section, "routes") == 0 && strcmp(key, "route") == 0)
		r = netconf_add_route_text(cfg, value, &why);
	else if (strncmp(section, "interface ", 10) == 0) {
		if (valid_ifname(section + 10, &why) == -1 ||
		    (ifc = netconf_iface_get(cfg, section + 10, &why)) ==
		    NULL)
			r = -1;
		else if (strcmp(key, "mode") == 0) {
			if (strcmp(value, "static") == 0)
				ifc->mode = NETCONF_STATIC;
			else if (strcmp(value, "dhcp") == 0)
				ifc->mode = NETCONF_DHCP;
			else {
				xasprintf(&why, "mode must be dhcp or static");
				r = -1;
			}
		} else if (strcmp(key, "address") == 0) {
			if (ifc->naddrs >= NETCONF_MAX_ADDRS) {
				xasprintf(&why, "at most %d addresses",
				    NETCONF_MAX_ADDRS);
				r = -1;
			} else if ((r = netconf_parse_host(value,
			    &ifc->addrs[ifc->naddrs], &why)) == 0)
				ifc->naddrs++;
		} else if (strcmp(key, "gateway") == 0) {
			if ((r = valid_ipv4(value, &why)) == 0)
				(void)xsnprintf(ifc->gateway,
				    sizeof ifc->gateway, "%s", value);
		} else if (strcmp(key, "gateway6") == 0) {
			if ((r = valid_ipv6(value, &why)) == 0)
				(void)xsnprintf(ifc->gateway6,
				    sizeof ifc->gateway6, "%s", value);
		} else if (strcmp(key, "mtu") == 0) {
			long long	 v;

			if ((r = valid_number(value, 68, 65535, &v,
			    &why)) == 0)
				ifc->mtu = (unsigned)v;
		} else if (strcmp(key, "link") == 0) {
			if (strcmp(value, "up") == 0)
				ifc->down = 0;
			else if (strcmp(value, "down") == 0)
				ifc->down = 1;
			else {
				xasprintf(&why, "link must be up or down");
				r = -1;
			}
		} else if (strcmp(key, "ipv6") == 0) {
			if (strcmp(value, "slaac") == 0)
				ifc->slaac = 1;
			else if (strcmp(value, "off") == 0)
				ifc->slaac = 0;
			else {
				xasprintf(&why, "ipv6 must be slaac or off");
				r = -1;
			}
		} else {
			xasprintf(&why, "unknown key");
			r = -1;
		}
	} else {
		xasprintf(&why, "unknown key");
		r = -1;
	}
	if (r == -1) {
		xasprintf(&p->cause, "key '%s' in [%s]: %s", key, section,
		    why != NULL ? why : "invalid");
		free(why);
		return (0);
	}
	return (1);
}

/* Parse text (named name in messages) into cfg: 0, or -1 with *cause. */
static int
netconf_parse_text(const char *name, const char *text, struct netconf *cfg,
    char **cause)
{
	struct netconf_parse	 p;
	int			 r;

	memset(cfg, 0, sizeof *cfg);
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	r = ini_parse_string(text, netconf_handler, &p);
	if (p.cause != NULL || r != 0) {
		xasprintf(cause, "%s:%d: %s", name, r,
		    p.cause != NULL ? p.cause : "syntax error");
		free(p.cause);
		memset(cfg, 0, sizeof *cfg);
		return (-1);
	}
	return (0);
}

int
netconf_load(const char *path, struct netconf *cfg, char **cause)
{
	char	*text, *why = NULL;
	int	 r;

	memset(cfg, 0, sizeof *cfg);
	if ((text = text_read_file(path, NETCONF_FILE_MAX, &why)) == NULL) {
		if (access(path, F_OK) == -1 && errno == ENOENT) {
			free(why);
			return (1);
		}
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		return (-1);
	}
	r = netconf_parse_text(path, text, cfg, cause);
	free(text);
	return (r);
}

char *
netconf_format(const struct netconf *cfg)
{
	struct text_buf			 b;
	const struct netconf_iface	*ifc;
	const struct netconf_route	*rt;
	size_t				 len, w;
	int				 i, j;

	text_buf_init(&b, NETCONF_FILE_MAX);
	text_buf_printf(&b, "# The network configuration of this appliance, "
	    "written by appliance-console.\n# Change it with the console "
	    "(menu item 200 or 'network ...'), not by hand.\n");
	text_buf_printf(&b, "\n[system]\n");
	if (cfg->hostname[0] != '\0')
		text_buf_printf(&b, "hostname = %s\n", cfg->hostname);
	if (cfg->default_iface[0] != '\0')
		text_buf_printf(&b, "default = %s\n", cfg->default_iface);
	text_buf_printf(&b, "\n[dns]\nnameservers =");
	for (i = 0; i < cfg->ndns; i++)
		text_buf_printf(&b, " %s", cfg->dns[i]);
	text_buf_printf(&b, "\nsearch =");
	/* Lines inih can read: a new "search =" line when one is full. */
	for (i = 0, len = 8; i < cfg->nsearch; i++) {
		w = strlen(cfg->search[i]) + 1;
		if (len > 8 && len + w > NETCONF_LINE_MAX) {
			text_buf_printf(&b, "\nsearch =");
			len = 8;
		}
		text_buf_printf(&b, " %s", cfg->search[i]);
		len += w;
	}
	text_buf_printf(&b, "\n");
	for (i = 0; i < cfg->nifaces; i++) {
		ifc = &cfg->ifaces[i];
		text_buf_printf(&b, "\n[interface %s]\nmode = %s\n", ifc->name,
		    ifc->mode == NETCONF_STATIC ? "static" : "dhcp");
		for (j = 0; j < ifc->naddrs; j++)
			text_buf_printf(&b, "address = %s/%d\n",
			    ifc->addrs[j].addr, ifc->addrs[j].prefixlen);
		if (ifc->gateway[0] != '\0')
			text_buf_printf(&b, "gateway = %s\n", ifc->gateway);
		if (ifc->gateway6[0] != '\0')
			text_buf_printf(&b, "gateway6 = %s\n", ifc->gateway6);
		if (ifc->mtu != 0)
			text_buf_printf(&b, "mtu = %u\n", ifc->mtu);
		if (ifc->down)
			text_buf_printf(&b, "link = down\n");
		text_buf_printf(&b, "ipv6 = %s\n", ifc->slaac ? "slaac" :
		    "off");
	}
	if (cfg->nroutes > 0)
		text_buf_printf(&b, "\n[routes]\n");
	for (i = 0; i < cfg->nroutes; i++) {
		rt = &cfg->routes[i];
		text_buf_printf(&b, "route = %s/%d", rt->dst, rt->dst_len);
		if (rt->via[0] != '\0')
			text_buf_printf(&b, " via %s", rt->via);
		if (rt->dev[0] != '\0')
			text_buf_printf(&b, " dev %s", rt->dev);
		text_buf_printf(&b, "\n");
	}
	return (text_buf_take(&b));
}

/*
 * What is saved must load again as the same configuration, or a change
 * could become impossible to confirm or to roll back: the text is parsed
 * before it is written (nothing unreadable replaces a good file) and the
 * file read back after.
 */
int
netconf_save(const char *path, const struct netconf *cfg, char **cause)
{
	struct netconf	*back = netconf_new();
	char		*text = netconf_format(cfg), *why = NULL;
	int		 r = -1;

	if (netconf_parse_text(path, text, back, &why) == -1 ||
	    !netconf_equal(cfg, back)) {
		xasprintf(cause, "the configuration would not read back as "
		    "written (%s); not saved", why != NULL ? why :
		    "it reads differently");
		goto out;
	}
	if (atomic_write_file(path, text, strlen(text), 0644, cause) == -1)
		goto out;
	if (netconf_load(path, back, &why) != 0 || !netconf_equal(cfg, back)) {
		xasprintf(cause, "%s does not read back as written (%s)", path,
		    why != NULL ? why : "it reads differently");
		goto out;
	}
	r = 0;
out:
	free(why);
	free(text);
	netconf_free(back);
	return (r);
}

void
netconf_read_resolv(struct netconf *cfg)
{
	char	 path[PATH_MAX], *text, *line, *save = NULL, *w, *s2;

	if (paths_get(path, sizeof path, NETCONF_RESOLV) == -1 ||
	    (text = text_read_file(path, NETCONF_FILE_MAX, NULL)) == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		s2 = NULL;
		if ((w = strtok_r(line, " \t", &s2)) == NULL)
			continue;
		if (strcmp(w, "nameserver") == 0 &&
		    (w = strtok_r(NULL, " \t", &s2)) != NULL &&
		    cfg->ndns < NETCONF_MAX_DNS && valid_ip(w, NULL, NULL) == 0)
			(void)xsnprintf(cfg->dns[cfg->ndns++],
			    sizeof cfg->dns[0], "%s", w);
		else if (strcmp(w, "search") == 0 || strcmp(w, "domain") == 0) {
			size_t	 total = 0;

			/* Unbounded here: keep what an edit would accept. */
			cfg->nsearch = 0;
			while ((w = strtok_r(NULL, " \t", &s2)) != NULL &&
			    cfg->nsearch < NETCONF_MAX_SEARCH) {
				if (valid_hostname(w, NULL) == -1 ||
				    strlen(w) > NETCONF_SEARCH_NAME_MAX ||
				    total + strlen(w) + 1 >
				    NETCONF_SEARCH_TOTAL)
					continue;
				total += strlen(w) + 1;
				(void)xsnprintf(cfg->search[cfg->nsearch++],
				    sizeof cfg->search[0], "%s", w);
			}
		}
	}
	free(text);
}

void
netconf_from_live(struct netconf *cfg, const struct netconf_live *live)
{
	const struct netlink_link	*l;
	const struct netlink_addr	*a;
	const struct netlink_route	*r;
	struct netconf_iface		*ifc;
	struct netconf_route		*rt;
	unsigned			 best = 0xffffffffU;
	int				 i, j;

	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < live->nlinks; i++) {
		l = &live->links[i];
		if (l->loopback)
			continue;
		for (j = 0; j < live->naddrs; j++) {
			a = &live->addrs[j];
			if (a->ifindex != l->ifindex ||
			    a->scope != RT_SCOPE_UNIVERSE)
				continue;
			if ((ifc = netconf_iface_get(cfg, l->ifname, NULL)) ==
			    NULL)
				break;
			/* A lease has a lifetime; a static address none. */
			if (a->family == AF_INET && a->valid_lft !=
			    0xffffffffU)
				continue;
			if (a->family == AF_INET6 &&
			    !(a->flags & IFA_F_PERMANENT))
				continue;
			ifc->mode = NETCONF_STATIC;
			ifc->slaac = 0;
			if (ifc->naddrs < NETCONF_MAX_ADDRS) {
				ifc->addrs[ifc->naddrs].family = a->family;
				(void)xsnprintf(ifc->addrs[ifc->naddrs].addr,
				    sizeof ifc->addrs[0].addr, "%s", a->addr);
				ifc->addrs[ifc->naddrs++].prefixlen =
				    a->prefixlen;
			}
		}
	}
	for (i = 0; i < live->nroutes; i++) {
		r = &live->routes[i];
		if (r->dst_len != 0 && cfg->nroutes >= NETCONF_MAX_ROUTES)
			continue;	/* full: no lookups for the rest */
		if (r->gateway[0] == '\0' || r->ifname[0] == '\0' ||
		    (r->protocol != RTPROT_BOOT && r->protocol !=
		    RTPROT_STATIC) ||
		    (ifc = netconf_iface_find(cfg, r->ifname)) == NULL ||
		    ifc->mode != NETCONF_STATIC)
			continue;
		if (r->dst_len == 0) {
			(void)xsnprintf(r->family == AF_INET ? ifc->gateway :
			    ifc->gateway6, sizeof ifc->gateway, "%s",
			    r->gateway);
			if (r->family == AF_INET && r->priority < best) {
				best = r->priority;
				(void)xsnprintf(cfg->default_iface,
				    sizeof cfg->default_iface, "%s",
				    r->ifname);
			}
		} else if (cfg->nroutes < NETCONF_MAX_ROUTES) {
			rt = &cfg->routes[cfg->nroutes++];
			rt->family = r->family;
			(void)xsnprintf(rt->dst, sizeof rt->dst, "%s", r->dst);
			rt->dst_len = r->dst_len;
			(void)xsnprintf(rt->via, sizeof rt->via, "%s",
			    r->gateway);
			(void)xsnprintf(rt->dev, sizeof rt->dev, "%s",
			    r->ifname);
		}
	}
	netconf_read_resolv(cfg);
	if (gethostname(cfg->hostname, sizeof cfg->hostname) == -1 ||
	    valid_hostname(cfg->hostname, NULL) == -1)
		cfg->hostname[0] = '\0';
	cfg->hostname[sizeof cfg->hostname - 1] = '\0';
}

int
netconf_current(struct netconf *cfg, const struct netconf_live *live,
    char **cause)
{
	char	 path[PATH_MAX];
	int	 r;

	if (paths_get(path, sizeof path, NETCONF_PATH) == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	if ((r = netconf_load(path, cfg, cause)) == -1)
		return (-1);
	if (r == 1)
		netconf_from_live(cfg, live);
	return (0);
}

/* 1 when addr lies in a subnet configured (or live) on dev, or any. */
static int
netconf_on_link(const struct netconf *cfg, const struct netconf_live *live,
    const char *addr, int family, const char *dev)
{
	const struct netconf_iface	*ifc;
	int				 i, j;

	for (i = 0; i < cfg->nifaces; i++) {
		ifc = &cfg->ifaces[i];
		if (*dev != '\0' && strcmp(dev, ifc->name) != 0)
			continue;
		for (j = 0; j < ifc->naddrs; j++)
			if (ifc->addrs[j].family == family &&
			    netconf_in_subnet(family, addr, ifc->addrs[j].addr,
			    ifc->addrs[j].prefixlen))
				return (1);
		/* A DHCP adapter's subnet is what its lease gave. */
		if (ifc->mode == NETCONF_DHCP && live != NULL)
			for (j = 0; j < live->naddrs; j++)
				if (strcmp(live->addrs[j].ifname,
				    ifc->name) == 0 &&
				    live->addrs[j].family == family &&
				    netconf_in_subnet(family, addr,
				    live->addrs[j].addr,
				    live->addrs[j].prefixlen))
					return (1);
	}
	return (0);
}

static int
netconf_gateway_ok(const struct netconf_iface *ifc, const char *gw,
    int family, const char *field, char **cause)
{
	int	 j, in = 0;

	for (j = 0; j < ifc->naddrs; j++) {
		if (ifc->addrs[j].family != family)
			continue;
		if (strcmp(ifc->addrs[j].addr, gw) == 0) {
			xasprintf(cause, "%s %s of %s is the adapter's own "
			    "address", field, gw, ifc->name);
			return (-1);
		}
		if (netconf_in_subnet(family, gw, ifc->addrs[j].addr,
		    ifc->addrs[j].prefixlen))
			in = 1;
	}
	if (!in) {
		xasprintf(cause, "%s %s of %s is outside every subnet "
		    "configured on %s", field, gw, ifc->name, ifc->name);
		return (-1);
	}
	return (0);
}

int
netconf_validate(const struct netconf *cfg, const struct netconf_live *live,
    char **cause)
{
	const struct netconf_iface	*ifc, *other;
	const struct netconf_route	*rt;
	const struct netlink_link	*l;
	const struct netconf_addr	*a;
	int				 i, j, k, m, found, v6;

	for (i = 0; i < cfg->nifaces; i++) {
		ifc = &cfg->ifaces[i];
		found = 0;
		for (j = 0; j < live->nlinks; j++) {
			l = &live->links[j];
			if (strcmp(l->ifname, ifc->name) == 0) {
				if (l->loopback) {
					xasprintf(cause, "adapter %s is the "
					    "loopback, which is not "
					    "configurable", ifc->name);
					return (-1);
				}
				found = 1;
			}
		}
		if (!found) {
			xasprintf(cause, "adapter %s does not exist",
			    ifc->name);
			return (-1);
		}
		if (ifc->mode == NETCONF_STATIC && ifc->naddrs == 0) {
			xasprintf(cause, "address of %s: a static adapter "
			    "needs at least one address", ifc->name);
			return (-1);
		}
		if (ifc->mode == NETCONF_DHCP && (ifc->naddrs > 0 ||
		    ifc->gateway[0] != '\0')) {
			xasprintf(cause, "adapter %s uses DHCP: its address "
			    "and gateway come from the lease", ifc->name);
			return (-1);
		}
		v6 = 0;
		for (j = 0; j < ifc->naddrs; j++) {
			a = &ifc->addrs[j];
			v6 |= a->family == AF_INET6;
			/* Twice in the file, here or on another adapter. */
			for (k = 0; k < cfg->nifaces; k++) {
				other = &cfg->ifaces[k];
				for (m = 0; m < other->naddrs; m++) {
					if ((k == i && m == j) ||
					    strcmp(other->addrs[m].addr,
					    a->addr) != 0)
						continue;
					xasprintf(cause, "address %s is "
					    "configured twice (%s and %s)",
					    a->addr, ifc->name, other->name);
					return (-1);
				}
			}
			/* Live on an adapter this file does not manage. */
			for (k = 0; k < live->naddrs; k++) {
				if (strcmp(live->addrs[k].addr, a->addr) != 0 ||
				    strcmp(live->addrs[k].ifname,
				    ifc->name) == 0 ||
				    netconf_iface_find(cfg,
				    live->addrs[k].ifname) != NULL)
					continue;
				xasprintf(cause, "address %s of %s is already "
				    "in use on adapter %s", a->addr, ifc->name,
				    live->addrs[k].ifname);
				return (-1);
			}
		}
		if (ifc->gateway[0] != '\0' && netconf_gateway_ok(ifc,
		    ifc->gateway, AF_INET, "gateway", cause) == -1)
			return (-1);
		if (ifc->gateway6[0] != '\0' && netconf_gateway_ok(ifc,
		    ifc->gateway6, AF_INET6, "IPv6 gateway", cause) == -1)
			return (-1);
		if (ifc->mtu != 0 && v6 && ifc->mtu < 1280) {
			xasprintf(cause, "MTU %u of %s is below 1280, the "
			    "minimum for IPv6", ifc->mtu, ifc->name);
			return (-1);
		}
	}
	for (i = 0; i < cfg->nroutes; i++) {
		rt = &cfg->routes[i];
		if (rt->dev[0] != '\0' && netlink_ifindex(live->links,
		    live->nlinks, rt->dev) == 0) {
			xasprintf(cause, "route %s/%d: adapter %s does not "
			    "exist", rt->dst, rt->dst_len, rt->dev);
			return (-1);
		}
		if (rt->via[0] != '\0' && !netconf_on_link(cfg, live, rt->via,
		    rt->family, rt->dev)) {
			xasprintf(cause, "route %s/%d: gateway %s is not in "
			    "a subnet configured on %s", rt->dst, rt->dst_len,
			    rt->via, rt->dev[0] != '\0' ? rt->dev :
			    "any adapter");
			return (-1);
		}
	}
	if (cfg->default_iface[0] != '\0') {
		if ((ifc = netconf_iface_find(cfg, cfg->default_iface)) ==
		    NULL) {
			xasprintf(cause, "default adapter %s is not "
			    "configured", cfg->default_iface);
			return (-1);
		}
		if (ifc->mode == NETCONF_STATIC && ifc->gateway[0] == '\0' &&
		    ifc->gateway6[0] == '\0') {
			xasprintf(cause, "default adapter %s has no gateway",
			    ifc->name);
			return (-1);
		}
	}
	return (0);
}

int
netconf_edit_static(struct netconf *cfg, const char *iface,
    const char *addrs, const char *gw, const char *gw6, const char *mtu,
    char **cause)
{
	struct netconf_iface	*ifc, save;
	char			 w[NETCONF_MAX_ADDRS][256], *why = NULL;
	long long		 v;
	int			 n, i;

	if (valid_ifname(iface, cause) == -1)
		return (-1);
	if ((n = netconf_split(addrs, w, NETCONF_MAX_ADDRS, "address",
	    cause)) == -1)
		return (-1);
	if (n == 0) {
		xasprintf(cause, "address: a static adapter needs at least "
		    "one address");
		return (-1);
	}
	if ((ifc = netconf_iface_get(cfg, iface, cause)) == NULL)
		return (-1);
	save = *ifc;
	ifc->mode = NETCONF_STATIC;
	/* Static means static: no addresses from router adverts. */
	ifc->slaac = 0;
	ifc->naddrs = 0;
	for (i = 0; i < n; i++) {
		if (netconf_parse_host(w[i], &ifc->addrs[i], &why) == -1) {
			xasprintf(cause, "address %s", why);
			goto fail;
		}
		ifc->naddrs++;
	}
	if (gw != verb_keep) {
		ifc->gateway[0] = '\0';
		if (gw != NULL) {
			if (valid_ipv4(gw, &why) == -1) {
				xasprintf(cause, "gateway '%s': %s", gw, why);
				goto fail;
			}
			(void)xsnprintf(ifc->gateway, sizeof ifc->gateway,
			    "%s", gw);
		}
	}
	if (gw6 != verb_keep) {
		ifc->gateway6[0] = '\0';
		if (gw6 != NULL) {
			if (valid_ipv6(gw6, &why) == -1) {
				xasprintf(cause, "IPv6 gateway '%s': %s", gw6,
				    why);
				goto fail;
			}
			(void)xsnprintf(ifc->gateway6, sizeof ifc->gateway6,
			    "%s", gw6);
		}
	}
	if (mtu != verb_keep) {
		if (mtu == NULL)
			ifc->mtu = 0;
		else if (valid_number(mtu, 68, 65535, &v, &why) == -1) {
			xasprintf(cause, "MTU '%s': %s", mtu, why);
			goto fail;
		} else
			ifc->mtu = (unsigned)v;
	}
	return (0);
fail:
	free(why);
	*ifc = save;
	return (-1);
}

int
netconf_edit_addr(struct netconf *cfg, int add, const char *iface,
    const char *cidr, char **cause)
{
	struct netconf_iface	*ifc;
	struct netconf_addr	 a;
	char			*why = NULL;
	int			 i;

	if (valid_ifname(iface, cause) == -1)
		return (-1);
	if (netconf_parse_host(cidr, &a, &why) == -1) {
		xasprintf(cause, "address %s", why);
		free(why);
		return (-1);
	}
	ifc = netconf_iface_find(cfg, iface);
	for (i = 0; ifc != NULL && i < ifc->naddrs; i++)
		if (strcmp(ifc->addrs[i].addr, a.addr) == 0 &&
		    ifc->addrs[i].prefixlen == a.prefixlen)
			break;
	if (!add) {
		if (ifc == NULL || i == ifc->naddrs) {
			xasprintf(cause, "%s/%d is not a configured address of "
			    "%s%s", a.addr, a.prefixlen, iface, ifc != NULL &&
			    ifc->mode == NETCONF_DHCP ? " (its addresses come "
			    "from DHCP)" : "");
			return (-1);
		}
		if (ifc->naddrs == 1) {
			xasprintf(cause, "%s/%d is the last address of %s: "
			    "give it another first, or use 'network dhcp %s'",
			    a.addr, a.prefixlen, iface, iface);
			return (-1);
		}
		memmove(&ifc->addrs[i], &ifc->addrs[i + 1],
		    (size_t)(ifc->naddrs - i - 1) * sizeof ifc->addrs[0]);
		ifc->naddrs--;
		return (0);
	}
	if (ifc != NULL && ifc->mode == NETCONF_DHCP) {
		xasprintf(cause, "%s uses DHCP: make it static first with "
		    "'network set %s static ...'", iface, iface);
		return (-1);
	}
	if (ifc != NULL && i < ifc->naddrs) {
		xasprintf(cause, "%s/%d is on %s already", a.addr,
		    a.prefixlen, iface);
		return (-1);
	}
	if (ifc != NULL && ifc->naddrs >= NETCONF_MAX_ADDRS) {
		xasprintf(cause, "%s has %d addresses, the most it can have",
		    iface, NETCONF_MAX_ADDRS);
		return (-1);
	}
	if (ifc == NULL) {
		/* Not configured yet: static with this one address. */
		if ((ifc = netconf_iface_get(cfg, iface, cause)) == NULL)
			return (-1);
		ifc->mode = NETCONF_STATIC;
		ifc->slaac = 0;
	}
	ifc->addrs[ifc->naddrs++] = a;
	return (0);
}

/*
 * An adapter the configuration has. Its state or MTU alone does not make
 * one: that would have to choose DHCP or static for it.
 */
static struct netconf_iface *
netconf_iface_configured(struct netconf *cfg, const char *iface,
    char **cause)
{
	struct netconf_iface	*ifc;

	if ((ifc = netconf_iface_find(cfg, iface)) == NULL)
		xasprintf(cause, "%s is not configured: give it an address "
		    "('ip addr add' or 'network set %s ...') first", iface,
		    iface);
	return (ifc);
}

int
netconf_edit_link(struct netconf *cfg, const char *iface, const char *state,
    char **cause)
{
	struct netconf_iface	*ifc;

	if (valid_ifname(iface, cause) == -1)
		return (-1);
	if (strcmp(state, "up") != 0 && strcmp(state, "down") != 0) {
		xasprintf(cause, "link state '%s': use up or down", state);
		return (-1);
	}
	if ((ifc = netconf_iface_configured(cfg, iface, cause)) == NULL)
		return (-1);
	ifc->down = strcmp(state, "down") == 0;
	return (0);
}

int
netconf_edit_mtu(struct netconf *cfg, const char *iface, const char *mtu,
    char **cause)
{
	struct netconf_iface	*ifc;
	char			*why = NULL;
	long long		 v = 0;

	if (valid_ifname(iface, cause) == -1)
		return (-1);
	if (mtu != NULL && valid_number(mtu, 68, 65535, &v,
	    &why) == -1) {
		xasprintf(cause, "MTU '%s': %s", mtu, why);
		free(why);
		return (-1);
	}
	if ((ifc = netconf_iface_configured(cfg, iface, cause)) == NULL)
		return (-1);
	ifc->mtu = (unsigned)v;
	return (0);
}

int
netconf_edit_dhcp(struct netconf *cfg, const char *iface, const char *v6,
    char **cause)
{
	struct netconf_iface	*ifc;

	if (valid_ifname(iface, cause) == -1)
		return (-1);
	if (strcmp(v6, "slaac") != 0 && strcmp(v6, "off") != 0) {
		xasprintf(cause, "IPv6 mode '%s': use slaac or off", v6);
		return (-1);
	}
	if ((ifc = netconf_iface_get(cfg, iface, cause)) == NULL)
		return (-1);
	ifc->mode = NETCONF_DHCP;
	ifc->naddrs = 0;
	ifc->gateway[0] = ifc->gateway6[0] = '\0';
	ifc->slaac = strcmp(v6, "slaac") == 0;
	return (0);
}

int
netconf_edit_dns(struct netconf *cfg, const char *servers,
    const char *search, char **cause)
{
	char	 w[NETCONF_LIST_MAX][256], *why = NULL;
	int	 n, i;
	size_t	 total = 0;

	if (servers != verb_keep) {
		if ((n = netconf_split(servers, w, NETCONF_MAX_DNS,
		    "nameserver", cause)) == -1)
			return (-1);
		for (i = 0; i < n; i++) {
			if (valid_ip(w[i], NULL, &why) == -1) {
				xasprintf(cause, "nameserver '%s': %s", w[i],
				    why);
				free(why);
				return (-1);
			}
		}
		for (i = 0; i < n; i++)
			(void)xsnprintf(cfg->dns[i], sizeof cfg->dns[0], "%s",
			    w[i]);
		cfg->ndns = n;
	}
	if (search != verb_keep) {
		if ((n = netconf_split(search, w, NETCONF_MAX_SEARCH,
		    "search domain", cause)) == -1)
			return (-1);
		for (i = 0; i < n; i++) {
			if (valid_hostname(w[i], &why) == -1) {
				xasprintf(cause, "search domain '%s': %s",
				    w[i], why);
				free(why);
				return (-1);
			}
			if (strlen(w[i]) > NETCONF_SEARCH_NAME_MAX) {
				xasprintf(cause, "search domain '%.40s...': "
				    "longer than %d characters", w[i],
				    NETCONF_SEARCH_NAME_MAX);
				return (-1);
			}
			total += strlen(w[i]) + 1;
		}
		if (total > NETCONF_SEARCH_TOTAL) {
			xasprintf(cause, "search domains: more than %d "
			    "characters in all", NETCONF_SEARCH_TOTAL);
			return (-1);
		}
		for (i = 0; i < n; i++)
			(void)xsnprintf(cfg->search[i], sizeof cfg->search[0],
			    "%s", w[i]);
		cfg->nsearch = n;
	}
	return (0);
}

int
netconf_edit_route(struct netconf *cfg, int add, const char *prefix,
    const char *via, const char *dev, char **cause)
{
	struct netconf_route	 rt;
	char			*why = NULL, *slash;
	unsigned char		 b[16];
	long long		 plen;
	size_t			 len, i;
	int			 family, vf, k, bits;

	memset(&rt, 0, sizeof rt);
	if (valid_cidr(prefix, &family, &why) == -1) {
		xasprintf(cause, "route prefix '%s': %s", prefix, why);
		free(why);
		return (-1);
	}
	slash = strchr(prefix, '/');
	(void)xsnprintf(rt.dst, sizeof rt.dst, "%.*s", (int)(slash - prefix),
	    prefix);
	(void)valid_number(slash + 1, 0, 128, &plen, NULL);
	if (plen == 0) {
		xasprintf(cause, "route prefix '%s': the default route is set "
		    "by an adapter's gateway", prefix);
		return (-1);
	}
	len = netconf_bytes(family, rt.dst, b);
	for (i = 0, bits = (int)plen; i < len; i++, bits -= 8) {
		unsigned char	 m = bits >= 8 ? 0 : bits <= 0 ? 0xff :
				     (unsigned char)(0xff >> bits);

		if ((b[i] & m) != 0) {
			xasprintf(cause, "route prefix '%s' has host bits set "
			    "(the network is written with them all zero)",
			    prefix);
			return (-1);
		}
	}
	rt.family = family;
	rt.dst_len = (int)plen;
	if (via != NULL) {
		if (valid_ip(via, &vf, &why) == -1) {
			xasprintf(cause, "route gateway '%s': %s", via, why);
			free(why);
			return (-1);
		}
		if (vf != family) {
			xasprintf(cause, "route gateway %s is not of the "
			    "prefix's address family", via);
			return (-1);
		}
		(void)xsnprintf(rt.via, sizeof rt.via, "%s", via);
	}
	if (dev != NULL) {
		if (valid_ifname(dev, &why) == -1) {
			xasprintf(cause, "route adapter '%s': %s", dev, why);
			free(why);
			return (-1);
		}
		(void)xsnprintf(rt.dev, sizeof rt.dev, "%s", dev);
	}
	if (add && rt.via[0] == '\0' && rt.dev[0] == '\0') {
		xasprintf(cause, "route %s: give a gateway (via) or an "
		    "adapter (dev)", prefix);
		return (-1);
	}
	for (k = 0; k < cfg->nroutes; k++) {
		if (strcmp(cfg->routes[k].dst, rt.dst) == 0 &&
		    cfg->routes[k].dst_len == rt.dst_len)
			break;
	}
	if (add) {
		if (k < cfg->nroutes) {
			xasprintf(cause, "route %s already exists; delete it "
			    "first", prefix);
			return (-1);
		}
		if (cfg->nroutes >= NETCONF_MAX_ROUTES) {
			xasprintf(cause, "at most %d static routes",
			    NETCONF_MAX_ROUTES);
			return (-1);
		}
		cfg->routes[cfg->nroutes++] = rt;
		return (0);
	}
	if (k == cfg->nroutes) {
		xasprintf(cause, "there is no static route %s", prefix);
		return (-1);
	}
	memmove(&cfg->routes[k], &cfg->routes[k + 1],
	    (size_t)(cfg->nroutes - k - 1) * sizeof cfg->routes[0]);
	cfg->nroutes--;
	return (0);
}

int
netconf_edit_hostname(struct netconf *cfg, const char *name, char **cause)
{
	char	*why = NULL;

	if (valid_hostname(name, &why) == -1) {
		xasprintf(cause, "host name '%s': %s", name, why);
		free(why);
		return (-1);
	}
	if (strlen(name) > NETCONF_HOST_MAX) {
		xasprintf(cause, "host name: at most %d characters",
		    NETCONF_HOST_MAX);
		return (-1);
	}
	(void)xsnprintf(cfg->hostname, sizeof cfg->hostname, "%s", name);
	return (0);
}

int
netconf_edit_default(struct netconf *cfg, const char *iface, char **cause)
{
	if (valid_ifname(iface, cause) == -1)
		return (-1);
	(void)xsnprintf(cfg->default_iface, sizeof cfg->default_iface, "%s",
	    iface);
	return (0);
}

int
netconf_edit_reset_dhcp(struct netconf *cfg, const struct netconf_live *live,
    char **cause)
{
	int	 i;

	for (i = 0; i < live->nlinks; i++) {
		if (live->links[i].loopback)
			continue;
		if (netconf_edit_dhcp(cfg, live->links[i].ifname, "slaac",
		    cause) == -1)
			return (-1);
	}
	cfg->nroutes = 0;
	cfg->default_iface[0] = '\0';
	return (0);
}

/* One adapter as a line: "static 192.0.2.10/24 gw 192.0.2.1 mtu 1500". */
static void
netconf_iface_text(const struct netconf_iface *ifc, struct text_buf *b)
{
	int	 j;

	if (ifc == NULL) {
		text_buf_printf(b, "(not configured)");
		return;
	}
	if (ifc->mode == NETCONF_DHCP)
		text_buf_printf(b, "DHCP, IPv6 %s", ifc->slaac ? "SLAAC" :
		    "off");
	else {
		text_buf_printf(b, "static");
		for (j = 0; j < ifc->naddrs; j++)
			text_buf_printf(b, " %s/%d", ifc->addrs[j].addr,
			    ifc->addrs[j].prefixlen);
		if (ifc->gateway[0] != '\0')
			text_buf_printf(b, " gateway %s", ifc->gateway);
		if (ifc->gateway6[0] != '\0')
			text_buf_printf(b, " gateway6 %s", ifc->gateway6);
	}
	if (ifc->mtu != 0)
		text_buf_printf(b, " mtu %u", ifc->mtu);
	if (ifc->down)
		text_buf_printf(b, " link down");
}

char *
netconf_diff(const struct netconf *a, const struct netconf *b)
{
	struct text_buf			 out, x, y;
	const struct netconf_iface	*ia, *ib;
	char				*ta, *tb;
	int				 i, pass;

	text_buf_init(&out, NETCONF_FILE_MAX);
	for (pass = 0; pass < 2; pass++) {
		const struct netconf	*c = pass == 0 ? a : b;

		for (i = 0; i < c->nifaces; i++) {
			ia = netconf_iface_find(a, c->ifaces[i].name);
			ib = netconf_iface_find(b, c->ifaces[i].name);
			if (pass == 1 && ia != NULL)
				continue;
			text_buf_init(&x, 1024);
			text_buf_init(&y, 1024);
			netconf_iface_text(ia, &x);
			netconf_iface_text(ib, &y);
			if (strcmp(x.data, y.data) != 0)
				text_buf_printf(&out, "%s: %s\n    -> %s\n",
				    c->ifaces[i].name, x.data, y.data);
			text_buf_free(&x);
			text_buf_free(&y);
		}
	}
	if (strcmp(a->default_iface, b->default_iface) != 0)
		text_buf_printf(&out, "default adapter: %s -> %s\n",
		    a->default_iface[0] ? a->default_iface : "(none)",
		    b->default_iface[0] ? b->default_iface : "(none)");
	if (strcmp(a->hostname, b->hostname) != 0)
		text_buf_printf(&out, "host name: %s -> %s\n",
		    a->hostname[0] ? a->hostname : "(none)", b->hostname);
	/* DNS and routes: compare their formatted lines. */
	text_buf_init(&x, 4096);
	text_buf_init(&y, 4096);
	for (i = 0; i < a->ndns; i++)
		text_buf_printf(&x, " %s", a->dns[i]);
	for (i = 0; i < b->ndns; i++)
		text_buf_printf(&y, " %s", b->dns[i]);
	if (strcmp(x.data != NULL ? x.data : "", y.data != NULL ? y.data :
	    "") != 0)
		text_buf_printf(&out, "nameservers:%s -> %s\n",
		    x.data != NULL ? x.data : " (none)",
		    y.data != NULL ? y.data : " (none)");
	text_buf_free(&x);
	text_buf_free(&y);
	text_buf_init(&x, 4096);
	text_buf_init(&y, 4096);
	for (i = 0; i < a->nsearch; i++)
		text_buf_printf(&x, " %s", a->search[i]);
	for (i = 0; i < b->nsearch; i++)
		text_buf_printf(&y, " %s", b->search[i]);
	if (strcmp(x.data != NULL ? x.data : "", y.data != NULL ? y.data :
	    "") != 0)
		text_buf_printf(&out, "search domains:%s -> %s\n",
		    x.data != NULL ? x.data : " (none)",
		    y.data != NULL ? y.data : " (none)");
	text_buf_free(&x);
	text_buf_free(&y);
	for (pass = 0; pass < 2; pass++) {
		const struct netconf	*c = pass == 0 ? a : b;
		const struct netconf	*o = pass == 0 ? b : a;
		int			 k, found;

		for (i = 0; i < c->nroutes; i++) {
			found = 0;
			for (k = 0; k < o->nroutes; k++)
				if (memcmp(&c->routes[i], &o->routes[k],
				    sizeof c->routes[i]) == 0)
					found = 1;
			if (found)
				continue;
			text_buf_printf(&out, "route %s: %s/%d%s%s%s%s\n",
			    pass == 0 ? "removed" : "added", c->routes[i].dst,
			    c->routes[i].dst_len,
			    c->routes[i].via[0] ? " via " : "",
			    c->routes[i].via,
			    c->routes[i].dev[0] ? " dev " : "",
			    c->routes[i].dev);
		}
	}
	ta = text_buf_take(&out);
	if (ta == NULL || *ta == '\0') {
		free(ta);
		return (xstrdup("(no change)\n"));
	}
	tb = ta;
	return (tb);
}

/* The change verbs, each from the row's values to its edit. */
static int
netconf_do_static(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	if (netconf_edit_static(cfg, v[0], v[1], v[2], v[3], v[4],
	    cause) == -1)
		return (-1);
	return (netconf_edit_dns(cfg, v[5], v[6], cause));
}

static int
netconf_do_dhcp(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_dhcp(cfg, v[0], v[1], cause));
}

static int
netconf_do_reset_dhcp(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)v;
	return (netconf_edit_reset_dhcp(cfg, live, cause));
}

static int
netconf_do_default(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_default(cfg, v[0], cause));
}

static int
netconf_do_route_add(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_route(cfg, 1, v[0], v[1], v[2], cause));
}

static int
netconf_do_route_del(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_route(cfg, 0, v[0], v[1], v[2], cause));
}

static int
netconf_do_dns(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_dns(cfg, v[0], v[1], cause));
}

static int
netconf_do_hostname(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_hostname(cfg, v[0], cause));
}

static int
netconf_do_addr_add(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_addr(cfg, 1, v[0], v[1], cause));
}

static int
netconf_do_addr_del(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_addr(cfg, 0, v[0], v[1], cause));
}

static int
netconf_do_link_set(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_link(cfg, v[0], v[1], cause));
}

static int
netconf_do_link_mtu(struct netconf *cfg, const char *const *v,
    const struct netconf_live *live, char **cause)
{
	(void)live;
	return (netconf_edit_mtu(cfg, v[0], v[1], cause));
}

#define NETCONF_NO_ARGS	{ { NULL, NULL, 0 } }
#define NETCONF_KEEP	(VERB_OPTIONAL | VERB_KEEP)
#define NETCONF_ROUTE_ARGS { { "prefix", &verb_cidr, 0 }, \
	{ "via", &verb_addr, VERB_OPTIONAL }, \
	{ "dev", &verb_iface, VERB_OPTIONAL } }
#define NETCONF_ADDR_ARGS { { "iface", &verb_iface, 0 }, \
	{ "addr", &verb_cidr, 0 } }

/* Each row: the helper's verb and its typed arguments. */
static const struct verb netconf_verb_table[] = {
	[NETCONF_V_STATIC] = { "static", 7, { { "iface", &verb_iface, 0 },
	    { "addrs", &verb_cidr, VERB_LIST },
	    { "gateway", &verb_addr4, NETCONF_KEEP },
	    { "gateway6", &verb_addr6, NETCONF_KEEP },
	    { "mtu", &verb_mtu, NETCONF_KEEP },
	    { "dns", &verb_addr, NETCONF_KEEP | VERB_LIST },
	    { "search", &verb_host, NETCONF_KEEP | VERB_LIST } } },
	[NETCONF_V_DHCP] = { "dhcp", 2, { { "iface", &verb_iface, 0 },
	    { "ipv6", &verb_slaac, 0 } } },
	[NETCONF_V_RESET_DHCP] = { "reset-dhcp", 0, NETCONF_NO_ARGS },
	[NETCONF_V_DEFAULT] = { "default", 1, { { "iface", &verb_iface, 0 } } },
	[NETCONF_V_ROUTE_ADD] = { "route-add", 3, NETCONF_ROUTE_ARGS },
	[NETCONF_V_ROUTE_DEL] = { "route-del", 3, NETCONF_ROUTE_ARGS },
	[NETCONF_V_DNS] = { "dns", 2,
	    { { "servers", &verb_addr, VERB_OPTIONAL | VERB_LIST },
	    { "search", &verb_host, VERB_OPTIONAL | VERB_LIST } } },
	[NETCONF_V_HOSTNAME] = { "hostname", 1, { { "name", &verb_host, 0 } } },
	[NETCONF_V_ADDR_ADD] = { "addr-add", 2, NETCONF_ADDR_ARGS },
	[NETCONF_V_ADDR_DEL] = { "addr-del", 2, NETCONF_ADDR_ARGS },
	[NETCONF_V_LINK_SET] = { "link-set", 2, { { "iface", &verb_iface, 0 },
	    { "state", &verb_updown, 0 } } },
	[NETCONF_V_LINK_MTU] = { "link-mtu", 2, { { "iface", &verb_iface, 0 },
	    { "mtu", &verb_mtu, 0 } } },
	[NETCONF_V_SAVE_ROUTES] = { "save-routes", 0, NETCONF_NO_ARGS },
	[NETCONF_V_CONFIRM] = { "confirm", 0, NETCONF_NO_ARGS },
	[NETCONF_V_ROLLBACK] = { "rollback", 0, NETCONF_NO_ARGS },
	[NETCONF_V_RESTORE] = { "restore", 0, NETCONF_NO_ARGS },
	/* Acts only for the token of the change on trial. */
	[NETCONF_V_TIMER] = { "rollback-timer", 1,
	    { { "token", &verb_host, 0 } } },
};
_Static_assert(sizeof netconf_verb_table / sizeof netconf_verb_table[0] ==
    NETCONF_V_COUNT, "a row per network verb");

/* The edit of each change verb; the others change no configuration. */
static int (*const netconf_edits[NETCONF_V_COUNT])(struct netconf *,
    const char *const *, const struct netconf_live *, char **) = {
	[NETCONF_V_STATIC] = netconf_do_static,
	[NETCONF_V_DHCP] = netconf_do_dhcp,
	[NETCONF_V_RESET_DHCP] = netconf_do_reset_dhcp,
	[NETCONF_V_DEFAULT] = netconf_do_default,
	[NETCONF_V_ROUTE_ADD] = netconf_do_route_add,
	[NETCONF_V_ROUTE_DEL] = netconf_do_route_del,
	[NETCONF_V_DNS] = netconf_do_dns,
	[NETCONF_V_HOSTNAME] = netconf_do_hostname,
	[NETCONF_V_ADDR_ADD] = netconf_do_addr_add,
	[NETCONF_V_ADDR_DEL] = netconf_do_addr_del,
	[NETCONF_V_LINK_SET] = netconf_do_link_set,
	[NETCONF_V_LINK_MTU] = netconf_do_link_mtu,
};

const struct verb_domain netconf_verbs = { "network", netconf_verb_table,
	NETCONF_V_COUNT };

int
netconf_verb_is_change(const struct verb *v)
{
	int	 i = verb_index(&netconf_verbs, v);

	return (i != -1 && netconf_edits[i] != NULL);
}

int
netconf_edit_verb(struct netconf *cfg, const char *verb,
    const char *const *vals, const struct netconf_live *live, char **cause)
{
	const struct verb	*v = verb_find(&netconf_verbs, verb);

	if (!netconf_verb_is_change(v)) {
		xasprintf(cause, "unknown network change '%s'", verb);
		return (-1);
	}
	return (netconf_edits[verb_index(&netconf_verbs, v)](cfg, vals, live,
	    cause));
}
