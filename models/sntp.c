/* SPDX-License-Identifier: ISC */
/*
 * The SNTP client (see sntp.h). One thread per server resolves its name
 * and asks once over a connected UDP socket, so the slowest server sets
 * the wall time of the whole query, not the sum. Our transmit timestamp
 * is random (a nonce the server must echo, RFC 9109); the local times T1
 * and T4 are kept here. All timestamp arithmetic is on 32.32 fixed point
 * with modular differences, which is what makes the 2036 rollover a
 * non-event.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sntp.h"
#include "xmalloc.h"

#define SNTP_NS		1000000000LL

struct sntp_job {
	const char		*server;
	int			 timeout_ms;
	struct sntp_result	*res;
};

static int64_t	 sntp_now_ns(clockid_t);
static uint64_t	 sntp_get64(const uint8_t *);
static void	 sntp_put64(uint8_t *, uint64_t);
static void	 sntp_ask(const char *, int, struct sntp_result *);
static void	*sntp_thread(void *);

static const char *const sntp_status_names[] = {
	[SNTP_OK] = "ok",
	[SNTP_DNS] = "dns-failure",
	[SNTP_TIMEOUT] = "timeout",
	[SNTP_NETWORK] = "unreachable",
	[SNTP_BAD_REPLY] = "bad-reply",
	[SNTP_KOD] = "refused",
	[SNTP_UNSYNCED] = "unsynchronised",
};

const char *
sntp_status_name(enum sntp_status s)
{
	if ((size_t)s >= sizeof sntp_status_names /
	    sizeof sntp_status_names[0])
		return ("unknown");
	return (sntp_status_names[s]);
}

uint64_t
sntp_from_unix(int64_t sec, long nsec)
{
	uint64_t	 s, f;

	/* Modulo 2^32: the era is implied, as on the wire. */
	s = (uint64_t)(sec + SNTP_UNIX_OFFSET) & 0xffffffffULL;
	f = ((uint64_t)nsec << 32) / (uint64_t)SNTP_NS;
	return (s << 32 | f);
}

int64_t
sntp_diff_ns(uint64_t a, uint64_t b)
{
	int64_t		 d = (int64_t)(a - b);
	int64_t		 sec;
	uint64_t	 frac;

	/* Arithmetic shift keeps the sign; the fraction is always >= 0. */
	sec = d >> 32;
	frac = (uint64_t)d & 0xffffffffULL;
	return (sec * SNTP_NS + (int64_t)((frac * (uint64_t)SNTP_NS) >> 32));
}

int64_t
sntp_to_unix_ns(uint64_t ts, int64_t pivot_ns)
{
	int64_t		 psec;
	long		 pnsec;

	psec = pivot_ns / SNTP_NS;
	pnsec = (long)(pivot_ns % SNTP_NS);
	if (pnsec < 0) {
		psec--;
		pnsec += SNTP_NS;
	}
	return (pivot_ns + sntp_diff_ns(ts, sntp_from_unix(psec, pnsec)));
}

void
sntp_offset_delay(uint64_t t1, uint64_t t2, uint64_t t3, uint64_t t4,
    int64_t *offset, int64_t *delay)
{
	int64_t	 a = sntp_diff_ns(t2, t1), b = sntp_diff_ns(t3, t4);

	*offset = a / 2 + b / 2;
	*delay = sntp_diff_ns(t4, t1) - sntp_diff_ns(t3, t2);
}

static uint64_t
sntp_get64(const uint8_t *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (v);
}

static void
sntp_put64(uint8_t *p, uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

void
sntp_build_request(uint8_t *buf, uint64_t xmit)
{
	memset(buf, 0, SNTP_PACKET_LEN);
	buf[0] = (0 << 6) | (4 << 3) | 3;	/* LI 0, VN 4, client */
	sntp_put64(buf + 40, xmit);
}

enum sntp_status
sntp_parse_reply(const uint8_t *buf, size_t len, uint64_t xmit,
    struct sntp_reply *r, char **cause)
{
	enum sntp_status	 s = SNTP_BAD_REPLY;
	char			 code[5];
	int			 i;

	if (cause != NULL)
		*cause = NULL;
	memset(r, 0, sizeof *r);
	if (len < SNTP_PACKET_LEN) {
		if (cause != NULL)
			xasprintf(cause, "the answer is %zu bytes, shorter "
			    "than an NTP packet", len);
		return (s);
	}
	r->leap = buf[0] >> 6;
	r->version = (buf[0] >> 3) & 7;
	r->mode = buf[0] & 7;
	r->stratum = buf[1];
	r->refid = (uint32_t)buf[12] << 24 | (uint32_t)buf[13] << 16 |
	    (uint32_t)buf[14] << 8 | buf[15];
	r->orig = sntp_get64(buf + 24);
	r->recv = sntp_get64(buf + 32);
	r->xmit = sntp_get64(buf + 40);

	if (r->mode != 4 || r->version < 1 || r->version > 4) {
		if (cause != NULL)
			xasprintf(cause, "the answer is not from an NTP "
			    "server (mode %d, version %d)", r->mode,
			    r->version);
		return (s);
	}
	if (r->orig != xmit) {
		if (cause != NULL)
			xasprintf(cause, "the answer does not echo our "
			    "request");
		return (s);
	}
	if (r->stratum == 0) {
		for (i = 0; i < 4; i++) {
			code[i] = (char)buf[12 + i];
			if (code[i] < 'A' || code[i] > 'Z')
				code[i] = '?';
		}
		code[4] = '\0';
		if (cause != NULL)
			xasprintf(cause, "the server refused the request "
			    "(kiss code %s)", code);
		return (SNTP_KOD);
	}
	if (r->leap == 3 || r->stratum > 15) {
		if (cause != NULL)
			xasprintf(cause, "the server is not synchronised "
			    "itself (stratum %d)", r->stratum);
		return (SNTP_UNSYNCED);
	}
	if (r->xmit == 0 || r->recv == 0) {
		if (cause != NULL)
			xasprintf(cause, "the answer carries no time");
		return (s);
	}
	return (SNTP_OK);
}

static int64_t
sntp_now_ns(clockid_t clk)
{
	struct timespec	 ts;

	clock_gettime(clk, &ts);
	return ((int64_t)ts.tv_sec * SNTP_NS + ts.tv_nsec);
}

/* One server, start to end; fills res. */
static void
sntp_ask(const char *server, int timeout_ms, struct sntp_result *res)
{
	struct addrinfo		 hints, *ai = NULL;
	struct sntp_reply	 r;
	struct pollfd		 pfd;
	struct timespec		 ts;
	uint8_t			 req[SNTP_PACKET_LEN], buf[512];
	uint64_t		 nonce, t1, t4;
	int64_t			 start, deadline, left;
	ssize_t			 n;
	char			*cause = NULL, host[64];
	int			 fd = -1, e;

	start = sntp_now_ns(CLOCK_MONOTONIC);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	hints.ai_flags = AI_NUMERICSERV;
	e = getaddrinfo(server, SNTP_PORT, &hints, &ai);
	if (e != 0) {
		res->status = SNTP_DNS;
		snprintf(res->message, sizeof res->message, "DNS: %.100s does "
		    "not resolve (%s)", server,
		    e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e));
		goto out;
	}
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL,
	    0, NI_NUMERICHOST) == 0)
		snprintf(res->addr, sizeof res->addr, "%s", host);

	/* The deadline starts once the name is known: DNS has its own. */
	deadline = sntp_now_ns(CLOCK_MONOTONIC) +
	    (int64_t)timeout_ms * 1000000;
	res->status = SNTP_NETWORK;
	if ((fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC,
	    IPPROTO_UDP)) == -1 ||
	    connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		snprintf(res->message, sizeof res->message, "cannot reach "
		    "%s: %s", res->addr, strerror(errno));
		goto out;
	}
	if (getrandom(&nonce, sizeof nonce, 0) != sizeof nonce) {
		snprintf(res->message, sizeof res->message, "no random "
		    "bytes for the request");
		goto out;
	}
	sntp_build_request(req, nonce);
	clock_gettime(CLOCK_REALTIME, &ts);
	t1 = sntp_from_unix(ts.tv_sec, ts.tv_nsec);
	if (send(fd, req, sizeof req, 0) != (ssize_t)sizeof req) {
		snprintf(res->message, sizeof res->message, "cannot send to "
		    "%s: %s", res->addr, strerror(errno));
		goto out;
	}
	for (;;) {
		left = (deadline - sntp_now_ns(CLOCK_MONOTONIC)) / 1000000;
		if (left <= 0) {
			res->status = SNTP_TIMEOUT;
			snprintf(res->message, sizeof res->message, "no answer "
			    "from %s within %d ms", res->addr, timeout_ms);
			goto out;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(res->message, sizeof res->message, "poll: %s",
			    strerror(errno));
			goto out;
		}
		if (!(pfd.revents & (POLLIN | POLLERR)))
			continue;
		n = recv(fd, buf, sizeof buf, 0);
		clock_gettime(CLOCK_REALTIME, &ts);
		t4 = sntp_from_unix(ts.tv_sec, ts.tv_nsec);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(res->message, sizeof res->message, "%s is "
			    "unreachable: %s", res->addr, strerror(errno));
			goto out;
		}
		res->status = sntp_parse_reply(buf, (size_t)n, nonce, &r,
		    &cause);
		if (res->status == SNTP_BAD_REPLY) {
			/* A stray datagram: keep waiting for ours. */
			free(cause);
			cause = NULL;
			continue;
		}
		break;
	}
	res->stratum = r.stratum;
	if (res->status != SNTP_OK) {
		snprintf(res->message, sizeof res->message, "%s", cause);
		goto out;
	}
	/*
	 * Our T1 went out as a nonce, so the server's echo is not T1: use
	 * the T1 we kept, with the server's own T2 and T3.
	 */
	sntp_offset_delay(t1, r.recv, r.xmit, t4, &res->offset_ns,
	    &res->delay_ns);
	/* More time spent at the server than the round trip took: a lie. */
	if (res->delay_ns < 0) {
		res->status = SNTP_BAD_REPLY;
		snprintf(res->message, sizeof res->message, "%s claims a "
		    "negative round-trip delay (%.3f ms): the answer is "
		    "false", res->addr, (double)res->delay_ns / 1e6);
	}
out:
	res->elapsed_ns = sntp_now_ns(CLOCK_MONOTONIC) - start;
	free(cause);
	if (fd != -1)
		close(fd);
	if (ai != NULL)
		freeaddrinfo(ai);
}

static void *
sntp_thread(void *arg)
{
	struct sntp_job	*job = arg;

	sntp_ask(job->server, job->timeout_ms, job->res);
	return (NULL);
}

void
sntp_query_all(const char *const *servers, int n, int timeout_ms,
    struct sntp_result *results)
{
	struct sntp_job	 jobs[SNTP_SERVERS_MAX];
	pthread_t	 tids[SNTP_SERVERS_MAX];
	int		 started[SNTP_SERVERS_MAX], i;

	if (n > SNTP_SERVERS_MAX)
		n = SNTP_SERVERS_MAX;
	for (i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof results[i]);
		snprintf(results[i].server, sizeof results[i].server, "%s",
		    servers[i]);
		jobs[i].server = servers[i];
		jobs[i].timeout_ms = timeout_ms;
		jobs[i].res = &results[i];
		/* Without a thread, ask in line: slower, still correct. */
		started[i] = pthread_create(&tids[i], NULL, sntp_thread,
		    &jobs[i]) == 0;
		if (!started[i])
			sntp_ask(servers[i], timeout_ms, &results[i]);
	}
	for (i = 0; i < n; i++) {
		if (started[i])
			pthread_join(tids[i], NULL);
	}
}

int
sntp_result_check(const struct sntp_result *r, const char *server,
    char **cause)
{
	const int64_t	 day = 86400 * SNTP_NS;
	const char	*why = NULL;

	if (memchr(r->server, '\0', sizeof r->server) == NULL ||
	    memchr(r->addr, '\0', sizeof r->addr) == NULL ||
	    memchr(r->message, '\0', sizeof r->message) == NULL)
		why = "a string is not terminated";
	else if (strcmp(r->server, server) != 0)
		why = "it names another server";
	else if ((unsigned)r->status > SNTP_UNSYNCED)
		why = "its status is unknown";
	else if (r->elapsed_ns < 0 || r->elapsed_ns > day)
		why = "its elapsed time is out of range";
	else if (r->status == SNTP_OK && (r->stratum < 1 || r->stratum > 15 ||
	    r->delay_ns < 0 || r->delay_ns > day ||
	    r->offset_ns < -100 * 366 * day || r->offset_ns > 100 * 366 * day))
		why = "its stratum, delay or offset is out of range";
	if (why == NULL)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "the measurement of %.100s is refused: "
		    "%s", memchr(r->server, '\0', sizeof r->server) != NULL ?
		    r->server : "?", why);
	return (-1);
}
