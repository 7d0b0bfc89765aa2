/* SPDX-License-Identifier: ISC */
/*
 * The restricted prompt's line reader, on libedit: emacs keys, in-session
 * history, completion through a function the caller gives (never file
 * names), printable ASCII only, a length bound, the idle timeout and the
 * hang-up flag. It reads the terminal itself: the caller leaves curses
 * first (ui_suspend).
 */
#ifndef EDIT_H
#define EDIT_H

struct edit;

/* Why edit_read returned NULL. */
#define EDIT_EOF	1	/* Ctrl-D on an empty line, or the tty went away */
#define EDIT_IDLE	2	/* no key for the idle timeout */
#define EDIT_HANGUP	3	/* SIGHUP or SIGTERM */
#define EDIT_INTERRUPT	4	/* Ctrl-C: the line is dropped */

/* Calls the second argument once per candidate for the line's last word. */
typedef int	(*edit_complete_fn)(const char *,
		    void (*)(const char *, void *), void *);

struct edit	*edit_new(const char *, int, edit_complete_fn, char **);
/* A line without its newline (the caller frees it) or NULL with *why. */
char		*edit_read(struct edit *, int, int *);
void		 edit_history_add(struct edit *, const char *);
void		 edit_free(struct edit *);

#endif
