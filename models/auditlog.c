/* SPDX-License-Identifier: ISC */
/*
 * Reading the chained trail for `audit show` and the Audit screen. Each
 * line is key="value" fields (console/trail.c writes them through
 * audit_line); the values are unescaped here (\" \\ \xNN) and shown
 * sanitised again by the face. The hash chain itself is checked by the
 * audit helper (trail_verify), which alone can read the head.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "auditlog.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define AUDITLOG_LINE_MAX	8192

static const struct verb auditlog_verb_table[] = {
	[AUDITLOG_V_VERIFY] = { "verify", 0, { { NULL, NULL, 0 } } },
	[AUDITLOG_V_FORWARD] = { "forward", 0, { { NULL, NULL, 0 } } },
};
_Static_assert(sizeof auditlog_verb_table / sizeof auditlog_verb_table[0] ==
    AUDITLOG_V_COUNT, "a row per audit verb");

const struct verb_domain auditlog_verbs = { "audit", auditlog_verb_table,
	AUDITLOG_V_COUNT };

const char *const auditlog_names[AUDITLOG_NFIELDS] = {
	"seq", "time", "user", "uid", "session", "tty", "from", "helper",
	"verb", "args", "result", "msg", "prev"
};

static int	 auditlog_hex(int);
static int	 auditlog_match(const struct auditlog_rec *, const char *);

static int
auditlog_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

char *
auditlog_field(const char *line, const char *key)
{
	struct text_buf	 b;
	const char	*p = line;
	size_t		 klen = strlen(key);
	char		 c;
	int		 hi, lo;

	for (;;) {
		/* Fields start a line or follow a space outside a value. */
		if (strncmp(p, key, klen) == 0 && p[klen] == '=' &&
		    p[klen + 1] == '"')
			break;
		if ((p = strstr(p, "=\"")) == NULL)
			return (NULL);
		/* Skip that field's value, escapes and all. */
		for (p += 2; *p != '\0' && *p != '"'; p++)
			if (*p == '\\' && p[1] != '\0')
				p++;
		if (*p == '\0' || *++p != ' ')
			return (NULL);
		p++;
	}
	text_buf_init(&b, AUDITLOG_LINE_MAX);
	text_buf_append(&b, "", 0);
	for (p += klen + 2; *p != '\0' && *p != '"'; p++) {
		c = *p;
		if (c == '\\' && (p[1] == '"' || p[1] == '\\'))
			c = *++p;
		else if (c == '\\' && p[1] == 'x' &&
		    (hi = auditlog_hex(p[2])) != -1 &&
		    p[2] != '\0' && (lo = auditlog_hex(p[3])) != -1) {
			c = (char)(hi * 16 + lo);
			p += 3;
		}
		text_buf_append(&b, &c, 1);
	}
	return (text_buf_take(&b));
}

static int
auditlog_match(const struct auditlog_rec *r, const char *word)
{
	int	 i;

	if (word == NULL || *word == '\0')
		return (1);
	for (i = 0; i < AUDITLOG_NFIELDS - 1; i++)
		if (strcasestr(r->field[i], word) != NULL)
			return (1);
	return (0);
}

int
auditlog_load(const char *path, time_t since, const char *word, size_t max,
    struct auditlog *al, char **cause)
{
	struct auditlog_rec	 r, *all = NULL;
	size_t			 n = 0, cap = 0, i, len;
	char			*line = NULL, *v;
	ssize_t			 got;
	size_t			 lcap = 0;
	FILE			*f;
	int			 k;

	memset(al, 0, sizeof *al);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return (0);
		xasprintf(cause, "cannot read the audit trail %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	while ((got = getline(&line, &lcap, f)) != -1) {
		len = (size_t)got;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > AUDITLOG_LINE_MAX ||
		    (v = auditlog_field(line, "seq")) == NULL) {
			al->skipped++;
			continue;
		}
		free(v);
		memset(&r, 0, sizeof r);
		for (k = 0; k < AUDITLOG_NFIELDS; k++)
			if ((r.field[k] = auditlog_field(line,
			    auditlog_names[k])) == NULL)
				r.field[k] = xstrdup("");
		if (valid_datetime(r.field[1], &r.when, NULL) != 0)
			r.when = 0;
		if ((since != 0 && r.when < since) || !auditlog_match(&r,
		    word)) {
			for (k = 0; k < AUDITLOG_NFIELDS; k++)
				free(r.field[k]);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			all = xreallocarray(all, cap, sizeof *all);
		}
		all[n++] = r;
	}
	free(line);
	fclose(f);
	/* The newest max, newest first. */
	if (max > 0 && n > max) {
		for (i = 0; i < n - max; i++)
			for (k = 0; k < AUDITLOG_NFIELDS; k++)
				free(all[i].field[k]);
		memmove(all, all + (n - max), max * sizeof *all);
		n = max;
	}
	for (i = 0; i < n / 2; i++) {
		r = all[i];
		all[i] = all[n - 1 - i];
		all[n - 1 - i] = r;
	}
	al->recs = all;
	al->n = n;
	return (0);
}

void
auditlog_free(struct auditlog *al)
{
	size_t	 i;
	int	 k;

	if (al == NULL)
		return;
	for (i = 0; i < al->n; i++)
		for (k = 0; k < AUDITLOG_NFIELDS; k++)
			free(al->recs[i].field[k]);
	free(al->recs);
	memset(al, 0, sizeof *al);
}

char *
auditlog_text(const struct auditlog *al)
{
	struct text_buf	 b;
	const char	*const *f;
	char		*raw, *safe;
	size_t		 i;

	text_buf_init(&b, 16 * 1024 * 1024);
	if (al->n == 0)
		text_buf_printf(&b, "No records.\n");
	for (i = 0; i < al->n; i++) {
		f = (const char *const *)al->recs[i].field;
		xasprintf(&raw, "%s %s%s%s %s %s%s%s: %s%s%s", f[1], f[2],
		    strcmp(f[6], "-") == 0 ? "" : " from ",
		    strcmp(f[6], "-") == 0 ? "" : f[6], f[7], f[8],
		    *f[9] != '\0' ? " " : "", f[9], f[10],
		    *f[11] != '\0' ? " - " : "", f[11]);
		/* The values were unescaped: shown, never sent. */
		safe = text_sanitize(raw, strlen(raw));
		text_buf_printf(&b, "%s\n", safe);
		free(safe);
		free(raw);
	}
	return (text_buf_take(&b));
}

char *
auditlog_json(const struct auditlog *al)
{
	json_t	*arr, *o;
	char	*s, *safe;
	size_t	 i;
	int	 k;

	arr = json_array();
	for (i = 0; i < al->n; i++) {
		o = json_object();
		for (k = 0; k < AUDITLOG_NFIELDS; k++) {
			if (k == 0)
				json_object_set_new(o, "seq", json_integer(
				    strtoll(al->recs[i].field[0], NULL, 10)));
			else {
				/* ASCII only: JSON strings must be UTF-8. */
				safe = text_sanitize(al->recs[i].field[k],
				    strlen(al->recs[i].field[k]));
				json_object_set_new(o, auditlog_names[k],
				    json_string(safe));
				free(safe);
			}
		}
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return (s != NULL ? s : xstrdup("[]"));
}

char *
auditlog_rsyslog_conf(const char *remote, const char *trail)
{
	char		 host[256], *out;
	const char	*colon;
	size_t		 n;

	if ((colon = strrchr(remote, ':')) == NULL ||
	    (n = (size_t)(colon - remote)) == 0 || n >= sizeof host ||
	    valid_port(colon + 1, NULL, NULL) != 0)
		return (NULL);
	if (remote[0] == '[' && remote[n - 1] == ']')
		xsnprintf(host, sizeof host, "%.*s", (int)n - 2, remote + 1);
	else
		xsnprintf(host, sizeof host, "%.*s", (int)n, remote);
	/* Checked again: these words go into rsyslog's configuration. */
	if (valid_hostname(host, NULL) != 0 && valid_ipv4(host, NULL) != 0 &&
	    valid_ipv6(host, NULL) != 0)
		return (NULL);
	if (strpbrk(trail, "\"\\\n") != NULL)
		return (NULL);
	xasprintf(&out, "# Written by console-helper-audit forward from "
	    "[audit] remote in console.conf.\n"
	    "module(load=\"imfile\")\n"
	    "input(type=\"imfile\" File=\"%s\"\n"
	    "    Tag=\"appliance-console-trail:\" Facility=\"authpriv\"\n"
	    "    Severity=\"notice\" Ruleset=\"appliance-console-trail\")\n"
	    "ruleset(name=\"appliance-console-trail\") {\n"
	    "\taction(type=\"omfwd\" Target=\"%s\" Port=\"%s\" "
	    "Protocol=\"tcp\"\n"
	    "\t    TCP_Framing=\"octet-counted\"\n"
	    "\t    queue.type=\"LinkedList\" "
	    "queue.filename=\"appliance-console-trail\"\n"
	    "\t    queue.saveOnShutdown=\"on\" "
	    "action.resumeRetryCount=\"-1\"\n"
	    "\t    action.resumeInterval=\"2\")\n"
	    "}\n", trail, host, colon + 1);
	return (out);
}
