/* SPDX-License-Identifier: ISC */
/*
 * The tokenizer of typed command lines. It is deliberately not a shell
 * and does not try to parse one: rather than give quotes, escapes or
 * separators a meaning, it refuses every character a shell would treat
 * specially (words_shell_char), every control byte and every
 * non-ASCII byte, and names the first offender and its position so the
 * user knows what to take out. What is left is split on runs of spaces.
 * The whole line is checked before anything is allocated; a refused line
 * leaves the struct empty.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "words.h"
#include "xmalloc.h"

/*
 * Characters a shell would give a meaning to: separators, pipes,
 * redirection, expansion, quoting, escapes, globs, history and comments.
 * '[' and ']' would be needed for a URL with an IPv6 address; they stay
 * here until a command needs one.
 */
static int
words_shell_char(unsigned char c)
{
	/* A switch, not strchr over a list: every typed byte comes here. */
	switch (c) {
	case ';': case '|': case '&': case '$': case '`': case '<': case '>':
	case '(': case ')': case '{': case '}': case '\\': case '"':
	case '\'': case '*': case '?': case '[': case ']': case '~': case '!':
	case '#':
		return (1);
	default:
		return (0);
	}
}

static char	*words_why(const char *, size_t);

/* Why the byte at line[i] is refused, or NULL if it is allowed. */
static char *
words_why(const char *line, size_t i)
{
	unsigned char	 c = (unsigned char)line[i];
	char		*safe, *s;

	if (c >= 0x20 && c < 0x7f) {
		if (!words_shell_char(c))
			return (NULL);
		xasprintf(&s, "'%c' at position %zu is not allowed: the "
		    "console runs commands directly, without a shell", c,
		    i + 1);
		return (s);
	}
	safe = text_sanitize(line + i, 1);
	xasprintf(&s, "%s %s at position %zu is not allowed: only printable "
	    "ASCII is accepted", c < 0x80 ? "control character" : "byte",
	    safe, i + 1);
	free(safe);
	return (s);
}

int
words_split(const char *line, struct words *w, char **cause)
{
	const char	*p, *start;
	char		*why;
	size_t		 len, i;
	int		 n;

	memset(w, 0, sizeof *w);
	if (cause != NULL)
		*cause = NULL;
	if (line == NULL)
		line = "";

	len = strnlen(line, WORDS_LINE_MAX + 1);
	if (len > WORDS_LINE_MAX) {
		if (cause != NULL)
			xasprintf(cause, "the line is longer than %d "
			    "characters", WORDS_LINE_MAX);
		return (-1);
	}
	n = 0;
	for (i = 0; i < len; i++) {
		if ((why = words_why(line, i)) != NULL) {
			if (cause != NULL)
				*cause = why;
			else
				free(why);
			return (-1);
		}
		if (line[i] != ' ' && (i == 0 || line[i - 1] == ' '))
			n++;
	}
	if (n > WORDS_MAX) {
		if (cause != NULL)
			xasprintf(cause, "the line has more than %d words",
			    WORDS_MAX);
		return (-1);
	}

	w->argv = xcalloc((size_t)n + 1, sizeof *w->argv);
	for (p = line; *p != '\0'; p += (*p == ' ')) {
		start = p;
		p += strcspn(p, " ");
		if (p != start)
			w->argv[w->argc++] = xstrndup(start,
			    (size_t)(p - start));
	}
	w->argv[w->argc] = NULL;
	return (0);
}

void
words_free(struct words *w)
{
	int	 i;

	if (w == NULL)
		return;
	if (w->argv != NULL) {
		for (i = 0; i < w->argc; i++)
			free(w->argv[i]);
		free(w->argv);
	}
	w->argv = NULL;
	w->argc = 0;
}
