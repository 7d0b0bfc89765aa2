/* SPDX-License-Identifier: ISC */
/*
 * Module 400's model (see systime.h). Every path goes through the system
 * root (paths.h), so the lab and the tests run all of it against a
 * temporary tree; only the clock itself is shared, and nothing here
 * changes it (the privileged helper does, and never under a test root).
 */
#include <sys/stat.h>
#include <sys/timex.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "paths.h"
#include "systime.h"
#include "text.h"
#include "valid.h"
#include "xmalloc.h"

#define SYSTIME_STATE_MAX	4096
#define SYSTIME_TZDATA_MAX	(512 * 1024)
#define SYSTIME_ZONES_MAX	1024

struct systime_svc_info {
	const char	*name;
	const char	*unit;
	const char	*conf[2];	/* any of these present: detected */
	const char	*dropin;
};

static const struct systime_svc_info systime_svcs[] = {
	[SYSTIME_SVC_NONE] = { "none", NULL, { NULL, NULL }, NULL },
	[SYSTIME_SVC_CHRONY] = { "chrony", "chrony.service",
	    { "/etc/chrony/chrony.conf", NULL },
	    "/etc/chrony/sources.d/appliance-console.sources" },
	[SYSTIME_SVC_TIMESYNCD] = { "systemd-timesyncd",
	    "systemd-timesyncd.service",
	    { "/etc/systemd/timesyncd.conf", NULL },
	    "/etc/systemd/timesyncd.conf.d/appliance-console.conf" },
	/* ntpd (ntpsec or classic) reads no drop-in directory. */
	[SYSTIME_SVC_NTPD] = { "ntpd", "ntpsec.service",
	    { "/etc/ntpsec/ntp.conf", "/etc/ntp.conf" }, NULL },
};

static int	 systime_exists(const char *);
static int	 systime_servers_parse(struct systime_servers *, const char *,
		     const char *, char **);
static int	 systime_is_pool(const char *);
static int	 systime_zone_cmp(const void *, const void *);
static int	 systime_kernel_synced(void);
static int	 systime_valid_time(const char *, char **);
static int	 systime_valid_dir(const char *, char **);
static int	 systime_valid_ns(const char *, char **);
static int	 systime_valid_force(const char *, char **);
static int	 systime_usable(const struct sntp_result *);
static int	 systime_agree(const struct sntp_result *,
		     const struct sntp_result *);

/* Does root + path exist? */
static int
systime_exists(const char *path)
{
	char		 p[PATH_MAX];
	struct stat	 st;

	return (paths_get(p, sizeof p, path) == 0 && stat(p, &st) == 0);
}

enum systime_service
systime_detect(void)
{
	int	 s, i;

	for (s = SYSTIME_SVC_CHRONY; s <= SYSTIME_SVC_NTPD; s++) {
		for (i = 0; i < 2; i++) {
			if (systime_svcs[s].conf[i] != NULL &&
			    systime_exists(systime_svcs[s].conf[i]))
				return ((enum systime_service)s);
		}
	}
	return (SYSTIME_SVC_NONE);
}

const char *
systime_service_name(enum systime_service s)
{
	return (systime_svcs[s].name);
}

const char *
systime_service_unit(enum systime_service s)
{
	return (systime_svcs[s].unit);
}

const char *
systime_dropin_path(enum systime_service s)
{
	return (systime_svcs[s].dropin);
}

void
systime_servers_free(struct systime_servers *sv)
{
	int	 i;

	for (i = 0; i < sv->n; i++)
		free(sv->names[i]);
	memset(sv, 0, sizeof *sv);
}

/* Words separated by spaces, commas or newlines, each validated. */
static int
systime_servers_parse(struct systime_servers *sv, const char *text,
    const char *where, char **cause)
{
	char	*copy, *word, *save = NULL, *why = NULL;

	copy = xstrdup(text);
	/* '#' starts a comment that runs to the end of its line. */
	for (word = copy; (word = strchr(word, '#')) != NULL; word++) {
		while (*word != '\0' && *word != '\n')
			*word++ = ' ';
		if (*word == '\0')
			break;
	}
	for (word = strtok_r(copy, ", \n", &save); word != NULL;
	    word = strtok_r(NULL, ", \n", &save)) {
		if (sv->n == CONFIG_TIME_SERVERS_MAX) {
			xasprintf(cause, "%s lists more than %d servers",
			    where, CONFIG_TIME_SERVERS_MAX);
			goto fail;
		}
		if (valid_ntp_server(word, &why) == -1) {
			xasprintf(cause, "%s: %s", where, why);
			free(why);
			goto fail;
		}
		sv->names[sv->n++] = xstrdup(word);
	}
	free(copy);
	return (0);
fail:
	free(copy);
	systime_servers_free(sv);
	return (-1);
}

int
systime_servers_load(const struct config *cfg, struct systime_servers *sv,
    char **cause)
{
	char	 path[PATH_MAX], *text;
	int	 r;

	memset(sv, 0, sizeof *sv);
	if (paths_get(path, sizeof path, SYSTIME_STATE_SERVERS) == -1) {
		xasprintf(cause, "the system root is too long");
		return (-1);
	}
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return (systime_servers_parse(sv, cfg->time.servers,
		    "[time] servers", cause));
	if ((text = text_read_file(path, SYSTIME_STATE_MAX, cause)) == NULL)
		return (-1);
	sv->from_state = 1;
	r = systime_servers_parse(sv, text, path, cause);
	free(text);
	sv->from_state = r == 0;
	return (r);
}

int
systime_servers_add(struct systime_servers *sv, const char *name,
    char **cause)
{
	int	 i;

	if (valid_ntp_server(name, cause) == -1)
		return (-1);
	for (i = 0; i < sv->n; i++) {
		if (strcasecmp(sv->names[i], name) == 0) {
			xasprintf(cause, "%s is already in the list", name);
			return (-1);
		}
	}
	if (sv->n == CONFIG_TIME_SERVERS_MAX) {
		xasprintf(cause, "the list already holds %d servers, the most "
		    "it can", CONFIG_TIME_SERVERS_MAX);
		return (-1);
	}
	sv->names[sv->n++] = xstrdup(name);
	sv->from_state = 1;
	return (0);
}

int
systime_servers_remove(struct systime_servers *sv, const char *name,
    char **cause)
{
	int	 i;

	if (valid_ntp_server(name, cause) == -1)
		return (-1);
	for (i = 0; i < sv->n; i++) {
		if (strcasecmp(sv->names[i], name) == 0)
			break;
	}
	if (i == sv->n) {
		xasprintf(cause, "%s is not in the list", name);
		return (-1);
	}
	if (sv->n == 1) {
		xasprintf(cause, "%s is the last server; add another before "
		    "removing it", name);
		return (-1);
	}
	free(sv->names[i]);
	memmove(&sv->names[i], &sv->names[i + 1],
	    (size_t)(sv->n - i - 1) * sizeof sv->names[0]);
	sv->n--;
	sv->from_state = 1;
	return (0);
}

char *
systime_servers_state(const struct systime_servers *sv)
{
	struct text_buf	 b;
	int		 i;

	text_buf_init(&b, SYSTIME_STATE_MAX);
	text_buf_printf(&b, "# NTP servers set with appliance-console "
	    "'time servers'.\n");
	for (i = 0; i < sv->n; i++)
		text_buf_printf(&b, "%s\n", sv->names[i]);
	return (text_buf_take(&b));
}

/* A name with a label "pool" (pool.ntp.org, 2.debian.pool.ntp.org). */
static int
systime_is_pool(const char *name)
{
	return (strncasecmp(name, "pool.", 5) == 0 ||
	    strcasestr(name, ".pool.") != NULL);
}

char *
systime_servers_dropin(enum systime_service s, const struct systime_servers *sv)
{
	struct text_buf	 b;
	int		 i;

	if (systime_svcs[s].dropin == NULL)
		return (NULL);
	text_buf_init(&b, SYSTIME_STATE_MAX);
	text_buf_printf(&b, "# Written by appliance-console; change it with "
	    "'time servers'.\n");
	if (s == SYSTIME_SVC_CHRONY) {
		for (i = 0; i < sv->n; i++)
			text_buf_printf(&b, "%s %s iburst\n",
			    systime_is_pool(sv->names[i]) ? "pool" : "server",
			    sv->names[i]);
	} else {
		text_buf_printf(&b, "[Time]\nNTP=");
		for (i = 0; i < sv->n; i++)
			text_buf_printf(&b, "%s%s", i ? " " : "",
			    sv->names[i]);
		text_buf_printf(&b, "\n");
	}
	return (text_buf_take(&b));
}

void
systime_zone_current(char *buf, size_t len)
{
	char		 p[PATH_MAX], link[PATH_MAX], *text, *nl;
	const char	*z;
	ssize_t		 n;

	if (paths_get(p, sizeof p, SYSTIME_TIMEZONE) == 0 &&
	    (text = text_read_file(p, 256, NULL)) != NULL) {
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		if (valid_zone(text, NULL) == 0) {
			snprintf(buf, len, "%s", text);
			free(text);
			return;
		}
		free(text);
	}
	if (paths_get(p, sizeof p, SYSTIME_LOCALTIME) == 0 &&
	    (n = readlink(p, link, sizeof link - 1)) > 0) {
		link[n] = '\0';
		if ((z = strstr(link, "zoneinfo/")) != NULL &&
		    valid_zone(z + 9, NULL) == 0) {
			snprintf(buf, len, "%s", z + 9);
			return;
		}
	}
	snprintf(buf, len, "UTC");
}

int
systime_zone_check(const char *zone, char **cause)
{
	char	 p[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], rdir[PATH_MAX];
	char	 magic[4];
	int	 fd, ok = 0;
	size_t	 dl;

	if (valid_zone(zone, cause) == -1)
		return (-1);
	if (paths_get(dir, sizeof dir, SYSTIME_ZONEINFO) == -1 ||
	    xsnprintf(p, sizeof p, "%s/%s", dir, zone) == -1 ||
	    realpath(dir, rdir) == NULL || realpath(p, real) == NULL) {
		xasprintf(cause, "'%s' is not a time zone of the installed "
		    "tz database", zone);
		return (-1);
	}
	/* The file, links resolved, must still be inside the database. */
	dl = strlen(rdir);
	if (strncmp(real, rdir, dl) == 0 && real[dl] == '/' &&
	    (fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		ok = read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
		    memcmp(magic, "TZif", 4) == 0;
		close(fd);
	}
	if (!ok) {
		xasprintf(cause, "'%s' is not a time zone of the installed "
		    "tz database", zone);
		return (-1);
	}
	return (0);
}

static int
systime_zone_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

char **
systime_zone_search(const char *text, int *count)
{
	char	 p[PATH_MAX], *data, *line, *save = NULL, *name, *sp;
	char	**list;
	int	 n = 0, i, j;

	*count = 0;
	list = xcalloc(SYSTIME_ZONES_MAX + 1, sizeof *list);
	if (paths_get(p, sizeof p, SYSTIME_ZONEINFO "/tzdata.zi") == -1 ||
	    (data = text_read_file(p, SYSTIME_TZDATA_MAX, NULL)) == NULL)
		return (list);
	/* "Z Area/City ..." names a zone, "L Target Area/City" a link. */
	for (line = strtok_r(data, "\n", &save); line != NULL &&
	    n < SYSTIME_ZONES_MAX; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == 'Z' && line[1] == ' ')
			name = line + 2;
		else if (line[0] == 'L' && line[1] == ' ' &&
		    (name = strchr(line + 2, ' ')) != NULL)
			name++;
		else
			continue;
		if ((sp = strchr(name, ' ')) != NULL)
			*sp = '\0';
		if (valid_zone(name, NULL) == -1 ||
		    (text[0] != '\0' && strcasestr(name, text) == NULL))
			continue;
		list[n++] = xstrdup(name);
	}
	free(data);
	qsort(list, (size_t)n, sizeof *list, systime_zone_cmp);
	/* Drop duplicates (a name can be both a zone and a link's target). */
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && strcmp(list[j - 1], list[i]) == 0)
			free(list[i]);
		else
			list[j++] = list[i];
	}
	list[j] = NULL;
	*count = j;
	return (list);
}

void
systime_zone_list_free(char **list)
{
	int	 i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

void
systime_format(char *buf, size_t len, time_t t, const char *zone)
{
	char		 dir[PATH_MAX], tz[PATH_MAX + 2], *old = NULL;
	const char	*prev;
	struct tm	 tm;

	if (zone == NULL) {
		gmtime_r(&t, &tm);
		if (strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			buf[0] = '\0';
		return;
	}
	/* The zone of the system root, not of the process. */
	if ((prev = getenv("TZ")) != NULL)
		old = xstrdup(prev);
	if (paths_get(dir, sizeof dir, SYSTIME_ZONEINFO) == 0 &&
	    xsnprintf(tz, sizeof tz, ":%s/%s", dir, zone) != -1)
		setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	if (strftime(buf, len, "%Y-%m-%d %H:%M:%S %Z %z", &tm) == 0)
		buf[0] = '\0';
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* What the kernel says: synchronised by a time service or not (read only). */
static int
systime_kernel_synced(void)
{
	struct timex	 tx;
	int		 r;

	memset(&tx, 0, sizeof tx);
	if ((r = ntp_adjtime(&tx)) == -1)
		return (-1);
	return (r != TIME_ERROR);
}

/* An answer that may vote: a good reply with a delay no clock can beat. */
static int
systime_usable(const struct sntp_result *r)
{
	return (r->status == SNTP_OK && r->delay_ns >= 0);
}

/* Do two answers tell the same time, within their own uncertainty? */
static int
systime_agree(const struct sntp_result *a, const struct sntp_result *b)
{
	int64_t	 d = a->offset_ns - b->offset_ns;

	if (d < 0)
		d = -d;
	return (d <= SYSTIME_AGREE_NS + (a->delay_ns + b->delay_ns) / 2);
}

int
systime_answered(const struct sntp_result *res, int n)
{
	int	 i, k = 0;

	for (i = 0; i < n; i++)
		k += systime_usable(&res[i]);
	return (k);
}

/*
 * More than half of the servers that answered must agree with the one we
 * take: a stratum is only a claim, so one liar (or whoever answers DNS
 * for a pool) cannot win by claiming stratum 1. Among those that agree
 * with a majority: the lowest stratum, then the lowest delay.
 */
int
systime_best(const struct sntp_result *res, int n)
{
	int	 i, j, votes, answered, best = -1;

	answered = systime_answered(res, n);
	for (i = 0; i < n; i++) {
		if (!systime_usable(&res[i]))
			continue;
		for (j = 0, votes = 0; j < n; j++)
			votes += systime_usable(&res[j]) &&
			    systime_agree(&res[i], &res[j]);
		if (2 * votes <= answered)
			continue;
		if (best == -1 || res[i].stratum < res[best].stratum ||
		    (res[i].stratum == res[best].stratum &&
		    res[i].delay_ns < res[best].delay_ns))
			best = i;
	}
	return (best);
}

void
systime_step_words(int64_t step, char *dir, size_t dlen, char *ns,
    size_t nlen)
{
	snprintf(dir, dlen, "%s", step < 0 ? "back" : "forward");
	snprintf(ns, nlen, "%llu", step < 0 ? -(unsigned long long)step :
	    (unsigned long long)step);
}

int
systime_step_parse(const char *dir, const char *ns, int64_t *step,
    char **cause)
{
	long long	 v;

	if (strcmp(dir, "forward") != 0 && strcmp(dir, "back") != 0) {
		xasprintf(cause, "the direction is forward or back");
		return (-1);
	}
	if (valid_number(ns, 0, SYSTIME_STEP_NS_MAX, &v, cause) == -1)
		return (-1);
	*step = strcmp(dir, "back") == 0 ? -(int64_t)v : (int64_t)v;
	return (0);
}

int
systime_step_check(const struct config *cfg, int64_t step, int force,
    char **cause)
{
	int64_t	 a = step < 0 ? -step : step;

	if (!force && a > (int64_t)cfg->time.max_step_seconds * 1000000000) {
		xasprintf(cause, "the step of %+.3f s is larger than [time] "
		    "max_step_seconds (%d): check the servers, or step "
		    "anyway with --force", (double)step / 1e9,
		    cfg->time.max_step_seconds);
		return (-1);
	}
	return (0);
}

int
systime_step_confirmed(int64_t confirmed, const struct sntp_result *best,
    char **cause)
{
	int64_t	 d = best->offset_ns - confirmed;

	if (d < 0)
		d = -d;
	if (d > SYSTIME_AGREE_NS + best->delay_ns / 2) {
		xasprintf(cause, "the step measured now (%+.6f s from %s) "
		    "differs from the confirmed step (%+.6f s) by more than "
		    "%.3f s; nothing was changed: measure and confirm again",
		    (double)best->offset_ns / 1e9, best->server,
		    (double)confirmed / 1e9, (double)(SYSTIME_AGREE_NS +
		    best->delay_ns / 2) / 1e9);
		return (-1);
	}
	return (0);
}

int
systime_report_collect(const struct config *cfg, struct systime_report *r,
    char **cause)
{
	struct timespec	 a, b;
	int64_t		 off;

	memset(r, 0, sizeof *r);
	r->best = -1;
	r->kernel_synced = systime_kernel_synced();
	r->service = systime_detect();
	r->warn_offset = cfg->time.warn_offset_seconds;
	systime_zone_current(r->zone, sizeof r->zone);
	if (systime_servers_load(cfg, &r->servers, cause) == -1)
		return (-1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	sntp_query_all((const char *const *)r->servers.names, r->servers.n,
	    cfg->time.query_timeout_ms, r->results);
	clock_gettime(CLOCK_MONOTONIC, &b);
	r->query_ns = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 +
	    (b.tv_nsec - a.tv_nsec);
	clock_gettime(CLOCK_REALTIME, &r->now);
	systime_format(r->utc, sizeof r->utc, r->now.tv_sec, NULL);
	systime_format(r->local, sizeof r->local, r->now.tv_sec, r->zone);
	r->best = systime_best(r->results, r->servers.n);
	if (r->best != -1) {
		off = r->results[r->best].offset_ns;
		if (off < 0)
			off = -off;
		r->warn = off > (int64_t)r->warn_offset * 1000000000;
	}
	return (0);
}

void
systime_report_free(struct systime_report *r)
{
	systime_servers_free(&r->servers);
}

static const struct verb_type systime_server = { "server", valid_ntp_server };
static const struct verb_type systime_zone = { "zone", systime_zone_check };
static const struct verb_type systime_time = { "time", systime_valid_time };
static const struct verb_type systime_dir = { "forward|back",
	systime_valid_dir };
static const struct verb_type systime_ns = { "nanoseconds",
	systime_valid_ns };
static const struct verb_type systime_force = { "force",
	systime_valid_force };

static const struct verb systime_verb_table[] = {
	[SYSTIME_V_SERVER_ADD] = { "server-add", 1,
	    { { "name", &systime_server, 0 } } },
	[SYSTIME_V_SERVER_REMOVE] = { "server-remove", 1,
	    { { "name", &systime_server, 0 } } },
	[SYSTIME_V_ZONE_SET] = { "zone-set", 1,
	    { { "zone", &systime_zone, 0 } } },
	/* The step the person confirmed, and whether over the cap. */
	[SYSTIME_V_SYNC] = { "sync", 3, {
	    { "direction", &systime_dir, 0 },
	    { "step", &systime_ns, 0 },
	    { "force", &systime_force, VERB_OPTIONAL } } },
	[SYSTIME_V_SET] = { "set", 1, { { "time", &systime_time, 0 } } },
	[SYSTIME_V_RESTART] = { "restart", 0, { { NULL, NULL, 0 } } },
};
_Static_assert(sizeof systime_verb_table / sizeof systime_verb_table[0] ==
    SYSTIME_V_COUNT, "a row per time verb");

const struct verb_domain systime_verbs = { "time", systime_verb_table,
	SYSTIME_V_COUNT };

/* ISO 8601 with a zone, as the set verb takes it. */
static int
systime_valid_time(const char *s, char **cause)
{
	return (valid_datetime(s, NULL, cause));
}

static int
systime_valid_dir(const char *s, char **cause)
{
	if (strcmp(s, "forward") == 0 || strcmp(s, "back") == 0)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "use forward or back");
	return (-1);
}

static int
systime_valid_ns(const char *s, char **cause)
{
	return (valid_number(s, 0, SYSTIME_STEP_NS_MAX, NULL, cause));
}

static int
systime_valid_force(const char *s, char **cause)
{
	if (strcmp(s, "force") == 0)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "the only value is force");
	return (-1);
}
