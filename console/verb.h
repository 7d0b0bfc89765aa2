/* SPDX-License-Identifier: ISC */
/*
 * The contract of a privileged helper's verbs, written once: each helper
 * domain (network, firewall, time, proxy) has one table of rows, a name
 * and its typed arguments. The console's client stub encodes values with
 * the row (priv_verb), the helper's frame decodes and re-validates them
 * with the same row (helper_main), and a unit test holds the tables
 * against the helpers' man pages.
 *
 * The wire: a required argument is its value. An optional argument is
 * "=VALUE", or "=" when absent; one that may also be left as it is takes
 * the word "keep" too. A value is never bare where absence is possible,
 * so no value can be mistaken for absence (a search domain "none").
 * In C a value is a string, NULL when absent and verb_keep when left.
 */
#ifndef VERB_H
#define VERB_H

#include <stddef.h>

#define VERB_MAX_ARGS	8
#define VERB_WORD_MAX	512	/* bytes in one word on the wire */

#define VERB_OPTIONAL	0x1	/* may be absent (NULL) */
#define VERB_KEEP	0x2	/* may be left as it is (verb_keep) */
#define VERB_LIST	0x4	/* comma-separated values of the type */

/* A kind of value and its validator: 0, or -1 with *cause. */
struct verb_type {
	const char	*name;
	int		(*valid)(const char *, char **);
};

struct verb_arg {
	const char		*name;		/* what messages call it */
	const struct verb_type	*type;
	int			 flags;
};

struct verb {
	const char		*name;
	int			 nargs;
	struct verb_arg		 args[VERB_MAX_ARGS];
};

/* One helper's verbs: console-helper-HELPER, man page console-helper-HELPER(8). */
struct verb_domain {
	const char		*helper;
	const struct verb	*verbs;
	size_t			 nverbs;
};

/* The value of an argument left as it is; compare the pointer. */
extern const char	 verb_keep[];

/* The types every domain shares. */
extern const struct verb_type	 verb_iface;	/* adapter name */
extern const struct verb_type	 verb_cidr;	/* ADDR/PREFIX */
extern const struct verb_type	 verb_addr;	/* IPv4 or IPv6 address */
extern const struct verb_type	 verb_addr4;
extern const struct verb_type	 verb_addr6;
extern const struct verb_type	 verb_host;	/* host or domain name */
extern const struct verb_type	 verb_mtu;	/* 68 to 65535 */
extern const struct verb_type	 verb_port;
extern const struct verb_type	 verb_updown;	/* up or down */
extern const struct verb_type	 verb_slaac;	/* slaac or off */

const struct verb	*verb_find(const struct verb_domain *, const char *);
/* The row's index in its domain, or -1. */
int		 verb_index(const struct verb_domain *, const struct verb *);
/* Each value against its argument's type: 0, or -1 with *cause. */
int		 verb_check(const struct verb *, const char *const *, char **);
/*
 * The words for the wire, one per argument, into words[] (which gets a
 * NULL after them), each value checked against its type first; each word
 * allocated, freed with verb_words_free.
 */
int		 verb_encode(const struct verb *, const char *const *,
		     char **, char **);
void		 verb_words_free(char **);
/*
 * The other way, as the helper does it: exactly the row's count of words,
 * each bounded, printable, never an option, then decoded and validated.
 * vals[i] points into the words (or is NULL, or verb_keep). Returns 0,
 * -2 for the wrong count of words, -1 for a word refused; *cause says why.
 */
int		 verb_decode(const struct verb *, int, char *const *,
		     const char **, char **);
/*
 * The rules for every word on the wire: present, bounded, printable ASCII,
 * never an option. n names it in the message: 0 the verb, else argument n.
 */
int		 verb_word(int, const char *, char **);
/* The table's invariants (names, counts, types, flags): 0 or -1. */
int		 verb_domain_check(const struct verb_domain *, char **);

#endif
