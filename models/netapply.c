/* SPDX-License-Identifier: ISC */
/*
 * The live side of the network configuration (see netapply.h). Order
 * matters: links and addresses first, so that gateways are on a link when
 * the routes go in; then routes; then the resolver and the host name.
 * Only routes with protocol "boot" or "static" are ours to remove: the
 * kernel's, the DHCP client's and router adverts' are left alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/if_ether.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "netapply.h"
#include "paths.h"
#include "spawn.h"
#include "text.h"
#include "unpriv.h"
#include "xmalloc.h"

#define NETAPPLY_PROBE_MS	400

static int	 netapply_state_path(char *, size_t, const char *,
		     const char *);
static int	 netapply_dhcp_pid(const char *);
static void	 netapply_dhcp_stop(const char *);
static int	 netapply_dhcp_start(const char *, char **);
static int	 netapply_sysctl(const char *, const char *, const char *);
static void	 netapply_default_route(struct netconf_route *, int,
		     const char *, const char *);
static int	 netapply_addrs_prune(const struct netconf_iface *, int,
		     const struct netconf_live *, char **);
static int	 netapply_iface(const struct netconf_iface *,
		     const struct netconf_live *, char **);
static void	 netapply_routes_prune(const struct netconf *,
		     const struct netconf_live *, const struct netconf_route *,
		     int);
static int	 netapply_routes_add(const struct netconf_live *,
		     const struct netconf_route *, int, char **);
static int	 netapply_dhcp_all(const struct netconf *, char **);
static int	 netapply_hostname(const char *, char **);
static int	 netapply_arp_listen(int, const struct in_addr *, int);

static long long
netapply_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* STATE/name-iface under the system root; mkdir the state dir. */
static int
netapply_state_path(char *buf, size_t len, const char *name,
    const char *iface)
{
	char	 rel[PATH_MAX], dir[PATH_MAX];

	if (paths_get(dir, sizeof dir, NETAPPLY_STATE) == -1)
		return (-1);
	(void)atomic_mkdirs(dir, NETAPPLY_STATE_MODE, NULL);
	if (xsnprintf(rel, sizeof rel, "%s/%s%s%s", NETAPPLY_STATE, name,
	    iface != NULL ? "-" : "", iface != NULL ? iface : "") == -1)
		return (-1);
	return (paths_get(buf, len, rel));
}

/* Write /proc/sys/net/ipv6/conf/IFACE/KEY; errors are not fatal. */
static int
netapply_sysctl(const char *iface, const char *key, const char *value)
{
	char	 path[PATH_MAX];
	int	 fd, r = -1;

	if (xsnprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/%s",
	    iface, key) == -1 || (fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (write(fd, value, strlen(value)) == (ssize_t)strlen(value))
		r = 0;
	close(fd);
	return (r);
}

int
netapply_run_path(char *buf, size_t len, const char *name)
{
	char	 rel[PATH_MAX], dir[PATH_MAX];

	if (paths_get(dir, sizeof dir, NETAPPLY_RUN) == -1)
		return (-1);
	(void)atomic_mkdirs(dir, NETAPPLY_STATE_MODE, NULL);
	if (xsnprintf(rel, sizeof rel, "%s/%s", NETAPPLY_RUN, name) == -1)
		return (-1);
	return (paths_get(buf, len, rel));
}

long long
netapply_proc_start(long long pid)
{
	char		 path[64], *text, *p;
	long long	 v = -1;
	int		 i;

	if (pid <= 1 || pid > INT_MAX ||
	    xsnprintf(path, sizeof path, "/proc/%lld/stat", pid) == -1 ||
	    (text = text_read_file(path, 4096, NULL)) == NULL)
		return (-1);
	/* After the command's ")": state is field 3, starttime field 22. */
	if ((p = strrchr(text, ')')) != NULL) {
		for (i = 2; i < 22 && p != NULL; i++)
			p = strchr(p + 1, ' ');
		if (p != NULL)
			v = strtoll(p + 1, NULL, 10);
	}
	free(text);
	return (v);
}

/*
 * The pid of our udhcpc on iface, or 0: the PID file (under /run) names a
 * udhcpc whose command line has our hook and this adapter, or nobody.
 */
static int
netapply_dhcp_pid(const char *iface)
{
	char		 path[PATH_MAX], name[64], hook[PATH_MAX], *text, *p;
	long long	 pid = 0;
	size_t		 n;
	int		 fd, hook_ok = 0, iface_ok = 0;
	ssize_t		 got;
	char		 cmd[4096];

	if (xsnprintf(name, sizeof name, "udhcpc.pid-%s", iface) == -1 ||
	    netapply_run_path(path, sizeof path, name) == -1 ||
	    paths_get(hook, sizeof hook, LIBEXECDIR "/console-dhcp-event") ==
	    -1 || (text = text_read_file(path, 64, NULL)) == NULL)
		return (0);
	text[strcspn(text, "\n")] = '\0';
	pid = strtoll(text, NULL, 10);
	free(text);
	if (pid <= 1 || pid > INT_MAX ||
	    xsnprintf(path, sizeof path, "/proc/%lld/cmdline", pid) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	got = read(fd, cmd, sizeof cmd - 1);
	close(fd);
	if (got <= 0)
		return (0);
	cmd[got] = '\0';
	/* A recycled pid must not be taken for ours: "-s HOOK -i IFACE". */
	for (p = cmd; p < cmd + got; p += n + 1) {
		n = strlen(p);
		if (p + n + 1 >= cmd + got)
			break;
		if (strcmp(p, "-s") == 0 && strcmp(p + n + 1, hook) == 0)
			hook_ok = 1;
		if (strcmp(p, "-i") == 0 && strcmp(p + n + 1, iface) == 0)
			iface_ok = 1;
	}
	return (hook_ok && iface_ok ? (int)pid : 0);
}

static void
netapply_dhcp_stop(const char *iface)
{
	char	 path[PATH_MAX], name[64];
	int	 pid, i;

	if ((pid = netapply_dhcp_pid(iface)) > 0) {
		(void)kill(pid, SIGTERM);
		for (i = 0; i < 50 && kill(pid, 0) == 0; i++)
			usleep(20000);
		if (kill(pid, 0) == 0)
			(void)kill(pid, SIGKILL);
	}
	if (xsnprintf(name, sizeof name, "udhcpc.pid-%s", iface) != -1 &&
	    netapply_run_path(path, sizeof path, name) == 0)
		(void)unlink(path);
	if (netapply_state_path(path, sizeof path, "lease", iface) == 0)
		(void)unlink(path);
}

int
netapply_systemd(void)
{
	char	*comm;
	int	 r;

	if ((comm = text_read_file("/proc/1/comm", 64, NULL)) == NULL)
		return (0);
	r = strcmp(comm, "systemd\n") == 0 &&
	    access("/run/systemd/system", F_OK) == 0;
	free(comm);
	return (r);
}

int
netapply_unit_argv(char **out, size_t max, char *unit, char *const *cmd)
{
	static char	*head[] = { NETAPPLY_SYSTEMD_RUN, "--quiet", "--collect",
			    "--service-type=exec", "--property=KillMode=process",
			    "--unit" };
	size_t		 n = 0, i;

	for (i = 0; i < sizeof head / sizeof head[0]; i++) {
		if (n + 1 >= max)
			return (-1);
		out[n++] = head[i];
	}
	if (n + 3 >= max || cmd[0] == NULL || cmd[0][0] != '/')
		return (-1);
	out[n++] = unit;
	out[n++] = "--";
	for (i = 0; cmd[i] != NULL; i++) {
		if (n + 1 >= max)
			return (-1);
		out[n++] = cmd[i];
	}
	out[n] = NULL;
	return ((int)n);
}

int
netapply_detach(char *unit, char *const *cmd, char *const *env, char **cause)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			*argv[NETAPPLY_UNIT_ARGV_MAX + 16], *why = NULL;
	pid_t			 pid;
	int			 status;

	if (netapply_systemd() && netapply_unit_argv(argv, sizeof argv /
	    sizeof argv[0], unit, cmd) != -1) {
		memset(&req, 0, sizeof req);
		req.path = NETAPPLY_SYSTEMD_RUN;
		req.argv = argv;
		req.envp = env;
		req.timeout_ms = 10000;
		memset(&res, 0, sizeof res);
		if (spawn_run(&req, &res, &why) == 0 && res.exited &&
		    res.exit_code == 0) {
			spawn_result_free(&res);
			return (0);
		}
		/* No unit: a session of our own still keeps it alive. */
		spawn_result_free(&res);
		free(why);
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "cannot fork: %s", strerror(errno));
		return (-1);
	}
	if (pid == 0) {
		/* Double fork: the client is nobody's child but init's. */
		if (setsid() == -1 || fork() != 0)
			_exit(0);
		spawn_closefrom(0);
		if (open("/dev/null", O_RDWR) != 0 || dup(0) != 1 ||
		    dup(0) != 2)
			_exit(127);
		execve(cmd[0], cmd, env);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return (0);
}

/*
 * Start udhcpc for iface where no session's end or hang-up stops it (see
 * netapply_detach). Its events go to our hook, which applies them with
 * netlink.
 */
static int
netapply_dhcp_start(const char *iface, char **cause)
{
	char	 pidfile[PATH_MAX], hook[PATH_MAX], name[64], unit[96];
	char	*argv[16];
	int	 argc = 0;

	if (netapply_dhcp_pid(iface) > 0)
		return (0);
	if (access(NETAPPLY_UDHCPC, X_OK) == -1) {
		xasprintf(cause, "the DHCP client %s is not installed",
		    NETAPPLY_UDHCPC);
		return (-1);
	}
	if (xsnprintf(name, sizeof name, "udhcpc.pid-%s", iface) == -1 ||
	    xsnprintf(unit, sizeof unit, "appliance-console-udhcpc-%s", iface) ==
	    -1 || netapply_run_path(pidfile, sizeof pidfile, name) == -1 ||
	    paths_get(hook, sizeof hook, LIBEXECDIR "/console-dhcp-event") ==
	    -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	argv[argc++] = NETAPPLY_UDHCPC;
	argv[argc++] = "-f";		/* foreground: we detach it */
	argv[argc++] = "-S";		/* log to syslog */
	argv[argc++] = "-i";
	argv[argc++] = (char *)iface;
	argv[argc++] = "-s";
	argv[argc++] = hook;
	argv[argc++] = "-p";
	argv[argc++] = pidfile;
	argv[argc++] = "-t";
	argv[argc++] = "4";
	argv[argc++] = "-T";
	argv[argc++] = "2";
	argv[argc] = NULL;
	/* The hook sees the test seam when there is one. */
	return (netapply_detach(unit, argv, paths_child_env(), cause));
}

int
netapply_wait_lease(const char *iface, int ms, char **text)
{
	char		 path[PATH_MAX], *data;
	json_t		*j, *v;
	json_error_t	 je;
	long long	 end = netapply_now_ms() + ms;
	struct text_buf	 b;
	size_t		 i;

	*text = NULL;
	if (netapply_state_path(path, sizeof path, "lease", iface) == -1)
		return (-1);
	while ((data = text_read_file(path, 8192, NULL)) == NULL) {
		if (netapply_now_ms() >= end)
			return (-1);
		usleep(50000);
	}
	j = json_loads(data, 0, &je);
	free(data);
	if (j == NULL)
		return (-1);
	text_buf_init(&b, 4096);
	text_buf_printf(&b, "lease %s/%lld", json_string_value(
	    json_object_get(j, "address")) ?: "?", (long long)
	    json_integer_value(json_object_get(j, "prefixlen")));
	if ((v = json_object_get(j, "gateway")) != NULL && json_is_string(v))
		text_buf_printf(&b, ", gateway %s", json_string_value(v));
	if ((v = json_object_get(j, "dns")) != NULL && json_array_size(v) > 0) {
		text_buf_printf(&b, ", DNS");
		for (i = 0; i < json_array_size(v); i++)
			text_buf_printf(&b, " %s",
			    json_string_value(json_array_get(v, i)) ?: "?");
	}
	text_buf_printf(&b, ", for %lld s", (long long)json_integer_value(
	    json_object_get(j, "lease_seconds")));
	json_decref(j);
	*text = text_buf_take(&b);
	return (0);
}

int
netapply_applied(struct netconf *cfg, char **cause)
{
	char	 path[PATH_MAX];
	int	 r;

	if (netapply_state_path(path, sizeof path, "applied.conf", NULL) ==
	    -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	if ((r = netconf_load(path, cfg, cause)) == 1)
		memset(cfg, 0, sizeof *cfg);
	return (r == -1 ? -1 : 0);
}

int
netapply_resolv(const struct netconf *cfg, char **cause)
{
	char		 path[PATH_MAX], lpath[PATH_MAX], link[PATH_MAX];
	char		*data;
	struct text_buf	 b;
	json_t		*j, *v;
	ssize_t		 n;
	size_t		 k;
	int		 i, r, servers = cfg->ndns;

	if (paths_get(path, sizeof path, NETCONF_RESOLV) == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	/* Another manager owns it: writing would be undone behind us. */
	if ((n = readlink(path, link, sizeof link - 1)) > 0) {
		link[n] = '\0';
		if (strstr(link, "systemd/resolve") != NULL ||
		    strstr(link, "resolvconf") != NULL) {
			xasprintf(cause, "%s is managed by %s; DNS settings "
			    "are not applied here (see appliance-console(8))",
			    NETCONF_RESOLV, strstr(link, "systemd") != NULL ?
			    "systemd-resolved" : "resolvconf");
			return (-1);
		}
	}
	text_buf_init(&b, 4096);
	text_buf_printf(&b, "# Written by appliance-console; change it with "
	    "'network dns set'.\n");
	for (i = 0; i < cfg->ndns; i++)
		text_buf_printf(&b, "nameserver %s\n", cfg->dns[i]);
	/* No servers of its own: those of the DHCP leases. */
	for (i = 0; servers == 0 && i < cfg->nifaces; i++) {
		if (cfg->ifaces[i].mode != NETCONF_DHCP ||
		    netapply_state_path(lpath, sizeof lpath, "lease",
		    cfg->ifaces[i].name) == -1 ||
		    (data = text_read_file(lpath, 8192, NULL)) == NULL)
			continue;
		if ((j = json_loads(data, 0, NULL)) != NULL) {
			v = json_object_get(j, "dns");
			for (k = 0; k < json_array_size(v) &&
			    k < NETCONF_MAX_DNS; k++)
				if (json_string_value(json_array_get(v, k)))
					text_buf_printf(&b, "nameserver %s\n",
					    json_string_value(
					    json_array_get(v, k)));
			json_decref(j);
		}
		free(data);
	}
	if (cfg->nsearch > 0) {
		text_buf_printf(&b, "search");
		for (i = 0; i < cfg->nsearch; i++)
			text_buf_printf(&b, " %s", cfg->search[i]);
		text_buf_printf(&b, "\n");
	}
	r = atomic_write_file(path, b.data, b.len, 0644, cause);
	text_buf_free(&b);
	return (r);
}

/*
 * Ask the routers on the link for an advert now (ICMPv6 router
 * solicitation to ff02::2) rather than wait for the next periodic one.
 */
static void
netapply_router_solicit(int ifindex)
{
	struct nd_router_solicit	 rs;
	struct sockaddr_in6		 to;
	int				 s, hops = 255;
	unsigned			 idx = (unsigned)ifindex;

	if ((s = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6)) ==
	    -1)
		return;
	memset(&rs, 0, sizeof rs);
	rs.nd_rs_type = ND_ROUTER_SOLICIT;
	memset(&to, 0, sizeof to);
	to.sin6_family = AF_INET6;
	(void)inet_pton(AF_INET6, "ff02::2", &to.sin6_addr);
	to.sin6_scope_id = idx;
	/* Routers drop solicitations that did not come with hop limit 255. */
	if (setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof hops) == 0 && setsockopt(s, IPPROTO_IPV6,
	    IPV6_MULTICAST_IF, &idx, sizeof idx) == 0)
		(void)sendto(s, &rs, sizeof rs, 0, (struct sockaddr *)&to,
		    sizeof to);
	close(s);
}

/* 1 when the live address list has addr/plen on ifindex. */
static int
netapply_has_addr(const struct netconf_live *live, int ifindex,
    const struct netconf_addr *a)
{
	int	 i;

	for (i = 0; i < live->naddrs; i++)
		if (live->addrs[i].ifindex == ifindex &&
		    live->addrs[i].prefixlen == a->prefixlen &&
		    strcmp(live->addrs[i].addr, a->addr) == 0)
			return (1);
	return (0);
}

/* Send one ARP probe for addr on iface; 1 when someone answers. */
static int
netapply_arp_probe(const char *iface, int ifindex, const char *addr,
    char *who, size_t wholen)
{
	struct {
		struct ether_header	eh;
		struct ether_arp	arp;
	} __attribute__((packed))	 pkt;
	struct sockaddr_ll		 sll;
	struct ifreq			 ifr;
	struct in_addr			 target;
	char				 line[32];
	size_t				 len;
	ssize_t				 n;
	pid_t				 pid;
	int				 s, found = 0, p[2] = { -1, -1 }, status;

	if (inet_pton(AF_INET, addr, &target) != 1 ||
	    (s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
	    htons(ETH_P_ARP))) == -1)
		return (0);
	memset(&ifr, 0, sizeof ifr);
	(void)xsnprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", iface);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) == -1 ||
	    ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		goto out;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifindex;
	if (bind(s, (struct sockaddr *)&sll, sizeof sll) == -1)
		goto out;
	memset(&pkt, 0, sizeof pkt);
	memset(pkt.eh.ether_dhost, 0xff, ETH_ALEN);
	memcpy(pkt.eh.ether_shost, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	pkt.eh.ether_type = htons(ETHERTYPE_ARP);
	pkt.arp.arp_hrd = htons(ARPHRD_ETHER);
	pkt.arp.arp_pro = htons(ETHERTYPE_IP);
	pkt.arp.arp_hln = ETH_ALEN;
	pkt.arp.arp_pln = 4;
	pkt.arp.arp_op = htons(ARPOP_REQUEST);
	memcpy(pkt.arp.arp_sha, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	/* A probe (RFC 5227): sender address 0, nobody's cache changes. */
	memcpy(pkt.arp.arp_tpa, &target, 4);
	sll.sll_halen = ETH_ALEN;
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	if (sendto(s, &pkt, sizeof pkt, 0, (struct sockaddr *)&sll,
	    sizeof sll) == -1)
		goto out;
	/*
	 * The replies come from the link: a child that is no longer root
	 * reads and parses them, and hands back "0" or "1 MAC" alone, which
	 * is checked here before a word of it is used.
	 */
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1)
		goto out;
	if (pid == 0) {
		char	*why = NULL;

		close(p[0]);
		if (unpriv_drop(NETAPPLY_PROBE_ACCOUNT,
		    NETAPPLY_PROBE_FALLBACK, &why) == -1)
			_exit(1);
		_exit(netapply_arp_listen(s, &target, p[1]) == 0 ? 0 : 1);
	}
	close(p[1]);
	p[1] = -1;
	memset(line, 0, sizeof line);
	for (len = 0; len < sizeof line - 1;) {
		if ((n = read(p[0], line + len, sizeof line - 1 - len)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	/* Exactly "1 xx:xx:xx:xx:xx:xx\n": a used address and who has it. */
	if (len == 20 && line[0] == '1' && line[1] == ' ' &&
	    line[19] == '\n' && strspn(line + 2, "0123456789abcdef:") == 17) {
		line[19] = '\0';
		found = 1;
		(void)xsnprintf(who, wholen, "%s", line + 2);
	}
out:
	if (p[0] != -1)
		close(p[0]);
	if (p[1] != -1)
		close(p[1]);
	close(s);
	return (found);
}

/* In the unprivileged child: wait for a reply about target, report it. */
static int
netapply_arp_listen(int s, const struct in_addr *target, int out)
{
	struct {
		struct ether_header	eh;
		struct ether_arp	arp;
	} __attribute__((packed))	 ans;
	struct pollfd			 pfd;
	long long			 end;
	char				 line[32];
	ssize_t				 n;
	int				 found = 0;

	end = netapply_now_ms() + NETAPPLY_PROBE_MS;
	pfd.fd = s;
	pfd.events = POLLIN;
	while (!found && netapply_now_ms() < end) {
		if (poll(&pfd, 1, (int)(end - netapply_now_ms())) <= 0)
			break;
		if ((n = recv(s, &ans, sizeof ans, 0)) < (ssize_t)sizeof ans)
			continue;
		if (ntohs(ans.arp.arp_op) == ARPOP_REPLY &&
		    memcmp(ans.arp.arp_spa, target, 4) == 0)
			found = 1;
	}
	if (found)
		(void)xsnprintf(line, sizeof line,
		    "1 %02x:%02x:%02x:%02x:%02x:%02x\n",
		    ans.arp.arp_sha[0], ans.arp.arp_sha[1], ans.arp.arp_sha[2],
		    ans.arp.arp_sha[3], ans.arp.arp_sha[4], ans.arp.arp_sha[5]);
	else
		(void)xsnprintf(line, sizeof line, "0\n");
	return (write(out, line, strlen(line)) == (ssize_t)strlen(line) ?
	    0 : -1);
}

int
netapply_probe(const struct netconf *cfg, const struct netconf_live *live,
    char **cause)
{
	const struct netconf_iface	*ifc;
	char				 who[32];
	int				 i, j, idx;

	for (i = 0; i < cfg->nifaces; i++) {
		ifc = &cfg->ifaces[i];
		idx = netlink_ifindex(live->links, live->nlinks, ifc->name);
		for (j = 0; j < ifc->naddrs; j++) {
			if (ifc->addrs[j].family != AF_INET || idx == 0 ||
			    netapply_has_addr(live, idx, &ifc->addrs[j]))
				continue;
			if (netapply_arp_probe(ifc->name, idx,
			    ifc->addrs[j].addr, who, sizeof who)) {
				xasprintf(cause, "address %s of %s is already "
				    "used on the link by %s (answered an ARP "
				    "probe)", ifc->addrs[j].addr, ifc->name,
				    who);
				return (-1);
			}
		}
	}
	return (0);
}

static void
netapply_default_route(struct netconf_route *out, int family,
    const char *via, const char *dev)
{
	memset(out, 0, sizeof *out);
	out->family = family;
	(void)xsnprintf(out->via, sizeof out->via, "%s", via);
	(void)xsnprintf(out->dev, sizeof out->dev, "%s", dev);
}

/* The routes cfg wants: defaults of the default adapter, then statics. */
static int
netapply_routes_wanted(const struct netconf *cfg, struct netconf_route *out)
{
	const struct netconf_iface	*ifc = NULL;
	int				 i, n = 0;

	if (cfg->default_iface[0] != '\0')
		ifc = netconf_iface_find(cfg, cfg->default_iface);
	for (i = 0; ifc == NULL && i < cfg->nifaces; i++)
		if (cfg->ifaces[i].mode == NETCONF_STATIC &&
		    (cfg->ifaces[i].gateway[0] != '\0' ||
		    cfg->ifaces[i].gateway6[0] != '\0'))
			ifc = &cfg->ifaces[i];
	if (ifc != NULL && ifc->mode == NETCONF_STATIC) {
		if (ifc->gateway[0] != '\0')
			netapply_default_route(&out[n++], AF_INET, ifc->gateway,
			    ifc->name);
		if (ifc->gateway6[0] != '\0')
			netapply_default_route(&out[n++], AF_INET6,
			    ifc->gateway6, ifc->name);
	}
	for (i = 0; i < cfg->nroutes; i++)
		out[n++] = cfg->routes[i];
	return (n);
}

static int
netapply_route_match(const struct netconf_route *w,
    const struct netlink_route *r)
{
	if (w->family != r->family || w->dst_len != r->dst_len ||
	    strcmp(w->via, r->gateway) != 0)
		return (0);
	if (w->dst_len != 0 && strcmp(w->dst, r->dst) != 0)
		return (0);
	return (w->dev[0] == '\0' || strcmp(w->dev, r->ifname) == 0);
}

/*
 * Addresses of one adapter that cfg does not want: statics no longer
 * listed, leases on an adapter now static. SLAAC's own stay while it is on.
 */
static int
netapply_addrs_prune(const struct netconf_iface *ifc, int idx,
    const struct netconf_live *live, char **cause)
{
	const struct netlink_addr	*a;
	int				 j, k, keep;

	for (j = 0; j < live->naddrs; j++) {
		a = &live->addrs[j];
		if (a->ifindex != idx || a->scope != RT_SCOPE_UNIVERSE)
			continue;
		if (a->family == AF_INET6 && ifc->slaac &&
		    !(a->flags & IFA_F_PERMANENT))
			continue;	/* SLAAC's own, while it is on */
		if (ifc->mode == NETCONF_DHCP && a->family == AF_INET &&
		    a->valid_lft != 0xffffffffU)
			continue;	/* the lease's */
		keep = 0;
		for (k = 0; k < ifc->naddrs; k++)
			if (strcmp(ifc->addrs[k].addr, a->addr) == 0 &&
			    ifc->addrs[k].prefixlen == a->prefixlen)
				keep = 1;
		if (!keep && netlink_addr_del(idx, a->addr, a->prefixlen,
		    cause) == -1)
			return (-1);
	}
	return (0);
}

/* One adapter: SLAAC, link state and MTU, DHCP off if static, addresses. */
static int
netapply_iface(const struct netconf_iface *ifc,
    const struct netconf_live *live, char **cause)
{
	int	 idx, k;

	if ((idx = netlink_ifindex(live->links, live->nlinks,
	    ifc->name)) == 0) {
		xasprintf(cause, "adapter %s does not exist", ifc->name);
		return (-1);
	}
	(void)netapply_sysctl(ifc->name, "accept_ra", ifc->slaac ? "2" : "0");
	(void)netapply_sysctl(ifc->name, "autoconf", ifc->slaac ? "1" : "0");
	if (netlink_link_set(idx, !ifc->down, ifc->mtu, cause) == -1)
		return (-1);
	if (ifc->slaac && !ifc->down)
		netapply_router_solicit(idx);
	if (ifc->mode == NETCONF_STATIC)
		netapply_dhcp_stop(ifc->name);
	if (netapply_addrs_prune(ifc, idx, live, cause) == -1)
		return (-1);
	for (k = 0; k < ifc->naddrs; k++)
		if (!netapply_has_addr(live, idx, &ifc->addrs[k]) &&
		    netlink_addr_add(idx, ifc->addrs[k].addr,
		    ifc->addrs[k].prefixlen, 0, cause) == -1)
			return (-1);
	return (0);
}

/*
 * Routes we own that cfg does not want (static, and boot as ip route
 * add makes them), and router adverts' routes where SLAAC is off. One
 * gone already with its address is not an error.
 */
static void
netapply_routes_prune(const struct netconf *cfg,
    const struct netconf_live *live, const struct netconf_route *want,
    int nwant)
{
	const struct netlink_route	*r;
	const struct netconf_iface	*ri;
	char				*why = NULL;
	int				 j, k, keep;

	for (j = 0; j < live->nroutes; j++) {
		r = &live->routes[j];
		if (r->protocol == RTPROT_RA) {
			ri = netconf_iface_find(cfg, r->ifname);
			keep = ri == NULL || ri->slaac;
		} else if (r->protocol == RTPROT_BOOT ||
		    r->protocol == RTPROT_STATIC) {
			for (keep = 0, k = 0; k < nwant && !keep; k++)
				keep = netapply_route_match(&want[k], r);
		} else
			continue;
		if (!keep && netlink_route_del(r->family, r->dst, r->dst_len,
		    r->gateway, r->ifindex, r->priority, &why) == -1) {
			free(why);
			why = NULL;
		}
	}
}

/* The routes cfg wants that the kernel does not have yet. */
static int
netapply_routes_add(const struct netconf_live *live,
    const struct netconf_route *want, int nwant, char **cause)
{
	int	 j, k, idx;

	for (k = 0; k < nwant; k++) {
		for (j = 0; j < live->nroutes; j++)
			if (netapply_route_match(&want[k], &live->routes[j]))
				break;
		if (j < live->nroutes)
			continue;
		idx = want[k].dev[0] != '\0' ? netlink_ifindex(live->links,
		    live->nlinks, want[k].dev) : 0;
		if (netlink_route_add(want[k].family, want[k].dst,
		    want[k].dst_len, want[k].via, idx, RTPROT_STATIC, 0,
		    cause) == -1)
			return (-1);
	}
	return (0);
}

/* A DHCP client on each DHCP adapter that is up; none where it is down. */
static int
netapply_dhcp_all(const struct netconf *cfg, char **cause)
{
	int	 i;

	for (i = 0; i < cfg->nifaces; i++) {
		if (cfg->ifaces[i].mode != NETCONF_DHCP)
			continue;
		/* A client on a link that is down would only time out. */
		if (cfg->ifaces[i].down)
			netapply_dhcp_stop(cfg->ifaces[i].name);
		else if (netapply_dhcp_start(cfg->ifaces[i].name, cause) == -1)
			return (-1);
	}
	return (0);
}

/* The host name: the kernel's, and the file it comes back from at boot. */
static int
netapply_hostname(const char *name, char **cause)
{
	char	 cur[NETCONF_HOST_MAX + 2] = "", path[PATH_MAX], *text;
	int	 r;

	(void)gethostname(cur, sizeof cur - 1);
	if (strcmp(cur, name) != 0 && sethostname(name, strlen(name)) == -1) {
		xasprintf(cause, "cannot set the host name: %s",
		    strerror(errno));
		return (-1);
	}
	if (paths_get(path, sizeof path, NETCONF_HOSTNAME) == -1) {
		xasprintf(cause, "the path of %s is too long",
		    NETCONF_HOSTNAME);
		return (-1);
	}
	xasprintf(&text, "%s\n", name);
	r = atomic_write_file(path, text, strlen(text), 0644, cause);
	free(text);
	return (r);
}

int
netapply_run(const struct netconf *cfg, char **cause)
{
	struct netconf_live	 live;
	struct netconf_route	 want[NETCONF_MAX_ROUTES + 2];
	char			 path[PATH_MAX];
	int			 i, nwant, r = -1;

	if (netconf_live_read(&live, cause) == -1)
		return (-1);
	for (i = 0; i < cfg->nifaces; i++)
		if (netapply_iface(&cfg->ifaces[i], &live, cause) == -1)
			goto out;
	/* The routes: read again, the address changes moved some. */
	netconf_live_free(&live);
	if (netconf_live_read(&live, cause) == -1)
		return (-1);
	nwant = netapply_routes_wanted(cfg, want);
	netapply_routes_prune(cfg, &live, want, nwant);
	if (netapply_routes_add(&live, want, nwant, cause) == -1)
		goto out;
	/* DHCP clients last: their hook reads the applied file. */
	if (netapply_state_path(path, sizeof path, "applied.conf", NULL) ==
	    -1 || netconf_save(path, cfg, cause) == -1)
		goto out;
	if (netapply_dhcp_all(cfg, cause) == -1)
		goto out;
	if ((cfg->ndns > 0 || cfg->nsearch > 0) &&
	    netapply_resolv(cfg, cause) == -1)
		goto out;
	if (cfg->hostname[0] != '\0' &&
	    netapply_hostname(cfg->hostname, cause) == -1)
		goto out;
	r = 0;
out:
	netconf_live_free(&live);
	return (r);
}
