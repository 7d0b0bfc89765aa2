/* SPDX-License-Identifier: ISC */
/*
 * The prompt's `ping HOST [COUNT]` and `resolve NAME`. ping's argv is a
 * fixed template (count 1..10, 2 s wait per reply, numeric output): no
 * flood, no pattern, no interface, no option the user can reach. resolve
 * asks the system resolver, which reads the resolv.conf module 200 writes.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "spawn.h"
#include "valid.h"
#include "xmalloc.h"

#define PING_PATH	"/bin/ping"
#define PING_MAX	10

static enum cmd_retval	 ping_cli(struct cmd_ctx *, int, char **);
static enum cmd_retval	 resolve_cli(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_ping_entry = {
	.name = "ping",
	.number = 0,
	.title = "Send ICMP echo requests to a host",
	.usage = "ping HOST [COUNT]",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = ping_cli
};

const struct cmd_entry cmd_resolve_entry = {
	.name = "resolve",
	.number = 0,
	.title = "Look a name up in DNS",
	.usage = "resolve NAME",
	.flags = CMD_READONLY,
	.tui = NULL,
	.cli = resolve_cli
};

/* A host: an address or an RFC 1123 name, never an option. */
static int
ping_valid_host(const char *s, char **cause)
{
	char	*why = NULL;

	if (valid_ip(s, NULL, NULL) == 0)
		return (0);
	if (valid_hostname(s, &why) == 0)
		return (0);
	xasprintf(cause, "'%s' is neither an address nor a host name: %s", s,
	    why);
	free(why);
	return (-1);
}

static enum cmd_retval
ping_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	long long		 count = 4;
	char			*cause = NULL, cnt[8];
	char			*pargv[] = { "ping", "-n", "-c", cnt, "-W", "2",
				     NULL, NULL };
	enum cmd_retval		 r;

	if (argc < 2 || argc > 3) {
		fprintf(ctx->err, "usage: %s\n", cmd_ping_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (ping_valid_host(argv[1], &cause) == -1 || (argc == 3 &&
	    valid_number(argv[2], 1, PING_MAX, &count, &cause) == -1)) {
		fprintf(ctx->err, "ping: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	(void)xsnprintf(cnt, sizeof cnt, "%lld", count);
	pargv[6] = argv[1];
	memset(&req, 0, sizeof req);
	req.path = PING_PATH;
	req.argv = pargv;
	req.timeout_ms = (int)(count * 2000 + 5000);
	if (spawn_run(&req, &res, &cause) == -1) {
		fprintf(ctx->err, "ping: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	if (res.out != NULL)
		fwrite(res.out, 1, res.out_len, ctx->out);
	if (res.err != NULL)
		fwrite(res.err, 1, res.err_len, ctx->err);
	r = res.exited && res.exit_code == 0 ? CMD_RETURN_OK :
	    CMD_RETURN_FAILED;
	spawn_result_free(&res);
	return (r);
}

static enum cmd_retval
resolve_cli(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct addrinfo		 hints, *ai, *p;
	char			*cause = NULL, buf[INET6_ADDRSTRLEN];
	const void		*a;
	int			 e, n = 0;

	if (argc != 2) {
		fprintf(ctx->err, "usage: %s\n", cmd_resolve_entry.usage);
		return (CMD_RETURN_ERROR);
	}
	if (valid_hostname(argv[1], &cause) == -1) {
		fprintf(ctx->err, "resolve: %s\n", cause);
		free(cause);
		return (CMD_RETURN_ERROR);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(argv[1], NULL, &hints, &ai)) != 0) {
		fprintf(ctx->err, "resolve: %s: %s\n", argv[1],
		    gai_strerror(e));
		return (CMD_RETURN_FAILED);
	}
	for (p = ai; p != NULL; p = p->ai_next) {
		a = p->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
		if (inet_ntop(p->ai_family, a, buf, sizeof buf) != NULL) {
			fprintf(ctx->out, "%s %s\n", argv[1], buf);
			n++;
		}
	}
	freeaddrinfo(ai);
	return (n > 0 ? CMD_RETURN_OK : CMD_RETURN_FAILED);
}
