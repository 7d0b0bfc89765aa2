/* SPDX-License-Identifier: ISC */
/*
 * The one way the console runs a program (after OpenSSH's subprocess()):
 * an absolute path, an argv built from validated values, an environment
 * built from nothing, fds above 2 closed, its own process group, a timeout,
 * and output captured into capped buffers. Never a shell.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stddef.h>

#define SPAWN_CAPTURE_DEFAULT	(256 * 1024)

struct spawn_req {
	const char	*path;		/* absolute, else refused */
	char *const	*argv;		/* argv[0] included, NULL-terminated */
	char *const	*envp;		/* NULL: spawn_default_env() */
	int		 timeout_ms;	/* 0: no limit */
	size_t		 capture_max;	/* per stream; 0: SPAWN_CAPTURE_DEFAULT */
	int		 interactive;	/* hand over the terminal: no capture,
					   child in the foreground, default signals */
	const char	*stdin_data;	/* fed to stdin when not interactive */
	/* Called with all of stderr so far each time more arrives (e.g. a
	   progress line); NULL: none. */
	void		(*on_err)(const char *, size_t, void *);
	void		*on_err_arg;
	/*
	 * A dialogue on stdin instead of stdin_data (a program that asks its
	 * questions one at a time on stderr, as PAM's passwd does): called
	 * with all of stderr so far each time more arrives and the last
	 * answer is written; returns the next bytes to write ("" none yet),
	 * or NULL to close stdin. The string must live until the next call.
	 */
	const char	*(*on_prompt)(const char *, size_t, void *);
	void		*on_prompt_arg;
};

struct spawn_result {
	int	 exited;	/* 1: exit_code is valid */
	int	 exit_code;
	int	 signal;	/* killed by this signal (0 if exited) */
	int	 timed_out;	/* we killed it at the timeout */
	int	 cancelled;	/* we killed it: Ctrl-C or hang-up */
	int	 truncated;	/* output passed capture_max; the rest dropped */
	char	*out;		/* NUL-terminated; NULL when interactive */
	size_t	 out_len;
	char	*err;
	size_t	 err_len;
};

/* The environment children get when the caller gives none. */
char *const	*spawn_default_env(void);
/*
 * Run and wait. Returns 0 when the program ran (whatever its exit status:
 * look at res), -1 with *cause when it could not be started. res is
 * cleared on entry; free it with spawn_result_free.
 */
int		 spawn_run(const struct spawn_req *, struct spawn_result *,
		     char **);
void		 spawn_result_free(struct spawn_result *);
/*
 * How a run went wrong, as one sentence naming it (name): it did not
 * finish in time, was cancelled or killed, wrote past the cap, or exited
 * non-zero (then the first line it wrote on stderr, else stdout,
 * sanitised, after "NAME failed: " unless it starts with NAME). NULL
 * when it exited 0 with all its output.
 */
char		*spawn_result_cause(const struct spawn_result *, const char *);
/*
 * spawn_run for the common case, where any end but exit 0 is a failure:
 * returns 0 when it exited 0 with all its output; else -1 and *cause, why
 * it could not start or spawn_result_cause naming argv[0] without its
 * directory. out (if not NULL) gets the result either way, to read the
 * output or see out->timed_out; free it with spawn_result_free. Callers
 * pass the request as a compound literal of the fields they need.
 */
int		 spawn_simple(const struct spawn_req *, struct spawn_result *,
		     char **);
/* Kill any child process group still running (hang-up path). */
void		 spawn_kill_running(void);
/*
 * Close every fd >= the argument. Async-signal-safe: used between fork and
 * execve and by the privileged helpers' prologue.
 */
int		 spawn_closefrom(int);

/*
 * The first executable of a NULL-terminated list of absolute paths (a
 * tool installed in /usr/sbin on one system, /sbin on another), or NULL.
 */
const char	*spawn_find(const char *const *);

#endif
