/* SPDX-License-Identifier: ISC */
/*
 * Every persistent write the console makes: a temporary file next to the
 * target, fsync, rename over it, fsync of the directory. A crash leaves
 * the old file or the new one, never half of either.
 */
#ifndef ATOMIC_H
#define ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Replace path with len bytes of data, created with mode (the umask does
 * not apply). Returns 0, or -1 with *cause; on error path is untouched.
 */
int	 atomic_write_file(const char *, const void *, size_t, mode_t,
	    char **);

#endif
