/* SPDX-License-Identifier: ISC */
/*
 * The only face of CDK and ncurses the rest of the console sees. Every
 * screen fits 80x24, falls back to plain vt100, honours the idle timeout
 * and the hang-up flag, and Ctrl-C cancels. No other file includes curses
 * or CDK headers.
 */
#ifndef UI_H
#define UI_H

#include <stddef.h>

/* What a screen returns besides its own answer. */
#define UI_OK		0
#define UI_CANCEL	(-1)	/* Escape, Ctrl-C, "back" */
#define UI_IDLE		(-2)	/* the idle timeout passed: log out */
#define UI_HANGUP	(-3)	/* SIGHUP/SIGTERM: end the session */

/* Did a screen's answer end the session (UI_IDLE or UI_HANGUP)? */
int	 ui_session_over(int);

#define UI_MIN_COLS	80
#define UI_MIN_LINES	24

/* How the terminal is used; from console.conf's [console] keys. */
struct ui_opts {
	int	 idle_timeout;		/* seconds; 0 = never */
	int	 ascii_borders;		/* +-| even where terminfo has acsc */
	int	 colour;		/* allowed: terminfo and NO_COLOR decide */
	int	 escape_delay_ms;	/* an ESC alone after this long */
};

/* Start curses on the tty (TERM already validated; unknown -> vt100). */
int	 ui_start(const struct ui_opts *, char **);
void	 ui_end(void);
/* Give the terminal to a child (drop-in) and take it back afterwards. */
void	 ui_suspend(void);
void	 ui_resume(void);

struct ui_menu_item {
	char		 key;		/* '1'..'9', '0', or 0 for none */
	const char	*label;
};

struct ui_menu {
	const char			*title;		/* appliance name */
	const char *const		*header;	/* lines under the title */
	int				 nheader;
	const char			*warning;	/* shown in the header, or NULL */
	const struct ui_menu_item	*items;
	int				 nitems;
	int				 selected;	/* in and out */
};

/*
 * Show the menu and wait for a choice: returns the chosen item's index, or
 * UI_IDLE / UI_HANGUP. Redraws only the cells that change per keystroke.
 */
int	 ui_menu_run(struct ui_menu *);

/* A scrolling text viewer over lines ('\n'-separated text); returns UI_*. */
int	 ui_view(const char *, const char *);
/* A message box with one or more lines; returns UI_*. */
int	 ui_message(const char *, const char *);
/* Yes/No; returns 1 for yes, 0 for no, or UI_IDLE / UI_HANGUP. */
int	 ui_confirm(const char *, const char *);
/* One line at the bottom of the screen, e.g. "Checking resources..." */
void	 ui_progress(const char *);

struct ui_field {
	const char	*label;
	char		*value;		/* in: initial, out: accepted value */
	size_t		 size;		/* of value, including the NUL */
	/* whole-value check; -1 with *cause names what is wrong */
	int		(*valid)(const char *, char **);
	int		 secret;	/* typed characters shown as '*' */
	/* NULL: a value is required. Else blank is allowed, is not
	   validated, and means this: the label says "(blank: none)". */
	const char	*blank;
};
/*
 * A form of fields, each checked by its validator when the user leaves it
 * and again on OK (a blank optional field is not); OK is refused while any
 * field is invalid, with the field's sentence shown. Returns UI_OK,
 * UI_CANCEL, UI_IDLE or UI_HANGUP.
 */
int	 ui_form(const char *, struct ui_field *, int);

/*
 * A countdown under a text: "C keeps, R rolls back" with the seconds left
 * redrawn once a second. Returns UI_OK for C, UI_CANCEL for R or Ctrl-C,
 * UI_EXPIRED when the time ran out, UI_IDLE or UI_HANGUP.
 */
#define UI_EXPIRED	(-4)
int	 ui_countdown(const char *, const char *, int);

#endif
