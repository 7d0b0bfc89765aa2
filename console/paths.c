/* SPDX-License-Identifier: ISC */
/*
 * The system root seam. Tests and the lab run the console against a
 * temporary tree; in production the root is "/" and nobody but a real root
 * login can change that.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

static char	 paths_root_dir[PATH_MAX] = "";

static void	 paths_set(void);

void
paths_init(void)
{
	paths_root_dir[0] = '\0';
	/*
	 * Only a real root that did not come through sudo: an admin running
	 * "sudo -n helper" or the console itself must never choose the root.
	 */
	if (getuid() != 0 || geteuid() != 0 || getenv("SUDO_UID") != NULL)
		return;
	paths_set();
}

void
paths_init_caller(void)
{
	paths_root_dir[0] = '\0';
	if ((getuid() == 0 || geteuid() == 0) && getenv("SUDO_UID") != NULL)
		return;
	paths_set();
}

static void
paths_set(void)
{
	const char	*root;

	if ((root = getenv("CONSOLE_ROOT")) == NULL || *root != '/')
		return;
	if (strcmp(root, "/") == 0)
		return;
	if (xsnprintf(paths_root_dir, sizeof paths_root_dir, "%s", root) == -1)
		paths_root_dir[0] = '\0';
	/* Strip trailing slashes so root + "/etc" has one. */
	while (strlen(paths_root_dir) > 1 &&
	    paths_root_dir[strlen(paths_root_dir) - 1] == '/')
		paths_root_dir[strlen(paths_root_dir) - 1] = '\0';
}

const char *
paths_root(void)
{
	return (paths_root_dir);
}

int
paths_get(char *buf, size_t len, const char *path)
{
	if (xsnprintf(buf, len, "%s%s", paths_root_dir, path) == -1)
		return (-1);
	return (0);
}

char *const *
paths_child_env(void)
{
	static char	 root_var[PATH_MAX + 16];
	static char	*env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
			    "LANG=C", NULL, NULL };

	env[2] = NULL;
	if (paths_root_dir[0] != '\0' && xsnprintf(root_var, sizeof root_var,
	    "CONSOLE_ROOT=%s", paths_root_dir) != -1)
		env[2] = root_var;
	return (env);
}
