/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for words_split. Beyond "no crash, no overrun, no
 * leak" it checks what the tokenizer promises: an accepted line gives at
 * most WORDS_MAX non-empty words of allowed characters that, joined by
 * single spaces, are the line with its runs of spaces squeezed; a refused
 * line gives one printable sentence and an empty struct.
 */
/* FUZZ_LINK: console/words.c console/text.c console/xmalloc.c */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"
#include "xmalloc.h"

#define FUZZ_CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char	 fuzz_refused[] = ";|&$`<>(){}\\\"'*?[]~!#";

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The line with leading, trailing and repeated spaces removed. */
static char *
fuzz_squeeze(const char *line)
{
	char	*out, *p;

	out = p = xmalloc(strlen(line) + 1);
	for (; *line != '\0'; line++) {
		if (*line == ' ' && (p == out || p[-1] == ' '))
			continue;
		*p++ = *line;
	}
	if (p != out && p[-1] == ' ')
		p--;
	*p = '\0';
	return (out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct words	 w;
	char		*line, *cause, *want, *joined, *p;
	const char	*c;
	size_t		 len;
	int		 i;

	line = xstrndup((const char *)data, size);
	cause = NULL;
	if (words_split(line, &w, &cause) == 0) {
		FUZZ_CHECK(cause == NULL);
		FUZZ_CHECK(strlen(line) <= WORDS_LINE_MAX);
		FUZZ_CHECK(w.argc >= 0 && w.argc <= WORDS_MAX);
		FUZZ_CHECK(w.argv != NULL && w.argv[w.argc] == NULL);
		joined = p = xmalloc(strlen(line) + 1);
		for (i = 0; i < w.argc; i++) {
			len = strlen(w.argv[i]);
			FUZZ_CHECK(len > 0);
			for (c = w.argv[i]; *c != '\0'; c++) {
				FUZZ_CHECK(*c > 0x20 && *c < 0x7f);
				FUZZ_CHECK(strchr(fuzz_refused, *c) == NULL);
			}
			if (i > 0)
				*p++ = ' ';
			memcpy(p, w.argv[i], len);
			p += len;
		}
		*p = '\0';
		want = fuzz_squeeze(line);
		FUZZ_CHECK(strcmp(joined, want) == 0);
		free(want);
		free(joined);
		words_free(&w);
		FUZZ_CHECK(w.argv == NULL && w.argc == 0);
	} else {
		FUZZ_CHECK(cause != NULL);
		FUZZ_CHECK(w.argc == 0 && w.argv == NULL);
		for (c = cause; *c != '\0'; c++)
			FUZZ_CHECK(*c >= 0x20 && *c < 0x7f);
		free(cause);
		FUZZ_CHECK(words_split(line, &w, NULL) == -1);
	}
	free(line);
	return (0);
}
