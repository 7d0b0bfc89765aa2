/* SPDX-License-Identifier: ISC */
/*
 * The helpers' exit statuses and their sentences, shared by the frame
 * (helper.c, root side) and the console's side (priv.c). Apart from the
 * frame so that the console, which only maps statuses, does not link the
 * frame and the chained trail it writes (libcrypto).
 */
#include <stddef.h>

#include "helper.h"

static const char *const helper_messages[] = {
	[HELPER_OK] = "the request was carried out",
	[HELPER_USAGE] = "the privileged helper was called with an unknown "
	    "verb or the wrong number of arguments",
	[HELPER_INVALID] = "the privileged helper refused an argument",
	[HELPER_DENIED] = "the privileged helper is not allowed to do this",
	[HELPER_FAILED] = "the system refused the change",
	[HELPER_BUSY] = "another change is in progress; try again in a moment",
	[HELPER_TIMEOUT] = "the privileged helper did not finish in time",
	[HELPER_INTERNAL] = "the privileged helper failed unexpectedly",
};
_Static_assert(sizeof helper_messages / sizeof helper_messages[0] ==
    HELPER_STATUS_MAX, "every helper status needs a message");

const char *
helper_status_message(int status)
{
	if (status == -1)
		return ("the privileged helper could not be run");
	if (!helper_status_valid(status))
		return ("the privileged helper gave an unknown answer");
	return (helper_messages[status]);
}

int
helper_status_valid(int status)
{
	return (status >= 0 && status < HELPER_STATUS_MAX &&
	    helper_messages[status] != NULL);
}
