/* SPDX-License-Identifier: ISC */
/*
 * Module 500, the restricted command prompt: a line editor (libedit) over
 * the same tokenizer and command table as -c and the CLI. It is never a
 * shell: each line goes through words_split (printable ASCII, no quoting,
 * expansion, redirection or separators; refused whole with the character
 * and its position named), then cmd_run_cli, which audits it. libedit is
 * given our own character reader, so the idle timeout, hang-up and Ctrl-C
 * keep working, and our own completion, which offers command words and
 * each command's keywords from its usage line, never file names. No
 * ~/.editrc is read.
 */
#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "sig.h"
#include "text.h"
#include "ui.h"
#include "words.h"
#include "xmalloc.h"

#define PROMPT_HISTORY	200
#define PROMPT_TICK_MS	1000

static enum cmd_retval	 prompt_tui(struct cmd_ctx *);
static enum cmd_retval	 prompt_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_prompt_entry = {
	.name = "prompt",
	.number = 500,
	.title = "Command prompt",
	.usage = "prompt (interactive only; 'exit' returns to the menu)",
	.flags = 0,
	.tui = prompt_tui,
	.cli = prompt_cli
};

enum prompt_end {
	PROMPT_GOING,
	PROMPT_EXIT,		/* "exit" or end of input */
	PROMPT_IDLE,
	PROMPT_HANGUP
};

static char		 prompt_text[128];
static enum prompt_end	 prompt_end;
static int		 prompt_idle_timeout;
static struct timespec	 prompt_last_key;
static const char	*prompt_pending;	/* keys we feed libedit ourselves */

static char *
prompt_string(EditLine *el)
{
	(void)el;
	return (prompt_text);
}

/*
 * libedit's reader: one byte from the terminal, with the session's rules
 * around it. Ctrl-C discards the line being typed (^U, then Enter).
 */
static int
prompt_getc(EditLine *el, wchar_t *wc)
{
	struct pollfd	 pfd = { STDIN_FILENO, POLLIN, 0 };
	struct timespec	 now;
	unsigned char	 c;
	ssize_t		 n;

	(void)el;
	for (;;) {
		if (prompt_pending != NULL && *prompt_pending != '\0') {
			*wc = (wchar_t)*prompt_pending++;
			return (1);
		}
		if (sig_hangup) {
			prompt_end = PROMPT_HANGUP;
			return (0);
		}
		if (sig_interrupt) {
			sig_interrupt = 0;
			prompt_pending = "\025\r";
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (prompt_idle_timeout > 0 && now.tv_sec -
		    prompt_last_key.tv_sec >= prompt_idle_timeout) {
			prompt_end = PROMPT_IDLE;
			return (0);
		}
		if (poll(&pfd, 1, PROMPT_TICK_MS) <= 0)
			continue;
		n = read(STDIN_FILENO, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			prompt_end = PROMPT_EXIT;
			return (0);
		}
		clock_gettime(CLOCK_MONOTONIC, &prompt_last_key);
		*wc = (wchar_t)c;
		return (1);
	}
}

/* Does word w start with the n bytes of p? */
static int
prompt_prefix(const char *w, const char *p, size_t n)
{
	return (strncmp(w, p, n) == 0);
}

/*
 * The candidates for the word under the cursor: command names first,
 * then the keywords of the command's usage line (words of letters, '-'
 * and '|' alternatives). Returns how many; the unique one in *one.
 */
static int
prompt_candidates(const char *first, const char *word, size_t len,
    int printing, const char **one, char *onebuf, size_t onelen)
{
	const struct cmd_entry	*const *ce, *cmd = NULL;
	const char		*u, *e, *seen[64];
	char			 kw[64];
	int			 n = 0, nseen = 0, i, dup;

	if (first == NULL) {
		if (prompt_prefix("exit", word, len)) {
			n++;
			*one = "exit";
			if (printing)
				printf("  exit");
		}
		for (ce = cmd_table; *ce != NULL; ce++) {
			if (!prompt_prefix((*ce)->name, word, len))
				continue;
			n++;
			*one = (*ce)->name;
			if (printing)
				printf("  %s", (*ce)->name);
		}
		return (n);
	}
	if ((cmd = cmd_find(first, NULL)) == NULL)
		return (0);
	for (u = cmd->usage; *u != '\0'; u = e) {
		u += strcspn(u, "abcdefghijklmnopqrstuvwxyz-");
		e = u + strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (e == u)
			break;
		if ((size_t)(e - u) >= sizeof kw || (e - u) < 2)
			continue;
		memcpy(kw, u, (size_t)(e - u));
		kw[e - u] = '\0';
		if (strcmp(kw, cmd->name) == 0 || !prompt_prefix(kw, word, len))
			continue;
		/* Once each: remember where in the usage we saw it. */
		for (i = 0, dup = 0; i < nseen; i++)
			if (strncmp(seen[i], kw, strlen(kw)) == 0 &&
			    strspn(seen[i] + strlen(kw),
			    "abcdefghijklmnopqrstuvwxyz0123456789-") == 0)
				dup = 1;
		if (dup)
			continue;
		if (nseen < (int)(sizeof seen / sizeof seen[0]))
			seen[nseen++] = u;
		n++;
		(void)xsnprintf(onebuf, onelen, "%s", kw);
		*one = onebuf;
		if (printing)
			printf("  %s", kw);
	}
	return (n);
}

static unsigned char
prompt_complete(EditLine *el, int ch)
{
	const LineInfo	*li = el_line(el);
	const char	*start, *p, *one = NULL;
	char		 first[64], onebuf[64];
	size_t		 len;
	int		 n, have_first = 0;

	(void)ch;
	for (start = li->cursor; start > li->buffer && start[-1] != ' ';
	    start--)
		;
	for (p = li->buffer; p < start && *p == ' '; p++)
		;
	if (p < start) {
		len = strcspn(p, " ");
		if (len >= sizeof first)
			return (CC_ERROR);
		memcpy(first, p, len);
		first[len] = '\0';
		have_first = 1;
	}
	len = (size_t)(li->cursor - start);
	n = prompt_candidates(have_first ? first : NULL, start, len, 0, &one,
	    onebuf, sizeof onebuf);
	if (n == 1) {
		char	 rest[80];

		(void)xsnprintf(rest, sizeof rest, "%s ", one + len);
		return (el_insertstr(el, rest) == -1 ? CC_ERROR : CC_REFRESH);
	}
	if (n == 0)
		return (CC_ERROR);
	printf("\n");
	(void)prompt_candidates(have_first ? first : NULL, start, len, 1, &one,
	    onebuf, sizeof onebuf);
	printf("\n");
	return (CC_REDISPLAY);
}

/* One line: tokenize, dispatch, audit. */
static void
prompt_line(struct cmd_ctx *ctx, const char *line)
{
	struct words	 w;
	char		*cause = NULL, *safe;

	if (words_split(line, &w, &cause) == -1) {
		safe = text_sanitize(line, strlen(line));
		fprintf(stderr, "refused: %s\n", cause);
		audit_logf("refused", "prompt %s: %s", safe, cause);
		free(safe);
		free(cause);
		return;
	}
	if (w.argc == 0) {
		words_free(&w);
		return;
	}
	if (strcmp(w.argv[0], "exit") == 0 && w.argc == 1) {
		audit_log("ok", "prompt exit");
		prompt_end = PROMPT_EXIT;
	} else
		(void)cmd_run_cli(ctx, w.argc, w.argv);
	words_free(&w);
}

static enum cmd_retval
prompt_run(struct cmd_ctx *ctx)
{
	EditLine		*el;
	History			*hist;
	HistEvent		 ev;
	struct passwd		*pw;
	const char		*line;
	char			 host[64] = "appliance", copy[WORDS_LINE_MAX + 2];
	int			 count;

	pw = getpwuid(getuid());
	(void)gethostname(host, sizeof host - 1);
	(void)xsnprintf(prompt_text, sizeof prompt_text, "%s@%s> ",
	    pw != NULL ? pw->pw_name : "admin", host);
	prompt_idle_timeout = ctx->config != NULL ?
	    ctx->config->idle_timeout : 0;
	clock_gettime(CLOCK_MONOTONIC, &prompt_last_key);
	prompt_end = PROMPT_GOING;
	prompt_pending = NULL;

	if ((el = el_init("appliance-console", stdin, stdout, stderr)) ==
	    NULL) {
		fprintf(stderr, "cannot start the line editor\n");
		return (CMD_RETURN_ERROR);
	}
	hist = history_init();
	history(hist, &ev, H_SETSIZE, PROMPT_HISTORY);
	history(hist, &ev, H_SETUNIQUE, 1);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt_string);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_GETCFN, prompt_getc);
	el_set(el, EL_ADDFN, "ac-complete", "complete a word", prompt_complete);
	el_set(el, EL_BIND, "^I", "ac-complete", NULL);
	/* Ctrl-V would insert any control byte: make it do nothing. */
	el_set(el, EL_BIND, "^V", "ed-unassigned", NULL);

	printf("Command prompt. 'help' lists the commands, Tab completes, "
	    "'exit' returns to the menu.\n");
	while (prompt_end == PROMPT_GOING) {
		if ((line = el_gets(el, &count)) == NULL || count <= 0) {
			if (prompt_end == PROMPT_GOING)
				prompt_end = PROMPT_EXIT;
			break;
		}
		if ((size_t)count > WORDS_LINE_MAX) {
			fprintf(stderr, "refused: the line is longer than %d "
			    "characters\n", WORDS_LINE_MAX);
			audit_log("refused", "prompt: over-long line");
			continue;
		}
		(void)xsnprintf(copy, sizeof copy, "%s", line);
		copy[strcspn(copy, "\r\n")] = '\0';
		if (copy[0] != '\0')
			history(hist, &ev, H_ENTER, copy);
		prompt_line(ctx, copy);
		fflush(stdout);
	}
	history_end(hist);
	el_end(el);
	if (prompt_end == PROMPT_IDLE) {
		printf("\nLogged out after %d seconds without input.\n",
		    prompt_idle_timeout);
		return (CMD_RETURN_EXIT);
	}
	return (prompt_end == PROMPT_HANGUP ? CMD_RETURN_EXIT :
	    CMD_RETURN_OK);
}

static enum cmd_retval
prompt_tui(struct cmd_ctx *ctx)
{
	struct cmd_ctx	 c = *ctx;
	enum cmd_retval	 r;

	c.out = stdout;
	c.err = stderr;
	ui_suspend();
	r = prompt_run(&c);
	ui_resume();
	return (r);
}

static enum cmd_retval
prompt_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1 || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(ctx->err, "prompt: needs a terminal; give commands "
		    "with -c instead\n");
		return (CMD_RETURN_ERROR);
	}
	return (prompt_run(ctx));
}
