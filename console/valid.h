/* SPDX-License-Identifier: ISC */
/*
 * Validators for every value that comes from a user, a config file or a
 * caller of a privileged helper. Each returns 0, or -1 and sets *cause
 * (when cause is not NULL) to one allocated sentence the caller frees.
 * They accept only the canonical, plain form: no leading '-', no spaces,
 * no surprises.
 */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>
#include <time.h>

#define VALID_IFNAME_MAX	15	/* IFNAMSIZ - 1 */
#define VALID_HOSTNAME_MAX	253

/* Decimal integer in [min, max], no sign unless min < 0, no junk. */
int	 valid_number(const char *, long long, long long, long long *, char **);
int	 valid_ifname(const char *, char **);
int	 valid_ipv4(const char *, char **);
int	 valid_ipv6(const char *, char **);
/* Address of either family; *family (if not NULL) gets AF_INET/AF_INET6. */
int	 valid_ip(const char *, int *, char **);
/* ADDR/PREFIX of either family. */
int	 valid_cidr(const char *, int *, char **);
/* RFC 1123 host name (labels of letters, digits, '-'; 253 max). */
int	 valid_hostname(const char *, char **);
int	 valid_port(const char *, int *, char **);
/* http:// or https:// URL, host name or address, optional port and path. */
int	 valid_url(const char *, char **);
/* A URL as valid_url, or HOST, HOST:PORT, [IPV6]:PORT; no other scheme. */
int	 valid_target(const char *, char **);
/* tz database name: Area/Location, no "..", no leading '/'. */
int	 valid_zone(const char *, char **);
/* An NTP server: a host name (pools included) or an address. */
int	 valid_ntp_server(const char *, char **);
/*
 * ISO 8601 date and time with seconds optional and a zone required:
 * 2027-03-01T12:00:00Z, 2027-03-01T13:00+01:00. Years VALID_YEAR_MIN to
 * VALID_YEAR_MAX. *out (if not NULL) gets the Unix time.
 */
#define VALID_YEAR_MIN	2000
#define VALID_YEAR_MAX	2099
int	 valid_datetime(const char *, time_t *, char **);
/* A terminal type name as in terminfo: [A-Za-z0-9.+_-], 1..32. */
int	 valid_term(const char *);
/* A locale name as in LANG: [A-Za-z0-9_.@-], 1..64. */
int	 valid_locale(const char *);

#endif
