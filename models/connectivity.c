/* SPDX-License-Identifier: ISC */
/*
 * Module 210's model: targets (typed or from console.conf), the diagnosis
 * that turns what the engine observed into the first failing layer and a
 * sentence, and the engine's JSON report. No network code lives here: the
 * engine is bin/testconn, the only program linked with libcurl.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "paths.h"
#include "priv.h"
#include "proxy.h"
#include "spawn.h"
#include "connectivity.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define CONN_TEXT_MAX	(256 * 1024)
#define CONN_JSON_MAX	(1024 * 1024)

static int	 conn_split_authority(const char *, size_t, struct conn_target *);
static void	 conn_secs(char *, size_t, int);
static void	 conn_copy(char *, size_t, const char *);
static json_t	*conn_jstr(const char *);
static void	 conn_on_err(const char *, size_t, void *);
static int	 conn_run_needs_root(void);
static int	 conn_run_priv(const char *, struct conn_report *, char **);
static void	 conn_diag_init(const struct conn_obs *, struct conn_result *);
static int	 conn_diag_link(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static int	 conn_diag_dns(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static int	 conn_diag_tcp(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static int	 conn_diag_proxy(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static int	 conn_diag_tls(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static int	 conn_diag_http(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
static void	 conn_say(struct conn_result *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* console.conf's check of a target and the model's agree on its length. */
_Static_assert(CONN_SPEC_MAX == CONFIG_TARGET_MAX, "target length");

static const char *const conn_layer_names[] = {
	[CONN_L_NONE] = "none",
	[CONN_L_CARRIER] = "carrier",
	[CONN_L_GATEWAY] = "gateway",
	[CONN_L_DNS] = "dns",
	[CONN_L_TCP] = "tcp",
	[CONN_L_PROXY] = "proxy",
	[CONN_L_TLS] = "tls",
	[CONN_L_HTTP] = "http",
	[CONN_L_INPUT] = "input"
};

static const char *const conn_verdict_names[] = {
	[CONN_PASSED] = "PASSED",
	[CONN_FAILED] = "FAILED",
	[CONN_CANNOT] = "CANNOT TEST"
};

const char *
conn_layer_name(enum conn_layer l)
{
	if ((size_t)l >= sizeof conn_layer_names / sizeof conn_layer_names[0])
		return ("unknown");
	return (conn_layer_names[l]);
}

const char *
conn_verdict_name(enum conn_verdict v)
{
	if ((size_t)v >= sizeof conn_verdict_names /
	    sizeof conn_verdict_names[0])
		return ("unknown");
	return (conn_verdict_names[v]);
}

/* strlcpy: cut to fit, always terminated. */
static void
conn_copy(char *dst, size_t len, const char *src)
{
	size_t	 n;

	if (len == 0)
		return;
	n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* host[:port] or [v6][:port], already validated, into t->host and t->port. */
static int
conn_split_authority(const char *s, size_t len, struct conn_target *t)
{
	const char	*end = s + len, *close, *colon, *h = s;
	size_t		 hlen;
	long		 port = 0;

	if (len > 0 && s[0] == '[') {
		if ((close = memchr(s, ']', len)) == NULL)
			return (-1);
		h = s + 1;
		hlen = (size_t)(close - h);
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(s, ':', len);
		hlen = colon != NULL ? (size_t)(colon - s) : len;
	}
	if (hlen == 0 || hlen >= sizeof t->host)
		return (-1);
	memcpy(t->host, h, hlen);
	t->host[hlen] = '\0';
	if (colon != NULL) {
		/* Validated as 1..65535 digits already. */
		for (colon++; colon < end; colon++)
			port = port * 10 + (*colon - '0');
		t->port = (int)port;
	}
	return (0);
}

int
conn_target_parse(const char *spec, const char *port, struct conn_target *t,
    char **cause)
{
	const char	*auth, *rest;
	char		*joined = NULL;
	int		 r = -1, p;

	*cause = NULL;
	memset(t, 0, sizeof *t);
	if (spec == NULL)
		spec = "";
	if (port != NULL) {
		/* testconn HOST PORT: a bare host (no brackets) and a port. */
		if (valid_port(port, &p, cause) == -1)
			goto out;
		if (strchr(spec, ':') != NULL && strchr(spec, '[') == NULL &&
		    valid_ipv6(spec, NULL) == 0)
			xasprintf(&joined, "[%s]:%s", spec, port);
		else if (strchr(spec, ':') != NULL || strchr(spec, '/') !=
		    NULL) {
			char	*safe = text_sanitize(spec, strnlen(spec, 64));

			xasprintf(cause, "'%s' is not a host: with a separate "
			    "port, give a host name or an address only", safe);
			free(safe);
			goto out;
		} else
			xasprintf(&joined, "%s:%s", spec, port);
		spec = joined;
	}
	if (valid_target(spec, cause) == -1)
		goto out;
	if (strlen(spec) >= sizeof t->spec) {
		xasprintf(cause, "the target is longer than %zu characters",
		    sizeof t->spec - 1);
		goto out;
	}
	conn_copy(t->spec, sizeof t->spec, spec);
	if (strstr(spec, "://") != NULL) {
		t->https = strncasecmp(spec, "https://", 8) == 0;
		auth = spec + (t->https ? 8 : 7);
		rest = auth + strcspn(auth, "/?");
		t->port = t->https ? 443 : 80;
		if (conn_split_authority(auth, (size_t)(rest - auth), t) == -1)
			goto bad;
		xsnprintf(t->url, sizeof t->url, "%s%s", spec,
		    *rest == '\0' ? "/" : "");
	} else {
		if (conn_split_authority(spec, strlen(spec), t) == -1)
			goto bad;
		if (t->port == 0) {
			/* A bare host: the whole HTTPS test. */
			t->https = 1;
			t->port = 443;
			xsnprintf(t->url, sizeof t->url, "https://%s/", spec);
		} else {
			t->tcp_only = 1;
			xsnprintf(t->url, sizeof t->url, "http://%s/", spec);
		}
	}
	r = 0;
	goto out;
bad:
	xasprintf(cause, "the target's host could not be read");
out:
	free(joined);
	return (r);
}

int
conn_targets_from_config(const struct config_connectivity *cc,
    const char *group, struct conn_target **out, char **cause)
{
	struct conn_target	*ts = NULL, *t;
	char			*copy, *word, *save, *a, *b, *c;
	const char		*suffix;
	int			 g, n = 0, found = group == NULL;

	*out = NULL;
	*cause = NULL;
	suffix = cc->flavour != NULL && strcmp(cc->flavour, "fips") == 0 ?
	    "-fips" : "";
	for (g = 0; g < CONFIG_CONN_GROUPS; g++) {
		if (group != NULL && strcmp(group, config_conn_group_names[g]))
			continue;
		found = 1;
		if (cc->groups[g] == NULL)
			continue;
		copy = xstrdup(cc->groups[g]);
		save = NULL;
		for (word = strtok_r(copy, " ", &save); word != NULL;
		    word = strtok_r(NULL, " ", &save)) {
			if (n == CONN_TARGETS_MAX) {
				xasprintf(cause, "more than %d targets are "
				    "configured", CONN_TARGETS_MAX);
				free(copy);
				free(ts);
				return (-1);
			}
			a = text_replace(word, "{region}", cc->region != NULL ?
			    cc->region : "");
			b = text_replace(a, "{flavour}", suffix);
			ts = xreallocarray(ts, n + 1, sizeof *ts);
			t = &ts[n];
			if (conn_target_parse(b, NULL, t, cause) == -1) {
				free(a);
				free(b);
				free(copy);
				free(ts);
				return (-1);
			}
			if (cc->flavour != NULL &&
			    strcmp(cc->flavour, "private") == 0 &&
			    cc->private_endpoint != NULL) {
				/* Every target goes to the private endpoint. */
				c = text_replace(b, t->host,
				    cc->private_endpoint);
				if (conn_target_parse(c, NULL, t, cause) == -1) {
					free(a);
					free(b);
					free(c);
					free(copy);
					free(ts);
					return (-1);
				}
				free(c);
			}
			conn_copy(t->group, sizeof t->group,
			    config_conn_group_names[g]);
			n++;
			free(a);
			free(b);
		}
		free(copy);
	}
	if (!found) {
		char	*safe = text_sanitize(group, strnlen(group, 64));

		xasprintf(cause, "'%s' is not a target group (activation, "
		    "control_plane, data_plane, updates)", safe);
		free(safe);
		return (-1);
	}
	*out = ts;
	return (n);
}

int
conn_issuer_expected(const char *list, const char *issuer)
{
	const char	*p, *end;
	size_t		 len;

	if (list == NULL || *list == '\0')
		return (-1);
	for (p = list; *p != '\0'; p = end + (*end == ',')) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len > 0 && strlen(issuer) == len &&
		    strncmp(p, issuer, len) == 0)
			return (1);
	}
	return (0);
}

/* Milliseconds as "2 s" or "750 ms". */
static void
conn_secs(char *buf, size_t len, int ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%d s", ms / 1000);
	else
		snprintf(buf, len, "%d ms", ms);
}

/* The reason, cut to fit (names from certificates can be long). */
static void
conn_say(struct conn_result *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

/* The result starts as a failure at no layer, with the figures seen. */
static void
conn_diag_init(const struct conn_obs *o, struct conn_result *r)
{
	r->verdict = CONN_FAILED;
	r->layer = CONN_L_NONE;
	r->intercepted = 0;
	r->dns_ms = o->dns_ms;
	r->tcp_ms = o->tcp_ms;
	r->proxy_ms = o->proxy_ms;
	r->tls_ms = o->tls_ms;
	r->http_ms = o->http_ms;
	r->http_status = o->http_status;
	conn_copy(r->dns_server, sizeof r->dns_server, o->dns_server);
	conn_copy(r->address, sizeof r->address, o->address);
	conn_copy(r->tls_issuer, sizeof r->tls_issuer, o->tls_issuer);
	conn_copy(r->tls_subject, sizeof r->tls_subject, o->tls_subject);
	r->reason[0] = '\0';
}

/* Each conn_diag_LAYER: 1 when that layer failed (the reason said), 0
   when the test goes on to the next. */
static int
conn_diag_link(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	char	 t[32];

	if (o->no_route) {
		r->verdict = CONN_CANNOT;
		r->layer = CONN_L_GATEWAY;
		conn_say(r, "no default route: configure a gateway "
		    "first");
		return (1);
	}
	if (o->carrier == 0) {
		r->layer = CONN_L_CARRIER;
		conn_say(r, "%s has no carrier (cable unplugged or "
		    "virtual link down)", o->ifname);
		return (1);
	}
	if (o->gateway_ok == 0) {
		r->layer = CONN_L_GATEWAY;
		conn_secs(t, sizeof t, cc->gateway_timeout_ms);
		conn_say(r, "gateway %s did not answer on %s within "
		    "%s", o->gateway, o->ifname, t);
		return (1);
	}
	return (0);
}

static int
conn_diag_dns(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	char	 t[32];

	r->layer = CONN_L_DNS;
	conn_secs(t, sizeof t, cc->dns_timeout_ms);
	switch (o->dns) {
	case CONN_DNS_NONE:
	case CONN_DNS_LITERAL:
	case CONN_DNS_OK:
		break;
	case CONN_DNS_NXDOMAIN:
		conn_say(r, "%s does not exist (NXDOMAIN from %s)",
		    o->dns_name, o->dns_server);
		return (1);
	case CONN_DNS_NODATA:
		conn_say(r, "%s has no address (answer from %s)",
		    o->dns_name, o->dns_server);
		return (1);
	case CONN_DNS_SERVFAIL:
		conn_say(r, "%s answered SERVFAIL for %s",
		    o->dns_server, o->dns_name);
		return (1);
	case CONN_DNS_REFUSED:
		conn_say(r, "%s refused to resolve %s",
		    o->dns_server, o->dns_name);
		return (1);
	case CONN_DNS_TIMEOUT:
		conn_say(r, "no answer from %s within %s",
		    o->dns_server, t);
		return (1);
	case CONN_DNS_NOSERVER:
		r->verdict = CONN_CANNOT;
		conn_say(r, "no name server is configured");
		return (1);
	}
	return (0);
}

static int
conn_diag_tcp(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	char	 t[32];

	r->layer = CONN_L_TCP;
	switch (o->tcp) {
	case CONN_P_NONE:
	case CONN_P_OK:
		break;
	case CONN_P_REFUSED:
		conn_say(r, "%s refused the connection",
		    o->tcp_peer);
		return (1);
	case CONN_P_TIMEOUT:
		conn_secs(t, sizeof t, cc->tcp_timeout_ms);
		conn_say(r, "no answer from %s within %s "
		    "(dropped by a firewall?)", o->tcp_peer, t);
		return (1);
	case CONN_P_UNREACHABLE:
		conn_say(r, "%s is unreachable (%s)", o->tcp_peer,
		    o->detail[0] ? o->detail : "no route");
		return (1);
	default:
		conn_say(r, "cannot connect to %s: %s", o->tcp_peer,
		    o->detail);
		return (1);
	}
	return (0);
}

static int
conn_diag_proxy(const struct conn_obs *o,
    const struct config_connectivity *cc, struct conn_result *r)
{
	char	 t[32];

	if (!o->proxy_used)
		return (0);
	r->layer = CONN_L_PROXY;
	switch (o->proxy_state) {
	case CONN_P_NONE:
	case CONN_P_OK:
		break;
	case CONN_P_AUTH:
		if (o->proxy_status != 0)
			conn_say(r, "proxy %s refused the credentials "
			    "(proxy authentication failed, %d)",
			    o->proxy, o->proxy_status);
		else
			conn_say(r, "proxy %s refused the credentials "
			    "(proxy authentication failed)", o->proxy);
		return (1);
	case CONN_P_TIMEOUT:
		conn_secs(t, sizeof t, cc->proxy_timeout_ms);
		conn_say(r, "proxy %s did not open the "
		    "tunnel within %s", o->proxy, t);
		return (1);
	case CONN_P_REFUSED:
		if (o->proxy_status != 0)
			conn_say(r, "proxy %s refused the "
			    "tunnel (%d)", o->proxy, o->proxy_status);
		else
			conn_say(r, "proxy %s refused the "
			    "tunnel: %s", o->proxy, o->detail);
		return (1);
	default:
		conn_say(r, "proxy %s: %s", o->proxy,
		    o->detail);
		return (1);
	}
	return (0);
}

static int
conn_diag_tls(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	char	 t[32];

	if (!o->tls_used)
		return (0);
	r->layer = CONN_L_TLS;
	if (o->issuer_expected == 0 && o->tls_issuer[0] != '\0') {
		r->intercepted = 1;
		conn_say(r, "certificate issued by '%s': "
		    "TLS inspection in the path",
		    o->tls_root[0] ? o->tls_root : o->tls_issuer);
		return (1);
	}
	switch (o->tls) {
	case CONN_P_NONE:
	case CONN_P_OK:
		break;
	case CONN_P_TIMEOUT:
		conn_secs(t, sizeof t, cc->tls_timeout_ms);
		conn_say(r, "no handshake within %s", t);
		return (1);
	default:
		conn_say(r, "handshake failed: %s",
		    o->detail);
		return (1);
	}
	if (o->tls == CONN_P_OK && !o->tls_verified) {
		conn_say(r, "certificate not trusted: %s "
		    "(issuer '%s')", o->tls_verify[0] ? o->tls_verify :
		    "verification failed", o->tls_issuer);
		return (1);
	}
	return (0);
}

static int
conn_diag_http(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	char	 t[32];

	if (!o->http_used)
		return (0);
	r->layer = CONN_L_HTTP;
	switch (o->http) {
	case CONN_P_NONE:
		break;
	case CONN_P_OK:
		if (o->http_status >= 500) {
			conn_say(r, "the server answered "
			    "%d", o->http_status);
			return (1);
		}
		break;
	case CONN_P_TIMEOUT:
		conn_secs(t, sizeof t, cc->http_timeout_ms);
		conn_say(r, "no answer within %s", t);
		return (1);
	default:
		conn_say(r, "%s", o->detail);
		return (1);
	}
	return (0);
}

void
conn_diagnose(const struct conn_obs *o, const struct config_connectivity *cc,
    struct conn_result *r)
{
	conn_diag_init(o, r);
	if (conn_diag_link(o, cc, r) || conn_diag_dns(o, cc, r) ||
	    conn_diag_tcp(o, cc, r) || conn_diag_proxy(o, cc, r) ||
	    conn_diag_tls(o, cc, r) || conn_diag_http(o, cc, r))
		return;
	r->layer = CONN_L_NONE;
	r->verdict = CONN_PASSED;
}

char *
conn_result_line(const struct conn_result *r)
{
	struct text_buf	 b;
	char		*target, *reason, *s;

	text_buf_init(&b, 2048);
	target = text_sanitize(r->target, strlen(r->target));
	reason = text_sanitize(r->reason, strlen(r->reason));
	text_buf_printf(&b, "%-6s %s", r->verdict == CONN_CANNOT ? "CANNOT" :
	    conn_verdict_name(r->verdict), target);
	if (r->verdict == CONN_PASSED) {
		text_buf_printf(&b, " -");
		if (r->dns_ms >= 0 && r->dns_server[0] != '\0')
			text_buf_printf(&b, " DNS %ld ms (%s),", r->dns_ms,
			    r->dns_server);
		if (r->tcp_ms >= 0)
			text_buf_printf(&b, " TCP %ld ms,", r->tcp_ms);
		if (r->proxy_ms >= 0)
			text_buf_printf(&b, " proxy %ld ms,", r->proxy_ms);
		if (r->tls_ms >= 0)
			text_buf_printf(&b, " TLS %ld ms,", r->tls_ms);
		if (r->http_status > 0)
			text_buf_printf(&b, " HTTP %d in %ld ms",
			    r->http_status, r->http_ms);
		else if (b.len > 0 && b.data[b.len - 1] == ',')
			b.data[--b.len] = '\0';
	} else
		text_buf_printf(&b, " - %s: %s",
		    r->layer == CONN_L_NONE ? "" : conn_layer_name(r->layer),
		    reason);
	free(target);
	free(reason);
	/* Layer names upper-case in text: "DNS: ...". */
	if ((s = strstr(b.data, " - ")) != NULL &&
	    r->verdict != CONN_PASSED) {
		for (s += 3; *s != '\0' && *s != ':'; s++) {
			if (*s >= 'a' && *s <= 'z')
				*s -= 'a' - 'A';
		}
	}
	return (text_buf_take(&b));
}

char *
conn_report_text(const struct conn_report *rep)
{
	struct text_buf	 b;
	char		*line;
	int		 i;

	text_buf_init(&b, CONN_TEXT_MAX);
	if (rep->proxy != NULL)
		text_buf_printf(&b, "Through proxy %s\n", rep->proxy);
	for (i = 0; i < rep->n; i++) {
		line = conn_result_line(&rep->results[i]);
		text_buf_printf(&b, "%s\n", line);
		free(line);
	}
	text_buf_printf(&b, "\n%d passed, %d failed, %d could not be tested\n",
	    rep->passed, rep->failed, rep->cannot);
	return (text_buf_take(&b));
}

/* Strings from certificates may not be UTF-8: never lose a member. */
static json_t *
conn_jstr(const char *s)
{
	json_t	*j;

	if ((j = json_string(s)) == NULL)
		j = json_string("(not UTF-8)");
	return (j);
}

char *
conn_report_json(const struct conn_report *rep)
{
	const struct conn_result	*r;
	json_t				*o, *a, *t;
	char				*s;
	int				 i;

#define MS(x)	((x) >= 0 ? json_integer(x) : json_null())
	o = json_object();
	a = json_array();
	for (i = 0; i < rep->n; i++) {
		r = &rep->results[i];
		t = json_object();
		json_object_set_new(t, "target", conn_jstr(r->target));
		json_object_set_new(t, "group", conn_jstr(r->group));
		json_object_set_new(t, "result",
		    json_string(conn_verdict_name(r->verdict)));
		json_object_set_new(t, "layer",
		    json_string(conn_layer_name(r->layer)));
		json_object_set_new(t, "reason", conn_jstr(r->reason));
		json_object_set_new(t, "intercepted",
		    json_boolean(r->intercepted));
		json_object_set_new(t, "dns_server", conn_jstr(r->dns_server));
		json_object_set_new(t, "address", conn_jstr(r->address));
		json_object_set_new(t, "dns_ms", MS(r->dns_ms));
		json_object_set_new(t, "tcp_ms", MS(r->tcp_ms));
		json_object_set_new(t, "proxy_ms", MS(r->proxy_ms));
		json_object_set_new(t, "tls_ms", MS(r->tls_ms));
		json_object_set_new(t, "http_ms", MS(r->http_ms));
		json_object_set_new(t, "http_status", json_integer(
		    r->http_status));
		json_object_set_new(t, "tls_subject",
		    conn_jstr(r->tls_subject));
		json_object_set_new(t, "tls_issuer", conn_jstr(r->tls_issuer));
		json_array_append_new(a, t);
	}
#undef MS
	json_object_set_new(o, "proxy", rep->proxy != NULL ?
	    json_string(rep->proxy) : json_null());
	json_object_set_new(o, "targets", a);
	json_object_set_new(o, "summary", json_pack("{s:i,s:i,s:i}", "passed",
	    rep->passed, "failed", rep->failed, "cannot_test", rep->cannot));
	if ((s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		s = xstrdup("{\"error\": \"the report could not be encoded\"}");
	json_decref(o);
	return (s);
}

/* A string member, cut to fit; "" when missing. */
#define CONN_GET_STR(obj, key, dst) \
	conn_copy((dst), sizeof (dst), json_string_value(json_object_get( \
	    (obj), (key))) != NULL ? json_string_value(json_object_get( \
	    (obj), (key))) : "")
#define CONN_GET_MS(obj, key) \
	(json_is_integer(json_object_get((obj), (key))) ? \
	    (long)json_integer_value(json_object_get((obj), (key))) : -1L)

int
conn_report_parse(const char *text, struct conn_report *rep, char **cause)
{
	json_t			*o, *a, *t;
	json_error_t		 je;
	struct conn_result	*r;
	const char		*v;
	size_t			 i;
	int			 k;

	memset(rep, 0, sizeof *rep);
	*cause = NULL;
	if (text == NULL || strlen(text) > CONN_JSON_MAX) {
		*cause = xstrdup("the test's report is missing or too long");
		return (-1);
	}
	if ((o = json_loads(text, 0, &je)) == NULL) {
		xasprintf(cause, "the test's report is not JSON (line %d: %s)",
		    je.line, je.text);
		return (-1);
	}
	a = json_object_get(o, "targets");
	if (!json_is_array(a) || json_array_size(a) > CONN_TARGETS_MAX) {
		*cause = xstrdup("the test's report has no target list");
		json_decref(o);
		return (-1);
	}
	if ((v = json_string_value(json_object_get(o, "proxy"))) != NULL)
		rep->proxy = text_sanitize(v, strnlen(v, 300));
	rep->results = xcalloc(json_array_size(a) + 1, sizeof *rep->results);
	json_array_foreach(a, i, t) {
		r = &rep->results[rep->n++];
		CONN_GET_STR(t, "target", r->target);
		CONN_GET_STR(t, "group", r->group);
		CONN_GET_STR(t, "reason", r->reason);
		CONN_GET_STR(t, "dns_server", r->dns_server);
		CONN_GET_STR(t, "address", r->address);
		CONN_GET_STR(t, "tls_subject", r->tls_subject);
		CONN_GET_STR(t, "tls_issuer", r->tls_issuer);
		r->dns_ms = CONN_GET_MS(t, "dns_ms");
		r->tcp_ms = CONN_GET_MS(t, "tcp_ms");
		r->proxy_ms = CONN_GET_MS(t, "proxy_ms");
		r->tls_ms = CONN_GET_MS(t, "tls_ms");
		r->http_ms = CONN_GET_MS(t, "http_ms");
		r->http_status = (int)CONN_GET_MS(t, "http_status");
		r->intercepted = json_is_true(json_object_get(t,
		    "intercepted"));
		v = json_string_value(json_object_get(t, "result"));
		r->verdict = CONN_FAILED;
		for (k = 0; v != NULL && k <= CONN_CANNOT; k++) {
			if (strcmp(v, conn_verdict_names[k]) == 0)
				r->verdict = k;
		}
		v = json_string_value(json_object_get(t, "layer"));
		r->layer = CONN_L_NONE;
		for (k = 0; v != NULL && k <= CONN_L_INPUT; k++) {
			if (strcmp(v, conn_layer_names[k]) == 0)
				r->layer = k;
		}
		if (r->verdict == CONN_PASSED)
			rep->passed++;
		else if (r->verdict == CONN_CANNOT)
			rep->cannot++;
		else
			rep->failed++;
	}
	json_decref(o);
	return (0);
}

void
conn_report_free(struct conn_report *rep)
{
	if (rep == NULL)
		return;
	free(rep->results);
	free(rep->proxy);
	memset(rep, 0, sizeof *rep);
}

struct conn_progress {
	void		(*fn)(const char *, void *);
	void		*arg;
	size_t		 seen;		/* stderr bytes already passed on */
};

/* Pass on each complete "progress N/M ..." line of testconn's stderr. */
static void
conn_on_err(const char *err, size_t len, void *arg)
{
	struct conn_progress	*p = arg;
	const char		*line, *nl;
	char			*copy;

	while (p->seen < len && (nl = memchr(err + p->seen, '\n',
	    len - p->seen)) != NULL) {
		line = err + p->seen;
		if ((size_t)(nl - line) > 9 && strncmp(line, "progress ", 9) ==
		    0) {
			copy = xstrndup(line + 9, (size_t)(nl - line - 9));
			p->fn(copy, p->arg);
			free(copy);
		}
		p->seen = (size_t)(nl - err) + 1;
	}
}

char *const *
conn_testconn_env(void)
{
	static char	*env[8];
	char *const	*base = paths_child_env();
	size_t		 i;

	for (i = 0; base[i] != NULL && i < sizeof env / sizeof env[0] - 2;
	    i++)
		env[i] = base[i];
	env[i++] = "GNUTLS_NO_IMPLICIT_INIT=1";
	env[i] = NULL;
	return (env);
}

char *
conn_testconn_secret(void)
{
	struct proxy_conf	 pc;
	char			*cause = NULL, *line = NULL;

	if (geteuid() != 0)
		return (NULL);
	if (proxy_load(&pc, &cause) == 0 && pc.set && pc.has_password &&
	    pc.password[0] != '\0')
		xasprintf(&line, "%s\n", pc.password);
	free(cause);
	proxy_clear(&pc);
	return (line);
}

void
conn_secret_free(char *line)
{
	if (line == NULL)
		return;
	explicit_bzero(line, strlen(line));
	free(line);
}

/* Only root can read the proxy's password: is one set? */
static int
conn_run_needs_root(void)
{
	struct proxy_conf	 pc;
	char			*cause = NULL;
	int			 r;

	r = proxy_load(&pc, &cause) == 0 && pc.set && pc.has_password;
	free(cause);
	proxy_clear(&pc);
	return (r);
}

/* The test as root, through console-helper-proxy; no progress lines. */
static int
conn_run_priv(const char *target, struct conn_report *rep, char **cause)
{
	struct priv_result	 res;
	const char		*args[] = { target, NULL };
	int			 r;

	r = priv_verb(&proxy_verbs, target != NULL ? PROXY_V_CONNECTIVITY_ONE :
	    PROXY_V_CONNECTIVITY, args, NULL, 120000, &res);
	if (r == 0)
		r = conn_report_parse(res.out, rep, cause);
	else
		*cause = xstrdup(res.message);
	priv_result_free(&res);
	return (r);
}

int
conn_run(const struct config_connectivity *cc, char **targets, int ntargets,
    int proxy_check, void (*progress)(const char *, void *), void *arg,
    struct conn_report *rep, char **cause)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	struct conn_progress	 p = { progress, arg, 0 };
	char			 path[PATH_MAX], **argv, *secret = NULL;
	const char		*line;
	int			 argc = 0, i, r = -1;
	size_t			 len;

	memset(rep, 0, sizeof *rep);
	*cause = NULL;
	if (!proxy_check && geteuid() != 0 && ntargets <= 1 &&
	    conn_run_needs_root())
		return (conn_run_priv(ntargets == 1 ? targets[0] : NULL, rep,
		    cause));
	if (ntargets > CONN_TARGETS_MAX) {
		xasprintf(cause, "at most %d targets at once",
		    CONN_TARGETS_MAX);
		return (-1);
	}
	if (paths_get(path, sizeof path, LIBEXECDIR "/testconn") == -1) {
		*cause = xstrdup("the path of testconn is too long");
		return (-1);
	}
	argv = xcalloc((size_t)ntargets + 7, sizeof *argv);
	argv[argc++] = path;
	argv[argc++] = "--json";
	argv[argc++] = "--progress";
	if (proxy_check)
		argv[argc++] = "--proxy-check";
	if ((secret = conn_testconn_secret()) != NULL)
		argv[argc++] = "--proxy-password-stdin";
	argv[argc++] = "--";
	for (i = 0; i < ntargets; i++)
		argv[argc++] = targets[i];
	memset(&req, 0, sizeof req);
	req.path = path;
	req.argv = argv;
	req.envp = conn_testconn_env();
	req.stdin_data = secret;
	/* Every layer of one target, plus the gateway and DNS, plus slack. */
	req.timeout_ms = cc->total_timeout_ms + cc->gateway_timeout_ms +
	    cc->dns_timeout_ms + 5000;
	req.capture_max = 2 * 1024 * 1024;
	if (progress != NULL) {
		req.on_err = conn_on_err;
		req.on_err_arg = &p;
	}
	if (spawn_run(&req, &res, cause) == -1)
		goto out;
	if (res.timed_out || res.cancelled || !res.exited ||
	    (res.exit_code != 0 && res.exit_code != 2)) {
		/* testconn's own last words, else how it ended. */
		len = res.err_len;
		while (len > 0 && res.err[len - 1] == '\n')
			len--;
		line = res.err + len;
		while (line > res.err && line[-1] != '\n')
			line--;
		if (res.timed_out)
			*cause = xstrdup("the test did not finish in time");
		else if (res.cancelled)
			*cause = xstrdup("the test was cancelled");
		else if (len > 0)
			*cause = text_sanitize(line, (size_t)(res.err + len -
			    line));
		else
			xasprintf(cause, "testconn failed (status %d)",
			    res.exited ? res.exit_code : 128 + res.signal);
		if (res.exited && res.exit_code == 1 && strncmp(*cause,
		    "testconn: ", 10) == 0)
			memmove(*cause, *cause + 10, strlen(*cause + 10) + 1);
		goto out;
	}
	r = conn_report_parse(res.out, rep, cause);
out:
	spawn_result_free(&res);
	conn_secret_free(secret);
	free(argv);
	return (r);
}
