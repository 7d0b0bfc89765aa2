/* SPDX-License-Identifier: ISC */
/*
 * Dropping root for good before a program reads anything from the
 * network (OpenSSH's privilege separation rule): the network-facing
 * testconn calls it first thing; the network helper starts the DHCP
 * client as the same account (unpriv_account).
 */
#ifndef UNPRIV_H
#define UNPRIV_H

#include <sys/types.h>

/*
 * ACCOUNT, or FALLBACK when ACCOUNT does not exist, with its uid and gid:
 * the name found, or NULL when neither is in /etc/passwd.
 */
const char *unpriv_account(const char *, const char *, uid_t *, gid_t *);

/*
 * When running as root (any of the real, effective or saved uids 0):
 * become ACCOUNT, or FALLBACK when ACCOUNT does not exist, with no
 * supplementary groups, no capabilities (bounding set emptied too) and
 * checked that root cannot be regained. Always sets no_new_privs.
 * 0 done, -1 with *cause: the caller must stop.
 */
int	 unpriv_drop(const char *, const char *, char **);

#endif
