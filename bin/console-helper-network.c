/* SPDX-License-Identifier: ISC */
/*
 * The privileged network helper. Every change verb computes the new
 * configuration from the one in force plus the edit, re-validates it whole,
 * probes new IPv4 addresses with ARP, applies it live and leaves a rollback
 * timer in a process of its own session: unless "confirm" comes within
 * [network] confirm_timeout seconds, the previous configuration returns,
 * also when the session that made the change is gone. Only a confirmed
 * configuration is saved to network.conf; "restore" re-applies it at boot.
 *
 * State (NETAPPLY_STATE): lock, pending.conf (the change on trial),
 * rollback.conf (what returns), pending.info (deadline on the wall clock
 * for display, on CLOCK_BOOTTIME for the timer, and token), applied.conf
 * (what the DHCP hook follows), lease-IFACE. NETAPPLY_RUN (emptied at
 * boot): timer.pid ("PID STARTTIME", so a recycled PID is never taken for
 * the timer's), udhcpc.pid-IFACE.
 *
 * The timer runs as a transient system unit where systemd runs ("rollback-
 * timer TOKEN" through systemd-run), else in a session of its own: either
 * way no login session's end stops it. A rollback that fails stays
 * pending and is tried again, 5 s later, then 10, up to every 60 s.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "audit.h"
#include "config.h"
#include "helper.h"
#include "netapply.h"
#include "netconf.h"
#include "paths.h"
#include "sig.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

static struct config	 net_config;

static long long	 net_boottime(void);
static int		 net_pending_read(char *, size_t, long long *);

static int
net_state(char *buf, size_t len, const char *name)
{
	char	 rel[PATH_MAX];

	if (xsnprintf(rel, sizeof rel, "%s/%s", NETAPPLY_STATE, name) == -1)
		return (-1);
	return (paths_get(buf, len, rel));
}

/* The helper's one lock: every verb that reads or changes state holds it. */
static int
net_lock(char **cause)
{
	char	 path[PATH_MAX], dir[PATH_MAX];
	int	 fd;

	/* Opened here, not in main: the hardening closes every fd. */
	(void)audit_open(NULL);
	if (paths_get(dir, sizeof dir, NETAPPLY_STATE) == -1 ||
	    net_state(path, sizeof path, "lock") == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	/* 0755: the console reads pending.info and the leases here. */
	if (atomic_mkdirs(dir, NETAPPLY_STATE_MODE, cause) == -1)
		return (-1);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		return (-1);
	}
	if (flock(fd, LOCK_EX) == -1) {
		xasprintf(cause, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

static int
net_pending_exists(void)
{
	char	 path[PATH_MAX];

	return (net_state(path, sizeof path, "pending.conf") == 0 &&
	    access(path, F_OK) == 0);
}

/* Seconds on CLOCK_BOOTTIME: steps of the wall clock do not move it. */
static long long
net_boottime(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ((long long)ts.tv_sec);
}

/* The token and boot-clock deadline of the change on trial: 0, or -1. */
static int
net_pending_read(char *token, size_t len, long long *end)
{
	char	 path[PATH_MAX], *text, *line, *save = NULL;
	int	 have = 0;

	token[0] = '\0';
	*end = 0;
	if (net_state(path, sizeof path, "pending.info") == -1 ||
	    (text = text_read_file(path, 256, NULL)) == NULL)
		return (-1);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "token ", 6) == 0 &&
		    xsnprintf(token, len, "%s", line + 6) != -1)
			have |= 1;
		else if (strncmp(line, "boottime_end ", 13) == 0) {
			*end = strtoll(line + 13, NULL, 10);
			have |= 2;
		}
	}
	free(text);
	return (have == 3 ? 0 : -1);
}

static int
net_kill_timer(void)
{
	char		 path[PATH_MAX], *text, comm[32] = "";
	long long	 pid = 0, start = -1;
	FILE		*f;

	if (netapply_run_path(path, sizeof path, "timer.pid") == -1 ||
	    (text = text_read_file(path, 64, NULL)) == NULL)
		return (0);
	if (sscanf(text, "%lld %lld", &pid, &start) != 2)
		pid = 0;
	free(text);
	(void)unlink(path);
	/* The same PID and start time: the same process, never another. */
	if (pid <= 1 || pid > INT_MAX || start < 0 ||
	    netapply_proc_start(pid) != start ||
	    xsnprintf(path, sizeof path, "/proc/%lld/comm", pid) == -1 ||
	    (f = fopen(path, "re")) == NULL)
		return (0);
	if (fgets(comm, sizeof comm, f) == NULL)
		comm[0] = '\0';
	fclose(f);
	if (strncmp(comm, "console-helper", 14) == 0)
		(void)kill((pid_t)pid, SIGTERM);
	return (0);
}

static void
net_clear_pending(void)
{
	char	 path[PATH_MAX];

	if (net_state(path, sizeof path, "pending.conf") == 0)
		(void)unlink(path);
	if (net_state(path, sizeof path, "pending.info") == 0)
		(void)unlink(path);
	if (net_state(path, sizeof path, "rollback.conf") == 0)
		(void)unlink(path);
}

/*
 * The timer: wait for the deadline on the boot clock, then, while the
 * change with our token is still pending, put the old configuration back;
 * when that fails the change stays pending and the timer tries again.
 */
static void
net_timer(long long end, const char *token)
{
	struct netconf	*old = netconf_new();
	char		 path[PATH_MAX], now[64], *cause = NULL;
	long long	 e;
	sigset_t	 saved;
	int		 fd, wait_s = 5;

	for (;;) {
		while (net_boottime() < end) {
			if (net_pending_read(now, sizeof now, &e) == -1 ||
			    strcmp(now, token) != 0)
				_exit(0);
			usleep(200000);
		}
		if ((fd = net_lock(&cause)) == -1)
			_exit(1);
		if (net_pending_read(now, sizeof now, &e) == -1 ||
		    strcmp(now, token) != 0)
			_exit(0);	/* confirmed, or another change's */
		sig_hold(&saved);
		if (net_state(path, sizeof path, "rollback.conf") == 0 &&
		    netconf_load(path, old, &cause) == 0 &&
		    netapply_run(old, &cause) == 0) {
			audit_log("rolled back", "network change not confirmed "
			    "in time; previous configuration restored");
			net_clear_pending();
			if (netapply_run_path(path, sizeof path,
			    "timer.pid") == 0)
				(void)unlink(path);
			_exit(0);
		}
		audit_logf("failed", "network rollback: %s; still pending, "
		    "tried again in %d s", cause != NULL ? cause :
		    "no rollback configuration", wait_s);
		free(cause);
		cause = NULL;
		sig_release(&saved);
		close(fd);
		end = net_boottime() + wait_s;
		if (wait_s < 60)
			wait_s *= 2;
	}
}

/* rollback-timer TOKEN: the timer, started by systemd-run. */
static enum helper_status
net_timer_verb(const struct verb *v, const char *const *vals, char **cause)
{
	char		 token[64];
	long long	 end;

	(void)v;
	if (net_pending_read(token, sizeof token, &end) == -1 ||
	    strcmp(token, vals[0]) != 0) {
		xasprintf(cause, "no network change with that token is "
		    "waiting for confirmation");
		return (HELPER_FAILED);
	}
	net_timer(end, token);
	return (HELPER_OK);
}

/* Record the timer's PID and start time (under /run). */
static int
net_timer_pid(long long pid, char **cause)
{
	char	 path[PATH_MAX], text[64];

	if (netapply_run_path(path, sizeof path, "timer.pid") == -1 ||
	    xsnprintf(text, sizeof text, "%lld %lld\n", pid,
	    netapply_proc_start(pid)) == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	return (atomic_write_file(path, text, strlen(text), 0644, cause));
}

static int
net_start_timer(int secs, int lock, char **cause)
{
	char		 path[PATH_MAX], token[40], *info, pidtext[32];
	char		 helper[PATH_MAX], unit[80], *argv[4];
	long long	 end = net_boottime() + secs;
	time_t		 deadline = time(NULL) + secs;
	pid_t		 pid;
	sigset_t	 none;
	int		 status, devnull, p[2];

	(void)xsnprintf(token, sizeof token, "%08lx%08lx",
	    (unsigned long)random(), (unsigned long)getpid());
	/* The wall clock for display; the timer goes by the boot clock. */
	xasprintf(&info, "deadline %lld\nboottime_end %lld\ntoken %s\n",
	    (long long)deadline, end, token);
	if (net_state(path, sizeof path, "pending.info") == -1 ||
	    atomic_write_file(path, info, strlen(info), 0644, cause) == -1) {
		free(info);
		return (-1);
	}
	free(info);
	if (netapply_systemd() && paths_get(helper, sizeof helper,
	    LIBEXECDIR "/console-helper-network") == 0 &&
	    xsnprintf(unit, sizeof unit, "appliance-console-rollback-%s",
	    token) != -1) {
		argv[0] = helper;
		argv[1] = "rollback-timer";
		argv[2] = token;
		argv[3] = NULL;
		/* A unit of its own: its PID is systemd's business. */
		if (netapply_detach(unit, argv, paths_child_env(), cause) == 0)
			return (0);
		free(*cause);
		*cause = NULL;
	}
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		xasprintf(cause, "cannot start the rollback timer: %s",
		    strerror(errno));
		return (-1);
	}
	if (pid == 0) {
		close(p[0]);
		/* flock belongs to the open file: the timer must not hold it. */
		close(lock);
		if (setsid() == -1)
			_exit(1);
		if ((pid = fork()) != 0) {
			(void)xsnprintf(pidtext, sizeof pidtext, "%ld\n",
			    (long)pid);
			(void)!write(p[1], pidtext, strlen(pidtext));
			_exit(pid == -1);
		}
		close(p[1]);
		/* Nothing of the caller's: its pipes must see EOF now. */
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			if (devnull > 2)
				close(devnull);
		}
		signal(SIGHUP, SIG_IGN);
		/* The caller holds signals while it starts us; we do not. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		net_timer(end, token);
		_exit(0);
	}
	close(p[1]);
	memset(pidtext, 0, sizeof pidtext);
	(void)!read(p[0], pidtext, sizeof pidtext - 1);
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return (net_timer_pid(strtoll(pidtext, NULL, 10), cause));
}

/* Every change verb: the row's edit on trial, with its rollback timer. */
static enum helper_status
net_change(const struct verb *v, const char *const *vals, char **cause)
{
	struct netconf_live	 live;
	struct netconf		*cur = netconf_new(), *next = NULL;
	char			 path[PATH_MAX], *diff = NULL, *lease = NULL;
	enum helper_status	 st = HELPER_INTERNAL;
	sigset_t		 saved;
	int			 lock, i, held = 0;

	memset(&live, 0, sizeof live);
	if ((lock = net_lock(cause)) == -1)
		goto out;
	if (net_pending_exists()) {
		st = HELPER_BUSY;
		xasprintf(cause, "another network change waits for "
		    "confirmation: confirm it ('network confirm') or let it "
		    "roll back first");
		goto out;
	}
	if (netconf_live_read(&live, cause) == -1 ||
	    netconf_current(cur, &live, cause) == -1)
		goto out;
	next = netconf_dup(cur);
	if (netconf_edit_verb(next, v->name, vals, &live, cause) == -1 ||
	    netconf_validate(next, &live, cause) == -1) {
		st = HELPER_INVALID;
		goto out;
	}
	if (netconf_equal(cur, next)) {
		st = HELPER_OK;
		printf("No change: the configuration is already so.\n");
		goto out;
	}
	if (netapply_probe(next, &live, cause) == -1) {
		st = HELPER_INVALID;
		goto out;
	}
	diff = netconf_diff(cur, next);
	/*
	 * From the saved trial until its timer runs and the change is
	 * audited, a hang-up (relayed by sudo as SIGTERM) must not stop us:
	 * a change applied with no timer would stay, pending for ever.
	 */
	sig_hold(&saved);
	held = 1;
	if (net_state(path, sizeof path, "rollback.conf") == -1 ||
	    netconf_save(path, cur, cause) == -1 ||
	    net_state(path, sizeof path, "pending.conf") == -1 ||
	    netconf_save(path, next, cause) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	if (netapply_run(next, cause) == -1) {
		char	*ignore = NULL;

		/* Half applied is worse than not at all. */
		(void)netapply_run(cur, &ignore);
		free(ignore);
		net_clear_pending();
		st = HELPER_FAILED;
		goto out;
	}
	if (net_start_timer(net_config.net_confirm_timeout, lock,
	    cause) == -1) {
		char	*ignore = NULL;

		(void)netapply_run(cur, &ignore);
		free(ignore);
		net_clear_pending();
		st = HELPER_FAILED;
		goto out;
	}
	{
		char	*one = xstrdup(diff), *p;

		/* One record, one line. */
		for (p = one; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		audit_logf("pending", "network change applied: %s", one);
		free(one);
	}
	sig_release(&saved);
	held = 0;
	/* The DHCP hook takes the lock: the lease must not wait for us. */
	close(lock);
	lock = -1;
	printf("%s", diff);
	for (i = 0; i < next->nifaces; i++) {
		const struct netconf_iface	*ni = &next->ifaces[i];
		const struct netconf_iface	*ci;

		ci = netconf_iface_find(cur, ni->name);
		if (ni->mode != NETCONF_DHCP || (ci != NULL &&
		    ci->mode == NETCONF_DHCP &&
		    verb_index(&netconf_verbs, v) != NETCONF_V_DHCP))
			continue;
		if (netapply_wait_lease(ni->name,
		    net_config.net_dhcp_timeout * 1000, &lease) == 0)
			printf("%s: DHCP %s\n", ni->name, lease);
		else
			printf("%s: no DHCP lease arrived within %d s; the "
			    "client keeps trying\n", ni->name,
			    net_config.net_dhcp_timeout);
		free(lease);
		lease = NULL;
	}
	printf("Applied. Confirm within %d s with 'network confirm', or the "
	    "previous configuration comes back.\n",
	    net_config.net_confirm_timeout);
	st = HELPER_OK;
out:
	if (held)
		sig_release(&saved);
	free(diff);
	netconf_free(cur);
	netconf_free(next);
	netconf_live_free(&live);
	if (lock != -1)
		close(lock);
	return (st);
}

/*
 * Settle the change on trial, under the lock: load the file it names
 * (pending.conf to keep, rollback.conf to go back), let finish() save or
 * apply it, then clear the trial and stop its timer.
 */
static enum helper_status
net_settle(const char *file, int (*finish)(const struct netconf *, char **),
    const char *done, char **cause)
{
	struct netconf		*cfg = netconf_new();
	char			 path[PATH_MAX];
	enum helper_status	 st = HELPER_INTERNAL;
	sigset_t		 saved;
	int			 lock, held = 0;

	if ((lock = net_lock(cause)) == -1)
		goto out;
	if (!net_pending_exists()) {
		st = HELPER_FAILED;
		xasprintf(cause, "no network change is waiting for "
		    "confirmation");
		goto out;
	}
	if (net_state(path, sizeof path, file) == -1 ||
	    netconf_load(path, cfg, cause) != 0) {
		st = HELPER_FAILED;
		goto out;
	}
	/*
	 * Saved but still pending (the timer would roll back live while the
	 * next boot restores the unconfirmed file) or applied half way: a
	 * hang-up must wait until the trial is settled.
	 */
	sig_hold(&saved);
	held = 1;
	if (finish(cfg, cause) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	net_clear_pending();
	net_kill_timer();
	audit_log("ok", done);
	st = HELPER_OK;
out:
	if (held)
		sig_release(&saved);
	netconf_free(cfg);
	if (lock != -1)
		close(lock);
	return (st);
}

/* The trial becomes the saved configuration. */
static int
net_save_confirmed(const struct netconf *cfg, char **cause)
{
	char	 dst[PATH_MAX];

	if (paths_get(dst, sizeof dst, NETCONF_PATH) == -1) {
		xasprintf(cause, "path too long");
		return (-1);
	}
	return (netconf_save(dst, cfg, cause));
}

static enum helper_status
net_confirm(const struct verb *v, const char *const *vals, char **cause)
{
	enum helper_status	 st;

	(void)v;
	(void)vals;
	st = net_settle("pending.conf", net_save_confirmed,
	    "network change confirmed and saved", cause);
	if (st == HELPER_OK)
		printf("Confirmed and saved to %s.\n", NETCONF_PATH);
	return (st);
}

static enum helper_status
net_rollback(const struct verb *v, const char *const *vals, char **cause)
{
	enum helper_status	 st;

	(void)v;
	(void)vals;
	st = net_settle("rollback.conf", netapply_run,
	    "network change rolled back on request", cause);
	if (st == HELPER_OK)
		printf("Rolled back to the previous configuration.\n");
	return (st);
}

/* A default route that an adapter's gateway makes: not a static route. */
static int
net_route_is_gateway(const struct netconf *cfg, const struct netlink_route *r)
{
	const struct netconf_iface	*ifc;

	if (r->dst_len != 0 || r->gateway[0] == '\0' ||
	    (ifc = netconf_iface_find(cfg, r->ifname)) == NULL)
		return (0);
	return (strcmp(ifc->gateway, r->gateway) == 0 ||
	    strcmp(ifc->gateway6, r->gateway) == 0);
}

/*
 * save-routing-table: the routes in force that were added by hand or by a
 * change (protocol boot or static), other than the adapters' gateways,
 * become the saved configuration's routes, which "restore" brings back at
 * boot. Nothing live changes, so there is nothing to confirm; a change on
 * trial must be settled first, or its routes would be saved unconfirmed.
 */
static enum helper_status
net_save_routes(const struct verb *v, const char *const *vals, char **cause)
{
	struct netconf_live		 live;
	struct netconf			*cfg = netconf_new();
	const struct netlink_route	*r;
	struct netconf_route		*rt;
	struct text_buf			 list;
	char				 path[PATH_MAX], *text;
	enum helper_status		 st = HELPER_INTERNAL;
	int				 lock, i;

	(void)v;
	(void)vals;
	memset(&live, 0, sizeof live);
	text_buf_init(&list, 64 * 1024);
	if ((lock = net_lock(cause)) == -1)
		goto out;
	if (net_pending_exists()) {
		st = HELPER_BUSY;
		xasprintf(cause, "a network change waits for confirmation: "
		    "confirm it ('network confirm') or let it roll back first");
		goto out;
	}
	if (netconf_live_read(&live, cause) == -1 ||
	    netconf_current(cfg, &live, cause) == -1)
		goto out;
	cfg->nroutes = 0;
	for (i = 0; i < live.nroutes; i++) {
		r = &live.routes[i];
		if ((r->protocol != RTPROT_BOOT &&
		    r->protocol != RTPROT_STATIC) ||
		    net_route_is_gateway(cfg, r))
			continue;
		if (cfg->nroutes >= NETCONF_MAX_ROUTES) {
			st = HELPER_FAILED;
			xasprintf(cause, "more than %d static routes: not "
			    "saved", NETCONF_MAX_ROUTES);
			goto out;
		}
		rt = &cfg->routes[cfg->nroutes++];
		memset(rt, 0, sizeof *rt);
		rt->family = r->family;
		(void)xsnprintf(rt->dst, sizeof rt->dst, "%s", r->dst[0] !=
		    '\0' ? r->dst : r->family == AF_INET6 ? "::" : "0.0.0.0");
		rt->dst_len = r->dst_len;
		(void)xsnprintf(rt->via, sizeof rt->via, "%s", r->gateway);
		(void)xsnprintf(rt->dev, sizeof rt->dev, "%s", r->ifname);
		text_buf_printf(&list, "  %s/%d%s%s dev %s\n", rt->dst,
		    rt->dst_len, rt->via[0] != '\0' ? " via " : "", rt->via,
		    rt->dev);
	}
	if (netconf_validate(cfg, &live, cause) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	if (paths_get(path, sizeof path, NETCONF_PATH) == -1 ||
	    netconf_save(path, cfg, cause) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	text = text_buf_take(&list);
	printf("Saved %d static route%s to %s; they come back at boot.\n%s",
	    cfg->nroutes, cfg->nroutes == 1 ? "" : "s", NETCONF_PATH, text);
	free(text);
	audit_logf("ok", "routing table saved (%d static routes)",
	    cfg->nroutes);
	st = HELPER_OK;
out:
	free(text_buf_take(&list));
	netconf_free(cfg);
	netconf_live_free(&live);
	if (lock != -1)
		close(lock);
	return (st);
}

/* At boot: what was confirmed comes back; a change on trial does not. */
static enum helper_status
net_restore(const struct verb *v, const char *const *vals, char **cause)
{
	struct netconf		*cfg = netconf_new();
	char			 path[PATH_MAX];
	enum helper_status	 st = HELPER_INTERNAL;
	int			 lock, r;

	(void)v;
	(void)vals;
	if ((lock = net_lock(cause)) == -1)
		goto out;
	net_clear_pending();
	net_kill_timer();
	if (paths_get(path, sizeof path, NETCONF_PATH) == -1 ||
	    (r = netconf_load(path, cfg, cause)) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	if (r == 1) {
		printf("No saved network configuration; nothing restored.\n");
		st = HELPER_OK;
		goto out;
	}
	if (netapply_run(cfg, cause) == -1) {
		st = HELPER_FAILED;
		goto out;
	}
	audit_log("ok", "network configuration restored at boot");
	printf("Restored %s.\n", NETCONF_PATH);
	st = HELPER_OK;
out:
	netconf_free(cfg);
	if (lock != -1)
		close(lock);
	return (st);
}

int
main(int argc, char **argv)
{
	helper_fn	 fns[NETCONF_V_COUNT] = { NULL };
	char		 path[PATH_MAX];
	int		 i;

	paths_init();
	audit_init();
	config_defaults(&net_config);
	if (paths_get(path, sizeof path, PATH_CONFIG) == 0)
		(void)config_load(&net_config, path);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	/* Every change verb of the table is a trial; the rest are ours. */
	for (i = 0; i < NETCONF_V_COUNT; i++)
		if (netconf_verb_is_change(&netconf_verbs.verbs[i]))
			fns[i] = net_change;
	fns[NETCONF_V_SAVE_ROUTES] = net_save_routes;
	fns[NETCONF_V_CONFIRM] = net_confirm;
	fns[NETCONF_V_ROLLBACK] = net_rollback;
	fns[NETCONF_V_RESTORE] = net_restore;
	fns[NETCONF_V_TIMER] = net_timer_verb;
	return (helper_main(argc, argv, &netconf_verbs, fns));
}
