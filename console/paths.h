/* SPDX-License-Identifier: ISC */
/*
 * Every file the console owns lives under a system root, normally "/".
 * The lab and tests point it at a temporary tree with CONSOLE_ROOT; that seam
 * is honoured only when the real uid is 0 and the process was not started
 * through sudo, so an admin can never use it to swap the console's files.
 */
#ifndef PATHS_H
#define PATHS_H

#include <stddef.h>

#include "build-paths.h"	/* LIBEXECDIR, SYSCONFDIR from the Makefile */

#define PATH_CONFIG	"/etc/appliance-console/console.conf"
#define PATH_COMMANDS_D	"/etc/appliance-console/commands.d"
#define PATH_AUDIT_LOG	"/var/log/appliance-console/audit.log"
#define PATH_STATE_DIR	"/var/lib/appliance-console"

/* Read the seam from the environment; call once, before the scrub. */
void		 paths_init(void);
/*
 * The same for a program that holds nothing its caller does not: the DHCP
 * hook, which udhcpc runs as its own account with its own capabilities
 * (whoever can set the hook's environment can do what the hook does), so
 * the seam is honoured for any uid; never for a root through sudo.
 */
void		 paths_init_caller(void);
/* The system root in use ("" for the real one). */
const char	*paths_root(void);
/* root + path into buf; -1 when it does not fit. */
int		 paths_get(char *, size_t, const char *);

/*
 * The environment for a program of ours (testconn, a helper run directly
 * as root): spawn's default one, plus CONSOLE_ROOT when the seam is in
 * force, so that the child sees the same system root. Static storage.
 */
char *const	*paths_child_env(void);

#endif
