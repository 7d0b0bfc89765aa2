/* SPDX-License-Identifier: ISC */
/*
 * testconn: the connectivity engine. For every target, concurrently, the
 * layers in order: the default route's link has carrier, the gateway
 * answers, DNS resolves (c-ares, one channel per name server, so we know
 * which server answered and when), TCP connects, the proxy opens a
 * tunnel, TLS verifies (and the issuer chain is compared with the
 * expected CA names: a stranger is TLS inspection), HTTP answers. Each phase has its own timeout from
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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ares.h>
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
#define TC_BODY_MAX	(256 * 1024)
#define TC_TICK_MS	10
/* Started by root, we become this account (the package creates it), or
   nobody where it does not exist. */
#define TC_ACCOUNT	"_testconn"
#define TC_FALLBACK	"nobody"

struct tc_dns {
	char		 name[256];
	int		 done;		/* decided, or out of time */
	enum conn_dns	 state;
	char		 server[CONN_ADDR_STRLEN];
	long		 ms;
	char		 addr4[CONN_ADDR_STRLEN];
	char		 addr6[CONN_ADDR_STRLEN];
	int		 answered[2];	/* A, AAAA: rcode + 1 when answered */
};

/* One c-ares query: which name, which server, A (0) or AAAA (1). */
struct tc_query {
	struct tc_dns	*d;
	int		 s, k;
};

/* The options that are not globals. */
struct tc_opts {
	int	 json, proxy_check, pw_stdin;
	int	 first;		/* argv index of the first target */
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
	int			 handed;	/* its DNS answer taken */
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
static char			 pxname[300];	/* "http host:port" */
static CURLM			*tc_multi;
static ares_channel		 chans[TC_MAX_NS];	/* one per server */
static int			 nchans, cares_up;
static struct tc_query		*queries;
static int64_t			 dns_t0, dns_end;

static int64_t	 tc_now(void);
static void	 tc_usage(void);
static void	 tc_system(struct conn_obs *);
static int	 tc_gateway(const char *, int, int, int);
static unsigned	 tc_neigh_state(const char *, int, int *);
static void	 tc_read_resolv(void);
static int	 tc_dns_channels(void);
static void	 tc_dns_start(struct tc_dns *, int);
static int	 tc_dns_rcode(int);
static void	 tc_dns_address(int, unsigned char *, int, char *);
static void	 tc_dns_answer(void *, int, int, unsigned char *, int);
static void	 tc_dns_verdict(struct tc_dns *);
static int	 tc_dns_waitfds(struct curl_waitfd *, int *, int);
static void	 tc_dns_process(const struct curl_waitfd *, const int *, int);
static void	 tc_dns_free(void);
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
static int	 tc_options(int, char **, struct tc_opts *);
static int	 tc_targets(int, char **, int, struct conn_target **,
		    char **);
static int	 tc_proxy_setup(const struct tc_opts *, char **);
static int	 tc_tls_init(void);
static void	 tc_job_init(struct tc_job *, const struct conn_target *,
		    const struct conn_obs *, struct tc_dns *, int *);
static int	 tc_hand_over(struct tc_job *, int, int64_t);
static void	 tc_collect(void);
static int	 tc_run(struct tc_job *, int, struct tc_dns *, int);
static int	 tc_report(struct tc_job *, int, int);
static void	 tc_cleanup(struct tc_job *, int);

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

/* The name servers of /etc/resolv.conf, as the system resolver sees them
   (c-ares would fall back to 127.0.0.1 where there is none: we say so). */
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

/*
 * One c-ares channel per name server, so that an answer says which server
 * gave it: one try, the DNS timeout, and the answer handed back whatever
 * its rcode (NOCHECKRESP: a SERVFAIL or REFUSED is not retried, it is
 * what we report). 0, or -1 when c-ares cannot start.
 */
static int
tc_dns_channels(void)
{
	struct ares_options	 opt;
	struct ares_addr_node	 srv;
	int			 s;

	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
		return (-1);
	cares_up = 1;
	memset(&opt, 0, sizeof opt);
	opt.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH;
	opt.timeout = cfg.conn.dns_timeout_ms;
	opt.tries = 1;
	for (s = 0; s < nns; s++) {
		memset(&srv, 0, sizeof srv);
		srv.family = strchr(ns[s], ':') != NULL ? AF_INET6 : AF_INET;
		inet_pton(srv.family, ns[s], &srv.addr);
		if (ares_init_options(&chans[s], &opt, ARES_OPT_FLAGS |
		    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS)
			return (-1);
		nchans++;
		if (ares_set_servers(chans[s], &srv) != ARES_SUCCESS)
			return (-1);
	}
	return (0);
}

/* An A and an AAAA query for every name to every server, at once. */
static void
tc_dns_start(struct tc_dns *ds, int nd)
{
	struct tc_query	*q;
	int		 i, s, k;

	dns_t0 = tc_now();
	dns_end = dns_t0 + cfg.conn.dns_timeout_ms;
	queries = xcalloc((size_t)(nd * nns * 2) + 1, sizeof *queries);
	for (i = 0, q = queries; i < nd; i++) {
		for (s = 0; s < nns; s++) {
			for (k = 0; k < 2; k++, q++) {
				q->d = &ds[i];
				q->s = s;
				q->k = k;
				ares_query(chans[s], ds[i].name, ns_c_in, k == 0 ?
				    ns_t_a : ns_t_aaaa, tc_dns_answer, q);
			}
		}
	}
}

/* The rcode an answer carried, as c-ares tells it; -1: no answer. */
static int
tc_dns_rcode(int status)
{
	switch (status) {
	case ARES_SUCCESS:
	case ARES_ENODATA:
		return (ns_r_noerror);
	case ARES_ENOTFOUND:
		return (ns_r_nxdomain);
	case ARES_EREFUSED:
		return (ns_r_refused);
	case ARES_ESERVFAIL:
	case ARES_EFORMERR:
	case ARES_ENOTIMP:
	case ARES_EBADRESP:
		return (ns_r_servfail);
	default:
		return (-1);	/* timeout, ICMP refusal, cancelled */
	}
}

/* The first address of an answer (c-ares parses it) into dst. */
static void
tc_dns_address(int k, unsigned char *abuf, int alen, char *dst)
{
	struct ares_addrttl	 a4;
	struct ares_addr6ttl	 a6;
	int			 n = 1;

	if (dst[0] != '\0')
		return;
	if (k == 0 && ares_parse_a_reply(abuf, alen, NULL, &a4, &n) ==
	    ARES_SUCCESS && n == 1)
		inet_ntop(AF_INET, &a4.ipaddr, dst, CONN_ADDR_STRLEN);
	else if (k == 1 && ares_parse_aaaa_reply(abuf, alen, NULL, &a6, &n) ==
	    ARES_SUCCESS && n == 1)
		inet_ntop(AF_INET6, &a6.ip6addr, dst, CONN_ADDR_STRLEN);
}

/* One answer (or its absence): its rcode and address; decides the name
   when it can. */
static void
tc_dns_answer(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct tc_query	*q = arg;
	struct tc_dns	*d = q->d;
	int		 rcode;

	(void)timeouts;
	if (d->done || (rcode = tc_dns_rcode(status)) == -1)
		return;
	if (d->answered[q->k] == 0 || rcode == ns_r_noerror)
		d->answered[q->k] = rcode + 1;
	if (status == ARES_SUCCESS)
		tc_dns_address(q->k, abuf, alen, q->k == 0 ? d->addr4 :
		    d->addr6);
	if (d->server[0] == '\0' || rcode == ns_r_noerror)
		xsnprintf(d->server, sizeof d->server, "%s", ns[q->s]);
	d->ms = (long)(tc_now() - dns_t0);
	/* Decided: an address of the family we prefer, or both answered. */
	if ((prefer6 ? d->addr6 : d->addr4)[0] != '\0' ||
	    (d->answered[0] && d->answered[1]) || rcode == ns_r_nxdomain)
		d->done = 1;
}

/* The name's verdict once decided or out of time. */
static void
tc_dns_verdict(struct tc_dns *d)
{
	size_t	 l;
	int	 r, s;

	d->done = 1;
	if (d->addr4[0] != '\0' || d->addr6[0] != '\0') {
		d->state = CONN_DNS_OK;
		return;
	}
	r = d->answered[0] ? d->answered[0] - 1 : d->answered[1] ?
	    d->answered[1] - 1 : -1;
	if (d->answered[0] - 1 == ns_r_nxdomain ||
	    d->answered[1] - 1 == ns_r_nxdomain)
		d->state = CONN_DNS_NXDOMAIN;
	else if (r == ns_r_noerror)
		d->state = CONN_DNS_NODATA;
	else if (r == ns_r_refused)
		d->state = CONN_DNS_REFUSED;
	else if (r != -1)
		d->state = CONN_DNS_SERVFAIL;
	else {
		d->state = CONN_DNS_TIMEOUT;
		d->server[0] = '\0';
		for (s = 0; s < nns; s++) {
			l = strlen(d->server);
			snprintf(d->server + l, sizeof d->server - l, "%s%s",
			    s ? "," : "", ns[s]);
		}
	}
}

/* The sockets c-ares waits on, for libcurl's poll; their channels in
   owner[]. */
static int
tc_dns_waitfds(struct curl_waitfd *w, int *owner, int max)
{
	ares_socket_t	 socks[ARES_GETSOCK_MAXNUM];
	int		 s, i, bits, n = 0;

	for (s = 0; s < nchans; s++) {
		bits = ares_getsock(chans[s], socks, ARES_GETSOCK_MAXNUM);
		for (i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
			if (!ARES_GETSOCK_READABLE(bits, i) &&
			    !ARES_GETSOCK_WRITABLE(bits, i))
				continue;
			w[n].fd = socks[i];
			w[n].events = (ARES_GETSOCK_READABLE(bits, i) ?
			    CURL_WAIT_POLLIN : 0) | (ARES_GETSOCK_WRITABLE(bits,
			    i) ? CURL_WAIT_POLLOUT : 0);
			w[n].revents = 0;
			owner[n++] = s;
		}
	}
	return (n);
}

/* What poll saw on c-ares' sockets, then its timeouts, channel by
   channel. */
static void
tc_dns_process(const struct curl_waitfd *w, const int *owner, int n)
{
	int	 i, s;

	for (i = 0; i < n; i++) {
		if (w[i].revents == 0)
			continue;
		ares_process_fd(chans[owner[i]], w[i].revents &
		    (CURL_WAIT_POLLIN | CURL_WAIT_POLLPRI) ? w[i].fd :
		    ARES_SOCKET_BAD, w[i].revents & CURL_WAIT_POLLOUT ?
		    w[i].fd : ARES_SOCKET_BAD);
	}
	for (s = 0; s < nchans; s++)
		ares_process_fd(chans[s], ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

static void
tc_dns_free(void)
{
	int	 s;

	for (s = 0; s < nchans; s++)
		ares_destroy(chans[s]);
	nchans = 0;
	free(queries);
	queries = NULL;
	if (cares_up)
		ares_library_cleanup();
	cares_up = 0;
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
	/* Where our DNS lookup said the name is. */
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

/* The options; the index of the first target in *first. -1: usage. */
static int
tc_options(int argc, char **argv, struct tc_opts *op)
{
	int	 i;

	memset(op, 0, sizeof *op);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--json") == 0)
			op->json = 1;
		else if (strcmp(argv[i], "--proxy-check") == 0)
			op->proxy_check = 1;
		else if (strcmp(argv[i], "--progress") == 0)
			progress = 1;
		else if (strcmp(argv[i], "--proxy-password-stdin") == 0)
			op->pw_stdin = 1;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			return (-1);
	}
	op->first = i;
	return (0);
}

/*
 * The targets: HOST PORT, or each argument, or console.conf's. Every one
 * is validated before anything leaves the machine. Their count, or -1
 * with *cause.
 */
static int
tc_targets(int argc, char **argv, int first, struct conn_target **ts,
    char **cause)
{
	int	 i, n = 0, nargs = argc - first;

	*ts = NULL;
	if (nargs == 2 && strstr(argv[first], "://") == NULL &&
	    argv[first + 1][0] != '\0' && strspn(argv[first + 1],
	    "0123456789") == strlen(argv[first + 1])) {
		*ts = xcalloc(1, sizeof **ts);
		return (conn_target_parse(argv[first], argv[first + 1], *ts,
		    cause) == -1 ? -1 : 1);
	}
	if (nargs > CONN_TARGETS_MAX) {
		xasprintf(cause, "at most %d targets at once",
		    CONN_TARGETS_MAX);
		return (-1);
	}
	if (nargs > 0) {
		*ts = xcalloc((size_t)nargs, sizeof **ts);
		for (i = first; i < argc; i++, n++) {
			if (conn_target_parse(argv[i], NULL, &(*ts)[n],
			    cause) == -1)
				return (-1);
		}
	} else if ((n = conn_targets_from_config(&cfg.conn, NULL, ts,
	    cause)) == -1)
		return (-1);
	if (n == 0) {
		*cause = xstrdup("no targets given and none in console.conf's "
		    "[connectivity] section");
		return (-1);
	}
	return (n);
}

/* The proxy, and its password from stdin. 0; 1 a usage error (*cause);
   2 the test cannot run (said on stderr). */
static int
tc_proxy_setup(const struct tc_opts *op, char **cause)
{
	if (proxy_load(&px, cause) == -1) {
		fprintf(stderr, "testconn: %s\n", *cause);
		free(*cause);
		*cause = NULL;
		return (2);
	}
	if (op->pw_stdin && tc_read_password(cause) == -1)
		return (1);
	if (op->proxy_check && !px.set) {
		fprintf(stderr, "testconn: no proxy is configured\n");
		return (2);
	}
	if (px.set)
		proxy_describe(&px, pxname, sizeof pxname);
	return (0);
}

/*
 * libcurl, and the trust anchors loaded once: ca_file, or the system's
 * hashed certificate directory, whose certificates are read only when a
 * chain names them (the whole bundle per connection would cost megabytes
 * at twenty connections). -1 when nothing can be tested.
 */
static int
tc_tls_init(void)
{
	char	 path[PATH_MAX];

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (tc_ex_idx =
	    SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL)) == -1) {
		fprintf(stderr, "testconn: cannot start libcurl\n");
		return (-1);
	}
	if ((tc_store = X509_STORE_new()) == NULL) {
		fprintf(stderr, "testconn: out of memory\n");
		return (-1);
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
	return (0);
}

/* One job per target: what it uses (proxy, TLS, HTTP), whom TCP goes to,
   and its DNS lookup, one per distinct name (the proxy's, or its own). */
static void
tc_job_init(struct tc_job *j, const struct conn_target *t,
    const struct conn_obs *sys, struct tc_dns *ds, int *nd)
{
	const char	*name;
	unsigned char	 buf[16];
	int		 k, v6;

	j->t = *t;
	j->o = *sys;
	j->fd = -1;
	j->o.dns_ms = j->o.tcp_ms = j->o.proxy_ms = j->o.tls_ms =
	    j->o.http_ms = -1;
	j->o.issuer_expected = -1;
	j->o.proxy_used = px.set && !proxy_bypassed(&px, j->t.host);
	if (j->o.proxy_used)
		xsnprintf(j->o.proxy, sizeof j->o.proxy, "%s", pxname);
	j->o.tls_used = j->t.https;
	j->o.http_used = !j->t.tcp_only;
	name = j->o.proxy_used ? px.host : j->t.host;
	v6 = strchr(name, ':') != NULL;
	xsnprintf(j->o.tcp_peer, sizeof j->o.tcp_peer, "%s%s%s:%d",
	    v6 ? "[" : "", name, v6 ? "]" : "", j->o.proxy_used ? px.port :
	    j->t.port);
	if (inet_pton(AF_INET, name, buf) == 1 ||
	    inet_pton(AF_INET6, name, buf) == 1) {
		j->o.dns = CONN_DNS_LITERAL;
		xsnprintf(j->o.address, sizeof j->o.address, "%s", name);
		return;
	}
	for (k = 0; k < *nd; k++) {
		if (strcasecmp(ds[k].name, name) == 0)
			break;
	}
	if (k == *nd)
		xsnprintf(ds[(*nd)++].name, sizeof ds[0].name, "%s", name);
	j->dns = &ds[k];
}

/*
 * Jobs whose name is decided (or out of DNS time) take its answer and
 * start (or, when DNS failed, are finished). The count still waiting on
 * DNS.
 */
static int
tc_hand_over(struct tc_job *jobs, int n, int64_t now)
{
	struct tc_job	*j;
	struct tc_dns	*d;
	int		 i, waiting = 0;

	for (i = 0, j = jobs; i < n; i++, j++) {
		if (j->handed)
			continue;
		if ((d = j->dns) != NULL && nns > 0 && !d->done &&
		    now < dns_end) {
			waiting++;
			continue;
		}
		j->handed = 1;
		if (d != NULL) {
			tc_dns_verdict(d);
			j->o.dns = nns == 0 ? CONN_DNS_NOSERVER : d->state;
			j->o.dns_ms = d->ms;
			xsnprintf(j->o.dns_name, sizeof j->o.dns_name, "%s",
			    d->name);
			xsnprintf(j->o.dns_server, sizeof j->o.dns_server,
			    "%s", d->server);
			xsnprintf(j->o.address, sizeof j->o.address, "%s",
			    prefer6 && d->addr6[0] ? d->addr6 : d->addr4[0] ?
			    d->addr4 : d->addr6);
		}
		if (j->o.dns == CONN_DNS_OK || j->o.dns == CONN_DNS_LITERAL)
			tc_start(tc_multi, j);
		else
			tc_progress(j);
	}
	return (waiting);
}

/* The transfers libcurl says are done. */
static void
tc_collect(void)
{
	struct tc_job	*j;
	CURLMsg		*msg;
	int		 left;

	while ((msg = curl_multi_info_read(tc_multi, &left)) != NULL) {
		j = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&j);
		if (j == NULL || !j->running)
			continue;
		tc_finish(j, msg->data.result);
		curl_multi_remove_handle(tc_multi, j->easy);
		j->running = 0;
		tc_progress(j);
	}
}

/*
 * Every target at once, in one loop: c-ares' sockets polled with
 * libcurl's, each target handed to libcurl as soon as its name resolves,
 * each phase held to its timeout. -1 when nothing could start.
 */
static int
tc_run(struct tc_job *jobs, int n, struct tc_dns *ds, int nd)
{
	struct curl_waitfd	 w[TC_MAX_NS * ARES_GETSOCK_MAXNUM];
	int			 owner[TC_MAX_NS * ARES_GETSOCK_MAXNUM];
	int			 i, nw = 0, busy, running;
	int64_t			 now, deadline;

	if ((tc_multi = curl_multi_init()) == NULL) {
		fprintf(stderr, "testconn: cannot start libcurl\n");
		return (-1);
	}
	/* Only names need c-ares (an address alone does not). */
	if (nns > 0 && nd > 0 && tc_dns_channels() == -1) {
		fprintf(stderr, "testconn: cannot start c-ares\n");
		return (-1);
	}
	if (nns > 0 && nd > 0)
		tc_dns_start(ds, nd);
	deadline = tc_now() + cfg.conn.dns_timeout_ms +
	    cfg.conn.total_timeout_ms + 1000;
	for (;;) {
		tc_dns_process(w, owner, nw);
		busy = tc_hand_over(jobs, n, tc_now());
		curl_multi_perform(tc_multi, &running);
		tc_collect();
		now = tc_now();
		for (i = 0; i < n; i++) {
			tc_phase_timeouts(tc_multi, &jobs[i], now);
			busy += jobs[i].running;
		}
		if (busy == 0 || now > deadline)
			break;
		nw = tc_dns_waitfds(w, owner, TC_MAX_NS * ARES_GETSOCK_MAXNUM);
		curl_multi_poll(tc_multi, w, (unsigned)nw, TC_TICK_MS, NULL);
	}
	return (0);
}

/* Diagnose every job, print the report; the exit status. */
static int
tc_report(struct tc_job *jobs, int n, int json)
{
	struct conn_report	 rep;
	struct conn_result	*r;
	char			*out;
	int			 i;

	memset(&rep, 0, sizeof rep);
	rep.results = xcalloc((size_t)n, sizeof *rep.results);
	rep.n = n;
	rep.proxy = px.set ? pxname : NULL;
	for (i = 0; i < n; i++) {
		r = &rep.results[i];
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
	return (rep.passed == n ? 0 : 2);
}

static void
tc_cleanup(struct tc_job *jobs, int n)
{
	int	 i;

	for (i = 0; jobs != NULL && i < n; i++) {
		if (jobs[i].easy != NULL) {
			if (jobs[i].running)
				curl_multi_remove_handle(tc_multi,
				    jobs[i].easy);
			curl_easy_cleanup(jobs[i].easy);
		}
		curl_slist_free_all(jobs[i].resolve);
	}
	if (tc_multi != NULL)
		curl_multi_cleanup(tc_multi);
	tc_dns_free();
	X509_STORE_free(tc_store);
	proxy_clear(&px);
	config_free(&cfg);
}

int
main(int argc, char **argv)
{
	struct tc_opts		 op;
	struct conn_obs		 sys;
	struct tc_job		*jobs = NULL;
	struct tc_dns		*ds = NULL;
	struct conn_target	*ts = NULL;
	char			 path[PATH_MAX], *cause = NULL;
	int			 i, n = 0, nd = 0, ret = 1;

	paths_init();
	signal(SIGPIPE, SIG_IGN);
	/* Before any file or socket: nothing here parses network data as
	   root. */
	if (unpriv_drop(TC_ACCOUNT, TC_FALLBACK, &cause) == -1) {
		fprintf(stderr, "testconn: cannot drop root: %s\n", cause);
		free(cause);
		return (1);
	}
	if (tc_options(argc, argv, &op) == -1) {
		tc_usage();
		return (1);
	}
	config_defaults(&cfg);
	if (paths_get(path, sizeof path, PATH_CONFIG) == 0 &&
	    config_load(&cfg, path) == -1)
		fprintf(stderr, "testconn: %s\n", cfg.warning);
	if ((n = tc_targets(argc, argv, op.first, &ts, &cause)) == -1 ||
	    (ret = tc_proxy_setup(&op, &cause)) == 1)
		goto usage;
	ret = ret == 2 ? 2 : 1;
	if (ret == 2 || tc_tls_init() == -1)
		goto out;
	jobs = xcalloc((size_t)n, sizeof *jobs);
	ds = xcalloc((size_t)n, sizeof *ds);
	ntotal = n;
	memset(&sys, 0, sizeof sys);
	tc_system(&sys);
	tc_read_resolv();
	for (i = 0; i < n; i++)
		tc_job_init(&jobs[i], &ts[i], &sys, ds, &nd);
	if (!sys.no_route && sys.carrier != 0 && sys.gateway_ok != 0 &&
	    tc_run(jobs, n, ds, nd) == -1)
		goto out;
	ret = tc_report(jobs, n, op.json);
	goto out;
usage:
	fprintf(stderr, "testconn: %s\n", cause);
	tc_usage();
	ret = 1;
out:
	free(cause);
	tc_cleanup(jobs, n);
	free(jobs);
	free(ds);
	free(ts);
	return (ret);
}
