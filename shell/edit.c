/* SPDX-License-Identifier: ISC */
/*
 * The prompt's line reader on libedit (BSD licence). What libedit could
 * do beyond editing a line is switched off: no ~/.editrc is read, no
 * signal handlers of its own, emacs keys only (vi mode's "v" would start
 * an editor), no quoted insert of control bytes, and the keys are read by
 * our own function, which drops non-ASCII bytes, stops at the length
 * bound, and waits with poll() so that the idle timeout and a hang-up end
 * the read.
 */
#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "edit.h"
#include "sig.h"
#include "text.h"
#include "words.h"
#include "xmalloc.h"

#define EDIT_HISTORY	200
#define EDIT_CAND_MAX	64

struct edit {
	EditLine		*el;
	History			*hist;
	char			*prompt;
	int			 max;		/* bytes in a line */
	int			 idle;		/* seconds; 0 none */
	int			 why;		/* EDIT_* of the last read */
	edit_complete_fn	 complete;
	/* Candidates of one completion. */
	char			*cand[EDIT_CAND_MAX];
	int			 ncand;
};

static char		*edit_prompt(EditLine *);
static void		 edit_bell(void);
static int		 edit_getc(EditLine *, wchar_t *);
static unsigned char	 edit_tab(EditLine *, int);
static void		 edit_collect(const char *, void *);

static char *
edit_prompt(EditLine *el)
{
	struct edit	*e;

	el_get(el, EL_CLIENTDATA, &e);
	return (e->prompt);
}

static void
edit_bell(void)
{
	fputc('\a', stdout);
	fflush(stdout);
}

/* One key: poll with the idle timeout, ASCII only, the length bound. */
static int
edit_getc(EditLine *el, wchar_t *wc)
{
	struct edit	*e;
	struct pollfd	 pfd;
	const LineInfo	*li;
	struct timespec	 start, now;
	unsigned char	 c;
	ssize_t		 n;
	int		 r, left;

	el_get(el, EL_CLIENTDATA, &e);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (sig_hangup) {
			e->why = EDIT_HANGUP;
			return (-1);
		}
		if (sig_interrupt) {
			sig_interrupt = 0;
			e->why = EDIT_INTERRUPT;
			return (-1);
		}
		left = 1000;
		if (e->idle > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= e->idle) {
				e->why = EDIT_IDLE;
				return (-1);
			}
		}
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((r = poll(&pfd, 1, left)) == -1) {
			if (errno == EINTR)
				continue;
			e->why = EDIT_EOF;
			return (-1);
		}
		if (r == 0)
			continue;
		if ((n = read(STDIN_FILENO, &c, 1)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			e->why = EDIT_EOF;
			return (-1);
		}
		if (n == 0) {
			e->why = EDIT_EOF;
			return (0);
		}
		/*
		 * Ctrl-C and a key read in one wake-up (the key typed just
		 * after it): the interrupt wins, or Enter would run the line
		 * the user cancelled, and the flag, still set, would make the
		 * command's own Ctrl-C look old and be ignored.
		 */
		if (sig_interrupt)
			continue;
		if (c >= 0x80) {
			/* Printable ASCII only: the byte is dropped. */
			edit_bell();
			continue;
		}
		li = el_line(el);
		if (c >= 0x20 && c < 0x7f &&
		    li->lastchar - li->buffer >= e->max) {
			edit_bell();
			continue;
		}
		*wc = (wchar_t)c;
		return (1);
	}
}

static void
edit_collect(const char *word, void *arg)
{
	struct edit	*e = arg;

	if (e->ncand < EDIT_CAND_MAX)
		e->cand[e->ncand++] = xstrdup(word);
}

/*
 * Tab: one candidate is completed with a space after it; several are
 * completed as far as they agree, and listed when that adds nothing.
 */
static unsigned char
edit_tab(EditLine *el, int ch)
{
	struct edit	*e;
	const LineInfo	*li;
	const char	*word;
	char		*line, *add;
	size_t		 len, common, i;
	int		 j, ret = CC_REFRESH;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &e);
	li = el_line(el);
	line = xstrndup(li->buffer, (size_t)(li->cursor - li->buffer));
	word = strrchr(line, ' ');
	word = word != NULL ? word + 1 : line;
	len = strlen(word);
	e->ncand = 0;
	e->complete(line, edit_collect, e);
	if (e->ncand == 0) {
		ret = CC_REFRESH_BEEP;
		goto out;
	}
	common = strlen(e->cand[0]);
	for (j = 1; j < e->ncand; j++) {
		for (i = 0; i < common && e->cand[j][i] == e->cand[0][i]; i++)
			;
		common = i;
	}
	if (common > len || e->ncand == 1) {
		add = xstrndup(e->cand[0] + len, common - len);
		if (e->ncand == 1 && li->cursor == li->lastchar) {
			free(add);
			xasprintf(&add, "%.*s ", (int)(common - len),
			    e->cand[0] + len);
		}
		if (strlen(add) > 0 && (li->lastchar - li->buffer) +
		    (long)strlen(add) <= e->max)
			el_insertstr(el, add);
		free(add);
		goto out;
	}
	fputc('\n', stdout);
	for (j = 0; j < e->ncand; j++)
		fprintf(stdout, "%s%s", e->cand[j], j + 1 < e->ncand ? "  " :
		    "\n");
	fflush(stdout);
	ret = CC_REDISPLAY;
out:
	for (j = 0; j < e->ncand; j++)
		free(e->cand[j]);
	e->ncand = 0;
	free(line);
	return ((unsigned char)ret);
}

struct edit *
edit_new(const char *prompt, int max, edit_complete_fn complete,
    char **cause)
{
	struct edit	*e;
	HistEvent	 ev;

	e = xcalloc(1, sizeof *e);
	e->prompt = xstrdup(prompt);
	e->max = max;
	e->complete = complete;
	if ((e->el = el_init("appliance-console", stdin, stdout,
	    stderr)) == NULL) {
		xasprintf(cause, "cannot start the line editor on this "
		    "terminal");
		edit_free(e);
		return (NULL);
	}
	e->hist = history_init();
	history(e->hist, &ev, H_SETSIZE, EDIT_HISTORY);
	history(e->hist, &ev, H_SETUNIQUE, 1);
	el_set(e->el, EL_CLIENTDATA, e);
	el_set(e->el, EL_SIGNAL, 0);
	el_set(e->el, EL_EDITOR, "emacs");
	el_set(e->el, EL_PROMPT, edit_prompt);
	el_set(e->el, EL_HIST, history, e->hist);
	el_set(e->el, EL_GETCFN, edit_getc);
	el_set(e->el, EL_ADDFN, "console-complete", "complete a command word",
	    edit_tab);
	el_set(e->el, EL_BIND, "^I", "console-complete", NULL);
	/* No quoted insert: a control byte could only be refused later. */
	el_set(e->el, EL_BIND, "^V", "ed-unassigned", NULL);
	el_set(e->el, EL_BIND, "^Q", "ed-unassigned", NULL);
	/* No switch to vi keys or to libedit's own command line. */
	el_set(e->el, EL_BIND, "^[^V", "ed-unassigned", NULL);
	el_set(e->el, EL_BIND, "^[:", "ed-unassigned", NULL);
	el_set(e->el, EL_BIND, "^X^E", "ed-unassigned", NULL);
	return (e);
}

char *
edit_read(struct edit *e, int idle, int *why)
{
	const char	*s;
	char		*line;
	int		 n;

	e->idle = idle;
	e->why = 0;
	*why = 0;
	if ((s = el_gets(e->el, &n)) == NULL || n <= 0) {
		*why = e->why != 0 ? e->why : EDIT_EOF;
		if (*why == EDIT_INTERRUPT) {
			el_reset(e->el);
			fputc('\n', stdout);
		}
		return (NULL);
	}
	line = xstrndup(s, (size_t)n);
	line[strcspn(line, "\n")] = '\0';
	return (line);
}

void
edit_history_add(struct edit *e, const char *line)
{
	HistEvent	 ev;

	if (*line != '\0')
		history(e->hist, &ev, H_ENTER, line);
}

void
edit_free(struct edit *e)
{
	if (e == NULL)
		return;
	if (e->el != NULL)
		el_end(e->el);
	if (e->hist != NULL)
		history_end(e->hist);
	free(e->prompt);
	free(e);
}
