/* SPDX-License-Identifier: ISC */
/*
 * Our own SNTP client (RFC 4330 / RFC 5905 client mode): packet build and
 * parse, the offset and delay arithmetic on 64-bit NTP timestamps (which
 * survives the era rollover of 2036), and a query of several servers in
 * parallel, each with its own deadline. Pure functions are exposed for
 * the unit tests; nothing here needs privilege.
 */
#ifndef SNTP_H
#define SNTP_H

#include <stddef.h>
#include <stdint.h>

#define SNTP_PORT		"123"
#define SNTP_PACKET_LEN		48
#define SNTP_UNIX_OFFSET	2208988800LL	/* 1900-01-01 to 1970-01-01 */
#define SNTP_SERVERS_MAX	8
#define SNTP_NAME_MAX		253

enum sntp_status {
	SNTP_OK = 0,
	SNTP_DNS,		/* the name does not resolve */
	SNTP_TIMEOUT,		/* no answer before the deadline */
	SNTP_NETWORK,		/* the send or receive failed */
	SNTP_BAD_REPLY,		/* not an answer to our request */
	SNTP_KOD,		/* kiss-o'-death: the server refused us */
	SNTP_UNSYNCED		/* the server says it is not synchronised */
};

struct sntp_reply {
	int		 leap;		/* 0..3 */
	int		 version;
	int		 mode;
	int		 stratum;
	uint32_t	 refid;
	uint64_t	 orig;		/* our transmit timestamp, echoed */
	uint64_t	 recv;		/* T2 */
	uint64_t	 xmit;		/* T3 */
};

struct sntp_result {
	char			 server[SNTP_NAME_MAX + 1];
	char			 addr[64];	/* the address asked, if resolved */
	enum sntp_status	 status;
	char			 message[160];	/* one sentence when not OK */
	int			 stratum;
	int64_t			 offset_ns;	/* server minus local clock */
	int64_t			 delay_ns;	/* round trip minus server time */
	int64_t			 elapsed_ns;	/* wall time of this query */
};

/* Unix time (seconds, nanoseconds) to an NTP 32.32 timestamp. */
uint64_t	 sntp_from_unix(int64_t, long);
/*
 * An NTP timestamp to Unix nanoseconds, taking the era (136 years) that
 * puts it nearest the pivot (Unix nanoseconds, e.g. the local clock).
 */
int64_t		 sntp_to_unix_ns(uint64_t, int64_t);
/* Signed difference a - b of two NTP timestamps in nanoseconds. */
int64_t		 sntp_diff_ns(uint64_t, uint64_t);
/* Offset and delay from T1..T4 (RFC 5905 section 8), in nanoseconds. */
void		 sntp_offset_delay(uint64_t, uint64_t, uint64_t, uint64_t,
		     int64_t *, int64_t *);
/* A client request (version 4, mode 3) carrying xmit as its nonce. */
void		 sntp_build_request(uint8_t *, uint64_t);
/*
 * Check and decode a server's answer to the request whose transmit
 * timestamp was xmit. Returns an enum sntp_status; *cause (may be NULL)
 * gets a sentence when it is not SNTP_OK.
 */
enum sntp_status sntp_parse_reply(const uint8_t *, size_t, uint64_t,
		     struct sntp_reply *, char **);
/*
 * Ask every server at once; each has timeout_ms from the moment its name
 * is resolved. results[i] belongs to servers[i]. Returns when all have
 * answered or timed out.
 */
void		 sntp_query_all(const char *const *, int, int,
		     struct sntp_result *);
const char	*sntp_status_name(enum sntp_status);
/*
 * A result that came from another process (the unprivileged measuring
 * child): every string terminated inside its array, the server the one
 * asked, a known status, and for an answer a stratum of 1 to 15, a
 * non-negative delay and offset, delay and elapsed time under a day.
 * 0, or -1 with *cause.
 */
int		 sntp_result_check(const struct sntp_result *, const char *,
		     char **);

#endif
