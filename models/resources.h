/* SPDX-License-Identifier: ISC */
/*
 * Module 300's model: what this machine has (CPUs, memory, disks,
 * filesystems, load, platform) read in-process from /proc and /sys, and
 * each figure judged against the minimums in console.conf. Both faces
 * (TUI and CLI) render these structs; neither holds logic.
 */
#ifndef RESOURCES_H
#define RESOURCES_H

#include <stdint.h>

struct config_resources;

enum res_status {
	RES_OK = 0,
	RES_WARN,
	RES_FAIL,
	RES_INFO	/* shown, not judged */
};

struct res_disk {
	char		 name[32];	/* sda, vda, nvme0n1 */
	uint64_t	 size;		/* bytes */
	int		 in_use;	/* partitioned, mounted, swap or held */
	char		 use[48];	/* why in use: "mounted on /", "partitions" */
};

struct res_fs {
	char		 mount[128];
	char		 source[64];
	char		 type[16];
	uint64_t	 size;		/* bytes */
	uint64_t	 avail;		/* bytes available to unprivileged users */
	int		 readonly;	/* mounted ro: listed, not judged */
};

struct res_check {
	char		 what[32];	/* "CPUs", "Memory", "Cache disk", "/var" */
	enum res_status	 status;
	char		 value[64];	/* "2", "15.6 GiB" */
	char		 reason[128];	/* "below the minimum of 4" */
};

struct res_report {
	int		 cpus;
	char		 cpu_model[96];
	uint64_t	 mem_total, mem_avail, swap_total, swap_free; /* bytes */
	double		 load[3];
	uint64_t	 uptime_s;
	char		 platform[96];	/* "KVM (QEMU Standard PC)", "container" */
	int64_t		 cgroup_mem_limit;	/* bytes; -1 none */
	double		 cgroup_cpus;		/* from cpu.max; 0 none */
	struct res_disk	*disks;
	int		 ndisks;
	struct res_fs	*fss;
	int		 nfss;
	struct res_check *checks;
	int		 nchecks;
	int		 nwarn, nfail;
};

/* Read the machine. Returns 0, or -1 with *cause. Free with res_report_free. */
int		 res_collect(struct res_report *, char **);
/* Judge: fill checks, nwarn, nfail from the figures and the minimums. */
void		 res_evaluate(struct res_report *, const struct config_resources *);
void		 res_report_free(struct res_report *);
const char	*res_status_name(enum res_status);
/* Bytes in binary units with one decimal: "15.6 GiB", "512.0 MiB". */
void		 res_size(char *, size_t, uint64_t);

struct config;
/* Counts of warnings and failures for the menu header; -1 if unreadable. */
int		 resources_summary(const struct config *, int *, int *);

#endif
