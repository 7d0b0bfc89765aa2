/* SPDX-License-Identifier: ISC */
/*
 * Module 100's model: the proxy settings, their validators, and the two
 * files they live in (see proxy.h). Reading is bounded and strict: a line
 * that is not KEY='value' with a known key makes the file "broken", and
 * a broken file means no proxy plus a warning, never a half-read proxy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "proxy.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define PROXY_FILE_MAX	8192

static int	 proxy_parse(const char *, struct proxy_conf *, char **);
static void	 proxy_url(struct text_buf *, const struct proxy_conf *, int);
static void	 proxy_settings(struct text_buf *, const struct proxy_conf *,
		     int);
static int	 proxy_plain(const char *, const char *, size_t, char **);

/* Printable ASCII, none of the characters a quoted value cannot hold. */
static int
proxy_plain(const char *s, const char *what, size_t max, char **cause)
{
	const char	*p;

	if (strlen(s) > max) {
		xasprintf(cause, "the %s is longer than %zu characters", what,
		    max);
		return (-1);
	}
	for (p = s; *p != '\0'; p++) {
		if (*p <= ' ' || *p > '~' || strchr("'\"\\$`", *p) != NULL) {
			xasprintf(cause, "the %s may not contain %s", what,
			    *p == ' ' ? "spaces" : *p < ' ' || *p > '~' ?
			    "control or non-ASCII characters" :
			    "quotes, '\\', '$' or '`'");
			return (-1);
		}
	}
	return (0);
}

int
proxy_valid_type(const char *s, char **cause)
{
	if (strcmp(s, "http") == 0 || strcmp(s, "socks5") == 0)
		return (0);
	xasprintf(cause, "the proxy type must be http or socks5");
	return (-1);
}

int
proxy_valid_host(const char *s, char **cause)
{
	if (valid_ip(s, NULL, NULL) == 0)
		return (0);
	return (valid_hostname(s, cause));
}

int
proxy_valid_user(const char *s, char **cause)
{
	const char	*p;

	if (*s == '\0' || strlen(s) > PROXY_USER_MAX) {
		xasprintf(cause, "the proxy user name must be 1 to %d "
		    "characters", PROXY_USER_MAX);
		return (-1);
	}
	for (p = s; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._-@", *p) != NULL)) {
			xasprintf(cause, "the proxy user name may hold only "
			    "letters, digits, '.', '_', '-' and '@'");
			return (-1);
		}
	}
	if (s[0] == '-') {
		xasprintf(cause, "the proxy user name may not start with '-'");
		return (-1);
	}
	return (0);
}

int
proxy_valid_password(const char *s, char **cause)
{
	if (*s == '\0') {
		xasprintf(cause, "the proxy password is empty");
		return (-1);
	}
	return (proxy_plain(s, "proxy password", PROXY_PASSWORD_MAX, cause));
}

/* Host names, addresses or .domain suffixes, separated by commas. */
int
proxy_valid_noproxy(const char *s, char **cause)
{
	char	*copy, *word, *save = NULL;
	int	 r = 0;

	if (proxy_plain(s, "no-proxy list", PROXY_NOPROXY_MAX, cause) == -1)
		return (-1);
	copy = xstrdup(s);
	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (valid_ip(word, NULL, NULL) == 0 ||
		    valid_cidr(word, NULL, NULL) == 0)
			continue;
		if (valid_hostname(word + (word[0] == '.'), cause) == -1) {
			r = -1;
			break;
		}
	}
	free(copy);
	return (r);
}

static int
proxy_parse(const char *text, struct proxy_conf *pc, char **cause)
{
	const char	*line, *eq, *end, *v;
	char		 key[32], val[PROXY_NOPROXY_MAX + 1];
	size_t		 klen, vlen;
	int		 lineno = 0, port = 0;
	char		*why = NULL;

	for (line = text; *line != '\0'; line = end + (*end == '\n')) {
		end = line + strcspn(line, "\n");
		lineno++;
		if (line == end || line[0] == '#')
			continue;
		eq = memchr(line, '=', (size_t)(end - line));
		if (eq == NULL || eq + 2 >= end || eq[1] != '\'' ||
		    end[-1] != '\'')
			goto bad;
		klen = (size_t)(eq - line);
		v = eq + 2;
		vlen = (size_t)(end - 1 - v);
		if (klen >= sizeof key || vlen >= sizeof val)
			goto bad;
		memcpy(key, line, klen);
		key[klen] = '\0';
		memcpy(val, v, vlen);
		val[vlen] = '\0';
		if (memchr(val, '\'', vlen) != NULL)
			goto bad;
		if (strcmp(key, "APPLIANCE_PROXY_TYPE") == 0) {
			if (proxy_valid_type(val, &why) == -1)
				goto bad;
			xsnprintf(pc->type, sizeof pc->type, "%s", val);
		} else if (strcmp(key, "APPLIANCE_PROXY_HOST") == 0) {
			if (proxy_valid_host(val, &why) == -1)
				goto bad;
			xsnprintf(pc->host, sizeof pc->host, "%s", val);
		} else if (strcmp(key, "APPLIANCE_PROXY_PORT") == 0) {
			if (valid_port(val, &port, &why) == -1)
				goto bad;
			pc->port = port;
		} else if (strcmp(key, "APPLIANCE_PROXY_USER") == 0) {
			if (*val != '\0' && proxy_valid_user(val, &why) == -1)
				goto bad;
			xsnprintf(pc->user, sizeof pc->user, "%s", val);
		} else if (strcmp(key, "APPLIANCE_PROXY_PASSWORD") == 0) {
			if (proxy_valid_password(val, &why) == -1)
				goto bad;
			xsnprintf(pc->password, sizeof pc->password, "%s", val);
			pc->has_password = 1;
		} else if (strcmp(key, "APPLIANCE_PROXY_AUTH") == 0) {
			pc->has_password = strcmp(val, "set") == 0;
		} else if (strcmp(key, "APPLIANCE_NO_PROXY") == 0) {
			if (*val != '\0' &&
			    proxy_valid_noproxy(val, &why) == -1)
				goto bad;
			xsnprintf(pc->no_proxy, sizeof pc->no_proxy, "%s", val);
		}
		/* The exported variables (http_proxy ...) are ours too:
		   derived from the above, not read back. */
	}
	if (pc->type[0] == '\0' || pc->host[0] == '\0' || pc->port == 0) {
		xasprintf(cause, "type, host or port is missing");
		return (-1);
	}
	pc->set = 1;
	return (0);
bad:
	xasprintf(cause, "line %d is not a valid setting%s%s", lineno,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	free(why);
	return (-1);
}

int
proxy_load(struct proxy_conf *pc, char **cause)
{
	char	 path[4096], *text, *why = NULL;
	int	 r;

	*cause = NULL;
	memset(pc, 0, sizeof *pc);
	if (paths_get(path, sizeof path, PROXY_ENV) == -1)
		return (-1);
	text = text_read_file(path, PROXY_FILE_MAX, &why);
	if (text == NULL) {
		free(why);
		why = NULL;
		if (paths_get(path, sizeof path, PROXY_CONF) == -1)
			return (-1);
		if (access(path, F_OK) == -1 && errno == ENOENT)
			return (0);
		if ((text = text_read_file(path, PROXY_FILE_MAX, &why)) ==
		    NULL) {
			*cause = why;
			return (-1);
		}
	}
	r = proxy_parse(text, pc, &why);
	explicit_bzero(text, strlen(text));
	free(text);
	if (r == -1) {
		proxy_clear(pc);
		xasprintf(cause, "%s: %s", path, why);
		free(why);
	}
	return (r);
}

/* scheme://[user:password@]host:port, the password percent-encoded. */
static void
proxy_url(struct text_buf *b, const struct proxy_conf *pc, int secret)
{
	const char	*p;
	int		 v6 = strchr(pc->host, ':') != NULL;

	text_buf_printf(b, "%s://", strcmp(pc->type, "socks5") == 0 ?
	    "socks5h" : "http");
	if (secret && pc->user[0] != '\0') {
		text_buf_printf(b, "%s", pc->user);
		if (pc->has_password) {
			text_buf_printf(b, ":");
			for (p = pc->password; *p != '\0'; p++) {
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
				    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				    strchr("-._~", *p) != NULL)
					text_buf_printf(b, "%c", *p);
				else
					text_buf_printf(b, "%%%02X",
					    (unsigned char)*p);
			}
		}
		text_buf_printf(b, "@");
	}
	text_buf_printf(b, "%s%s%s:%d", v6 ? "[" : "", pc->host, v6 ? "]" : "",
	    pc->port);
}

/* The APPLIANCE_* lines; the password only in the root-only file. */
static void
proxy_settings(struct text_buf *b, const struct proxy_conf *pc, int secret)
{
	text_buf_printf(b, "APPLIANCE_PROXY_TYPE='%s'\n", pc->type);
	text_buf_printf(b, "APPLIANCE_PROXY_HOST='%s'\n", pc->host);
	text_buf_printf(b, "APPLIANCE_PROXY_PORT='%d'\n", pc->port);
	text_buf_printf(b, "APPLIANCE_PROXY_USER='%s'\n", pc->user);
	text_buf_printf(b, "APPLIANCE_PROXY_AUTH='%s'\n", pc->has_password ?
	    "set" : "none");
	if (secret && pc->has_password)
		text_buf_printf(b, "APPLIANCE_PROXY_PASSWORD='%s'\n",
		    pc->password);
	text_buf_printf(b, "APPLIANCE_NO_PROXY='%s'\n", pc->no_proxy);
}

char *
proxy_conf_text(const struct proxy_conf *pc)
{
	struct text_buf	 b;

	text_buf_init(&b, PROXY_FILE_MAX);
	text_buf_printf(&b, "# Written by console-helper-proxy; see "
	    "console.conf(5). No password here.\n");
	proxy_settings(&b, pc, 0);
	return (text_buf_take(&b));
}

char *
proxy_env_text(const struct proxy_conf *pc)
{
	struct text_buf	 b;
	const char	*names[] = { "http_proxy", "https_proxy", "HTTP_PROXY",
			    "HTTPS_PROXY", "ALL_PROXY" };
	size_t		 i;

	text_buf_init(&b, PROXY_FILE_MAX);
	text_buf_printf(&b, "# Written by console-helper-proxy; see "
	    "console.conf(5). Root only: it holds the proxy password.\n");
	proxy_settings(&b, pc, 1);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		text_buf_printf(&b, "%s='", names[i]);
		proxy_url(&b, pc, 1);
		text_buf_printf(&b, "'\n");
	}
	text_buf_printf(&b, "no_proxy='%s'\nNO_PROXY='%s'\n", pc->no_proxy,
	    pc->no_proxy);
	return (text_buf_take(&b));
}

void
proxy_describe(const struct proxy_conf *pc, char *buf, size_t len)
{
	int	 v6 = strchr(pc->host, ':') != NULL;

	snprintf(buf, len, "%s %s%s%s:%d", pc->type, v6 ? "[" : "", pc->host,
	    v6 ? "]" : "", pc->port);
}

int
proxy_bypassed(const struct proxy_conf *pc, const char *host)
{
	char		*copy, *word, *save = NULL;
	size_t		 hl = strlen(host), wl;
	int		 r = 0;

	copy = xstrdup(pc->no_proxy);
	for (word = strtok_r(copy, ",", &save); word != NULL && !r;
	    word = strtok_r(NULL, ",", &save)) {
		if (strcmp(word, "*") == 0 || strcasecmp(word, host) == 0)
			r = 1;
		wl = strlen(word);
		/* ".example.com" and "example.com" both cover the domain
		   and every name under it, as in curl. */
		if (word[0] == '.')
			word++, wl--;
		if (wl > 0 && (strcasecmp(host, word) == 0 || (hl > wl &&
		    host[hl - wl - 1] == '.' &&
		    strcasecmp(host + hl - wl, word) == 0)))
			r = 1;
	}
	free(copy);
	return (r);
}

void
proxy_clear(struct proxy_conf *pc)
{
	explicit_bzero(pc, sizeof *pc);
}

static const struct verb_type proxy_type = { "http|socks5", proxy_valid_type };
static const struct verb_type proxy_host = { "host", proxy_valid_host };
static const struct verb_type proxy_user = { "user", proxy_valid_user };
static const struct verb_type proxy_noproxy = { "no-proxy list",
	proxy_valid_noproxy };
static const struct verb_type proxy_target = { "target", valid_target };

static const struct verb proxy_verb_table[] = {
	[PROXY_V_SET] = { "set", 5, { { "type", &proxy_type, 0 },
	    { "host", &proxy_host, 0 }, { "port", &verb_port, 0 },
	    { "user", &proxy_user, VERB_OPTIONAL },
	    { "no_proxy", &proxy_noproxy, VERB_OPTIONAL } } },
	[PROXY_V_REMOVE] = { "remove", 0, { { NULL, NULL, 0 } } },
	[PROXY_V_TEST] = { "test", 0, { { NULL, NULL, 0 } } },
	[PROXY_V_CONNECTIVITY] = { "connectivity", 0, { { NULL, NULL, 0 } } },
	[PROXY_V_CONNECTIVITY_ONE] = { "connectivity-one", 1,
	    { { "target", &proxy_target, 0 } } },
};
_Static_assert(sizeof proxy_verb_table / sizeof proxy_verb_table[0] ==
    PROXY_V_COUNT, "a row per proxy verb");

const struct verb_domain proxy_verbs = { "proxy", proxy_verb_table,
	PROXY_V_COUNT };
