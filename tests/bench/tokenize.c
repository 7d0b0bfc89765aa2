/* SPDX-License-Identifier: ISC */
/*
 * Lines per second through the tokenizer and the `ip` grammar, over the
 * fuzz corpus of the tokenizer (every file one line, cut at its first
 * newline) repeated until a second has passed. Prints one figure.
 * Usage: tokenize CORPUS_DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ip.h"
#include "words.h"
#include "xmalloc.h"

#define TOKENIZE_LINES	4096

static double
tokenize_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	static char	*lines[TOKENIZE_LINES];
	struct dirent	*de;
	struct words	 w;
	struct ip_argv	 a;
	DIR		*d;
	FILE		*f;
	char		 buf[2048], *cause;
	double		 t0, t;
	long		 n = 0;
	int		 nl = 0, i;

	if (argc != 2 || (d = opendir(argv[1])) == NULL) {
		fprintf(stderr, "usage: tokenize CORPUS_DIR\n");
		return (1);
	}
	while ((de = readdir(d)) != NULL && nl < TOKENIZE_LINES - 1) {
		if (de->d_name[0] == '.' || xsnprintf(buf, sizeof buf, "%s/%s",
		    argv[1], de->d_name) == -1 || (f = fopen(buf, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, f) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			lines[nl++] = xstrdup(buf);
		}
		fclose(f);
	}
	closedir(d);
	/* And lines for the grammar itself. */
	lines[nl++] = xstrdup("ip -br -4 addr show dev eth0");
	t0 = tokenize_now();
	do {
		for (i = 0; i < nl; i++, n++) {
			cause = NULL;
			if (words_split(lines[i], &w, &cause) == 0) {
				if (w.argc > 0 && strcmp(w.argv[0], "ip") == 0 &&
				    ip_parse(w.argc, w.argv, &a, &cause) == 0)
					ip_argv_free(&a);
				words_free(&w);
			}
			free(cause);
		}
	} while ((t = tokenize_now() - t0) < 1.0);
	printf("%.0f lines/s (%d distinct lines, %ld in %.2f s)\n", n / t, nl,
	    n, t);
	for (i = 0; i < nl; i++)
		free(lines[i]);
	return (0);
}
