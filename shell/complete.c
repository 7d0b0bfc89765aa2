/* SPDX-License-Identifier: ISC */
/*
 * Completion of a typed line for the prompt's Tab key: the command names
 * of the table for the first word, then the command's own keywords (for
 * help and man, the command names again). Never a file name: nothing here
 * looks at the file system.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "config.h"
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
			if ((*ce)->cli != NULL &&
			    strncmp((*ce)->name, word, len) == 0 &&
			    (complete_config == NULL || !config_module_hidden(
			    complete_config, (*ce)->name))) {
				fn((*ce)->name, arg);
				n++;
			}
		}
		return (n);
	}
	first = xstrndup(line, strcspn(line, " "));
	one = cmd_find(first, &cause);
	free(first);
	free(cause);
	if (one == NULL || (kw = cmd_keywords(one)) == NULL)
		return (0);
	for (; *kw != NULL; kw++) {
		if (strncmp(*kw, word, len) == 0) {
			fn(*kw, arg);
			n++;
		}
	}
	return (n);
}
