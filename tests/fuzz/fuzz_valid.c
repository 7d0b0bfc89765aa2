/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for every validator. Beyond "no crash, no overrun, no
 * leak" it checks the promises that matter downstream: a cause exists
 * exactly when a value is refused and is one short printable sentence
 * quoting it; accepted numbers and IPv4 addresses are canonical (they
 * print back as the same string); accepted names can never be options or
 * paths; a host name is never an IPv4 address; valid_ip and valid_cidr
 * agree with the single-family validators.
 */
/* FUZZ_LINK: console/valid.c console/text.c console/xmalloc.c */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "valid.h"
#include "xmalloc.h"

#define FUZZ_CHECK(x)	do { if (!(x)) abort(); } while (0)
#define FUZZ_CAUSE_MAX	512

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* r and cause agree; a cause is printable, bounded and quotes the value. */
static void
fuzz_cause(int r, char *cause)
{
	const char	*c;

	if (r == 0) {
		FUZZ_CHECK(cause == NULL);
		return;
	}
	FUZZ_CHECK(r == -1 && cause != NULL);
	FUZZ_CHECK(cause[0] == '\'');
	FUZZ_CHECK(strlen(cause) < FUZZ_CAUSE_MAX);
	for (c = cause; *c != '\0'; c++)
		FUZZ_CHECK(*c >= 0x20 && *c < 0x7f);
	free(cause);
}

static void
fuzz_number(const char *s, long long min, long long max)
{
	long long	 n;
	char		*cause = NULL, back[32];
	int		 r;

	r = valid_number(s, min, max, &n, &cause);
	fuzz_cause(r, cause);
	FUZZ_CHECK(valid_number(s, min, max, NULL, NULL) == r);
	if (r == 0) {
		FUZZ_CHECK(n >= min && n <= max);
		snprintf(back, sizeof back, "%lld", n);
		FUZZ_CHECK(strcmp(back, s) == 0);
	} else
		FUZZ_CHECK(n == 0);
}

/* Letters, digits and extra only; never an option, never hidden. */
static void
fuzz_charset(const char *s, const char *extra)
{
	const char	*c;

	FUZZ_CHECK(*s != '\0' && *s != '-' && *s != '.' && *s != '/');
	for (c = s; *c != '\0'; c++) {
		FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= 'A' &&
		    *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr(extra, *c) != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		*s, *cause, *addr, back[INET6_ADDRSTRLEN];
	const char	*slash;
	int		 r, r4, r6, family, family2, port;
	size_t		 len;
	time_t		 when;

	s = xstrndup((const char *)data, size);
	len = strlen(s);

	fuzz_number(s, 0, 100);
	fuzz_number(s, -50, 50);
	fuzz_number(s, LLONG_MIN, LLONG_MAX);
	fuzz_number(s, 1, 1);

	cause = NULL;
	r = valid_port(s, &port, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		FUZZ_CHECK(port >= 1 && port <= 65535);
		snprintf(back, sizeof back, "%d", port);
		FUZZ_CHECK(strcmp(back, s) == 0);
	}

	cause = NULL;
	r = valid_ifname(s, &cause);
	fuzz_cause(r, cause);
	FUZZ_CHECK(valid_ifname(s, NULL) == r);
	if (r == 0) {
		FUZZ_CHECK(len <= VALID_IFNAME_MAX);
		fuzz_charset(s, "_.-");
	}

	cause = NULL;
	r4 = valid_ipv4(s, &cause);
	fuzz_cause(r4, cause);
	if (r4 == 0) {
		FUZZ_CHECK(inet_pton(AF_INET, s, &a4) == 1);
		FUZZ_CHECK(inet_ntop(AF_INET, &a4, back, sizeof back) != NULL);
		FUZZ_CHECK(strcmp(back, s) == 0);
	}

	cause = NULL;
	r6 = valid_ipv6(s, &cause);
	fuzz_cause(r6, cause);
	if (r6 == 0) {
		FUZZ_CHECK(inet_pton(AF_INET6, s, &a6) == 1);
		FUZZ_CHECK(strchr(s, '%') == NULL && *s != '-');
	}
	FUZZ_CHECK(r4 == -1 || r6 == -1);

	cause = NULL;
	r = valid_ip(s, &family, &cause);
	fuzz_cause(r, cause);
	FUZZ_CHECK((r == 0) == (r4 == 0 || r6 == 0));
	if (r == 0)
		FUZZ_CHECK(family == (r4 == 0 ? AF_INET : AF_INET6));

	cause = NULL;
	r = valid_cidr(s, &family, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		slash = strrchr(s, '/');
		FUZZ_CHECK(slash != NULL);
		addr = xstrndup(s, (size_t)(slash - s));
		FUZZ_CHECK(valid_ip(addr, &family2, NULL) == 0);
		FUZZ_CHECK(family2 == family);
		fuzz_number(slash + 1, 0, family == AF_INET ? 32 : 128);
		FUZZ_CHECK(valid_number(slash + 1, 0,
		    family == AF_INET ? 32 : 128, NULL, NULL) == 0);
		free(addr);
	}

	cause = NULL;
	r = valid_hostname(s, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		FUZZ_CHECK(len <= VALID_HOSTNAME_MAX);
		FUZZ_CHECK(r4 == -1);
		FUZZ_CHECK(s[len - 1] != '.' && s[len - 1] != '-');
		fuzz_charset(s, "-.");
	}

	cause = NULL;
	r = valid_url(s, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		FUZZ_CHECK(strncasecmp(s, "http://", 7) == 0 ||
		    strncasecmp(s, "https://", 8) == 0);
		FUZZ_CHECK(len <= 2048);
		FUZZ_CHECK(strpbrk(s, " \\#\"<>`") == NULL);
		slash = s + strcspn(s + 8, "/?") + 8;
		FUZZ_CHECK(memchr(s, '@', (size_t)(slash - s)) == NULL);
	}

	/* A target is a URL as above, or an authority: never another
	   scheme, never an option, never user information. */
	cause = NULL;
	r = valid_target(s, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		if (strstr(s, "://") != NULL)
			FUZZ_CHECK(valid_url(s, NULL) == 0);
		else {
			FUZZ_CHECK(s[0] != '-');
			fuzz_charset(s, ".-:[]");
		}
		FUZZ_CHECK(strchr(s, '@') == NULL || strstr(s, "://") != NULL);
	}

	cause = NULL;
	r = valid_zone(s, &cause);
	fuzz_cause(r, cause);
	if (r == 0) {
		FUZZ_CHECK(len <= 64 && strstr(s, "..") == NULL);
		FUZZ_CHECK(strstr(s, "//") == NULL && s[len - 1] != '/');
		fuzz_charset(s, "_+-/");
	}

	if (valid_term(s) == 0) {
		FUZZ_CHECK(len <= 32);
		fuzz_charset(s, ".+_-");
	}
	if (valid_locale(s) == 0) {
		FUZZ_CHECK(len <= 64);
		fuzz_charset(s, "_.@-");
	}

	/* An NTP server is an address or a host name, never an option. */
	cause = NULL;
	r = valid_ntp_server(s, &cause);
	fuzz_cause(r, cause);
	if (r == 0)
		FUZZ_CHECK(*s != '-' && (valid_ip(s, NULL, NULL) == 0 ||
		    valid_hostname(s, NULL) == 0));
	/* An accepted time lies in the years allowed (offsets up to 14 h). */
	cause = NULL;
	when = 0;
	r = valid_datetime(s, &when, &cause);
	fuzz_cause(r, cause);
	if (r == 0)
		FUZZ_CHECK(when >= 946684800 - 14 * 3600 &&
		    when <= 4102444799LL + 14 * 3600);

	free(s);
	return (0);
}
