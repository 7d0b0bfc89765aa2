/* SPDX-License-Identifier: ISC */
/*
 * What the console may say about a new password without revealing it:
 * its length, a two-word fingerprint (HMAC-SHA-256 of the password under
 * the appliance's own key) and which of its characters commonly move
 * between keyboard layouts, so that someone typing or pasting through a
 * hypervisor's keyboard can see that what arrived is what they meant.
 */
#ifndef SECRET_H
#define SECRET_H

#include <stddef.h>

#define SECRET_KEY_PATH		"/var/lib/appliance-console/fingerprint.key"
#define SECRET_KEY_LEN		32
#define SECRET_FP_MAX		32	/* "word-word" and its NUL */
#define SECRET_LAYOUT_MAX	64

/* HMAC-SHA-256 of msg under key into out (32 bytes). */
void	 secret_hmac_sha256(const unsigned char *, size_t,
	    const unsigned char *, size_t, unsigned char *);
/* The two words of the password's keyed hash: "word-word". */
void	 secret_fingerprint(const unsigned char *, size_t, const char *,
	    char *, size_t);
/*
 * The key: exactly SECRET_KEY_LEN bytes of the file at path into key.
 * 0, or -1 with *cause.
 */
int	 secret_key_load(const char *, unsigned char *, char **);
/*
 * The characters of pw that move between common layouts (QWERTY,
 * QWERTZ, AZERTY, UK and US), each once, separated by spaces, into out;
 * "" when none. Returns how many.
 */
int	 secret_layout_moves(const char *, char *, size_t);

#endif
