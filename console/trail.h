/* SPDX-License-Identifier: ISC */
/*
 * The audit trail admin cannot forge: one record per request a root
 * helper handled, written by that helper, hash-chained. Each record is
 * one line of escaped key="value" fields (audit_line) that starts with
 * its sequence number and ends with the SHA-256 of the record before it
 * (prev, 64 zeros for the first); the number and hash of the last record
 * (the head) are kept in a root-only file too. A helper holds an
 * exclusive lock on the log while it appends. trail_verify names the
 * first record that does not match: a line changed, inserted or deleted.
 */
#ifndef TRAIL_H
#define TRAIL_H

#include <stddef.h>

#define PATH_TRAIL_LOG	"/var/log/appliance-console/trail.log"
#define PATH_TRAIL_HEAD	"/var/lib/appliance-console/trail.head"

#define TRAIL_LINE_MAX	4096	/* bytes of one record */
#define TRAIL_HASH_HEX	64

/*
 * Who asked, taken from sudo's variables (SUDO_USER, SUDO_UID) before
 * the helper clears its environment; without them the real uid.
 */
void	 trail_capture(void);
/*
 * The console's context word "@SESSION,TTY,ADDR,PORT" (each "-" when
 * unknown), validated: 0, or -1 with *cause.
 */
int	 trail_context(const char *, char **);
/* The helper domain, verb and its argument words the records are about. */
void	 trail_request(const char *, const char *, int, char *const *);
/*
 * Append one record (result, message) under the lock. The paths come
 * from paths_get; 0, or -1 with *cause (cause may be NULL).
 */
int	 trail_append(const char *, const char *, char **);
/* audit_set_sink's form of trail_append: failures go to syslog. */
void	 trail_sink(const char *, const char *);

/* The SHA-256 of len bytes as lower-case hex (TRAIL_HASH_HEX + NUL). */
int	 trail_hash(const char *, size_t, char *);

enum trail_problem {
	TRAIL_OK = 0,
	TRAIL_MALFORMED,	/* a line that is not a record */
	TRAIL_CHANGED,		/* a record whose hash the next one does not hold */
	TRAIL_INSERTED,		/* a record the chain skips */
	TRAIL_DELETED,		/* a gap in the sequence */
	TRAIL_HEAD,		/* the end does not match the head file */
	TRAIL_UNREADABLE
};

struct trail_report {
	enum trail_problem	 problem;
	long long		 records;	/* lines read */
	long long		 line;		/* the first that does not match */
	long long		 seq;		/* its sequence number, or 0 */
	char			 message[256];
};

/* The word for the JSON output: "ok", "changed", ... */
const char	*trail_problem_name(enum trail_problem);
/*
 * Check the chain of the log at log (a full path), and its end against
 * the head file at head (NULL: not checked). Returns 0 when it holds, 1
 * when it does not (rep says where), -1 when it cannot be read.
 */
int	 trail_verify(const char *, const char *, struct trail_report *);

#endif
