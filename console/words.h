/* SPDX-License-Identifier: ISC */
/*
 * The tokenizer of every command line a user types (-c, the restricted
 * prompt). Not a shell: printable ASCII only, words split on spaces, no
 * expansion, quoting, escapes, globbing, redirection, pipes or separators.
 * A line with anything else is refused whole, naming the character and its
 * position.
 */
#ifndef WORDS_H
#define WORDS_H

#define WORDS_LINE_MAX	1024	/* bytes in one line */
#define WORDS_MAX	64	/* words in one line */

struct words {
	int	 argc;
	char	**argv;		/* NULL-terminated */
};

/* Returns 0, or -1 with *cause; w is cleared on entry. */
int	 words_split(const char *, struct words *, char **);
void	 words_free(struct words *);

#endif
