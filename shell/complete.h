/* SPDX-License-Identifier: ISC */
/*
 * Completion of typed lines at the restricted prompt, from the command
 * table: a face function, declared apart from the grammars it completes.
 */
#ifndef COMPLETE_H
#define COMPLETE_H

/*
 * Completion of the word that ends a line: command names for the first
 * word, the command's keywords after it. Calls the function for each
 * candidate starting with the partial word and returns how many.
 */
int	 prompt_complete(const char *, void (*)(const char *, void *), void *);
struct config;

/* The config whose hidden modules completion leaves out (NULL: none). */
void	 prompt_complete_config(const struct config *);

#endif
