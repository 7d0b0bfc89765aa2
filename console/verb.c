/* SPDX-License-Identifier: ISC */
/*
 * Typed helper verbs: the shared types, the wire encoding the console's
 * stub writes and the helper's frame reads, and the checks a table must
 * pass. The wire is a fixed grammar: a required argument is its value; an
 * optional one is "=VALUE" or "=" for absent, and "keep" where the row
 * allows leaving it as it is. Every word is bounded, printable ASCII and
 * never starts with '-', whatever the row says.
 */
#include <stdlib.h>
#include <string.h>

#include "valid.h"
#include "verb.h"
#include "xmalloc.h"

const char	 verb_keep[] = "keep";

static int	 verb_valid_iface(const char *, char **);
static int	 verb_valid_cidr(const char *, char **);
static int	 verb_valid_addr(const char *, char **);
static int	 verb_valid_mtu(const char *, char **);
static int	 verb_valid_port(const char *, char **);
static int	 verb_valid_updown(const char *, char **);
static int	 verb_valid_slaac(const char *, char **);
static int	 verb_value(const struct verb_arg *, const char *, char **);

const struct verb_type verb_iface = { "iface", verb_valid_iface };
const struct verb_type verb_cidr = { "addr/prefix", verb_valid_cidr };
const struct verb_type verb_addr = { "addr", verb_valid_addr };
const struct verb_type verb_addr4 = { "IPv4 addr", valid_ipv4 };
const struct verb_type verb_addr6 = { "IPv6 addr", valid_ipv6 };
const struct verb_type verb_host = { "name", valid_hostname };
const struct verb_type verb_mtu = { "mtu", verb_valid_mtu };
const struct verb_type verb_port = { "port", verb_valid_port };
const struct verb_type verb_updown = { "up|down", verb_valid_updown };
const struct verb_type verb_slaac = { "slaac|off", verb_valid_slaac };

static int
verb_valid_iface(const char *s, char **cause)
{
	return (valid_ifname(s, cause));
}

static int
verb_valid_cidr(const char *s, char **cause)
{
	return (valid_cidr(s, NULL, cause));
}

static int
verb_valid_addr(const char *s, char **cause)
{
	return (valid_ip(s, NULL, cause));
}

static int
verb_valid_mtu(const char *s, char **cause)
{
	return (valid_number(s, 68, 65535, NULL, cause));
}

static int
verb_valid_port(const char *s, char **cause)
{
	return (valid_port(s, NULL, cause));
}

/* One word of a fixed choice. */
static int
verb_choice(const char *s, const char *a, const char *b, char **cause)
{
	if (strcmp(s, a) == 0 || strcmp(s, b) == 0)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "use %s or %s", a, b);
	return (-1);
}

static int
verb_valid_updown(const char *s, char **cause)
{
	return (verb_choice(s, "up", "down", cause));
}

static int
verb_valid_slaac(const char *s, char **cause)
{
	return (verb_choice(s, "slaac", "off", cause));
}

const struct verb *
verb_find(const struct verb_domain *d, const char *name)
{
	size_t	 i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < d->nverbs; i++)
		if (strcmp(d->verbs[i].name, name) == 0)
			return (&d->verbs[i]);
	return (NULL);
}

int
verb_index(const struct verb_domain *d, const struct verb *v)
{
	if (v == NULL || v < d->verbs || v >= d->verbs + d->nverbs)
		return (-1);
	return ((int)(v - d->verbs));
}

/* A present value: the type's validator, on each item of a list. */
static int
verb_value(const struct verb_arg *a, const char *s, char **cause)
{
	char		 item[VERB_WORD_MAX + 1];
	const char	*p;
	size_t		 n;

	if (!(a->flags & VERB_LIST))
		return (a->type->valid(s, cause));
	for (p = s;; p += n + 1) {
		n = strcspn(p, ",");
		if (n == 0 || n > VERB_WORD_MAX) {
			if (cause != NULL)
				xasprintf(cause, "%s: an empty or overlong "
				    "item in the list", a->name);
			return (-1);
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (a->type->valid(item, cause) != 0)
			return (-1);
		if (p[n] == '\0')
			return (0);
	}
}

int
verb_check(const struct verb *v, const char *const *vals, char **cause)
{
	const struct verb_arg	*a;
	int			 i;

	for (i = 0; i < v->nargs; i++) {
		a = &v->args[i];
		if (vals[i] == verb_keep) {
			if (a->flags & VERB_KEEP)
				continue;
			xasprintf(cause, "%s: %s cannot be left as it is",
			    v->name, a->name);
			return (-1);
		}
		if (vals[i] == NULL || *vals[i] == '\0') {
			if (a->flags & VERB_OPTIONAL)
				continue;
			xasprintf(cause, "%s: %s is missing", v->name,
			    a->name);
			return (-1);
		}
		if (verb_value(a, vals[i], cause) != 0)
			return (-1);
	}
	return (0);
}

int
verb_encode(const struct verb *v, const char *const *vals, char **words,
    char **cause)
{
	const struct verb_arg	*a;
	int			 i;

	words[0] = NULL;
	for (i = 0; i < v->nargs; i++) {
		a = &v->args[i];
		words[i + 1] = NULL;
		if (vals[i] == verb_keep && (a->flags & VERB_KEEP))
			words[i] = xstrdup("keep");
		else if (vals[i] == verb_keep) {
			xasprintf(cause, "%s: %s cannot be left as it is",
			    v->name, a->name);
			goto fail;
		} else if (a->flags & VERB_OPTIONAL)
			xasprintf(&words[i], "=%s", vals[i] != NULL ?
			    vals[i] : "");
		else if (vals[i] == NULL || *vals[i] == '\0') {
			xasprintf(cause, "%s: %s is missing", v->name,
			    a->name);
			goto fail;
		} else
			words[i] = xstrdup(vals[i]);
		/* The helper checks again; a refusal is better said here. */
		if (vals[i] != NULL && vals[i] != verb_keep && *vals[i] != '\0' &&
		    verb_value(a, vals[i], cause) != 0)
			goto fail;
		if (strlen(words[i]) > VERB_WORD_MAX) {
			xasprintf(cause, "%s: %s is longer than %d "
			    "characters", v->name, a->name, VERB_WORD_MAX);
			goto fail;
		}
	}
	return (0);
fail:
	verb_words_free(words);
	return (-1);
}

void
verb_words_free(char **words)
{
	int	 i;

	for (i = 0; words != NULL && words[i] != NULL; i++) {
		free(words[i]);
		words[i] = NULL;
	}
}

int
verb_decode(const struct verb *v, int argc, char *const *argv,
    const char **vals, char **cause)
{
	const struct verb_arg	*a;
	const char		*s;
	int			 i;

	if (argc != v->nargs) {
		xasprintf(cause, "%s takes %d argument%s, not %d", v->name,
		    v->nargs, v->nargs == 1 ? "" : "s", argc);
		return (-2);
	}
	for (i = 0; i < argc; i++) {
		a = &v->args[i];
		s = argv[i];
		vals[i] = NULL;
		if (verb_word(i + 1, s, cause) == -1)
			return (-1);
		if ((a->flags & VERB_KEEP) && strcmp(s, "keep") == 0) {
			vals[i] = verb_keep;
			continue;
		}
		if (a->flags & VERB_OPTIONAL) {
			if (*s != '=') {
				xasprintf(cause, "argument %d (%s) is neither "
				    "=VALUE nor =%s", i + 1, a->name,
				    (a->flags & VERB_KEEP) ? " nor keep" : "");
				return (-1);
			}
			if (*++s == '\0')
				continue;	/* absent */
		}
		if (verb_value(a, s, cause) != 0) {
			if (*cause == NULL)
				xasprintf(cause, "argument %d is not valid",
				    i + 1);
			return (-1);
		}
		vals[i] = s;
	}
	return (0);
}

int
verb_word(int n, const char *s, char **cause)
{
	char	 what[32];
	size_t	 i, len;

	if (n == 0)
		(void)xsnprintf(what, sizeof what, "the verb");
	else
		(void)xsnprintf(what, sizeof what, "argument %d", n);
	len = strnlen(s, VERB_WORD_MAX + 1);
	if (len == 0) {
		xasprintf(cause, "%s is empty", what);
		return (-1);
	}
	if (len > VERB_WORD_MAX) {
		xasprintf(cause, "%s is longer than %d characters", what,
		    VERB_WORD_MAX);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			xasprintf(cause, "%s holds a character that is not "
			    "printable ASCII", what);
			return (-1);
		}
	}
	if (s[0] == '-') {
		xasprintf(cause, "%s may not start with '-'", what);
		return (-1);
	}
	return (0);
}

int
verb_domain_check(const struct verb_domain *d, char **cause)
{
	const struct verb	*v;
	const struct verb_arg	*a;
	size_t			 i, j;
	int			 k;

	if (d->helper == NULL || d->verbs == NULL || d->nverbs == 0) {
		xasprintf(cause, "a domain without a helper or verbs");
		return (-1);
	}
	for (i = 0; i < d->nverbs; i++) {
		v = &d->verbs[i];
		if (v->name == NULL || verb_word(0, v->name, cause) == -1 ||
		    strspn(v->name, "abcdefghijklmnopqrstuvwxyz-") !=
		    strlen(v->name)) {
			free(*cause);
			xasprintf(cause, "%s: verb %zu has a bad name",
			    d->helper, i);
			return (-1);
		}
		for (j = 0; j < i; j++) {
			if (strcmp(d->verbs[j].name, v->name) == 0) {
				xasprintf(cause, "%s: verb %s twice",
				    d->helper, v->name);
				return (-1);
			}
		}
		if (v->nargs < 0 || v->nargs > VERB_MAX_ARGS) {
			xasprintf(cause, "%s %s: %d arguments", d->helper,
			    v->name, v->nargs);
			return (-1);
		}
		for (k = 0; k < VERB_MAX_ARGS; k++) {
			a = &v->args[k];
			if (k >= v->nargs) {
				if (a->name != NULL || a->type != NULL) {
					xasprintf(cause, "%s %s: more argument "
					    "rows than its count %d", d->helper,
					    v->name, v->nargs);
					return (-1);
				}
				continue;
			}
			if (a->name == NULL || *a->name == '\0' ||
			    a->type == NULL || a->type->valid == NULL ||
			    a->type->name == NULL) {
				xasprintf(cause, "%s %s: argument %d has no "
				    "name, type or validator", d->helper,
				    v->name, k + 1);
				return (-1);
			}
			if ((a->flags & ~(VERB_OPTIONAL | VERB_KEEP |
			    VERB_LIST)) != 0 || ((a->flags & VERB_KEEP) &&
			    !(a->flags & VERB_OPTIONAL))) {
				xasprintf(cause, "%s %s: argument %d has bad "
				    "flags (keep needs optional)", d->helper,
				    v->name, k + 1);
				return (-1);
			}
		}
	}
	return (0);
}
