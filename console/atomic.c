/* SPDX-License-Identifier: ISC */
/*
 * Atomic replacement of a file (see atomic.h). The temporary name carries
 * the pid so that two writers never share one; a failed write removes it,
 * and a writer killed before its rename leaves it behind, so each save
 * first removes the temporaries of this file whose writer is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "xmalloc.h"

static int	 atomic_sync_dir(const char *, char **);
static void	 atomic_sweep(const char *);
static int	 atomic_mkdir_one(const char *, mode_t, char **);

static int
atomic_sync_dir(const char *path, char **cause)
{
	char	 copy[PATH_MAX];
	int	 fd, r = 0;

	if (xsnprintf(copy, sizeof copy, "%s", path) == -1) {
		xasprintf(cause, "path too long: %s", path);
		return (-1);
	}
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		xasprintf(cause, "cannot open the directory of %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fsync(fd) == -1) {
		xasprintf(cause, "cannot sync the directory of %s: %s", path,
		    strerror(errno));
		r = -1;
	}
	close(fd);
	return (r);
}

int
atomic_rename(const char *from, const char *to, char **cause)
{
	if (rename(from, to) == -1) {
		xasprintf(cause, "cannot rename %s to %s: %s", from, to,
		    strerror(errno));
		return (-1);
	}
	return (atomic_sync_dir(to, cause));
}

/* Remove PATH.tmp.PID files whose writer no longer runs. */
static void
atomic_sweep(const char *path)
{
	char		 copy[PATH_MAX], base[NAME_MAX + 1], stale[PATH_MAX];
	const char	*d;
	struct dirent	*de;
	DIR		*dp;
	size_t		 blen;
	char		*end;
	long		 pid;

	if (xsnprintf(copy, sizeof copy, "%s", path) == -1 ||
	    xsnprintf(base, sizeof base, "%s.tmp.", basename(copy)) == -1)
		return;
	blen = strlen(base);
	d = dirname(copy);
	if ((dp = opendir(d)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strncmp(de->d_name, base, blen) != 0 ||
		    de->d_name[blen] < '1' || de->d_name[blen] > '9')
			continue;
		pid = strtol(de->d_name + blen, &end, 10);
		if (*end != '\0' || pid <= 0 || pid > INT32_MAX ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH &&
		    xsnprintf(stale, sizeof stale, "%s/%s", d,
		    de->d_name) != -1)
			(void)unlink(stale);
	}
	closedir(dp);
}

int
atomic_write_file(const char *path, const void *data, size_t len,
    mode_t mode, char **cause)
{
	char		 tmp[PATH_MAX];
	const char	*p = data;
	ssize_t		 n;
	int		 fd = -1, r = -1;

	if (xsnprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) ==
	    -1) {
		xasprintf(cause, "path too long: %s", path);
		return (-1);
	}
	atomic_sweep(path);
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		xasprintf(cause, "cannot create %s: %s", tmp, strerror(errno));
		return (-1);
	}
	/* The umask must not narrow or widen what the caller asked for. */
	if (fchmod(fd, mode) == -1)
		goto fail;
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (atomic_rename(tmp, path, cause) == -1)
		goto out;
	return (0);
fail:
	xasprintf(cause, "cannot write %s: %s", tmp, strerror(errno));
out:
	if (fd != -1)
		close(fd);
	(void)unlink(tmp);
	return (r);
}

/* One directory with exactly mode; EEXIST is not an error. */
static int
atomic_mkdir_one(const char *dir, mode_t mode, char **cause)
{
	if (mkdir(dir, mode) == -1) {
		if (errno == EEXIST)
			return (0);
		if (cause != NULL)
			xasprintf(cause, "cannot create the directory %s: %s",
			    dir, strerror(errno));
		return (-1);
	}
	/* mkdir applied the umask: set the mode we were asked for. */
	if (chmod(dir, mode) == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot set the mode of %s: %s", dir,
			    strerror(errno));
		return (-1);
	}
	return (0);
}

int
atomic_mkdirs(const char *dir, mode_t mode, char **cause)
{
	char	 p[PATH_MAX], *s;

	if (xsnprintf(p, sizeof p, "%s", dir) == -1) {
		if (cause != NULL)
			xasprintf(cause, "path too long: %s", dir);
		return (-1);
	}
	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (atomic_mkdir_one(p, mode, cause) == -1)
			return (-1);
		*s = '/';
	}
	return (atomic_mkdir_one(p, mode, cause));
}

int
atomic_mkdirs_for(const char *path, mode_t mode, char **cause)
{
	char	 copy[PATH_MAX];

	if (xsnprintf(copy, sizeof copy, "%s", path) == -1) {
		if (cause != NULL)
			xasprintf(cause, "path too long: %s", path);
		return (-1);
	}
	return (atomic_mkdirs(dirname(copy), mode, cause));
}
