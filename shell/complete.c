/* SPDX-License-Identifier: ISC */
/*
 * Completion of a typed line for the prompt's Tab key: the command names
 * and aliases of the table for the first word, then a module's
 * sub-commands or the command's own keywords (for help and man, the
 * command names again); hidden modules are never offered. Never a file
 * name: nothing here looks at the file system.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "grammar.h"
#include "xmalloc.h"

/* Modules hidden on this appliance are not offered. */
static const struct config	*complete_config;

void
prompt_complete_config(const struct config *cfg)
{
	complete_config = cfg;
}

int
prompt_complete(const char *line, void (*fn)(const char *, void *),
    void *arg)
{
	const struct cmd_entry	*const *ce, *one;
	const struct cmd_sub	*sub;
	const char *const	*kw;
	const char		*word, *sp;
	char			*first, *cause = NULL;
	size_t			 len;
	int			 n = 0;

	while (*line == ' ')
		line++;
	sp = strrchr(line, ' ');
	word = sp != NULL ? sp + 1 : line;
	len = strlen(word);
	if (sp == NULL) {
		for (ce = cmd_table; *ce != NULL; ce++) {
			if (!cmd_visible(complete_config, *ce))
				continue;
			if (strncmp((*ce)->name, word, len) == 0) {
				fn((*ce)->name, arg);
				n++;
			}
			if ((*ce)->alias != NULL && len > 0 &&
			    strncmp((*ce)->alias, word, len) == 0) {
				fn((*ce)->alias, arg);
				n++;
			}
		}
		return (n);
	}
	first = xstrndup(line, strcspn(line, " "));
	one = cmd_find(complete_config, first, &cause);
	free(first);
	free(cause);
	if (one == NULL || !cmd_visible(complete_config, one))
		return (0);
	/* The second word of a module: its sub-commands. */
	if (one->subs != NULL && strchr(line, ' ') == sp) {
		for (sub = one->subs; sub->name != NULL; sub++) {
			if (strncmp(sub->name, word, len) == 0) {
				fn(sub->name, arg);
				n++;
			}
		}
		return (n);
	}
	if ((kw = cmd_keywords(one)) == NULL)
		return (0);
	for (; *kw != NULL; kw++) {
		if (strncmp(*kw, word, len) == 0) {
			fn(*kw, arg);
			n++;
		}
	}
	return (n);
}
