/* SPDX-License-Identifier: ISC */
/*
 * The UI facade: the only file that includes curses or CDK. The main menu
 * is drawn with plain curses so that a keystroke sends only the cells that
 * change (a serial line at 9600 baud pays about 1 ms per byte); CDK draws
 * viewers, dialogs and forms. Every input loop here is ours: keys are read
 * through ui_key(), which applies the idle timeout, the hang-up flag and the
 * Ctrl-C/Ctrl-Z/Ctrl-\ rules, then injected into the CDK widget.
 *
 * The terminal decides the rest: line drawing where its terminfo has acsc
 * (ASCII +-| where not, or with [console] borders = ascii), colour only
 * where it has colours and NO_COLOR is unset, and on a slow line (a
 * serial console) the menu's selection is the marker alone, so a key
 * costs a few bytes. Ctrl-L repaints whatever screen is up.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cdk/cdk.h>

#include "sig.h"
#include "text.h"
#include "ui.h"
#include "xmalloc.h"

#define UI_TICK_MS	1000	/* longest wait before flags are looked at */
#define UI_WRAP		70	/* message boxes wrap at this width */
#define UI_VIEW_LINES	2000	/* lines a viewer keeps */
#define UI_LABEL_MIN	22	/* a form's label column, at least... */
#define UI_LABEL_MAX	34	/* ...and at most: the entry keeps 38 */

#define UI_CTRL(c)	((c) & 0x1f)
/* At or below this many bits a second the line is a serial console. */
#define UI_SLOW_BAUD	19200

/* Colour pairs, used only when ui_colour is set. */
#define UI_PAIR_TITLE	1
#define UI_PAIR_ALERT	2

static SCREEN		*ui_screen;
static CDKSCREEN	*ui_cdk;
static int		 ui_idle_timeout;	/* seconds; 0 = never */
static int		 ui_colour;		/* the terminal has it, allowed */
static int		 ui_slow;		/* serial speed: fewest bytes */
static struct timespec	 ui_last_key;

static int	 ui_signalled(void);
static int	 ui_key(WINDOW *);
static int	 ui_size_ok(void);
static int	 ui_warning_lines(const struct ui_menu *);
static int	 ui_wait_size(void);
static int	 ui_view_key(int);
static CDKSCREEN *ui_cdk_screen(void);
static char	*ui_cdk_text(const char *);
static char	*ui_field_label(const struct ui_field *);
static int	 ui_field_check(const struct ui_field *, const char *,
		    char **);
static char	**ui_wrap(const char *, int, int *);
static void	 ui_lines_free(char **, int);
static double	 ui_since_key(void);
static void	 ui_menu_draw(const struct ui_menu *);
static void	 ui_menu_item(const struct ui_menu *, int, int);
static void	 ui_menu_park(const struct ui_menu *);
static int	 ui_menu_loop(struct ui_menu *);
static void	 ui_ascii_borders(void);
static void	 ui_colours(const struct ui_opts *);
static chtype	 ui_attr_title(void);
static chtype	 ui_attr_alert(void);

static double
ui_since_key(void)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - ui_last_key.tv_sec) +
	    (double)(now.tv_nsec - ui_last_key.tv_nsec) / 1e9);
}

/* UI_HANGUP or UI_CANCEL when a signal asked for it, else UI_OK. */
static int
ui_signalled(void)
{
	if (sig_hangup)
		return (UI_HANGUP);
	if (sig_interrupt) {
		sig_interrupt = 0;
		return (UI_CANCEL);
	}
	return (UI_OK);
}

/*
 * Read one key from w. Returns the key, or UI_CANCEL for Ctrl-C, UI_IDLE
 * when the idle timeout passed, UI_HANGUP when the session must end.
 * Ctrl-Z and Ctrl-\ are swallowed: there is nothing to suspend to.
 */
static int
ui_key(WINDOW *w)
{
	int	 c;

	for (;;) {
		if ((c = ui_signalled()) != UI_OK)
			return (c);
		if (ui_idle_timeout > 0 &&
		    ui_since_key() >= (double)ui_idle_timeout)
			return (UI_IDLE);
		wtimeout(w, UI_TICK_MS);
		c = wgetch(w);
		if (c == ERR)
			continue;	/* tick, EINTR: look at the flags */
		if (c == UI_CTRL('z') || c == UI_CTRL('\\'))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &ui_last_key);
		/* Ctrl-L: the whole screen again, whichever is up. */
		if (c == UI_CTRL('l')) {
			wrefresh(curscr);
			continue;
		}
		if (c == UI_CTRL('c'))
			return (UI_CANCEL);
		/*
		 * Terminals disagree on what Backspace sends (vt100's
		 * terminfo says ^H, most emulators send DEL): both erase.
		 */
		if (c == 0x7f || c == UI_CTRL('h'))
			return (KEY_BACKSPACE);
		return (c);
	}
}

int
ui_session_over(int u)
{
	return (u == UI_IDLE || u == UI_HANGUP);
}

/*
 * The box and line characters as ASCII: what ncurses itself falls back to
 * when terminfo has no acsc, forced here for a terminal (or a serial
 * console's emulator) that claims line drawing and garbles it. CDK reads
 * the same table when it draws a box.
 */
static void
ui_ascii_borders(void)
{
	static const char	 corners[] = "lkmjntuvw";
	const char		*p;

	for (p = corners; *p != '\0'; p++)
		acs_map[(unsigned char)*p] = '+';
	acs_map['q'] = '-';
	acs_map['x'] = '|';
}

/* Colour where the terminal has it, unless NO_COLOR or the config says no. */
static void
ui_colours(const struct ui_opts *o)
{
	const char	*no = getenv("NO_COLOR");

	ui_colour = 0;
	if (!o->colour || (no != NULL && *no != '\0') || !has_colors() ||
	    start_color() == ERR)
		return;
	(void)use_default_colors();
	init_pair(UI_PAIR_TITLE, COLOR_CYAN, -1);
	init_pair(UI_PAIR_ALERT, COLOR_WHITE, COLOR_RED);
	ui_colour = 1;
}

static chtype
ui_attr_title(void)
{
	return (A_BOLD | (ui_colour ? COLOR_PAIR(UI_PAIR_TITLE) : 0));
}

static chtype
ui_attr_alert(void)
{
	return (ui_colour ? A_BOLD | COLOR_PAIR(UI_PAIR_ALERT) : A_REVERSE);
}

int
ui_start(const struct ui_opts *o, char **cause)
{
	const char	*term = getenv("TERM");

	ui_idle_timeout = o->idle_timeout;
	clock_gettime(CLOCK_MONOTONIC, &ui_last_key);
	if (term == NULL || *term == '\0')
		term = "vt100";
	/* newterm, not initscr: an unknown TERM must not end the session. */
	if ((ui_screen = newterm(term, stdout, stdin)) == NULL &&
	    (ui_screen = newterm("vt100", stdout, stdin)) == NULL) {
		xasprintf(cause, "cannot start the terminal interface");
		return (-1);
	}
	set_term(ui_screen);
	raw();			/* Ctrl-C/Z/\ arrive as keys, not signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	leaveok(stdscr, TRUE);	/* no cursor parking after each update */
	set_escdelay(o->escape_delay_ms > 0 ? o->escape_delay_ms : 100);
	curs_set(0);
	if (o->ascii_borders)
		ui_ascii_borders();
	ui_colours(o);
	/* The tty's speed: what agetty set on a serial line. */
	ui_slow = baudrate() > 0 && baudrate() <= UI_SLOW_BAUD;
	return (0);
}

void
ui_end(void)
{
	if (ui_screen == NULL)
		return;
	if (ui_cdk != NULL) {
		destroyCDKScreen(ui_cdk);
		ui_cdk = NULL;
	}
	curs_set(1);
	endwin();
	delscreen(ui_screen);
	ui_screen = NULL;
}

void
ui_suspend(void)
{
	def_prog_mode();
	endwin();
}

void
ui_resume(void)
{
	reset_prog_mode();
	/* The child drew over everything: the next update repaints. */
	clearok(curscr, TRUE);
	clock_gettime(CLOCK_MONOTONIC, &ui_last_key);
}

/* CDK only when a CDK screen is first needed: the menu does not need it. */
static CDKSCREEN *
ui_cdk_screen(void)
{
	if (ui_cdk == NULL) {
		ui_cdk = initCDKScreen(stdscr);
		raw();		/* initCDKScreen sets cbreak */
		noecho();
	}
	return (ui_cdk);
}

/*
 * CDK reads "</B>", "<C>" and the like as markup: text from outside must
 * not be able to restyle the screen, so a '<' gets a space after it when
 * it could start markup.
 */
static char *
ui_cdk_text(const char *s)
{
	struct text_buf	 b;
	size_t		 i, len = strlen(s);

	text_buf_init(&b, len * 2 + 1);
	for (i = 0; i < len; i++) {
		text_buf_append(&b, &s[i], 1);
		if (s[i] == '<' && s[i + 1] != '\0' && s[i + 1] != ' ')
			text_buf_append(&b, " ", 1);
	}
	return (text_buf_take(&b));
}

/* Split text into lines, each cut or wrapped at width; sanitised. */
static char **
ui_wrap(const char *text, int width, int *nlines)
{
	char		**lines = NULL, *safe;
	const char	 *p = text, *nl;
	size_t		  len, cut;
	int		  n = 0;

	for (;;) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		do {
			cut = len;
			if (width > 0 && cut > (size_t)width) {
				/* Break at the last space that fits. */
				cut = (size_t)width;
				while (cut > 0 && p[cut] != ' ')
					cut--;
				if (cut == 0)
					cut = (size_t)width;
			}
			safe = text_sanitize(p, cut);
			lines = xreallocarray(lines, n + 1, sizeof *lines);
			lines[n++] = ui_cdk_text(safe);
			free(safe);
			p += cut;
			len -= cut;
			while (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		} while (len > 0 && n < UI_VIEW_LINES);
		if (nl == NULL || n >= UI_VIEW_LINES)
			break;
		p = nl + 1;
		if (*p == '\0')
			break;
	}
	*nlines = n;
	return (lines);
}

static void
ui_lines_free(char **lines, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static int
ui_size_ok(void)
{
	return (LINES >= UI_MIN_LINES && COLS >= UI_MIN_COLS);
}

/*
 * Below 80x24 nothing fits: say so on one line and wait for a resize.
 * Returns UI_OK once the terminal is big enough, or UI_IDLE / UI_HANGUP.
 */
static int
ui_wait_size(void)
{
	int	 c;

	while (!ui_size_ok()) {
		erase();
		mvprintw(0, 0, "Terminal too small: %dx%d needed, this is %dx%d.",
		    UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
		refresh();
		c = ui_key(stdscr);
		if (ui_session_over(c))
			return (c);
	}
	return (UI_OK);
}

void
ui_progress(const char *text)
{
	char	*safe;

	safe = text_sanitize(text, strlen(text));
	move(LINES - 1, 0);
	clrtoeol();
	mvaddnstr(LINES - 1, 1, safe, COLS - 2);
	refresh();
	free(safe);
}

/* Row of item i: items start under the header with one blank line. */
#define UI_MENU_ROW(m, i)	((m)->nheader + ui_warning_lines(m) + 2 + (i))
#define UI_MENU_COL		3

/* A config warning takes one line, or two when it is long. */
static int
ui_warning_lines(const struct ui_menu *m)
{
	if (m->warning == NULL)
		return (0);
	return ((int)strlen(m->warning) > COLS - 2 ? 2 : 1);
}

/*
 * One menu line: "> 1  Label" when selected, "  1  Label" when not. On a
 * fast line the key in reverse marks the selection too (two changed cells
 * a row); on a serial line the marker alone does: the attribute changes
 * would cost 10 of a keystroke's bytes at vt100's sgr.
 */
static void
ui_menu_item(const struct ui_menu *m, int i, int selected)
{
	const struct ui_menu_item	*it = &m->items[i];
	int				 row = UI_MENU_ROW(m, i);

	mvaddch(row, UI_MENU_COL, selected ? '>' : ' ');
	mvaddch(row, UI_MENU_COL + 2, (it->key != 0 ? (chtype)it->key : ' ') |
	    (selected && !ui_slow ? A_REVERSE : 0));
}

/*
 * The cursor rests right after the selection's last changed cell, where
 * the next key's update starts: no cursor move to pay before it, and on a
 * terminal that cannot hide its cursor (a VT100) it points at the item.
 */
static void
ui_menu_park(const struct ui_menu *m)
{
	move(UI_MENU_ROW(m, m->selected), UI_MENU_COL + (ui_slow ? 1 : 3));
}

static void
ui_menu_draw(const struct ui_menu *m)
{
	int	 i, row;

	erase();
	attron(ui_attr_title());
	mvaddnstr(0, 1, m->title, COLS - 2);
	attroff(ui_attr_title());
	for (i = 0; i < m->nheader; i++)
		mvaddnstr(1 + i, 1, m->header[i], COLS - 2);
	if (m->warning != NULL) {
		attron(ui_attr_alert());
		mvaddnstr(1 + m->nheader, 1, m->warning, COLS - 2);
		if (ui_warning_lines(m) == 2)
			mvaddnstr(2 + m->nheader, 1, m->warning + COLS - 2,
			    COLS - 2);
		attroff(ui_attr_alert());
	}
	for (i = 0; i < m->nitems; i++) {
		row = UI_MENU_ROW(m, i);
		mvaddnstr(row, UI_MENU_COL + 5, m->items[i].label,
		    COLS - UI_MENU_COL - 6);
		ui_menu_item(m, i, i == m->selected);
	}
	mvaddnstr(LINES - 1, 1,
	    "Press a number, or move with the arrows and press Enter.",
	    COLS - 2);
}

int
ui_menu_run(struct ui_menu *m)
{
	int	 r;

	/* The menu places the cursor (ui_menu_park); other screens do not. */
	leaveok(stdscr, FALSE);
	r = ui_menu_loop(m);
	leaveok(stdscr, TRUE);
	return (r);
}

static int
ui_menu_loop(struct ui_menu *m)
{
	int	 c, i, old, r;

	if (m->selected < 0 || m->selected >= m->nitems)
		m->selected = 0;
	if ((r = ui_wait_size()) != UI_OK)
		return (r);
	ui_menu_draw(m);
	for (;;) {
		ui_menu_park(m);
		refresh();
		c = ui_key(stdscr);
		if (ui_session_over(c))
			return (c);
		old = m->selected;
		switch (c) {
		case KEY_RESIZE:
			if ((r = ui_wait_size()) != UI_OK)
				return (r);
			ui_menu_draw(m);
			continue;
		case KEY_DOWN:
		case 'j':
		case '\t':
			m->selected = (m->selected + 1) % m->nitems;
			break;
		case KEY_UP:
		case 'k':
		case KEY_BTAB:
			m->selected = (m->selected + m->nitems - 1) % m->nitems;
			break;
		case KEY_HOME:
			m->selected = 0;
			break;
		case KEY_END:
			m->selected = m->nitems - 1;
			break;
		case '\r':
		case '\n':
		case KEY_ENTER:
			return (m->selected);
		default:
			for (i = 0; i < m->nitems; i++) {
				if (m->items[i].key != 0 && c == m->items[i].key) {
					ui_menu_item(m, m->selected, 0);
					m->selected = i;
					ui_menu_item(m, i, 1);
					ui_menu_park(m);
					refresh();
					return (i);
				}
			}
			continue;
		}
		if (old != m->selected) {
			ui_menu_item(m, old, 0);
			ui_menu_item(m, m->selected, 1);
		}
	}
}

/* Map keys our loops treat alike before they reach a CDK widget. */
static int
ui_cdk_key(int c)
{
	if (c == UI_CANCEL)
		return (KEY_ESC);
	if (c == '\r' || c == '\n')
		return (KEY_ENTER);
	return (c);
}

/* The keys the text viewer passes on to its CDK widget. */
static int
ui_view_key(int c)
{
	switch (c) {
	case KEY_UP:
	case KEY_DOWN:
	case KEY_LEFT:
	case KEY_RIGHT:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
	case KEY_ENTER:
	case KEY_ESC:
	case ' ':
		return (1);
	}
	return (0);
}

int
ui_view(const char *title, const char *text)
{
	CDKSWINDOW	*sw;
	char		**lines, *t, *ctitle;
	int		  n, c, r = UI_OK, resized;

	t = ui_cdk_text(title);
	xasprintf(&ctitle, "<C></B>%s", t);
	free(t);
	/* A resize builds the viewer again at the new size. */
	do {
		resized = 0;
		if ((r = ui_wait_size()) != UI_OK)
			break;
		lines = ui_wrap(text, COLS - 4, &n);
		erase();
		mvaddnstr(LINES - 1, 1, "Arrows and PgUp/PgDn scroll; q, "
		    "Enter or Esc goes back.", COLS - 2);
		refresh();
		sw = newCDKSwindow(ui_cdk_screen(), 0, 0, LINES - 1, COLS,
		    ctitle, UI_VIEW_LINES, TRUE, FALSE);
		if (sw == NULL) {
			ui_lines_free(lines, n);
			r = UI_CANCEL;
			break;
		}
		setCDKSwindowContents(sw, (CDK_CSTRING2)lines, n);
		ui_lines_free(lines, n);
		drawCDKSwindow(sw, TRUE);
		for (;;) {
			c = ui_key(sw->win);
			if (ui_session_over(c)) {
				r = c;
				break;
			}
			if (c == KEY_RESIZE) {
				resized = 1;
				break;
			}
			if (c == 'q' || c == 'Q')
				c = KEY_ESC;
			/*
			 * Scrolling keys only: CDK's scrolling window also
			 * binds s/S (save the text to a file it asks for) and
			 * l/L (load any file into the window), a file write
			 * and a file read past the console's commands.
			 */
			if (!ui_view_key(ui_cdk_key(c)))
				continue;
			injectCDKSwindow(sw, (chtype)ui_cdk_key(c));
			if (sw->exitType != vEARLY_EXIT)
				break;
		}
		destroyCDKSwindow(sw);
	} while (resized);
	free(ctitle);
	erase();
	refresh();
	return (r);
}

/* A dialog with buttons; returns the button chosen, or UI_* on exit. */
static int
ui_dialog(const char *title, const char *text, const char **buttons,
    int nbuttons, int start)
{
	CDKDIALOG	*d;
	char		**msg, **lines, *t;
	int		  n, i, c, r;

	if ((r = ui_wait_size()) != UI_OK)
		return (r);
	lines = ui_wrap(text, UI_WRAP, &n);
	msg = xreallocarray(NULL, n + 2, sizeof *msg);
	t = ui_cdk_text(title);
	xasprintf(&msg[0], "<C></B>%s", t);
	free(t);
	msg[1] = xstrdup("");
	for (i = 0; i < n; i++)
		msg[i + 2] = lines[i];
	free(lines);
	n += 2;

	d = newCDKDialog(ui_cdk_screen(), CENTER, CENTER, (CDK_CSTRING2)msg,
	    n, (CDK_CSTRING2)buttons, nbuttons, A_REVERSE, TRUE, TRUE, FALSE);
	ui_lines_free(msg, n);
	if (d == NULL)
		return (UI_CANCEL);
	d->currentButton = start;
	drawCDKDialog(d, TRUE);
	for (;;) {
		c = ui_key(d->win);
		if (ui_session_over(c)) {
			r = c;
			break;
		}
		if (c == KEY_RESIZE)
			continue;
		injectCDKDialog(d, (chtype)ui_cdk_key(c));
		if (d->exitType == vNORMAL) {
			r = d->currentButton;
			break;
		}
		if (d->exitType == vESCAPE_HIT) {
			r = UI_CANCEL;
			break;
		}
	}
	destroyCDKDialog(d);
	erase();
	refresh();
	return (r);
}

int
ui_message(const char *title, const char *text)
{
	static const char	*ok[] = { " OK " };
	int			 r;

	r = ui_dialog(title, text, ok, 1, 0);
	return (ui_session_over(r) ? r : UI_OK);
}

int
ui_confirm(const char *title, const char *question)
{
	static const char	*yesno[] = { " Yes ", " No " };
	int			 r;

	/* No is the default: a stray Enter must not start a change. */
	r = ui_dialog(title, question, yesno, 2, 1);
	if (ui_session_over(r))
		return (r);
	return (r == 0);
}

/* The label as shown: markup defused, what blank means after it. */
static char *
ui_field_label(const struct ui_field *f)
{
	char	*t, *label;

	t = ui_cdk_text(f->label);
	if (f->blank == NULL)
		return (t);
	xasprintf(&label, "%s (blank: %s)", t, f->blank);
	free(t);
	return (label);
}

/* The field's validator, unless it is optional and blank. */
static int
ui_field_check(const struct ui_field *f, const char *v, char **cause)
{
	if (f->valid == NULL || (f->blank != NULL && *v == '\0'))
		return (0);
	return (f->valid(v, cause));
}

int
ui_form(const char *title, struct ui_field *fields, int nfields)
{
	CDKENTRY	**e;
	char		 *t, *cause = NULL, *label, *labels[UI_MIN_LINES];
	const char	 *v;
	int		  i, cur = 0, c, r = UI_CANCEL, width, row, bad, lw;

	if (nfields < 1 || nfields > UI_MIN_LINES - 6)
		return (UI_CANCEL);
	memset(labels, 0, sizeof labels);
	if ((r = ui_wait_size()) != UI_OK)
		return (r);
	erase();
	t = ui_cdk_text(title);
	attron(ui_attr_title());
	mvaddnstr(0, 1, t, COLS - 2);
	attroff(ui_attr_title());
	free(t);
	mvaddnstr(LINES - 1, 1, "Enter or Tab: next field (Enter on the last "
	    "one applies); Up: back; Esc: cancel.", COLS - 2);
	refresh();

	e = xcalloc(nfields, sizeof *e);
	for (lw = UI_LABEL_MIN, i = 0; i < nfields; i++) {
		labels[i] = ui_field_label(&fields[i]);
		if ((int)strlen(labels[i]) > lw)
			lw = (int)strlen(labels[i]);
	}
	if (lw > UI_LABEL_MAX)
		lw = UI_LABEL_MAX;
	for (i = 0; i < nfields; i++) {
		xasprintf(&label, "%-*.*s ", lw, lw, labels[i]);
		width = (int)fields[i].size - 1;
		if (width > COLS - lw - 8)
			width = COLS - lw - 8;
		row = 2 + i;
		e[i] = newCDKEntry(ui_cdk_screen(), 2, row, NULL, label,
		    A_UNDERLINE, ' ', fields[i].secret ? vHMIXED : vMIXED,
		    width, 0,
		    (int)fields[i].size - 1, FALSE, FALSE);
		free(label);
		if (e[i] == NULL)
			goto out;
		setCDKEntryValue(e[i], fields[i].value);
		drawCDKEntry(e[i], FALSE);
	}
	for (;;) {
		c = ui_key(e[cur]->fieldWin);
		if (ui_session_over(c)) {
			r = c;
			goto out;
		}
		if (c == KEY_RESIZE)
			continue;
		if (c == KEY_UP || c == KEY_BTAB) {
			if (cur > 0)
				cur--;
			continue;
		}
		if (c == KEY_DOWN)
			c = '\t';
		/* Only printable text and editing keys reach a field. */
		if (c < 0x100 && !isprint(c) && c != '\t' && c != '\r' &&
		    c != '\n' && c != UI_CANCEL && c != 0x1b)
			continue;
		injectCDKEntry(e[cur], (chtype)ui_cdk_key(c));
		if (e[cur]->exitType == vESCAPE_HIT) {
			r = UI_CANCEL;
			goto out;
		}
		if (e[cur]->exitType != vNORMAL)
			continue;
		/* Leaving a field: its validator speaks now, not on OK. */
		v = getCDKEntryValue(e[cur]);
		move(LINES - 2, 0);
		clrtoeol();
		if (ui_field_check(&fields[cur], v, &cause) == -1) {
			t = text_sanitize(cause, strlen(cause));
			attron(ui_attr_alert());
			mvaddnstr(LINES - 2, 1, t, COLS - 2);
			attroff(ui_attr_alert());
			free(t);
			free(cause);
			cause = NULL;
			refresh();
			continue;
		}
		refresh();
		if (cur < nfields - 1) {
			cur++;
			continue;
		}
		/* OK: every field again, the first bad one gets the cursor. */
		for (bad = -1, i = 0; i < nfields && bad == -1; i++) {
			if (ui_field_check(&fields[i], getCDKEntryValue(e[i]),
			    &cause) == -1) {
				bad = i;
				free(cause);
				cause = NULL;
			}
		}
		if (bad != -1) {
			cur = bad;
			continue;
		}
		for (i = 0; i < nfields; i++) {
			if (xsnprintf(fields[i].value, fields[i].size, "%s",
			    getCDKEntryValue(e[i])) == -1)
				fields[i].value[0] = '\0';
		}
		r = UI_OK;
		goto out;
	}
out:
	for (i = 0; i < nfields; i++) {
		if (e[i] != NULL)
			destroyCDKEntry(e[i]);
		free(labels[i]);
	}
	free(e);
	erase();
	refresh();
	return (r);
}

int
ui_countdown(const char *title, const char *text, int secs)
{
	struct timespec	 start, now;
	char		*safe, *line, *save = NULL;
	int		 row, left, shown = -1, c;

	if (ui_wait_size() != 0)
		return (UI_HANGUP);
	clock_gettime(CLOCK_MONOTONIC, &start);
	erase();
	safe = text_sanitize(title, strlen(title));
	mvaddnstr(0, 1, safe, COLS - 2);
	free(safe);
	safe = text_sanitize_lines(text, strlen(text));
	row = 2;
	for (line = strtok_r(safe, "\n", &save); line != NULL &&
	    row < LINES - 4; line = strtok_r(NULL, "\n", &save))
		mvaddnstr(row++, 1, line, COLS - 2);
	free(safe);
	mvaddnstr(LINES - 2, 1, "Press C to keep this configuration, R to "
	    "roll it back now.", COLS - 2);
	for (;;) {
		if ((c = ui_signalled()) != UI_OK)
			return (c);
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = secs - (int)(now.tv_sec - start.tv_sec);
		if (left <= 0)
			return (UI_EXPIRED);
		if (left != shown) {
			/* Only the number changes: a few bytes a second. */
			mvprintw(LINES - 3, 1, "Rolled back in %4d s unless "
			    "confirmed.", left);
			refresh();
			shown = left;
		}
		timeout(250);
		c = getch();
		if (c == ERR)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &ui_last_key);
		if (c == UI_CTRL('l'))
			wrefresh(curscr);
		if (c == 'c' || c == 'C')
			return (UI_OK);
		if (c == 'r' || c == 'R' || c == UI_CTRL('c'))
			return (UI_CANCEL);
	}
}
