/* SPDX-License-Identifier: ISC */

/*
 * ttyline is the image lab's serial cable (and its hypervisor console):
 * it gives a getty a terminal line made of a pseudo-terminal pair and
 * hands the far end, the master, to whoever connects to its socket.
 *
 *   ttyline [-w COLSxROWS] SOCKET LINK -- PROGRAM [ARG ...]
 *
 * For ever: a new pty pair; LINK (e.g. /dev/ttyS0) a symbolic link to the
 * slave, so the getty opens the line by its usual name; PROGRAM (agetty)
 * started in a session of its own; the first connection to SOCKET (a Unix
 * socket) gets the master's descriptor (SCM_RIGHTS) and ttyline closes its
 * own copy, so the client's close is a hang-up of the line, as a dropped
 * carrier is on a real serial port. When PROGRAM's session ends (logout,
 * hang-up) the line is made again, as init respawns a getty. -w sets the
 * line's window size (a hypervisor console has one; a serial line has
 * none, 0x0, and curses takes the terminfo entry's size).
 *
 * It is a test tool of the lab, run as root inside the appliance.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void	ttyline_die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
static int	ttyline_listen(const char *);
static void	ttyline_link(const char *, const char *);
static pid_t	ttyline_start(char **);
static int	ttyline_give(int, int);

static void
ttyline_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("ttyline: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int
ttyline_listen(const char *path)
{
	struct sockaddr_un	sun;
	int			s;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		ttyline_die("%s: socket path too long", path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		ttyline_die("socket: %s", strerror(errno));
	(void)unlink(path);
	if (bind(s, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    chmod(path, 0600) == -1 || listen(s, 4) == -1)
		ttyline_die("%s: %s", path, strerror(errno));
	return (s);
}

/* LINK -> slave, replaced in one rename: a getty never sees it missing. */
static void
ttyline_link(const char *slave, const char *link)
{
	char	tmp[4096];
	int	len;

	len = snprintf(tmp, sizeof tmp, "%s.new", link);
	if (len < 0 || (size_t)len >= sizeof tmp)
		ttyline_die("%s: path too long", link);
	(void)unlink(tmp);
	if (symlink(slave, tmp) == -1 || rename(tmp, link) == -1)
		ttyline_die("%s: %s", link, strerror(errno));
}

static pid_t
ttyline_start(char **argv)
{
	pid_t	pid;
	int	fd;

	if ((pid = fork()) == -1)
		ttyline_die("fork: %s", strerror(errno));
	if (pid == 0) {
		(void)setsid();
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			(void)dup2(fd, STDIN_FILENO);
			(void)dup2(fd, STDOUT_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		execv(argv[0], argv);
		dprintf(STDERR_FILENO, "ttyline: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	return (pid);
}

/* Send fd over the connected socket c. */
static int
ttyline_give(int c, int fd)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	char		 byte = 'm';
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;

	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return (sendmsg(c, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1);
}

int
main(int argc, char **argv)
{
	struct winsize	 ws;
	struct pollfd	 pfd;
	const char	*sock, *link, *slave;
	pid_t		 pid;
	int		 ch, s, m, c, status, sized = 0;
	unsigned	 cols, rows;

	memset(&ws, 0, sizeof ws);
	while ((ch = getopt(argc, argv, "+w:")) != -1) {
		switch (ch) {
		case 'w':
			if (sscanf(optarg, "%ux%u", &cols, &rows) != 2 ||
			    cols < 1 || cols > 1000 || rows < 1 || rows > 1000)
				ttyline_die("-w %s: want COLSxROWS", optarg);
			ws.ws_col = (unsigned short)cols;
			ws.ws_row = (unsigned short)rows;
			sized = 1;
			break;
		default:
			ttyline_die("usage: ttyline [-w COLSxROWS] SOCKET LINK "
			    "-- PROGRAM [ARG ...]");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 4 || strcmp(argv[2], "--") != 0 || argv[3][0] != '/')
		ttyline_die("usage: ttyline [-w COLSxROWS] SOCKET LINK -- "
		    "/PROGRAM [ARG ...]");
	sock = argv[0];
	link = argv[1];
	signal(SIGPIPE, SIG_IGN);
	s = ttyline_listen(sock);

	for (;;) {
		if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
		    grantpt(m) == -1 || unlockpt(m) == -1 ||
		    (slave = ptsname(m)) == NULL)
			ttyline_die("a new pty: %s", strerror(errno));
		if (sized && ioctl(m, TIOCSWINSZ, &ws) == -1)
			ttyline_die("TIOCSWINSZ: %s", strerror(errno));
		ttyline_link(slave, link);
		pid = ttyline_start(argv + 3);
		/* Until the getty's session ends: hand the master out once. */
		for (;;) {
			if (waitpid(pid, &status, m == -1 ? 0 : WNOHANG) ==
			    pid)
				break;
			if (m == -1)
				continue;
			pfd.fd = s;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 200) != 1)
				continue;
			if ((c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) == -1)
				continue;
			if (ttyline_give(c, m) == 0) {
				close(m);
				m = -1;
			}
			close(c);
		}
		if (m != -1)
			close(m);
		/* A getty that cannot start must not spin. */
		usleep(200000);
	}
}
