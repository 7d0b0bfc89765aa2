/* SPDX-License-Identifier: ISC */
/*
 * The account model (account.h): the helper's verbs, its report line
 * and pam_faillock's tally records. The record layout is faillock.h's
 * (Linux-PAM 1.4 and later): 52 bytes of source (not always
 * NUL-terminated), two reserved bytes, a 16-bit status, a 64-bit time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "xmalloc.h"

#define TALLY_RECORD		64
#define TALLY_STATUS_VALID	0x1

static const struct verb account_verb_table[] = {
	[ACCOUNT_V_STATUS] = { "status", 0, { { NULL, NULL, 0 } } },
	[ACCOUNT_V_LOGIN] = { "login", 0, { { NULL, NULL, 0 } } },
	[ACCOUNT_V_FAILLOCK_RESET] = { "faillock-reset", 0,
	    { { NULL, NULL, 0 } } },
};
_Static_assert(sizeof account_verb_table / sizeof account_verb_table[0] ==
    ACCOUNT_V_COUNT, "a row per account verb");

const struct verb_domain account_verbs = { "account", account_verb_table,
	ACCOUNT_V_COUNT };

static const char *const	 account_words[] = {
	[ACCOUNT_PW_OK] = "ok",
	[ACCOUNT_PW_EXPIRED] = "expired",
	[ACCOUNT_PW_LOCKED] = "locked",
	[ACCOUNT_PW_NONE] = "none",
};

const char *
account_password_word(enum account_password p)
{
	if ((size_t)p >= sizeof account_words / sizeof account_words[0])
		return ("none");
	return (account_words[p]);
}

int
account_status_format(const struct account_status *st, char *buf,
    size_t len)
{
	return (xsnprintf(buf, len, "password=%s failures=%d last=%s ssh=%s",
	    account_password_word(st->password), st->failures,
	    st->last_from[0] != '\0' ? st->last_from : "-",
	    st->ssh_locked ? "locked" : "open") == -1 ? -1 : 0);
}

int
account_status_parse(const char *line, struct account_status *st,
    char **cause)
{
	char		 pw[16], from[ACCOUNT_SOURCE_MAX + 1], ssh[8];
	const char	*e;
	size_t		 i;
	int		 n, failures, end = 0;

	memset(st, 0, sizeof *st);
	if (line == NULL || sscanf(line, "password=%15s failures=%d "
	    "last=%52s ssh=%7s%n", pw, &failures, from, ssh, &end) != 4 ||
	    failures < 0 || failures > 1000000) {
		*cause = xstrdup("the account helper's report is not readable");
		return (-1);
	}
	for (e = line + end; *e == '\n'; e++)
		;
	n = -1;
	for (i = 0; i < sizeof account_words / sizeof account_words[0]; i++)
		if (strcmp(pw, account_words[i]) == 0)
			n = (int)i;
	if (n == -1 || *e != '\0' || (strcmp(ssh, "locked") != 0 &&
	    strcmp(ssh, "open") != 0)) {
		*cause = xstrdup("the account helper's report is not readable");
		return (-1);
	}
	st->password = (enum account_password)n;
	st->failures = failures;
	st->ssh_locked = strcmp(ssh, "locked") == 0;
	if (strcmp(from, "-") != 0)
		xsnprintf(st->last_from, sizeof st->last_from, "%s", from);
	return (0);
}

void
account_tally_scan(const void *buf, size_t len, int64_t since, int64_t now,
    struct account_status *st)
{
	const unsigned char	*p = buf;
	uint64_t		 t;
	uint16_t		 status;
	int64_t			 newest = 0, newest_recent = 0;
	size_t			 off, i;
	int			 recent = 0;

	st->failures = 0;
	st->last_from[0] = '\0';
	st->ssh_locked = 0;
	for (off = 0; off + TALLY_RECORD <= len; off += TALLY_RECORD) {
		memcpy(&status, p + off + 54, sizeof status);
		memcpy(&t, p + off + 56, sizeof t);
		if (!(status & TALLY_STATUS_VALID) || t > INT64_MAX)
			continue;
		if ((int64_t)t > now - ACCOUNT_INTERVAL_S) {
			recent++;
			if ((int64_t)t > newest_recent)
				newest_recent = (int64_t)t;
		}
		/* The same second as the last login counts: never lose one. */
		if ((int64_t)t < since)
			continue;
		st->failures++;
		if ((int64_t)t >= newest) {
			newest = (int64_t)t;
			/* Printable ASCII only: it is shown on a screen. */
			for (i = 0; i < ACCOUNT_SOURCE_MAX &&
			    p[off + i] > ' ' && p[off + i] < 0x7f; i++)
				st->last_from[i] = (char)p[off + i];
			st->last_from[i] = '\0';
			if (i == 0 || (i < ACCOUNT_SOURCE_MAX &&
			    p[off + i] != '\0'))
				xsnprintf(st->last_from, sizeof st->last_from,
				    "%s", "?");
		}
	}
	st->ssh_locked = recent >= ACCOUNT_DENY &&
	    now - newest_recent < ACCOUNT_UNLOCK_S;
}
