/* SPDX-License-Identifier: ISC */
/*
 * The audit trail. Each record says who (the login user), from where (the
 * tty and SSH_CONNECTION, captured before the environment is scrubbed),
 * what, and the result. syslog under LOG_AUTHPRIV is the copy the admin
 * cannot edit; the file (opened O_APPEND, installed root:_console-audit
 * 0620 in a set-group-ID directory, chattr +a where the file system has
 * it) is the one support reads first.
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

#define AUDIT_FIELD_MAX	256
#define AUDIT_MODE	0620	/* root and the audit group append */

static char	 audit_user[64] = "?";
static char	 audit_tty[64] = "-";
static char	 audit_from[128] = "-";
static int	 audit_fd = -1;
static int	 audit_syslog_open;

static void	 audit_copy(char *, size_t, const char *);

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

void
audit_helper(void)
{
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
	char	 path[PATH_MAX];
	int	 flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
		    O_NOCTTY;

	if (audit_fd != -1)
		return (0);
	if (paths_get(path, sizeof path, PATH_AUDIT_LOG) == -1) {
		if (cause != NULL)
			xasprintf(cause, "the audit log path is too long");
		return (-1);
	}
	audit_fd = open(path, flags);
	if (audit_fd == -1 && errno == ENOENT) {
		/*
		 * Created here (by a root helper: the console cannot create
		 * files in the log directory): the group comes from the
		 * set-group-ID directory, the mode is set whatever the
		 * umask, so the console can still append to it.
		 */
		audit_fd = open(path, flags | O_CREAT | O_EXCL, AUDIT_MODE);
		if (audit_fd != -1)
			(void)fchmod(audit_fd, AUDIT_MODE);
		else if (errno == EEXIST)
			audit_fd = open(path, flags);
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
	char		 line[1024], stamp[32], *s_action, *s_result;
	struct tm	 tm;
	time_t		 now;
	size_t		 len;
	ssize_t		 n;

	s_action = text_sanitize(action, strnlen(action, AUDIT_FIELD_MAX));
	s_result = text_sanitize(result, strnlen(result, AUDIT_FIELD_MAX));
	syslog(LOG_NOTICE, "user=%s tty=%s from=\"%s\" action=\"%s\" "
	    "result=\"%s\"", audit_user, audit_tty, audit_from, s_action,
	    s_result);

	if (audit_fd != -1) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) == NULL ||
		    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ",
		    &tm) == 0)
			xsnprintf(stamp, sizeof stamp, "%lld",
			    (long long)now);
		if (xsnprintf(line, sizeof line, "%s user=%s tty=%s from=\"%s\""
		    " action=\"%s\" result=\"%s\"\n", stamp, audit_user,
		    audit_tty, audit_from, s_action, s_result) == -1) {
			/* Cut, but keep the record one line. */
			len = sizeof line - 2;
			line[len] = '\n';
			line[len + 1] = '\0';
		}
		len = strlen(line);
		/* One write() per record: O_APPEND keeps records whole. */
		do {
			n = write(audit_fd, line, len);
		} while (n == -1 && errno == EINTR);
	}
	free(s_action);
	free(s_result);
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
