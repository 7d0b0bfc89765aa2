/* SPDX-License-Identifier: ISC */
/*
 * Module 200's CLI change path, shared with the prompt's ip: a face
 * function, so it is declared here, among the faces, and never in the
 * model's header.
 */
#ifndef NETWORK_CLI_H
#define NETWORK_CLI_H

#include "cmd.h"

/*
 * A change through the network helper as the CLI makes it (module 200's
 * and the prompt's ip): preview, the SSH warning, apply, report. verb is
 * a helper verb; args its arguments.
 */
enum cmd_retval	 network_cli_change(struct cmd_ctx *, const char *,
		     const char *const *);

#endif
