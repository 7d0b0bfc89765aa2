/* SPDX-License-Identifier: ISC */
/*
 * The grammars of the restricted prompt's wrapped tools (ip, ping). Pure
 * functions over words already split by words_split: each either refuses
 * the words with one sentence naming what is wrong, or rebuilds the argv
 * to run from its own literals and the validated words. No allocation:
 * the result borrows both.
 */
#ifndef GRAMMAR_H
#define GRAMMAR_H

#define PROMPT_ARGV_MAX	16

enum prompt_kind {
	PROMPT_RUN,		/* argv for the tool itself, unprivileged */
	PROMPT_NETWORK,		/* argv for the network command (commit-confirmed) */
	PROMPT_HELPER		/* verb and arguments for the network helper */
};

struct prompt_cmd {
	enum prompt_kind	 kind;
	int			 argc;
	const char		*argv[PROMPT_ARGV_MAX + 1];	/* NULL-ended */
};

#define PROMPT_PING_COUNT	4	/* when -c is not given */
#define PROMPT_PING_MAX		10

/* ip [-4|-6] [-br] [-j] OBJECT [show|list] [dev IFACE] and the writes. */
int	 prompt_ip_parse(int, char *const *, struct prompt_cmd *, char **);
/* ping [-4|-6] [-c N] HOST */
int	 prompt_ping_parse(int, char *const *, struct prompt_cmd *, char **);

#endif
