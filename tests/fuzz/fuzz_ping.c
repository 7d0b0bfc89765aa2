/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the prompt's ping grammar (prompt_ping_parse): the
 * input is the line after "ping"; see fuzz_grammar.h for what is checked.
 */
/* FUZZ_LINK: models/grammar.c console/words.c console/valid.c console/text.c console/xmalloc.c */

#include "fuzz_grammar.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_grammar(data, size, "ping", prompt_ping_parse);
	return (0);
}
