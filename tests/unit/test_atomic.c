/* SPDX-License-Identifier: ISC */
/*
 * atomic_write_file in a temporary directory: the file is replaced whole
 * with the mode asked for, no temporary file stays after a save, and a
 * save removes the temporary files that writers killed before their
 * rename left behind (their pid is gone), never one whose writer lives.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic.h"
#include "xmalloc.h"

static char	 dir[] = "/tmp/ac-atomic.XXXXXX";

/* A pid that no process holds: a child that has been reaped. */
static pid_t
dead_pid(void)
{
	pid_t	 pid;

	if ((pid = fork()) == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return (pid);
}

static void
touch(const char *path)
{
	int	 fd;

	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	assert_int_equal(write(fd, "half", 4), 4);
	close(fd);
}

static void
test_write_replaces(void **state)
{
	char		 path[PATH_MAX], *cause = NULL, buf[16];
	struct stat	 sb;
	int		 fd;
	ssize_t		 n;

	(void)state;
	xsnprintf(path, sizeof path, "%s/file.conf", dir);
	assert_int_equal(atomic_write_file(path, "one\n", 4, 0644, &cause), 0);
	assert_int_equal(atomic_write_file(path, "two\n", 4, 0640, &cause), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_true((fd = open(path, O_RDONLY)) != -1);
	n = read(fd, buf, sizeof buf);
	close(fd);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "two\n", 4);
}

static void
test_stale_temporaries(void **state)
{
	char	 path[PATH_MAX], dead[PATH_MAX], live[PATH_MAX];
	char	 other[PATH_MAX], *cause = NULL;

	(void)state;
	xsnprintf(path, sizeof path, "%s/network.conf", dir);
	xsnprintf(dead, sizeof dead, "%s.tmp.%ld", path, (long)dead_pid());
	xsnprintf(live, sizeof live, "%s.tmp.%ld", path, (long)getppid());
	xsnprintf(other, sizeof other, "%s/other.conf.tmp.%ld", dir,
	    (long)dead_pid());
	touch(dead);
	touch(live);
	touch(other);
	assert_int_equal(atomic_write_file(path, "x\n", 2, 0644, &cause), 0);
	/* The killed writer's file is gone, the living one's stays. */
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	/* Another file's temporaries are that file's saves' business. */
	assert_int_equal(access(other, F_OK), 0);
	unlink(live);
	unlink(other);
}

static int
setup(void **state)
{
	(void)state;
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	char	 path[PATH_MAX];

	(void)state;
	xsnprintf(path, sizeof path, "%s/file.conf", dir);
	unlink(path);
	xsnprintf(path, sizeof path, "%s/network.conf", dir);
	unlink(path);
	return (rmdir(dir));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_replaces),
		cmocka_unit_test(test_stale_temporaries),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
