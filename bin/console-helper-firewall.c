/* SPDX-License-Identifier: ISC */
/*
 * console-helper-firewall: the privileged side of the prompt's iptables,
 * save-iptables and the boot restore.
 *
 *   console-helper-firewall run "iptables -t TABLE COMMAND ..."
 *   console-helper-firewall save
 *   console-helper-firewall restore
 *
 * "run" takes the canonical line the console built as one argument, splits
 * it with the console's own tokenizer and parses it with the same grammar
 * (models/fwrule.c): the caller is not trusted. The argv it runs is
 * rebuilt from the parsed values, so nothing typed becomes an option, a
 * file or an extension; a jump to a chain of the admin's own needs the
 * chain to exist, else iptables would look for an extension of that name.
 * "save" writes iptables-save's output atomically to FW_RULES_PATH (root
 * only); "restore" feeds that file to iptables-restore on stdin at boot.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "audit.h"
#include "fwrule.h"
#include "helper.h"
#include "paths.h"
#include "spawn.h"
#include "text.h"
#include "words.h"
#include "xmalloc.h"

#define FW_RULES_PATH		"/etc/appliance-console/iptables.rules"
#define FW_RULES_MAX		(4 * 1024 * 1024)
#define FW_TIMEOUT_MS		30000
#define FW_WAIT_SECS		"10"	/* for the xtables lock */

static const char *const	 fw_iptables[] = {
	"/usr/sbin/iptables", "/sbin/iptables", NULL
};
static const char *const	 fw_save_paths[] = {
	"/usr/sbin/iptables-save", "/sbin/iptables-save", NULL
};
static const char *const	 fw_restore_paths[] = {
	"/usr/sbin/iptables-restore", "/sbin/iptables-restore", NULL
};

static enum helper_status	 hf_run(const struct verb *,
			    const char *const *, char **);
static enum helper_status	 hf_save(const struct verb *,
			    const char *const *, char **);
static enum helper_status	 hf_restore(const struct verb *,
			    const char *const *, char **);

static const helper_fn hf_fns[] = {
	[FW_V_RUN] = hf_run,
	[FW_V_SAVE] = hf_save,
	[FW_V_RESTORE] = hf_restore,
};
_Static_assert(sizeof hf_fns / sizeof hf_fns[0] == FW_V_COUNT,
    "a function per firewall verb");

/*
 * Run a program of a fixed list with argv (argv[0] its name) and optional
 * stdin. Its stdout goes to ours when show is set; a failure's first line
 * of stderr becomes *cause.
 */
static enum helper_status
hf_spawn(const char *const *paths, const char **argv, const char *input,
    int show, struct spawn_result *out, char **cause)
{
	struct spawn_result	 res;
	const char		*path;
	enum helper_status	 st = HELPER_OK;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if ((path = spawn_find(paths)) == NULL) {
		xasprintf(cause, "%s is not installed", argv[0]);
		return (HELPER_FAILED);
	}
	if (spawn_simple(&(struct spawn_req){ .path = path,
	    .argv = (char *const *)argv, .timeout_ms = FW_TIMEOUT_MS,
	    .stdin_data = input, .capture_max = FW_RULES_MAX }, &res,
	    cause) == -1)
		st = res.timed_out ? HELPER_TIMEOUT : HELPER_FAILED;
	else if (show && res.out_len > 0)
		fwrite(res.out, 1, res.out_len, stdout);
	if (out != NULL)
		*out = res;
	else
		spawn_result_free(&res);
	return (st);
}

/* iptables -w SECS followed by the rule's argv without its name. */
static enum helper_status
hf_iptables(const struct fw_rule *r, int show, char **cause)
{
	const char	*rule[FW_ARGV_MAX + 1], *argv[FW_ARGV_MAX + 4];
	int		 i, n, k = 0;

	n = fw_argv(r, rule, sizeof rule / sizeof rule[0]);
	argv[k++] = "iptables";
	argv[k++] = "-w";
	argv[k++] = FW_WAIT_SECS;
	for (i = 1; i < n; i++)
		argv[k++] = rule[i];
	argv[k] = NULL;
	return (hf_spawn(fw_iptables, argv, NULL, show, NULL, cause));
}

static enum helper_status
hf_run(const struct verb *v, const char *const *args, char **cause)
{
	struct words		 w;
	struct fw_rule		 r, probe;
	char			 line[FW_LINE_MAX + 1], *ignore = NULL;
	enum helper_status	 st;

	(void)v;
	(void)audit_open(NULL);
	if (fw_parse_line(args[0], &w, &r, cause) == -1) {
		words_free(&w);
		return (HELPER_INVALID);
	}
	if (r.target_is_chain) {
		/* iptables -t TABLE -S CHAIN: does the chain exist? */
		memset(&probe, 0, sizeof probe);
		probe.table = r.table;
		probe.command = FW_SPEC;
		probe.chain = r.target;
		if (hf_iptables(&probe, 0, &ignore) != HELPER_OK) {
			free(ignore);
			xasprintf(cause, "there is no chain %s in table %s: "
			    "create it first with 'iptables -t %s -N %s'",
			    r.target, r.table, r.table, r.target);
			words_free(&w);
			return (HELPER_INVALID);
		}
	}
	st = hf_iptables(&r, fw_is_read(&r), cause);
	if (!fw_is_read(&r) && fw_format(&r, line, sizeof line) == 0)
		audit_logf(st == HELPER_OK ? "ok" : "failed", "firewall: "
		    "%s%s%s", line, st == HELPER_OK ? "" : ": ",
		    st == HELPER_OK ? "" : *cause);
	words_free(&w);
	return (st);
}

/* The number of rules ("-A" lines) in iptables-save's output. */
static int
hf_count_rules(const char *text)
{
	const char	*p;
	int		 n = 0;

	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "-A ", 3) == 0)
			n++;
	}
	return (n);
}

static enum helper_status
hf_save(const struct verb *v, const char *const *args, char **cause)
{
	struct spawn_result	 res;
	const char		*argv[] = { "iptables-save", NULL };
	char			 path[PATH_MAX];
	enum helper_status	 st;

	(void)v;
	(void)args;
	(void)audit_open(NULL);
	if ((st = hf_spawn(fw_save_paths, argv, NULL, 0, &res, cause)) !=
	    HELPER_OK) {
		spawn_result_free(&res);
		return (st);
	}
	if (paths_get(path, sizeof path, FW_RULES_PATH) == -1 ||
	    atomic_mkdirs_for(path, 0755, cause) == -1 ||
	    atomic_write_file(path, res.out, res.out_len, 0600, cause) == -1) {
		if (*cause == NULL)
			xasprintf(cause, "the path is too long");
		audit_logf("failed", "firewall save: %s", *cause);
		spawn_result_free(&res);
		return (HELPER_FAILED);
	}
	printf("Saved %d rules to %s; they come back at boot.\n",
	    hf_count_rules(res.out), FW_RULES_PATH);
	audit_logf("ok", "firewall rules saved (%d rules)",
	    hf_count_rules(res.out));
	spawn_result_free(&res);
	return (HELPER_OK);
}

static enum helper_status
hf_restore(const struct verb *v, const char *const *args, char **cause)
{
	const char		*argv[] = { "iptables-restore", "-w",
				    FW_WAIT_SECS, NULL };
	char			 path[PATH_MAX], *text, *why = NULL;
	enum helper_status	 st;

	(void)v;
	(void)args;
	(void)audit_open(NULL);
	if (paths_get(path, sizeof path, FW_RULES_PATH) == -1)
		return (HELPER_INTERNAL);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		printf("No saved firewall rules; nothing restored.\n");
		return (HELPER_OK);
	}
	if ((text = text_read_file(path, FW_RULES_MAX, &why)) == NULL) {
		xasprintf(cause, "cannot read %s: %s", FW_RULES_PATH,
		    why != NULL ? why : "unknown error");
		free(why);
		return (HELPER_FAILED);
	}
	st = hf_spawn(fw_restore_paths, argv, text, 0, NULL, cause);
	if (st == HELPER_OK) {
		printf("Restored %d rules from %s.\n", hf_count_rules(text),
		    FW_RULES_PATH);
		audit_logf("ok", "firewall rules restored (%d rules)",
		    hf_count_rules(text));
	} else
		audit_logf("failed", "firewall restore: %s", *cause);
	free(text);
	return (st);
}

int
main(int argc, char **argv)
{
	paths_init();
	audit_init();
	return (helper_main(argc, argv, &fw_verbs, hf_fns));
}
