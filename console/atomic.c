/* SPDX-License-Identifier: ISC */
/*
 * atomic_write_file: temp file in the same directory (O_EXCL, the final
 * mode from the start, so a secret is never readable by others even for a
 * moment), write, fsync, rename, fsync the directory.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "xmalloc.h"

int
atomic_write_file(const char *path, const void *data, size_t len, mode_t mode,
    char **cause)
{
	char		 tmp[PATH_MAX], dir[PATH_MAX], *slash;
	const char	*p = data;
	ssize_t		 n;
	int		 fd = -1, dfd = -1, r = -1, tries;

	*cause = NULL;
	if (xsnprintf(dir, sizeof dir, "%s", path) == -1 ||
	    (slash = strrchr(dir, '/')) == NULL) {
		xasprintf(cause, "%s: not an absolute path", path);
		return (-1);
	}
	*slash = '\0';
	if (dir[0] == '\0')
		xsnprintf(dir, sizeof dir, "/");
	for (tries = 0; tries < 8 && fd == -1; tries++) {
		if (xsnprintf(tmp, sizeof tmp, "%s.tmp.%ld.%d", path,
		    (long)getpid(), tries) == -1) {
			xasprintf(cause, "%s: path too long", path);
			return (-1);
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, mode);
		if (fd == -1 && errno != EEXIST) {
			xasprintf(cause, "cannot create %s: %s", tmp,
			    strerror(errno));
			return (-1);
		}
	}
	if (fd == -1) {
		xasprintf(cause, "cannot create a temporary file for %s", path);
		return (-1);
	}
	if (fchmod(fd, mode) == -1) {
		xasprintf(cause, "cannot set the mode of %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "cannot write %s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1) {
		xasprintf(cause, "cannot sync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		xasprintf(cause, "cannot close %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		xasprintf(cause, "cannot replace %s: %s", path,
		    strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(dfd) == -1) {
		xasprintf(cause, "cannot sync %s: %s", dir, strerror(errno));
		goto out;
	}
	r = 0;
out:
	if (fd != -1)
		close(fd);
	if (dfd != -1)
		close(dfd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return (r);
}
