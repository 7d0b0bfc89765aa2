/* SPDX-License-Identifier: ISC */
/*
 * The prompt's `ip` grammar: typed words in, the argv we run out (or, for
 * a route change, the `network route` words to dispatch).
 */
#ifndef IP_H
#define IP_H

#define IP_ARGV_MAX	16

struct ip_argv {
	int	 argc;
	char	*argv[IP_ARGV_MAX + 1];
	int	 network;	/* argv is a `network route ...` command */
};

/* argv[0] is "ip". Returns 0, or -1 with *cause naming the bad word. */
int	 ip_parse(int, char **, struct ip_argv *, char **);
void	 ip_argv_free(struct ip_argv *);

#endif
