/* SPDX-License-Identifier: ISC */
/*
 * The privileged side: the shared frame of every bin/console-helper-*.
 * A helper is its domain's verb table (verb.h, shared with the console's
 * stub) and one function per row; helper_main hardens the process, finds
 * the verb, checks the argument count, decodes and validates each argument
 * with the row's types, then runs the function, and reports one line on
 * stderr with an exit code from enum helper_status.
 * It never trusts its caller: the console validated already, we do it again.
 */
#ifndef HELPER_H
#define HELPER_H

#include <stddef.h>

#include "verb.h"

#define HELPER_MAX_ARGS	VERB_MAX_ARGS

enum helper_status {
	HELPER_OK = 0,
	HELPER_USAGE = 2,	/* unknown verb or wrong argument count */
	HELPER_INVALID = 3,	/* an argument failed its validator */
	HELPER_DENIED = 4,	/* not allowed (e.g. not running as root) */
	HELPER_FAILED = 5,	/* the system refused the change */
	HELPER_BUSY = 6,	/* another change holds the lock */
	HELPER_TIMEOUT = 7,
	HELPER_INTERNAL = 8,
	HELPER_STATUS_MAX
};

/* One sentence per status, for the user when the helper said nothing better. */
const char	*helper_status_message(int);
/* 1 when the number is one of enum helper_status (1 is not). */
int		 helper_status_valid(int);

/*
 * What a verb does, given its row and the decoded values (NULL absent,
 * verb_keep left as it is). Returns a status; may set *cause to the one
 * line to report.
 */
typedef enum helper_status (*helper_fn)(const struct verb *,
    const char *const *, char **);

/* Requests of this verb only read (audit verify): the frame records none. */
void		 helper_reads_only(const char *);
/* Close fds > 2, clear the environment, umask 077, no core, no new privs. */
int		 helper_harden(char **);
/*
 * The whole life of a helper: harden, match argv[1] against the domain's
 * table, decode and validate the arguments, run the row's function (fns
 * has one per row, in the table's order), print the one line on stderr.
 * A first word "@SESSION,TTY,ADDR,PORT" is the console's context, checked
 * and taken out. Every request is recorded in the chained trail (with
 * who asked, from SUDO_USER/SUDO_UID), and so is every audit_log call the
 * verb makes. Returns the exit status for main to return.
 */
int		 helper_main(int, char **, const struct verb_domain *,
		     const helper_fn *);

#endif
