/* SPDX-License-Identifier: ISC */
/*
 * The privileged time helper: the only code of module 400 that runs as
 * root. Verbs: server-add NAME, server-remove NAME (the console's list and
 * the time service's drop-in, then a reload), zone-set ZONE (the
 * /etc/localtime link and /etc/timezone), sync (step from the best
 * server: chronyc makestep under chrony, else clock_settime), set TIME
 * (ISO 8601) and restart (the time service). Every write is atomic.
 *
 * Clock safety: sync, set and restart change the system only when this is
 * the helper installed in LIBEXECDIR and the system root is "/". Under a
 * test root (CONSOLE_ROOT, honoured only for a real root that did not come
 * through sudo: the lab and the tests) they run as a dry run: they drop
 * every capability first, measure, and report the step they would make
 * without calling clock_settime, chronyc makestep or systemctl. A helper
 * from the build tree without a test root refuses every verb. chronyc only
 * ever talks to the chronyd socket under the system root.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "config.h"
#include "helper.h"
#include "paths.h"
#include "spawn.h"
#include "systime.h"
#include "valid.h"
#include "xmalloc.h"

#define HT_CHRONYC	"/usr/bin/chronyc"
#define HT_SYSTEMCTL	"/usr/bin/systemctl"
#define HT_LOCK		"/var/lib/appliance-console/time.lock"
#define HT_TIMEOUT_MS	10000

static int		 ht_installed(void);
static int		 ht_dry_run(void);
static enum helper_status ht_guard(char **);
static int		 ht_caps(int, char **);
static int		 ht_lock(char **);
static int		 ht_write(const char *, const char *, char **);
static enum helper_status ht_run(char *const *, const char *, char **);
static enum helper_status ht_chronyc(const char *, const char *, char **);
static enum helper_status ht_servers(char **, int, char **);
static enum helper_status ht_measure(struct config *, int64_t *,
			     char *, size_t, char **);
static int		 ht_valid_time(const char *, char **);
static enum helper_status ht_server_add(char **, char **);
static enum helper_status ht_server_remove(char **, char **);
static enum helper_status ht_zone_set(char **, char **);
static enum helper_status ht_sync(char **, char **);
static enum helper_status ht_set(char **, char **);
static enum helper_status ht_restart(char **, char **);

static const struct helper_verb ht_verbs[] = {
	{ "server-add", 1, { valid_ntp_server }, ht_server_add },
	{ "server-remove", 1, { valid_ntp_server }, ht_server_remove },
	{ "zone-set", 1, { systime_zone_check }, ht_zone_set },
	{ "sync", 0, { NULL }, ht_sync },
	{ "set", 1, { ht_valid_time }, ht_set },
	{ "restart", 0, { NULL }, ht_restart },
};

/* Is this process the helper installed in LIBEXECDIR (not a build tree)? */
static int
ht_installed(void)
{
	char	 exe[PATH_MAX];
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return (0);
	exe[n] = '\0';
	return (strcmp(exe, LIBEXECDIR "/console-helper-time") == 0);
}

/*
 * A dry run unless this is the installed helper on the real root. Both
 * must hold, so losing the seam on the way (an environment built from
 * nothing) cannot turn a test into a real step: a helper run from the
 * build tree never changes the clock.
 */
static int
ht_dry_run(void)
{
	return (paths_root()[0] != '\0' || !ht_installed());
}

/*
 * Every verb starts here: a helper that is not the installed one works
 * only under a test root, so it can never write the real /etc either.
 */
static enum helper_status
ht_guard(char **cause)
{
	if (paths_root()[0] == '\0' && !ht_installed()) {
		xasprintf(cause, "this helper is not the one installed in %s; "
		    "it works only under a test root (CONSOLE_ROOT)",
		    LIBEXECDIR);
		return (HELPER_DENIED);
	}
	return (HELPER_OK);
}

/*
 * Keep only CAP_SYS_TIME (keep = 1) or nothing at all (keep = 0): the
 * clock verbs need no other power, and a dry run not even that one.
 */
static int
ht_caps(int keep, char **cause)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[_LINUX_CAPABILITY_U32S_3];

	memset(&h, 0, sizeof h);
	memset(d, 0, sizeof d);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (keep) {
		d[CAP_TO_INDEX(CAP_SYS_TIME)].effective =
		    CAP_TO_MASK(CAP_SYS_TIME);
		d[CAP_TO_INDEX(CAP_SYS_TIME)].permitted =
		    CAP_TO_MASK(CAP_SYS_TIME);
	}
	if (syscall(SYS_capset, &h, d) == -1) {
		xasprintf(cause, "cannot drop capabilities: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* One change at a time; held until exit. */
static int
ht_lock(char **cause)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (paths_get(p, sizeof p, HT_LOCK) == -1) {
		xasprintf(cause, "path too long: %s", HT_LOCK);
		return (-1);
	}
	if (atomic_mkdirs_for(p, 0755, cause) == -1)
		return (-1);
	if ((fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "cannot open the lock %s: %s", HT_LOCK,
		    strerror(errno));
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		xasprintf(cause, "another time change is in progress");
		return (-2);
	}
	return (0);
}

/* Atomically replace root + path with text (0644: services read it). */
static int
ht_write(const char *path, const char *text, char **cause)
{
	char	 p[PATH_MAX];

	if (paths_get(p, sizeof p, path) == -1) {
		xasprintf(cause, "path too long: %s", path);
		return (-1);
	}
	if (atomic_mkdirs_for(p, 0755, cause) == -1)
		return (-1);
	return (atomic_write_file(p, text, strlen(text), 0644, cause));
}

/* Run a fixed argv; what it printed last explains a failure. */
static enum helper_status
ht_run(char *const *argv, const char *what, char **cause)
{
	struct spawn_req	 req;
	struct spawn_result	 sr;
	enum helper_status	 st;
	char			*err = NULL, *nl;

	memset(&req, 0, sizeof req);
	req.path = argv[0];
	req.argv = argv;
	req.timeout_ms = HT_TIMEOUT_MS;
	req.capture_max = 4096;
	if (spawn_run(&req, &sr, &err) == -1) {
		xasprintf(cause, "%s: %s", what, err);
		free(err);
		return (HELPER_FAILED);
	}
	if (sr.exited && sr.exit_code == 0) {
		spawn_result_free(&sr);
		return (HELPER_OK);
	}
	err = sr.err != NULL && sr.err_len > 0 ? sr.err : sr.out;
	if (err != NULL && (nl = strchr(err, '\n')) != NULL)
		*nl = '\0';
	xasprintf(cause, "%s failed%s%.200s", what,
	    err != NULL && *err != '\0' ? ": " : "", err != NULL ? err : "");
	st = sr.timed_out ? HELPER_TIMEOUT : HELPER_FAILED;
	spawn_result_free(&sr);
	return (st);
}

/* chronyc with a fixed argv, on the chronyd socket under the root. */
static enum helper_status
ht_chronyc(const char *a, const char *b, char **cause)
{
	char	 sock[PATH_MAX], what[64];
	char	*argv[] = { "chronyc", "-h", sock, (char *)a, (char *)b,
	    NULL };

	argv[0] = HT_CHRONYC;
	if (paths_get(sock, sizeof sock, SYSTIME_CHRONY_SOCKET) == -1)
		return (HELPER_INTERNAL);
	xsnprintf(what, sizeof what, "chronyc %s%s%s", a, b ? " " : "",
	    b ? b : "");
	return (ht_run(argv, what, cause));
}

static int
ht_valid_time(const char *s, char **cause)
{
	return (valid_datetime(s, NULL, cause));
}

/* Load, edit (add = 1 or 0), write state and drop-in, reload. */
static enum helper_status
ht_servers(char **args, int add, char **cause)
{
	struct config		 cfg;
	struct systime_servers	 sv;
	enum systime_service	 svc;
	enum helper_status	 st = HELPER_FAILED;
	const char		*dropin;
	char			 p[PATH_MAX], *text = NULL;
	int			 r;

	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	config_defaults(&cfg);
	if (paths_get(p, sizeof p, PATH_CONFIG) == 0)
		config_load(&cfg, p);
	if ((r = ht_lock(cause)) != 0) {
		config_free(&cfg);
		return (r == -2 ? HELPER_BUSY : HELPER_FAILED);
	}
	if (systime_servers_load(&cfg, &sv, cause) == -1)
		goto out;
	r = add ? systime_servers_add(&sv, args[0], cause) :
	    systime_servers_remove(&sv, args[0], cause);
	if (r == -1) {
		st = HELPER_INVALID;
		goto out;
	}
	text = systime_servers_state(&sv);
	if (ht_write(SYSTIME_STATE_SERVERS, text, cause) == -1)
		goto out;
	svc = systime_detect();
	if ((dropin = systime_dropin_path(svc)) != NULL) {
		free(text);
		text = systime_servers_dropin(svc, &sv);
		if (ht_write(dropin, text, cause) == -1)
			goto out;
	}
	if (svc == SYSTIME_SVC_CHRONY) {
		if ((st = ht_chronyc("reload", "sources", cause)) != HELPER_OK)
			goto out;
		free(*cause);
		xasprintf(cause, "%s %s; chronyd reloaded its sources",
		    args[0], add ? "added" : "removed");
	} else if (svc == SYSTIME_SVC_TIMESYNCD) {
		if ((st = ht_restart(NULL, cause)) != HELPER_OK)
			goto out;
		free(*cause);
		xasprintf(cause, "%s %s; systemd-timesyncd restarted%s",
		    args[0], add ? "added" : "removed",
		    ht_dry_run() ? " (dry run: not really)" : "");
	} else
		xasprintf(cause, "%s %s; %s reads no drop-in, the list "
		    "serves the console's own sync", args[0],
		    add ? "added" : "removed", systime_service_name(svc));
	st = HELPER_OK;
out:
	free(text);
	systime_servers_free(&sv);
	config_free(&cfg);
	return (st);
}

static enum helper_status
ht_server_add(char **args, char **cause)
{
	return (ht_servers(args, 1, cause));
}

static enum helper_status
ht_server_remove(char **args, char **cause)
{
	return (ht_servers(args, 0, cause));
}

static enum helper_status
ht_zone_set(char **args, char **cause)
{
	char	 link[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX], *text;
	int	 r;

	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	if ((r = ht_lock(cause)) != 0)
		return (r == -2 ? HELPER_BUSY : HELPER_FAILED);
	/* The link holds the path as the appliance sees it, root or not. */
	if (xsnprintf(target, sizeof target, "%s/%s", SYSTIME_ZONEINFO,
	    args[0]) == -1 ||
	    paths_get(link, sizeof link, SYSTIME_LOCALTIME) == -1 ||
	    xsnprintf(tmp, sizeof tmp, "%s.tmp.%ld", link,
	    (long)getpid()) == -1)
		return (HELPER_INTERNAL);
	if (atomic_mkdirs_for(link, 0755, cause) == -1)
		return (HELPER_FAILED);
	(void)unlink(tmp);
	if (symlink(target, tmp) == -1) {
		xasprintf(cause, "cannot create %s: %s", tmp, strerror(errno));
		return (HELPER_FAILED);
	}
	if (atomic_rename(tmp, link, cause) == -1) {
		(void)unlink(tmp);
		return (HELPER_FAILED);
	}
	xasprintf(&text, "%s\n", args[0]);
	r = ht_write(SYSTIME_TIMEZONE, text, cause);
	free(text);
	if (r == -1)
		return (HELPER_FAILED);
	xasprintf(cause, "the time zone is now %s", args[0]);
	return (HELPER_OK);
}

/* Ask the servers in use; the best one's offset and name. */
static enum helper_status
ht_measure(struct config *cfg, int64_t *offset, char *server, size_t len,
    char **cause)
{
	struct systime_servers	 sv;
	struct sntp_result	 res[CONFIG_TIME_SERVERS_MAX];
	int			 best;

	if (systime_servers_load(cfg, &sv, cause) == -1)
		return (HELPER_FAILED);
	sntp_query_all((const char *const *)sv.names, sv.n,
	    cfg->time.query_timeout_ms, res);
	best = systime_best(res, sv.n);
	if (best == -1) {
		xasprintf(cause, "no NTP server answered (%d asked)", sv.n);
		systime_servers_free(&sv);
		return (HELPER_FAILED);
	}
	*offset = res[best].offset_ns;
	snprintf(server, len, "%s", res[best].server);
	systime_servers_free(&sv);
	return (HELPER_OK);
}

static enum helper_status
ht_sync(char **args, char **cause)
{
	struct config		 cfg;
	struct timespec		 ts;
	enum systime_service	 svc = systime_detect();
	enum helper_status	 st;
	char			 p[PATH_MAX], server[SNTP_NAME_MAX + 1];
	int64_t			 off, ns;
	int			 dry = ht_dry_run();

	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	(void)args;
	/* chronyd measures and steps by itself; chronyc needs its socket. */
	if (!dry && svc == SYSTIME_SVC_CHRONY) {
		if ((st = ht_chronyc("makestep", NULL, cause)) != HELPER_OK)
			return (st);
		free(*cause);
		xasprintf(cause, "chronyd stepped the clock");
		return (HELPER_OK);
	}
	/* Our own SNTP answer, measured with no power but CAP_SYS_TIME. */
	if (ht_caps(!dry, cause) == -1)
		return (HELPER_FAILED);
	config_defaults(&cfg);
	if (paths_get(p, sizeof p, PATH_CONFIG) == 0)
		config_load(&cfg, p);
	st = ht_measure(&cfg, &off, server, sizeof server, cause);
	config_free(&cfg);
	if (st != HELPER_OK)
		return (st);
	printf("server %s\nstep_ns %lld\n", server, (long long)off);
	if (dry) {
		xasprintf(cause, "dry run: would step the clock by %+.6f s "
		    "(best server %s, through %s); the clock was not changed",
		    (double)off / 1e9, server, svc == SYSTIME_SVC_CHRONY ?
		    "chronyc makestep" : "clock_settime");
		return (HELPER_OK);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + off;
	ts.tv_sec = (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	if (clock_settime(CLOCK_REALTIME, &ts) == -1) {
		xasprintf(cause, "cannot set the clock: %s", strerror(errno));
		return (HELPER_FAILED);
	}
	xasprintf(cause, "stepped the clock by %+.6f s from %s",
	    (double)off / 1e9, server);
	return (HELPER_OK);
}

static enum helper_status
ht_set(char **args, char **cause)
{
	struct timespec	 now, ts;
	time_t		 t;
	char		 shown[32];
	int		 dry = ht_dry_run();

	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	if (valid_datetime(args[0], &t, cause) == -1)
		return (HELPER_INVALID);
	if (ht_caps(!dry, cause) == -1)
		return (HELPER_FAILED);
	clock_gettime(CLOCK_REALTIME, &now);
	systime_format(shown, sizeof shown, t, NULL);
	printf("step_ns %lld\n", ((long long)t - now.tv_sec) * 1000000000LL -
	    now.tv_nsec);
	if (dry) {
		xasprintf(cause, "dry run: would set the clock to %s UTC, a "
		    "step of %+lld s; the clock was not changed", shown,
		    (long long)(t - now.tv_sec));
		return (HELPER_OK);
	}
	ts.tv_sec = t;
	ts.tv_nsec = 0;
	if (clock_settime(CLOCK_REALTIME, &ts) == -1) {
		xasprintf(cause, "cannot set the clock: %s", strerror(errno));
		return (HELPER_FAILED);
	}
	xasprintf(cause, "the clock is set to %s UTC", shown);
	return (HELPER_OK);
}

static enum helper_status
ht_restart(char **args, char **cause)
{
	enum systime_service	 svc = systime_detect();
	const char		*unit = systime_service_unit(svc);
	char			*argv[] = { HT_SYSTEMCTL, "restart",
	    (char *)unit, NULL };

	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	(void)args;
	if (unit == NULL) {
		xasprintf(cause, "no time service is installed");
		return (HELPER_FAILED);
	}
	if (ht_dry_run()) {
		xasprintf(cause, "dry run: would restart %s", unit);
		return (HELPER_OK);
	}
	if (ht_run(argv, "systemctl restart", cause) != HELPER_OK)
		return (HELPER_FAILED);
	xasprintf(cause, "%s restarted", unit);
	return (HELPER_OK);
}

int
main(int argc, char **argv)
{
	/* Before helper_main clears the environment. */
	paths_init();
	return (helper_main(argc, argv, ht_verbs,
	    sizeof ht_verbs / sizeof ht_verbs[0]));
}
