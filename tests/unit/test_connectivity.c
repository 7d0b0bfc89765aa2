/* SPDX-License-Identifier: ISC */
/*
 * Module 210's model and module 100's settings without a network: target
 * parsing and validation, group expansion with region and flavour, the
 * layer diagnosis (one case per layer, data-driven), the expected-issuer
 * match, the JSON report round trip, and the proxy validators and files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "connectivity.h"
#include "proxy.h"
#include "xmalloc.h"

struct tcase {
	const char	*spec;
	const char	*port;		/* testconn HOST PORT */
	int		 ok;
	const char	*host;		/* or the cause's words when refused */
	int		 want_port;
	int		 https;
	int		 tcp_only;
	const char	*url;
};

static const struct tcase tcases[] = {
	{ "https://updates.example.com/", NULL, 1, "updates.example.com", 443,
	    1, 0, "https://updates.example.com/" },
	{ "https://updates.example.com", NULL, 1, "updates.example.com", 443,
	    1, 0, "https://updates.example.com/" },
	{ "http://192.0.2.1:8080/status/503", NULL, 1, "192.0.2.1", 8080, 0,
	    0, "http://192.0.2.1:8080/status/503" },
	{ "https://[2001:db8::1]:8443/", NULL, 1, "2001:db8::1", 8443, 1, 0,
	    "https://[2001:db8::1]:8443/" },
	{ "updates.example.com:22", NULL, 1, "updates.example.com", 22, 0, 1,
	    NULL },
	{ "[2001:db8::1]:22", NULL, 1, "2001:db8::1", 22, 0, 1, NULL },
	{ "updates.example.com", NULL, 1, "updates.example.com", 443, 1, 0,
	    "https://updates.example.com/" },
	{ "updates.example.com", "8443", 1, "updates.example.com", 8443, 0, 1,
	    NULL },
	{ "2001:db8::1", "22", 1, "2001:db8::1", 22, 0, 1, NULL },
	{ "file:/etc/passwd", NULL, 0, "only http:// and https://", 0, 0, 0,
	    NULL },
	{ "gopher://example.com/", NULL, 0, "only http:// and https://", 0, 0,
	    0, NULL },
	{ "ftp://example.com/", NULL, 0, "only http:// and https://", 0, 0, 0,
	    NULL },
	{ "https://a:b@example.com/", NULL, 0, "user information", 0, 0, 0,
	    NULL },
	{ "https://example.com/a b", NULL, 0, "a space is not allowed", 0, 0,
	    0, NULL },
	{ "example.com:70000", NULL, 0, "the port", 0, 0, 0, NULL },
	{ "example.com", "0", 0, "is not a port", 0, 0, 0, NULL },
	{ "example.com:22", "22", 0, "give a host name or an address only", 0,
	    0, 0, NULL },
	{ "https://example.com/#frag", NULL, 0, "fragment", 0, 0, 0, NULL },
};

static void
test_targets(void **state)
{
	const struct tcase	*c;
	struct conn_target	 t;
	char			*cause;
	size_t			 i;
	int			 r;

	(void)state;
	for (i = 0; i < sizeof tcases / sizeof tcases[0]; i++) {
		c = &tcases[i];
		cause = NULL;
		r = conn_target_parse(c->spec, c->port, &t, &cause);
		if (c->ok) {
			if (r != 0)
				fail_msg("%s: refused: %s", c->spec, cause);
			assert_string_equal(t.host, c->host);
			assert_int_equal(t.port, c->want_port);
			assert_int_equal(t.https, c->https);
			assert_int_equal(t.tcp_only, c->tcp_only);
			if (c->url != NULL)
				assert_string_equal(t.url, c->url);
			assert_null(cause);
		} else {
			assert_int_equal(r, -1);
			assert_non_null(cause);
			if (strstr(cause, c->host) == NULL)
				fail_msg("%s: cause '%s' lacks '%s'", c->spec,
				    cause, c->host);
			free(cause);
		}
	}
}

static void
test_over_long_host(void **state)
{
	struct conn_target	 t;
	char			 spec[400], *cause = NULL;

	(void)state;
	memset(spec, 'a', sizeof spec);
	memcpy(spec, "https://", 8);
	memcpy(spec + sizeof spec - 6, ".com/", 6);
	assert_int_equal(conn_target_parse(spec, NULL, &t, &cause), -1);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
}

static void
test_groups(void **state)
{
	struct config		 cfg;
	struct conn_target	*ts;
	char			*cause = NULL;
	int			 n;

	(void)state;
	config_defaults(&cfg);
	cfg.conn.groups[0] = xstrdup("https://activation{flavour}.{region}."
	    "example.com/ ntp.example.com:123");
	cfg.conn.groups[3] = xstrdup("https://updates.example.com/");
	cfg.conn.region = xstrdup("eu-west-1");
	n = conn_targets_from_config(&cfg.conn, NULL, &ts, &cause);
	assert_int_equal(n, 3);
	assert_string_equal(ts[0].spec,
	    "https://activation.eu-west-1.example.com/");
	assert_string_equal(ts[0].group, "activation");
	assert_string_equal(ts[1].host, "ntp.example.com");
	assert_string_equal(ts[2].group, "updates");
	free(ts);

	free(cfg.conn.flavour);
	cfg.conn.flavour = xstrdup("fips");
	n = conn_targets_from_config(&cfg.conn, "activation", &ts, &cause);
	assert_int_equal(n, 2);
	assert_string_equal(ts[0].host, "activation-fips.eu-west-1.example.com");
	free(ts);

	free(cfg.conn.flavour);
	cfg.conn.flavour = xstrdup("private");
	cfg.conn.private_endpoint = xstrdup("vpce-1.example.internal");
	n = conn_targets_from_config(&cfg.conn, "updates", &ts, &cause);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].url, "https://vpce-1.example.internal/");
	free(ts);

	assert_int_equal(conn_targets_from_config(&cfg.conn, "nope", &ts,
	    &cause), -1);
	assert_non_null(strstr(cause, "not a target group"));
	free(cause);
	config_free(&cfg);
}

static void
test_issuers(void **state)
{
	(void)state;
	assert_int_equal(conn_issuer_expected(NULL, "X"), -1);
	assert_int_equal(conn_issuer_expected("", "X"), -1);
	assert_int_equal(conn_issuer_expected("Root CA 1, Root CA 2",
	    "Root CA 2"), 1);
	assert_int_equal(conn_issuer_expected("Root CA 1,Root CA 2",
	    "Root CA 1"), 1);
	assert_int_equal(conn_issuer_expected("Root CA 1", "Root CA"), 0);
	assert_int_equal(conn_issuer_expected("Root CA 1", "Corp CA"), 0);
}

/* An observation where everything up to HTTP went well. */
static void
obs_ok(struct conn_obs *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->ifname, sizeof o->ifname, "eth0");
	o->carrier = 1;
	snprintf(o->gateway, sizeof o->gateway, "192.0.2.1");
	o->gateway_ok = 1;
	o->dns = CONN_DNS_OK;
	snprintf(o->dns_server, sizeof o->dns_server, "192.0.2.53");
	snprintf(o->dns_name, sizeof o->dns_name, "updates.example.com");
	o->tcp = CONN_P_OK;
	snprintf(o->tcp_peer, sizeof o->tcp_peer, "updates.example.com:443");
	o->tls_used = 1;
	o->tls = CONN_P_OK;
	o->tls_verified = 1;
	snprintf(o->tls_issuer, sizeof o->tls_issuer, "Root CA 1");
	o->issuer_expected = 1;
	o->http_used = 1;
	o->http = CONN_P_OK;
	o->http_status = 200;
}

enum dfield { D_NONE, D_NOROUTE, D_CARRIER, D_GATEWAY, D_DNS, D_TCP, D_PROXY,
	D_TLS, D_ISSUER, D_VERIFY, D_HTTP };

struct dcase {
	enum dfield		 field;
	int			 value;	/* enum or status */
	enum conn_verdict	 verdict;
	enum conn_layer		 layer;
	const char		*want;
};

static const struct dcase dcases[] = {
	{ D_NONE, 0, CONN_PASSED, CONN_L_NONE, "" },
	{ D_NOROUTE, 1, CONN_CANNOT, CONN_L_GATEWAY, "no default route" },
	{ D_CARRIER, 0, CONN_FAILED, CONN_L_CARRIER, "eth0 has no carrier" },
	{ D_GATEWAY, 0, CONN_FAILED, CONN_L_GATEWAY,
	    "gateway 192.0.2.1 did not answer on eth0 within 2 s" },
	{ D_DNS, CONN_DNS_NXDOMAIN, CONN_FAILED, CONN_L_DNS,
	    "updates.example.com does not exist (NXDOMAIN from 192.0.2.53)" },
	{ D_DNS, CONN_DNS_TIMEOUT, CONN_FAILED, CONN_L_DNS,
	    "no answer from 192.0.2.53 within 2 s" },
	{ D_DNS, CONN_DNS_SERVFAIL, CONN_FAILED, CONN_L_DNS, "SERVFAIL" },
	{ D_DNS, CONN_DNS_NODATA, CONN_FAILED, CONN_L_DNS, "has no address" },
	{ D_DNS, CONN_DNS_NOSERVER, CONN_CANNOT, CONN_L_DNS,
	    "no name server" },
	{ D_TCP, CONN_P_REFUSED, CONN_FAILED, CONN_L_TCP,
	    "updates.example.com:443 refused the connection" },
	{ D_TCP, CONN_P_TIMEOUT, CONN_FAILED, CONN_L_TCP,
	    "no answer from updates.example.com:443 within 3 s" },
	{ D_PROXY, CONN_P_AUTH, CONN_FAILED, CONN_L_PROXY,
	    "refused the credentials (proxy authentication failed, 407)" },
	{ D_PROXY, CONN_P_REFUSED, CONN_FAILED, CONN_L_PROXY,
	    "refused the tunnel (407)" },
	{ D_PROXY, CONN_P_TIMEOUT, CONN_FAILED, CONN_L_PROXY,
	    "did not open the tunnel within 3 s" },
	{ D_TLS, CONN_P_TIMEOUT, CONN_FAILED, CONN_L_TLS,
	    "no handshake within 3 s" },
	{ D_ISSUER, 0, CONN_FAILED, CONN_L_TLS,
	    "certificate issued by 'Corp Inspection CA': TLS inspection" },
	{ D_VERIFY, 0, CONN_FAILED, CONN_L_TLS,
	    "certificate not trusted: certificate has expired (issuer "
	    "'Root CA 1')" },
	{ D_HTTP, 503, CONN_FAILED, CONN_L_HTTP, "the server answered 503" },
	{ D_HTTP, 404, CONN_PASSED, CONN_L_NONE, "" },
};

static void
test_diagnose(void **state)
{
	const struct dcase	*c;
	struct config		 cfg;
	struct conn_obs		 o;
	struct conn_result	 r;
	size_t			 i;

	(void)state;
	config_defaults(&cfg);
	for (i = 0; i < sizeof dcases / sizeof dcases[0]; i++) {
		c = &dcases[i];
		obs_ok(&o);
		switch (c->field) {
		case D_NONE:
			break;
		case D_NOROUTE:
			o.no_route = 1;
			o.carrier = 0;	/* route first: nothing else counts */
			break;
		case D_CARRIER:
			o.carrier = 0;
			o.gateway_ok = 0;	/* carrier first */
			break;
		case D_GATEWAY:
			o.gateway_ok = 0;
			o.dns = CONN_DNS_TIMEOUT;	/* gateway first */
			break;
		case D_DNS:
			o.dns = c->value;
			o.tcp = CONN_P_NONE;
			break;
		case D_TCP:
			o.tcp = c->value;
			break;
		case D_PROXY:
			o.proxy_used = 1;
			snprintf(o.proxy, sizeof o.proxy, "http 192.0.2.1:3128");
			o.proxy_state = c->value;
			o.proxy_status = 407;
			break;
		case D_TLS:
			o.tls = c->value;
			break;
		case D_ISSUER:
			snprintf(o.tls_issuer, sizeof o.tls_issuer,
			    "Corp Inspection CA");
			o.issuer_expected = 0;
			o.tls_verified = 1;	/* trusted, still inspected */
			break;
		case D_VERIFY:
			o.tls_verified = 0;
			snprintf(o.tls_verify, sizeof o.tls_verify,
			    "certificate has expired");
			break;
		case D_HTTP:
			o.http_status = c->value;
			break;
		}
		memset(&r, 0, sizeof r);
		conn_diagnose(&o, &cfg.conn, &r);
		if (r.verdict != c->verdict || r.layer != c->layer ||
		    strstr(r.reason, c->want) == NULL)
			fail_msg("case %zu: got %s/%s '%s', wanted %s/%s '%s'",
			    i, conn_verdict_name(r.verdict),
			    conn_layer_name(r.layer), r.reason,
			    conn_verdict_name(c->verdict),
			    conn_layer_name(c->layer), c->want);
		assert_int_equal(r.intercepted, c->field == D_ISSUER);
	}
	config_free(&cfg);
}

static void
test_report(void **state)
{
	struct conn_report	 rep, back;
	struct conn_result	 rs[2];
	char			*json, *text, *cause = NULL, *line;

	(void)state;
	memset(rs, 0, sizeof rs);
	snprintf(rs[0].target, sizeof rs[0].target, "https://a.example/");
	rs[0].verdict = CONN_PASSED;
	rs[0].dns_ms = 3;
	rs[0].tcp_ms = 1;
	rs[0].proxy_ms = -1;
	rs[0].tls_ms = 5;
	rs[0].http_ms = 9;
	rs[0].http_status = 200;
	snprintf(rs[0].dns_server, sizeof rs[0].dns_server, "192.0.2.53");
	snprintf(rs[1].target, sizeof rs[1].target, "b.example:22");
	rs[1].verdict = CONN_FAILED;
	rs[1].layer = CONN_L_TCP;
	snprintf(rs[1].reason, sizeof rs[1].reason, "b.example:22 refused "
	    "the connection\x1b[2J");
	memset(&rep, 0, sizeof rep);
	rep.results = rs;
	rep.n = 2;
	rep.passed = rep.failed = 1;
	json = conn_report_json(&rep);
	assert_int_equal(conn_report_parse(json, &back, &cause), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.passed, 1);
	assert_int_equal(back.failed, 1);
	assert_int_equal(back.results[1].layer, CONN_L_TCP);
	assert_int_equal(back.results[0].proxy_ms, -1);
	assert_int_equal(back.results[0].http_status, 200);
	text = conn_report_text(&back);
	assert_non_null(strstr(text, "PASSED https://a.example/ - DNS 3 ms "
	    "(192.0.2.53), TCP 1 ms, TLS 5 ms, HTTP 200 in 9 ms\n"));
	assert_non_null(strstr(text, "FAILED b.example:22 - TCP: b.example:22 "
	    "refused the connection^[[2J\n"));
	assert_non_null(strstr(text, "1 passed, 1 failed, 0 could not be "
	    "tested"));
	line = conn_result_line(&back.results[1]);
	assert_null(strchr(line, '\x1b'));
	free(line);
	free(text);
	free(json);
	conn_report_free(&back);

	assert_int_equal(conn_report_parse("not json", &back, &cause), -1);
	assert_non_null(strstr(cause, "not JSON"));
	free(cause);
	assert_int_equal(conn_report_parse("{\"x\":1}", &back, &cause), -1);
	free(cause);
}

static void
test_proxy(void **state)
{
	struct proxy_conf	 pc;
	char			*cause = NULL, *env, buf[300];

	(void)state;
	assert_int_equal(proxy_valid_type("http", &cause), 0);
	assert_int_equal(proxy_valid_type("socks5", &cause), 0);
	assert_int_equal(proxy_valid_type("ftp", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_user("svc-proxy.1", &cause), 0);
	assert_int_equal(proxy_valid_user("a:b", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_user("-x", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_password("p@ss:w/rd%", &cause), 0);
	assert_int_equal(proxy_valid_password("it's", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_password("a b", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_password("$(reboot)", &cause), -1);
	free(cause);
	assert_int_equal(proxy_valid_noproxy(".corp.example,10.0.0.0/8,"
	    "localhost", &cause), 0);
	assert_int_equal(proxy_valid_noproxy("a_b", &cause), -1);
	free(cause);

	memset(&pc, 0, sizeof pc);
	snprintf(pc.type, sizeof pc.type, "http");
	snprintf(pc.host, sizeof pc.host, "proxy.example");
	pc.port = 3128;
	snprintf(pc.user, sizeof pc.user, "bob");
	snprintf(pc.password, sizeof pc.password, "p@ss:w/rd%%");
	pc.has_password = 1;
	snprintf(pc.no_proxy, sizeof pc.no_proxy, ".corp.example,localhost");
	env = proxy_env_text(&pc);
	assert_non_null(strstr(env, "https_proxy='http://bob:p%40ss%3Aw%2Frd%25"
	    "@proxy.example:3128'\n"));
	free(env);
	env = proxy_conf_text(&pc);
	assert_null(strstr(env, "p@ss"));
	assert_non_null(strstr(env, "APPLIANCE_PROXY_AUTH='set'"));
	free(env);
	proxy_describe(&pc, buf, sizeof buf);
	assert_string_equal(buf, "http proxy.example:3128");
	assert_int_equal(proxy_bypassed(&pc, "a.corp.example"), 1);
	assert_int_equal(proxy_bypassed(&pc, "corp.example"), 1);
	assert_int_equal(proxy_bypassed(&pc, "xcorp.example"), 0);
	assert_int_equal(proxy_bypassed(&pc, "localhost"), 1);
	assert_int_equal(proxy_bypassed(&pc, "updates.example"), 0);
	proxy_clear(&pc);
	assert_int_equal(pc.password[0], 0);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_over_long_host),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_issuers),
		cmocka_unit_test(test_diagnose),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_proxy),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
