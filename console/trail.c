/* SPDX-License-Identifier: ISC */
/*
 * The chained audit trail, written only by root helpers. A record:
 *
 *   seq="12" time="2026-11-23T10:00:00Z" user="admin" uid="1000"
 *   session="4711" tty="pts/3" from="10.1.0.1 51000" helper="network"
 *   verb="route-add" args="..." result="ok" msg="..." prev="<sha256>"
 *
 * on one line; prev is the SHA-256 (OpenSSL's EVP) of the whole previous
 * line without its newline. Appending takes flock(LOCK_EX) on the log,
 * reads the last record from the log's tail, writes the new one with one
 * write(2) and then the head file (atomically, root only). The log is
 * opened O_NOFOLLOW|O_NONBLOCK and must be a regular file.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "atomic.h"
#include "audit.h"
#include "paths.h"
#include "trail.h"
#include "valid.h"
#include "xmalloc.h"

#define TRAIL_MODE	0640	/* root writes, the audit group reads */
#define TRAIL_HEAD_MODE	0600
#define TRAIL_ARGS_MAX	1024
#define TRAIL_ZERO	"0000000000000000000000000000000000000000000000000000000000000000"

static char	 trail_user[64] = "root";
static char	 trail_uid[16] = "0";
static char	 trail_session[16] = "-";
static char	 trail_tty[48] = "-";
static char	 trail_from[96] = "-";
static char	 trail_helper[32] = "-";
static char	 trail_verb[32] = "-";
static char	 trail_args[TRAIL_ARGS_MAX] = "";

static int	 trail_open(char **);
static int	 trail_tail(int, long long *, char *, char **);
static int	 trail_ttyword(const char *);
static int	 trail_parse(const char *, size_t, long long *, char *);
static int	 trail_head_write(const char *, long long, const char *,
		    char **);
static int	 trail_fail(struct trail_report *, enum trail_problem,
		    long long, long long, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

void
trail_capture(void)
{
	struct passwd	*pw;
	const char	*user, *uid;
	long long	 n;

	user = getenv("SUDO_USER");
	uid = getenv("SUDO_UID");
	/*
	 * sudo sets both; they count only when they agree with the
	 * password database, so a caller that is root already cannot name
	 * an account that does not exist.
	 */
	if (getuid() == 0 && user != NULL && uid != NULL &&
	    valid_number(uid, 0, 2147483647, &n, NULL) == 0 &&
	    (pw = getpwuid((uid_t)n)) != NULL &&
	    strcmp(pw->pw_name, user) == 0) {
		(void)xsnprintf(trail_user, sizeof trail_user, "%s", user);
		(void)xsnprintf(trail_uid, sizeof trail_uid, "%lld", n);
		return;
	}
	if ((pw = getpwuid(getuid())) != NULL)
		(void)xsnprintf(trail_user, sizeof trail_user, "%s",
		    pw->pw_name);
	else
		(void)xsnprintf(trail_user, sizeof trail_user, "?");
	(void)xsnprintf(trail_uid, sizeof trail_uid, "%u",
	    (unsigned)getuid());
}

/* A terminal's name under /dev: letters, digits and '/'. */
static int
trail_ttyword(const char *s)
{
	size_t	 n;

	n = strlen(s);
	if (n == 0 || n >= sizeof trail_tty ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789/") != n || s[0] == '/' || strstr(s, "..") != NULL)
		return (-1);
	return (0);
}

int
trail_context(const char *word, char **cause)
{
	char		 buf[160], *f[4], *p;
	long long	 sid;
	int		 i;

	if (word[0] != '@' || xsnprintf(buf, sizeof buf, "%s",
	    word + 1) == -1)
		goto bad;
	p = buf;
	for (i = 0; i < 4; i++) {
		f[i] = p;
		p = strchr(p, ',');
		if (i < 3) {
			if (p == NULL)
				goto bad;
			*p++ = '\0';
		} else if (p != NULL)
			goto bad;
	}
	if (strcmp(f[0], "-") != 0 &&
	    valid_number(f[0], 1, 2147483647, &sid, NULL) != 0)
		goto bad;
	if (strcmp(f[1], "-") != 0 && trail_ttyword(f[1]) != 0)
		goto bad;
	if ((strcmp(f[2], "-") == 0) != (strcmp(f[3], "-") == 0))
		goto bad;
	if (strcmp(f[2], "-") != 0 && (valid_ip(f[2], NULL, NULL) != 0 ||
	    valid_port(f[3], NULL, NULL) != 0))
		goto bad;
	(void)xsnprintf(trail_session, sizeof trail_session, "%s", f[0]);
	(void)xsnprintf(trail_tty, sizeof trail_tty, "%s", f[1]);
	if (strcmp(f[2], "-") == 0)
		(void)xsnprintf(trail_from, sizeof trail_from, "-");
	else
		(void)xsnprintf(trail_from, sizeof trail_from, "%s %s", f[2],
		    f[3]);
	return (0);
bad:
	if (cause != NULL)
		xasprintf(cause, "the context word is not "
		    "@SESSION,TTY,ADDR,PORT");
	return (-1);
}

void
trail_request(const char *helper, const char *verb, int argc,
    char *const *argv)
{
	size_t	 len = 0;
	int	 i, n;

	(void)xsnprintf(trail_helper, sizeof trail_helper, "%s", helper);
	if (verb == NULL || xsnprintf(trail_verb, sizeof trail_verb, "%s",
	    verb) == -1)
		(void)xsnprintf(trail_verb, sizeof trail_verb, "?");
	trail_args[0] = '\0';
	for (i = 0; i < argc && argv[i] != NULL; i++) {
		n = snprintf(trail_args + len, sizeof trail_args - len, "%s%s",
		    i > 0 ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof trail_args - len) {
			trail_args[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
}

int
trail_hash(const char *data, size_t len, char *hex)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;

	/* No openssl.cnf: a digest needs no configuration. */
	(void)OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen * 2 != TRAIL_HASH_HEX)
		return (-1);
	for (i = 0; i < mdlen; i++)
		(void)snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[TRAIL_HASH_HEX] = '\0';
	return (0);
}

/*
 * The parts of a record verify needs: the sequence number (the first
 * field) and prev (the last). 0, or -1 when the line is not a record.
 */
static int
trail_parse(const char *line, size_t len, long long *seq, char *prev)
{
	const char	*p, *tail;
	size_t		 i;

	if (len < 8 || strncmp(line, "seq=\"", 5) != 0)
		return (-1);
	*seq = 0;
	for (p = line + 5; p < line + len && *p >= '0' && *p <= '9'; p++) {
		if (*seq > 100000000000000LL)
			return (-1);
		*seq = *seq * 10 + (*p - '0');
	}
	if (p == line + 5 || p >= line + len || *p != '"' || *seq < 1)
		return (-1);
	if (len < 8 + TRAIL_HASH_HEX + 1)
		return (-1);
	tail = line + len - (TRAIL_HASH_HEX + 8);
	if (strncmp(tail, " prev=\"", 7) != 0 || line[len - 1] != '"')
		return (-1);
	for (i = 0; i < TRAIL_HASH_HEX; i++) {
		if (strchr("0123456789abcdef", tail[7 + i]) == NULL ||
		    tail[7 + i] == '\0')
			return (-1);
		prev[i] = tail[7 + i];
	}
	prev[TRAIL_HASH_HEX] = '\0';
	return (0);
}

/* Open (a root helper may create) the log: a regular file, never a link. */
static int
trail_open(char **cause)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	int		 fd, flags = O_RDWR | O_APPEND | O_CLOEXEC |
			    O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;

	if (paths_get(path, sizeof path, PATH_TRAIL_LOG) == -1) {
		if (cause != NULL)
			xasprintf(cause, "the trail's path is too long");
		return (-1);
	}
	fd = open(path, flags);
	if (fd == -1 && errno == ENOENT) {
		/* The group from the set-group-ID directory; our mode. */
		fd = open(path, flags | O_CREAT | O_EXCL, TRAIL_MODE);
		if (fd != -1)
			(void)fchmod(fd, TRAIL_MODE);
		else if (errno == EEXIST)
			fd = open(path, flags);
	}
	if (fd == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot open the audit trail %s: %s",
			    path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		if (cause != NULL)
			xasprintf(cause, "the audit trail %s is not a "
			    "regular file", path);
		return (-1);
	}
	return (fd);
}

/* The last record's number and hash (0 and zeros for an empty log). */
static int
trail_tail(int fd, long long *seq, char *hash, char **cause)
{
	char		 buf[TRAIL_LINE_MAX + 2], prev[TRAIL_HASH_HEX + 1];
	struct stat	 st;
	off_t		 off;
	ssize_t		 n;
	char		*start, *end;

	*seq = 0;
	memcpy(hash, TRAIL_ZERO, TRAIL_HASH_HEX + 1);
	if (fstat(fd, &st) == -1)
		goto fail;
	if (st.st_size == 0)
		return (0);
	off = st.st_size > (off_t)sizeof buf - 1 ?
	    st.st_size - (off_t)(sizeof buf - 1) : 0;
	if ((n = pread(fd, buf, sizeof buf - 1, off)) <= 0)
		goto fail;
	buf[n] = '\0';
	end = buf + n;
	if (end[-1] == '\n')
		end--;
	*end = '\0';
	start = memrchr(buf, '\n', (size_t)(end - buf));
	start = start == NULL ? buf : start + 1;
	if (start == buf && off > 0)
		goto bad;	/* longer than any record we write */
	if (trail_parse(start, (size_t)(end - start), seq, prev) == -1)
		goto bad;
	return (trail_hash(start, (size_t)(end - start), hash));
fail:
	if (cause != NULL)
		xasprintf(cause, "cannot read the audit trail: %s",
		    strerror(errno));
	return (-1);
bad:
	/* Chain on anyway: verify names the broken line. */
	(void)trail_hash(start, (size_t)(end - start), hash);
	*seq = st.st_size;	/* far from any real number: verify sees it */
	return (0);
}

/*
 * The head, "SEQ HASH\n" of a fixed width, rewritten in place by one
 * pwrite(2) under the trail's lock (verify reads it under a shared one):
 * smaller than a disk sector, so it is the old head or the new one. Not
 * through atomic_write_file: its two fsyncs per record cost more than the
 * change being recorded (tests/bench/audit.sh); the trail itself is not
 * synced either.
 */
static int
trail_head_write(const char *path, long long seq, const char *hash,
    char **cause)
{
	struct stat	 st;
	char		 buf[TRAIL_HASH_HEX + 32];
	int		 fd, n, flags = O_WRONLY | O_CREAT | O_NOFOLLOW |
			    O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	n = snprintf(buf, sizeof buf, "%020lld %s\n", seq, hash);
	if ((fd = open(path, flags, TRAIL_HEAD_MODE)) == -1 &&
	    errno == ENOENT && atomic_mkdirs_for(path, 0755, NULL) == 0)
		fd = open(path, flags, TRAIL_HEAD_MODE);
	if (fd == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot open the trail's head: %s",
			    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    fchmod(fd, TRAIL_HEAD_MODE) == -1 ||
	    pwrite(fd, buf, (size_t)n, 0) != n || ftruncate(fd, n) == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot write the trail's head");
		close(fd);
		return (-1);
	}
	return (close(fd));
}

int
trail_append(const char *result, const char *msg, char **cause)
{
	struct audit_line	 l;
	struct tm		 tm;
	char			 line[TRAIL_LINE_MAX], head[PATH_MAX];
	char			 prev[TRAIL_HASH_HEX + 1], num[24], stamp[32];
	char			 hbuf[TRAIL_HASH_HEX + 1];
	time_t			 now;
	long long		 seq;
	ssize_t			 n;
	int			 fd, r = -1;

	if ((fd = trail_open(cause)) == -1)
		return (-1);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			if (cause != NULL)
				xasprintf(cause, "cannot lock the audit "
				    "trail: %s", strerror(errno));
			goto out;
		}
	}
	if (trail_tail(fd, &seq, prev, cause) == -1)
		goto out;
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)xsnprintf(stamp, sizeof stamp, "%lld", (long long)now);
	(void)xsnprintf(num, sizeof num, "%lld", seq + 1);
	audit_line_init(&l, line, sizeof line - TRAIL_HASH_HEX - 12);
	audit_line_field(&l, "seq", num);
	audit_line_field(&l, "time", stamp);
	audit_line_field(&l, "user", trail_user);
	audit_line_field(&l, "uid", trail_uid);
	audit_line_field(&l, "session", trail_session);
	audit_line_field(&l, "tty", trail_tty);
	audit_line_field(&l, "from", trail_from);
	audit_line_field(&l, "helper", trail_helper);
	audit_line_field(&l, "verb", trail_verb);
	audit_line_field(&l, "args", trail_args);
	audit_line_field(&l, "result", result);
	audit_line_field(&l, "msg", msg != NULL ? msg : "");
	/* prev always fits: the fields' room left space for it. */
	l.cut = 0;
	l.cap = sizeof line;
	audit_line_field(&l, "prev", prev);
	if (trail_hash(l.buf, l.len, hbuf) == -1) {
		if (cause != NULL)
			xasprintf(cause, "cannot hash the record");
		goto out;
	}
	audit_line_end(&l);
	do {
		n = write(fd, line, l.len);
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)l.len) {
		if (cause != NULL)
			xasprintf(cause, "cannot write the audit trail: %s",
			    n == -1 ? strerror(errno) : "short write");
		goto out;
	}
	if (paths_get(head, sizeof head, PATH_TRAIL_HEAD) == -1 ||
	    trail_head_write(head, seq + 1, hbuf, cause) == -1)
		goto out;
	r = 0;
out:
	close(fd);	/* and the lock with it */
	return (r);
}

void
trail_sink(const char *result, const char *msg)
{
	char	*cause = NULL;

	if (trail_append(result, msg, &cause) == -1) {
		syslog(LOG_ERR, "audit trail: %s", cause != NULL ? cause :
		    "cannot append");
		free(cause);
	}
}

const char *
trail_problem_name(enum trail_problem p)
{
	switch (p) {
	case TRAIL_OK:
		return ("ok");
	case TRAIL_MALFORMED:
		return ("malformed");
	case TRAIL_CHANGED:
		return ("changed");
	case TRAIL_INSERTED:
		return ("inserted");
	case TRAIL_DELETED:
		return ("deleted");
	case TRAIL_HEAD:
		return ("head");
	case TRAIL_UNREADABLE:
		break;
	}
	return ("unreadable");
}

/* Set the report's problem; returns 1 (the chain does not hold). */
static int
trail_fail(struct trail_report *rep, enum trail_problem p, long long line,
    long long seq, const char *fmt, ...)
{
	va_list	 ap;

	rep->problem = p;
	rep->line = line;
	rep->seq = seq;
	va_start(ap, fmt);
	(void)vsnprintf(rep->message, sizeof rep->message, fmt, ap);
	va_end(ap);
	return (1);
}

int
trail_verify(const char *log, const char *headpath, struct trail_report *rep)
{
	char		 h1[TRAIL_HASH_HEX + 1], h2[TRAIL_HASH_HEX + 1];
	char		 hcur[TRAIL_HASH_HEX + 1], prev[TRAIL_HASH_HEX + 1];
	char		 hsaved[TRAIL_HASH_HEX + 1], hb[128];
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	long long	 n = 0, seq, last = 0, hseq = 0, hline = 0;
	long long	 lastline = 0;
	FILE		*f, *hf;
	int		 r = 0, log_errno;

	memset(rep, 0, sizeof *rep);
	/*
	 * Under a shared lock on the trail: a helper appends and rewrites
	 * the head under an exclusive one, so both are read in step.
	 */
	if ((f = fopen(log, "re")) != NULL)
		(void)flock(fileno(f), LOCK_SH);
	log_errno = errno;
	/* h1: the hash of the line before, h2: of the one before that. */
	memcpy(h1, TRAIL_ZERO, sizeof h1);
	memcpy(h2, TRAIL_ZERO, sizeof h2);
	hsaved[0] = '\0';
	if (headpath != NULL) {
		if ((hf = fopen(headpath, "re")) != NULL) {
			if (fgets(hb, sizeof hb, hf) == NULL ||
			    sscanf(hb, "%lld %64[0-9a-f]", &hseq, hsaved) != 2)
				hseq = -1;
			fclose(hf);
		} else if (errno != ENOENT) {
			(void)snprintf(rep->message, sizeof rep->message,
			    "cannot read the head: %s", strerror(errno));
			rep->problem = TRAIL_UNREADABLE;
			if (f != NULL)
				fclose(f);
			return (-1);
		}
	}
	if (f == NULL) {
		errno = log_errno;
		if (errno == ENOENT && hseq == 0) {
			(void)snprintf(rep->message, sizeof rep->message,
			    "no records yet");
			return (0);
		}
		(void)snprintf(rep->message, sizeof rep->message,
		    "cannot read the trail: %s", strerror(errno));
		rep->problem = TRAIL_UNREADABLE;
		return (-1);
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		n++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (trail_parse(line, (size_t)len, &seq, prev) == -1) {
			r = trail_fail(rep, TRAIL_MALFORMED, n, 0, "line %lld "
			    "is not a record (edited or inserted)", n);
			goto out;
		}
		if (trail_hash(line, (size_t)len, hcur) == -1) {
			r = -1;
			goto out;
		}
		if (strcmp(prev, h1) != 0) {
			if (n >= 2 && strcmp(prev, h2) == 0)
				r = trail_fail(rep, TRAIL_INSERTED, n - 1,
				    last, "line %lld (record %lld) was "
				    "inserted: the next record follows the "
				    "one before it", n - 1, last);
			else if (seq > last + 1)
				r = trail_fail(rep, TRAIL_DELETED, n, seq,
				    "records %lld to %lld are missing (deleted)",
				    last + 1, seq - 1);
			else if (n == 1)
				r = trail_fail(rep, TRAIL_CHANGED, 1, seq,
				    "line 1 (record %lld) was changed: the "
				    "first record holds no previous hash",
				    seq);
			else
				r = trail_fail(rep, TRAIL_CHANGED, n - 1,
				    last, "line %lld (record %lld) was "
				    "changed: the next record holds another "
				    "hash of it", n - 1, last);
			goto out;
		}
		if (seq != last + 1) {
			r = trail_fail(rep, TRAIL_CHANGED, n, seq, "line %lld "
			    "(record %lld) was changed: its number does not "
			    "follow", n, seq);
			goto out;
		}
		if (seq == hseq + 1)
			hline = n;
		if (seq == hseq && strcmp(hcur, hsaved) != 0) {
			r = trail_fail(rep, TRAIL_CHANGED, n, seq, "line %lld "
			    "(record %lld) was changed: the head holds another "
			    "hash of it", n, seq);
			goto out;
		}
		memcpy(h2, h1, sizeof h2);
		memcpy(h1, hcur, sizeof h1);
		last = seq;
		lastline = n;
	}
	if (ferror(f)) {
		(void)snprintf(rep->message, sizeof rep->message,
		    "cannot read the trail: %s", strerror(errno));
		rep->problem = TRAIL_UNREADABLE;
		r = -1;
		goto out;
	}
	if (headpath != NULL) {
		if (hseq == -1)
			r = trail_fail(rep, TRAIL_HEAD, lastline, last,
			    "the head file is not SEQ HASH");
		else if (last < hseq)
			r = trail_fail(rep, TRAIL_DELETED, lastline + 1,
			    last + 1, "records %lld to %lld are missing at the "
			    "end (deleted)", last + 1, hseq);
		else if (last > hseq)
			r = trail_fail(rep, TRAIL_INSERTED, hline, hseq + 1,
			    "line %lld (record %lld) and those after it were "
			    "not written by a helper (appended)", hline,
			    hseq + 1);
	}
	if (r == 0)
		(void)snprintf(rep->message, sizeof rep->message,
		    "%lld records, the chain holds", n);
out:
	rep->records = n;
	free(line);
	fclose(f);
	return (r);
}
