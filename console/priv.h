/* SPDX-License-Identifier: ISC */
/*
 * The console's side of privilege separation: run a privileged helper
 * (LIBEXECDIR/console-helper-NAME VERB ARGS) through "sudo -n" when we are
 * not root, directly when we are (lab, tests), and turn its exit code and
 * its one-line stderr into a result the caller can show.
 */
#ifndef PRIV_H
#define PRIV_H

#include "spawn.h"
#include "verb.h"

struct priv_result {
	int	 status;	/* enum helper_status, or -1 if it did not run */
	char	*message;	/* the helper's line, or the status sentence */
	char	*out;		/* the helper's stdout (data), may be NULL */
	size_t	 out_len;
};

/*
 * helper is the short name ("network"); verb and args are passed as they
 * are (the helper re-validates them). Returns 0 when the helper answered
 * HELPER_OK, -1 otherwise; res is filled in both cases.
 */
int	 priv_run(const char *, const char *, const char *const *, int,
	    struct priv_result *);
/* The same with input for the helper's stdin (a password: never argv). */
int	 priv_run_input(const char *, const char *, const char *const *,
	    const char *, int, struct priv_result *);
/*
 * The client stub of one row of a helper's table: the values (NULL absent,
 * verb_keep left as it is) encoded as the row says, then priv_run_input
 * with the domain's helper; input may be NULL.
 */
int	 priv_verb(const struct verb_domain *, int, const char *const *,
	    const char *, int, struct priv_result *);
void	 priv_result_free(struct priv_result *);
/*
 * While gate.who (the name of the command running, when it is not a
 * privileged one) is set, priv_run refuses with a sentence naming it and
 * an audit record; who NULL allows again. priv_gate sets it and gives the
 * previous gate (may be NULL) for the caller to restore.
 */
struct priv_gate {
	const char	*who;
	int		 readonly;	/* who changes nothing at all */
};
void	 priv_gate(const struct priv_gate *, struct priv_gate *);
/* Path of a helper for this root; -1 when the name is not a known helper. */
int	 priv_helper_path(const char *, char *, size_t);

#endif
