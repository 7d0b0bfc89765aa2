/* SPDX-License-Identifier: ISC */
/*
 * The one way the console runs a program, after OpenSSH's subprocess():
 * fork; in the child take a process group of its own, give it /dev/null
 * (or a pipe fed from stdin_data) as stdin and pipes as stdout and stderr,
 * close every other fd, restore default signals and execve an absolute
 * path with an environment built from nothing. The parent captures both
 * streams into capped buffers, enforces the timeout on the whole process
 * group (so a grandchild cannot outlive it) and reports how it ended. An
 * exec failure travels back over a close-on-exec pipe, so the caller gets
 * a sentence naming the path instead of a bare exit status 127.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sig.h"
#include "spawn.h"
#include "text.h"
#include "xmalloc.h"

#define SPAWN_KILL_GRACE_MS	500	/* SIGTERM, this long, then SIGKILL */
#define SPAWN_DRAIN_MS		200	/* reading on after the child exited */
#define SPAWN_STOP_CHECK_MS	250	/* looking for a stopped child */
#define SPAWN_NO_PIDFD_MS	50	/* exit polling without a pidfd */
#define SPAWN_CHUNK		16384
#define SPAWN_LINE_MAX		200	/* of a failure's line in a cause */

/* What a child that could not exec sends back before it exits. */
enum spawn_stage {
	SPAWN_STAGE_SETUP,
	SPAWN_STAGE_EXEC
};
struct spawn_failure {
	int	 stage;
	int	 error;
};

/* The parent's view of one running child. */
struct spawn_state {
	pid_t		 pid;
	int		 interactive;
	int		 in_fd;		/* our end of its stdin, or -1 */
	int		 out_fd;
	int		 err_fd;
	int		 pid_fd;	/* -1 when the kernel has no pidfd */
	const char	*in_data;
	size_t		 in_len;
	size_t		 in_off;
	struct text_buf	 out;
	struct text_buf	 err;
	int		 exited;	/* seen with WNOWAIT: still a zombie */
	int		 term_sent;
	int		 kill_sent;
	int64_t		 deadline;	/* 0: none */
	int64_t		 kill_at;
	int64_t		 drain_until;
	void		(*on_err)(const char *, size_t, void *);
	void		*on_err_arg;
	const char	*(*on_prompt)(const char *, size_t, void *);
	void		*on_prompt_arg;
};

/* The pipes of one run, [0] the read end; -1 when not open. */
struct spawn_pipes {
	int	 in[2];
	int	 out[2];
	int	 err[2];
	int	 report[2];
};

/* What one poll watches: the descriptor's home and its buffer. */
struct spawn_poll {
	struct pollfd	 pfd[4];
	int		*fd[4];
	struct text_buf	*tb[4];
	nfds_t		 n;
};

/*
 * The process group of the child being waited for, 0 if none. Read by
 * spawn_kill_running, which may be called from a signal handler.
 */
static volatile sig_atomic_t	 spawn_running_pgid;
static int			 spawn_no_pidfd;

static int64_t	 spawn_now(void);
static void	 spawn_close(int *);
static int	 spawn_closefrom_proc(int);
static void	 spawn_closefrom_all(int);
static int	 spawn_lift_fd(int);
static void	 spawn_child(const struct spawn_req *, int, int, int, int,
		    int) __attribute__((noreturn));
static int	 spawn_child_report(int, struct spawn_failure *);
static void	 spawn_signal_group(struct spawn_state *, int);
static void	 spawn_check_child(struct spawn_state *, int64_t);
static int	 spawn_poll_timeout(struct spawn_state *, int64_t);
static void	 spawn_read(int *, struct text_buf *);
static void	 spawn_write(struct spawn_state *);
static void	 spawn_answer(struct spawn_state *);
static void	 spawn_enforce(struct spawn_state *, struct spawn_result *, int,
		    int64_t);
static void	 spawn_poll_add(struct spawn_poll *, int *, short,
		    struct text_buf *);
static void	 spawn_poll_set(struct spawn_state *, struct spawn_poll *);
static void	 spawn_poll_serve(struct spawn_state *, struct spawn_poll *);
static void	 spawn_reap(struct spawn_state *, struct spawn_result *);
static void	 spawn_wait(struct spawn_state *, struct spawn_result *);
static void	 spawn_tty_give(pid_t);
static void	 spawn_tty_take(const struct termios *);
static int	 spawn_tty_held(struct termios *);
static int	 spawn_req_check(const struct spawn_req *, char **);
static void	 spawn_pipes_close(struct spawn_pipes *);
static int	 spawn_pipes_open(const struct spawn_req *,
		    struct spawn_pipes *);
static pid_t	 spawn_fork(const struct spawn_req *, struct spawn_pipes *,
		    int);
static int	 spawn_exec_failed(const struct spawn_req *, pid_t, int,
		    const struct termios *, char **);
static int	 spawn_watch(struct spawn_state *, const struct spawn_req *,
		    pid_t, struct spawn_pipes *, struct sigaction *);
static void	 spawn_state_close(struct spawn_state *);
static char	*spawn_first_line(const char *, size_t);

char *const *
spawn_default_env(void)
{
	static char *const	 env[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C",
		NULL
	};

	return (env);
}

static int64_t
spawn_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
spawn_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * Older kernels: walk /proc/self/fd with getdents64 rather than opendir,
 * which allocates and so is not safe after fork. Closing while reading
 * can hide entries, so rescan until a pass closes none.
 */
static int
spawn_closefrom_proc(int lowfd)
{
	char		 buf[4096] __attribute__((aligned(8)));
	struct dirent64	*de;
	ssize_t		 n, off;
	long		 fd;
	int		 dfd, closed, pass = 0;
	const char	*p;

	dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1)
		return (-1);
	do {
		closed = 0;
		if (lseek(dfd, 0, SEEK_SET) == -1)
			break;
		while ((n = getdents64(dfd, buf, sizeof buf)) > 0) {
			for (off = 0; off < n; off += de->d_reclen) {
				de = (struct dirent64 *)(void *)(buf + off);
				fd = 0;
				for (p = de->d_name; *p >= '0' && *p <= '9' &&
				    fd < INT32_MAX; p++)
					fd = fd * 10 + (*p - '0');
				if (p == de->d_name || *p != '\0')
					continue;
				if (fd < lowfd || fd == dfd)
					continue;
				/*
				 * Only a close that worked asks for another
				 * pass: one we may not close (valgrind's own)
				 * would otherwise loop forever.
				 */
				if (close((int)fd) == 0)
					closed = 1;
			}
		}
	} while (closed && ++pass < 64);
	close(dfd);
	return (0);
}

/* No /proc either: every descriptor the limit allows. */
static void
spawn_closefrom_all(int lowfd)
{
	struct rlimit	 rl;
	long		 fd, maxfd;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 1048576)
		maxfd = 1048576;
	else
		maxfd = (long)rl.rlim_max;
	for (fd = lowfd; fd < maxfd; fd++)
		close((int)fd);
}

int
spawn_closefrom(int lowfd)
{
	if (lowfd < 0)
		lowfd = 0;
	if (close_range((unsigned int)lowfd, ~0U, 0) == 0)
		return (0);
	if (spawn_closefrom_proc(lowfd) == 0)
		return (0);
	spawn_closefrom_all(lowfd);
	return (0);
}

/* Move an fd out of 0..2 so the dup2s onto 0..2 cannot clobber it. */
static int
spawn_lift_fd(int fd)
{
	if (fd == -1 || fd > 2)
		return (fd);
	return (fcntl(fd, F_DUPFD_CLOEXEC, 3));
}

/*
 * The child between fork and execve: only async-signal-safe calls. in_fd
 * is the read end of the stdin pipe or -1 for /dev/null; out_fd and err_fd
 * are the write ends of the capture pipes (unused when interactive).
 * report_fd is close-on-exec, so the parent reads EOF when execve works.
 */
static void
spawn_child(const struct spawn_req *req, int in_fd, int out_fd, int err_fd,
    int report_fd, int take_tty)
{
	struct spawn_failure	 f;
	char *const		*envp;
	ssize_t			 n;

	f.stage = SPAWN_STAGE_SETUP;
	if ((report_fd = spawn_lift_fd(report_fd)) == -1)
		_exit(127);

	/*
	 * Its own group, so a timeout or hang-up can kill it and everything
	 * it started, and the terminal's signals reach only the foreground.
	 */
	if (setpgid(0, 0) == -1)
		goto fail;
	/* SIGTTOU is blocked here (by the parent, around fork). */
	if (take_tty && tcsetpgrp(STDIN_FILENO, getpid()) == -1)
		goto fail;

	if (!req->interactive) {
		if (in_fd == -1 &&
		    (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			goto fail;
		if ((in_fd = spawn_lift_fd(in_fd)) == -1 ||
		    (out_fd = spawn_lift_fd(out_fd)) == -1 ||
		    (err_fd = spawn_lift_fd(err_fd)) == -1)
			goto fail;
		/* dup2 clears close-on-exec on the copy. */
		if (dup2(in_fd, STDIN_FILENO) == -1 ||
		    dup2(out_fd, STDOUT_FILENO) == -1 ||
		    dup2(err_fd, STDERR_FILENO) == -1)
			goto fail;
	}

	/* Keep only the report pipe, at fd 3, and close everything else. */
	if (report_fd != 3) {
		if (dup2(report_fd, 3) == -1 ||
		    fcntl(3, F_SETFD, FD_CLOEXEC) == -1)
			goto fail;
		report_fd = 3;
	}
	spawn_closefrom(4);

	sig_reset_for_child();
	envp = req->envp != NULL ? req->envp : spawn_default_env();
	execve(req->path, req->argv, envp);
	f.stage = SPAWN_STAGE_EXEC;

fail:
	f.error = errno;
	do
		n = write(report_fd, &f, sizeof f);
	while (n == -1 && errno == EINTR);
	_exit(127);
}

/*
 * Read the child's report: 0 when execve worked (EOF), 1 with *f filled
 * when it did not.
 */
static int
spawn_child_report(int fd, struct spawn_failure *f)
{
	size_t	 got = 0;
	ssize_t	 n;

	while (got < sizeof *f) {
		n = read(fd, (char *)f + got, sizeof *f - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return (got == sizeof *f);
}

static void
spawn_signal_group(struct spawn_state *st, int sig)
{
	/*
	 * The child is never reaped before we are done with the group: while
	 * it is at least a zombie its pid, and so the group id, stays ours.
	 */
	killpg(st->pid, sig);
	if (sig == SIGKILL)
		st->kill_sent = 1;
	else if (sig == SIGTERM) {
		st->term_sent = 1;
		st->kill_at = spawn_now() + SPAWN_KILL_GRACE_MS;
	}
}

/* Notice (without reaping) that the child exited; resume it if stopped. */
static void
spawn_check_child(struct spawn_state *st, int64_t now)
{
	siginfo_t	 si;

	if (!st->exited) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)st->pid, &si,
		    WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == st->pid) {
			st->exited = 1;
			st->drain_until = now + SPAWN_DRAIN_MS;
		}
	}
	/*
	 * An interactive child can be stopped by Ctrl-Z; the console has no
	 * job control to bring it back, so Ctrl-Z does nothing here either.
	 */
	if (st->interactive && !st->exited) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)st->pid, &si,
		    WSTOPPED | WNOHANG) == 0 && si.si_pid == st->pid)
			killpg(st->pid, SIGCONT);
	}
}

/* How long poll may sleep before something is due. */
static int
spawn_poll_timeout(struct spawn_state *st, int64_t now)
{
	int64_t	 t = -1, due;

#define SPAWN_SOONER(x) do {						\
	due = (x) < 0 ? 0 : (x);					\
	if (t == -1 || due < t)						\
		t = due;						\
} while (0)
	if (st->deadline != 0 && !st->term_sent)
		SPAWN_SOONER(st->deadline - now);
	if (st->term_sent && !st->kill_sent)
		SPAWN_SOONER(st->kill_at - now);
	if (st->exited)
		SPAWN_SOONER(st->drain_until - now);
	else if (st->pid_fd == -1)
		SPAWN_SOONER(SPAWN_NO_PIDFD_MS);
	if (st->interactive)
		SPAWN_SOONER(SPAWN_STOP_CHECK_MS);
#undef SPAWN_SOONER
	return ((int)t);
}

/* Read what one pipe has; past the cap keep draining and drop it. */
static void
spawn_read(int *fd, struct text_buf *tb)
{
	char	 chunk[SPAWN_CHUNK];
	ssize_t	 n;

	n = read(*fd, chunk, sizeof chunk);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		spawn_close(fd);
		return;
	}
	text_buf_append(tb, chunk, (size_t)n);
}

static void
spawn_write(struct spawn_state *st)
{
	ssize_t	 n;

	n = write(st->in_fd, st->in_data + st->in_off, st->in_len - st->in_off);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n == -1) {
		/* EPIPE: the child does not want the rest. */
		spawn_close(&st->in_fd);
		return;
	}
	st->in_off += (size_t)n;
	if (st->in_off == st->in_len && st->on_prompt == NULL)
		spawn_close(&st->in_fd);
}

/*
 * Act on what has come due: hang-up (kill, no grace), Ctrl-C (terminate
 * the group), the deadline, the grace after SIGTERM.
 */
static void
spawn_enforce(struct spawn_state *st, struct spawn_result *res,
    int intr_at_start, int64_t now)
{
	if (sig_hangup && !st->kill_sent) {
		spawn_signal_group(st, SIGKILL);
		res->cancelled = 1;
	}
	/*
	 * Ctrl-C cancels the current action. An interactive child is in the
	 * terminal's foreground and gets SIGINT itself.
	 */
	if (!st->interactive && sig_interrupt && !intr_at_start &&
	    !st->exited && !st->term_sent && !st->kill_sent) {
		spawn_signal_group(st, SIGTERM);
		res->cancelled = 1;
	}
	/* Once it has exited, only the short drain is left. */
	if (st->deadline != 0 && now >= st->deadline && !st->exited &&
	    !st->term_sent && !st->kill_sent) {
		spawn_signal_group(st, SIGTERM);
		res->timed_out = 1;
	}
	if (st->term_sent && !st->kill_sent && now >= st->kill_at)
		spawn_signal_group(st, SIGKILL);
}

/* One descriptor to poll: fd is where it lives, tb its buffer or NULL. */
static void
spawn_poll_add(struct spawn_poll *sp, int *fd, short events,
    struct text_buf *tb)
{
	sp->pfd[sp->n].fd = *fd;
	sp->pfd[sp->n].events = events;
	sp->pfd[sp->n].revents = 0;
	sp->fd[sp->n] = fd;
	sp->tb[sp->n++] = tb;
}

/* The pipes still open and the pidfd while the child runs. */
static void
spawn_poll_set(struct spawn_state *st, struct spawn_poll *sp)
{
	sp->n = 0;
	if (st->out_fd != -1)
		spawn_poll_add(sp, &st->out_fd, POLLIN, &st->out);
	if (st->err_fd != -1)
		spawn_poll_add(sp, &st->err_fd, POLLIN, &st->err);
	if (st->in_fd != -1 && st->in_off < st->in_len)
		spawn_poll_add(sp, &st->in_fd, POLLOUT, NULL);
	if (st->pid_fd != -1 && !st->exited) {
		spawn_poll_add(sp, &st->pid_fd, POLLIN, NULL);
		sp->fd[sp->n - 1] = NULL;	/* only wakes us up */
	}
}

/* Read, write or close what poll found ready. */
static void
spawn_poll_serve(struct spawn_state *st, struct spawn_poll *sp)
{
	nfds_t	 i;

	for (i = 0; i < sp->n; i++) {
		if (sp->pfd[i].revents == 0 || sp->fd[i] == NULL)
			continue;
		if (sp->tb[i] != NULL) {
			spawn_read(sp->fd[i], sp->tb[i]);
			if (sp->tb[i] == &st->err && st->on_err != NULL &&
			    st->err.data != NULL)
				st->on_err(st->err.data, st->err.len,
				    st->on_err_arg);
			if (sp->tb[i] == &st->err)
				spawn_answer(st);
		} else if (sp->pfd[i].revents & POLLOUT)
			spawn_write(st);
		else
			spawn_close(sp->fd[i]);
	}
}

/* The dialogue's next answer, once the last one is written. */
static void
spawn_answer(struct spawn_state *st)
{
	const char	*next;

	if (st->on_prompt == NULL || st->in_fd == -1 ||
	    st->in_off < st->in_len || st->err.data == NULL)
		return;
	if ((next = st->on_prompt(st->err.data, st->err.len,
	    st->on_prompt_arg)) == NULL) {
		spawn_close(&st->in_fd);
		return;
	}
	st->in_data = next;
	st->in_len = strlen(next);
	st->in_off = 0;
}

/* Reap the child (after killing what is left of a group we signalled). */
static void
spawn_reap(struct spawn_state *st, struct spawn_result *res)
{
	int	 status;
	pid_t	 w;

	if (st->term_sent || st->kill_sent)
		killpg(st->pid, SIGKILL);
	do
		w = waitpid(st->pid, &status, 0);
	while (w == -1 && errno == EINTR);
	spawn_running_pgid = 0;

	if (w == st->pid) {
		if (WIFEXITED(status)) {
			res->exited = 1;
			res->exit_code = WEXITSTATUS(status);
		} else if (WIFSIGNALED(status))
			res->signal = WTERMSIG(status);
	}
}

/*
 * Feed stdin, capture stdout and stderr, enforce the timeout, Ctrl-C and
 * hang-up, until the child has exited and its pipes are drained; then reap.
 */
static void
spawn_wait(struct spawn_state *st, struct spawn_result *res)
{
	struct spawn_poll	 sp;
	int64_t			 now;
	int			 intr_at_start, n;

	intr_at_start = sig_interrupt;
	for (;;) {
		now = spawn_now();
		spawn_enforce(st, res, intr_at_start, now);
		spawn_check_child(st, now);
		/*
		 * Exited: done once the pipes are drained, or when something
		 * it started still holds them past the drain time (take what
		 * is there and stop waiting for it).
		 */
		if (st->exited && ((st->out_fd == -1 && st->err_fd == -1) ||
		    now >= st->drain_until))
			break;

		spawn_poll_set(st, &sp);
		n = poll(sp.pfd, sp.n, spawn_poll_timeout(st, now));
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* Cannot watch it any more: do not leave it behind. */
			spawn_signal_group(st, SIGKILL);
			spawn_close(&st->out_fd);
			spawn_close(&st->err_fd);
			spawn_close(&st->in_fd);
			spawn_close(&st->pid_fd);
			continue;
		}
		spawn_poll_serve(st, &sp);
	}
	spawn_reap(st, res);
}

/* Make the child's group the terminal's foreground (SIGTTOU blocked). */
static void
spawn_tty_give(pid_t pgid)
{
	tcsetpgrp(STDIN_FILENO, pgid);
}

/* Take the terminal back and undo any mode the child left behind. */
static void
spawn_tty_take(const struct termios *tio)
{
	sigset_t	 ttou, old;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetpgrp(STDIN_FILENO, getpgrp());
	tcsetattr(STDIN_FILENO, TCSADRAIN, tio);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Only a terminal we hold can be handed over: do we, and in what mode? */
static int
spawn_tty_held(struct termios *tio)
{
	return (isatty(STDIN_FILENO) &&
	    tcgetpgrp(STDIN_FILENO) == getpgrp() &&
	    tcgetattr(STDIN_FILENO, tio) == 0);
}

/* What makes a request impossible before anything is created. */
static int
spawn_req_check(const struct spawn_req *req, char **cause)
{
	const char	*why = NULL;

	if (req->path == NULL || req->path[0] != '/')
		why = "not an absolute path";
	else if (req->argv == NULL || req->argv[0] == NULL)
		why = "no argument list";
	else if (sig_hangup)
		why = "the session is ending";
	if (why == NULL)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "cannot run %s: %s", req->path == NULL ?
		    "(null)" : req->path, why);
	return (-1);
}

static void
spawn_pipes_close(struct spawn_pipes *p)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		spawn_close(&p->in[i]);
		spawn_close(&p->out[i]);
		spawn_close(&p->err[i]);
		spawn_close(&p->report[i]);
	}
}

/* The report pipe always; the capture pipes and stdin's unless interactive. */
static int
spawn_pipes_open(const struct spawn_req *req, struct spawn_pipes *p)
{
	p->in[0] = p->in[1] = p->out[0] = p->out[1] = -1;
	p->err[0] = p->err[1] = p->report[0] = p->report[1] = -1;
	if (pipe2(p->report, O_CLOEXEC) == -1)
		return (-1);
	if (req->interactive)
		return (0);
	if (pipe2(p->out, O_CLOEXEC) == -1 || pipe2(p->err, O_CLOEXEC) == -1)
		return (-1);
	if ((req->stdin_data != NULL || req->on_prompt != NULL) &&
	    pipe2(p->in, O_CLOEXEC) == -1)
		return (-1);
	return (0);
}

/*
 * Fork the child into its own group (and the terminal's foreground when
 * own_tty), then close the child's ends here. Returns its pid, or -1.
 */
static pid_t
spawn_fork(const struct spawn_req *req, struct spawn_pipes *p, int own_tty)
{
	sigset_t	 ttou, old_mask;
	pid_t		 pid;
	int		 error;

	/*
	 * SIGTTOU blocked across fork: the child inherits the mask for its
	 * tcsetpgrp, and ours lets us set the foreground group as well (both
	 * sides do it, so neither order of running loses the race).
	 */
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old_mask);
	if ((pid = fork()) == -1) {
		error = errno;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		errno = error;
		return (-1);
	}
	if (pid == 0) {
		spawn_child(req, p->in[0], p->out[1], p->err[1], p->report[1],
		    own_tty);
		/* NOTREACHED */
	}
	setpgid(pid, pid);
	spawn_running_pgid = pid;
	if (own_tty)
		spawn_tty_give(pid);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	spawn_close(&p->in[0]);
	spawn_close(&p->out[1]);
	spawn_close(&p->err[1]);
	spawn_close(&p->report[1]);
	return (pid);
}

/*
 * Did the child fail before or at execve? Then it is reaped, the terminal
 * taken back (tio not NULL) and *cause says why.
 */
static int
spawn_exec_failed(const struct spawn_req *req, pid_t pid, int report_fd,
    const struct termios *tio, char **cause)
{
	struct spawn_failure	 f;
	pid_t			 w;

	if (!spawn_child_report(report_fd, &f))
		return (0);
	do
		w = waitpid(pid, NULL, 0);
	while (w == -1 && errno == EINTR);
	spawn_running_pgid = 0;
	if (tio != NULL)
		spawn_tty_take(tio);
	if (cause != NULL)
		xasprintf(cause, "cannot %s %s: %s", f.stage ==
		    SPAWN_STAGE_EXEC ? "run" : "set up", req->path,
		    strerror(f.error));
	return (1);
}

/*
 * The parent's view of the running child: our ends of its pipes (moved
 * out of p), the stdin to feed, a pidfd, the buffers and the deadline.
 * Returns 1 when SIGPIPE was ignored for the feeding (old has the action).
 */
static int
spawn_watch(struct spawn_state *st, const struct spawn_req *req, pid_t pid,
    struct spawn_pipes *p, struct sigaction *old)
{
	struct sigaction	 ign;
	size_t			 cap;
	int			 ignored = 0;

	st->pid = pid;
	st->interactive = req->interactive;
	st->out_fd = p->out[0];
	st->err_fd = p->err[0];
	st->in_fd = p->in[1];
	p->out[0] = p->err[0] = p->in[1] = -1;
	st->on_err = req->on_err;
	st->on_err_arg = req->on_err_arg;
	st->on_prompt = req->on_prompt;
	st->on_prompt_arg = req->on_prompt_arg;
	if (st->in_fd != -1) {
		st->in_data = req->stdin_data != NULL ? req->stdin_data : "";
		st->in_len = strlen(st->in_data);
		if (st->in_len == 0 && st->on_prompt == NULL)
			spawn_close(&st->in_fd);
		else {
			fcntl(st->in_fd, F_SETFL, O_NONBLOCK);
			/* A child that stops reading must not kill us. */
			memset(&ign, 0, sizeof ign);
			sigemptyset(&ign.sa_mask);
			ign.sa_handler = SIG_IGN;
			ignored = sigaction(SIGPIPE, &ign, old) == 0;
		}
	}
#ifdef SYS_pidfd_open
	/* Without one (old kernel, valgrind) we poll for the exit instead. */
	if (!spawn_no_pidfd) {
		st->pid_fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (st->pid_fd < 0) {
			if (errno == ENOSYS)
				spawn_no_pidfd = 1;
			st->pid_fd = -1;
		}
	}
#endif
	cap = req->capture_max != 0 ? req->capture_max : SPAWN_CAPTURE_DEFAULT;
	text_buf_init(&st->out, cap);
	text_buf_init(&st->err, cap);
	if (req->timeout_ms > 0)
		st->deadline = spawn_now() + req->timeout_ms;
	return (ignored);
}

static void
spawn_state_close(struct spawn_state *st)
{
	spawn_close(&st->in_fd);
	spawn_close(&st->out_fd);
	spawn_close(&st->err_fd);
	spawn_close(&st->pid_fd);
	text_buf_free(&st->out);
	text_buf_free(&st->err);
}

int
spawn_run(const struct spawn_req *req, struct spawn_result *res,
    char **cause)
{
	struct spawn_state	 st;
	struct spawn_pipes	 p;
	struct sigaction	 old_pipe;
	struct termios		 tio;
	int			 own_tty = 0, pipe_ignored, ret = -1;
	pid_t			 pid;

	memset(res, 0, sizeof *res);
	memset(&st, 0, sizeof st);
	st.in_fd = st.out_fd = st.err_fd = st.pid_fd = -1;
	if (cause != NULL)
		*cause = NULL;
	if (spawn_req_check(req, cause) == -1)
		return (-1);

	if (spawn_pipes_open(req, &p) == -1)
		goto fail_errno;
	if (req->interactive)
		own_tty = spawn_tty_held(&tio);
	if ((pid = spawn_fork(req, &p, own_tty)) == -1)
		goto fail_errno;
	if (spawn_exec_failed(req, pid, p.report[0], own_tty ? &tio : NULL,
	    cause))
		goto out;

	pipe_ignored = spawn_watch(&st, req, pid, &p, &old_pipe);
	spawn_wait(&st, res);
	if (pipe_ignored)
		sigaction(SIGPIPE, &old_pipe, NULL);
	if (own_tty)
		spawn_tty_take(&tio);
	if (!req->interactive) {
		res->truncated = st.out.truncated || st.err.truncated;
		res->out_len = st.out.len;
		res->out = text_buf_take(&st.out);
		res->err_len = st.err.len;
		res->err = text_buf_take(&st.err);
	}
	ret = 0;
	goto out;

fail_errno:
	if (cause != NULL)
		xasprintf(cause, "cannot run %s: %s", req->path,
		    strerror(errno));
out:
	spawn_pipes_close(&p);
	spawn_state_close(&st);
	return (ret);
}

/* The first line of text (at most SPAWN_LINE_MAX bytes), sanitised. */
static char *
spawn_first_line(const char *text, size_t len)
{
	size_t	 skip, n;

	if (text == NULL || (skip = strspn(text, "\n")) >= len)
		return (NULL);
	text += skip;
	n = strcspn(text, "\n");
	if (n > len - skip)
		n = len - skip;
	if (n > SPAWN_LINE_MAX)
		n = SPAWN_LINE_MAX;
	return (n == 0 ? NULL : text_sanitize(text, n));
}

char *
spawn_result_cause(const struct spawn_result *res, const char *name)
{
	char	*line, *cause;

	if (res->timed_out)
		xasprintf(&cause, "%s did not finish in time", name);
	else if (res->cancelled)
		xasprintf(&cause, "%s was cancelled", name);
	else if (!res->exited)
		xasprintf(&cause, "%s was killed by signal %d", name,
		    res->signal);
	else if (res->exit_code == 0 && res->truncated)
		xasprintf(&cause, "%s wrote more than it may", name);
	else if (res->exit_code == 0)
		return (NULL);
	else if ((line = spawn_first_line(res->err, res->err_len)) != NULL ||
	    (line = spawn_first_line(res->out, res->out_len)) != NULL) {
		/* "iptables: Bad rule" names itself already. */
		if (strncmp(line, name, strlen(name)) == 0)
			return (line);
		xasprintf(&cause, "%s failed: %s", name, line);
		free(line);
	} else
		xasprintf(&cause, "%s failed (status %d)", name,
		    res->exit_code);
	return (cause);
}

int
spawn_simple(const struct spawn_req *req, struct spawn_result *out,
    char **cause)
{
	struct spawn_result	 res;
	const char		*name;
	char			*why;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (spawn_run(req, &res, cause) == -1)
		return (-1);
	if ((name = strrchr(req->argv[0], '/')) != NULL)
		name++;
	else
		name = req->argv[0];
	why = spawn_result_cause(&res, name);
	if (out != NULL)
		*out = res;
	else
		spawn_result_free(&res);
	if (why == NULL)
		return (0);
	if (cause != NULL)
		*cause = why;
	else
		free(why);
	return (-1);
}

void
spawn_result_free(struct spawn_result *res)
{
	if (res == NULL)
		return;
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof *res);
}

void
spawn_kill_running(void)
{
	pid_t	 pgid = spawn_running_pgid;

	if (pgid > 0)
		killpg(pgid, SIGKILL);
}

const char *
spawn_find(const char *const *paths)
{
	for (; *paths != NULL; paths++) {
		if (access(*paths, X_OK) == 0)
			return (*paths);
	}
	return (NULL);
}
