/* SPDX-License-Identifier: ISC */
/*
 * Validators for values from users, console.conf and the callers of the
 * privileged helpers. Each accepts only the plain, canonical spelling of
 * its kind of value, so that what was checked is exactly what a helper or
 * a config file later uses: no signs, spaces or leading zeros in numbers,
 * dotted quads with four parts, host names that cannot be mistaken for
 * addresses, URLs without user information or fragments. Each check is a
 * "why" function that returns NULL or the reason it refused; the public
 * functions wrap that reason into one sentence naming the value (sanitised
 * and shortened) and its kind, e.g. "'300.1.1.1' is not an IPv4 address:
 * 300 is out of range (0 to 255)".
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define VALID_SHOW_MAX		64	/* characters of a value in a cause */
#define VALID_IPV4_MAX		15	/* "255.255.255.255" */
#define VALID_IPV6_MAX		45	/* INET6_ADDRSTRLEN - 1 */
#define VALID_LABEL_MAX		63
#define VALID_URL_MAX		2048
#define VALID_ZONE_MAX		64
#define VALID_TERM_MAX		32
#define VALID_LOCALE_MAX	64

static char	*valid_why(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static char	*valid_char(unsigned char);
static char	*valid_bad_char(unsigned char);
static char	*valid_show(const char *);
static int	 valid_result(const char *, const char *, char *, char **);
static int	 valid_is_digit(int);
static int	 valid_is_alnum(int);
static int	 valid_is_hex(int);
static int	 valid_is_dotted(const char *);
static char	*valid_why_number(const char *, long long, long long,
		    long long *, const char *);
static char	*valid_why_ifname(const char *);
static char	*valid_why_ipv4(const char *, const char *);
static char	*valid_why_ipv6(const char *, const char *);
static char	*valid_why_ip(const char *, int *);
static char	*valid_why_cidr(const char *, int *);
static char	*valid_why_hostname(const char *, const char *);
static char	*valid_why_url_host(const char *, size_t);
static char	*valid_why_url(const char *);
static char	*valid_why_target(const char *);
static char	*valid_why_zone(const char *);
static int	 valid_name(const char *, const char *, size_t, const char *);
static int	 valid_digits(const char *, int);
static char	*valid_why_datetime(const char *, time_t *);

static char *
valid_why(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	return (s);
}

/* A character as a cause names it: "';'", "a space", "control character ^C". */
static char *
valid_char(unsigned char c)
{
	char	*safe, *s;

	if (c == ' ')
		return (xstrdup("a space"));
	safe = text_sanitize((const char *)&c, 1);
	if (c < 0x20 || c == 0x7f)
		xasprintf(&s, "control character %s", safe);
	else if (c > 0x7f)
		xasprintf(&s, "byte %s", safe);
	else
		xasprintf(&s, "'%s'", safe);
	free(safe);
	return (s);
}

static char *
valid_bad_char(unsigned char c)
{
	char	*name, *s;

	name = valid_char(c);
	xasprintf(&s, "%s is not allowed", name);
	free(name);
	return (s);
}

/* The value as a cause quotes it: sanitised, and cut with "..." when long. */
static char *
valid_show(const char *s)
{
	char	*safe, *out;
	size_t	 len;

	len = strnlen(s, VALID_SHOW_MAX + 1);
	if (len <= VALID_SHOW_MAX)
		return (text_sanitize(s, len));
	safe = text_sanitize(s, VALID_SHOW_MAX);
	xasprintf(&out, "%s...", safe);
	free(safe);
	return (out);
}

/* Turns a reason (or NULL) into the return value and the caller's cause. */
static int
valid_result(const char *s, const char *kind, char *why, char **cause)
{
	char	*shown;

	if (why == NULL)
		return (0);
	if (cause != NULL) {
		shown = valid_show(s);
		xasprintf(cause, "'%s' is not %s: %s", shown, kind, why);
		free(shown);
	}
	free(why);
	return (-1);
}

/* The <ctype.h> classes depend on the locale; ours must not. */
static int
valid_is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
valid_is_alnum(int c)
{
	return (valid_is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

static int
valid_is_hex(int c)
{
	return (valid_is_digit(c) || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/* Only digits and dots: meant as an IPv4 address, whatever else it is. */
static int
valid_is_dotted(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!valid_is_digit((unsigned char)*s) && *s != '.')
			return (0);
	}
	return (1);
}

/* subj names the number in sentences: "it", "the prefix length", "the port". */
static char *
valid_why_number(const char *s, long long min, long long max,
    long long *out, const char *subj)
{
	const char	*p = s, *q;
	char		*end;
	long long	 n;

	if (*p == '\0')
		return (valid_why("%s is empty", subj));
	if (*p == '-' && min < 0) {
		p++;
		if (*p == '\0')
			return (valid_why("no digits follow '-'"));
	}
	for (q = p; *q != '\0'; q++) {
		if (!valid_is_digit((unsigned char)*q))
			return (valid_bad_char((unsigned char)*q));
	}
	if (p[0] == '0' && p[1] != '\0')
		return (valid_why("%s has a leading zero", subj));
	if (p != s && p[0] == '0')
		return (valid_why("zero is written without a sign"));
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || n < min || n > max)
		return (valid_why("%s is out of range (%lld to %lld)", subj,
		    min, max));
	if (out != NULL)
		*out = n;
	return (NULL);
}

int
valid_number(const char *s, long long min, long long max, long long *out,
    char **cause)
{
	if (out != NULL)
		*out = 0;
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "a number",
	    valid_why_number(s, min, max, out, "it"), cause));
}

int
valid_port(const char *s, int *port, char **cause)
{
	long long	 n = 0;
	int		 r;

	if (port != NULL)
		*port = 0;
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	r = valid_result(s, "a port",
	    valid_why_number(s, 1, 65535, &n, "it"), cause);
	if (r == 0 && port != NULL)
		*port = (int)n;
	return (r);
}

static char *
valid_why_ifname(const char *s)
{
	const char	*p;
	size_t		 len;

	if (*s == '\0')
		return (valid_why("it is empty"));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_alnum((unsigned char)*p) && *p != '_' &&
		    *p != '.' && *p != '-')
			return (valid_bad_char((unsigned char)*p));
	}
	len = (size_t)(p - s);
	if (len > VALID_IFNAME_MAX)
		return (valid_why("it is longer than %d characters",
		    VALID_IFNAME_MAX));
	if (*s == '-' || *s == '.')
		return (valid_why("it starts with '%c'", *s));
	return (NULL);
}

int
valid_ifname(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an interface name", valid_why_ifname(s),
	    cause));
}

/* Exactly four parts of 0..255, no leading zeros: what inet_ntop prints. */
static char *
valid_why_ipv4(const char *s, const char *subj)
{
	struct in_addr	 a;
	const char	*p, *start;
	unsigned int	 val;
	int		 parts = 0, digits;

	if (*s == '\0')
		return (valid_why("%s is empty", subj));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_digit((unsigned char)*p) && *p != '.')
			return (valid_bad_char((unsigned char)*p));
	}
	if ((size_t)(p - s) > VALID_IPV4_MAX)
		return (valid_why("%s is longer than %d characters", subj,
		    VALID_IPV4_MAX));
	p = s;
	for (;;) {
		start = p;
		val = 0;
		for (digits = 0; valid_is_digit((unsigned char)*p); digits++) {
			if (val < 1000)
				val = val * 10 + (unsigned int)(*p - '0');
			p++;
		}
		parts++;
		if (digits == 0)
			return (valid_why("part %d is empty", parts));
		if (digits > 1 && *start == '0')
			return (valid_why("%.*s has a leading zero", digits,
			    start));
		if (val > 255)
			return (valid_why("%.*s is out of range (0 to 255)",
			    digits, start));
		if (*p == '\0')
			break;
		p++;	/* the '.' */
	}
	if (parts != 4)
		return (valid_why("%s has %d parts, not 4", subj, parts));
	/* The grammar above is inet_pton's; this is belt and braces. */
	if (inet_pton(AF_INET, s, &a) != 1)
		return (valid_why("%s is not a dotted quad", subj));
	return (NULL);
}

int
valid_ipv4(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an IPv4 address", valid_why_ipv4(s, "it"),
	    cause));
}

/*
 * inet_pton decides; the checks around it bound the input and say what is
 * wrong in words a user can act on.
 */
static char *
valid_why_ipv6(const char *s, const char *subj)
{
	struct in6_addr	 a;
	const char	*p, *group;
	size_t		 len;

	if (*s == '\0')
		return (valid_why("%s is empty", subj));
	if (strchr(s, '%') != NULL)
		return (valid_why("a zone id ('%%') is not allowed"));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_hex((unsigned char)*p) && *p != ':' && *p != '.')
			return (valid_bad_char((unsigned char)*p));
	}
	len = (size_t)(p - s);
	if (len > VALID_IPV6_MAX)
		return (valid_why("%s is longer than %d characters", subj,
		    VALID_IPV6_MAX));
	if (strchr(s, ':') == NULL)
		return (valid_why("%s has no ':'", subj));
	if (inet_pton(AF_INET6, s, &a) == 1)
		return (NULL);

	if (strstr(s, ":::") != NULL)
		return (valid_why("':::' is not allowed"));
	if ((p = strstr(s, "::")) != NULL && strstr(p + 2, "::") != NULL)
		return (valid_why("'::' appears more than once"));
	if (s[0] == ':' && s[1] != ':')
		return (valid_why("%s starts with a single ':'", subj));
	if (s[len - 1] == ':' && (len < 2 || s[len - 2] != ':'))
		return (valid_why("%s ends with a single ':'", subj));
	for (group = s; *group != '\0'; group = p + (*p == ':')) {
		p = group + strcspn(group, ":");
		if (memchr(group, '.', (size_t)(p - group)) == NULL &&
		    p - group > 4)
			return (valid_why("group %.*s has more than 4 digits",
			    (int)(p - group), group));
	}
	if (strchr(s, '.') != NULL)
		return (valid_why("the embedded IPv4 address or the number "
		    "of groups is wrong"));
	return (valid_why("%s does not have 8 groups (or one '::')", subj));
}

int
valid_ipv6(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an IPv6 address", valid_why_ipv6(s, "it"),
	    cause));
}

static char *
valid_why_ip(const char *s, int *family)
{
	char	*why;

	if (strchr(s, ':') != NULL) {
		if ((why = valid_why_ipv6(s, "it")) == NULL && family != NULL)
			*family = AF_INET6;
	} else {
		if ((why = valid_why_ipv4(s, "it")) == NULL && family != NULL)
			*family = AF_INET;
	}
	return (why);
}

int
valid_ip(const char *s, int *family, char **cause)
{
	if (family != NULL)
		*family = 0;
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an IP address", valid_why_ip(s, family),
	    cause));
}

static char *
valid_why_cidr(const char *s, int *family)
{
	const char	*slash;
	char		*addr, *why;
	int		 is6;

	if (*s == '\0')
		return (valid_why("it is empty"));
	if ((slash = strrchr(s, '/')) == NULL)
		return (valid_why("the prefix length (/N) is missing"));
	addr = xstrndup(s, (size_t)(slash - s));
	is6 = strchr(addr, ':') != NULL;
	if (is6)
		why = valid_why_ipv6(addr, "the address");
	else
		why = valid_why_ipv4(addr, "the address");
	free(addr);
	if (why != NULL)
		return (why);
	why = valid_why_number(slash + 1, 0, is6 ? 128 : 32, NULL,
	    "the prefix length");
	if (why == NULL && family != NULL)
		*family = is6 ? AF_INET6 : AF_INET;
	return (why);
}

int
valid_cidr(const char *s, int *family, char **cause)
{
	if (family != NULL)
		*family = 0;
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an address in CIDR form",
	    valid_why_cidr(s, family), cause));
}

/*
 * RFC 1123 host name, without the root's trailing dot. A last label of
 * digits only is refused: "10.0.0.300" is a mistyped address, not a name.
 */
static char *
valid_why_hostname(const char *s, const char *subj)
{
	const char	*p, *label;
	size_t		 len, n;
	int		 digits;

	if (*s == '\0')
		return (valid_why("%s is empty", subj));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_alnum((unsigned char)*p) && *p != '-' &&
		    *p != '.')
			return (valid_bad_char((unsigned char)*p));
	}
	len = (size_t)(p - s);
	if (len > VALID_HOSTNAME_MAX)
		return (valid_why("%s is longer than %d characters", subj,
		    VALID_HOSTNAME_MAX));
	if (s[0] == '.')
		return (valid_why("%s starts with '.'", subj));
	if (s[len - 1] == '.')
		return (valid_why("%s ends with '.'", subj));
	digits = 0;
	for (label = s; *label != '\0'; label = p + (*p == '.')) {
		n = strcspn(label, ".");
		p = label + n;
		if (n == 0)
			return (valid_why("%s has an empty label ('..')",
			    subj));
		if (n > VALID_LABEL_MAX)
			return (valid_why("label %.16s... is longer than %d "
			    "characters", label, VALID_LABEL_MAX));
		if (label[0] == '-')
			return (valid_why("label %.*s starts with '-'", (int)n,
			    label));
		if (label[n - 1] == '-')
			return (valid_why("label %.*s ends with '-'", (int)n,
			    label));
		digits = strspn(label, "0123456789") == n;
	}
	if (digits)
		return (valid_why("%s ends in a label of digits only, like "
		    "an address", subj));
	return (NULL);
}

int
valid_hostname(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "a host name", valid_why_hostname(s, "it"),
	    cause));
}

/* The authority of a URL (len bytes at s): host, [IPv6] or IPv4, and :port. */
static char *
valid_why_url_host(const char *s, size_t len)
{
	const char	*end = s + len, *close, *colon;
	char		*host, *port, *why;

	if (len == 0)
		return (valid_why("the host is missing"));
	if (memchr(s, '@', len) != NULL)
		return (valid_why("user information ('@') is not allowed"));
	if (s[0] == '[') {
		if ((close = memchr(s, ']', len)) == NULL)
			return (valid_why("'[' has no matching ']'"));
		host = xstrndup(s + 1, (size_t)(close - s - 1));
		why = valid_why_ipv6(host, "the host");
		free(host);
		if (why != NULL)
			return (why);
		colon = close + 1;
		if (colon != end && *colon != ':')
			return (valid_why("only a port may follow ']'"));
	} else {
		if (memchr(s, '[', len) != NULL || memchr(s, ']', len) != NULL)
			return (valid_why("'[' and ']' may only enclose an "
			    "IPv6 address"));
		if ((colon = memchr(s, ':', len)) == NULL)
			colon = end;
		else if (memchr(colon + 1, ':', (size_t)(end - colon - 1)) !=
		    NULL)
			return (valid_why("it has more than one ':' (an IPv6 "
			    "address must be enclosed in '[' and ']')"));
		host = xstrndup(s, (size_t)(colon - s));
		if (*host == '\0')
			why = valid_why("the host is missing");
		else if (valid_is_dotted(host))
			why = valid_why_ipv4(host, "the host");
		else
			why = valid_why_hostname(host, "the host");
		free(host);
		if (why != NULL)
			return (why);
	}
	if (colon == end)
		return (NULL);
	port = xstrndup(colon + 1, (size_t)(end - colon - 1));
	why = valid_why_number(port, 1, 65535, NULL, "the port");
	free(port);
	return (why);
}

/*
 * http or https, then an authority, then a path and query of the
 * characters RFC 3986 allows there. A fragment never reaches a server,
 * and user information in a URL is a password in a config file: both are
 * refused, as is anything a shell or a log would treat specially.
 */
static char *
valid_why_url(const char *s)
{
	static const char	 other[] = "-._~!$&'()*+,;=:@/?%[]";
	const char		*p, *rest;
	size_t			 len, skip;
	unsigned char		 c;

	if (*s == '\0')
		return (valid_why("it is empty"));
	for (p = s; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c == '#')
			return (valid_why("a fragment ('#') is not allowed"));
		if (!valid_is_alnum(c) && strchr(other, c) == NULL)
			return (valid_bad_char(c));
	}
	len = (size_t)(p - s);
	if (len > VALID_URL_MAX)
		return (valid_why("it is longer than %d characters",
		    VALID_URL_MAX));
	if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strstr(s, "://") != NULL)
		return (valid_why("only http:// and https:// are allowed"));
	else
		return (valid_why("it does not start with http:// or "
		    "https://"));
	p = s + skip;
	rest = p + strcspn(p, "/?");
	if (strpbrk(rest, "[]") != NULL)
		return (valid_why("'[' and ']' may only enclose an IPv6 "
		    "address"));
	for (p = rest; *p != '\0'; p++) {
		if (*p == '%' && (!valid_is_hex((unsigned char)p[1]) ||
		    !valid_is_hex((unsigned char)p[2])))
			return (valid_why("'%%' is not followed by two hex "
			    "digits"));
	}
	return (valid_why_url_host(s + skip, (size_t)(rest - (s + skip))));
}

int
valid_url(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "an http or https URL", valid_why_url(s),
	    cause));
}

/*
 * What a connectivity test may be pointed at: an http or https URL, or an
 * authority alone (HOST, HOST:PORT, [IPV6]:PORT). Any other scheme, with
 * or without "//" (file:, gopher:, ftp://), is refused by name.
 */
static char *
valid_why_target(const char *s)
{
	const char	*p;
	size_t		 len;

	if (*s == '\0')
		return (valid_why("it is empty"));
	if (strstr(s, "://") != NULL)
		return (valid_why_url(s));
	/* scheme ":" not a port: "file:/x", "gopher:", "javascript:x". */
	for (p = s; valid_is_alnum((unsigned char)*p) || *p == '+' ||
	    *p == '-'; p++)
		;
	if (*p == ':' && p > s && !valid_is_digit((unsigned char)s[0]) &&
	    !valid_is_digit((unsigned char)p[1]))
		return (valid_why("only http:// and https:// URLs are "
		    "allowed"));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_alnum((unsigned char)*p) && *p != '.' &&
		    *p != '-' && *p != ':' && *p != '[' && *p != ']')
			return (valid_bad_char((unsigned char)*p));
	}
	len = (size_t)(p - s);
	if (len > VALID_URL_MAX)
		return (valid_why("it is longer than %d characters",
		    VALID_URL_MAX));
	return (valid_why_url_host(s, len));
}

int
valid_target(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "a target",
	    valid_why_target(s), cause));
}

/* A tz database name: it becomes a path under /usr/share/zoneinfo. */
static char *
valid_why_zone(const char *s)
{
	const char	*p, *part;
	size_t		 len, n;

	if (*s == '\0')
		return (valid_why("it is empty"));
	if (strstr(s, "..") != NULL)
		return (valid_why("'..' is not allowed"));
	for (p = s; *p != '\0'; p++) {
		if (!valid_is_alnum((unsigned char)*p) && *p != '_' &&
		    *p != '+' && *p != '-' && *p != '/')
			return (valid_bad_char((unsigned char)*p));
	}
	len = (size_t)(p - s);
	if (len > VALID_ZONE_MAX)
		return (valid_why("it is longer than %d characters",
		    VALID_ZONE_MAX));
	if (s[0] == '/')
		return (valid_why("it starts with '/'"));
	if (s[len - 1] == '/')
		return (valid_why("it ends with '/'"));
	for (part = s; *part != '\0'; part = p + (*p == '/')) {
		n = strcspn(part, "/");
		p = part + n;
		if (n == 0)
			return (valid_why("it has an empty component ('//')"));
		if (part[0] == '-')
			return (valid_why("component %.*s starts with '-'",
			    (int)n, part));
	}
	return (NULL);
}

int
valid_zone(const char *s, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "a time zone name", valid_why_zone(s), cause));
}

/* 1..max letters, digits and extra; the first not one of badfirst. */
static int
valid_name(const char *s, const char *extra, size_t max, const char *badfirst)
{
	size_t	 i;

	if (s == NULL || *s == '\0' || strchr(badfirst, *s) != NULL)
		return (-1);
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return (-1);
		if (!valid_is_alnum((unsigned char)s[i]) &&
		    strchr(extra, s[i]) == NULL)
			return (-1);
	}
	return (0);
}

int
valid_term(const char *s)
{
	return (valid_name(s, ".+_-", VALID_TERM_MAX, "-."));
}

int
valid_locale(const char *s)
{
	return (valid_name(s, "_.@-", VALID_LOCALE_MAX, "-./"));
}

int
valid_ntp_server(const char *s, char **cause)
{
	char	*why;

	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	/* What looks like an address must be one; the rest a host name. */
	if (strchr(s, ':') != NULL || valid_is_dotted(s))
		why = valid_why_ip(s, NULL);
	else
		why = valid_why_hostname(s, "it");
	return (valid_result(s, "an NTP server (a host name or an address)",
	    why, cause));
}

/* Digits at s[0..n-1] as a number; -1 when any is not a digit. */
static int
valid_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (!valid_is_digit((unsigned char)s[i]))
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

static char *
valid_why_datetime(const char *s, time_t *out)
{
	struct tm	 tm, back;
	const char	*z;
	time_t		 t;
	int		 sec = 0, off = 0, oh, om;
	size_t		 len = strlen(s);

	if (len < 17 || len > 25 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':')
		return (valid_why("write it as YYYY-MM-DDTHH:MM:SSZ or with "
		    "an offset such as +01:00"));
	memset(&tm, 0, sizeof tm);
	tm.tm_year = valid_digits(s, 4);
	tm.tm_mon = valid_digits(s + 5, 2);
	tm.tm_mday = valid_digits(s + 8, 2);
	tm.tm_hour = valid_digits(s + 11, 2);
	tm.tm_min = valid_digits(s + 14, 2);
	z = s + 16;
	if (*z == ':') {
		sec = valid_digits(z + 1, 2);
		z += 3;
	}
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 ||
	    tm.tm_hour < 0 || tm.tm_min < 0 || sec < 0)
		return (valid_why("the date and time must be digits in the "
		    "form YYYY-MM-DDTHH:MM:SS"));
	if (*z == 'Z' && z[1] == '\0')
		off = 0;
	else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':' &&
	    (oh = valid_digits(z + 1, 2)) >= 0 &&
	    (om = valid_digits(z + 4, 2)) >= 0 && oh <= 14 && om <= 59)
		off = (*z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else if (*z == '\0')
		return (valid_why("it needs a zone: end it with Z for UTC or "
		    "an offset such as +01:00"));
	else
		return (valid_why("the zone must be Z or an offset such as "
		    "+01:00"));
	if (tm.tm_year < VALID_YEAR_MIN || tm.tm_year > VALID_YEAR_MAX)
		return (valid_why("the year must be %d to %d",
		    VALID_YEAR_MIN, VALID_YEAR_MAX));
	if (tm.tm_hour > 23 || tm.tm_min > 59 || sec > 59)
		return (valid_why("there is no such time of day"));
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_sec = sec;
	back = tm;
	t = timegm(&tm);
	/* timegm normalises 02-30 to 03-02: a changed field means no such day. */
	if (t == (time_t)-1 || tm.tm_mday != back.tm_mday ||
	    tm.tm_mon != back.tm_mon)
		return (valid_why("there is no such day"));
	if (out != NULL)
		*out = t - off;
	return (NULL);
}

int
valid_datetime(const char *s, time_t *out, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (s == NULL)
		s = "";
	return (valid_result(s, "a date and time",
	    valid_why_datetime(s, out), cause));
}
