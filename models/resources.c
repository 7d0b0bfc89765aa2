/* SPDX-License-Identifier: ISC */
/*
 * Module 300's model: the machine read in-process from /proc and /sys
 * (never by running a program: this is on the menu's start-up path), and
 * each figure judged against console.conf's minimums. Every read is
 * bounded; text from the kernel is sanitised by the faces.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "resources.h"
#include "text.h"
#include "xmalloc.h"

#define RES_READ_MAX		(64 * 1024)	/* /proc and /sys files */
#define RES_CPUINFO_MAX		(16 * 1024)	/* the first CPU is enough */
#define RES_DISKS_MAX		64
#define RES_FSS_MAX		64
#define RES_LOAD_WARN_PER_CPU	2.0
#define GIB			(1024.0 * 1024 * 1024)
#define MIB			(1024.0 * 1024)

/* Filesystems that hold no data of ours: not listed, not judged. */
static const char *const res_pseudo_fs[] = {
	"proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2",
	"securityfs", "pstore", "bpf", "debugfs", "tracefs", "mqueue",
	"hugetlbfs", "configfs", "fusectl", "binfmt_misc", "autofs",
	"rpc_pipefs", "nsfs", "efivarfs", "ramfs", "selinuxfs", "nfsd",
	"fuse.lxcfs", "squashfs", "iso9660", "overlay", NULL
};

static char	*res_read(const char *, size_t);
static int	 res_meminfo(struct res_report *);
static void	 res_cpu(struct res_report *);
static void	 res_platform(struct res_report *);
static void	 res_cgroup(struct res_report *);
static void	 res_mounts(struct res_report *, int *, unsigned *, int);
static void	 res_disks(struct res_report *, unsigned *, int, char *);
static void	 res_unescape(char *);
static void	 res_check(struct res_report *, const char *, enum res_status,
		     const char *, const char *, ...)
		     __attribute__((format(printf, 5, 6)));

static char *
res_read(const char *path, size_t max)
{
	return (text_read_file(path, max, NULL));
}

/* One line of a sysfs attribute, trailing newline removed. */
static int
res_read_line(const char *path, char *buf, size_t len)
{
	char	*s;

	if ((s = res_read(path, 4096)) == NULL)
		return (-1);
	s[strcspn(s, "\n")] = '\0';
	if (xsnprintf(buf, len, "%s", s) == -1)
		buf[0] = '\0';
	free(s);
	return (buf[0] == '\0' ? -1 : 0);
}

static int
res_meminfo(struct res_report *r)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} keys[] = {
		{ "MemTotal:", offsetof(struct res_report, mem_total) },
		{ "MemAvailable:", offsetof(struct res_report, mem_avail) },
		{ "SwapTotal:", offsetof(struct res_report, swap_total) },
		{ "SwapFree:", offsetof(struct res_report, swap_free) },
	};
	char			*s, *line, *save = NULL;
	unsigned long long	 kb;
	size_t			 i;

	if ((s = res_read("/proc/meminfo", RES_READ_MAX)) == NULL)
		return (-1);
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			if (strncmp(line, keys[i].key, strlen(keys[i].key)))
				continue;
			if (sscanf(line + strlen(keys[i].key), "%llu", &kb) == 1)
				*(uint64_t *)((char *)r + keys[i].off) =
				    (uint64_t)kb * 1024;
		}
	}
	free(s);
	return (r->mem_total > 0 ? 0 : -1);
}

static void
res_cpu(struct res_report *r)
{
	char	*s, *p, *e;
	long	 n;

	n = sysconf(_SC_NPROCESSORS_ONLN);
	r->cpus = n > 0 ? (int)n : 1;
	if ((s = res_read("/proc/cpuinfo", RES_CPUINFO_MAX)) == NULL)
		return;
	if ((p = strstr(s, "model name")) != NULL &&
	    (p = strchr(p, ':')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strcspn(p, "\n");
		if (xsnprintf(r->cpu_model, sizeof r->cpu_model, "%.*s",
		    (int)(e - p), p) == -1)
			memcpy(r->cpu_model, p, sizeof r->cpu_model - 1);
	}
	/* A guest with no DMI still says so in its CPU flags. */
	if (r->platform[0] == '\0' && strstr(s, " hypervisor") != NULL)
		xsnprintf(r->platform, sizeof r->platform, "%s",
		    "virtual machine");
	free(s);
}

static void
res_platform(struct res_report *r)
{
	char	 vendor[48], product[48], hv[32];
	int	 v, p;

	v = res_read_line("/sys/class/dmi/id/sys_vendor", vendor,
	    sizeof vendor) == 0;
	p = res_read_line("/sys/class/dmi/id/product_name", product,
	    sizeof product) == 0;
	if (res_read_line("/sys/hypervisor/type", hv, sizeof hv) == -1)
		hv[0] = '\0';
	if (v && p)
		xsnprintf(r->platform, sizeof r->platform, "%s %s%s%s%s",
		    vendor, product, hv[0] ? " (" : "", hv, hv[0] ? ")" : "");
	else if (p)
		xsnprintf(r->platform, sizeof r->platform, "%s", product);
	else if (hv[0] != '\0')
		xsnprintf(r->platform, sizeof r->platform, "%s hypervisor",
		    hv);
	if (access("/.dockerenv", F_OK) == 0 ||
	    access("/run/.containerenv", F_OK) == 0) {
		size_t	 l = strlen(r->platform);

		xsnprintf(r->platform + l, sizeof r->platform - l, "%s%s",
		    l ? ", " : "", "container");
	}
}

static void
res_cgroup(struct res_report *r)
{
	char			*s, *path, file[PATH_MAX], line[64];
	long long		 quota, period;

	r->cgroup_mem_limit = -1;
	r->cgroup_cpus = 0;
	/* cgroup v2: "0::/path" names our own group. */
	if ((s = res_read("/proc/self/cgroup", 4096)) == NULL)
		return;
	if ((path = strstr(s, "0::")) == NULL) {
		free(s);
		return;
	}
	path += 3;
	path[strcspn(path, "\n")] = '\0';
	if (strcmp(path, "/") == 0)
		path = "";
	if (xsnprintf(file, sizeof file, "/sys/fs/cgroup%s/memory.max",
	    path) != -1 && res_read_line(file, line, sizeof line) == 0 &&
	    strcmp(line, "max") != 0)
		r->cgroup_mem_limit = strtoll(line, NULL, 10);
	if (xsnprintf(file, sizeof file, "/sys/fs/cgroup%s/cpu.max",
	    path) != -1 && res_read_line(file, line, sizeof line) == 0 &&
	    sscanf(line, "%lld %lld", &quota, &period) == 2 && period > 0)
		r->cgroup_cpus = (double)quota / (double)period;
	free(s);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
res_unescape(char *s)
{
	char	*o = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

static int
res_pseudo(const char *type)
{
	int	 i;

	for (i = 0; res_pseudo_fs[i] != NULL; i++) {
		if (strcmp(type, res_pseudo_fs[i]) == 0)
			return (1);
	}
	return (0);
}

/*
 * Filesystems from mountinfo, and the device numbers that are mounted
 * (for "in use" of disks). The root's filesystem is kept even when it is
 * an overlay: in a container that is where the data lives.
 */
static void
res_mounts(struct res_report *r, int *ndevs, unsigned *devs, int maxdevs)
{
	char		*s, *line, *save = NULL, *f[12], *sep, *p;
	struct statvfs	 sv;
	struct res_fs	*fs;
	unsigned	 maj, min;
	int		 n, i;

	if ((s = res_read("/proc/self/mountinfo", RES_READ_MAX * 4)) == NULL)
		return;
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		/* id parent maj:min root mount opts [optional...] - type src super */
		if ((sep = strstr(line, " - ")) == NULL)
			continue;
		*sep = '\0';
		for (n = 0, p = line; n < 6 && p != NULL; n++) {
			f[n] = p;
			if ((p = strchr(p, ' ')) != NULL)
				*p++ = '\0';
		}
		if (n < 6)
			continue;
		p = sep + 3;
		f[6] = p;				/* type */
		if ((p = strchr(p, ' ')) == NULL)
			continue;
		*p++ = '\0';
		f[7] = p;				/* source */
		if ((p = strchr(p, ' ')) != NULL)
			*p = '\0';
		if (sscanf(f[2], "%u:%u", &maj, &min) == 2 && maj != 0 &&
		    *ndevs < maxdevs)
			devs[(*ndevs)++] = makedev(maj, min);
		res_unescape(f[4]);
		if (res_pseudo(f[6]) && !(strcmp(f[4], "/") == 0 &&
		    strcmp(f[6], "overlay") == 0))
			continue;
		/* An over-mount replaces what it covers. */
		for (i = 0; i < r->nfss; i++) {
			if (strcmp(r->fss[i].mount, f[4]) == 0)
				break;
		}
		if (i == r->nfss) {
			if (r->nfss >= RES_FSS_MAX)
				continue;
			r->fss = xreallocarray(r->fss, r->nfss + 1,
			    sizeof *r->fss);
			r->nfss++;
		}
		fs = &r->fss[i];
		memset(fs, 0, sizeof *fs);
		xsnprintf(fs->mount, sizeof fs->mount, "%.*s",
		    (int)sizeof fs->mount - 1, f[4]);
		xsnprintf(fs->type, sizeof fs->type, "%.*s",
		    (int)sizeof fs->type - 1, f[6]);
		res_unescape(f[7]);
		xsnprintf(fs->source, sizeof fs->source, "%.*s",
		    (int)sizeof fs->source - 1, f[7]);
		fs->readonly = strncmp(f[5], "ro", 2) == 0 &&
		    (f[5][2] == '\0' || f[5][2] == ',');
		if (statvfs(f[4], &sv) == 0) {
			fs->size = (uint64_t)sv.f_blocks * sv.f_frsize;
			fs->avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		}
	}
	free(s);
}

static int
res_dev_in(unsigned dev, const unsigned *devs, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (devs[i] == dev)
			return (1);
	}
	return (0);
}

/* "8:16" from a sysfs dev file. */
static int
res_sysfs_dev(const char *dir, const char *name, unsigned *dev)
{
	char		 path[PATH_MAX], line[32];
	unsigned	 maj, min;

	if (xsnprintf(path, sizeof path, "%s/%s/dev", dir, name) == -1 ||
	    res_read_line(path, line, sizeof line) == -1 ||
	    sscanf(line, "%u:%u", &maj, &min) != 2)
		return (-1);
	*dev = makedev(maj, min);
	return (0);
}

static int
res_dir_empty(const char *path)
{
	struct dirent	*de;
	DIR		*d;
	int		 empty = 1;

	if ((d = opendir(path)) == NULL)
		return (1);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return (empty);
}

static void
res_disks(struct res_report *r, unsigned *devs, int ndevs, char *swaps)
{
	char		 path[PATH_MAX], line[32], dir[PATH_MAX];
	struct dirent	*de, *pe;
	struct res_disk	*d;
	DIR		*bd, *pd;
	unsigned	 dev;
	int		 parts, mounted, held;

	if ((bd = opendir("/sys/block")) == NULL)
		return;
	while ((de = readdir(bd)) != NULL && r->ndisks < RES_DISKS_MAX) {
		if (de->d_name[0] == '.' ||
		    strncmp(de->d_name, "loop", 4) == 0 ||
		    strncmp(de->d_name, "ram", 3) == 0 ||
		    strncmp(de->d_name, "zram", 4) == 0)
			continue;
		r->disks = xreallocarray(r->disks, r->ndisks + 1,
		    sizeof *r->disks);
		d = &r->disks[r->ndisks++];
		memset(d, 0, sizeof *d);
		xsnprintf(d->name, sizeof d->name, "%.*s",
		    (int)sizeof d->name - 1, de->d_name);
		if (xsnprintf(path, sizeof path, "/sys/block/%s/size",
		    de->d_name) != -1 && res_read_line(path, line,
		    sizeof line) == 0)
			d->size = strtoull(line, NULL, 10) * 512;

		/* Partitions are subdirectories with a "partition" file. */
		parts = mounted = held = 0;
		xsnprintf(dir, sizeof dir, "/sys/block/%s", de->d_name);
		if (res_sysfs_dev("/sys/block", de->d_name, &dev) == 0 &&
		    res_dev_in(dev, devs, ndevs))
			mounted = 1;
		if ((pd = opendir(dir)) != NULL) {
			while ((pe = readdir(pd)) != NULL) {
				if (strncmp(pe->d_name, de->d_name,
				    strlen(de->d_name)) != 0)
					continue;
				parts++;
				if (res_sysfs_dev(dir, pe->d_name, &dev) == 0 &&
				    res_dev_in(dev, devs, ndevs))
					mounted = 1;
			}
			closedir(pd);
		}
		xsnprintf(path, sizeof path, "/sys/block/%s/holders",
		    de->d_name);
		held = !res_dir_empty(path);
		xsnprintf(path, sizeof path, "/dev/%s", de->d_name);
		if (mounted)
			xsnprintf(d->use, sizeof d->use, "%s", "mounted");
		else if (swaps != NULL && strstr(swaps, path) != NULL)
			xsnprintf(d->use, sizeof d->use, "%s", "swap");
		else if (held)
			xsnprintf(d->use, sizeof d->use, "%s",
			    "held by another device");
		else if (parts > 0)
			xsnprintf(d->use, sizeof d->use, "%d partition%s",
			    parts, parts == 1 ? "" : "s");
		else if (strncmp(de->d_name, "dm-", 3) == 0 ||
		    strncmp(de->d_name, "md", 2) == 0)
			xsnprintf(d->use, sizeof d->use, "%s",
			    "virtual device");
		else {
			xsnprintf(path, sizeof path, "/sys/block/%s/ro",
			    de->d_name);
			if (res_read_line(path, line, sizeof line) == 0 &&
			    strcmp(line, "1") == 0)
				xsnprintf(d->use, sizeof d->use, "%s",
				    "read-only");
		}
		d->in_use = d->use[0] != '\0';
	}
	closedir(bd);
}

int
res_collect(struct res_report *r, char **cause)
{
	unsigned	 devs[256];
	char		*s, *swaps;
	int		 ndevs = 0;

	memset(r, 0, sizeof *r);
	if (res_meminfo(r) == -1) {
		xasprintf(cause, "cannot read /proc/meminfo");
		return (-1);
	}
	res_platform(r);
	res_cpu(r);
	res_cgroup(r);
	if ((s = res_read("/proc/loadavg", 256)) != NULL) {
		if (sscanf(s, "%lf %lf %lf", &r->load[0], &r->load[1],
		    &r->load[2]) != 3)
			r->load[0] = r->load[1] = r->load[2] = 0;
		free(s);
	}
	if ((s = res_read("/proc/uptime", 256)) != NULL) {
		r->uptime_s = strtoull(s, NULL, 10);
		free(s);
	}
	res_mounts(r, &ndevs, devs, (int)(sizeof devs / sizeof devs[0]));
	swaps = res_read("/proc/swaps", RES_READ_MAX);
	res_disks(r, devs, ndevs, swaps);
	free(swaps);
	return (0);
}

/* Binary units with one decimal: "15.6 GiB", "512.0 MiB". */
void
res_size(char *buf, size_t len, uint64_t bytes)
{
	if ((double)bytes >= GIB)
		xsnprintf(buf, len, "%.1f GiB", (double)bytes / GIB);
	else
		xsnprintf(buf, len, "%.1f MiB", (double)bytes / MIB);
}

static void
res_check(struct res_report *r, const char *what, enum res_status st,
    const char *value, const char *fmt, ...)
{
	struct res_check	*c;
	va_list			 ap;

	r->checks = xreallocarray(r->checks, r->nchecks + 1,
	    sizeof *r->checks);
	c = &r->checks[r->nchecks++];
	memset(c, 0, sizeof *c);
	xsnprintf(c->what, sizeof c->what, "%.*s", (int)sizeof c->what - 1,
	    what);
	xsnprintf(c->value, sizeof c->value, "%.*s",
	    (int)sizeof c->value - 1, value);
	c->status = st;
	va_start(ap, fmt);
	if (vsnprintf(c->reason, sizeof c->reason, fmt, ap) < 0)
		c->reason[0] = '\0';
	va_end(ap);
	if (st == RES_WARN)
		r->nwarn++;
	else if (st == RES_FAIL)
		r->nfail++;
}

void
res_evaluate(struct res_report *r, const struct config_resources *min)
{
	const struct res_disk	*best = NULL;
	char			 v[64], m[64];
	uint64_t		 mem, want;
	double			 cpus, pct;
	int			 i;

	free(r->checks);
	r->checks = NULL;
	r->nchecks = r->nwarn = r->nfail = 0;

	/* A container's limits are the machine it really has. */
	cpus = r->cpus;
	if (r->cgroup_cpus > 0 && r->cgroup_cpus < cpus)
		cpus = r->cgroup_cpus;
	xsnprintf(v, sizeof v, cpus == (int)cpus ? "%.0f" : "%.1f", cpus);
	if (min->min_cpus <= 0)
		res_check(r, "CPUs", RES_INFO, v, "not checked");
	else if (cpus < min->min_cpus)
		res_check(r, "CPUs", RES_FAIL, v, "below the minimum of %d",
		    min->min_cpus);
	else
		res_check(r, "CPUs", RES_OK, v, "minimum %d", min->min_cpus);

	mem = r->mem_total;
	if (r->cgroup_mem_limit > 0 && (uint64_t)r->cgroup_mem_limit < mem)
		mem = (uint64_t)r->cgroup_mem_limit;
	res_size(v, sizeof v, mem);
	want = (uint64_t)min->min_memory_mib * 1024 * 1024;
	res_size(m, sizeof m, want);
	if (min->min_memory_mib <= 0)
		res_check(r, "Memory", RES_INFO, v, "not checked");
	else if (mem < want)
		res_check(r, "Memory", RES_FAIL, v, "below the minimum of %s%s",
		    m, mem < r->mem_total ? " (container limit)" : "");
	else
		res_check(r, "Memory", RES_OK, v, "minimum %s", m);

	want = (uint64_t)min->min_cache_disk_gib * 1024 * 1024 * 1024;
	for (i = 0; i < r->ndisks; i++) {
		if (r->disks[i].in_use)
			continue;
		if (best == NULL || r->disks[i].size > best->size)
			best = &r->disks[i];
	}
	if (min->min_cache_disk_gib <= 0)
		res_check(r, "Cache disk", RES_INFO, best ? best->name : "-",
		    "not checked");
	else if (best != NULL && best->size >= want) {
		res_size(v, sizeof v, best->size);
		res_check(r, "Cache disk", RES_OK, best->name, "%s, unused", v);
	} else if (best != NULL) {
		res_size(v, sizeof v, best->size);
		res_check(r, "Cache disk", RES_FAIL, best->name,
		    "largest unused disk is %s; %ld GiB needed", v,
		    min->min_cache_disk_gib);
	} else
		res_check(r, "Cache disk", RES_FAIL, "none",
		    "no unused disk of %ld GiB or more", min->min_cache_disk_gib);

	for (i = 0; i < r->nfss; i++) {
		const struct res_fs	*fs = &r->fss[i];

		if (fs->size == 0 || fs->readonly)
			continue;
		pct = 100.0 * (double)fs->avail / (double)fs->size;
		res_size(m, sizeof m, fs->avail);
		xsnprintf(v, sizeof v, "%.0f%% free", pct);
		if (pct < min->fs_fail_free_percent)
			res_check(r, fs->mount, RES_FAIL, v,
			    "%s free, below %d%%", m, min->fs_fail_free_percent);
		else if (pct < min->fs_warn_free_percent)
			res_check(r, fs->mount, RES_WARN, v,
			    "%s free, below %d%%", m, min->fs_warn_free_percent);
		else
			res_check(r, fs->mount, RES_OK, v, "%s free", m);
	}

	xsnprintf(v, sizeof v, "%.2f", r->load[1]);
	if (r->load[1] / (cpus > 0 ? cpus : 1) > RES_LOAD_WARN_PER_CPU)
		res_check(r, "Load (5 min)", RES_WARN, v,
		    "above %.0f per CPU", RES_LOAD_WARN_PER_CPU);
	else
		res_check(r, "Load (5 min)", RES_OK, v, "at most %.0f per CPU",
		    RES_LOAD_WARN_PER_CPU);
}

void
res_report_free(struct res_report *r)
{
	free(r->disks);
	free(r->fss);
	free(r->checks);
	memset(r, 0, sizeof *r);
}

const char *
res_status_name(enum res_status st)
{
	switch (st) {
	case RES_OK:
		return ("OK");
	case RES_WARN:
		return ("WARN");
	case RES_FAIL:
		return ("FAIL");
	case RES_INFO:
		return ("INFO");
	}
	return ("?");
}

int
resources_summary(const struct config *cfg, int *nwarn, int *nfail)
{
	struct res_report	 r;
	char			*cause = NULL;

	*nwarn = *nfail = 0;
	if (res_collect(&r, &cause) == -1) {
		free(cause);
		return (-1);
	}
	res_evaluate(&r, &cfg->resources);
	*nwarn = r.nwarn;
	*nfail = r.nfail;
	res_report_free(&r);
	return (0);
}
