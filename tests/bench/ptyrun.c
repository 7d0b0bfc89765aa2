/* SPDX-License-Identifier: ISC */

/*
 * ptyrun runs one full-screen program on a pseudo-terminal of a given size
 * and measures what its user would see: how many bytes and how long the
 * first paint takes, the same for each key sent afterwards, and the peak
 * resident memory of the program. With -b the output is consumed no faster
 * than a serial line of that speed carries it, so the times are what a
 * user on a 9600 baud console waits, and the pty's termios speed is
 * set to it, as agetty sets a serial port's. It is a measuring tool for the
 * benchmark, not a test: it prints one line of key=value figures and never
 * judges them.
 */

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
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
	char		 cursor;	/* 'A'..'D': follows keypad mode */
};

struct ptyrun_burst {
	size_t		 bytes;
	double		 last;		/* when the last byte was seen, or -1 */
};

struct ptyrun {
	int		 fd;		/* pty master */
	pid_t		 pid;
	int		 out;		/* -o file or -1 */
	long		 baud;		/* 0: read as fast as it comes */
	double		 quiet_ms;
	double		 start;
	double		 deadline;
	double		 line_free;	/* paced: when the line is idle again */
	int		 eof;		/* the slave side is gone */
	int		 timedout;
	int		 keypad;	/* program sent smkx, not yet rmkx */
	char		 seen[5];	/* the last bytes, to find smkx/rmkx */
};

static void	ptyrun_usage(void);
static void	ptyrun_die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
static long	ptyrun_number(const char *, const char *, long, long);
static unsigned short	ptyrun_size(const char *, const char *);
static double	ptyrun_now(void);
static void	ptyrun_sleep_until(double);
static int	ptyrun_parse_key(const char *, struct ptyrun_key *);
static void	ptyrun_env_add(char **, size_t *, char *);
static void	ptyrun_env_pass(char **, size_t *, const char *);
static void	ptyrun_track_keypad(struct ptyrun *, const char *, size_t);
static ssize_t	ptyrun_read(struct ptyrun *, double);
static void	ptyrun_settle(struct ptyrun *, struct ptyrun_burst *);
static void	ptyrun_send(struct ptyrun *, const struct ptyrun_key *);
static long	ptyrun_hwm(pid_t);
static speed_t	ptyrun_speed(long);
static long	ptyrun_stop(struct ptyrun *, int *);

static void
ptyrun_usage(void)
{
	fprintf(stderr, "usage: ptyrun [-c cols] [-r rows] [-t term] "
	    "[-b baud] [-q quiet_ms] [-k keys]\n"
	    "              [-e name=value | -e name]... [-o file] -- "
	    "/program [arg ...]\n"
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

/* A window size (columns or rows) from 2 to 1000, or die. */
static unsigned short
ptyrun_size(const char *what, const char *s)
{
	return ((unsigned short)ptyrun_number(what, s, 2, 1000));
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

/* Turn one key name of -k into the bytes a vt100 or xterm sends. */
static int
ptyrun_parse_key(const char *s, struct ptyrun_key *k)
{
	static const struct {
		const char	*name;
		const char	*bytes;
		char		 cursor;
	} names[] = {
		{ "up", NULL, 'A' },
		{ "down", NULL, 'B' },
		{ "right", NULL, 'C' },
		{ "left", NULL, 'D' },
		{ "enter", "\r", 0 },
		{ "esc", "\033", 0 },
		{ "tab", "\t", 0 },
		{ "space", " ", 0 },
		{ "q", "q", 0 },
	};
	size_t	i;
	long	v;
	char	*end;

	memset(k, 0, sizeof *k);
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
		if (strcmp(s, names[i].name) != 0)
			continue;
		k->cursor = names[i].cursor;
		if (names[i].bytes != NULL) {
			k->len = strlen(names[i].bytes);
			memcpy(k->bytes, names[i].bytes, k->len);
		}
		return (0);
	}
	return (-1);
}

/*
 * Add NAME=VALUE to the child's environment, replacing an earlier entry of
 * the same name so that the program sees each variable once.
 */
static void
ptyrun_env_add(char **envp, size_t *n, char *kv)
{
	size_t	i, len;

	len = strcspn(kv, "=") + 1;
	for (i = 0; i < *n; i++) {
		if (strncmp(envp[i], kv, len) == 0) {
			envp[i] = kv;
			return;
		}
	}
	if (*n == PTYRUN_MAX_ENV)
		ptyrun_die("too many environment variables");
	envp[(*n)++] = kv;
	envp[*n] = NULL;
}

/* Pass NAME=VALUE on from our own environment, if NAME is set there. */
static void
ptyrun_env_pass(char **envp, size_t *n, const char *name)
{
	extern char	**environ;
	char		**e;
	size_t		  len = strlen(name);

	for (e = environ; *e != NULL; e++) {
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') {
			ptyrun_env_add(envp, n, *e);
			return;
		}
	}
}

/*
 * Follow smkx (ESC [ ? 1 h) and rmkx (ESC [ ? 1 l): in keypad-transmit mode
 * a terminal sends the cursor keys as ESC O x, and a curses program that
 * asked for it may not understand the other form.
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
 * Wait until the time "until" for output and read one chunk: 0 when
 * nothing came, -1 at end of output.
 *
 * Paced (-b), this is the far end of a serial line: it first waits for
 * the line to finish carrying the previous chunk, then takes at most
 * PTYRUN_PACE_CHUNK bytes, which keep the line busy for 10 bits a byte.
 * Meanwhile whatever else the program wrote waits in the kernel's pty
 * buffer (tens of kB); a program that writes more than that blocks in
 * write(2), as it would on a real tty whose line is slower than its
 * output. The wait for the line comes before the poll, so bytes written
 * during it count as already there, which they would be on a real line.
 */
static ssize_t
ptyrun_read(struct ptyrun *p, double until)
{
	struct pollfd	pfd;
	char		buf[4096];
	size_t		want;
	double		left, now;
	ssize_t		n;
	int		r;

	if (p->eof)
		return (-1);
	if (p->baud != 0)
		ptyrun_sleep_until(p->line_free);
	left = until - ptyrun_now();
	pfd.fd = p->fd;
	pfd.events = POLLIN;
	r = poll(&pfd, 1, left > 0 ? (int)left + 1 : 0);
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
		now = ptyrun_now();
		if (p->line_free < now)
			p->line_free = now;
		p->line_free += n * 10.0 * 1000.0 / p->baud;
	}
	return (n);
}

/*
 * Read until nothing has come for quiet_ms and count the burst. Its last
 * byte is when it was read or, paced, when the line has carried it.
 */
static void
ptyrun_settle(struct ptyrun *p, struct ptyrun_burst *b)
{
	double	quiet_end;
	ssize_t	n;

	b->bytes = 0;
	b->last = -1;
	quiet_end = ptyrun_now() + p->quiet_ms;
	for (;;) {
		if (ptyrun_now() >= p->deadline) {
			p->timedout = 1;
			return;
		}
		if (ptyrun_now() >= quiet_end)
			return;
		n = ptyrun_read(p, quiet_end < p->deadline ? quiet_end :
		    p->deadline);
		if (n == -1)
			return;
		if (n == 0)
			continue;
		b->bytes += (size_t)n;
		b->last = p->baud != 0 ? p->line_free : ptyrun_now();
		quiet_end = b->last + p->quiet_ms;
	}
}

static void
ptyrun_send(struct ptyrun *p, const struct ptyrun_key *k)
{
	char	buf[4];
	size_t	len;

	if (k->cursor != 0) {
		buf[0] = '\033';
		buf[1] = p->keypad ? 'O' : '[';
		buf[2] = k->cursor;
		len = 3;
	} else {
		memcpy(buf, k->bytes, k->len);
		len = k->len;
	}
	if (write(p->fd, buf, len) != (ssize_t)len)
		ptyrun_die("write to pty: %s", strerror(errno));
}

/* The termios speed of a baud rate, or B0 when it has none. */
static speed_t
ptyrun_speed(long baud)
{
	static const struct {
		long	 baud;
		speed_t	 speed;
	} speeds[] = {
		{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 },
		{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
		{ 57600, B57600 }, { 115200, B115200 },
	};
	size_t	i;

	for (i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
		if (speeds[i].baud == baud)
			return (speeds[i].speed);
	}
	return (B0);
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
	p->baud = 0;
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
		if (ptyrun_read(p, ptyrun_now() + 10) == -1)
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
	char			*envp[PTYRUN_MAX_ENV + 1], *term = NULL;
	char			*extra[PTYRUN_MAX_ENV], *keylist = NULL;
	char			*tok, *save, *outpath = NULL;
	char			 termvar[128];
	size_t			 nkeys = 0, nenv = 0, nextra = 0, i;
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
			ws.ws_col = ptyrun_size("-c", optarg);
			break;
		case 'e':
			if (optarg[0] == '=' || optarg[0] == '\0')
				ptyrun_die("-e %s: want NAME=VALUE or NAME",
				    optarg);
			if (nextra == PTYRUN_MAX_ENV)
				ptyrun_die("too many -e");
			extra[nextra++] = optarg;
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
			ws.ws_row = ptyrun_size("-r", optarg);
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

	/*
	 * The child's environment is built from nothing: the defaults, then
	 * -e in order, a later one replacing an earlier one. A bare "-e NAME"
	 * passes NAME on from our own environment when it is set there (what
	 * a wrapper such as the lab's runner exported).
	 */
	len = snprintf(termvar, sizeof termvar, "TERM=%s",
	    term != NULL ? term : "vt100");
	if (len < 0 || (size_t)len >= sizeof termvar)
		ptyrun_die("-t: terminal name too long");
	envp[0] = NULL;
	ptyrun_env_add(envp, &nenv, termvar);
	ptyrun_env_add(envp, &nenv, "LANG=C");
	ptyrun_env_add(envp, &nenv, "PATH=/usr/bin:/bin");
	ptyrun_env_add(envp, &nenv, "HOME=/tmp");
	for (i = 0; i < nextra; i++) {
		if (strchr(extra[i], '=') != NULL)
			ptyrun_env_add(envp, &nenv, extra[i]);
		else
			ptyrun_env_pass(envp, &nenv, extra[i]);
	}

	if (outpath != NULL) {
		p.out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		if (p.out == -1)
			ptyrun_die("%s: %s", outpath, strerror(errno));
	}

	p.start = ptyrun_now();
	p.deadline = p.start + PTYRUN_TIMEOUT_MS;
	p.line_free = p.start;
	p.pid = forkpty(&p.fd, NULL, NULL, &ws);
	if (p.pid == -1)
		ptyrun_die("forkpty: %s", strerror(errno));
	if (p.pid == 0) {
		struct termios	 t;

		/* Nothing of ours but the terminal reaches the program. */
		closefrom(STDERR_FILENO + 1);
		/*
		 * Paced, the line says its speed, as agetty sets a serial
		 * port's: a curses program may draw differently on it.
		 */
		if (p.baud != 0 && ptyrun_speed(p.baud) != B0 &&
		    tcgetattr(STDIN_FILENO, &t) == 0 &&
		    cfsetspeed(&t, ptyrun_speed(p.baud)) == 0)
			(void)tcsetattr(STDIN_FILENO, TCSANOW, &t);
		execve(argv[0], argv, envp);
		dprintf(STDERR_FILENO, "ptyrun: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (fcntl(p.fd, F_SETFD, FD_CLOEXEC) == -1)
		ptyrun_die("fcntl: %s", strerror(errno));

	ptyrun_settle(&p, &paint);
	printf("paint_bytes=%zu paint_ms=%.2f", paint.bytes,
	    paint.last < 0 ? -1.0 : paint.last - p.start);

	for (i = 0; i < nkeys && !p.timedout && !p.eof; i++) {
		/*
		 * Paced, the key goes out once the line is idle, and its own
		 * 3 bytes on the way in are not counted: the figure is the
		 * program's answer.
		 */
		if (p.baud != 0)
			ptyrun_sleep_until(p.line_free);
		sent = ptyrun_now();
		ptyrun_send(&p, &keys[i]);
		ptyrun_settle(&p, &kb);
		printf(" key%zu_bytes=%zu key%zu_ms=%.2f", i + 1, kb.bytes,
		    i + 1, kb.last < 0 ? -1.0 : kb.last - sent);
	}

	rss = ptyrun_hwm(p.pid);
	reaped_rss = ptyrun_stop(&p, &status);
	/* A program that has already exited has no VmHWM; rusage does. */
	if (rss == -1)
		rss = reaped_rss;
	printf(" rss_kb=%ld\n", rss);
	if (fflush(stdout) == EOF)
		ptyrun_die("stdout: %s", strerror(errno));

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
	if (i < nkeys) {
		fprintf(stderr, "ptyrun: %s ended before key %zu\n", argv[0],
		    i + 1);
		return (1);
	}
	return (0);
}
