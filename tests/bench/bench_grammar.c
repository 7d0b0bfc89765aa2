/* SPDX-License-Identifier: ISC */
/*
 * Tokenizer + grammar throughput: every line of the fuzz corpora given
 * as arguments (files), split by words_split and, when its first word is
 * ip, ping or iptables, parsed by that grammar, over and over for about a second.
 * Prints "LINES lines/s" and the count of accepted lines of one pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fwrule.h"
#include "grammar.h"
#include "text.h"
#include "words.h"
#include "xmalloc.h"

#define BENCH_LINES_MAX	4096

static double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

/* One line through the tokenizer and its grammar; 1 when accepted. */
static int
bench_one(const char *line)
{
	struct prompt_cmd	 pc;
	struct fw_rule		 r;
	struct words		 w;
	int			 ok;

	if (words_split(line, &w, NULL) == -1)
		return (0);
	ok = 1;
	if (w.argc > 0 && strcmp(w.argv[0], "ip") == 0)
		ok = prompt_ip_parse(w.argc, w.argv, &pc, NULL) == 0;
	else if (w.argc > 0 && strcmp(w.argv[0], "ping") == 0)
		ok = prompt_ping_parse(w.argc, w.argv, &pc, NULL) == 0;
	else if (w.argc > 0 && strcmp(w.argv[0], "iptables") == 0)
		ok = fw_parse(w.argc, w.argv, &r, NULL) == 0;
	words_free(&w);
	return (ok);
}

int
main(int argc, char **argv)
{
	char	*lines[BENCH_LINES_MAX], *text, *cause = NULL, *prefix, *p;
	int	 n = 0, i, accepted = 0;
	long	 done = 0;
	double	 start, el;

	for (i = 1; i < argc && n < BENCH_LINES_MAX; i++) {
		if ((text = text_read_file(argv[i], 8192, &cause)) == NULL) {
			fprintf(stderr, "bench_grammar: %s\n", cause);
			return (1);
		}
		/* corpus/ip/x holds what follows "ip": give it the word. */
		prefix = strstr(argv[i], "/ip/") != NULL ? "ip " :
		    strstr(argv[i], "/ping/") != NULL ? "ping " :
		    strstr(argv[i], "/iptables/") != NULL ? "iptables " : "";
		p = text + strcspn(text, "\n");
		*p = '\0';
		xasprintf(&lines[n++], "%s%s", prefix, text);
		free(text);
	}
	if (n == 0) {
		fprintf(stderr, "usage: bench_grammar FILE...\n");
		return (1);
	}
	for (i = 0; i < n; i++)
		accepted += bench_one(lines[i]);
	start = bench_now();
	do {
		for (i = 0; i < n; i++)
			(void)bench_one(lines[i]);
		done += n;
	} while ((el = bench_now() - start) < 1.0);
	printf("%.0f lines/s (%d corpus lines, %d accepted)\n", done / el, n,
	    accepted);
	for (i = 0; i < n; i++)
		free(lines[i]);
	return (0);
}
