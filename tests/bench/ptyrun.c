/* SPDX-License-Identifier: ISC */

/*
 * ptyrun runs one full-screen program on a pseudo-terminal of a given size
 * and measures what its user would see: how many bytes and how long the
 * first paint takes, the same for each key sent afterwards, and the peak
 * resident memory of the program. With -b the output is consumed no faster
 * than a serial line of that speed carries it, so the times are what a
 * user on a 9600 baud console waits. It is a measuring tool for the
 * benchmark, not a test: it prints one line of figures and never judges
 * them.
 */

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PTYRUN_MAX_ENV		32
#define PTYRUN_MAX_KEYS		64
#define PTYRUN_TIMEOUT_MS	20000.0
#define PTYRUN_KILL_MS		1000.0
/* Paced reads take this much at a time: 16 bytes is 17 ms at 9600 baud. */
#define PTYRUN_PACE_CHUNK	16

struct ptyrun_key {
	char		 bytes[4];
	size_t		 len;
	int		 cursor;	/* 'A' or 'B': follows keypad mode */
};

struct ptyrun_burst {
	size_t		 bytes;
	double		 last;		/* time the last byte was seen */
};

struct ptyrun {
	int		 fd;		/* pty master */
	pid_t		 pid;
	int		 out;		/* -o file or -1 */
	long		 baud;		/* 0: read as fast as it comes */
	double		 quiet_ms;
	double		 start;
	double		 deadline;
	double		 pace_next;	/* paced: when the line is free again */
	int		 eof;		/* the slave side is gone */
	int		 timedout;
	int		 keypad;	/* program sent smkx, not yet rmkx */
	char		 seen[5];	/* the last bytes, to find smkx/rmkx */
};

static void	ptyrun_usage(void);
static void	ptyrun_die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
static long	ptyrun_number(const char *, const char *, long, long);
static double	ptyrun_now(void);
static void	ptyrun_sleep_until(double);
static int	ptyrun_parse_key(const char *, struct ptyrun_key *);
static void	ptyrun_track_keypad(struct ptyrun *, const char *, size_t);
static ssize_t	ptyrun_read(struct ptyrun *, int);
static void	ptyrun_settle(struct ptyrun *, struct ptyrun_burst *);
static void	ptyrun_send(struct ptyrun *, const struct ptyrun_key *);
static long	ptyrun_hwm(pid_t);
static long	ptyrun_stop(struct ptyrun *, int *);

static void
ptyrun_usage(void)
{
	fprintf(stderr, "usage: ptyrun [-c cols] [-r rows] [-t term] "
	    "[-b baud] [-q quiet_ms] [-k keys]\n"
	    "              [-e name=value]... [-o file] -- /program "
	    "[arg ...]\n"
	    "keys: comma list of down, up, left, right, enter, esc, tab, "
	    "space, 0-9, q, xHH\n");
	exit(2);
}

static void
ptyrun_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("ptyrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Parse a decimal number in [min, max] or die naming the option. */
static long
ptyrun_number(const char *what, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		ptyrun_die("%s: %s is not a number from %ld to %ld", what, s,
		    min, max);
	return (v);
}

/* Milliseconds on the monotonic clock. */
static double
ptyrun_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
}

static void
ptyrun_sleep_until(double when)
{
	struct timespec	ts;
	double		left;

	while ((left = when - ptyrun_now()) > 0) {
		ts.tv_sec = (time_t)(left / 1000.0);
		ts.tv_nsec = (long)((left - ts.tv_sec * 1000.0) * 1e6);
		nanosleep(&ts, NULL);
	}
}

static int
ptyrun_parse_key(const char *s, struct ptyrun_key *k)
{
	static const struct {
		const char	*name;
		const char	*bytes;
	} names[] = {
		{ "enter", "\r" },
		{ "esc", "\033" },
		{ "tab", "\t" },
		{ "space", " " },
		{ "q", "q" },
		{ "left", "\033[D" },
		{ "right", "\033[C" },
	};
	size_t	i;
	long	v;
	char	*end;

	memset(k, 0, sizeof *k);
	if (strcmp(s, "down") == 0 || strcmp(s, "up") == 0) {
		k->cursor = s[0] == 'd' ? 'B' : 'A';
		return (0);
	}
	if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0') {
		k->bytes[0] = s[0];
		k->len = 1;
		return (0);
	}
	if (s[0] == 'x' && strlen(s) == 3) {
		errno = 0;
		v = strtol(s + 1, &end, 16);
		if (*end != '\0' || errno != 0 || v < 0 || v > 255)
			return (-1);
		k->bytes[0] = (char)v;
		k->len = 1;
		return (0);
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i].name) == 0) {
			k->len = strlen(names[i].bytes);
			memcpy(k->bytes, names[i].bytes, k->len);
			return (0);
		}
	}
	return (-1);
}

/*
 * Follow smkx (ESC [ ? 1 h) and rmkx (ESC [ ? 1 l): in keypad-transmit mode
 * a terminal sends the cursor keys as ESC O x, and a program that asked for
 * it may not understand the other form.
 */
static void
ptyrun_track_keypad(struct ptyrun *p, const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		memmove(p->seen, p->seen + 1, sizeof p->seen - 1);
		p->seen[sizeof p->seen - 1] = buf[i];
		if (memcmp(p->seen, "\033[?1h", 5) == 0)
			p->keypad = 1;
		else if (memcmp(p->seen, "\033[?1l", 5) == 0)
			p->keypad = 0;
	}
}

/*
 * Wait up to wait_ms for output and read one chunk: 0 when nothing came,
 * -1 at end of output. Paced, a chunk is small and the line stays busy
 * for the time those bytes take at the given speed.
 */
static ssize_t
ptyrun_read(struct ptyrun *p, int wait_ms)
{
	struct pollfd	pfd;
	char		buf[4096];
	size_t		want;
	ssize_t		n;
	int		r;

	if (p->eof)
		return (-1);
	if (p->baud != 0)
		ptyrun_sleep_until(p->pace_next);
	pfd.fd = p->fd;
	pfd.events = POLLIN;
	r = poll(&pfd, 1, wait_ms);
	if (r == -1 && errno == EINTR)
		return (0);
	if (r == -1)
		ptyrun_die("poll: %s", strerror(errno));
	if (r == 0)
		return (0);
	want = p->baud != 0 ? PTYRUN_PACE_CHUNK : sizeof buf;
	n = read(p->fd, buf, want);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return (0);
	if (n <= 0) {
		/* Linux reports EIO once the slave side has closed. */
		p->eof = 1;
		return (-1);
	}
	ptyrun_track_keypad(p, buf, (size_t)n);
	if (p->out != -1 && write(p->out, buf, (size_t)n) != n)
		ptyrun_die("write output file: %s", strerror(errno));
	if (p->baud != 0) {
		if (p->pace_next < ptyrun_now())
			p->pace_next = ptyrun_now();
		p->pace_next += n * 10.0 * 1000.0 / p->baud;
	}
	return (n);
}

/* Read until nothing has come for quiet_ms; count the burst. */
static void
ptyrun_settle(struct ptyrun *p, struct ptyrun_burst *b)
{
	double	quiet_end, now, left;
	ssize_t	n;

	b->bytes = 0;
	b->last = -1;
	quiet_end = ptyrun_now() + p->quiet_ms;
	for (;;) {
		now = ptyrun_now();
		if (now >= p->deadline) {
			p->timedout = 1;
			return;
		}
		left = quiet_end - now;
		if (left <= 0)
			return;
		n = ptyrun_read(p, (int)left + 1);
		if (n == -1)
			return;
		if (n == 0)
			continue;
		b->bytes += (size_t)n;
		/* Paced, the last byte arrives when the line is done with it. */
		b->last = p->baud != 0 ? p->pace_next : ptyrun_now();
		quiet_end = b->last + p->quiet_ms;
	}
}

static void
ptyrun_send(struct ptyrun *p, const struct ptyrun_key *k)
{
	char	buf[3];
	size_t	len;

	if (k->cursor != 0) {
		buf[0] = '\033';
		buf[1] = p->keypad ? 'O' : '[';
		buf[2] = (char)k->cursor;
		len = 3;
	} else {
		memcpy(buf, k->bytes, k->len);
		len = k->len;
	}
	if (write(p->fd, buf, len) != (ssize_t)len)
		ptyrun_die("write to pty: %s", strerror(errno));
}

/* VmHWM of a running process in kB, or -1 when it has none (gone). */
static long
ptyrun_hwm(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;
	int	 len;

	len = snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if (len < 0 || (size_t)len >= sizeof path)
		return (-1);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	}
	fclose(f);
	return (kb);
}

/*
 * End the program: SIGTERM, SIGKILL after a second, draining its output
 * meanwhile so it cannot block on a full pty. Returns the peak RSS in kB
 * from the kernel's accounting of the reaped child.
 */
static long
ptyrun_stop(struct ptyrun *p, int *status)
{
	struct rusage	ru;
	double		kill_at;
	pid_t		r;
	int		killed = 0;

	kill(p->pid, SIGTERM);
	kill_at = ptyrun_now() + PTYRUN_KILL_MS;
	for (;;) {
		r = wait4(p->pid, status, WNOHANG, &ru);
		if (r == p->pid)
			break;
		if (r == -1 && errno != EINTR)
			ptyrun_die("wait4: %s", strerror(errno));
		if (!killed && ptyrun_now() >= kill_at) {
			kill(p->pid, SIGKILL);
			killed = 1;
		}
		p->baud = 0;
		if (ptyrun_read(p, 10) == -1)
			usleep(10000);
	}
	return (ru.ru_maxrss);
}

int
main(int argc, char **argv)
{
	struct ptyrun		 p;
	struct ptyrun_key	 keys[PTYRUN_MAX_KEYS];
	struct ptyrun_burst	 paint, kb;
	struct winsize		 ws;
	char			*envp[PTYRUN_MAX_ENV + 5], *term = NULL;
	char			*keylist = NULL, *tok, *save, *outpath = NULL;
	char			 termvar[128];
	size_t			 nkeys = 0, nenv = 0, i;
	long			 rss, reaped_rss;
	double			 sent;
	int			 ch, status, len;

	memset(&p, 0, sizeof p);
	p.out = -1;
	p.quiet_ms = 300;
	memset(&ws, 0, sizeof ws);
	ws.ws_col = 80;
	ws.ws_row = 24;

	while ((ch = getopt(argc, argv, "+b:c:e:k:o:q:r:t:")) != -1) {
		switch (ch) {
		case 'b':
			p.baud = ptyrun_number("-b", optarg, 50, 4000000);
			break;
		case 'c':
			ws.ws_col = (unsigned short)ptyrun_number("-c", optarg,
			    2, 1000);
			break;
		case 'e':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=')
				ptyrun_die("-e %s: want NAME=VALUE", optarg);
			if (nenv == PTYRUN_MAX_ENV)
				ptyrun_die("too many -e");
			envp[nenv++] = optarg;
			break;
		case 'k':
			keylist = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'q':
			p.quiet_ms = ptyrun_number("-q", optarg, 10, 10000);
			break;
		case 'r':
			ws.ws_row = (unsigned short)ptyrun_number("-r", optarg,
			    2, 1000);
			break;
		case 't':
			term = optarg;
			break;
		default:
			ptyrun_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		ptyrun_usage();
	if (argv[0][0] != '/')
		ptyrun_die("%s: the program must be an absolute path",
		    argv[0]);

	if (keylist != NULL) {
		for (tok = strtok_r(keylist, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (nkeys == PTYRUN_MAX_KEYS)
				ptyrun_die("too many keys");
			if (ptyrun_parse_key(tok, &keys[nkeys]) != 0)
				ptyrun_die("%s: unknown key", tok);
			nkeys++;
		}
	}

	/* -e comes first so that it wins over the defaults for getenv. */
	len = snprintf(termvar, sizeof termvar, "TERM=%s",
	    term != NULL ? term : "vt100");
	if (len < 0 || (size_t)len >= sizeof termvar)
		ptyrun_die("-t: terminal name too long");
	envp[nenv++] = termvar;
	envp[nenv++] = "LANG=C";
	envp[nenv++] = "PATH=/usr/bin:/bin";
	envp[nenv++] = "HOME=/tmp";
	envp[nenv] = NULL;

	if (outpath != NULL) {
		p.out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		if (p.out == -1)
			ptyrun_die("%s: %s", outpath, strerror(errno));
	}

	p.start = ptyrun_now();
	p.deadline = p.start + PTYRUN_TIMEOUT_MS;
	p.pace_next = p.start;
	p.pid = forkpty(&p.fd, NULL, NULL, &ws);
	if (p.pid == -1)
		ptyrun_die("forkpty: %s", strerror(errno));
	if (p.pid == 0) {
		execve(argv[0], argv, envp);
		fprintf(stderr, "ptyrun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (fcntl(p.fd, F_SETFD, FD_CLOEXEC) == -1)
		ptyrun_die("fcntl: %s", strerror(errno));

	ptyrun_settle(&p, &paint);
	printf("paint_bytes=%zu paint_ms=%.1f", paint.bytes,
	    paint.last < 0 ? -1.0 : paint.last - p.start);

	for (i = 0; i < nkeys && !p.timedout; i++) {
		/* A serial line takes time for the key too; ignore it. */
		if (p.baud != 0)
			ptyrun_sleep_until(p.pace_next);
		sent = ptyrun_now();
		ptyrun_send(&p, &keys[i]);
		ptyrun_settle(&p, &kb);
		printf(" key%zu_bytes=%zu key%zu_ms=%.1f", i + 1, kb.bytes,
		    i + 1, kb.last < 0 ? -1.0 : kb.last - sent);
	}

	rss = ptyrun_hwm(p.pid);
	reaped_rss = ptyrun_stop(&p, &status);
	/* A program that has already exited has no VmHWM; rusage does. */
	if (rss == -1)
		rss = reaped_rss;
	printf(" rss_kb=%ld\n", rss);
	fflush(stdout);

	close(p.fd);
	if (p.out != -1 && close(p.out) == -1)
		ptyrun_die("%s: %s", outpath, strerror(errno));
	if (p.timedout) {
		fprintf(stderr, "ptyrun: %s: no quiet moment within %.0f s\n",
		    argv[0], PTYRUN_TIMEOUT_MS / 1000);
		return (1);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		fprintf(stderr, "ptyrun: %s could not be run\n", argv[0]);
		return (1);
	}
	return (0);
}
