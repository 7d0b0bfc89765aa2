/* SPDX-License-Identifier: ISC */
/*
 * Making the live system match a network configuration: addresses, links,
 * routes (ours carry protocol "static"), the DHCP client per adapter,
 * resolv.conf and the host name. Used only by the privileged network
 * helper and the DHCP event hook; needs CAP_NET_ADMIN.
 */
#ifndef NETAPPLY_H
#define NETAPPLY_H

#include "netconf.h"

#define NETAPPLY_STATE		"/var/lib/appliance-console/network"
/* The console (unprivileged) reads pending.info and lease-IFACE there. */
#define NETAPPLY_STATE_MODE	0755
#define NETAPPLY_UDHCPC		"/usr/sbin/udhcpc"
/*
 * PID files: under /run, which a reboot empties, so a PID from before the
 * boot never names a process of this one.
 */
#define NETAPPLY_RUN		"/run/appliance-console/network"
#define NETAPPLY_SYSTEMD_RUN	"/usr/bin/systemd-run"
/* Who reads the ARP probe's replies: never root (see netapply_probe). */
#define NETAPPLY_PROBE_ACCOUNT	"_testconn"
#define NETAPPLY_PROBE_FALLBACK	"nobody"
#define NETAPPLY_UNIT_ARGV_MAX	16

/* Reconcile the live system with cfg. Returns 0, or -1 with *cause. */
int	 netapply_run(const struct netconf *, char **);
/*
 * ARP-probe every IPv4 address cfg adds that is not live yet. -1 with
 * *cause naming the address and the MAC that answered for it.
 */
int	 netapply_probe(const struct netconf *, const struct netconf_live *,
	     char **);
/* The applied configuration the DHCP hook follows (state dir). */
int	 netapply_applied(struct netconf *, char **);
/* Wait up to ms for the lease of iface; 0 with its summary in *text. */
int	 netapply_wait_lease(const char *, int, char **);
/* RUN/name under the system root, the directory made; -1 if too long. */
int	 netapply_run_path(char *, size_t, const char *);
/* The kernel's start time of pid (/proc/PID/stat field 22), or -1. */
long long netapply_proc_start(long long);
/* 1 when PID 1 is systemd and /run/systemd/system exists. */
int	 netapply_systemd(void);
/*
 * The systemd-run argv that starts cmd (absolute path first) as the
 * transient system unit "unit": out holds at most max pointers, NULL
 * ended, borrowing unit and cmd. The number of words, or -1.
 */
int	 netapply_unit_argv(char **, size_t, char *, char *const *);
/*
 * Start cmd detached: a transient unit where systemd runs (so that no
 * login session's end can stop it), else a session of its own that init
 * inherits. 0, or -1 with *cause.
 */
int	 netapply_detach(char *, char *const *, char *const *, char **);
/* Write resolv.conf for cfg, adding the lease servers when it has none. */
int	 netapply_resolv(const struct netconf *, char **);

#endif
