/* SPDX-License-Identifier: ISC */
/*
 * The console's password change, shared by the prompt's passwd and the
 * first login (shell/main.c), which must change an expired password
 * before the menu.
 */
#ifndef PASSWD_H
#define PASSWD_H

#include "cmd.h"

/*
 * Ask for the current password, then the new one twice; show its length,
 * fingerprint and the characters that move between keyboard layouts; on
 * confirmation have passwd (PAM, pwquality's policy) change it. A refusal
 * shows pwquality's reason and asks again. 0 when changed; -1 when not
 * (Ctrl-C, a hang-up, a wrong current password, passwd failing).
 */
int	 passwd_change(struct cmd_ctx *, int);

#endif
