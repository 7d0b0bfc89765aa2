/* SPDX-License-Identifier: ISC */
/*
 * The validators, table-driven: each row is a value, whether it must be
 * accepted and, if not, a piece of the cause it must produce. Every row is
 * also run with a NULL cause, and every cause is checked to be one line of
 * printable ASCII that quotes the value. Then the out-parameters (numbers,
 * ports, address families), the number range edges, and the quoting of
 * hostile and long values in causes.
 */
#include <sys/socket.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "valid.h"
#include "xmalloc.h"

enum vkind {
	V_NUMBER,	/* range 0..100 */
	V_SNUMBER,	/* range -50..50 */
	V_PORT,
	V_IFNAME,
	V_IPV4,
	V_IPV6,
	V_IP,
	V_CIDR,
	V_HOST,
	V_URL,
	V_ZONE,
	V_TERM,
	V_LOCALE,
	V_TARGET
};

struct vcase {
	enum vkind	 kind;
	const char	*value;
	int		 ok;
	const char	*want;		/* in the cause when refused */
};

static const struct vcase vcases[] = {
	/* Numbers. */
	{ V_NUMBER, "0", 1, NULL },
	{ V_NUMBER, "7", 1, NULL },
	{ V_NUMBER, "100", 1, NULL },
	{ V_SNUMBER, "-50", 1, NULL },
	{ V_SNUMBER, "-7", 1, NULL },
	{ V_NUMBER, "", 0, "'' is not a number: it is empty" },
	{ V_NUMBER, "101", 0, "'101' is not a number: it is out of range "
	    "(0 to 100)" },
	{ V_NUMBER, "007", 0, "it has a leading zero" },
	{ V_NUMBER, "00", 0, "it has a leading zero" },
	{ V_NUMBER, "+5", 0, "'+' is not allowed" },
	{ V_NUMBER, "-5", 0, "'-' is not allowed" },
	{ V_NUMBER, " 5", 0, "a space is not allowed" },
	{ V_NUMBER, "5 ", 0, "a space is not allowed" },
	{ V_NUMBER, "5x", 0, "'x' is not allowed" },
	{ V_NUMBER, "0x10", 0, "'x' is not allowed" },
	{ V_NUMBER, "1e3", 0, "'e' is not allowed" },
	{ V_NUMBER, "99999999999999999999999", 0, "out of range" },
	{ V_NUMBER, "5\n", 0, "control character ^J is not allowed" },
	{ V_SNUMBER, "-", 0, "no digits follow '-'" },
	{ V_SNUMBER, "-0", 0, "zero is written without a sign" },
	{ V_SNUMBER, "-51", 0, "out of range (-50 to 50)" },
	{ V_SNUMBER, "--5", 0, "'-' is not allowed" },
	{ V_SNUMBER, "-05", 0, "leading zero" },

	/* Ports. */
	{ V_PORT, "1", 1, NULL },
	{ V_PORT, "443", 1, NULL },
	{ V_PORT, "65535", 1, NULL },
	{ V_PORT, "0", 0, "'0' is not a port: it is out of range "
	    "(1 to 65535)" },
	{ V_PORT, "65536", 0, "out of range" },
	{ V_PORT, "http", 0, "'h' is not allowed" },
	{ V_PORT, "080", 0, "leading zero" },

	/* Interface names. */
	{ V_IFNAME, "eth0", 1, NULL },
	{ V_IFNAME, "veth-up_1.100", 1, NULL },
	{ V_IFNAME, "abcdefghijklmno", 1, NULL },
	{ V_IFNAME, "", 0, "'' is not an interface name: it is empty" },
	{ V_IFNAME, "abcdefghijklmnop", 0, "longer than 15 characters" },
	{ V_IFNAME, "eth0;ls", 0, "'eth0;ls' is not an interface name: ';' "
	    "is not allowed" },
	{ V_IFNAME, "-eth0", 0, "it starts with '-'" },
	{ V_IFNAME, ".", 0, "it starts with '.'" },
	{ V_IFNAME, "..", 0, "it starts with '.'" },
	{ V_IFNAME, "eth0/1", 0, "'/' is not allowed" },
	{ V_IFNAME, "eth 0", 0, "a space is not allowed" },
	{ V_IFNAME, "eth0:1", 0, "':' is not allowed" },
	{ V_IFNAME, "eth\xc3\xa9", 0, "byte \\xc3 is not allowed" },

	/* IPv4. */
	{ V_IPV4, "0.0.0.0", 1, NULL },
	{ V_IPV4, "10.0.0.1", 1, NULL },
	{ V_IPV4, "255.255.255.255", 1, NULL },
	{ V_IPV4, "300.1.1.1", 0, "'300.1.1.1' is not an IPv4 address: 300 "
	    "is out of range (0 to 255)" },
	{ V_IPV4, "1.2.3.256", 0, "256 is out of range" },
	{ V_IPV4, "1.2.3", 0, "it has 3 parts, not 4" },
	{ V_IPV4, "1.2.3.4.5", 0, "it has 5 parts, not 4" },
	{ V_IPV4, "01.2.3.4", 0, "01 has a leading zero" },
	{ V_IPV4, "1..2.3", 0, "part 2 is empty" },
	{ V_IPV4, "1.2.3.4.", 0, "part 5 is empty" },
	{ V_IPV4, ".1.2.3", 0, "part 1 is empty" },
	{ V_IPV4, "1.2.3.4/24", 0, "'/' is not allowed" },
	{ V_IPV4, "1.2.3.-4", 0, "'-' is not allowed" },
	{ V_IPV4, "0x7f.0.0.1", 0, "'x' is not allowed" },
	{ V_IPV4, "127.1", 0, "it has 2 parts, not 4" },
	{ V_IPV4, "1111.1.1.1", 0, "1111 is out of range" },
	{ V_IPV4, "1.1.1.1111111111111", 0, "longer than 15 characters" },
	{ V_IPV4, "", 0, "it is empty" },
	{ V_IPV4, "::1", 0, "':' is not allowed" },

	/* IPv6. */
	{ V_IPV6, "::", 1, NULL },
	{ V_IPV6, "::1", 1, NULL },
	{ V_IPV6, "fe80::1", 1, NULL },
	{ V_IPV6, "2001:DB8:0:0:0:0:0:1", 1, NULL },
	{ V_IPV6, "::ffff:192.0.2.1", 1, NULL },
	{ V_IPV6, "fe80::1%eth0", 0, "a zone id ('%') is not allowed" },
	{ V_IPV6, "1:2:3", 0, "it does not have 8 groups" },
	{ V_IPV6, "1::2::3", 0, "'::' appears more than once" },
	{ V_IPV6, "1:::3", 0, "':::' is not allowed" },
	{ V_IPV6, "12345::1", 0, "group 12345 has more than 4 digits" },
	{ V_IPV6, ":1:2:3:4:5:6:7", 0, "it starts with a single ':'" },
	{ V_IPV6, "1:2:3:4:5:6:7:", 0, "it ends with a single ':'" },
	{ V_IPV6, "::g", 0, "'g' is not allowed" },
	{ V_IPV6, "10.0.0.1", 0, "it has no ':'" },
	{ V_IPV6, "::ffff:300.0.2.1", 0, "embedded IPv4" },
	{ V_IPV6, "0000:0000:0000:0000:0000:0000:0000:0000:0000:0", 0,
	    "longer than 45 characters" },
	{ V_IPV6, "[::1]", 0, "'[' is not allowed" },

	/* Either family. */
	{ V_IP, "192.0.2.1", 1, NULL },
	{ V_IP, "2001:db8::1", 1, NULL },
	{ V_IP, "example.com", 0, "'example.com' is not an IP address: 'e' "
	    "is not allowed" },
	{ V_IP, "2001:db8::1/64", 0, "'/' is not allowed" },

	/* CIDR. */
	{ V_CIDR, "10.0.0.1/24", 1, NULL },
	{ V_CIDR, "0.0.0.0/0", 1, NULL },
	{ V_CIDR, "192.0.2.7/32", 1, NULL },
	{ V_CIDR, "2001:db8::/32", 1, NULL },
	{ V_CIDR, "::1/128", 1, NULL },
	{ V_CIDR, "10.0.0.1", 0, "'10.0.0.1' is not an address in CIDR form: "
	    "the prefix length (/N) is missing" },
	{ V_CIDR, "10.0.0.1/33", 0, "the prefix length is out of range "
	    "(0 to 32)" },
	{ V_CIDR, "::1/129", 0, "the prefix length is out of range "
	    "(0 to 128)" },
	{ V_CIDR, "10.0.0.1/", 0, "the prefix length is empty" },
	{ V_CIDR, "10.0.0.1/024", 0, "the prefix length has a leading zero" },
	{ V_CIDR, "10.0.0.1/+8", 0, "'+' is not allowed" },
	{ V_CIDR, "10.0.0/24", 0, "the address has 3 parts, not 4" },
	{ V_CIDR, "/24", 0, "the address is empty" },
	{ V_CIDR, "10.0.0.1/24/24", 0, "'/' is not allowed" },

	/* Host names. */
	{ V_HOST, "localhost", 1, NULL },
	{ V_HOST, "support.example.com", 1, NULL },
	{ V_HOST, "a-b.c0", 1, NULL },
	{ V_HOST, "1.2.3.4a", 1, NULL },
	{ V_HOST, "xn--bcher-kva.example", 1, NULL },
	{ V_HOST, "example.com.", 0, "it ends with '.'" },
	{ V_HOST, ".example.com", 0, "it starts with '.'" },
	{ V_HOST, "a..b", 0, "it has an empty label" },
	{ V_HOST, "-a.example", 0, "label -a starts with '-'" },
	{ V_HOST, "a-.example", 0, "label a- ends with '-'" },
	{ V_HOST, "under_score.example", 0, "'_' is not allowed" },
	{ V_HOST, "10.0.0.300", 0, "it ends in a label of digits only" },
	{ V_HOST, "1.2.3.4", 0, "digits only" },
	{ V_HOST, "a b", 0, "a space is not allowed" },
	{ V_HOST, "", 0, "'' is not a host name: it is empty" },
	{ V_HOST, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaa.example", 0, "is longer than 63 characters" },

	/* URLs. */
	{ V_URL, "http://example.com", 1, NULL },
	{ V_URL, "https://example.com/", 1, NULL },
	{ V_URL, "HTTPS://Example.COM:8443/a/b?x=1&y=%20z", 1, NULL },
	{ V_URL, "http://192.0.2.1:80/health", 1, NULL },
	{ V_URL, "http://[2001:db8::1]:8080/", 1, NULL },
	{ V_URL, "https://[::1]", 1, NULL },
	{ V_URL, "http://host?q", 1, NULL },
	{ V_URL, "ftp://example.com/", 0, "only http:// and https:// are "
	    "allowed" },
	{ V_URL, "example.com", 0, "it does not start with http:// or "
	    "https://" },
	{ V_URL, "http://user:pw@example.com/", 0, "user information ('@') "
	    "is not allowed" },
	{ V_URL, "http://example.com/#top", 0, "a fragment ('#') is not "
	    "allowed" },
	{ V_URL, "http://example.com/a b", 0, "a space is not allowed" },
	{ V_URL, "http://example.com/a\\b", 0, "'\\' is not allowed" },
	{ V_URL, "http://example.com/\x01", 0, "control character ^A is not "
	    "allowed" },
	{ V_URL, "http://example.com:0/", 0, "the port is out of range "
	    "(1 to 65535)" },
	{ V_URL, "http://example.com:65536/", 0, "the port is out of range" },
	{ V_URL, "http://example.com:/", 0, "the port is empty" },
	{ V_URL, "http://example.com:http/", 0, "'h' is not allowed" },
	{ V_URL, "http:///path", 0, "the host is missing" },
	{ V_URL, "http://", 0, "the host is missing" },
	{ V_URL, "http://300.1.1.1/", 0, "300 is out of range" },
	{ V_URL, "http://[fe80::1%25eth0]/", 0, "a zone id" },
	{ V_URL, "http://[::1/", 0, "'[' has no matching ']'" },
	{ V_URL, "http://[::1]x/", 0, "only a port may follow ']'" },
	{ V_URL, "http://::1/", 0, "an IPv6 address must be enclosed in" },
	{ V_URL, "http://2001:db8::1:80/", 0, "must be enclosed in '[' and "
	    "']'" },
	{ V_URL, "http://example.com/%zz", 0, "'%' is not followed by two hex "
	    "digits" },
	{ V_URL, "http://example.com/<script>", 0, "'<' is not allowed" },
	{ V_URL, "http://ex_ample.com/", 0, "'_' is not allowed" },
	{ V_URL, "http://example.com/[x]", 0, "'[' and ']' may only enclose" },

	/* Time zones. */
	{ V_ZONE, "UTC", 1, NULL },
	{ V_ZONE, "Europe/Berlin", 1, NULL },
	{ V_ZONE, "America/Argentina/Buenos_Aires", 1, NULL },
	{ V_ZONE, "Etc/GMT+5", 1, NULL },
	{ V_ZONE, "Etc/GMT-14", 1, NULL },
	{ V_ZONE, "../etc/passwd", 0, "'..' is not allowed" },
	{ V_ZONE, "/etc/localtime", 0, "it starts with '/'" },
	{ V_ZONE, "Europe/", 0, "it ends with '/'" },
	{ V_ZONE, "Europe//Berlin", 0, "empty component" },
	{ V_ZONE, "Europe/-x", 0, "component -x starts with '-'" },
	{ V_ZONE, "Europe/Ber lin", 0, "a space is not allowed" },
	{ V_ZONE, "Europe/Berlin.tz", 0, "'.' is not allowed" },
	{ V_ZONE, "", 0, "'' is not a time zone name: it is empty" },
	{ V_ZONE, "A/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    0, "longer than 64 characters" },

	/* Terminal types and locales: no cause, only the verdict. */
	{ V_TERM, "vt100", 1, NULL },
	{ V_TERM, "xterm-256color", 1, NULL },
	{ V_TERM, "screen.xterm-256color", 1, NULL },
	{ V_TERM, "linux", 1, NULL },
	{ V_TERM, "", 0, NULL },
	{ V_TERM, "-vt100", 0, NULL },
	{ V_TERM, ".hidden", 0, NULL },
	{ V_TERM, "../../tmp/evil", 0, NULL },
	{ V_TERM, "xterm 256", 0, NULL },
	{ V_TERM, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, NULL },
	{ V_LOCALE, "C", 1, NULL },
	{ V_LOCALE, "C.UTF-8", 1, NULL },
	{ V_LOCALE, "en_US.UTF-8", 1, NULL },
	{ V_LOCALE, "de_DE@euro", 1, NULL },
	{ V_LOCALE, "", 0, NULL },
	{ V_LOCALE, "/tmp/locale", 0, NULL },
	{ V_LOCALE, "-C", 0, NULL },
	{ V_LOCALE, "en_US.UTF-8;x", 0, NULL },
	{ V_LOCALE, "en_US/../../x", 0, NULL },

	/* Connectivity targets: http(s) URLs or an authority, nothing else. */
	{ V_TARGET, "https://updates.example.com/", 1, NULL },
	{ V_TARGET, "http://192.0.2.1:8080/status?x=1", 1, NULL },
	{ V_TARGET, "updates.example.com", 1, NULL },
	{ V_TARGET, "updates.example.com:443", 1, NULL },
	{ V_TARGET, "192.0.2.1:22", 1, NULL },
	{ V_TARGET, "[2001:db8::1]:443", 1, NULL },
	{ V_TARGET, "", 0, "it is empty" },
	{ V_TARGET, "file:/etc/passwd", 0, "only http:// and https:// URLs "
	    "are allowed" },
	{ V_TARGET, "file:///etc/passwd", 0, "only http:// and https:// are "
	    "allowed" },
	{ V_TARGET, "gopher://example.com/", 0, "only http:// and https://" },
	{ V_TARGET, "gopher:70", 1, NULL },	/* a host named gopher */
	{ V_TARGET, "javascript:alert(1)", 0, "only http:// and https://" },
	{ V_TARGET, "https://user:pw@example.com/", 0, "user information" },
	{ V_TARGET, "user@example.com:22", 0, "'@' is not allowed" },
	{ V_TARGET, "example.com:22 x", 0, "a space is not allowed" },
	{ V_TARGET, "example.com:0", 0, "the port" },
	{ V_TARGET, "example.com:65536", 0, "the port" },
	{ V_TARGET, "example.com:-1", 0, "'-' is not allowed" },
	{ V_TARGET, "example.com/path", 0, "'/' is not allowed" },
	{ V_TARGET, "-oProxyCommand=x", 0, "is not" },
	{ V_TARGET, "2001:db8::1:443", 0, "more than one ':'" },
	{ V_TARGET, "exa_mple.com:443", 0, "is not" },
};

static const char *const vkind_names[] = {
	"number", "signed number", "port", "ifname", "ipv4", "ipv6", "ip",
	"cidr", "hostname", "url", "zone", "term", "locale", "target"
};

static char	 not_cleared[] = "not cleared";

static int
vcase_run(enum vkind kind, const char *value, char **cause)
{
	long long	 n;
	int		 i;

	switch (kind) {
	case V_NUMBER:
		return (valid_number(value, 0, 100, &n, cause));
	case V_SNUMBER:
		return (valid_number(value, -50, 50, &n, cause));
	case V_PORT:
		return (valid_port(value, &i, cause));
	case V_IFNAME:
		return (valid_ifname(value, cause));
	case V_IPV4:
		return (valid_ipv4(value, cause));
	case V_IPV6:
		return (valid_ipv6(value, cause));
	case V_IP:
		return (valid_ip(value, &i, cause));
	case V_CIDR:
		return (valid_cidr(value, &i, cause));
	case V_HOST:
		return (valid_hostname(value, cause));
	case V_URL:
		return (valid_url(value, cause));
	case V_ZONE:
		return (valid_zone(value, cause));
	case V_TERM:
		return (valid_term(value));
	case V_LOCALE:
		return (valid_locale(value));
	case V_TARGET:
		return (valid_target(value, cause));
	}
	fail_msg("unknown kind %d", (int)kind);
	return (-1);
}

/* A cause is one line of printable ASCII. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return (0);
	}
	return (1);
}

static void
test_table(void **state)
{
	const struct vcase	*c;
	size_t			 i, valid = 0, invalid = 0;
	char			*cause;
	int			 r, failed = 0;

	(void)state;
	for (i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		c = &vcases[i];
		cause = not_cleared;
		r = vcase_run(c->kind, c->value, &cause);
		if (c->kind == V_TERM || c->kind == V_LOCALE)
			cause = NULL;
		if (c->ok && (r != 0 || cause != NULL)) {
			print_message("%s '%s' refused: %s\n",
			    vkind_names[c->kind], c->value,
			    cause != NULL ? cause : "(no cause)");
			failed++;
		} else if (!c->ok && r != -1) {
			print_message("%s '%s' accepted\n",
			    vkind_names[c->kind], c->value);
			failed++;
		} else if (!c->ok && c->want != NULL && (cause == NULL ||
		    strstr(cause, c->want) == NULL || !printable(cause) ||
		    cause[0] != '\'')) {
			print_message("%s '%s': cause '%s' lacks '%s'\n",
			    vkind_names[c->kind], c->value,
			    cause != NULL ? cause : "(none)", c->want);
			failed++;
		}
		if (cause != NULL && cause != not_cleared)
			free(cause);

		/* The verdict does not depend on whether a cause is wanted. */
		if (vcase_run(c->kind, c->value, NULL) != r) {
			print_message("%s '%s': verdict differs without a "
			    "cause\n", vkind_names[c->kind], c->value);
			failed++;
		}
		if (c->ok)
			valid++;
		else
			invalid++;
	}
	assert_int_equal(failed, 0);
	assert_true(valid >= 20);
	assert_true(invalid >= 40);
}

static void
test_number_out(void **state)
{
	long long	 n;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(valid_number("-42", -100, 100, &n, &cause), 0);
	assert_int_equal(n, -42);
	assert_null(cause);
	assert_int_equal(valid_number("9223372036854775807", 0, LLONG_MAX, &n,
	    NULL), 0);
	assert_true(n == LLONG_MAX);
	assert_int_equal(valid_number("-9223372036854775808", LLONG_MIN, 0, &n,
	    NULL), 0);
	assert_true(n == LLONG_MIN);
	assert_int_equal(valid_number("9223372036854775808", 0, LLONG_MAX, &n,
	    &cause), -1);
	assert_non_null(strstr(cause, "out of range"));
	free(cause);
	assert_int_equal(valid_number("-9223372036854775809", LLONG_MIN, 0, &n,
	    NULL), -1);

	/* Out-parameters are cleared on failure, not left half-set. */
	n = 77;
	assert_int_equal(valid_number("101", 0, 100, &n, NULL), -1);
	assert_true(n == 0);
	assert_int_equal(valid_number(NULL, 0, 100, &n, &cause), -1);
	assert_string_equal(cause, "'' is not a number: it is empty");
	free(cause);
	assert_int_equal(valid_number("5", 0, 100, NULL, NULL), 0);
}

static void
test_port_out(void **state)
{
	int	 port = 1234;

	(void)state;
	assert_int_equal(valid_port("8080", &port, NULL), 0);
	assert_int_equal(port, 8080);
	assert_int_equal(valid_port("65536", &port, NULL), -1);
	assert_int_equal(port, 0);
	assert_int_equal(valid_port("22", NULL, NULL), 0);
}

static void
test_family_out(void **state)
{
	int	 family = -1;

	(void)state;
	assert_int_equal(valid_ip("192.0.2.1", &family, NULL), 0);
	assert_int_equal(family, AF_INET);
	assert_int_equal(valid_ip("fe80::1", &family, NULL), 0);
	assert_int_equal(family, AF_INET6);
	assert_int_equal(valid_ip("fe80::1::", &family, NULL), -1);
	assert_int_equal(family, 0);
	assert_int_equal(valid_cidr("10.1.2.3/8", &family, NULL), 0);
	assert_int_equal(family, AF_INET);
	assert_int_equal(valid_cidr("2001:db8::/48", &family, NULL), 0);
	assert_int_equal(family, AF_INET6);
	assert_int_equal(valid_cidr("2001:db8::/129", &family, NULL), -1);
	assert_int_equal(family, 0);
	assert_int_equal(valid_ip("1.2.3.4", NULL, NULL), 0);
}

/* Hostile values reach the cause sanitised; long ones are cut. */
static void
test_cause_quoting(void **state)
{
	char	*cause, *long_value;

	(void)state;
	assert_int_equal(valid_ifname("e\x1b[2J", &cause), -1);
	assert_true(printable(cause));
	assert_non_null(strstr(cause, "'e^[[2J' is not an interface name: "
	    "control character ^[ is not allowed"));
	free(cause);

	assert_int_equal(valid_hostname("h\xff", &cause), -1);
	assert_string_equal(cause, "'h\\xff' is not a host name: byte \\xff "
	    "is not allowed");
	free(cause);

	long_value = xmalloc(5001);
	memset(long_value, 'a', 5000);
	long_value[5000] = '\0';
	assert_int_equal(valid_ifname(long_value, &cause), -1);
	assert_non_null(strstr(cause, "aaa...' is not an interface name: it "
	    "is longer than 15 characters"));
	assert_true(strlen(cause) < 200);
	free(cause);
	assert_int_equal(valid_url(long_value, &cause), -1);
	assert_true(strlen(cause) < 200);
	free(cause);
	free(long_value);

	/* A URL at the limit passes; one byte more does not. */
	long_value = xmalloc(2050);
	memcpy(long_value, "http://h/", 9);
	memset(long_value + 9, 'p', 2048 - 9);
	long_value[2048] = '\0';
	assert_int_equal(valid_url(long_value, NULL), 0);
	long_value[2048] = 'p';
	long_value[2049] = '\0';
	assert_int_equal(valid_url(long_value, &cause), -1);
	assert_non_null(strstr(cause, "longer than 2048 characters"));
	free(cause);
	free(long_value);
}

/* A host name of exactly 253 characters passes; 254 does not. */
static void
test_hostname_length(void **state)
{
	char	 name[300];
	size_t	 i;

	(void)state;
	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
	memset(name, 'a', sizeof name);
	for (i = 63; i < 253; i += 64)
		name[i] = '.';
	name[253] = '\0';
	assert_int_equal(valid_hostname(name, NULL), 0);
	name[253] = 'a';
	name[254] = '\0';
	assert_int_equal(valid_hostname(name, NULL), -1);
}

/* NTP servers (module 400): names, pools and addresses; never options. */
static void
test_ntp_server(void **state)
{
	static const char *const good[] = { "ntp.lab.example",
	    "2.debian.pool.ntp.org", "192.0.2.1", "2001:db8::1", "time" };
	static const char *const bad[] = { "", "-x", "--help", "a b",
	    "ntp.lab.example;x", "300.1.1.1", "../../etc/shadow",
	    "1.2.3", "fe80::1%eth0", "host_name" };
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(valid_ntp_server(good[i], NULL), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(valid_ntp_server(bad[i], &cause), -1);
		assert_non_null(strstr(cause, "is not an NTP server"));
		free(cause);
	}
}

/* ISO 8601 with a zone; days that do not exist and far years refused. */
static void
test_datetime(void **state)
{
	static const struct {
		const char	*s;
		long long	 t;	/* -1: refused */
		const char	*why;
	} c[] = {
		{ "2027-03-01T12:00:00Z", 1803902400LL, NULL },
		{ "2027-03-01T13:00:00+01:00", 1803902400LL, NULL },
		{ "2027-03-01T07:30-04:30", 1803902400LL, NULL },
		{ "2028-02-29T00:00:00Z", 1835395200LL, NULL },
		{ "2099-12-31T23:59:59Z", 4102444799LL, NULL },
		{ "2000-01-01T00:00:00Z", 946684800LL, NULL },
		{ "2027-02-29T00:00:00Z", -1, "no such day" },
		{ "2027-04-31T00:00:00Z", -1, "no such day" },
		{ "2027-13-01T00:00:00Z", -1, "no such day" },
		{ "2027-03-01T24:00:00Z", -1, "no such time" },
		{ "2027-03-01T12:60Z", -1, "no such time" },
		{ "1999-12-31T23:59:59Z", -1, "year must be 2000 to 2099" },
		{ "2100-01-01T00:00:00Z", -1, "year must be 2000 to 2099" },
		{ "9999-01-01T00:00:00Z", -1, "year must be" },
		{ "2027-03-01T12:00:00", -1, "needs a zone" },
		{ "2027-03-01 12:00:00Z", -1, "YYYY-MM-DDTHH:MM:SSZ" },
		{ "2027-3-1T12:00:00Z", -1, "YYYY-MM-DDTHH:MM:SSZ" },
		{ "yesterday", -1, "YYYY-MM-DDTHH:MM:SSZ" },
		{ "", -1, "YYYY-MM-DDTHH:MM:SSZ" },
		{ "2027-03-01T12:00:00+1:00", -1, "zone must be" },
		{ "2027-03-01T12:00:00+15:00", -1, "zone must be" },
		{ "2027-0a-01T12:00:00Z", -1, "must be digits" },
		{ "-2027-03-01T12:00:00Z", -1, "YYYY" },
	};
	time_t		 t;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		t = 0;
		cause = NULL;
		if (c[i].t >= 0) {
			if (valid_datetime(c[i].s, &t, &cause) != 0)
				fail_msg("%s refused: %s", c[i].s, cause);
			assert_int_equal((long long)t, c[i].t);
			assert_null(cause);
			continue;
		}
		if (valid_datetime(c[i].s, &t, &cause) != -1)
			fail_msg("%s accepted", c[i].s);
		if (strstr(cause, c[i].why) == NULL)
			fail_msg("%s: '%s' lacks '%s'", c[i].s, cause,
			    c[i].why);
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_number_out),
		cmocka_unit_test(test_port_out),
		cmocka_unit_test(test_family_out),
		cmocka_unit_test(test_cause_quoting),
		cmocka_unit_test(test_hostname_length),
		cmocka_unit_test(test_ntp_server),
		cmocka_unit_test(test_datetime),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
