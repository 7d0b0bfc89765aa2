/* SPDX-License-Identifier: ISC */
/*
 * The audit trail as the console shows it: the records of trail.log
 * (readable by the audit group) parsed into their fields, filtered by
 * time and word, newest first, as text or JSON; and the verb table of
 * console-helper-audit, whose verify reads the root-only head.
 */
#ifndef AUDITLOG_H
#define AUDITLOG_H

#include <stddef.h>
#include <time.h>

#include "verb.h"

#define AUDITLOG_RSYSLOG_DROPIN	"/etc/rsyslog.d/60-appliance-console-trail.conf"

enum auditlog_verb {
	AUDITLOG_V_VERIFY,
	AUDITLOG_V_FORWARD,
	AUDITLOG_V_COUNT
};
extern const struct verb_domain	 auditlog_verbs;

#define AUDITLOG_NFIELDS	13

struct auditlog_rec {
	char	*field[AUDITLOG_NFIELDS];	/* unescaped; "" when absent */
	time_t	 when;
};

/* The names of the fields, in a record's order: "seq", "time", ... */
extern const char *const auditlog_names[AUDITLOG_NFIELDS];

struct auditlog {
	struct auditlog_rec	*recs;	/* newest first */
	size_t			 n;
	size_t			 skipped;	/* lines that are not records */
};

/*
 * Read the log at path (a full path): records at or after since (0: all)
 * that hold word (NULL: all; any field, case-insensitive), at most max
 * of the newest. 0, or -1 with *cause. A missing log is no records.
 */
int	 auditlog_load(const char *, time_t, const char *, size_t,
	    struct auditlog *, char **);
void	 auditlog_free(struct auditlog *);
/* One line a record: time, user, from, helper verb args, result, msg. */
char	*auditlog_text(const struct auditlog *);
/* A JSON array of objects, one key per field. */
char	*auditlog_json(const struct auditlog *);
/*
 * The rsyslog drop-in that forwards the trail at trail (a full path) to
 * remote (HOST:PORT or [IPv6]:PORT, validated by config.c) over TCP:
 * imfile follows the file, omfwd sends each record with a queue that
 * keeps them while the server is away. NULL when remote does not parse.
 */
char	*auditlog_rsyslog_conf(const char *, const char *);
/*
 * The unescaped value of field key in a record line into a new string,
 * or NULL when the line has no such field.
 */
char	*auditlog_field(const char *, const char *);

#endif
