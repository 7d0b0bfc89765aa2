/* SPDX-License-Identifier: ISC */
/*
 * resolve: a name looked up through the configured resolvers (the C
 * library's getaddrinfo, which reads resolv.conf and nsswitch), every
 * address printed once.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "text.h"
#include "tool.h"
#include "valid.h"

static enum cmd_retval	 resolve_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_resolve_entry = {
	.name = "resolve",
	.number = 0,
	.title = "Look a name up in DNS",
	.usage = "resolve NAME",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = resolve_cli,
	.help = "Prints the IPv4 and IPv6 addresses of NAME as the configured\n"
	    "resolvers give them. Exit status 2 when the name has none.\n"
	    "Examples:\n  resolve example.com\n"
};

static enum cmd_retval
resolve_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct addrinfo	 hints, *res = NULL, *ai, *prev;
	char		 host[NI_MAXHOST], *cause = NULL;
	int		 r, n = 0;

	if (argc != 2)
		return (cmd_usage_error(ctx, &cmd_resolve_entry));
	if (valid_hostname(argv[1], &cause) == -1) {
		(void)cmd_refuse(ctx, "name: %s", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	if ((r = getaddrinfo(argv[1], NULL, &hints, &res)) != 0) {
		(void)cmd_fail(ctx, "%s: %s", argv[1],
		    gai_strerror(r));
		return (CMD_RETURN_FAILED);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		/* One line per address, not per socket type. */
		for (prev = res; prev != ai; prev = prev->ai_next) {
			if (prev->ai_addrlen == ai->ai_addrlen &&
			    memcmp(prev->ai_addr, ai->ai_addr,
			    ai->ai_addrlen) == 0)
				break;
		}
		if (prev != ai || getnameinfo(ai->ai_addr, ai->ai_addrlen,
		    host, sizeof host, NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		fprintf(ctx->out, "%s has %s address %s\n", argv[1],
		    ai->ai_family == AF_INET6 ? "IPv6" : "IPv4", host);
		n++;
	}
	freeaddrinfo(res);
	return (n > 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}
