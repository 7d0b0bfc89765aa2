/* SPDX-License-Identifier: ISC */
/*
 * The console's own audit log. Each record says who (the login user),
 * from where (the tty and SSH_CONNECTION, captured before the environment
 * is scrubbed), what, and the result, as escaped key="value" fields on
 * one line. syslog under LOG_AUTHPRIV is the copy the admin cannot edit
 * (the daemon stamps the sender's uid); the file (opened O_APPEND, never
 * created by the console, installed root:_console-audit 0620 in a
 * set-group-ID directory, chattr +a where the file system has it) holds
 * the unprivileged events in one place. Changes of the system are
 * recorded by the root helper that made them in the chained trail
 * (trail.c), which is the authoritative record of them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "paths.h"
#include "text.h"
#include "xmalloc.h"

#define AUDIT_FIELD_MAX	1024	/* bytes of one field taken from the caller */
#define AUDIT_LINE_MAX	1024	/* bytes of one record in the file */
#define AUDIT_MODE	0620	/* root and the audit group append */

static char	 audit_user[64] = "?";
static char	 audit_tty[64] = "-";
static char	 audit_from[128] = "-";
static int	 audit_fd = -1;
static int	 audit_syslog_open;
static int	 audit_is_helper;
static audit_sink_fn	 audit_sink;

static void	 audit_copy(char *, size_t, const char *);
static int	 audit_put(struct audit_line *, const char *, size_t);

/* Sanitised and bounded copy: these values come from outside. */
static void
audit_copy(char *dst, size_t len, const char *src)
{
	char	*safe;

	safe = text_sanitize(src, strnlen(src, AUDIT_FIELD_MAX));
	if (xsnprintf(dst, len, "%s", safe) == -1)
		xsnprintf(dst, len, "%s", "(too long)");
	free(safe);
}

size_t
audit_escape_char(int c, char *out)
{
	unsigned char	 u = (unsigned char)c;

	if (u == '"' || u == '\\') {
		out[0] = '\\';
		out[1] = (char)u;
		return (2);
	}
	if (u < 0x20 || u > 0x7e) {
		(void)snprintf(out, 5, "\\x%02x", u);
		return (4);
	}
	out[0] = (char)u;
	return (1);
}

void
audit_line_init(struct audit_line *l, char *buf, size_t cap)
{
	l->buf = buf;
	l->cap = cap;
	l->len = 0;
	l->cut = 0;
	if (cap > 0)
		buf[0] = '\0';
}

/* Append n bytes if they fit with room for '"', '\n' and the NUL. */
static int
audit_put(struct audit_line *l, const char *s, size_t n)
{
	if (l->cut || l->len + n + 3 > l->cap) {
		l->cut = 1;
		return (-1);
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
	return (0);
}

void
audit_line_field(struct audit_line *l, const char *key, const char *val)
{
	char	 unit[5];
	size_t	 i, n, vlen;

	if (l->cut)
		return;
	if ((l->len > 0 && audit_put(l, " ", 1) == -1) ||
	    audit_put(l, key, strlen(key)) == -1 || audit_put(l, "=\"", 2) == -1)
		return;
	vlen = strnlen(val, AUDIT_FIELD_MAX);
	for (i = 0; i < vlen; i++) {
		n = audit_escape_char(val[i], unit);
		/* Cut between two escapes, never inside one. */
		if (audit_put(l, unit, n) == -1)
			break;
	}
	/* The room for the quote and the newline is always kept. */
	l->buf[l->len++] = '"';
	l->buf[l->len] = '\0';
}

void
audit_line_end(struct audit_line *l)
{
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
}

void
audit_helper(void)
{
	audit_is_helper = 1;
}

void
audit_set_sink(audit_sink_fn fn)
{
	audit_sink = fn;
}

void
audit_init(void)
{
	struct passwd	*pw;
	const char	*s;

	if ((pw = getpwuid(getuid())) != NULL)
		audit_copy(audit_user, sizeof audit_user, pw->pw_name);
	else
		xsnprintf(audit_user, sizeof audit_user, "uid=%u",
		    (unsigned)getuid());
	if ((s = ttyname(STDIN_FILENO)) != NULL)
		audit_copy(audit_tty, sizeof audit_tty, s);
	if ((s = getenv("SSH_CONNECTION")) != NULL && *s != '\0')
		audit_copy(audit_from, sizeof audit_from, s);
	if (!audit_syslog_open) {
		openlog("appliance-console", LOG_PID | LOG_NDELAY,
		    LOG_AUTHPRIV);
		audit_syslog_open = 1;
	}
}

int
audit_open(char **cause)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	/*
	 * O_NONBLOCK: a FIFO put in the log's place must not hang anyone
	 * (the rollback timer least of all); O_NOFOLLOW: nor a link lead
	 * a root helper's writes elsewhere.
	 */
	int		 flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
			    O_NOCTTY | O_NONBLOCK;

	if (audit_fd != -1)
		return (0);
	if (paths_get(path, sizeof path, PATH_AUDIT_LOG) == -1) {
		if (cause != NULL)
			xasprintf(cause, "the audit log path is too long");
		return (-1);
	}
	audit_fd = open(path, flags);
	if (audit_fd == -1 && errno == ENOENT && audit_is_helper) {
		/*
		 * Created only by a root helper, never by the console (it
		 * would be admin's file): the group comes from the
		 * set-group-ID directory, the mode is set whatever the
		 * umask, so the console can still append to it.
		 */
		audit_fd = open(path, flags | O_CREAT | O_EXCL, AUDIT_MODE);
		if (audit_fd != -1)
			(void)fchmod(audit_fd, AUDIT_MODE);
		else if (errno == EEXIST)
			audit_fd = open(path, flags);
	}
	if (audit_fd != -1 && (fstat(audit_fd, &st) == -1 ||
	    !S_ISREG(st.st_mode))) {
		close(audit_fd);
		audit_fd = -1;
		errno = EINVAL;
		if (cause != NULL)
			xasprintf(cause, "the audit log %s is not a regular "
			    "file", path);
		return (-1);
	}
	if (audit_fd == -1) {
		/* A missing log directory is not fatal: syslog has it all. */
		if (cause != NULL)
			xasprintf(cause, "cannot open the audit log %s: %s",
			    path, strerror(errno));
		return (-1);
	}
	return (0);
}

void
audit_log(const char *result, const char *action)
{
	struct audit_line	 l;
	char			 line[AUDIT_LINE_MAX], stamp[32];
	struct tm		 tm;
	time_t			 now;
	ssize_t			 n;

	audit_line_init(&l, line, sizeof line);
	audit_line_field(&l, "user", audit_user);
	audit_line_field(&l, "tty", audit_tty);
	audit_line_field(&l, "from", audit_from);
	audit_line_field(&l, "action", action);
	audit_line_field(&l, "result", result);
	syslog(LOG_NOTICE, "%s", line);
	/* A root helper's records go to the chained trail as well. */
	if (audit_sink != NULL)
		audit_sink(result, action);
	if (audit_fd == -1)
		return;
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		xsnprintf(stamp, sizeof stamp, "%lld", (long long)now);
	audit_line_init(&l, line, sizeof line);
	(void)audit_put(&l, stamp, strlen(stamp));
	audit_line_field(&l, "user", audit_user);
	audit_line_field(&l, "tty", audit_tty);
	audit_line_field(&l, "from", audit_from);
	audit_line_field(&l, "action", action);
	audit_line_field(&l, "result", result);
	audit_line_end(&l);
	/* One write() per record: O_APPEND keeps records whole. */
	do {
		n = write(audit_fd, line, l.len);
	} while (n == -1 && errno == EINTR);
}

void
audit_logf(const char *result, const char *fmt, ...)
{
	va_list	 ap;
	char	*action;

	va_start(ap, fmt);
	xvasprintf(&action, fmt, ap);
	va_end(ap);
	audit_log(result, action);
	free(action);
}

void
audit_close(void)
{
	if (audit_fd != -1)
		close(audit_fd);
	audit_fd = -1;
	if (audit_syslog_open)
		closelog();
	audit_syslog_open = 0;
}

const char *
audit_ssh_connection(void)
{
	return (audit_from);
}
