/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the iptables grammar (models/fwrule.c): the input
 * is the line after "iptables", split by words_split as at the prompt.
 * An accepted line must give a canonical line that fits the helper's
 * bound and parses again to itself (the helper re-parses it), and an argv
 * whose options are all the grammar's own literals, each value after its
 * option never starting with '-'. A refused line gives one printable
 * sentence.
 */
/* FUZZ_LINK: models/fwrule.c console/words.c console/valid.c console/text.c console/xmalloc.c */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwrule.h"
#include "words.h"
#include "xmalloc.h"

#define FUZZ_CHECK(x)	do { if (!(x)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const	 fuzz_fw_options[] = {
	"-t", "-L", "-S", "-A", "-I", "-D", "-R", "-F", "-Z", "-N", "-X", "-P",
	"-n", "-v", "--line-numbers", "-p", "-s", "-d", "-i", "-o", "--sport",
	"--dport", "-m", "--state", "--ctstate", "--comment", "-j",
	"--log-prefix", "--reject-with", "--to-ports", "--to-destination",
	"--to-source", NULL
};

static int
fuzz_is_option(const char *w)
{
	const char *const	*o;

	for (o = fuzz_fw_options; *o != NULL; o++)
		if (strcmp(w, *o) == 0)
			return (1);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_rule	 r, again;
	struct words	 w, w2;
	const char	*argv[FW_ARGV_MAX + 1];
	char		*in, *line, *cause = NULL, canon[FW_LINE_MAX + 1];
	char		 canon2[FW_LINE_MAX + 1];
	const char	*c;
	int		 i, n;

	in = xstrndup((const char *)data, size);
	xasprintf(&line, "iptables %s", in);
	free(in);
	if (words_split(line, &w, NULL) == -1) {
		free(line);
		return (0);
	}
	if (fw_parse(w.argc, w.argv, &r, &cause) == 0) {
		FUZZ_CHECK(cause == NULL);
		FUZZ_CHECK(fw_format(&r, canon, sizeof canon) == 0);
		n = fw_argv(&r, argv, sizeof argv / sizeof argv[0]);
		FUZZ_CHECK(n > 3 && n <= FW_ARGV_MAX && argv[n] == NULL);
		FUZZ_CHECK(strcmp(argv[0], "iptables") == 0);
		for (i = 1; i < n; i++) {
			FUZZ_CHECK(argv[i] != NULL && argv[i][0] != '\0');
			if (argv[i][0] == '-')
				FUZZ_CHECK(fuzz_is_option(argv[i]));
		}
		/* What the helper does: split and parse the line again. */
		FUZZ_CHECK(words_split(canon, &w2, NULL) == 0);
		FUZZ_CHECK(fw_parse(w2.argc, w2.argv, &again, NULL) == 0);
		FUZZ_CHECK(fw_format(&again, canon2, sizeof canon2) == 0);
		FUZZ_CHECK(strcmp(canon, canon2) == 0);
		words_free(&w2);
	} else {
		FUZZ_CHECK(cause != NULL);
		for (c = cause; *c != '\0'; c++)
			FUZZ_CHECK(*c >= 0x20 && *c < 0x7f);
		free(cause);
	}
	words_free(&w);
	free(line);
	return (0);
}
