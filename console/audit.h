/* SPDX-License-Identifier: ISC */
/*
 * The audit trail: one record per action the user takes, to syslog
 * (LOG_AUTHPRIV) and to an append-only file, with who (user), from where
 * (tty, SSH_CONNECTION), what and the result. Values are sanitised.
 */
#ifndef AUDIT_H
#define AUDIT_H

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
/* SSH_CONNECTION as captured by audit_init ("-" when not over SSH). */
const char	*audit_ssh_connection(void);

#endif
