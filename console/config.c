/* SPDX-License-Identifier: ISC */
/*
 * console.conf, parsed with inih. Every key is in one table with its
 * range; the lint checks that each is documented in console.conf(5). A file
 * with any error is ignored as a whole (defaults are used) and the first
 * error becomes a warning the menu shows: a half-applied config would be
 * harder to reason about than the defaults.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

enum config_type {
	CONFIG_INT,
	CONFIG_LONG,
	CONFIG_NAME,
	CONFIG_MODULES,
	CONFIG_SERVERS,
	CONFIG_STRING		/* printable text, min..max long, own validator */
};

struct config_key {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	long long		 min;
	long long		 max;
	size_t			 offset;
};

#define OFF(f)	offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "console", "name", CONFIG_NAME, 1, CONFIG_NAME_MAX, OFF(name) },
	{ "console", "idle_timeout", CONFIG_INT, 0, 86400, OFF(idle_timeout) },
	{ "console", "borders", CONFIG_STRING, 0, 5, OFF(borders) },
	{ "console", "colour", CONFIG_STRING, 0, 5, OFF(colour) },
	{ "console", "escape_delay_ms", CONFIG_INT, 10, 5000,
	    OFF(escape_delay_ms) },
	{ "time", "servers", CONFIG_SERVERS, 1, CONFIG_TIME_SERVERS_MAX,
	    OFF(time.servers) },
	{ "time", "warn_offset_seconds", CONFIG_INT, 1, 31 * 86400,
	    OFF(time.warn_offset_seconds) },
	{ "time", "query_timeout_ms", CONFIG_INT, 100, 10000,
	    OFF(time.query_timeout_ms) },
	{ "time", "max_step_seconds", CONFIG_INT, 1, 10 * 366 * 86400,
	    OFF(time.max_step_seconds) },
	{ "modules", "hide", CONFIG_MODULES, 0, 0, OFF(hidden) },
	{ "audit", "remote", CONFIG_STRING, 0, 300, OFF(audit_remote) },
	{ "resources", "min_cpus", CONFIG_INT, 0, 4096,
	    OFF(resources.min_cpus) },
	{ "resources", "min_memory_mib", CONFIG_LONG, 0, 64L * 1024 * 1024,
	    OFF(resources.min_memory_mib) },
	{ "resources", "min_cache_disk_gib", CONFIG_LONG, 0, 1024L * 1024,
	    OFF(resources.min_cache_disk_gib) },
	{ "resources", "fs_warn_free_percent", CONFIG_INT, 0, 100,
	    OFF(resources.fs_warn_free_percent) },
	{ "resources", "fs_fail_free_percent", CONFIG_INT, 0, 100,
	    OFF(resources.fs_fail_free_percent) },
	{ "network", "confirm_timeout", CONFIG_INT, 10, 3600,
	    OFF(net_confirm_timeout) },
	{ "network", "dhcp_timeout", CONFIG_INT, 1, 120,
	    OFF(net_dhcp_timeout) },
	{ "connectivity", "activation", CONFIG_STRING, 0, 4096,
	    OFF(conn.groups[0]) },
	{ "connectivity", "control_plane", CONFIG_STRING, 0, 4096,
	    OFF(conn.groups[1]) },
	{ "connectivity", "data_plane", CONFIG_STRING, 0, 4096,
	    OFF(conn.groups[2]) },
	{ "connectivity", "updates", CONFIG_STRING, 0, 4096,
	    OFF(conn.groups[3]) },
	{ "connectivity", "flavour", CONFIG_STRING, 1, 16, OFF(conn.flavour) },
	{ "connectivity", "region", CONFIG_STRING, 0, 32, OFF(conn.region) },
	{ "connectivity", "private_endpoint", CONFIG_STRING, 0,
	    VALID_HOSTNAME_MAX, OFF(conn.private_endpoint) },
	{ "connectivity", "ca_file", CONFIG_STRING, 0, 255, OFF(conn.ca_file) },
	{ "connectivity", "expected_issuers", CONFIG_STRING, 0, 1024,
	    OFF(conn.expected_issuers) },
	{ "connectivity", "gateway_timeout_ms", CONFIG_INT, 100, 60000,
	    OFF(conn.gateway_timeout_ms) },
	{ "connectivity", "dns_timeout_ms", CONFIG_INT, 100, 60000,
	    OFF(conn.dns_timeout_ms) },
	{ "connectivity", "tcp_timeout_ms", CONFIG_INT, 100, 60000,
	    OFF(conn.tcp_timeout_ms) },
	{ "connectivity", "proxy_timeout_ms", CONFIG_INT, 100, 60000,
	    OFF(conn.proxy_timeout_ms) },
	{ "connectivity", "tls_timeout_ms", CONFIG_INT, 100, 60000,
	    OFF(conn.tls_timeout_ms) },
	{ "connectivity", "http_timeout_ms", CONFIG_INT, 100, 120000,
	    OFF(conn.http_timeout_ms) },
	{ "connectivity", "total_timeout_ms", CONFIG_INT, 500, 300000,
	    OFF(conn.total_timeout_ms) },
};
#undef OFF

struct config_parse {
	struct config	*cfg;
	const char	*path;
	FILE		*f;
	int		 line;		/* line the reader handed out last */
	int		 at_line_start;
	char		*error;		/* first error */
	int		 nerrors;
};

static int	 config_handler(void *, const char *, const char *,
		     const char *);
static char	*config_reader(char *, int, void *);
static int	 config_set(struct config *, const struct config_key *,
		     const char *, char **);
static int	 config_parse_modules(const char *, unsigned long *, char **);
static int	 config_parse_servers(const char *, long long, char **,
		     char **);
static int	 config_valid_targets(const char *, char **);
static int	 config_valid_flavour(const char *, char **);
static int	 config_valid_region(const char *, char **);
static int	 config_valid_endpoint(const char *, char **);
static int	 config_valid_path(const char *, char **);
static int	 config_valid_remote(const char *, char **);
static int	 config_valid_borders(const char *, char **);
static int	 config_valid_colour(const char *, char **);
static int	 config_valid_string(const struct config_key *, const char *,
		     char **);

const char *const config_conn_group_names[CONFIG_CONN_GROUPS] = {
	"activation", "control_plane", "data_plane", "updates"
};

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->name = xstrdup("Appliance Console");
	cfg->idle_timeout = 900;
	/* A VT100's arrow key is 3 bytes, 3 ms at 9600 baud: ample. */
	cfg->escape_delay_ms = 100;
	cfg->net_confirm_timeout = 60;
	cfg->net_dhcp_timeout = 10;
	cfg->hidden = 0;
	cfg->resources.min_cpus = 4;
	cfg->resources.min_memory_mib = 16 * 1024;
	cfg->resources.min_cache_disk_gib = 80;
	cfg->resources.fs_warn_free_percent = 10;
	cfg->resources.fs_fail_free_percent = 2;
	cfg->time.servers = xstrdup("pool.ntp.org");
	cfg->time.warn_offset_seconds = 1;
	cfg->time.query_timeout_ms = 2000;
	/* ntpd's panic threshold: beyond it, a person decides. */
	cfg->time.max_step_seconds = 1000;
	cfg->conn.flavour = xstrdup("public");
	cfg->conn.gateway_timeout_ms = 2000;
	cfg->conn.dns_timeout_ms = 2000;
	cfg->conn.tcp_timeout_ms = 3000;
	cfg->conn.proxy_timeout_ms = 3000;
	cfg->conn.tls_timeout_ms = 3000;
	cfg->conn.http_timeout_ms = 5000;
	cfg->conn.total_timeout_ms = 15000;
}

void
config_free(struct config *cfg)
{
	size_t	 i;

	free(cfg->name);
	free(cfg->hidden_list);
	free(cfg->time.servers);
	free(cfg->warning);
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (config_keys[i].type == CONFIG_STRING)
			free(*(char **)((char *)cfg + config_keys[i].offset));
	}
	memset(cfg, 0, sizeof *cfg);
}

/* An fgets for inih that keeps count of lines, so errors can name them. */
static char *
config_reader(char *str, int num, void *arg)
{
	struct config_parse	*p = arg;
	char			*r;
	size_t			 len;

	if ((r = fgets(str, num, p->f)) == NULL)
		return (NULL);
	if (p->at_line_start)
		p->line++;
	len = strlen(r);
	p->at_line_start = len > 0 && r[len - 1] == '\n';
	return (r);
}

/*
 * Set by the face that knows the modules (the command table); the core
 * never names one. NULL in a helper, which has no menu to hide from.
 */
static int	(*config_module_lookup)(const char *);

void
config_modules_lookup(int (*fn)(const char *))
{
	config_module_lookup = fn;
}

static int
config_parse_modules(const char *value, unsigned long *mask, char **cause)
{
	char		*copy, *word, *save = NULL;
	unsigned long	 m = 0;
	int		 idx;

	copy = xstrdup(value);
	for (word = strtok_r(copy, ", ", &save); word != NULL;
	    word = strtok_r(NULL, ", ", &save)) {
		if (config_module_lookup != NULL)
			idx = config_module_lookup(word);
		else
			idx = strspn(word, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789-") == strlen(word) ? 0 : -1;
		if (idx < 0 || idx >= (int)(sizeof m * 8)) {
			char	*safe = text_sanitize(word, strlen(word));

			xasprintf(cause, "'%s' is not a module name or number",
			    safe);
			free(safe);
			free(copy);
			return (-1);
		}
		if (config_module_lookup != NULL)
			m |= 1UL << idx;
	}
	free(copy);
	*mask = m;
	return (0);
}

/* Host names or addresses separated by spaces or commas, 1..max of them. */
static int
config_parse_servers(const char *value, long long max, char **out,
    char **cause)
{
	struct text_buf	 b;
	char		*copy, *word, *save = NULL;
	long long	 n = 0;

	copy = xstrdup(value);
	text_buf_init(&b, 2048);
	for (word = strtok_r(copy, ", ", &save); word != NULL;
	    word = strtok_r(NULL, ", ", &save)) {
		if (++n > max) {
			xasprintf(cause, "at most %lld servers", max);
			break;
		}
		if (valid_ntp_server(word, cause) == -1)
			break;
		text_buf_printf(&b, "%s%s", n > 1 ? " " : "", word);
	}
	free(copy);
	if (*cause == NULL && n == 0)
		xasprintf(cause, "no server given");
	if (*cause != NULL) {
		text_buf_free(&b);
		return (-1);
	}
	*out = text_buf_take(&b);
	return (0);
}

/*
 * A target list: URLs and HOST:PORT pairs separated by spaces; {region}
 * and {flavour} are checked as if they were plain letters. The
 * connectivity model reads the same words with the same validator.
 */
static int
config_valid_targets(const char *value, char **cause)
{
	char	*copy, *word, *save = NULL, *a, *b;
	int	 r = 0;

	copy = xstrdup(value);
	for (word = strtok_r(copy, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		a = text_replace(word, "{region}", "region");
		b = text_replace(a, "{flavour}", "flavour");
		if (valid_target(b, cause) == -1)
			r = -1;
		else if (strlen(b) >= CONFIG_TARGET_MAX) {
			xasprintf(cause, "the target is longer than %d "
			    "characters", CONFIG_TARGET_MAX - 1);
			r = -1;
		}
		free(a);
		free(b);
		if (r == -1)
			break;
	}
	free(copy);
	return (r);
}

static int
config_valid_flavour(const char *value, char **cause)
{
	if (strcmp(value, "public") == 0 || strcmp(value, "fips") == 0 ||
	    strcmp(value, "private") == 0)
		return (0);
	*cause = xstrdup("expected public, fips or private");
	return (-1);
}

static int
config_valid_region(const char *value, char **cause)
{
	const char	*p;

	for (p = value; *p != '\0'; p++) {
		if ((*p < 'a' || *p > 'z') && (*p < '0' || *p > '9') &&
		    *p != '-') {
			*cause = xstrdup("a region is lower-case letters, "
			    "digits and '-'");
			return (-1);
		}
	}
	if (value[0] == '-') {
		*cause = xstrdup("a region does not start with '-'");
		return (-1);
	}
	return (0);
}

static int
config_valid_endpoint(const char *value, char **cause)
{
	return (valid_hostname(value, cause));
}

/* HOST:PORT, a name or an IPv4 address, or [IPv6]:PORT. */
static int
config_valid_remote(const char *value, char **cause)
{
	char		 host[256];
	const char	*colon;
	size_t		 n;

	if ((colon = strrchr(value, ':')) == NULL ||
	    (n = (size_t)(colon - value)) == 0 || n >= sizeof host)
		goto bad;
	memcpy(host, value, n);
	host[n] = '\0';
	if (valid_port(colon + 1, NULL, NULL) != 0)
		goto bad;
	if (host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		if (valid_ipv6(host + 1, NULL) == 0)
			return (0);
		goto bad;
	}
	if (valid_ipv4(host, NULL) == 0 || valid_hostname(host, NULL) == 0)
		return (0);
bad:
	*cause = xstrdup("expected HOST:PORT or [IPv6]:PORT");
	return (-1);
}

static int
config_valid_path(const char *value, char **cause)
{
	if (value[0] != '/' || strstr(value, "..") != NULL) {
		*cause = xstrdup("expected an absolute path without '..'");
		return (-1);
	}
	return (0);
}

/* "auto" is the same as leaving the key out (NULL). */
static int
config_valid_borders(const char *value, char **cause)
{
	if (strcmp(value, "auto") == 0 || strcmp(value, "ascii") == 0)
		return (0);
	*cause = xstrdup("expected auto or ascii");
	return (-1);
}

static int
config_valid_colour(const char *value, char **cause)
{
	if (strcmp(value, "auto") == 0 || strcmp(value, "never") == 0)
		return (0);
	*cause = xstrdup("expected auto or never");
	return (-1);
}

/* The validator of a CONFIG_STRING key, by name. */
static int
config_valid_string(const struct config_key *k, const char *value,
    char **cause)
{
	static const struct {
		const char	*key;
		int		(*fn)(const char *, char **);
	} fns[] = {
		{ "activation", config_valid_targets },
		{ "control_plane", config_valid_targets },
		{ "data_plane", config_valid_targets },
		{ "updates", config_valid_targets },
		{ "flavour", config_valid_flavour },
		{ "region", config_valid_region },
		{ "private_endpoint", config_valid_endpoint },
		{ "ca_file", config_valid_path },
		{ "borders", config_valid_borders },
		{ "colour", config_valid_colour },
		{ "remote", config_valid_remote },
	};
	size_t	 i;

	for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		if (strcmp(k->key, fns[i].key) == 0)
			return (fns[i].fn(value, cause));
	}
	return (0);
}

static int
config_set(struct config *cfg, const struct config_key *k, const char *value,
    char **cause)
{
	char		*field = (char *)cfg + k->offset;
	long long	 n;
	size_t		 i, len;
	char		*vcause = NULL;

	switch (k->type) {
	case CONFIG_INT:
	case CONFIG_LONG:
		if (valid_number(value, k->min, k->max, &n, &vcause) == -1) {
			*cause = vcause;
			return (-1);
		}
		if (k->type == CONFIG_INT)
			*(int *)field = (int)n;
		else
			*(long *)field = (long)n;
		return (0);
	case CONFIG_NAME:
	case CONFIG_STRING:
		len = strlen(value);
		if (len < (size_t)k->min || len > (size_t)k->max) {
			xasprintf(cause, "expected %lld to %lld characters",
			    k->min, k->max);
			return (-1);
		}
		for (i = 0; i < len; i++) {
			if (value[i] < 0x20 || value[i] > 0x7e) {
				xasprintf(cause, "only printable ASCII is "
				    "allowed (byte %zu is not)", i + 1);
				return (-1);
			}
		}
		if (k->type == CONFIG_STRING && len > 0 &&
		    config_valid_string(k, value, cause) == -1)
			return (-1);
		free(*(char **)field);
		/* An empty string value means "not set". */
		*(char **)field = k->type == CONFIG_STRING && len == 0 ? NULL :
		    xstrdup(value);
		return (0);
	case CONFIG_SERVERS:
		if (config_parse_servers(value, k->max, &vcause, cause) == -1)
			return (-1);
		free(*(char **)field);
		*(char **)field = vcause;
		return (0);
	case CONFIG_MODULES:
		if (config_parse_modules(value, &cfg->hidden, cause) == -1)
			return (-1);
		free(cfg->hidden_list);
		cfg->hidden_list = xstrdup(value);
		return (0);
	}
	return (-1);
}

static int
config_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct config_parse	*p = arg;
	const struct config_key	*k = NULL;
	char			*cause = NULL, *s_section, *s_key;
	size_t			 i;

	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0) {
			k = &config_keys[i];
			break;
		}
	}
	if (k == NULL)
		cause = xstrdup("unknown key");
	else if (config_set(p->cfg, k, value, &cause) == 0)
		return (1);

	p->nerrors++;
	if (p->error == NULL) {
		s_section = text_sanitize(section, strlen(section));
		s_key = text_sanitize(key, strlen(key));
		xasprintf(&p->error, "%s:%d: key '%s' in [%s]: %s", p->path,
		    p->line, s_key, s_section, cause);
		free(s_section);
		free(s_key);
	}
	free(cause);
	return (1);	/* keep going: count every error, report the first */
}

int
config_load(struct config *cfg, const char *path)
{
	struct config_parse	 p;
	struct config		 fresh;
	int			 r;

	memset(&p, 0, sizeof p);
	p.path = path;
	p.at_line_start = 1;
	if ((p.f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return (0);
		free(cfg->warning);
		xasprintf(&cfg->warning, "%s: cannot read: %s; using defaults",
		    path, strerror(errno));
		return (-1);
	}
	/* Parse into a fresh copy so an error leaves cfg's defaults intact. */
	config_defaults(&fresh);
	p.cfg = &fresh;
	r = ini_parse_stream(config_reader, &p, config_handler, &p);
	fclose(p.f);
	if (r != 0 && p.error == NULL) {
		p.nerrors++;
		xasprintf(&p.error, "%s:%d: not a 'key = value' line or "
		    "[section] header", path, r > 0 ? r : p.line);
	}
	if (p.error != NULL) {
		config_free(&fresh);
		free(cfg->warning);
		if (p.nerrors > 1)
			xasprintf(&cfg->warning, "%s (and %d more); using "
			    "defaults", p.error, p.nerrors - 1);
		else
			xasprintf(&cfg->warning, "%s; using defaults",
			    p.error);
		free(p.error);
		return (-1);
	}
	if (fresh.resources.fs_fail_free_percent >
	    fresh.resources.fs_warn_free_percent) {
		config_free(&fresh);
		free(cfg->warning);
		xasprintf(&cfg->warning, "%s: fs_fail_free_percent is above "
		    "fs_warn_free_percent; using defaults", path);
		return (-1);
	}
	config_free(cfg);
	*cfg = fresh;
	return (0);
}

int
config_module_hidden(const struct config *cfg, const char *name)
{
	int	 idx;

	if (config_module_lookup == NULL ||
	    (idx = config_module_lookup(name)) < 0 ||
	    idx >= (int)(sizeof cfg->hidden * 8))
		return (0);
	return ((cfg->hidden & (1UL << idx)) != 0);
}
