/* SPDX-License-Identifier: ISC */
/*
 * The iptables grammar of the restricted prompt, shared by the console
 * (which refuses a bad line before anything runs) and the privileged
 * firewall helper (which parses the same line again and builds the argv
 * it runs from the parsed values). A typed word never becomes an option:
 * every option of the rebuilt argv is one of this module's literals, and
 * every value went through its validator. Never --modprobe, never a file,
 * never -j to an extension outside the fixed list of targets.
 */
#ifndef FWRULE_H
#define FWRULE_H

#include <stddef.h>

#include "verb.h"
#include "words.h"

#define FW_CHAIN_MAX		28	/* XT_EXTENSION_MAXNAMELEN - 1 */
#define FW_COMMENT_MAX		64
#define FW_LOG_PREFIX_MAX	29	/* the kernel's limit */
#define FW_LINE_MAX		480	/* the canonical line, helper-bounded */
#define FW_ARGV_MAX		48

enum fw_command {
	FW_LIST,	/* -L */
	FW_SPEC,	/* -S */
	FW_APPEND,	/* -A */
	FW_INSERT,	/* -I */
	FW_DELETE,	/* -D */
	FW_REPLACE,	/* -R */
	FW_FLUSH,	/* -F */
	FW_ZERO,	/* -Z */
	FW_NEW,		/* -N */
	FW_REMOVE,	/* -X */
	FW_POLICY	/* -P */
};

/* One parsed line. Strings point into the words it was parsed from. */
struct fw_rule {
	const char	*table;		/* filter, nat, mangle */
	enum fw_command	 command;
	const char	*chain;		/* NULL: all chains (-L -S -F -Z -X) */
	long		 num;		/* rule number; 0: none */
	const char	*num_word;	/* as typed (validated) */
	int		 numeric, verbose, line_numbers;	/* -L */

	/* The rule (-A -I -D -R without a number). */
	int		 has_rule;
	const char	*proto;		/* tcp, udp, icmp, all */
	const char	*src, *dst;	/* ADDR or ADDR/N */
	const char	*in, *out;	/* interfaces */
	const char	*sport, *dport;	/* PORT or PORT:PORT */
	const char	*state_match;	/* "state" or "conntrack" */
	const char	*states;	/* NEW,ESTABLISHED,... */
	const char	*comment;
	const char	*target;	/* ACCEPT ... or a user chain */
	int		 target_is_chain;
	const char	*log_prefix;
	const char	*reject_with;
	const char	*to_ports;	/* REDIRECT, MASQUERADE */
	const char	*to_dest;	/* DNAT --to-destination */
	const char	*to_src;	/* SNAT --to-source */
	const char	*policy;	/* -P: ACCEPT or DROP */
};

/*
 * Parse "iptables ARGS..." (argv[0] is the command's name). Returns 0, or
 * -1 with *cause (when cause is not NULL) set to one sentence naming the
 * word that is wrong.
 */
int	 fw_parse(int, char *const *, struct fw_rule *, char **);
/*
 * The argv to run, NULL-terminated, built from the rule's values and this
 * module's literals; argv[0] is "iptables". Returns the count.
 */
int	 fw_argv(const struct fw_rule *, const char **, size_t);
/*
 * The canonical line (the argv joined by spaces) the console sends to the
 * helper as one argument; -1 if it would not fit the buffer.
 */
int	 fw_format(const struct fw_rule *, char *, size_t);
/* 1 for -L and -S, which change nothing. */
int	 fw_is_read(const struct fw_rule *);
/* 1 for a change that can cut the session: -F, -X, -P DROP, -D, ... */
int	 fw_is_disruptive(const struct fw_rule *);
/* 1 for a built-in chain of the table. */
int	 fw_builtin_chain(const char *, const char *);
/* A canonical line "iptables ...", split and parsed; w must be freed. */
int	 fw_parse_line(const char *, struct words *, struct fw_rule *,
	     char **);

/* The verbs of console-helper-firewall, in the order of its table. */
enum fw_verb {
	FW_V_RUN,
	FW_V_SAVE,
	FW_V_RESTORE,
	FW_V_COUNT
};
extern const struct verb_domain	 fw_verbs;

#endif
