/* SPDX-License-Identifier: ISC */
/*
 * Dropping root for good. The order matters: the capability bounding set
 * is emptied while we still hold CAP_SETPCAP, the groups go before the
 * gid and the gid before the uid (a non-root process can change neither),
 * and every step is checked afterwards rather than trusted: setuid(0)
 * must fail, every uid and gid must be the account's, and the kernel must
 * report no capability left. The account is looked up in /etc/passwd
 * itself (a system account is always local): getpwnam would go on to
 * the NSS modules of nsswitch.conf for a name files does not have
 * (Debian's "files systemd" loads libnss_systemd and asks systemd over a
 * socket: about 1 MB resident and a few ms, as root).
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unpriv.h"
#include "xmalloc.h"

static int	 unpriv_lookup(const char *, uid_t *, gid_t *);
static int	 unpriv_empty_bounding_set(void);
static int	 unpriv_check(uid_t, gid_t, char **);

/* The uid and gid of a local account; -1 when /etc/passwd has none. */
static int
unpriv_lookup(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;
	FILE		*f;
	int		 r = -1;

	if ((f = fopen("/etc/passwd", "re")) == NULL)
		return (-1);
	while ((pw = fgetpwent(f)) != NULL) {
		if (strcmp(pw->pw_name, name) == 0) {
			*uid = pw->pw_uid;
			*gid = pw->pw_gid;
			r = 0;
			break;
		}
	}
	fclose(f);
	return (r);
}

static int
unpriv_empty_bounding_set(void)
{
	int	 c;

	for (c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++) {
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1)
			return (-1);
	}
	return (0);
}

/* Is the process exactly uid/gid, with no group and no capability? */
static int
unpriv_check(uid_t uid, gid_t gid, char **cause)
{
	struct __user_cap_header_struct	 hdr;
	struct __user_cap_data_struct	 data[2];
	uid_t				 ru, eu, su;
	gid_t				 rg, eg, sg;

	if (setuid(0) != -1 || seteuid(0) != -1) {
		*cause = xstrdup("root could be regained");
		return (-1);
	}
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) ==
	    -1 || ru != uid || eu != uid || su != uid || rg != gid ||
	    eg != gid || sg != gid || getgroups(0, NULL) != 0) {
		*cause = xstrdup("the user and group ids did not all change");
		return (-1);
	}
	memset(&hdr, 0, sizeof hdr);
	memset(data, 0, sizeof data);
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1 || data[0].effective ||
	    data[0].permitted || data[0].inheritable || data[1].effective ||
	    data[1].permitted || data[1].inheritable) {
		*cause = xstrdup("capabilities are left");
		return (-1);
	}
	return (0);
}

const char *
unpriv_account(const char *account, const char *fallback, uid_t *uid,
    gid_t *gid)
{
	if (unpriv_lookup(account, uid, gid) == 0)
		return (account);
	if (unpriv_lookup(fallback, uid, gid) == 0)
		return (fallback);
	return (NULL);
}

int
unpriv_drop(const char *account, const char *fallback, char **cause)
{
	const char	*name;
	uid_t		 ru, eu, su, uid;
	gid_t		 gid;

	*cause = NULL;
	if (getresuid(&ru, &eu, &su) == -1) {
		xasprintf(cause, "getresuid: %s", strerror(errno));
		return (-1);
	}
	if (ru != 0 && eu != 0 && su != 0)
		goto nnp;
	if ((name = unpriv_account(account, fallback, &uid, &gid)) == NULL) {
		xasprintf(cause, "neither %s nor %s is in /etc/passwd",
		    account, fallback);
		return (-1);
	}
	if (uid == 0 || gid == 0) {
		xasprintf(cause, "%s is root", name);
		return (-1);
	}
	if (unpriv_empty_bounding_set() == -1 || setgroups(0, NULL) == -1 ||
	    setresgid(gid, gid, gid) == -1 || setresuid(uid, uid, uid) == -1) {
		xasprintf(cause, "cannot become %s: %s", name,
		    strerror(errno));
		return (-1);
	}
	if (unpriv_check(uid, gid, cause) == -1)
		return (-1);
nnp:
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		xasprintf(cause, "no_new_privs: %s", strerror(errno));
		return (-1);
	}
	return (0);
}
