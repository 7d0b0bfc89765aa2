/* SPDX-License-Identifier: ISC */
/*
 * Module 300: the judgement against crafted reports at every boundary,
 * and the collector and both faces against this real machine.
 */
#include <sys/statvfs.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "resources.h"

#define GiB	(1024ULL * 1024 * 1024)

extern const struct cmd_entry	 cmd_resources_entry;

static const struct config_resources mins = { 4, 16384, 80, 10, 2 };

static const struct res_check *
find_check(const struct res_report *r, const char *what)
{
	int	 i;

	for (i = 0; i < r->nchecks; i++) {
		if (strcmp(r->checks[i].what, what) == 0)
			return (&r->checks[i]);
	}
	fail_msg("no check '%s'", what);
	return (NULL);
}

/* A machine that meets every minimum; each case then breaks one thing. */
static void
base(struct res_report *r, struct res_disk *d, struct res_fs *f)
{
	memset(r, 0, sizeof *r);
	r->cpus = 4;
	r->mem_total = 16 * GiB;
	r->cgroup_mem_limit = -1;
	memset(d, 0, sizeof *d);
	memcpy(d->name, "vdb", 4);
	d->size = 80 * GiB;
	r->disks = d;
	r->ndisks = 1;
	memset(f, 0, sizeof *f);
	memcpy(f->mount, "/", 2);
	f->size = 100 * GiB;
	f->avail = 50 * GiB;
	r->fss = f;
	r->nfss = 1;
}

static void
evaluate(struct res_report *r, const struct config_resources *m)
{
	res_evaluate(r, m);
}

static void
done(struct res_report *r)
{
	free(r->checks);
	r->checks = NULL;
}

static void
test_all_ok_at_the_minimums(void **state)
{
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;

	(void)state;
	base(&r, &d, &f);
	evaluate(&r, &mins);
	assert_int_equal(r.nfail, 0);
	assert_int_equal(r.nwarn, 0);
	assert_int_equal(find_check(&r, "CPUs")->status, RES_OK);
	assert_int_equal(find_check(&r, "Memory")->status, RES_OK);
	assert_int_equal(find_check(&r, "Cache disk")->status, RES_OK);
	assert_string_equal(find_check(&r, "Cache disk")->value, "vdb");
	assert_int_equal(find_check(&r, "/")->status, RES_OK);
	done(&r);
}

static void
test_below_each_minimum(void **state)
{
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;

	(void)state;
	base(&r, &d, &f);
	r.cpus = 3;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "CPUs")->status, RES_FAIL);
	assert_non_null(strstr(find_check(&r, "CPUs")->reason,
	    "below the minimum of 4"));
	assert_int_equal(r.nfail, 1);
	done(&r);

	base(&r, &d, &f);
	r.mem_total = 16 * GiB - 1;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Memory")->status, RES_FAIL);
	done(&r);

	/* A container limit is the memory the appliance really has. */
	base(&r, &d, &f);
	r.cgroup_mem_limit = 8 * GiB;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Memory")->status, RES_FAIL);
	assert_non_null(strstr(find_check(&r, "Memory")->reason,
	    "container limit"));
	done(&r);

	base(&r, &d, &f);
	r.cgroup_cpus = 1.5;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "CPUs")->status, RES_FAIL);
	assert_string_equal(find_check(&r, "CPUs")->value, "1.5");
	done(&r);
}

static void
test_cache_disk(void **state)
{
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;

	(void)state;
	base(&r, &d, &f);
	d.size = 80 * GiB - 512;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Cache disk")->status, RES_FAIL);
	assert_non_null(strstr(find_check(&r, "Cache disk")->reason,
	    "largest unused"));
	done(&r);

	base(&r, &d, &f);
	d.in_use = 1;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Cache disk")->status, RES_FAIL);
	assert_non_null(strstr(find_check(&r, "Cache disk")->reason,
	    "no unused disk of 80 GiB"));
	done(&r);

	base(&r, &d, &f);
	r.ndisks = 0;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Cache disk")->status, RES_FAIL);
	done(&r);
}

static void
test_zero_disables(void **state)
{
	struct config_resources	 off = { 0, 0, 0, 0, 0 };
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;

	(void)state;
	base(&r, &d, &f);
	r.cpus = 1;
	r.mem_total = GiB;
	r.ndisks = 0;
	f.avail = 0;
	evaluate(&r, &off);
	assert_int_equal(r.nfail, 0);
	assert_int_equal(r.nwarn, 0);
	assert_int_equal(find_check(&r, "CPUs")->status, RES_INFO);
	assert_int_equal(find_check(&r, "Memory")->status, RES_INFO);
	assert_int_equal(find_check(&r, "Cache disk")->status, RES_INFO);
	done(&r);
}

static void
test_filesystem_thresholds(void **state)
{
	static const struct {
		uint64_t	 avail;		/* of 100 GiB */
		enum res_status	 want;
	} cases[] = {
		{ 50 * GiB, RES_OK },
		{ 10 * GiB, RES_OK },		/* exactly 10%: not below */
		{ 10 * GiB - 1, RES_WARN },
		{ 2 * GiB, RES_WARN },		/* exactly 2% */
		{ 2 * GiB - 1, RES_FAIL },
		{ 0, RES_FAIL },
	};
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		base(&r, &d, &f);
		f.avail = cases[i].avail;
		evaluate(&r, &mins);
		if (find_check(&r, "/")->status != cases[i].want)
			fail_msg("case %zu: got %s", i,
			    res_status_name(find_check(&r, "/")->status));
		done(&r);
	}
	/* Read-only filesystems are listed, not judged. */
	base(&r, &d, &f);
	f.avail = 0;
	f.readonly = 1;
	evaluate(&r, &mins);
	assert_int_equal(r.nfail, 0);
	done(&r);
}

static void
test_load(void **state)
{
	struct res_report	 r;
	struct res_disk		 d;
	struct res_fs		 f;

	(void)state;
	base(&r, &d, &f);
	r.load[1] = 8.0;		/* 2.0 per CPU: not above */
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Load (5 min)")->status, RES_OK);
	done(&r);
	base(&r, &d, &f);
	r.load[1] = 8.1;
	evaluate(&r, &mins);
	assert_int_equal(find_check(&r, "Load (5 min)")->status, RES_WARN);
	assert_int_equal(r.nwarn, 1);
	done(&r);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(res_status_name(RES_OK), "OK");
	assert_string_equal(res_status_name(RES_WARN), "WARN");
	assert_string_equal(res_status_name(RES_FAIL), "FAIL");
	assert_string_equal(res_status_name(RES_INFO), "INFO");
}

static unsigned long long
meminfo_total(void)
{
	unsigned long long	 kb = 0;
	char			 line[256];
	FILE			*f = fopen("/proc/meminfo", "r");

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return (kb * 1024);
}

static void
test_collect_real_machine(void **state)
{
	struct res_report	 r;
	struct statvfs		 sv;
	char			*cause = NULL;
	int			 i, root = 0;

	(void)state;
	assert_int_equal(res_collect(&r, &cause), 0);
	assert_int_equal(r.cpus, (int)sysconf(_SC_NPROCESSORS_ONLN));
	assert_int_equal(r.mem_total, meminfo_total());
	assert_true(r.mem_avail <= r.mem_total);
	assert_true(r.uptime_s > 0);
	assert_int_equal(statvfs("/", &sv), 0);
	for (i = 0; i < r.nfss; i++) {
		if (strcmp(r.fss[i].mount, "/") == 0) {
			root = 1;
			assert_int_equal(r.fss[i].size,
			    (uint64_t)sv.f_blocks * sv.f_frsize);
		}
	}
	assert_true(root);
	/* Every /sys/block disk but loop/ram/zram is listed, and the one
	   holding a mounted filesystem is in use. */
	for (i = 0; i < r.ndisks; i++) {
		assert_true(strncmp(r.disks[i].name, "loop", 4) != 0);
		assert_true(r.disks[i].in_use == (r.disks[i].use[0] != '\0'));
	}
	{
		int	 mounted = 0;

		for (i = 0; i < r.ndisks; i++)
			mounted |= strcmp(r.disks[i].use, "mounted") == 0;
		if (r.ndisks > 0 && access("/sys/block/vda", F_OK) == 0)
			assert_true(mounted);
		else
			print_message("# no vda: mounted-disk check skipped\n");
	}
	res_evaluate(&r, &mins);
	assert_true(r.nchecks >= 5);
	res_report_free(&r);
}

static char *
run(int argc, char **argv, int *rc)
{
	struct config	 cfg;
	struct cmd_ctx	 ctx;
	char		*out = NULL, *err = NULL;
	size_t		 outlen = 0, errlen = 0;

	memset(&ctx, 0, sizeof ctx);
	config_defaults(&cfg);
	ctx.config = &cfg;
	ctx.out = open_memstream(&out, &outlen);
	ctx.err = open_memstream(&err, &errlen);
	*rc = cmd_run_cli(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	config_free(&cfg);
	if (*rc == CMD_RETURN_ERROR) {
		free(out);
		return (err);
	}
	free(err);
	return (out);
}

static void
test_cli_json_and_text(void **state)
{
	char		*argv[] = { "resources", "check", "--json", NULL };
	char		*bad[] = { "resources", "check", "--bogus", NULL };
	char		*out;
	json_t		*j;
	json_error_t	 e;
	int		 rc, nfail;
	static const char *keys[] = { "platform", "cpus", "memory", "swap",
	    "load", "uptime_seconds", "cgroup", "disks", "filesystems",
	    "checks", "summary", NULL };
	const char	**k;

	(void)state;
	out = run(3, argv, &rc);
	j = json_loads(out, 0, &e);
	assert_non_null(j);
	for (k = keys; *k != NULL; k++)
		assert_non_null(json_object_get(j, *k));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "cpus"), "count")), sysconf(_SC_NPROCESSORS_ONLN));
	nfail = (int)json_integer_value(json_object_get(json_object_get(j,
	    "summary"), "failures"));
	/* exit status follows the failures */
	assert_int_equal(rc, nfail > 0 ? CMD_RETURN_FAILED : CMD_RETURN_OK);
	json_decref(j);
	free(out);

	out = run(2, argv, &rc);
	assert_non_null(strstr(out, "Checks\n"));
	assert_non_null(strstr(out, "CPUs"));
	assert_non_null(strstr(out, "Filesystems\n"));
	assert_true(strstr(out, "  OK    ") != NULL ||
	    strstr(out, "  FAIL  ") != NULL);
	free(out);

	out = run(3, bad, &rc);
	assert_int_equal(rc, CMD_RETURN_ERROR);
	assert_non_null(strstr(out, "usage: resources check [--json]"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_ok_at_the_minimums),
		cmocka_unit_test(test_below_each_minimum),
		cmocka_unit_test(test_cache_disk),
		cmocka_unit_test(test_zero_disables),
		cmocka_unit_test(test_filesystem_thresholds),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_collect_real_machine),
		cmocka_unit_test(test_cli_json_and_text),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
