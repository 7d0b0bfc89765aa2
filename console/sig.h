/* SPDX-License-Identifier: ISC */
/*
 * The session's signal rules: Ctrl-C cancels the current action, Ctrl-Z and
 * Ctrl-\ do nothing, hang-up and TERM end the session cleanly.
 */
#ifndef SIG_H
#define SIG_H

#include <signal.h>

extern volatile sig_atomic_t sig_hangup;	/* SIGHUP or SIGTERM arrived */
extern volatile sig_atomic_t sig_interrupt;	/* SIGINT arrived */

/* Install the session's handlers (no SA_RESTART: reads return EINTR). */
void	 sig_install(void);
/* Defaults for a child between fork and execve. */
void	 sig_reset_for_child(void);
/*
 * Hold HUP, INT, TERM and PIPE over a change of several steps, so that a
 * hang-up (relayed by sudo as SIGTERM) cannot stop it half way; *saved
 * gets the mask that sig_release puts back, when what was held arrives.
 */
void	 sig_hold(sigset_t *);
void	 sig_release(const sigset_t *);

#endif
