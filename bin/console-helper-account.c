/* SPDX-License-Identifier: ISC */
/*
 * console-helper-account: what the console needs to know about its own
 * user's account and cannot read itself (the shadow file and
 * pam_faillock's tallies are root's), and the one change it may make
 * there. Always the calling user, from sudo's SUDO_UID (the real uid when
 * run directly), never a name from the caller.
 *
 *   console-helper-account status          the report line on stdout
 *   console-helper-account login           the same, then this login is
 *                                          the last one the next counts from
 *   console-helper-account faillock-reset  clear the SSH lock, only from a
 *                                          local console (login's child)
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <shadow.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "atomic.h"
#include "audit.h"
#include "helper.h"
#include "paths.h"
#include "spawn.h"
#include "valid.h"
#include "xmalloc.h"

#define HA_TALLY_MAX	(64 * 1024)	/* 1024 records: far past deny */
#define HA_FAILLOCK	"/usr/sbin/faillock"
#define HA_CONSOLE	"appliance-console"
#define HA_DEPTH	6		/* helper, sudo, console, login: room */

static enum helper_status ha_status(const struct verb *,
			    const char *const *, char **);
static enum helper_status ha_login(const struct verb *,
			    const char *const *, char **);
static enum helper_status ha_reset(const struct verb *,
			    const char *const *, char **);
static enum helper_status ha_report(int, char **);
static enum account_password ha_password(const char *);
static int	 ha_tally(const char *, int64_t, struct account_status *);
static int64_t	 ha_seen(const char *, int);
static int	 ha_proc(pid_t, pid_t *, uid_t *, char *, size_t);
static int	 ha_local(char **);
static int	 ha_valid_name(const char *);

static const helper_fn ha_fns[] = {
	[ACCOUNT_V_STATUS] = ha_status,
	[ACCOUNT_V_LOGIN] = ha_login,
	[ACCOUNT_V_FAILLOCK_RESET] = ha_reset,
};
_Static_assert(sizeof ha_fns / sizeof ha_fns[0] == ACCOUNT_V_COUNT,
    "a function per account verb");

/* The calling user, read before helper_main clears the environment. */
static uid_t	 ha_uid;
static char	 ha_name[64];

/* A name as useradd makes them: it becomes a file name and an argument. */
static int
ha_valid_name(const char *s)
{
	size_t	 len = strlen(s);

	return (len > 0 && len <= 32 && s[0] != '-' && s[0] != '.' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-.") == len);
}

/* The shadow entry's state: locked first (no password can log in). */
static enum account_password
ha_password(const char *name)
{
	struct spwd	*sp;
	long		 today;

	if ((sp = getspnam(name)) == NULL)
		return (ACCOUNT_PW_NONE);
	if (sp->sp_pwdp == NULL || sp->sp_pwdp[0] == '!' ||
	    sp->sp_pwdp[0] == '*' || sp->sp_pwdp[0] == '\0')
		return (ACCOUNT_PW_LOCKED);
	/* chage -d 0, or past the maximum age: what pam_unix calls expired. */
	if (sp->sp_lstchg == 0)
		return (ACCOUNT_PW_EXPIRED);
	today = (long)(time(NULL) / 86400);
	if (sp->sp_lstchg > 0 && sp->sp_max >= 0 && sp->sp_max < 99999 &&
	    today > sp->sp_lstchg + sp->sp_max)
		return (ACCOUNT_PW_EXPIRED);
	return (ACCOUNT_PW_OK);
}

/* The user's faillock tally: failures after since, and the lock. */
static int
ha_tally(const char *name, int64_t since, struct account_status *st)
{
	char		 path[PATH_MAX], tally[PATH_MAX];
	unsigned char	*buf;
	struct stat	 sb;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	if (xsnprintf(tally, sizeof tally, "%s/%s", ACCOUNT_TALLY_DIR,
	    name) == -1 || paths_get(path, sizeof path, tally) == -1)
		return (-1);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return (-1);
	}
	buf = xmalloc(HA_TALLY_MAX);
	while (len < HA_TALLY_MAX) {
		n = read(fd, buf + len, HA_TALLY_MAX - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	account_tally_scan(buf, len, since, (int64_t)time(NULL), st);
	free(buf);
	return (0);
}

/*
 * When the user last logged in to the menu (0: never), and with mark,
 * now is stored as the new last login (atomically, root only).
 */
static int64_t
ha_seen(const char *name, int mark)
{
	char		 rel[PATH_MAX], path[PATH_MAX], buf[32], *cause = NULL;
	long long	 v = 0;
	ssize_t		 n;
	int		 fd;

	if (xsnprintf(rel, sizeof rel, "%s/%s", ACCOUNT_SEEN_DIR, name) == -1 ||
	    paths_get(path, sizeof path, rel) == -1)
		return (0);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			if (valid_number(buf, 0, INT64_MAX / 2, &v, NULL) == -1)
				v = 0;
		}
	}
	if (mark) {
		n = xsnprintf(buf, sizeof buf, "%lld\n", (long long)time(NULL));
		if (n == -1 || atomic_mkdirs_for(path, 0700, &cause) == -1 ||
		    atomic_write_file(path, buf, (size_t)n, 0600, &cause) == -1)
			free(cause);
	}
	return ((int64_t)v);
}

static enum helper_status
ha_report(int mark, char **cause)
{
	struct account_status	 st;
	char			 line[128];

	memset(&st, 0, sizeof st);
	st.password = ha_password(ha_name);
	if (ha_tally(ha_name, ha_seen(ha_name, mark), &st) == -1) {
		xasprintf(cause, "cannot read the login failures of %s",
		    ha_name);
		return (HELPER_FAILED);
	}
	if (account_status_format(&st, line, sizeof line) == -1)
		return (HELPER_INTERNAL);
	printf("%s\n", line);
	*cause = xstrdup(line);
	return (HELPER_OK);
}

static enum helper_status
ha_status(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	return (ha_report(0, cause));
}

static enum helper_status
ha_login(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	return (ha_report(1, cause));
}

/* A process's parent, real uid and executable (its link's target). */
static int
ha_proc(pid_t pid, pid_t *ppid, uid_t *uid, char *exe, size_t len)
{
	char		 path[64], buf[4096], *p;
	long long	 v;
	ssize_t		 n;
	FILE		*f;
	int		 found = 0;

	*ppid = 0;
	xsnprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(buf, sizeof buf, f) != NULL) {
		if (strncmp(buf, "PPid:", 5) == 0 &&
		    sscanf(buf + 5, "%lld", &v) == 1) {
			*ppid = (pid_t)v;
			found |= 1;
		} else if (strncmp(buf, "Uid:", 4) == 0 &&
		    sscanf(buf + 4, "%lld", &v) == 1) {
			*uid = (uid_t)v;
			found |= 2;
		}
	}
	fclose(f);
	xsnprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	if ((n = readlink(path, exe, len - 1)) == -1)
		return (-1);
	exe[n] = '\0';
	/* A program replaced since it started: " (deleted)". */
	if ((p = strstr(exe, " (deleted)")) != NULL)
		*p = '\0';
	return (found == 3 ? 0 : -1);
}

/*
 * Local: the console that asked (the nearest appliance-console above us,
 * run by the caller) was started by login(1), as agetty on a serial line
 * and a virtual console start it, and not by sshd. Read from /proc, which
 * the caller cannot bend; its terminal's name or environment could be.
 */
static int
ha_local(char **cause)
{
	char		 exe[PATH_MAX];
	const char	*base;
	pid_t		 pid = getppid(), ppid;
	uid_t		 uid = (uid_t)-1;
	int		 depth;

	for (depth = 0; depth < HA_DEPTH && pid > 1; depth++) {
		if (ha_proc(pid, &ppid, &uid, exe, sizeof exe) == -1)
			break;
		base = strrchr(exe, '/') != NULL ? strrchr(exe, '/') + 1 : exe;
		if (strcmp(base, HA_CONSOLE) == 0 && uid == ha_uid) {
			if (ha_proc(ppid, &pid, &uid, exe, sizeof exe) == 0 &&
			    (strcmp(exe, "/usr/bin/login") == 0 ||
			    strcmp(exe, "/bin/login") == 0))
				return (0);
			*cause = xstrdup("the SSH lock can be cleared only "
			    "from the serial or hypervisor console");
			return (-1);
		}
		pid = ppid;
	}
	*cause = xstrdup("the SSH lock can be cleared only from the console "
	    "of a local login");
	return (-1);
}

static enum helper_status
ha_reset(const struct verb *v, const char *const *args, char **cause)
{
	struct account_status	 st;
	char			*argv[] = { "faillock", "--user", ha_name,
	    "--reset", NULL };
	int			 before;

	(void)v;
	(void)args;
	if (ha_uid != getuid() && ha_local(cause) == -1) {
		audit_logf("refused", "account: faillock-reset: %s", *cause);
		return (HELPER_DENIED);
	}
	memset(&st, 0, sizeof st);
	(void)ha_tally(ha_name, 0, &st);
	before = st.failures;
	if (spawn_simple(&(struct spawn_req){ .path = HA_FAILLOCK,
	    .argv = argv, .timeout_ms = 10000 }, NULL, cause) == -1) {
		audit_logf("failed", "account: faillock-reset: %s", *cause);
		return (HELPER_FAILED);
	}
	audit_logf("ok", "account: SSH login failures of %s cleared (%d)",
	    ha_name, before);
	xasprintf(cause, "SSH login failures cleared (%d)", before);
	return (HELPER_OK);
}

int
main(int argc, char **argv)
{
	struct passwd	*pw;
	const char	*s;
	long long	 v;

	paths_init();
	audit_init();
	/* Who asked: sudo's word for it, else our own real uid. */
	ha_uid = getuid();
	if ((s = getenv("SUDO_UID")) != NULL && ha_uid == 0) {
		if (valid_number(s, 0, 0x7fffffff, &v, NULL) == -1) {
			fprintf(stderr, "SUDO_UID is not a user id\n");
			return (HELPER_DENIED);
		}
		ha_uid = (uid_t)v;
	}
	if ((pw = getpwuid(ha_uid)) == NULL || xsnprintf(ha_name,
	    sizeof ha_name, "%s", pw->pw_name) == -1 ||
	    !ha_valid_name(ha_name)) {
		fprintf(stderr, "the calling user has no usable name\n");
		return (HELPER_DENIED);
	}
	return (helper_main(argc, argv, &account_verbs, ha_fns));
}
