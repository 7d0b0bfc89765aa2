/* SPDX-License-Identifier: ISC */
/*
 * The grammars of the prompt's wrapped tools. A
 * grammar never passes a typed word on as an option: every option in the
 * argv it builds is one of its own literals, and every typed value has
 * been through its validator (an address, an interface name, a count in
 * range), none of which accepts a leading '-'. Anything not in the
 * grammar is refused with one sentence that names the word.
 */
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

/* ip's objects, their show-only options, and what is never allowed. */
static const char *const	 prompt_ip_objects[] = {
	"addr", "address", "link", "route", "neigh", "rule", NULL
};
static const char *const	 prompt_ip_never[] = {
	"netns", "vrf", "-batch", "-b", "-force", "monitor", "-netns", "-n",
	"exec", NULL
};

static int	 prompt_in(const char *, const char *const *);
static int	 prompt_refuse(char **, const char *);
static int	 prompt_field(char **, const char *, char *);
static void	 prompt_add(struct prompt_cmd *, const char *);
static char	*prompt_reject(struct prompt_cmd *, const char *, char **);
static int	 prompt_ip(int, char *const *, struct prompt_cmd *, char **);
static int	 prompt_ping(int, char *const *, struct prompt_cmd *, char **);
static int	 prompt_ip_write(int, char *const *, struct prompt_cmd *,
		     char **);

static int
prompt_in(const char *word, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(word, *list) == 0)
			return (1);
	}
	return (0);
}

/* A fixed sentence. */
static int
prompt_refuse(char **cause, const char *why)
{
	if (cause != NULL)
		xasprintf(cause, "%s", why);
	return (-1);
}

static void
prompt_add(struct prompt_cmd *pc, const char *word)
{
	if (pc->argc < PROMPT_ARGV_MAX)
		pc->argv[pc->argc++] = word;
	pc->argv[pc->argc] = NULL;
}

/* Empty the result; the word made safe to quote, or NULL with no cause. */
static char *
prompt_reject(struct prompt_cmd *pc, const char *word, char **cause)
{
	pc->argc = 0;
	pc->argv[0] = NULL;
	if (cause == NULL)
		return (NULL);
	return (text_sanitize(word, strlen(word)));
}

/* One validator's sentence, prefixed with the field it checked. */
static int
prompt_field(char **cause, const char *field, char *why)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s", field, why != NULL ? why :
		    "not valid");
	free(why);
	return (-1);
}

/*
 * ip route add|del PREFIX via ADDR [dev IFACE]: the network command's
 *	route change, which the helper applies and rolls back unless
 *	confirmed.
 * ip addr add|del CIDR dev IFACE, ip link set IFACE up|down|mtu N: verbs
 *	of the network helper (addr-add, addr-del, link-set, link-mtu), which
 *	take part in the same rollback.
 */
static int
prompt_ip_write(int argc, char *const *argv, struct prompt_cmd *pc,
    char **cause)
{
	const char	*obj = argv[0], *op = argc > 1 ? argv[1] : "";
	char		*why = NULL;
	long long	 mtu;

	if (strcmp(obj, "route") == 0) {
		if (argc != 5 && argc != 7)
			goto usage;
		if (strcmp(argv[3], "via") != 0 || (argc == 7 &&
		    strcmp(argv[5], "dev") != 0))
			goto usage;
		if (valid_cidr(argv[2], NULL, &why) == -1)
			return (prompt_field(cause, "ip route: prefix", why));
		if (valid_ip(argv[4], NULL, &why) == -1)
			return (prompt_field(cause, "ip route: via", why));
		if (argc == 7 && valid_ifname(argv[6], &why) == -1)
			return (prompt_field(cause, "ip route: dev", why));
		pc->kind = PROMPT_NETWORK;
		prompt_add(pc, "network");
		prompt_add(pc, "route");
		prompt_add(pc, op[0] == 'a' ? "add" : "del");
		prompt_add(pc, argv[2]);
		prompt_add(pc, "via");
		prompt_add(pc, argv[4]);
		if (argc == 7) {
			prompt_add(pc, "dev");
			prompt_add(pc, argv[6]);
		}
		return (0);
	}
	if (strcmp(obj, "addr") == 0 || strcmp(obj, "address") == 0) {
		if (argc != 5 || strcmp(argv[3], "dev") != 0)
			goto usage;
		if (valid_cidr(argv[2], NULL, &why) == -1)
			return (prompt_field(cause, "ip addr: address", why));
		if (valid_ifname(argv[4], &why) == -1)
			return (prompt_field(cause, "ip addr: dev", why));
		pc->kind = PROMPT_HELPER;
		prompt_add(pc, op[0] == 'a' ? "addr-add" : "addr-del");
		prompt_add(pc, argv[4]);
		prompt_add(pc, argv[2]);
		return (0);
	}
	/* link set IFACE up|down|mtu N */
	if (argc < 4 || (strcmp(argv[3], "mtu") == 0 ? argc != 5 : argc != 4))
		goto usage;
	if (valid_ifname(argv[2], &why) == -1)
		return (prompt_field(cause, "ip link: interface", why));
	pc->kind = PROMPT_HELPER;
	if (strcmp(argv[3], "up") == 0 || strcmp(argv[3], "down") == 0) {
		prompt_add(pc, "link-set");
		prompt_add(pc, argv[2]);
		prompt_add(pc, argv[3]);
		return (0);
	}
	if (strcmp(argv[3], "mtu") != 0)
		goto usage;
	if (valid_number(argv[4], 68, 65535, &mtu, &why) == -1)
		return (prompt_field(cause, "ip link: mtu", why));
	prompt_add(pc, "link-mtu");
	prompt_add(pc, argv[2]);
	prompt_add(pc, argv[4]);
	return (0);
usage:
	if (cause != NULL) {
		if (strcmp(obj, "route") == 0)
			xasprintf(cause, "usage: ip route add|del PREFIX via "
			    "ADDR [dev IFACE]");
		else if (strcmp(obj, "link") == 0)
			xasprintf(cause, "usage: ip link set IFACE up|down|mtu "
			    "N");
		else
			xasprintf(cause, "usage: ip addr add|del ADDR/PREFIX "
			    "dev IFACE");
	}
	return (-1);
}

static int
prompt_ip(int argc, char *const *argv, struct prompt_cmd *pc, char **cause)
{
	const char	*fam = NULL, *obj = NULL;
	char		*safe, *why = NULL;
	int		 i, br = 0, json = 0;

	pc->kind = PROMPT_RUN;
	pc->argc = 0;
	pc->argv[0] = NULL;
	if (cause != NULL)
		*cause = NULL;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((strcmp(argv[i], "-4") == 0 || strcmp(argv[i], "-6") ==
		    0) && fam == NULL)
			fam = argv[i];
		else if ((strcmp(argv[i], "-br") == 0 ||
		    strcmp(argv[i], "-brief") == 0) && !br)
			br = 1;
		else if ((strcmp(argv[i], "-j") == 0 ||
		    strcmp(argv[i], "-json") == 0) && !json)
			json = 1;
		else
			goto bad_word;
	}
	if (i >= argc)
		return (prompt_refuse(cause, "usage: ip [-4|-6] [-br] "
		    "[-j] addr|link|route|neigh|rule [show] [dev IFACE]"));
	if (!prompt_in(argv[i], prompt_ip_objects))
		goto bad_word;
	obj = argv[i++];

	/* The writes: no display options with them. */
	if (i < argc && ((strcmp(argv[i], "add") == 0 ||
	    strcmp(argv[i], "del") == 0) ? strcmp(obj, "route") == 0 ||
	    strcmp(obj, "addr") == 0 || strcmp(obj, "address") == 0 :
	    strcmp(argv[i], "set") == 0 && strcmp(obj, "link") == 0)) {
		if (fam != NULL || br || json)
			return (prompt_refuse(cause, "ip: -4, -6, -br "
			    "and -j are for showing, not for changes"));
		return (prompt_ip_write(argc - (i - 1), argv + (i - 1), pc,
		    cause));
	}

	prompt_add(pc, "ip");
	if (fam != NULL)
		prompt_add(pc, fam);
	if (br) {
		if (strcmp(obj, "route") == 0 || strcmp(obj, "rule") == 0)
			return (prompt_refuse(cause, "ip: -br is only "
			    "for addr, link and neigh"));
		prompt_add(pc, "-br");
	}
	if (json)
		prompt_add(pc, "-j");
	prompt_add(pc, strcmp(obj, "address") == 0 ? "addr" : obj);
	prompt_add(pc, "show");
	if (i < argc && (strcmp(argv[i], "show") == 0 ||
	    strcmp(argv[i], "list") == 0))
		i++;
	if (i < argc && strcmp(argv[i], "dev") == 0) {
		if (strcmp(obj, "rule") == 0)
			goto bad_word;
		if (i + 1 >= argc)
			return (prompt_refuse(cause, "ip: dev needs an "
			    "interface name"));
		if (valid_ifname(argv[i + 1], &why) == -1)
			return (prompt_field(cause, "ip: dev", why));
		prompt_add(pc, "dev");
		prompt_add(pc, argv[i + 1]);
		i += 2;
	}
	if (i < argc)
		goto bad_word;
	return (0);

bad_word:
	if ((safe = prompt_reject(pc, argv[i], cause)) == NULL)
		return (-1);
	if (prompt_in(argv[i], prompt_ip_never))
		xasprintf(cause, "ip: '%s' is never allowed on this console",
		    safe);
	else if (argv[i][0] == '-')
		xasprintf(cause, "ip: option '%s' is not allowed here; "
		    "allowed: -4 or -6, -br, -j (each once)", safe);
	else if (obj == NULL)
		xasprintf(cause, "ip: '%s' is not allowed: use addr, link, "
		    "route, neigh or rule", safe);
	else
		xasprintf(cause, "ip: '%s' is not allowed here: after %s "
		    "only [show] [dev IFACE]%s", safe, obj,
		    strcmp(obj, "route") == 0 ? ", or add|del" :
		    strcmp(obj, "link") == 0 ? ", or set" :
		    strcmp(obj, "rule") == 0 || strcmp(obj, "neigh") == 0 ?
		    "" : ", or add|del");
	free(safe);
	return (-1);
}

/* A refused line leaves an empty result, whichever way it was refused. */
int
prompt_ip_parse(int argc, char *const *argv, struct prompt_cmd *pc,
    char **cause)
{
	if (prompt_ip(argc, argv, pc, cause) == 0)
		return (0);
	pc->argc = 0;
	pc->argv[0] = NULL;
	return (-1);
}

int
prompt_ping_parse(int argc, char *const *argv, struct prompt_cmd *pc,
    char **cause)
{
	if (prompt_ping(argc, argv, pc, cause) == 0)
		return (0);
	pc->argc = 0;
	pc->argv[0] = NULL;
	return (-1);
}

static int
prompt_ping(int argc, char *const *argv, struct prompt_cmd *pc, char **cause)
{
	static const char	*counts[] = { "0", "1", "2", "3", "4", "5", "6",
	    "7", "8", "9", "10" };
	const char		*fam = NULL, *count = counts[PROMPT_PING_COUNT];
	char			*safe, *why = NULL;
	long long		 n;
	int			 i, seen_c = 0;

	pc->kind = PROMPT_RUN;
	pc->argc = 0;
	pc->argv[0] = NULL;
	if (cause != NULL)
		*cause = NULL;
	for (i = 1; i < argc - 1 && argv[i][0] == '-'; i++) {
		if ((strcmp(argv[i], "-4") == 0 || strcmp(argv[i], "-6") ==
		    0) && fam == NULL)
			fam = argv[i];
		else if (strcmp(argv[i], "-c") == 0 && !seen_c &&
		    i + 2 < argc) {
			if (valid_number(argv[i + 1], 1, PROMPT_PING_MAX, &n,
			    &why) == -1)
				return (prompt_field(cause, "ping: count", why));
			count = counts[n];
			seen_c = 1;
			i++;
		} else
			goto bad_word;
	}
	if (i != argc - 1) {
		if (i < argc)
			goto bad_word;
		return (prompt_refuse(cause, "usage: ping [-4|-6] "
		    "[-c N] HOST (N from 1 to 10)"));
	}
	if (valid_ip(argv[i], NULL, NULL) == -1 &&
	    valid_hostname(argv[i], &why) == -1) {
		if (argv[i][0] == '-') {
			free(why);
			goto bad_word;
		}
		return (prompt_field(cause, "ping: host", why));
	}
	free(why);
	prompt_add(pc, "ping");
	if (fam != NULL)
		prompt_add(pc, fam);
	prompt_add(pc, "-c");
	prompt_add(pc, count);
	prompt_add(pc, "-W");
	prompt_add(pc, "2");
	prompt_add(pc, argv[i]);
	return (0);

bad_word:
	if ((safe = prompt_reject(pc, argv[i], cause)) == NULL)
		return (-1);
	xasprintf(cause, "ping: '%s' is not allowed here; allowed: -4 or -6, "
	    "-c N (1 to 10), then one host", safe);
	free(safe);
	return (-1);
}
