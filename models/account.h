/* SPDX-License-Identifier: ISC */
/*
 * The login user's own account, as console-helper-account sees it for
 * the console (which cannot read the shadow file or pam_faillock's
 * tallies): the password's state (expired, locked), the SSH login
 * failures since the last login and whether they lock SSH. The verb
 * table, the one-line report both sides speak, and the reading of a
 * pam_faillock tally file.
 */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "verb.h"

/* pam_faillock's settings on sshd's stack (etc/pam-configs): the same. */
#define ACCOUNT_DENY		5
#define ACCOUNT_UNLOCK_S	900
#define ACCOUNT_INTERVAL_S	900
#define ACCOUNT_TALLY_DIR	"/run/faillock"
/* When each user last logged in to the menu: the helper's own state. */
#define ACCOUNT_SEEN_DIR	"/var/lib/appliance-console/account"
#define ACCOUNT_SOURCE_MAX	52	/* a tally record's source field */

enum account_verb {
	ACCOUNT_V_STATUS,
	ACCOUNT_V_LOGIN,
	ACCOUNT_V_FAILLOCK_RESET,
	ACCOUNT_V_COUNT
};

extern const struct verb_domain	 account_verbs;

enum account_password {
	ACCOUNT_PW_OK,
	ACCOUNT_PW_EXPIRED,	/* must be changed before anything else */
	ACCOUNT_PW_LOCKED,	/* no password login at all (keys only) */
	ACCOUNT_PW_NONE		/* no such user in the shadow file */
};

struct account_status {
	enum account_password	 password;
	int			 failures;	/* since the last login */
	char			 last_from[ACCOUNT_SOURCE_MAX + 1];
	int			 ssh_locked;	/* pam_faillock denies now */
};

/* The report line: "password=W failures=N last=SOURCE ssh=locked|open". */
int	 account_status_format(const struct account_status *, char *, size_t);
/* The other way, as the console reads it: 0, or -1 with *cause. */
int	 account_status_parse(const char *, struct account_status *, char **);
const char	*account_password_word(enum account_password);
/*
 * A pam_faillock tally (an array of 64-byte records): the valid failures
 * after since (seconds since the epoch) and the newest one's source into
 * st, and whether those in the last ACCOUNT_INTERVAL_S before now reach
 * ACCOUNT_DENY with the newest less than ACCOUNT_UNLOCK_S old.
 */
void	 account_tally_scan(const void *, size_t, int64_t, int64_t,
	    struct account_status *);

#endif
