/* SPDX-License-Identifier: ISC */
/*
 * The SNTP client's packet code and arithmetic against crafted packets:
 * offsets of +-1 s and +-1 day, a delay, the era rollover of 2036 on
 * either side of the exchange, refusals (short, wrong mode, no echo,
 * kiss-o'-death, unsynchronised) and a DNS failure named as such.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sntp.h"

#define NS	1000000000LL
#define MS	1000000LL
#define DAY	86400LL
/* 2036-02-07T06:28:16Z: NTP era 0 ends, the 32-bit seconds wrap to 0. */
#define ERA1	(4294967296LL - SNTP_UNIX_OFFSET)
#define NOW	1795000000LL	/* 2026-11-17 */

static void
put64(uint8_t *p, uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

/* A server's answer: stratum, T2 and T3 echoing the nonce. */
static void
reply(uint8_t *b, int li, int vn, int mode, int stratum, uint64_t nonce,
    uint64_t t2, uint64_t t3)
{
	memset(b, 0, SNTP_PACKET_LEN);
	b[0] = (uint8_t)(li << 6 | vn << 3 | mode);
	b[1] = (uint8_t)stratum;
	memcpy(b + 12, "GPS\0", 4);
	put64(b + 16, t2);
	put64(b + 24, nonce);
	put64(b + 32, t2);
	put64(b + 40, t3);
}

/*
 * One exchange: the client sends at t1 (Unix seconds + ns), the server's
 * clock is ahead by off_ns, each way takes 5 ms, the server holds it 1 ms.
 */
static void
exchange(int64_t t1s, long t1ns, int64_t off_ns, int64_t *offset,
    int64_t *delay)
{
	struct sntp_reply	 r;
	uint8_t			 b[SNTP_PACKET_LEN];
	int64_t			 t1 = t1s * NS + t1ns, t2, t3, t4;
	uint64_t		 nonce = 0x0123456789abcdefULL;

	t2 = t1 + 5 * MS + off_ns;
	t3 = t2 + 1 * MS;
	t4 = t1 + 11 * MS;
	reply(b, 0, 4, 4, 2, nonce,
	    sntp_from_unix(t2 / NS, (long)(t2 % NS)),
	    sntp_from_unix(t3 / NS, (long)(t3 % NS)));
	assert_int_equal(sntp_parse_reply(b, sizeof b, nonce, &r, NULL),
	    SNTP_OK);
	assert_int_equal(r.stratum, 2);
	sntp_offset_delay(sntp_from_unix(t1s, t1ns), r.recv, r.xmit,
	    sntp_from_unix(t4 / NS, (long)(t4 % NS)), offset, delay);
}

/* Within 2 ns: the 32.32 fraction rounds each timestamp down. */
static void
assert_near(int64_t got, int64_t want)
{
	if (got - want > 2 || want - got > 2)
		fail_msg("got %lld ns, wanted %lld ns", (long long)got,
		    (long long)want);
}

static void
test_offsets(void **state)
{
	static const int64_t	 offs[] = { 0, NS, -NS, DAY * NS, -DAY * NS,
	    1234567, -7654321 };
	int64_t			 o, d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		exchange(NOW, 250000000, offs[i], &o, &d);
		assert_near(o, offs[i]);
		assert_near(d, 10 * MS);
	}
}

static void
test_era_rollover(void **state)
{
	int64_t	 o, d;

	(void)state;
	/* The client is 0.5 s before the wrap, the server past it. */
	exchange(ERA1 - 1, 500000000, NS, &o, &d);
	assert_near(o, NS);
	assert_near(d, 10 * MS);
	/* The client is past the wrap, the server a day behind it. */
	exchange(ERA1 + 10, 0, -DAY * NS, &o, &d);
	assert_near(o, -DAY * NS);
	assert_near(d, 10 * MS);
	/* Straddling the wrap in the middle of the round trip. */
	exchange(ERA1 - 1, 994000000, -NS, &o, &d);
	assert_near(o, -NS);
	/* Timestamps of era 1 read near a 2036 clock land in 2036. */
	assert_int_equal(sntp_to_unix_ns(sntp_from_unix(ERA1 + 100, 0),
	    (ERA1 - 5) * NS), (ERA1 + 100) * NS);
	assert_int_equal(sntp_to_unix_ns(sntp_from_unix(ERA1 - 100, 0),
	    (ERA1 + 5) * NS), (ERA1 - 100) * NS);
	/* The raw seconds really wrapped. */
	assert_true((sntp_from_unix(ERA1 + 1, 0) >> 32) == 1);
	assert_true((sntp_from_unix(ERA1 - 1, 0) >> 32) == 0xffffffffULL);
	/* And today reads as today. */
	assert_int_equal(sntp_to_unix_ns(sntp_from_unix(NOW, 0), NOW * NS),
	    NOW * NS);
}

static void
test_request(void **state)
{
	uint8_t	 b[SNTP_PACKET_LEN];
	int	 i;

	(void)state;
	memset(b, 0xaa, sizeof b);
	sntp_build_request(b, 0x1122334455667788ULL);
	assert_int_equal(b[0], 0x23);	/* LI 0, VN 4, mode 3 */
	for (i = 1; i < 40; i++)
		assert_int_equal(b[i], 0);
	assert_int_equal(b[40], 0x11);
	assert_int_equal(b[47], 0x88);
}

static void
test_refusals(void **state)
{
	struct sntp_reply	 r;
	uint8_t			 b[SNTP_PACKET_LEN];
	uint64_t		 n = 42, t = sntp_from_unix(NOW, 0);
	char			*cause;

	(void)state;
	reply(b, 0, 4, 4, 2, n, t, t);
	assert_int_equal(sntp_parse_reply(b, 47, n, &r, &cause),
	    SNTP_BAD_REPLY);
	assert_non_null(strstr(cause, "shorter"));
	free(cause);
	assert_int_equal(sntp_parse_reply(b, sizeof b, n + 1, &r, &cause),
	    SNTP_BAD_REPLY);
	assert_non_null(strstr(cause, "echo"));
	free(cause);

	reply(b, 0, 4, 3, 2, n, t, t);	/* a client, not a server */
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_BAD_REPLY);
	free(cause);
	reply(b, 0, 0, 4, 2, n, t, t);	/* version 0 */
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_BAD_REPLY);
	free(cause);

	reply(b, 3, 4, 4, 0, n, t, t);	/* kiss-o'-death RATE */
	memcpy(b + 12, "RATE", 4);
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_KOD);
	assert_non_null(strstr(cause, "RATE"));
	free(cause);

	reply(b, 3, 4, 4, 16, n, t, t);	/* alarm: not synchronised */
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_UNSYNCED);
	free(cause);

	reply(b, 0, 3, 4, 3, n, 0, 0);	/* no time in it */
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_BAD_REPLY);
	free(cause);

	reply(b, 0, 3, 4, 3, n, t, t);	/* version 3 is fine */
	assert_int_equal(sntp_parse_reply(b, sizeof b, n, &r, &cause),
	    SNTP_OK);
	assert_null(cause);
}

static void
test_dns_failure_named(void **state)
{
	const char *const	 servers[] = { "no-such-name.invalid" };
	struct sntp_result	 res;

	(void)state;
	/* .invalid never resolves (RFC 6761), with or without a network. */
	sntp_query_all(servers, 1, 500, &res);
	assert_int_equal(res.status, SNTP_DNS);
	assert_string_equal(sntp_status_name(res.status), "dns-failure");
	assert_non_null(strstr(res.message, "no-such-name.invalid does not "
	    "resolve"));
}

/* What the unprivileged measuring child hands back is checked again. */
static void
test_result_check(void **state)
{
	const char *const	 servers[] = { "no-such-name.invalid" };
	struct sntp_result	 r, good;
	char			*cause = NULL;

	(void)state;
	sntp_query_all(servers, 1, 500, &good);
	assert_int_equal(sntp_result_check(&good, servers[0], NULL), 0);
	assert_int_equal(sntp_result_check(&good, "other.example", &cause),
	    -1);
	assert_non_null(strstr(cause, "another server"));
	free(cause);
	r = good;
	memset(r.message, 'x', sizeof r.message);
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
	r = good;
	r.status = (enum sntp_status)42;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
	r = good;
	r.status = SNTP_OK;
	r.stratum = 1;
	r.delay_ns = 1000;
	r.offset_ns = 5;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), 0);
	r.delay_ns = -1;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
	r.delay_ns = 1000;
	r.stratum = 0;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
	r.stratum = 16;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
	r.stratum = 2;
	r.offset_ns = INT64_MAX;
	assert_int_equal(sntp_result_check(&r, servers[0], NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_era_rollover),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_dns_failure_named),
		cmocka_unit_test(test_result_check),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
