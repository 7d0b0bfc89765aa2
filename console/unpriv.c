/* SPDX-License-Identifier: ISC */
/*
 * Dropping root for good. The order matters: the capability bounding set
 * is emptied while we still hold CAP_SETPCAP, the groups go before the
 * gid and the gid before the uid (a non-root process can change neither),
 * and every step is checked afterwards rather than trusted: setuid(0)
 * must fail, every uid and gid must be the account's, and the kernel must
 * report no capability left.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "unpriv.h"
#include "xmalloc.h"

static int	 unpriv_empty_bounding_set(void);
static int	 unpriv_check(uid_t, gid_t, char **);

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

int
unpriv_drop(const char *account, const char *fallback, char **cause)
{
	struct passwd	*pw;
	uid_t		 ru, eu, su;

	*cause = NULL;
	if (getresuid(&ru, &eu, &su) == -1) {
		xasprintf(cause, "getresuid: %s", strerror(errno));
		return (-1);
	}
	if (ru != 0 && eu != 0 && su != 0)
		goto nnp;
	if ((pw = getpwnam(account)) == NULL && (pw = getpwnam(fallback)) ==
	    NULL) {
		xasprintf(cause, "neither %s nor %s exists", account, fallback);
		return (-1);
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		xasprintf(cause, "%s is root", pw->pw_name);
		return (-1);
	}
	if (unpriv_empty_bounding_set() == -1 || setgroups(0, NULL) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		xasprintf(cause, "cannot become %s: %s", pw->pw_name,
		    strerror(errno));
		return (-1);
	}
	if (unpriv_check(pw->pw_uid, pw->pw_gid, cause) == -1)
		return (-1);
nnp:
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		xasprintf(cause, "no_new_privs: %s", strerror(errno));
		return (-1);
	}
	return (0);
}
