/* SPDX-License-Identifier: ISC */
/*
 * Module 210's model, shared by bin/testconn (the engine, which links
 * libcurl) and the console's 210 faces (which do not): targets parsed and
 * validated before any traffic, targets expanded from console.conf's
 * groups, the layer-by-layer diagnosis of what the engine observed, and
 * the engine's JSON report read back into results and rendered as text.
 */
#ifndef CONNECTIVITY_H
#define CONNECTIVITY_H

#include <stddef.h>

struct config_connectivity;

#define CONN_SPEC_MAX		512	/* a target as typed: URL or HOST:PORT */
#define CONN_TARGETS_MAX	64
#define CONN_ADDR_STRLEN	46
#define CONN_NAME_MAX		256	/* certificate subject and issuer */

/* The layers, in the order they are tested. */
enum conn_layer {
	CONN_L_NONE = 0,	/* nothing failed */
	CONN_L_CARRIER,
	CONN_L_GATEWAY,
	CONN_L_DNS,
	CONN_L_TCP,
	CONN_L_PROXY,
	CONN_L_TLS,
	CONN_L_HTTP,
	CONN_L_INPUT		/* the target itself was refused */
};

enum conn_verdict {
	CONN_PASSED = 0,
	CONN_FAILED,
	CONN_CANNOT		/* could not test: no route, no proxy, ... */
};

struct conn_target {
	char	 spec[CONN_SPEC_MAX];	/* as typed or expanded */
	char	 group[32];		/* config group, "" when typed */
	int	 tcp_only;		/* HOST:PORT: no TLS, no HTTP */
	int	 https;
	char	 host[256];		/* without brackets */
	int	 port;
	char	 url[CONN_SPEC_MAX + 16];	/* what the engine fetches */
};

/*
 * One target: an http or https URL, HOST:PORT, [IPV6]:PORT, or HOST with
 * PORT given apart (testconn HOST PORT). Nothing else, ever: no other
 * scheme, no user information, no spaces. Returns 0 or -1 with *cause.
 */
int	 conn_target_parse(const char *, const char *, struct conn_target *,
	    char **);
/*
 * The targets of console.conf's groups (all of them, or only the group
 * named), with {region} and {flavour} replaced and the private endpoint
 * applied. Returns the count (0 when none are configured) or -1 with
 * *cause; *out is the caller's to free.
 */
int	 conn_targets_from_config(const struct config_connectivity *,
	    const char *, struct conn_target **, char **);

enum conn_dns {
	CONN_DNS_NONE = 0,	/* not reached */
	CONN_DNS_LITERAL,	/* an address: nothing to resolve */
	CONN_DNS_OK,
	CONN_DNS_NXDOMAIN,
	CONN_DNS_NODATA,	/* the name exists, no address */
	CONN_DNS_SERVFAIL,
	CONN_DNS_REFUSED,
	CONN_DNS_TIMEOUT,	/* no server answered */
	CONN_DNS_NOSERVER	/* no name server configured */
};

enum conn_phase {
	CONN_P_NONE = 0,	/* not reached */
	CONN_P_OK,
	CONN_P_REFUSED,		/* TCP RST; proxy said no */
	CONN_P_TIMEOUT,
	CONN_P_UNREACHABLE,	/* ICMP unreachable, no route */
	CONN_P_AUTH,		/* proxy: 407 / SOCKS authentication */
	CONN_P_ERROR		/* anything else: see the detail */
};

/* What the engine saw for one target; conn_diagnose names the layer. */
struct conn_obs {
	int		 no_route;	/* no default route at all */
	char		 ifname[16];	/* the default route's link */
	int		 carrier;	/* 1 up, 0 down, -1 unknown */
	char		 gateway[CONN_ADDR_STRLEN];
	int		 gateway_ok;	/* 1 answered, 0 no answer, -1 unchecked */
	enum conn_dns	 dns;
	char		 dns_server[CONN_ADDR_STRLEN];	/* who answered, or
							   the servers asked */
	char		 dns_name[256];
	long		 dns_ms;
	char		 address[CONN_ADDR_STRLEN];
	enum conn_phase	 tcp;
	long		 tcp_ms;
	char		 tcp_peer[CONN_ADDR_STRLEN + 8];	/* addr:port */
	int		 proxy_used;
	char		 proxy[280];	/* host:port, never credentials */
	enum conn_phase	 proxy_state;
	int		 proxy_status;	/* CONNECT answer, 0 for SOCKS */
	long		 proxy_ms;
	int		 tls_used;
	enum conn_phase	 tls;
	long		 tls_ms;
	char		 tls_subject[CONN_NAME_MAX];
	char		 tls_issuer[CONN_NAME_MAX];	/* the leaf's issuer CN */
	char		 tls_root[CONN_NAME_MAX];	/* the chain's top issuer */
	int		 tls_verified;	/* 1 chain and name verified */
	char		 tls_verify[128];	/* why not, in words */
	int		 issuer_expected;	/* 1 yes, 0 no, -1 no set */
	int		 http_used;
	enum conn_phase	 http;
	int		 http_status;
	long		 http_ms;
	char		 detail[128];	/* the library's words for an error */
};

struct conn_result {
	char			 target[CONN_SPEC_MAX];
	char			 group[32];
	enum conn_verdict	 verdict;
	enum conn_layer		 layer;		/* the first that failed */
	char			 reason[384];	/* one sentence */
	int			 intercepted;	/* TLS inspection seen */
	char			 dns_server[CONN_ADDR_STRLEN];
	char			 address[CONN_ADDR_STRLEN];
	long			 dns_ms, tcp_ms, proxy_ms, tls_ms, http_ms;
	int			 http_status;
	char			 tls_issuer[CONN_NAME_MAX];
	char			 tls_subject[CONN_NAME_MAX];
};

/* Name the first failing layer and the reason, in words. */
void		 conn_diagnose(const struct conn_obs *,
		    const struct config_connectivity *, struct conn_result *);
/* Is this issuer one of the comma-separated expected names? 1, 0; -1 no set. */
int		 conn_issuer_expected(const char *, const char *);
const char	*conn_layer_name(enum conn_layer);
const char	*conn_verdict_name(enum conn_verdict);

struct conn_report {
	struct conn_result	*results;
	int			 n;
	int			 passed, failed, cannot;
	char			*proxy;		/* "http 192.0.2.1:8888" or NULL */
};

/* The engine's JSON into a report; -1 with *cause. */
int		 conn_report_parse(const char *, struct conn_report *, char **);
/* The engine's JSON for one report (what testconn --json prints). */
char		*conn_report_json(const struct conn_report *);
/* One line per target plus a summary; control bytes made safe. */
char		*conn_report_text(const struct conn_report *);
/* One result as the line the text report and the progress line use. */
char		*conn_result_line(const struct conn_result *);
void		 conn_report_free(struct conn_report *);

/*
 * The environment testconn runs with: the console's child environment
 * plus GNUTLS_NO_IMPLICIT_INIT=1, so that GnuTLS, which libcurl's RTMP
 * support loads but testconn never uses, does not initialise itself at
 * load time (about 0.7 MB of resident memory). Static storage.
 */
char *const	*conn_testconn_env(void);
/*
 * testconn drops root before it reads anything, so it cannot read the
 * root-only proxy.env: a root caller reads the password and hands it over
 * on testconn's stdin (option --proxy-password-stdin), never in argv or
 * the environment. The line "PASSWORD\n" (free with conn_secret_free),
 * or NULL when we are not root or the proxy has no password.
 */
char		*conn_testconn_secret(void);
void		 conn_secret_free(char *);

/*
 * Run testconn on these targets (none: the configured ones), through the
 * proxy check first when proxy_check is set, and read its report.
 * progress (may be NULL) gets each "N/M result" line as a target finishes.
 * Returns 0 with rep filled, or -1 with *cause (a usage error of a target
 * is reported as testconn words it). When the proxy has a password and we
 * are not root, the test (of the configured targets or one typed target)
 * runs as root through console-helper-proxy, without progress lines.
 */
int		 conn_run(const struct config_connectivity *, char **, int, int,
		    void (*)(const char *, void *), void *,
		    struct conn_report *, char **);

#endif
