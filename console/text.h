/* SPDX-License-Identifier: ISC */
/*
 * Text from outside (helper output, /proc, config values) made safe to show
 * or log, and a growable buffer with a hard cap for everything we read.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* A copy of the first len bytes with control bytes as ^X and non-ASCII as \xNN. */
char	*text_sanitize(const char *, size_t);
/* The same, line by line: newlines are kept, everything else escaped. */
char	*text_sanitize_lines(const char *, size_t);

struct text_buf {
	char	*data;		/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;		/* hard limit on len */
	int	 truncated;	/* something was dropped at the cap */
};

void	 text_buf_init(struct text_buf *, size_t);
/* Appends what fits under the cap; returns -1 (and sets truncated) if it cut. */
int	 text_buf_append(struct text_buf *, const void *, size_t);
int	 text_buf_printf(struct text_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (who frees it) and resets the buffer. */
char	*text_buf_take(struct text_buf *);
void	 text_buf_free(struct text_buf *);

/* Read at most max bytes of a file (e.g. under /proc); NULL with *cause on error. */
char	*text_read_file(const char *, size_t, char **);

/* A copy of s with every occurrence of name replaced by value. */
char	*text_replace(const char *, const char *, const char *);

#endif
