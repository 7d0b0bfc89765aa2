/* SPDX-License-Identifier: ISC */
/*
 * console-helper-audit: the privileged side of `audit verify`. The trail
 * (trail.log) is readable by the audit group, but the head that proves
 * its end (trail.head) is root's alone: this helper checks the whole
 * chain against it and prints the outcome on stdout as one line,
 *
 *   PROBLEM LINE SEQ RECORDS MESSAGE
 *
 * (PROBLEM "ok", "changed", "inserted", "deleted", "malformed", "head").
 * It only reads, so the frame records nothing for it.
 *
 *   console-helper-audit verify
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "auditlog.h"
#include "helper.h"
#include "paths.h"
#include "trail.h"
#include "xmalloc.h"

static enum helper_status ha_verify(const struct verb *,
			    const char *const *, char **);

static const helper_fn ha_fns[] = {
	[AUDITLOG_V_VERIFY] = ha_verify,
};
_Static_assert(sizeof ha_fns / sizeof ha_fns[0] == AUDITLOG_V_COUNT,
    "a function per audit verb");

static enum helper_status
ha_verify(const struct verb *v, const char *const *args, char **cause)
{
	struct trail_report	 rep;
	char			 log[PATH_MAX], head[PATH_MAX];

	(void)v;
	(void)args;
	if (paths_get(log, sizeof log, PATH_TRAIL_LOG) == -1 ||
	    paths_get(head, sizeof head, PATH_TRAIL_HEAD) == -1) {
		xasprintf(cause, "path too long");
		return (HELPER_INTERNAL);
	}
	if (trail_verify(log, head, &rep) == -1) {
		xasprintf(cause, "%s", rep.message);
		return (HELPER_FAILED);
	}
	printf("%s %lld %lld %lld %s\n", trail_problem_name(rep.problem),
	    rep.line, rep.seq, rep.records, rep.message);
	return (HELPER_OK);
}

int
main(int argc, char **argv)
{
	paths_init();
	helper_reads_only();
	return (helper_main(argc, argv, &auditlog_verbs, ha_fns));
}
