/* SPDX-License-Identifier: ISC */
/*
 * testconn: the connectivity engine. For every target, concurrently, the
 * layers in order: the default route's link has carrier, the gateway
 * answers, DNS resolves (our own queries, so we know which server answered
 * and when), TCP connects, the proxy opens a tunnel, TLS verifies (and
 * the issuer chain is compared with the expected CA names: a stranger is
 * TLS inspection), HTTP answers. Each phase has its own timeout from
 * console.conf and the whole run is bounded. The only program of the
 * console linked with libcurl (multi interface); the console's module 210
 * runs it and reads its JSON.
 *
 *   testconn [--json] [--progress] [--proxy-check]
 *       [--proxy-password-stdin] [TARGET...]
 *   testconn [--json] HOST PORT
 * Started as root, it first becomes _testconn (or nobody) with no groups
 * and no capabilities; the proxy's password, which only root can read,
 * then comes on stdin from the root caller.
 * TARGET is an http(s) URL, HOST, HOST:PORT or [IPV6]:PORT; none means the
 * targets of console.conf. Every argument is validated before any
 * traffic. Exit 0 all passed, 2 any failed or could not be tested, 1 usage.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "config.h"
#include "connectivity.h"
#include "netlink.h"
#include "paths.h"
#include "proxy.h"
#include "text.h"
#include "unpriv.h"
#include "xmalloc.h"

#define TC_MAX_NS	3
#define TC_DNS_BUF	1024
#define TC_BODY_MAX	(256 * 1024)
#define TC_TICK_MS	10
/* Started by root, we become this account (the package creates it), or
   nobody where it does not exist. */
#define TC_ACCOUNT	"_testconn"
#define TC_FALLBACK	"nobody"

struct tc_dns {
	char		 name[256];
	int		 done;
	enum conn_dns	 state;
	char		 server[CONN_ADDR_STRLEN];
	long		 ms;
	char		 addr4[CONN_ADDR_STRLEN];
	char		 addr6[CONN_ADDR_STRLEN];
	int		 answered[2];	/* A, AAAA: rcode + 1 when answered */
	int		 fds[TC_MAX_NS][2];
	unsigned short	 ids[TC_MAX_NS][2];
};

struct tc_job {
	struct conn_target	 t;
	struct conn_obs		 o;
	struct conn_result	 r;
	struct tc_dns		*dns;		/* shared by equal names */
	CURL			*easy;
	struct curl_slist	*resolve;
	char			 errbuf[CURL_ERROR_SIZE];
	int64_t			 start, proxy_done;
	int64_t			 tcp_at;	/* seen connected (or 0) */
	int			 fd;		/* curl's socket, -1 */
	size_t			 body;
	int			 running, timed_out;
	enum conn_layer		 timeout_layer;
};

static struct config		 cfg;
static struct proxy_conf	 px;
static char			 ns[TC_MAX_NS][CONN_ADDR_STRLEN];
static int			 nns;
static int			 prefer6;
static int			 tc_ex_idx = -1;
static X509_STORE		*tc_store;	/* trust anchors, shared */
static int			 progress, ndone, ntotal;

static int64_t	 tc_now(void);
static void	 tc_usage(void);
static void	 tc_system(struct conn_obs *);
static int	 tc_gateway(const char *, int, int, int);
static unsigned	 tc_neigh_state(const char *, int, int *);
static void	 tc_read_resolv(void);
static void	 tc_dns_run(struct tc_dns *, int);
static void	 tc_dns_send(struct tc_dns *);
static void	 tc_dns_recv(struct tc_dns *, int, int, int64_t, int64_t);
static void	 tc_start(CURLM *, struct tc_job *);
static void	 tc_finish(struct tc_job *, CURLcode);
static void	 tc_phase_timeouts(CURLM *, struct tc_job *, int64_t);
static CURLcode	 tc_sslctx(CURL *, void *, void *);
static int	 tc_verify(int, X509_STORE_CTX *);
static void	 tc_cn(X509_NAME *, char *, size_t);
static size_t	 tc_write(char *, size_t, size_t, void *);
static size_t	 tc_header(char *, size_t, size_t, void *);
static curl_socket_t tc_opensocket(void *, curlsocktype,
		    struct curl_sockaddr *);
static int	 tc_closesocket(void *, curl_socket_t);
static void	 tc_watch_tcp(struct tc_job *, int64_t);
static void	 tc_progress(struct tc_job *);
static int	 tc_read_password(char **);

static int64_t
tc_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
tc_usage(void)
{
	fprintf(stderr, "usage: testconn [--json] [--progress] [--proxy-check] "
	    "[--proxy-password-stdin] [TARGET...]\n"
	    "       testconn [--json] HOST PORT\n");
}

/*
 * Does the gateway answer? A datagram to its discard port: an ICMP port
 * unreachable back (ECONNREFUSED) proves it is there; otherwise the
 * neighbour table says whether ARP/NDP found it. 1 yes, 0 no.
 */
static int
tc_gateway(const char *gw, int family, int ifindex, int timeout_ms)
{
	struct sockaddr_storage	 ss;
	struct pollfd		 pfd;
	socklen_t		 sl;
	int64_t			 end = tc_now() + timeout_ms;
	int			 fd, st, seen_incomplete = 0, ok = 0, known = 0;
	char			 c = 0;

	/* Confirmed reachable lately (ARP/NDP or traffic): no probe needed. */
	if (tc_neigh_state(gw, family, &known) & (NUD_REACHABLE |
	    NUD_PERMANENT | NUD_NOARP))
		return (1);
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(9);
		inet_pton(AF_INET, gw, &sin->sin_addr);
		sl = sizeof *sin;
	} else {
		struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(9);
		inet_pton(AF_INET6, gw, &sin6->sin6_addr);
		/* A router found by RA is link-local: name the link. */
		sin6->sin6_scope_id = (uint32_t)ifindex;
		sl = sizeof *sin6;
	}
	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return (1);	/* cannot check: do not blame the gateway */
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    send(fd, &c, 1, 0) == -1) {
		close(fd);
		return (0);
	}
	while (!ok && tc_now() < end) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, TC_TICK_MS) == 1 && recv(fd, &c, 1, 0) ==
		    -1 && errno == ECONNREFUSED) {
			ok = 1;
			break;
		}
		st = tc_neigh_state(gw, family, &known);
		if (st & (NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP))
			ok = 1;
		else if (st & NUD_INCOMPLETE)
			seen_incomplete = 1;
		else if ((st & NUD_FAILED) && seen_incomplete)
			break;
	}
	close(fd);
	return (ok || known);
}

/* The gateway's neighbour state (NUD_*, 0 when absent); *known when a
   link-layer address is known and merely not confirmed lately. */
static unsigned
tc_neigh_state(const char *gw, int family, int *known)
{
	struct netlink_neigh	*nb;
	char			*cause = NULL;
	unsigned		 st = 0;
	int			 n, i;

	if ((n = netlink_dump_neighs(&nb, &cause)) == -1) {
		free(cause);
		return (0);
	}
	for (i = 0; i < n; i++) {
		if (nb[i].family != family || strcmp(nb[i].addr, gw) != 0)
			continue;
		st = nb[i].state;
		*known = nb[i].has_lladdr && (st & (NUD_STALE | NUD_DELAY |
		    NUD_PROBE));
	}
	free(nb);
	return (st);
}

/* Carrier of the default route's link, and its gateway. */
static void
tc_system(struct conn_obs *o)
{
	struct netlink_route	*rt = NULL;
	struct netlink_link	*ln = NULL;
	char			*cause = NULL;
	int			 nr, nl, i, best = -1;

	o->carrier = -1;
	o->gateway_ok = -1;
	if ((nr = netlink_dump_routes(&rt, &cause)) == -1) {
		free(cause);
		return;
	}
	for (i = 0; i < nr; i++) {
		if (rt[i].dst_len != 0)
			continue;
		if (best == -1 || (rt[best].family == AF_INET6 &&
		    rt[i].family == AF_INET) || (rt[best].family ==
		    rt[i].family && rt[i].priority < rt[best].priority))
			best = i;
	}
	if (best == -1) {
		o->no_route = 1;
		free(rt);
		return;
	}
	prefer6 = rt[best].family == AF_INET6;
	xsnprintf(o->ifname, sizeof o->ifname, "%s", rt[best].ifname);
	xsnprintf(o->gateway, sizeof o->gateway, "%s", rt[best].gateway);
	if ((nl = netlink_dump_links(&ln, &cause)) == -1)
		free(cause);
	for (i = 0; i < nl; i++) {
		if (ln[i].ifindex == rt[best].ifindex)
			o->carrier = ln[i].carrier != 0;
	}
	free(ln);
	if (o->carrier != 0 && o->gateway[0] != '\0')
		o->gateway_ok = tc_gateway(o->gateway, rt[best].family,
		    rt[best].ifindex, cfg.conn.gateway_timeout_ms);
	free(rt);
}

/* The name servers of /etc/resolv.conf, as the system resolver sees them. */
static void
tc_read_resolv(void)
{
	char	*text, *line, *save = NULL, *cause = NULL, addr[64];
	char	 buf[16];

	if ((text = text_read_file("/etc/resolv.conf", 65536, &cause)) ==
	    NULL) {
		free(cause);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL && nns <
	    TC_MAX_NS; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, " nameserver %63s", addr) != 1)
			continue;
		if (inet_pton(AF_INET, addr, buf) != 1 &&
		    inet_pton(AF_INET6, addr, buf) != 1)
			continue;
		xsnprintf(ns[nns++], sizeof ns[0], "%s", addr);
	}
	free(text);
}

/* An A and an AAAA query for the name to every server, at once. */
static void
tc_dns_send(struct tc_dns *d)
{
	unsigned char		 q[TC_DNS_BUF];
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 s, k, len, fd, type;

	for (s = 0; s < nns; s++) {
		memset(&ss, 0, sizeof ss);
		if (strchr(ns[s], ':') == NULL) {
			struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons(53);
			inet_pton(AF_INET, ns[s], &sin->sin_addr);
			sl = sizeof *sin;
		} else {
			struct sockaddr_in6	*sin6 =
			    (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(53);
			inet_pton(AF_INET6, ns[s], &sin6->sin6_addr);
			sl = sizeof *sin6;
		}
		for (k = 0; k < 2; k++) {
			d->fds[s][k] = -1;
			type = k == 0 ? ns_t_a : ns_t_aaaa;
			len = res_mkquery(ns_o_query, d->name, ns_c_in, type,
			    NULL, 0, NULL, q, sizeof q);
			if (len <= 0)
				continue;
			d->ids[s][k] = (unsigned short)((q[0] << 8) | q[1]);
			fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0);
			if (fd == -1)
				continue;
			if (connect(fd, (struct sockaddr *)&ss, sl) == -1 ||
			    send(fd, q, (size_t)len, 0) != len) {
				close(fd);
				continue;
			}
			d->fds[s][k] = fd;
		}
	}
}

/* One answer: its rcode and addresses; decides the name when it can. */
static void
tc_dns_recv(struct tc_dns *d, int s, int k, int64_t t0, int64_t now)
{
	unsigned char	 a[TC_DNS_BUF];
	ns_msg		 msg;
	ns_rr		 rr;
	ssize_t		 n;
	int		 i, rcode, count;
	char		*dst;

	n = recv(d->fds[s][k], a, sizeof a, 0);
	if (n < 12 || ((a[0] << 8) | a[1]) != d->ids[s][k])
		return;		/* refused by ICMP, or not our answer */
	close(d->fds[s][k]);
	d->fds[s][k] = -1;
	if (ns_initparse(a, (int)n, &msg) == -1)
		return;
	rcode = ns_msg_getflag(msg, ns_f_rcode);
	if (d->answered[k] == 0 || rcode == ns_r_noerror)
		d->answered[k] = rcode + 1;
	count = ns_msg_count(msg, ns_s_an);
	dst = k == 0 ? d->addr4 : d->addr6;
	for (i = 0; i < count && dst[0] == '\0'; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) == -1)
			break;
		if (ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4)
			inet_ntop(AF_INET, ns_rr_rdata(rr), dst,
			    CONN_ADDR_STRLEN);
		else if (ns_rr_type(rr) == ns_t_aaaa && ns_rr_rdlen(rr) == 16)
			inet_ntop(AF_INET6, ns_rr_rdata(rr), dst,
			    CONN_ADDR_STRLEN);
	}
	if (d->server[0] == '\0' || rcode == ns_r_noerror)
		xsnprintf(d->server, sizeof d->server, "%s", ns[s]);
	d->ms = (long)(now - t0);
	/* Decided: an address of the family we prefer, or both answered. */
	if ((prefer6 ? d->addr6 : d->addr4)[0] != '\0' ||
	    (d->answered[0] && d->answered[1]) || rcode == ns_r_nxdomain)
		d->done = 1;
}

/* Resolve every name at once, bounded by the DNS timeout. */
static void
tc_dns_run(struct tc_dns *ds, int nd)
{
	struct pollfd	 pfd[CONN_TARGETS_MAX * TC_MAX_NS * 2];
	int		 who[CONN_TARGETS_MAX * TC_MAX_NS * 2][3];
	int64_t		 t0 = tc_now(), end = t0 + cfg.conn.dns_timeout_ms;
	int		 i, s, k, np, left, rc, r;

	for (i = 0; i < nd; i++) {
		for (s = 0; s < TC_MAX_NS; s++)
			ds[i].fds[s][0] = ds[i].fds[s][1] = -1;
		tc_dns_send(&ds[i]);
	}
	for (;;) {
		np = 0;
		left = 0;
		for (i = 0; i < nd; i++) {
			if (ds[i].done)
				continue;
			left++;
			for (s = 0; s < nns; s++) {
				for (k = 0; k < 2; k++) {
					if (ds[i].fds[s][k] == -1)
						continue;
					pfd[np].fd = ds[i].fds[s][k];
					pfd[np].events = POLLIN;
					who[np][0] = i;
					who[np][1] = s;
					who[np][2] = k;
					np++;
				}
			}
		}
		if (left == 0 || np == 0 || tc_now() >= end)
			break;
		rc = poll(pfd, (nfds_t)np, (int)(end - tc_now()));
		if (rc <= 0)
			continue;
		for (i = 0; i < np; i++) {
			if (pfd[i].revents == 0 || ds[who[i][0]].done)
				continue;
			tc_dns_recv(&ds[who[i][0]], who[i][1], who[i][2], t0,
			    tc_now());
		}
	}
	for (i = 0; i < nd; i++) {
		struct tc_dns	*d = &ds[i];

		for (s = 0; s < TC_MAX_NS; s++) {
			for (k = 0; k < 2; k++) {
				if (d->fds[s][k] != -1)
					close(d->fds[s][k]);
			}
		}
		if (d->addr4[0] != '\0' || d->addr6[0] != '\0') {
			d->state = CONN_DNS_OK;
			continue;
		}
		r = d->answered[0] ? d->answered[0] - 1 : d->answered[1] ?
		    d->answered[1] - 1 : -1;
		if (d->answered[0] - 1 == ns_r_nxdomain ||
		    d->answered[1] - 1 == ns_r_nxdomain)
			d->state = CONN_DNS_NXDOMAIN;
		else if (r == ns_r_noerror)
			d->state = CONN_DNS_NODATA;
		else if (r == ns_r_servfail)
			d->state = CONN_DNS_SERVFAIL;
		else if (r == ns_r_refused)
			d->state = CONN_DNS_REFUSED;
		else if (r != -1)
			d->state = CONN_DNS_SERVFAIL;
		else {
			d->state = CONN_DNS_TIMEOUT;
			d->server[0] = '\0';
			for (s = 0; s < nns; s++) {
				size_t	 l = strlen(d->server);

				snprintf(d->server + l, sizeof d->server - l,
				    "%s%s", s ? "," : "", ns[s]);
			}
		}
	}
}

static size_t
tc_write(char *p, size_t size, size_t n, void *arg)
{
	struct tc_job	*j = arg;

	(void)p;
	j->body += size * n;
	if (j->body > TC_BODY_MAX)
		return (0);	/* enough: we only want the status */
	return (size * n);
}

/* The proxy's answer to CONNECT is the first status line we see. */
static size_t
tc_header(char *p, size_t size, size_t n, void *arg)
{
	struct tc_job	*j = arg;

	/* (A SOCKS proxy has no status line: its answer is not seen.) */
	if (j->o.proxy_used && strcmp(px.type, "http") == 0 &&
	    j->proxy_done == 0 && size * n > 5 &&
	    strncmp(p, "HTTP/", 5) == 0) {
		j->proxy_done = tc_now();
		if (j->tcp_at == 0)
			j->tcp_at = j->proxy_done;
	}
	return (size * n);
}

/* Our own socket calls, so that we can see when TCP is up. */
static curl_socket_t
tc_opensocket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct tc_job	*j = arg;
	int		 fd;

	(void)purpose;
	fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (fd == -1)
		return (CURL_SOCKET_BAD);
	j->fd = fd;
	return (fd);
}

static int
tc_closesocket(void *arg, curl_socket_t fd)
{
	struct tc_job	*j = arg;

	if (j->fd == fd)
		j->fd = -1;
	return (close(fd));
}

/* libcurl reports the connect time only once every filter is through. */
static void
tc_watch_tcp(struct tc_job *j, int64_t now)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof ss;

	if (j->tcp_at == 0 && j->fd != -1 &&
	    getpeername(j->fd, (struct sockaddr *)&ss, &sl) == 0)
		j->tcp_at = now;
}

static void
tc_start(CURLM *multi, struct tc_job *j)
{
	CURL		*e;
	const char	*addr;
	char		 line[600], proxy[300], *cause = NULL;
	long		 sum;

	if ((e = curl_easy_init()) == NULL) {
		xsnprintf(j->o.detail, sizeof j->o.detail, "out of memory");
		return;
	}
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_URL, j->t.url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	j->fd = -1;
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, tc_opensocket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, tc_closesocket);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, tc_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, tc_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "testconn");
	/* We read a status, not a body: the smallest receive buffer. */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 1024L);
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	/* libcurl verifies; tc_verify watches the chain go by. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, tc_sslctx);
	curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, j);
	/* tc_sslctx gives every connection the one shared store. */
	curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	if (j->t.tcp_only)
		curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	sum = cfg.conn.tcp_timeout_ms + cfg.conn.tls_timeout_ms +
	    (j->o.proxy_used ? cfg.conn.proxy_timeout_ms : 0);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, sum + 500);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    (long)cfg.conn.total_timeout_ms);
	if (j->o.proxy_used) {
		int	 v6 = strchr(px.host, ':') != NULL;

		xsnprintf(proxy, sizeof proxy, "%s://%s%s%s:%d",
		    strcmp(px.type, "socks5") == 0 ? "socks5h" : "http",
		    v6 ? "[" : "", px.host, v6 ? "]" : "", px.port);
		curl_easy_setopt(e, CURLOPT_PROXY, proxy);
		curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
		if (px.user[0] != '\0') {
			curl_easy_setopt(e, CURLOPT_PROXYUSERNAME, px.user);
			curl_easy_setopt(e, CURLOPT_PROXYPASSWORD,
			    px.password);
			curl_easy_setopt(e, CURLOPT_PROXYAUTH,
			    (long)CURLAUTH_BASIC);
		}
	} else
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	/* Where our own DNS said the name is. */
	addr = j->o.address;
	if (j->dns != NULL && addr[0] != '\0') {
		int	 v6 = strchr(addr, ':') != NULL;

		if (xsnprintf(line, sizeof line, "%s:%d:%s%s%s",
		    j->o.proxy_used ? px.host : j->t.host, j->o.proxy_used ?
		    px.port : j->t.port, v6 ? "[" : "", addr, v6 ? "]" : "") !=
		    -1) {
			j->resolve = curl_slist_append(NULL, line);
			curl_easy_setopt(e, CURLOPT_RESOLVE, j->resolve);
		}
	}
	free(cause);
	j->start = tc_now();
	j->running = 1;
	curl_multi_add_handle(multi, e);
}

/* The CN of a name, or its one-line form when it has none. */
static void
tc_cn(X509_NAME *name, char *out, size_t len)
{
	out[0] = '\0';
	if (name == NULL)
		return;
	if (X509_NAME_get_text_by_NID(name, NID_commonName, out, (int)len) <
	    0)
		X509_NAME_oneline(name, out, (int)len);
}

/*
 * Called by OpenSSL for every certificate of the chain, top first: note
 * the names and the first error, and carry on so that the whole chain is
 * seen. OpenSSL still records the error: libcurl, which verifies the
 * peer, then refuses the connection before any HTTP is sent.
 */
static int
tc_verify(int ok, X509_STORE_CTX *xs)
{
	SSL		*ssl;
	struct tc_job	*j;
	X509		*cert;
	char		 cn[CONN_NAME_MAX];
	int		 depth, e;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (j = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl),
	    tc_ex_idx)) == NULL)
		return (ok);
	cert = X509_STORE_CTX_get_current_cert(xs);
	depth = X509_STORE_CTX_get_error_depth(xs);
	if (j->tcp_at == 0)
		j->tcp_at = tc_now();
	if (cert != NULL) {
		tc_cn(X509_get_issuer_name(cert), cn, sizeof cn);
		if (j->o.tls_root[0] == '\0')
			xsnprintf(j->o.tls_root, sizeof j->o.tls_root, "%s",
			    cn);
		if (depth == 0) {
			xsnprintf(j->o.tls_issuer, sizeof j->o.tls_issuer,
			    "%s", cn);
			tc_cn(X509_get_subject_name(cert), j->o.tls_subject,
			    sizeof j->o.tls_subject);
		}
		if (conn_issuer_expected(cfg.conn.expected_issuers, cn) == 1)
			j->o.issuer_expected = 1;
		else if (j->o.issuer_expected == -1 &&
		    cfg.conn.expected_issuers != NULL)
			j->o.issuer_expected = 0;
	}
	if (!ok && j->o.tls_verify[0] == '\0') {
		e = X509_STORE_CTX_get_error(xs);
		xsnprintf(j->o.tls_verify, sizeof j->o.tls_verify, "%.120s",
		    X509_verify_cert_error_string(e));
	}
	return (1);
}

static CURLcode
tc_sslctx(CURL *e, void *ctx, void *arg)
{
	(void)e;
	SSL_CTX_set_ex_data(ctx, tc_ex_idx, arg);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tc_verify);
	/* One store for every connection, not a copy of the bundle each. */
	SSL_CTX_set1_cert_store(ctx, tc_store);
	/* Twenty connections mostly wait: no idle 34 KiB buffers each. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	return (CURLE_OK);
}

/* What the library said about a finished (or stopped) transfer. */
static void
tc_finish(struct tc_job *j, CURLcode rc)
{
	struct conn_obs	*o = &j->o;
	curl_off_t	 tcon = 0, tapp = 0, tstart = 0, ttotal = 0;
	long		 code = 0, err = 0, cc = 0, vr = 0, pxerr = 0;

	curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &tcon);
	curl_easy_getinfo(j->easy, CURLINFO_APPCONNECT_TIME_T, &tapp);
	curl_easy_getinfo(j->easy, CURLINFO_STARTTRANSFER_TIME_T, &tstart);
	curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME_T, &ttotal);
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &err);
	curl_easy_getinfo(j->easy, CURLINFO_HTTP_CONNECTCODE, &cc);
	curl_easy_getinfo(j->easy, CURLINFO_SSL_VERIFYRESULT, &vr);
	curl_easy_getinfo(j->easy, CURLINFO_PROXY_ERROR, &pxerr);
	xsnprintf(o->detail, sizeof o->detail, "%.120s", j->errbuf[0] ?
	    j->errbuf : curl_easy_strerror(rc));
	if (o->proxy_used)
		xsnprintf(o->tcp_peer, sizeof o->tcp_peer, "proxy %s",
		    o->proxy + strcspn(o->proxy, " ") + 1);

	/* TCP */
	tc_watch_tcp(j, tc_now());
	if (tcon == 0 && j->tcp_at != 0)
		tcon = (curl_off_t)(j->tcp_at - j->start) * 1000;
	if (tcon == 0 && j->tcp_at == 0) {
		if (j->timed_out || rc == CURLE_OPERATION_TIMEDOUT ||
		    err == ETIMEDOUT)
			o->tcp = CONN_P_TIMEOUT;
		else if (err == ECONNREFUSED)
			o->tcp = CONN_P_REFUSED;
		else if (err == EHOSTUNREACH || err == ENETUNREACH) {
			o->tcp = CONN_P_UNREACHABLE;
			xsnprintf(o->detail, sizeof o->detail, "%s",
			    strerror((int)err));
		} else
			o->tcp = CONN_P_ERROR;
		return;
	}
	o->tcp = CONN_P_OK;
	if (tcon == 0)
		tcon = 1;
	o->tcp_ms = (long)(tcon / 1000);

	/* Proxy */
	if (o->proxy_used) {
		if (rc == CURLE_PROXY || (cc != 0 && (cc < 200 || cc > 299)) ||
		    (j->timed_out && j->timeout_layer == CONN_L_PROXY)) {
			o->proxy_status = (int)cc;
			if (j->timed_out)
				o->proxy_state = CONN_P_TIMEOUT;
			/* 407 is the rule; some proxies (tinyproxy) say 401. */
			else if (cc == 407 || cc == 401 ||
			    pxerr == CURLPX_USER_REJECTED ||
			    pxerr == CURLPX_NO_AUTH)
				o->proxy_state = CONN_P_AUTH;
			else
				o->proxy_state = CONN_P_REFUSED;
			return;
		}
		o->proxy_state = CONN_P_OK;
		/* SOCKS: not timed apart (it counts in TLS or HTTP). */
		o->proxy_ms = j->proxy_done > 0 ? (long)(j->proxy_done -
		    j->start) - o->tcp_ms : -1;
		if (j->proxy_done > 0 && o->proxy_ms < 0)
			o->proxy_ms = 0;
	}

	/* TLS */
	if (o->tls_used) {
		if (rc == CURLE_PEER_FAILED_VERIFICATION) {
			/* The handshake completed; the peer is not trusted. */
			o->tls = CONN_P_OK;
			o->tls_verified = 0;
			if (o->tls_verify[0] == '\0' || vr == 0)
				xsnprintf(o->tls_verify, sizeof o->tls_verify,
				    "%.120s", j->errbuf);
			return;
		}
		if (tapp == 0) {
			o->tls = j->timed_out ? CONN_P_TIMEOUT : CONN_P_ERROR;
			return;
		}
		o->tls = CONN_P_OK;
		o->tls_ms = (long)(tapp - tcon) / 1000 - (o->proxy_ms > 0 ?
		    o->proxy_ms : 0);
		if (o->tls_ms < 0)
			o->tls_ms = 0;
		o->tls_verified = 1;
	}

	/* HTTP */
	if (o->http_used) {
		if (code > 0) {
			o->http = CONN_P_OK;
			o->http_status = (int)code;
			o->http_ms = (long)((tstart - (tapp > 0 ? tapp :
			    tcon)) / 1000);
		} else if (j->timed_out || rc == CURLE_OPERATION_TIMEDOUT)
			o->http = CONN_P_TIMEOUT;
		else
			o->http = CONN_P_ERROR;
	}
}

/* With --progress, one stderr line per target as it finishes. */
static void
tc_progress(struct tc_job *j)
{
	struct conn_result	 r;
	char			*line;

	if (!progress)
		return;
	memset(&r, 0, sizeof r);
	conn_diagnose(&j->o, &cfg.conn, &r);
	xsnprintf(r.target, sizeof r.target, "%s", j->t.spec);
	line = conn_result_line(&r);
	fprintf(stderr, "progress %d/%d %s\n", ++ndone, ntotal, line);
	fflush(stderr);
	free(line);
}

/*
 * The proxy's password, one line on stdin from the root caller that could
 * read proxy.env (we, unprivileged, cannot). stdin unbuffered: the secret
 * is in no buffer but ours, which is cleared.
 */
static int
tc_read_password(char **cause)
{
	char	 line[PROXY_PASSWORD_MAX + 3];
	size_t	 len;
	int	 r = -1;

	setvbuf(stdin, NULL, _IONBF, 0);
	if (fgets(line, sizeof line, stdin) == NULL) {
		*cause = xstrdup("no proxy password on stdin");
		goto out;
	}
	len = strcspn(line, "\n");
	if (line[len] != '\n') {
		*cause = xstrdup("the proxy password on stdin is too long");
		goto out;
	}
	line[len] = '\0';
	if (proxy_valid_password(line, cause) == -1)
		goto out;
	if (px.set && px.user[0] != '\0') {
		xsnprintf(px.password, sizeof px.password, "%s", line);
		px.has_password = 1;
	}
	r = 0;
out:
	explicit_bzero(line, sizeof line);
	return (r);
}

/* Stop a transfer whose current phase has had its time. */
static void
tc_phase_timeouts(CURLM *multi, struct tc_job *j, int64_t now)
{
	curl_off_t	 tcon = 0, tapp = 0;
	int64_t		 since, limit;
	enum conn_layer	 layer;

	if (!j->running)
		return;
	curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &tcon);
	curl_easy_getinfo(j->easy, CURLINFO_APPCONNECT_TIME_T, &tapp);
	tc_watch_tcp(j, now);
	if (tcon == 0 && j->tcp_at != 0)
		tcon = (curl_off_t)(j->tcp_at - j->start) * 1000 + 1;
	if (tcon == 0) {
		layer = CONN_L_TCP;
		since = j->start;
		limit = cfg.conn.tcp_timeout_ms;
	} else if (j->o.proxy_used && j->proxy_done == 0 && tapp == 0 &&
	    strcmp(px.type, "http") == 0) {
		layer = CONN_L_PROXY;
		since = j->start + tcon / 1000;
		limit = cfg.conn.proxy_timeout_ms;
	} else if (j->o.proxy_used && j->proxy_done == 0 && tapp == 0) {
		/* SOCKS: its handshake and TLS cannot be told apart. */
		layer = CONN_L_PROXY;
		since = j->start + tcon / 1000;
		limit = cfg.conn.proxy_timeout_ms + (j->o.tls_used ?
		    cfg.conn.tls_timeout_ms : 0);
	} else if (j->o.tls_used && tapp == 0) {
		layer = CONN_L_TLS;
		since = j->proxy_done > 0 ? j->proxy_done : j->start +
		    tcon / 1000;
		limit = cfg.conn.tls_timeout_ms;
	} else {
		layer = CONN_L_HTTP;
		since = j->start + (tapp > 0 ? tapp : tcon) / 1000;
		limit = cfg.conn.http_timeout_ms;
	}
	if (now - since < limit && now - j->start <
	    cfg.conn.total_timeout_ms)
		return;
	j->timed_out = 1;
	j->timeout_layer = layer;
	tc_finish(j, CURLE_OPERATION_TIMEDOUT);
	curl_multi_remove_handle(multi, j->easy);
	j->running = 0;
	tc_progress(j);
}

int
main(int argc, char **argv)
{
	struct conn_report	 rep;
	struct conn_obs		 sys;
	struct tc_job		*jobs = NULL;
	struct tc_dns		*ds = NULL;
	struct conn_target	*ts = NULL;
	CURLM			*multi = NULL;
	CURLMsg			*msg;
	char			 path[PATH_MAX], *cause = NULL, *out;
	char			 pxname[300] = "";
	int			 json = 0, proxy_check = 0, i, k, n = 0, nd = 0;
	int			 pw_stdin = 0;
	int			 running, left, ret = 1, first;
	int64_t			 now, deadline;

	paths_init();
	signal(SIGPIPE, SIG_IGN);
	/* Before any file or socket: nothing here parses network data as
	   root. */
	if (unpriv_drop(TC_ACCOUNT, TC_FALLBACK, &cause) == -1) {
		fprintf(stderr, "testconn: cannot drop root: %s\n", cause);
		free(cause);
		return (1);
	}
	for (first = 1; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "--json") == 0)
			json = 1;
		else if (strcmp(argv[first], "--proxy-check") == 0)
			proxy_check = 1;
		else if (strcmp(argv[first], "--progress") == 0)
			progress = 1;
		else if (strcmp(argv[first], "--proxy-password-stdin") == 0)
			pw_stdin = 1;
		else if (strcmp(argv[first], "--") == 0) {
			first++;
			break;
		} else {
			tc_usage();
			return (1);
		}
	}
	config_defaults(&cfg);
	if (paths_get(path, sizeof path, PATH_CONFIG) == 0 &&
	    config_load(&cfg, path) == -1)
		fprintf(stderr, "testconn: %s\n", cfg.warning);

	/* Every target is validated before anything leaves the machine. */
	if (argc - first == 2 && strstr(argv[first], "://") == NULL &&
	    strspn(argv[first + 1], "0123456789") ==
	    strlen(argv[first + 1]) && argv[first + 1][0] != '\0') {
		ts = xcalloc(1, sizeof *ts);
		if (conn_target_parse(argv[first], argv[first + 1], ts,
		    &cause) == -1)
			goto usage;
		n = 1;
	} else if (argc - first > 0) {
		if (argc - first > CONN_TARGETS_MAX) {
			xasprintf(&cause, "at most %d targets at once",
			    CONN_TARGETS_MAX);
			goto usage;
		}
		ts = xcalloc((size_t)(argc - first), sizeof *ts);
		for (i = first; i < argc; i++) {
			if (conn_target_parse(argv[i], NULL, &ts[n],
			    &cause) == -1)
				goto usage;
			n++;
		}
	} else if ((n = conn_targets_from_config(&cfg.conn, NULL, &ts,
	    &cause)) == -1)
		goto usage;
	if (n == 0) {
		cause = xstrdup("no targets given and none in console.conf's "
		    "[connectivity] section");
		goto usage;
	}
	if (proxy_load(&px, &cause) == -1) {
		fprintf(stderr, "testconn: %s\n", cause);
		free(cause);
		cause = NULL;
		ret = 2;
		goto out;
	}
	if (pw_stdin && tc_read_password(&cause) == -1)
		goto usage;
	if (proxy_check && !px.set) {
		fprintf(stderr, "testconn: no proxy is configured\n");
		ret = 2;
		goto out;
	}
	if (px.set)
		proxy_describe(&px, pxname, sizeof pxname);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (tc_ex_idx =
	    SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL)) == -1) {
		fprintf(stderr, "testconn: cannot start libcurl\n");
		goto out;
	}
	/*
	 * The trust anchors, loaded once: ca_file, or the system's hashed
	 * certificate directory, whose certificates are read only when a
	 * chain names them (the whole bundle per connection would cost
	 * megabytes at twenty connections).
	 */
	if ((tc_store = X509_STORE_new()) == NULL) {
		fprintf(stderr, "testconn: out of memory\n");
		goto out;
	}
	if (cfg.conn.ca_file != NULL) {
		if (paths_get(path, sizeof path, cfg.conn.ca_file) == -1 ||
		    X509_STORE_load_file(tc_store, path) != 1)
			fprintf(stderr, "testconn: cannot load the CA file %s; "
			    "no certificate will be trusted\n",
			    cfg.conn.ca_file);
	} else if (X509_STORE_load_path(tc_store,
	    X509_get_default_cert_dir()) != 1)
		fprintf(stderr, "testconn: cannot read %s\n",
		    X509_get_default_cert_dir());
	jobs = xcalloc((size_t)n, sizeof *jobs);
	ntotal = n;
	memset(&sys, 0, sizeof sys);
	tc_system(&sys);
	tc_read_resolv();

	/* One DNS lookup per distinct name: the proxy's, or the targets'. */
	ds = xcalloc((size_t)n, sizeof *ds);
	for (i = 0; i < n; i++) {
		struct tc_job	*j = &jobs[i];
		const char	*name;
		unsigned char	 buf[16];

		j->t = ts[i];
		j->o = sys;
		j->o.dns_ms = j->o.tcp_ms = j->o.proxy_ms = j->o.tls_ms =
		    j->o.http_ms = -1;
		j->o.issuer_expected = -1;
		j->o.proxy_used = px.set && !proxy_bypassed(&px, j->t.host);
		if (j->o.proxy_used)
			xsnprintf(j->o.proxy, sizeof j->o.proxy, "%s", pxname);
		j->o.tls_used = j->t.https;
		j->o.http_used = !j->t.tcp_only;
		name = j->o.proxy_used ? px.host : j->t.host;
		xsnprintf(j->o.tcp_peer, sizeof j->o.tcp_peer, "%s%s%s:%d",
		    strchr(name, ':') ? "[" : "", name,
		    strchr(name, ':') ? "]" : "", j->o.proxy_used ? px.port :
		    j->t.port);
		if (inet_pton(AF_INET, name, buf) == 1 ||
		    inet_pton(AF_INET6, name, buf) == 1) {
			j->o.dns = CONN_DNS_LITERAL;
			xsnprintf(j->o.address, sizeof j->o.address, "%s",
			    name);
			continue;
		}
		for (k = 0; k < nd; k++) {
			if (strcasecmp(ds[k].name, name) == 0)
				break;
		}
		if (k == nd)
			xsnprintf(ds[nd++].name, sizeof ds[0].name, "%s", name);
		j->dns = &ds[k];
	}
	if (!sys.no_route && sys.carrier != 0 && sys.gateway_ok != 0) {
		if (nns > 0)
			tc_dns_run(ds, nd);
		for (i = 0; i < n; i++) {
			struct tc_job	*j = &jobs[i];
			struct tc_dns	*d = j->dns;

			if (d == NULL)
				continue;
			j->o.dns = nns == 0 ? CONN_DNS_NOSERVER : d->state;
			j->o.dns_ms = d->ms;
			xsnprintf(j->o.dns_name, sizeof j->o.dns_name, "%s",
			    d->name);
			xsnprintf(j->o.dns_server, sizeof j->o.dns_server, "%s",
			    d->server);
			xsnprintf(j->o.address, sizeof j->o.address, "%s",
			    prefer6 && d->addr6[0] ? d->addr6 : d->addr4[0] ?
			    d->addr4 : d->addr6);
		}

		/* Every target that resolved, at once. */
		if ((multi = curl_multi_init()) == NULL) {
			fprintf(stderr, "testconn: cannot start libcurl\n");
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (jobs[i].o.dns == CONN_DNS_OK ||
			    jobs[i].o.dns == CONN_DNS_LITERAL)
				tc_start(multi, &jobs[i]);
			else
				tc_progress(&jobs[i]);
		}
		deadline = tc_now() + cfg.conn.total_timeout_ms + 1000;
		for (;;) {
			curl_multi_perform(multi, &running);
			while ((msg = curl_multi_info_read(multi, &left)) !=
			    NULL) {
				struct tc_job	*j = NULL;

				if (msg->msg != CURLMSG_DONE)
					continue;
				curl_easy_getinfo(msg->easy_handle,
				    CURLINFO_PRIVATE, (char **)&j);
				if (j == NULL || !j->running)
					continue;
				tc_finish(j, msg->data.result);
				curl_multi_remove_handle(multi, j->easy);
				j->running = 0;
				tc_progress(j);
			}
			now = tc_now();
			for (i = 0, running = 0; i < n; i++) {
				tc_phase_timeouts(multi, &jobs[i], now);
				running += jobs[i].running;
			}
			if (running == 0 || now > deadline)
				break;
			curl_multi_poll(multi, NULL, 0, TC_TICK_MS, NULL);
		}
	}

	memset(&rep, 0, sizeof rep);
	rep.results = xcalloc((size_t)n, sizeof *rep.results);
	rep.n = n;
	rep.proxy = px.set ? pxname : NULL;
	for (i = 0; i < n; i++) {
		struct conn_result	*r = &rep.results[i];

		conn_diagnose(&jobs[i].o, &cfg.conn, r);
		xsnprintf(r->target, sizeof r->target, "%s", jobs[i].t.spec);
		xsnprintf(r->group, sizeof r->group, "%s", jobs[i].t.group);
		if (r->verdict == CONN_PASSED)
			rep.passed++;
		else if (r->verdict == CONN_CANNOT)
			rep.cannot++;
		else
			rep.failed++;
	}
	out = json ? conn_report_json(&rep) : conn_report_text(&rep);
	printf("%s\n", out);
	free(out);
	free(rep.results);
	ret = rep.passed == n ? 0 : 2;
	goto out;

usage:
	fprintf(stderr, "testconn: %s\n", cause);
	tc_usage();
	ret = 1;
out:
	free(cause);
	for (i = 0; jobs != NULL && i < n; i++) {
		if (jobs[i].easy != NULL) {
			if (jobs[i].running)
				curl_multi_remove_handle(multi, jobs[i].easy);
			curl_easy_cleanup(jobs[i].easy);
		}
		curl_slist_free_all(jobs[i].resolve);
	}
	if (multi != NULL)
		curl_multi_cleanup(multi);
	free(jobs);
	free(ds);
	free(ts);
	X509_STORE_free(tc_store);
	proxy_clear(&px);
	config_free(&cfg);
	return (ret);
}
