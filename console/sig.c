/* SPDX-License-Identifier: ISC */
/*
 * Signals of a login shell that must never be left: Ctrl-C is a request to
 * cancel, Ctrl-Z and Ctrl-\ mean nothing (there is no job control to reach),
 * and a hang-up ends the session cleanly. Handlers only set flags; the code
 * that owns the terminal acts on them. No SA_RESTART, so a blocked read
 * returns and the flag is seen. The helpers hold the same signals over a
 * change of several steps (sig_hold).
 */
#include <signal.h>
#include <string.h>

#include "sig.h"

volatile sig_atomic_t	 sig_hangup;
volatile sig_atomic_t	 sig_interrupt;

static void	 sig_handler(int);

static void
sig_handler(int sig)
{
	if (sig == SIGINT)
		sig_interrupt = 1;
	else
		sig_hangup = 1;
}

void
sig_install(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = sig_handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	sa.sa_handler = SIG_IGN;
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

void
sig_reset_for_child(void)
{
	static const int	 sigs[] = { SIGINT, SIGHUP, SIGTERM, SIGQUIT,
	    SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGALRM, SIGWINCH, SIGCHLD };
	struct sigaction	 sa;
	sigset_t		 none;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void
sig_hold(sigset_t *saved)
{
	sigset_t	 hold;

	sigemptyset(&hold);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGPIPE);
	sigprocmask(SIG_BLOCK, &hold, saved);
}

void
sig_release(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}
