/* SPDX-License-Identifier: ISC */
/*
 * Every persistent write: a temporary file beside the target, fsync,
 * rename over the target, fsync of the directory. A crash leaves the old
 * file or the new one, never half of either.
 */
#ifndef ATOMIC_H
#define ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/* Write len bytes as path with mode. Returns 0, or -1 with *cause. */
int	 atomic_write_file(const char *, const void *, size_t, mode_t,
	     char **);
/*
 * mkdir -p of dir (a path already under the system root). Each directory
 * it creates gets exactly mode, whatever the umask (the helpers run with
 * 077); directories already there are left as they are. Returns 0, or -1
 * with *cause (cause may be NULL).
 */
int	 atomic_mkdirs(const char *, mode_t, char **);
/* The same for the directory that holds path. */
int	 atomic_mkdirs_for(const char *, mode_t, char **);
/* Rename from over to and fsync the directory of to; -1 with *cause. */
int	 atomic_rename(const char *, const char *, char **);

#endif
