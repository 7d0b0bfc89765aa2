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
 * forward writes the rsyslog drop-in that sends the trail to [audit]
 * remote of console.conf (or removes it when remote is unset) and, where
 * systemd runs, restarts rsyslog; it is recorded like any change.
 *
 *   console-helper-audit verify
 *   console-helper-audit forward
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "auditlog.h"
#include "config.h"
#include "helper.h"
#include "paths.h"
#include "spawn.h"
#include "trail.h"
#include "xmalloc.h"

#define HA_SYSTEMCTL	"/usr/bin/systemctl"

static enum helper_status ha_verify(const struct verb *,
			    const char *const *, char **);

static enum helper_status ha_forward(const struct verb *,
			    const char *const *, char **);

static const helper_fn ha_fns[] = {
	[AUDITLOG_V_VERIFY] = ha_verify,
	[AUDITLOG_V_FORWARD] = ha_forward,
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

static enum helper_status
ha_forward(const struct verb *v, const char *const *args, char **cause)
{
	struct config		 cfg;
	struct spawn_result	 sr;
	struct stat		 st;
	char			 conf[PATH_MAX], drop[PATH_MAX], log[PATH_MAX];
	char			*text = NULL, *err = NULL;
	char			*argv[] = { "systemctl", "try-restart",
				    "rsyslog.service", NULL };
	enum helper_status	 rc = HELPER_FAILED;

	(void)v;
	(void)args;
	config_defaults(&cfg);
	if (paths_get(conf, sizeof conf, PATH_CONFIG) == -1 ||
	    paths_get(drop, sizeof drop, AUDITLOG_RSYSLOG_DROPIN) == -1 ||
	    paths_get(log, sizeof log, PATH_TRAIL_LOG) == -1) {
		xasprintf(cause, "path too long");
		goto out;
	}
	if (config_load(&cfg, conf) == -1) {
		xasprintf(cause, "%s", cfg.warning);
		goto out;
	}
	if (cfg.audit_remote == NULL) {
		if (unlink(drop) == -1 && errno != ENOENT) {
			xasprintf(cause, "cannot remove %s: %s", drop,
			    strerror(errno));
			goto out;
		}
		xasprintf(cause, "forwarding off");
	} else {
		if ((text = auditlog_rsyslog_conf(cfg.audit_remote, log)) ==
		    NULL) {
			xasprintf(cause, "[audit] remote is not HOST:PORT");
			rc = HELPER_INVALID;
			goto out;
		}
		if (atomic_mkdirs_for(drop, 0755, cause) == -1 ||
		    atomic_write_file(drop, text, strlen(text), 0644,
		    cause) == -1)
			goto out;
		xasprintf(cause, "forwarding to %s", cfg.audit_remote);
	}
	/* rsyslog reads its configuration when it starts. */
	if (paths_root()[0] == '\0' && stat("/run/systemd/system", &st) == 0 &&
	    spawn_simple(&(struct spawn_req){ .path = HA_SYSTEMCTL,
	    .argv = argv, .timeout_ms = 30000, .capture_max = 4096 }, &sr,
	    &err) == -1) {
		free(*cause);
		xasprintf(cause, "systemctl try-restart rsyslog: %s", err);
		free(err);
		spawn_result_free(&sr);
		goto out;
	}
	rc = HELPER_OK;
out:
	free(text);
	config_free(&cfg);
	return (rc);
}

int
main(int argc, char **argv)
{
	paths_init();
	helper_reads_only("verify");
	return (helper_main(argc, argv, &auditlog_verbs, ha_fns));
}
