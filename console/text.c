/* SPDX-License-Identifier: ISC */
/*
 * Text from outside made safe, and the capped buffer (after curl's dynbuf)
 * that every read of helper output, /proc or /sys goes through.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"
#include "xmalloc.h"

char *
text_sanitize(const char *in, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	char			*out, *p;
	size_t			 i;
	unsigned char		 c;

	/* Worst case every byte becomes \xNN. */
	out = p = xreallocarray(NULL, len + 1, 4);
	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c >= 0x20 && c < 0x7f)
			*p++ = (char)c;
		else if (c < 0x20 || c == 0x7f) {
			*p++ = '^';
			*p++ = c == 0x7f ? '?' : (char)(c + '@');
		} else {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 0xf];
		}
	}
	*p = '\0';
	return (out);
}

void
text_buf_init(struct text_buf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->cap = cap;
}

int
text_buf_append(struct text_buf *b, const void *data, size_t len)
{
	size_t	 room, n, alloc;
	int	 cut = 0;

	room = b->cap > b->len ? b->cap - b->len : 0;
	n = len;
	if (n > room) {
		n = room;
		cut = 1;
		b->truncated = 1;
	}
	if (b->data == NULL || n > 0) {
		/* Grow geometrically, never past cap + 1 for the NUL. */
		alloc = b->len + n + 1;
		if (alloc < 64)
			alloc = 64;
		else if (alloc < b->cap + 1) {
			size_t	 want = 64;

			while (want < alloc)
				want *= 2;
			alloc = want < b->cap + 1 ? want : b->cap + 1;
		}
		b->data = xreallocarray(b->data, alloc, 1);
		memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
	}
	return (cut ? -1 : 0);
}

int
text_buf_printf(struct text_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n, r;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	r = text_buf_append(b, s, (size_t)n);
	free(s);
	return (r);
}

char *
text_buf_take(struct text_buf *b)
{
	char	*s;

	if (b->data == NULL)
		s = xstrdup("");
	else
		s = b->data;
	b->data = NULL;
	b->len = 0;
	b->truncated = 0;
	return (s);
}

void
text_buf_free(struct text_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->truncated = 0;
}

char *
text_read_file(const char *path, size_t max, char **cause)
{
	struct text_buf	 b;
	char		 chunk[4096];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot read %s: %s", path,
			    strerror(errno));
		return (NULL);
	}
	text_buf_init(&b, max);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (cause != NULL)
				xasprintf(cause, "cannot read %s: %s", path,
				    strerror(errno));
			close(fd);
			text_buf_free(&b);
			return (NULL);
		}
		if (n == 0)
			break;
		if (text_buf_append(&b, chunk, (size_t)n) == -1)
			break;	/* bounded: the rest is not ours to read */
	}
	close(fd);
	return (text_buf_take(&b));
}

char *
text_sanitize_lines(const char *s, size_t len)
{
	struct text_buf	 b;
	const char	*nl;
	char		*line;
	size_t		 n;

	text_buf_init(&b, len * 4 + 1);
	while (len > 0) {
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) : len;
		line = text_sanitize(s, n);
		text_buf_printf(&b, "%s%s", line, nl != NULL ? "\n" : "");
		free(line);
		if (nl == NULL)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return (text_buf_take(&b));
}

char *
text_replace(const char *s, const char *name, const char *value)
{
	struct text_buf	 b;
	const char	*p;
	size_t		 nlen = strlen(name), slen = strlen(s);

	/* Room for every possible occurrence: nothing is ever cut. */
	text_buf_init(&b, slen + (nlen > 0 ? slen / nlen + 1 : 0) *
	    strlen(value) + 1);
	while (nlen > 0 && (p = strstr(s, name)) != NULL) {
		text_buf_append(&b, s, (size_t)(p - s));
		text_buf_append(&b, value, strlen(value));
		s = p + nlen;
	}
	text_buf_append(&b, s, strlen(s));
	if (b.data == NULL)
		return (xstrdup(""));
	return (text_buf_take(&b));
}
