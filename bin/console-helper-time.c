/* SPDX-License-Identifier: ISC */
/*
 * The privileged time helper: the only code of module 400 that runs as
 * root. Verbs: server-add NAME, server-remove NAME (the console's list and
 * the time service's drop-in, then a reload), zone-set ZONE (the
 * /etc/localtime link and /etc/timezone), sync DIRECTION NS [=force]
 * (the confirmed step, made only when a majority of the servers still
 * agrees with it: chronyc makestep under chrony, else clock_settime),
 * set TIME (ISO 8601) and restart (the time service). Every write is
 * atomic. The SNTP measurement runs in a child that has dropped root.
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "config.h"
#include "helper.h"
#include "paths.h"
#include "sig.h"
#include "spawn.h"
#include "systime.h"
#include "unpriv.h"
#include "valid.h"
#include "xmalloc.h"

#define HT_CHRONYC	"/usr/bin/chronyc"
#define HT_SYSTEMCTL	"/usr/bin/systemctl"
#define HT_LOCK		"/var/lib/appliance-console/time.lock"
#define HT_TIMEOUT_MS	10000
/* The child's names and answers, beyond [time] query_timeout_ms. */
#define HT_MEASURE_MS	15000
/* The measuring child's account: testconn's (the package makes it). */
#define HT_ACCOUNT	"_testconn"
#define HT_FALLBACK	"nobody"

static int		 ht_installed(void);
static int		 ht_dry_run(void);
static enum helper_status ht_guard(char **);
static int		 ht_caps(int, char **);
static int		 ht_lock(char **);
static int		 ht_write(const char *, const char *, char **);
static enum helper_status ht_run(char *const *, const char *, char **);
static enum helper_status ht_chronyc(const char *, const char *, char **);
static enum helper_status ht_servers(const char *const *, int, char **);
static void		 ht_measure_child(int, const struct systime_servers *,
			     int);
static int		 ht_read_all(int, void *, size_t, int64_t);
static enum helper_status ht_measure(struct config *, int,
			     struct sntp_result *, char **);
static enum helper_status ht_choose(const struct sntp_result *, int,
			     struct sntp_result *, char **);
static enum helper_status ht_server_add(const struct verb *,
			    const char *const *, char **);
static enum helper_status ht_server_remove(const struct verb *,
			    const char *const *, char **);
static enum helper_status ht_zone_set(const struct verb *,
			    const char *const *, char **);
static enum helper_status ht_sync(const struct verb *,
			    const char *const *, char **);
static enum helper_status ht_set(const struct verb *,
			    const char *const *, char **);
static enum helper_status ht_restart(const struct verb *,
			    const char *const *, char **);

static const helper_fn ht_fns[] = {
	[SYSTIME_V_SERVER_ADD] = ht_server_add,
	[SYSTIME_V_SERVER_REMOVE] = ht_server_remove,
	[SYSTIME_V_ZONE_SET] = ht_zone_set,
	[SYSTIME_V_SYNC] = ht_sync,
	[SYSTIME_V_SET] = ht_set,
	[SYSTIME_V_RESTART] = ht_restart,
};
_Static_assert(sizeof ht_fns / sizeof ht_fns[0] == SYSTIME_V_COUNT,
    "a function per time verb");

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

/* Run a fixed argv; what it printed first explains a failure. */
static enum helper_status
ht_run(char *const *argv, const char *what, char **cause)
{
	struct spawn_result	 sr;
	enum helper_status	 st = HELPER_OK;
	char			*err = NULL;

	if (spawn_simple(&(struct spawn_req){ .path = argv[0], .argv = argv,
	    .timeout_ms = HT_TIMEOUT_MS, .capture_max = 4096 }, &sr,
	    &err) == -1) {
		xasprintf(cause, "%s: %s", what, err);
		st = sr.timed_out ? HELPER_TIMEOUT : HELPER_FAILED;
		free(err);
	}
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

/* Load, edit (add = 1 or 0), write state and drop-in, reload. */
static enum helper_status
ht_servers(const char *const *args, int add, char **cause)
{
	struct config		 cfg;
	struct systime_servers	 sv;
	enum systime_service	 svc;
	enum helper_status	 st = HELPER_FAILED;
	const char		*dropin;
	char			 p[PATH_MAX], *text = NULL;
	sigset_t		 saved;
	int			 r, held = 0;

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
	/* State, drop-in and reload: all of them, whatever arrives. */
	sig_hold(&saved);
	held = 1;
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
		if ((st = ht_restart(NULL, NULL, cause)) != HELPER_OK)
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
	if (held)
		sig_release(&saved);
	return (st);
}

static enum helper_status
ht_server_add(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	return (ht_servers(args, 1, cause));
}

static enum helper_status
ht_server_remove(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	return (ht_servers(args, 0, cause));
}

static enum helper_status
ht_zone_set(const struct verb *v, const char *const *args, char **cause)
{
	char	 link[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX], *text;
	int	 r;

	(void)v;
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

/*
 * The measuring child: no root, no capability, before it resolves a name
 * or reads a datagram. It writes exactly n results and nothing else.
 */
static void
ht_measure_child(int fd, const struct systime_servers *sv, int timeout_ms)
{
	struct sntp_result	 res[CONFIG_TIME_SERVERS_MAX];
	char			*cause = NULL;
	size_t			 len = (size_t)sv->n * sizeof res[0], off;
	ssize_t			 w;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unpriv_drop(HT_ACCOUNT, HT_FALLBACK, &cause) == -1) {
		fprintf(stderr, "console-helper-time: %s\n", cause);
		_exit(1);
	}
	memset(res, 0, sizeof res);
	sntp_query_all((const char *const *)sv->names, sv->n, timeout_ms,
	    res);
	for (off = 0; off < len; off += (size_t)w) {
		if ((w = write(fd, (char *)res + off, len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			_exit(1);
		}
	}
	_exit(0);
}

/*
 * Read exactly len bytes before the deadline (CLOCK_MONOTONIC, ms);
 * 0, or -1 on a short read, an error or the deadline.
 */
static int
ht_read_all(int fd, void *buf, size_t len, int64_t deadline_ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	struct timespec	 ts;
	size_t		 off = 0;
	ssize_t		 r;
	int64_t		 left;
	char		 extra;

	/* Then the end of the pipe: nothing more may follow. */
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = deadline_ms - ((int64_t)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000);
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			return (-1);
		if (off < len)
			r = read(fd, (char *)buf + off, len - off);
		else
			r = read(fd, &extra, 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0 && off == len)
			return (0);
		if (r <= 0 || off == len)
			return (-1);
		off += (size_t)r;
	}
}

/*
 * Ask the servers in use; the one a majority agrees with. The names are
 * resolved and the answers parsed by a child that has dropped root for
 * good (issue of privilege separation: this process keeps CAP_SYS_TIME,
 * keep = 1, or nothing); it hands back fixed-size results that are
 * checked again here before one of them can step the clock.
 */
static enum helper_status
ht_measure(struct config *cfg, int keep, struct sntp_result *best,
    char **cause)
{
	struct systime_servers	 sv;
	struct sntp_result	 res[CONFIG_TIME_SERVERS_MAX];
	struct timespec		 ts;
	enum helper_status	 st = HELPER_FAILED;
	pid_t			 pid;
	int			 fds[2], status, i, n, got;

	if (systime_servers_load(cfg, &sv, cause) == -1)
		return (HELPER_FAILED);
	n = sv.n;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		systime_servers_free(&sv);
		return (HELPER_INTERNAL);
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		systime_servers_free(&sv);
		return (HELPER_INTERNAL);
	}
	if (pid == 0) {
		close(fds[0]);
		ht_measure_child(fds[1], &sv, cfg->time.query_timeout_ms);
	}
	close(fds[1]);
	if (ht_caps(keep, cause) == -1) {
		(void)kill(pid, SIGKILL);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	got = ht_read_all(fds[0], res, (size_t)n * sizeof res[0],
	    (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    cfg->time.query_timeout_ms + HT_MEASURE_MS);
	if (got == -1)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (got == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		xasprintf(cause, "the measurement failed (the unprivileged "
		    "child %s)", got == -1 ? "gave no complete answer in "
		    "time" : "did not finish cleanly");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (sntp_result_check(&res[i], sv.names[i], cause) == -1)
			goto out;
	}
	st = ht_choose(res, n, best, cause);
out:
	close(fds[0]);
	systime_servers_free(&sv);
	return (st);
}

/* The majority's server out of the answers, or a refusal saying why. */
static enum helper_status
ht_choose(const struct sntp_result *res, int n, struct sntp_result *best,
    char **cause)
{
	int	 i, answered;

	if ((answered = systime_answered(res, n)) == 0) {
		xasprintf(cause, "no NTP server answered (%d asked)", n);
		return (HELPER_FAILED);
	}
	if ((i = systime_best(res, n)) == -1) {
		xasprintf(cause, "no majority of the %d servers that answered "
		    "agree on the time; nothing was changed: check the "
		    "servers ('time show')", answered);
		return (HELPER_FAILED);
	}
	*best = res[i];
	return (HELPER_OK);
}

/*
 * Step by what the person confirmed (args: direction, nanoseconds, and
 * "force" over the cap), only when a majority of the servers still says
 * so now, within the tolerance.
 */
static enum helper_status
ht_sync(const struct verb *v, const char *const *args, char **cause)
{
	struct config		 cfg;
	struct sntp_result	 best;
	struct timespec		 ts;
	enum systime_service	 svc = systime_detect();
	enum helper_status	 st;
	char			 p[PATH_MAX];
	int64_t			 off, ns, confirmed;
	int			 dry = ht_dry_run();

	(void)v;
	if (ht_guard(cause) != HELPER_OK)
		return (HELPER_DENIED);
	if (systime_step_parse(args[0], args[1], &confirmed, cause) == -1)
		return (HELPER_INVALID);
	config_defaults(&cfg);
	if (paths_get(p, sizeof p, PATH_CONFIG) == 0)
		config_load(&cfg, p);
	/* Measured by a child with no power; we keep only CAP_SYS_TIME. */
	st = ht_measure(&cfg, !dry, &best, cause);
	if (st == HELPER_OK && (systime_step_confirmed(confirmed, &best,
	    cause) == -1 || systime_step_check(&cfg, best.offset_ns,
	    args[2] != NULL, cause) == -1))
		st = HELPER_FAILED;
	config_free(&cfg);
	if (st != HELPER_OK)
		return (st);
	off = best.offset_ns;
	printf("server %s\nstep_ns %lld\n", best.server, (long long)off);
	if (dry) {
		xasprintf(cause, "dry run: would step the clock by %+.6f s "
		    "(best server %s, through %s); the clock was not changed",
		    (double)off / 1e9, best.server, svc == SYSTIME_SVC_CHRONY ?
		    "chronyc makestep" : "clock_settime");
		return (HELPER_OK);
	}
	/*
	 * chronyd steps by its own measurement of the same servers, with
	 * its own selection of the true ones; ours has just agreed.
	 */
	if (svc == SYSTIME_SVC_CHRONY) {
		if ((st = ht_chronyc("makestep", NULL, cause)) != HELPER_OK)
			return (st);
		free(*cause);
		xasprintf(cause, "chronyd stepped the clock (measured "
		    "%+.6f s from %s)", (double)off / 1e9, best.server);
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
	    (double)off / 1e9, best.server);
	return (HELPER_OK);
}

static enum helper_status
ht_set(const struct verb *v, const char *const *args, char **cause)
{
	struct timespec	 now, ts;
	time_t		 t;
	char		 shown[32];
	int		 dry = ht_dry_run();

	(void)v;
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
ht_restart(const struct verb *v, const char *const *args, char **cause)
{
	enum systime_service	 svc = systime_detect();
	const char		*unit = systime_service_unit(svc);
	char			*argv[] = { HT_SYSTEMCTL, "restart",
	    (char *)unit, NULL };

	(void)v;
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
	return (helper_main(argc, argv, &systime_verbs, ht_fns));
}
