/* SPDX-License-Identifier: ISC */
/*
 * Module 100's model: the appliance's outbound proxy. Two files under
 * /etc/appliance-console, both written only by console-helper-proxy:
 *   proxy.conf (0644)  the settings without the password, for the console;
 *   proxy.env  (0600)  the same plus the password and the usual http_proxy,
 *                      https_proxy, no_proxy and ALL_PROXY variables, for
 *                      the appliance's agent and for testconn run as root.
 * Lines are KEY='value'; values never hold a quote, a backslash, '$' or
 * '`', so the files can be sourced by a shell or read by an EnvironmentFile.
 */
#ifndef PROXY_H
#define PROXY_H

#include "verb.h"

#define PROXY_CONF	"/etc/appliance-console/proxy.conf"
#define PROXY_ENV	"/etc/appliance-console/proxy.env"
#define PROXY_USER_MAX		64
#define PROXY_PASSWORD_MAX	128
#define PROXY_NOPROXY_MAX	1024

struct proxy_conf {
	int	 set;			/* a proxy is configured */
	char	 type[8];		/* "http" or "socks5" */
	char	 host[256];
	int	 port;
	char	 user[PROXY_USER_MAX + 1];	/* "" when none */
	int	 has_password;
	char	 password[PROXY_PASSWORD_MAX + 1];	/* only from proxy.env */
	char	 no_proxy[PROXY_NOPROXY_MAX + 1];	/* comma-separated */
};

/* Validators, also used by the helper and the forms. */
int	 proxy_valid_type(const char *, char **);
int	 proxy_valid_host(const char *, char **);
int	 proxy_valid_user(const char *, char **);
int	 proxy_valid_password(const char *, char **);
int	 proxy_valid_noproxy(const char *, char **);

/*
 * Read the settings: proxy.env when it is readable (root), else
 * proxy.conf (no password). A missing file is "no proxy" (0). Returns 0,
 * or -1 with *cause when a file exists but is broken.
 */
int	 proxy_load(struct proxy_conf *, char **);
/* The two files' contents for these settings. */
char	*proxy_conf_text(const struct proxy_conf *);
char	*proxy_env_text(const struct proxy_conf *);
/* "http 192.0.2.1:8888" (never the credentials). */
void	 proxy_describe(const struct proxy_conf *, char *, size_t);
/* Does host match the no-proxy list (exact, or a suffix after '.')? */
int	 proxy_bypassed(const struct proxy_conf *, const char *);

/* The verbs of console-helper-proxy, in the order of its table. */
enum proxy_verb {
	PROXY_V_SET,
	PROXY_V_REMOVE,
	PROXY_V_TEST,
	PROXY_V_CONNECTIVITY,
	PROXY_V_CONNECTIVITY_ONE,
	PROXY_V_COUNT
};
extern const struct verb_domain	 proxy_verbs;
/* Wipe the password from memory. */
void	 proxy_clear(struct proxy_conf *);

#endif
