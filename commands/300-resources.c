/* SPDX-License-Identifier: ISC */
/*
 * Module 300, System Resource Check: the two faces of resources.c. The
 * CLI prints the report as text or JSON and exits 2 when any check
 * failed; the TUI shows the same text in a viewer. Neither holds logic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "resources.h"
#include "text.h"
#include "ui.h"
#include "xmalloc.h"

#define RES_TEXT_MAX	(64 * 1024)

static enum cmd_retval	 resources_tui(struct cmd_ctx *);
static enum cmd_retval	 resources_cli(struct cmd_ctx *, int, char **);
static char		*resources_text(const struct res_report *);
static char		*resources_json(const struct res_report *);

static void	 resources_header(const struct config *, char *, size_t);

const struct cmd_entry cmd_resources_entry = {
	.name = "resources",
	.number = 300,
	.title = "System resource check",
	.usage = "resources check [--json]",
	.flags = CMD_READONLY,
	.tui = resources_tui,
	.cli = resources_cli,
	.summary = resources_header
};

/* The main menu's header: the count of warnings and failures. */
static void
resources_header(const struct config *cfg, char *buf, size_t len)
{
	int	 nwarn, nfail;

	if (resources_summary(cfg, &nwarn, &nfail) == -1)
		xsnprintf(buf, len, "Resources: %s", "not available");
	else if (nwarn == 0 && nfail == 0)
		xsnprintf(buf, len, "Resources: %s", "all OK");
	else
		xsnprintf(buf, len, "Resources: %d warning%s, %d failure%s",
		    nwarn, nwarn == 1 ? "" : "s", nfail, nfail == 1 ? "" : "s");
}

/* The report as text, 80 columns at most; kernel strings sanitised. */
static char *
resources_text(const struct res_report *r)
{
	struct text_buf	 b;
	char		 a[32], c[32], *s, *t;
	int		 i;

	text_buf_init(&b, RES_TEXT_MAX);
	s = text_sanitize(r->platform, strlen(r->platform));
	text_buf_printf(&b, "Platform    %s\n", s[0] ? s : "bare metal or "
	    "unknown");
	free(s);
	s = text_sanitize(r->cpu_model, strlen(r->cpu_model));
	text_buf_printf(&b, "CPU         %d x %.60s\n", r->cpus,
	    s[0] ? s : "unknown model");
	free(s);
	res_size(a, sizeof a, r->mem_total);
	res_size(c, sizeof c, r->mem_avail);
	text_buf_printf(&b, "Memory      %s total, %s available\n", a, c);
	if (r->swap_total > 0) {
		res_size(a, sizeof a, r->swap_total);
		res_size(c, sizeof c, r->swap_free);
		text_buf_printf(&b, "Swap        %s total, %s free\n", a, c);
	} else
		text_buf_printf(&b, "Swap        none\n");
	if (r->cgroup_mem_limit > 0 || r->cgroup_cpus > 0) {
		res_size(a, sizeof a, r->cgroup_mem_limit > 0 ?
		    (uint64_t)r->cgroup_mem_limit : 0);
		text_buf_printf(&b, "Limits      memory %s, CPUs %.1f\n",
		    r->cgroup_mem_limit > 0 ? a : "none", r->cgroup_cpus);
	}
	text_buf_printf(&b, "Load        %.2f %.2f %.2f\n", r->load[0],
	    r->load[1], r->load[2]);
	text_buf_printf(&b, "Uptime      %llu d %llu h %llu min\n",
	    (unsigned long long)r->uptime_s / 86400,
	    (unsigned long long)r->uptime_s % 86400 / 3600,
	    (unsigned long long)r->uptime_s % 3600 / 60);

	text_buf_printf(&b, "\nDisks\n");
	if (r->ndisks == 0)
		text_buf_printf(&b, "  none\n");
	for (i = 0; i < r->ndisks; i++) {
		s = text_sanitize(r->disks[i].name, strlen(r->disks[i].name));
		res_size(a, sizeof a, r->disks[i].size);
		text_buf_printf(&b, "  %-12.12s %12s   %s%s\n", s, a,
		    r->disks[i].in_use ? "in use: " : "unused",
		    r->disks[i].use);
		free(s);
	}

	text_buf_printf(&b, "\nFilesystems\n");
	for (i = 0; i < r->nfss; i++) {
		s = text_sanitize(r->fss[i].mount, strlen(r->fss[i].mount));
		t = text_sanitize(r->fss[i].type, strlen(r->fss[i].type));
		res_size(a, sizeof a, r->fss[i].size);
		res_size(c, sizeof c, r->fss[i].avail);
		text_buf_printf(&b, "  %-24.24s %-8.8s %12s %12s free%s\n", s,
		    t, a, c, r->fss[i].readonly ? " (read-only)" : "");
		free(s);
		free(t);
	}

	text_buf_printf(&b, "\nChecks\n");
	for (i = 0; i < r->nchecks; i++) {
		s = text_sanitize(r->checks[i].what, strlen(r->checks[i].what));
		text_buf_printf(&b, "  %-4s  %-14.14s %-10.10s %.44s\n",
		    res_status_name(r->checks[i].status), s,
		    r->checks[i].value, r->checks[i].reason);
		free(s);
	}
	text_buf_printf(&b, "\n%d warning%s, %d failure%s\n", r->nwarn,
	    r->nwarn == 1 ? "" : "s", r->nfail, r->nfail == 1 ? "" : "s");
	return (text_buf_take(&b));
}

/* jansson escapes what JSON needs; strings from the kernel stay bounded. */
static char *
resources_json(const struct res_report *r)
{
	json_t	*o, *a;
	char	*s;
	int	 i;

	o = json_object();
	json_object_set_new(o, "platform", json_string(r->platform));
	json_object_set_new(o, "cpus", json_pack("{s:i,s:s}", "count",
	    r->cpus, "model", r->cpu_model));
	json_object_set_new(o, "memory", json_pack("{s:I,s:I}", "total_bytes",
	    (json_int_t)r->mem_total, "available_bytes",
	    (json_int_t)r->mem_avail));
	json_object_set_new(o, "swap", json_pack("{s:I,s:I}", "total_bytes",
	    (json_int_t)r->swap_total, "free_bytes",
	    (json_int_t)r->swap_free));
	json_object_set_new(o, "load", json_pack("[f,f,f]", r->load[0],
	    r->load[1], r->load[2]));
	json_object_set_new(o, "uptime_seconds",
	    json_integer((json_int_t)r->uptime_s));
	json_object_set_new(o, "cgroup", json_pack("{s:o,s:o}",
	    "memory_limit_bytes", r->cgroup_mem_limit > 0 ?
	    json_integer(r->cgroup_mem_limit) : json_null(),
	    "cpus", r->cgroup_cpus > 0 ? json_real(r->cgroup_cpus) :
	    json_null()));
	a = json_array();
	for (i = 0; i < r->ndisks; i++)
		json_array_append_new(a, json_pack("{s:s,s:I,s:b,s:s}",
		    "name", r->disks[i].name, "size_bytes",
		    (json_int_t)r->disks[i].size, "in_use",
		    r->disks[i].in_use, "use", r->disks[i].use));
	json_object_set_new(o, "disks", a);
	a = json_array();
	for (i = 0; i < r->nfss; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:I,s:I,s:b}",
		    "mount", r->fss[i].mount, "source", r->fss[i].source,
		    "type", r->fss[i].type, "size_bytes",
		    (json_int_t)r->fss[i].size, "avail_bytes",
		    (json_int_t)r->fss[i].avail, "readonly",
		    r->fss[i].readonly));
	json_object_set_new(o, "filesystems", a);
	a = json_array();
	for (i = 0; i < r->nchecks; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}",
		    "what", r->checks[i].what, "status",
		    res_status_name(r->checks[i].status), "value",
		    r->checks[i].value, "reason", r->checks[i].reason));
	json_object_set_new(o, "checks", a);
	json_object_set_new(o, "summary", json_pack("{s:i,s:i}", "warnings",
	    r->nwarn, "failures", r->nfail));
	/* Invalid UTF-8 from the kernel makes jansson refuse a string. */
	if ((s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(4))) == NULL)
		s = xstrdup("{\"error\": \"the report could not be encoded\"}");
	json_decref(o);
	return (s);
}

static enum cmd_retval
resources_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct res_report	 r;
	char			*cause = NULL, *out;
	int			 json = 0;
	enum cmd_retval		 ret;

	/* "resources" alone is "resources check": there is nothing else. */
	if (argc > 3 || (argc >= 2 && strcmp(argv[1], "check") != 0) ||
	    (argc == 3 && strcmp(argv[2], "--json") != 0)) {
		fprintf(ctx->err, "usage: %s\n", cmd_resources_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	json = argc == 3;
	if (res_collect(&r, &cause) == -1) {
		fprintf(ctx->err, "resources: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	res_evaluate(&r, &ctx->config->resources);
	out = json ? resources_json(&r) : resources_text(&r);
	fprintf(ctx->out, "%s%s", out, json ? "\n" : "");
	free(out);
	ret = r.nfail > 0 ? CMD_RETURN_FAILED : CMD_RETURN_OK;
	res_report_free(&r);
	return (ret);
}

static enum cmd_retval
resources_tui(struct cmd_ctx *ctx)
{
	struct res_report	 r;
	char			*cause = NULL, *text;
	int			 u;

	ui_progress("Checking resources...");
	if (res_collect(&r, &cause) == -1) {
		u = ui_message("300 System Resource Check", cause);
		free(cause);
		return (ui_session_over(u) ? CMD_RETURN_EXIT :
		    CMD_RETURN_ERROR);
	}
	res_evaluate(&r, &ctx->config->resources);
	text = resources_text(&r);
	res_report_free(&r);
	u = ui_view("300 System Resource Check", text);
	free(text);
	return (ui_session_over(u) ? CMD_RETURN_EXIT : CMD_RETURN_OK);
}
