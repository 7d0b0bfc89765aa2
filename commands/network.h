/* SPDX-License-Identifier: ISC */
/*
 * Module 200's model: the live network state read in-process (netlink
 * dumps, /sys, the lease files, resolv.conf), with the configuration in
 * force and any change waiting for confirmation, as one JSON tree that the
 * CLI prints and the TUI renders as text.
 */
#ifndef NETWORK_H
#define NETWORK_H

#include <stdio.h>

#include <jansson.h>

#include "cmd.h"
#include "netconf.h"

/* The state, or NULL with *cause. The caller json_decref()s it. */
json_t	*network_collect(char **);
/*
 * The same without the routes, whose live data goes to *keep for
 * network_routes_dump (10,000 routes are too many for a JSON tree).
 */
json_t	*network_collect_with(struct netconf_live *, char **);
/* The routes as a JSON array, indented for nesting level level. */
void	 network_routes_dump(FILE *, const struct netconf_live *, int);
/* The state as text for the screen and the CLI; the caller frees it. */
char	*network_text(const json_t *);
/* Seconds left for the pending change, or -1 when there is none. */
int	 network_pending_left(void);
/*
 * The adapter an SSH session arrives on and the client's address, when
 * the session is over SSH: 0 and both filled, else -1.
 */
int	 network_ssh_iface(const struct netconf_live *, char *, size_t, char *,
	     size_t);

/*
 * A change through the network helper as the CLI makes it (module 200's
 * and the prompt's ip): preview, the SSH warning, apply, report. verb is
 * a helper verb; args its arguments.
 */
enum cmd_retval	 network_cli_change(struct cmd_ctx *, const char *,
		     const char *const *);

#endif
