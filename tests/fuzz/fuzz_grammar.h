/* SPDX-License-Identifier: ISC */
/*
 * What every prompt grammar promises, checked by its libFuzzer target:
 * the line goes through words_split first (as at the prompt and with -c);
 * an accepted line gives a NULL-terminated argv of at most
 * PROMPT_ARGV_MAX words in which every option is one of the grammar's
 * own (never a typed word that starts with '-' and is not one of them);
 * a refused line gives an empty result and one printable sentence.
 */
#ifndef FUZZ_GRAMMAR_H
#define FUZZ_GRAMMAR_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "words.h"
#include "xmalloc.h"

#define FUZZ_CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char *const	 fuzz_options[] = {
	"-4", "-6", "-br", "-j", "-c", "-W", NULL
};

static void
fuzz_grammar(const uint8_t *data, size_t size, const char *tool,
    int (*fn)(int, char *const *, struct prompt_cmd *, char **))
{
	struct prompt_cmd	 pc;
	struct words		 w;
	const char *const	*o;
	char			*line, *cause = NULL, *words_line;
	const char		*c;
	int			 i, ok;

	/* First word fixed as the tool's name: the grammar gets the rest. */
	line = xstrndup((const char *)data, size);
	xasprintf(&words_line, "%s %s", tool, line);
	free(line);
	if (words_split(words_line, &w, NULL) == -1) {
		free(words_line);
		return;
	}
	if (fn(w.argc, w.argv, &pc, &cause) == 0) {
		FUZZ_CHECK(cause == NULL);
		FUZZ_CHECK(pc.argc > 0 && pc.argc <= PROMPT_ARGV_MAX);
		FUZZ_CHECK(pc.argv[pc.argc] == NULL);
		if (pc.kind == PROMPT_RUN)
			FUZZ_CHECK(strcmp(pc.argv[0], tool) == 0);
		for (i = 0; i < pc.argc; i++) {
			FUZZ_CHECK(pc.argv[i] != NULL && *pc.argv[i] != '\0');
			if (pc.argv[i][0] != '-')
				continue;
			for (ok = 0, o = fuzz_options; *o != NULL; o++)
				ok |= strcmp(pc.argv[i], *o) == 0;
			FUZZ_CHECK(ok);
		}
	} else {
		FUZZ_CHECK(cause != NULL && pc.argc == 0 &&
		    pc.argv[0] == NULL);
		for (c = cause; *c != '\0'; c++)
			FUZZ_CHECK(*c >= 0x20 && *c < 0x7f);
		free(cause);
	}
	words_free(&w);
	free(words_line);
}

#endif
