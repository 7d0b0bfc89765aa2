/* SPDX-License-Identifier: ISC */
/*
 * The audit trail: one record per action the user takes, to syslog
 * (LOG_AUTHPRIV) and to an append-only file, with who (user), from where
 * (tty, SSH_CONNECTION), what and the result. Values are sanitised.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

/* Capture who and where; call before the environment is scrubbed. */
void	 audit_init(void);
/* This process is a root helper: it may create the log (call first). */
void	 audit_helper(void);
/* Open the audit file (under paths_root()); failure is not fatal: syslog stays. */
int	 audit_open(char **);
/* audit_log(result, action): result "ok", "refused"...; action "menu 300". */
void	 audit_log(const char *, const char *);
void	 audit_logf(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 audit_close(void);
/*
 * Where a root helper's records go besides syslog (the chained trail):
 * set, audit_log calls it too.
 */
typedef void	(*audit_sink_fn)(const char *, const char *);
void	 audit_set_sink(audit_sink_fn);

/*
 * One record as key="value" fields on one line, every value escaped
 * ('"' and '\\' with a backslash, any other byte outside printable
 * ASCII as \xNN), so no value can end its field or its line. A line
 * that does not fit is cut between two escapes and still ends its field
 * and the line (cut is set).
 */
struct audit_line {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 cut;
};
void	 audit_line_init(struct audit_line *, char *, size_t);
void	 audit_line_field(struct audit_line *, const char *, const char *);
/* The newline. */
void	 audit_line_end(struct audit_line *);
/* The escape of one byte into out (up to 4 bytes, no NUL); its length. */
size_t	 audit_escape_char(int, char *);
/* SSH_CONNECTION as captured by audit_init ("-" when not over SSH). */
const char	*audit_ssh_connection(void);

#endif
