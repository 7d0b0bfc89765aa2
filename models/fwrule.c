/* SPDX-License-Identifier: ISC */
/*
 * The iptables grammar (see fwrule.h). Options may come in any order, as
 * iptables takes them, each at most once; the checks that tie them
 * together (--dport needs -p tcp or udp, DNAT needs -t nat, ...) run
 * after the whole line is read, so each refusal names the real problem.
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwrule.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

struct fw_cmd_def {
	const char	*flag;
	enum fw_command	 command;
};

static const struct fw_cmd_def	 fw_commands[] = {
	{ "-L", FW_LIST }, { "-S", FW_SPEC }, { "-A", FW_APPEND },
	{ "-I", FW_INSERT }, { "-D", FW_DELETE }, { "-R", FW_REPLACE },
	{ "-F", FW_FLUSH }, { "-Z", FW_ZERO }, { "-N", FW_NEW },
	{ "-X", FW_REMOVE }, { "-P", FW_POLICY }
};

static const char *const	 fw_tables[] = { "filter", "nat", "mangle", NULL };
static const char *const	 fw_builtins[] = {
	"INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING", NULL
};
static const char *const	 fw_targets[] = {
	"ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "REDIRECT", "DNAT",
	"SNAT", "MASQUERADE", NULL
};
static const char *const	 fw_protos[] = { "tcp", "udp", "icmp", "all", NULL };
static const char *const	 fw_states[] = {
	"NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", NULL
};
static const char *const	 fw_rejects[] = {
	"icmp-port-unreachable", "icmp-host-unreachable",
	"icmp-net-unreachable", "icmp-admin-prohibited", "tcp-reset", NULL
};
/* Said by name: what a console that wraps iptables must never pass. */
static const char *const	 fw_never[] = {
	"--modprobe", "-M", "--set-counters", "-c", "-f", "--fragment",
	"-g", "--goto", "-E", "--rename-chain", "-W", "--wait-interval",
	NULL
};

static int	 fw_refuse(char **, const char *, const char *,
		     const char *);
static int	 fw_in(const char *, const char *const *);
static int	 fw_fail(char **, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static int	 fw_field(char **, const char *, char *);
static int	 fw_valid_chain(const char *, const char *, char **);
static int	 fw_valid_addr(const char *, char **);
static int	 fw_valid_ports(const char *, int, char **);
static int	 fw_valid_text(const char *, size_t, char **);
static int	 fw_valid_states(const char *, char **);
static int	 fw_valid_nat_to(const char *, char **);
static int	 fw_check(struct fw_rule *, char **);
static int	 fw_valid_line(const char *, char **);

static int
fw_in(const char *word, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(word, *list) == 0)
			return (1);
	return (0);
}

static int
fw_fail(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		xvasprintf(cause, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

/* A validator's sentence, prefixed with the option it checked. */
static int
fw_field(char **cause, const char *what, char *why)
{
	fw_fail(cause, "iptables: %s: %s", what, why != NULL ? why :
	    "not valid");
	free(why);
	return (-1);
}

int
fw_builtin_chain(const char *table, const char *chain)
{
	if (strcmp(chain, "PREROUTING") == 0)
		return (strcmp(table, "filter") != 0);
	if (strcmp(chain, "POSTROUTING") == 0)
		return (strcmp(table, "filter") != 0);
	if (strcmp(chain, "FORWARD") == 0)
		return (strcmp(table, "nat") != 0);
	return (strcmp(chain, "INPUT") == 0 || strcmp(chain, "OUTPUT") == 0);
}

/*
 * A built-in of this table, or a user chain's name: a letter first, and a
 * lower-case letter somewhere, because iptables takes a -j name it has no
 * chain for as an extension to load, and extensions' targets are upper
 * case (NFQUEUE, CT, TEE, ...).
 */
static int
fw_valid_chain(const char *table, const char *s, char **cause)
{
	size_t	 len = strlen(s);

	if (fw_in(s, fw_builtins)) {
		if (fw_builtin_chain(table, s))
			return (0);
		xasprintf(cause, "table %s has no chain %s", table, s);
		return (-1);
	}
	if (fw_in(s, fw_targets)) {
		xasprintf(cause, "'%s' is a target, not a chain", s);
		return (-1);
	}
	if (len == 0 || len > FW_CHAIN_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") != len) {
		xasprintf(cause, "a chain name is a letter then up to %d "
		    "letters, digits, '_' or '-'", FW_CHAIN_MAX - 1);
		return (-1);
	}
	if (strpbrk(s, "abcdefghijklmnopqrstuvwxyz") == NULL) {
		xasprintf(cause, "'%s' is not a chain of this table, and a "
		    "chain of your own needs a lower-case letter", s);
		return (-1);
	}
	return (0);
}

/* IPv4 address or network: iptables is the IPv4 tool. */
static int
fw_valid_addr(const char *s, char **cause)
{
	int	 family = 0;

	if (strchr(s, '/') != NULL ? valid_cidr(s, &family, cause) :
	    valid_ip(s, &family, cause))
		return (-1);
	if (family != AF_INET) {
		xasprintf(cause, "'%s' is not an IPv4 address", s);
		return (-1);
	}
	return (0);
}

/* PORT, or a range FIRST:LAST (sep ':') or FIRST-LAST (sep '-'). */
static int
fw_valid_ports(const char *s, int sep, char **cause)
{
	char		 first[8], *p;
	int		 lo, hi;
	size_t		 n;

	if ((p = strchr(s, sep)) == NULL)
		return (valid_port(s, NULL, cause));
	n = (size_t)(p - s);
	if (n == 0 || n >= sizeof first) {
		xasprintf(cause, "'%s' is not a port or a port range", s);
		return (-1);
	}
	memcpy(first, s, n);
	first[n] = '\0';
	if (valid_port(first, &lo, cause) == -1 ||
	    valid_port(p + 1, &hi, cause) == -1)
		return (-1);
	if (lo > hi) {
		xasprintf(cause, "the range %s runs backwards", s);
		return (-1);
	}
	return (0);
}

/* Free text (a comment, a log prefix): one printable word, bounded. */
static int
fw_valid_text(const char *s, size_t max, char **cause)
{
	size_t	 i, len = strlen(s);

	if (len == 0 || len > max) {
		xasprintf(cause, "from 1 to %zu characters", max);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f) {
			xasprintf(cause, "only printable characters, no "
			    "spaces or line breaks");
			return (-1);
		}
	}
	if (s[0] == '-') {
		xasprintf(cause, "may not start with '-'");
		return (-1);
	}
	return (0);
}

static int
fw_valid_states(const char *s, char **cause)
{
	char	 one[16];
	size_t	 n;

	for (;;) {
		n = strcspn(s, ",");
		if (n == 0 || n >= sizeof one)
			goto bad;
		memcpy(one, s, n);
		one[n] = '\0';
		if (!fw_in(one, fw_states))
			goto bad;
		if (s[n] == '\0')
			return (0);
		s += n + 1;
	}
bad:
	xasprintf(cause, "a comma-separated list of NEW, ESTABLISHED, "
	    "RELATED, INVALID, UNTRACKED");
	return (-1);
}

/* DNAT/SNAT: ADDR[:PORT[-PORT]]. */
static int
fw_valid_nat_to(const char *s, char **cause)
{
	char		 addr[16];
	const char	*colon = strchr(s, ':');
	size_t		 n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (n == 0 || n >= sizeof addr) {
		xasprintf(cause, "'%s' is not ADDR[:PORT]", s);
		return (-1);
	}
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (valid_ipv4(addr, cause) == -1)
		return (-1);
	if (colon != NULL)
		return (fw_valid_ports(colon + 1, '-', cause));
	return (0);
}

int
fw_is_read(const struct fw_rule *r)
{
	return (r->command == FW_LIST || r->command == FW_SPEC);
}

int
fw_is_disruptive(const struct fw_rule *r)
{
	switch (r->command) {
	case FW_FLUSH:
	case FW_REMOVE:
	case FW_DELETE:
	case FW_REPLACE:
		return (1);
	case FW_POLICY:
		return (strcmp(r->policy, "ACCEPT") != 0);
	case FW_APPEND:
	case FW_INSERT:
		return (r->target != NULL && (strcmp(r->target, "DROP") ==
		    0 || strcmp(r->target, "REJECT") == 0));
	default:
		return (0);
	}
}

/* What ties the options together, once the whole line is read. */
static int
fw_check(struct fw_rule *r, char **cause)
{
	const char	*t = r->target, *why = NULL;
	int		 ruled;

	ruled = r->proto != NULL || r->src != NULL || r->dst != NULL ||
	    r->in != NULL || r->out != NULL || r->sport != NULL ||
	    r->dport != NULL || r->state_match != NULL || r->comment != NULL ||
	    t != NULL;
	if (r->numeric || r->verbose || r->line_numbers) {
		if (r->command != FW_LIST)
			return (fw_fail(cause, "iptables: -n, -v and "
			    "--line-numbers go with -L only"));
	}
	switch (r->command) {
	case FW_APPEND:
	case FW_INSERT:
	case FW_REPLACE:
		if (t == NULL)
			return (fw_fail(cause, "iptables: a rule needs a "
			    "target: -j ACCEPT, DROP, REJECT, RETURN, LOG, "
			    "REDIRECT, DNAT, SNAT, MASQUERADE or a chain"));
		break;
	case FW_DELETE:
		if (r->num != 0 && ruled)
			return (fw_fail(cause, "iptables: -D takes a rule "
			    "number or a rule, not both"));
		if (r->num == 0 && t == NULL)
			return (fw_fail(cause, "iptables: -D needs a rule "
			    "number or the rule with its -j target"));
		break;
	default:
		if (ruled)
			return (fw_fail(cause, "iptables: rule options go "
			    "with -A, -I, -D and -R only"));
		break;
	}
	r->has_rule = ruled;
	if ((r->sport != NULL || r->dport != NULL) && (r->proto == NULL ||
	    (strcmp(r->proto, "tcp") != 0 && strcmp(r->proto, "udp") != 0)))
		return (fw_fail(cause, "iptables: --sport and --dport need "
		    "-p tcp or -p udp"));
	if (r->state_match != NULL && r->states == NULL)
		return (fw_fail(cause, "iptables: -m %s needs --%s",
		    r->state_match, strcmp(r->state_match, "state") == 0 ?
		    "state" : "ctstate"));
	if (r->log_prefix != NULL && (t == NULL || strcmp(t, "LOG") != 0))
		why = "--log-prefix goes with -j LOG";
	else if (r->reject_with != NULL && (t == NULL ||
	    strcmp(t, "REJECT") != 0))
		why = "--reject-with goes with -j REJECT";
	else if (r->reject_with != NULL && strcmp(r->reject_with,
	    "tcp-reset") == 0 && (r->proto == NULL ||
	    strcmp(r->proto, "tcp") != 0))
		why = "--reject-with tcp-reset needs -p tcp";
	else if (r->to_ports != NULL && (t == NULL ||
	    (strcmp(t, "REDIRECT") != 0 && strcmp(t, "MASQUERADE") != 0)))
		why = "--to-ports goes with -j REDIRECT or MASQUERADE";
	else if (r->to_ports != NULL && (r->proto == NULL ||
	    strcmp(r->proto, "all") == 0 || strcmp(r->proto, "icmp") == 0))
		why = "--to-ports needs -p tcp or -p udp";
	if (why != NULL)
		return (fw_fail(cause, "iptables: %s", why));
	if (r->to_dest != NULL && (t == NULL || strcmp(t, "DNAT") != 0))
		return (fw_fail(cause, "iptables: --to-destination goes with "
		    "-j DNAT"));
	if (r->to_src != NULL && (t == NULL || strcmp(t, "SNAT") != 0))
		return (fw_fail(cause, "iptables: --to-source goes with "
		    "-j SNAT"));
	if (t != NULL && ((strcmp(t, "DNAT") == 0 && r->to_dest == NULL) ||
	    (strcmp(t, "SNAT") == 0 && r->to_src == NULL)))
		return (fw_fail(cause, "iptables: -j %s needs --to-%s "
		    "ADDR[:PORT]", t, t[0] == 'D' ? "destination" : "source"));
	if (t != NULL && (strcmp(t, "REDIRECT") == 0 || strcmp(t, "DNAT") ==
	    0 || strcmp(t, "SNAT") == 0 || strcmp(t, "MASQUERADE") == 0) &&
	    strcmp(r->table, "nat") != 0)
		return (fw_fail(cause, "iptables: -j %s works in the nat "
		    "table only: add -t nat", t));
	if (r->command == FW_POLICY && !fw_builtin_chain(r->table, r->chain))
		return (fw_fail(cause, "iptables: -P sets the policy of a "
		    "built-in chain only"));
	if ((r->command == FW_NEW || r->command == FW_REMOVE) &&
	    r->chain != NULL && fw_builtin_chain(r->table, r->chain))
		return (fw_fail(cause, "iptables: %s is a built-in chain",
		    r->chain));
	if (r->target_is_chain && fw_builtin_chain(r->table, t))
		return (fw_fail(cause, "iptables: -j %s: cannot jump to a "
		    "built-in chain", t));
	return (0);
}

/* The option a word is, its value after it. */
/* The validators of the options' values that take an extra argument. */
static int
fw_valid_match_ports(const char *s, char **cause)
{
	return (fw_valid_ports(s, ':', cause));
}

static int
fw_valid_to_ports(const char *s, char **cause)
{
	return (fw_valid_ports(s, '-', cause));
}

static int
fw_valid_comment(const char *s, char **cause)
{
	return (fw_valid_text(s, FW_COMMENT_MAX, cause));
}

static int
fw_valid_log_prefix(const char *s, char **cause)
{
	return (fw_valid_text(s, FW_LOG_PREFIX_MAX, cause));
}

/*
 * The options, like the commands: each at most once, a value checked by
 * its validator or against its list. One that belongs to a match comes
 * after that -m.
 */
enum fw_opt_kind {
	FW_OPT_FLAG,		/* an int set to 1 */
	FW_OPT_VALUE,		/* the next word, into a const char * */
	FW_OPT_MATCH,		/* -m */
	FW_OPT_TARGET		/* -j: a target of the list or a chain */
};
struct fw_opt_def {
	const char		*word;
	enum fw_opt_kind	 kind;
	size_t			 off;	/* of the field in struct fw_rule */
	const char		*what;	/* "-p needs WHAT" */
	int			(*valid)(const char *, char **);
	const char *const	*list;	/* else the values allowed */
	const char		*use;	/* "-p: use USE"; NULL: "needs WHAT" */
	const char		*after;	/* the -m it belongs to, or NULL */
};
#define FW_OFF(f)	offsetof(struct fw_rule, f)
static const struct fw_opt_def	 fw_options[] = {
	{ "-t", FW_OPT_VALUE, FW_OFF(table), "filter, nat or mangle", NULL,
	    fw_tables, NULL, NULL },
	{ "-n", FW_OPT_FLAG, FW_OFF(numeric), NULL, NULL, NULL, NULL, NULL },
	{ "-v", FW_OPT_FLAG, FW_OFF(verbose), NULL, NULL, NULL, NULL, NULL },
	{ "--line-numbers", FW_OPT_FLAG, FW_OFF(line_numbers), NULL, NULL,
	    NULL, NULL, NULL },
	{ "-p", FW_OPT_VALUE, FW_OFF(proto), "tcp, udp, icmp or all", NULL,
	    fw_protos, "tcp, udp, icmp or all", NULL },
	{ "-s", FW_OPT_VALUE, FW_OFF(src), "an address", fw_valid_addr, NULL,
	    NULL, NULL },
	{ "-d", FW_OPT_VALUE, FW_OFF(dst), "an address", fw_valid_addr, NULL,
	    NULL, NULL },
	{ "-i", FW_OPT_VALUE, FW_OFF(in), "an interface", valid_ifname, NULL,
	    NULL, NULL },
	{ "-o", FW_OPT_VALUE, FW_OFF(out), "an interface", valid_ifname, NULL,
	    NULL, NULL },
	{ "--sport", FW_OPT_VALUE, FW_OFF(sport), "a port",
	    fw_valid_match_ports, NULL, NULL, NULL },
	{ "--dport", FW_OPT_VALUE, FW_OFF(dport), "a port",
	    fw_valid_match_ports, NULL, NULL, NULL },
	{ "-m", FW_OPT_MATCH, 0, "state, conntrack or comment", NULL, NULL,
	    NULL, NULL },
	{ "--state", FW_OPT_VALUE, FW_OFF(states), "a state list",
	    fw_valid_states, NULL, NULL, "state" },
	{ "--ctstate", FW_OPT_VALUE, FW_OFF(states), "a state list",
	    fw_valid_states, NULL, NULL, "conntrack" },
	{ "--comment", FW_OPT_VALUE, FW_OFF(comment), "the comment",
	    fw_valid_comment, NULL, NULL, "comment" },
	{ "-j", FW_OPT_TARGET, FW_OFF(target), "a target", NULL, NULL, NULL,
	    NULL },
	{ "--log-prefix", FW_OPT_VALUE, FW_OFF(log_prefix), "the prefix",
	    fw_valid_log_prefix, NULL, NULL, NULL },
	{ "--reject-with", FW_OPT_VALUE, FW_OFF(reject_with),
	    "an ICMP type or tcp-reset", NULL, fw_rejects,
	    "icmp-port-unreachable, icmp-host-unreachable, "
	    "icmp-net-unreachable, icmp-admin-prohibited or tcp-reset", NULL },
	{ "--to-ports", FW_OPT_VALUE, FW_OFF(to_ports), "a port or range",
	    fw_valid_to_ports, NULL, NULL, NULL },
	{ "--to-destination", FW_OPT_VALUE, FW_OFF(to_dest), "ADDR[:PORT]",
	    fw_valid_nat_to, NULL, NULL, NULL },
	{ "--to-source", FW_OPT_VALUE, FW_OFF(to_src), "ADDR[:PORT]",
	    fw_valid_nat_to, NULL, NULL, NULL },
};
#undef FW_OFF
_Static_assert(sizeof fw_options / sizeof fw_options[0] <= 32,
    "an option is a bit of fw_parse_state.seen");

/* Where fw_parse is in its line. */
struct fw_parse_state {
	struct fw_rule	*r;
	int		 argc;
	char *const	*argv;
	int		 i;		/* the word being read */
	int		 have_cmd;
	int		 m_comment;	/* -m comment given */
	uint32_t	 seen;		/* options given, by fw_options index */
};

/* "BEFORE'WORD'AFTER": the sentence names the word, sanitised. */
static int
fw_refuse(char **cause, const char *before, const char *w, const char *after)
{
	char	*safe;

	if (cause != NULL) {
		safe = text_sanitize(w, strlen(w));
		xasprintf(cause, "%s'%s'%s", before, safe, after);
		free(safe);
	}
	return (-1);
}

/* A word that is no command or option of ours. */
static int
fw_bad_word(const char *w, char **cause)
{
	if (fw_in(w, fw_never) || strncmp(w, "--modprobe", 10) == 0)
		return (fw_refuse(cause, "iptables: ", w, " is never allowed "
		    "on this console"));
	if (w[0] == '-')
		return (fw_refuse(cause, "iptables: option ", w, " is not "
		    "allowed here (see 'help iptables')"));
	return (fw_refuse(cause, "iptables: ", w, " is not allowed here: "
	    "each value goes after its option"));
}

static const struct fw_cmd_def *
fw_find_command(const char *w)
{
	size_t	 k;

	/* Commands are '-' and one capital: no search for the rest. */
	if (w[0] != '-' || w[1] < 'A' || w[1] > 'Z' || w[2] != '\0')
		return (NULL);
	for (k = 0; k < sizeof fw_commands / sizeof fw_commands[0]; k++)
		if (w[1] == fw_commands[k].flag[1])
			return (&fw_commands[k]);
	return (NULL);
}

/* A command, then its chain, rule number or policy as it takes them. */
static int
fw_parse_command(struct fw_parse_state *ps, const struct fw_cmd_def *def,
    char **cause)
{
	struct fw_rule	*r = ps->r;
	const char	*w = ps->argv[ps->i], *next;
	char		*why = NULL;
	long long	 n;

	if (ps->have_cmd)
		return (fw_fail(cause, "iptables: one command per line: '%s' "
		    "after another", w));
	ps->have_cmd = 1;
	r->command = def->command;
#define FW_NEXT	(ps->i + 1 < ps->argc ? ps->argv[ps->i + 1] : NULL)
	if ((next = FW_NEXT) != NULL && next[0] != '-')
		r->chain = ps->argv[++ps->i];
	else if (r->command == FW_APPEND || r->command == FW_INSERT ||
	    r->command == FW_DELETE || r->command == FW_REPLACE ||
	    r->command == FW_NEW || r->command == FW_POLICY)
		return (fw_fail(cause, "iptables: %s needs a chain", w));
	if ((r->command == FW_INSERT || r->command == FW_DELETE ||
	    r->command == FW_REPLACE) && (next = FW_NEXT) != NULL &&
	    next[0] >= '0' && next[0] <= '9') {
		if (valid_number(next, 1, 65535, &n, &why) == -1)
			return (fw_field(cause, "rule number", why));
		r->num = (long)n;
		r->num_word = ps->argv[++ps->i];
	} else if (r->command == FW_REPLACE)
		return (fw_fail(cause, "iptables: -R needs the rule number "
		    "after the chain"));
	if (r->command == FW_POLICY) {
		if ((next = FW_NEXT) == NULL || (strcmp(next, "ACCEPT") != 0 &&
		    strcmp(next, "DROP") != 0))
			return (fw_fail(cause, "iptables: -P CHAIN needs "
			    "ACCEPT or DROP"));
		r->policy = ps->argv[++ps->i];
	}
#undef FW_NEXT
	return (0);
}

/* -m state, conntrack or comment. */
static int
fw_parse_match(struct fw_parse_state *ps, const char *w, char **cause)
{
	if (strcmp(w, "comment") == 0) {
		if (ps->m_comment++)
			return (fw_fail(cause, "iptables: '%s' is given twice",
			    w));
	} else if (strcmp(w, "state") == 0 || strcmp(w, "conntrack") == 0) {
		if (ps->r->state_match != NULL)
			return (fw_fail(cause, "iptables: '%s' is given twice",
			    w));
		ps->r->state_match = w;
	} else
		return (fw_refuse(cause, "iptables: match ", w, " is not "
		    "allowed: use -m state, conntrack or comment"));
	return (0);
}

/* -j: one of the targets, or a chain of the admin's own. */
static int
fw_parse_target(struct fw_rule *r, char **cause)
{
	char	*why = NULL;

	if (fw_in(r->target, fw_targets))
		return (0);
	if (fw_valid_chain(r->table, r->target, &why) == -1) {
		free(why);
		return (fw_refuse(cause, "iptables: target ", r->target,
		    " is not allowed: use ACCEPT, DROP, REJECT, RETURN, LOG, "
		    "REDIRECT, DNAT, SNAT, MASQUERADE or a chain of your "
		    "own"));
	}
	r->target_is_chain = 1;
	return (0);
}

/* The value of an option: present, then valid or one of its list. */
static int
fw_parse_value(struct fw_parse_state *ps, const struct fw_opt_def *o,
    const char *w, const char **field, char **cause)
{
	char	*why = NULL;

	if (ps->i + 1 >= ps->argc)
		return (fw_fail(cause, "iptables: %s needs %s", w, o->what));
	*field = ps->argv[++ps->i];
	if (o->kind == FW_OPT_MATCH)
		return (fw_parse_match(ps, *field, cause));
	if (o->kind == FW_OPT_TARGET)
		return (fw_parse_target(ps->r, cause));
	if (o->valid != NULL && o->valid(*field, &why) == -1)
		return (fw_field(cause, w, why));
	if (o->list != NULL && !fw_in(*field, o->list)) {
		if (o->use == NULL)
			return (fw_fail(cause, "iptables: %s needs %s", w,
			    o->what));
		return (fw_fail(cause, "iptables: %s: use %s", w, o->use));
	}
	return (0);
}

/* One option of fw_options and its value, if it takes one. */
static int
fw_parse_option(struct fw_parse_state *ps, char **cause)
{
	const struct fw_opt_def	*o = NULL;
	const char		*w = ps->argv[ps->i], *match;
	size_t			 k;

	for (k = 0; k < sizeof fw_options / sizeof fw_options[0]; k++)
		if (w[1] == fw_options[k].word[1] &&
		    strcmp(w, fw_options[k].word) == 0) {
			o = &fw_options[k];
			break;
		}
	if (o == NULL)
		return (fw_bad_word(w, cause));
	if (o->after != NULL && (strcmp(o->after, "comment") == 0 ?
	    !ps->m_comment : ps->r->state_match == NULL ||
	    strcmp(ps->r->state_match, o->after) != 0))
		return (fw_fail(cause, "iptables: %s comes after -m %s", w,
		    o->after));
	/* -m names its match each time: only the match may not repeat. */
	if (o->kind != FW_OPT_MATCH && (ps->seen & (1U << k)) != 0)
		return (fw_fail(cause, "iptables: '%s' is given twice", w));
	ps->seen |= 1U << k;
	if (o->kind == FW_OPT_FLAG) {
		*(int *)(void *)((char *)ps->r + o->off) = 1;
		return (0);
	}
	if (o->kind == FW_OPT_MATCH)
		return (fw_parse_value(ps, o, w, &match, cause));
	return (fw_parse_value(ps, o, w,
	    (const char **)(void *)((char *)ps->r + o->off), cause));
}

/* The checks that need the whole line. */
static int
fw_parse_done(struct fw_parse_state *ps, char **cause)
{
	struct fw_rule	*r = ps->r;
	char		*why = NULL, line[FW_LINE_MAX + 1];

	if (!ps->have_cmd)
		return (fw_fail(cause, "iptables: no command: use -L, -S, -A, "
		    "-I, -D, -R, -F, -Z, -N, -X or -P"));
	if (r->chain != NULL && fw_valid_chain(r->table, r->chain, &why) == -1)
		return (fw_field(cause, "chain", why));
	if (ps->m_comment && r->comment == NULL)
		return (fw_fail(cause, "iptables: -m comment needs --comment "
		    "TEXT"));
	if (fw_check(r, cause) == -1)
		return (-1);
	if (fw_format(r, line, sizeof line) == -1)
		return (fw_fail(cause, "iptables: the rule is longer than %d "
		    "characters", FW_LINE_MAX));
	return (0);
}

int
fw_parse(int argc, char *const *argv, struct fw_rule *r, char **cause)
{
	struct fw_parse_state	 ps;
	const struct fw_cmd_def	*def;

	memset(r, 0, sizeof *r);
	memset(&ps, 0, sizeof ps);
	if (cause != NULL)
		*cause = NULL;
	r->table = "filter";
	ps.r = r;
	ps.argc = argc;
	ps.argv = argv;
	for (ps.i = 1; ps.i < argc; ps.i++) {
		if ((def = fw_find_command(argv[ps.i])) != NULL) {
			if (fw_parse_command(&ps, def, cause) == -1)
				return (-1);
		} else if (fw_parse_option(&ps, cause) == -1)
			return (-1);
	}
	return (fw_parse_done(&ps, cause));
}

static void
fw_push(const char **argv, size_t max, int *n, const char *word)
{
	if ((size_t)*n + 1 < max)
		argv[(*n)++] = word;
	argv[*n] = NULL;
}

int
fw_argv(const struct fw_rule *r, const char **argv, size_t max)
{
	int		 n = 0;
	size_t		 k;

	fw_push(argv, max, &n, "iptables");
	fw_push(argv, max, &n, "-t");
	fw_push(argv, max, &n, r->table);
	for (k = 0; k < sizeof fw_commands / sizeof fw_commands[0]; k++)
		if (fw_commands[k].command == r->command)
			fw_push(argv, max, &n, fw_commands[k].flag);
	if (r->chain != NULL)
		fw_push(argv, max, &n, r->chain);
	if (r->num_word != NULL)
		fw_push(argv, max, &n, r->num_word);
	if (r->policy != NULL)
		fw_push(argv, max, &n, r->policy);
#define FW_PAIR(opt, field) do {					\
	if (r->field != NULL) {						\
		fw_push(argv, max, &n, opt);				\
		fw_push(argv, max, &n, r->field);			\
	}								\
} while (0)
	FW_PAIR("-p", proto);
	FW_PAIR("-s", src);
	FW_PAIR("-d", dst);
	FW_PAIR("-i", in);
	FW_PAIR("-o", out);
	FW_PAIR("--sport", sport);
	FW_PAIR("--dport", dport);
	if (r->state_match != NULL) {
		fw_push(argv, max, &n, "-m");
		fw_push(argv, max, &n, strcmp(r->state_match, "state") == 0 ?
		    "state" : "conntrack");
		fw_push(argv, max, &n, strcmp(r->state_match, "state") == 0 ?
		    "--state" : "--ctstate");
		fw_push(argv, max, &n, r->states);
	}
	if (r->comment != NULL) {
		fw_push(argv, max, &n, "-m");
		fw_push(argv, max, &n, "comment");
		fw_push(argv, max, &n, "--comment");
		fw_push(argv, max, &n, r->comment);
	}
	FW_PAIR("-j", target);
	FW_PAIR("--log-prefix", log_prefix);
	FW_PAIR("--reject-with", reject_with);
	FW_PAIR("--to-ports", to_ports);
	FW_PAIR("--to-destination", to_dest);
	FW_PAIR("--to-source", to_src);
#undef FW_PAIR
	if (r->numeric)
		fw_push(argv, max, &n, "-n");
	if (r->verbose)
		fw_push(argv, max, &n, "-v");
	if (r->line_numbers)
		fw_push(argv, max, &n, "--line-numbers");
	return (n);
}

int
fw_format(const struct fw_rule *r, char *buf, size_t len)
{
	const char	*argv[FW_ARGV_MAX + 1];
	size_t		 used = 0, wl;
	int		 i, n;

	n = fw_argv(r, argv, sizeof argv / sizeof argv[0]);
	for (i = 0; i < n; i++) {
		wl = strlen(argv[i]);
		if (used + wl + (i > 0) + 1 > len)
			return (-1);
		if (i > 0)
			buf[used++] = ' ';
		memcpy(buf + used, argv[i], wl);
		used += wl;
	}
	buf[used] = '\0';
	return (0);
}

int
fw_parse_line(const char *line, struct words *w, struct fw_rule *r,
    char **cause)
{
	if (words_split(line, w, cause) == -1)
		return (-1);
	if (w->argc < 1 || strcmp(w->argv[0], "iptables") != 0) {
		xasprintf(cause, "the line does not start with iptables");
		return (-1);
	}
	return (fw_parse(w->argc, w->argv, r, cause));
}

/* The run verb's one argument: a line the grammar accepts whole. */
static int
fw_valid_line(const char *line, char **cause)
{
	struct words	 w;
	struct fw_rule	 r;
	int		 ret;

	ret = fw_parse_line(line, &w, &r, cause);
	words_free(&w);
	return (ret);
}

static const struct verb_type fw_line = { "line", fw_valid_line };

static const struct verb fw_verb_table[] = {
	[FW_V_RUN] = { "run", 1, { { "line", &fw_line, 0 } } },
	[FW_V_SAVE] = { "save", 0, { { NULL, NULL, 0 } } },
	[FW_V_RESTORE] = { "restore", 0, { { NULL, NULL, 0 } } },
};
_Static_assert(sizeof fw_verb_table / sizeof fw_verb_table[0] == FW_V_COUNT,
    "a row per firewall verb");

const struct verb_domain fw_verbs = { "firewall", fw_verb_table, FW_V_COUNT };
