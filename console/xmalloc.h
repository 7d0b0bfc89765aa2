/* SPDX-License-Identifier: ISC */
/*
 * Allocation that cannot return NULL: out of memory is a broken invariant
 * for a console, so these call fatal() instead of making every caller check.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* snprintf that treats truncation as an error: returns -1 when it would cut. */
int	 xsnprintf(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* Restore the terminal (if a hook is set), print one line, exit 1. */
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatal_set_cleanup(void (*)(void));

#endif
