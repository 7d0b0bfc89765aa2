/* SPDX-License-Identifier: ISC */
/*
 * Module 400's model: which time service this system runs (chrony,
 * systemd-timesyncd or ntpd, detected from their files under the system
 * root), the time zone, the NTP server list the console keeps and the
 * drop-in it renders for the service, and a report with every server
 * measured by our own SNTP client. Plain functions returning data: the
 * faces (400-time.c) and the privileged helper (console-helper-time) use
 * the same ones, so what the console showed is what the helper does.
 * (Named systime, not time: with -Imodels a "time.h" would shadow
 * <time.h>.)
 */
#ifndef SYSTIME_H
#define SYSTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "sntp.h"
#include "verb.h"

#define SYSTIME_ZONEINFO	"/usr/share/zoneinfo"
#define SYSTIME_LOCALTIME	"/etc/localtime"
#define SYSTIME_TIMEZONE	"/etc/timezone"
#define SYSTIME_STATE_SERVERS	"/var/lib/appliance-console/ntp-servers"
#define SYSTIME_CHRONY_SOCKET	"/run/chrony/chronyd.sock"
#define SYSTIME_ZONE_MAX		64
/* Two answers agree within this, beyond half their delays. */
#define SYSTIME_AGREE_NS	100000000LL
/* The largest step the wire carries: 100 years. */
#define SYSTIME_STEP_NS_MAX	(100LL * 366 * 86400 * 1000000000)

enum systime_service {
	SYSTIME_SVC_NONE = 0,
	SYSTIME_SVC_CHRONY,
	SYSTIME_SVC_TIMESYNCD,
	SYSTIME_SVC_NTPD
};

struct systime_servers {
	char	*names[CONFIG_TIME_SERVERS_MAX];
	int	 n;
	int	 from_state;	/* 1: edited with "time servers"; 0: console.conf */
};

struct systime_report {
	struct timespec		 now;		/* CLOCK_REALTIME at the start */
	char			 zone[SYSTIME_ZONE_MAX + 1];
	char			 local[64];	/* "2027-03-01 13:00:00 CET +0100" */
	char			 utc[32];	/* "2027-03-01 12:00:00" */
	enum systime_service	 service;
	int			 kernel_synced;	/* 1, 0, or -1 unknown */
	struct systime_servers	 servers;
	struct sntp_result	 results[CONFIG_TIME_SERVERS_MAX];
	int			 best;		/* index into results, or -1 */
	int			 warn;		/* |best offset| > warn_offset */
	int			 warn_offset;	/* seconds, from the config */
	int64_t			 query_ns;	/* wall time of all queries */
};

enum systime_service	 systime_detect(void);
const char		*systime_service_name(enum systime_service);
/* The unit the service runs as, for a restart ("chrony.service"). */
const char		*systime_service_unit(enum systime_service);
/* The drop-in the console writes for the service, or NULL if none. */
const char		*systime_dropin_path(enum systime_service);

/* The list in use: the console's state file, else [time] servers. */
int			 systime_servers_load(const struct config *,
			     struct systime_servers *, char **);
void			 systime_servers_free(struct systime_servers *);
/* Add or remove one validated name; -1 with *cause when refused. */
int			 systime_servers_add(struct systime_servers *,
			     const char *, char **);
int			 systime_servers_remove(struct systime_servers *,
			     const char *, char **);
/* The state file's text (one name per line). */
char			*systime_servers_state(
			     const struct systime_servers *);
/* The drop-in's text for the service, or NULL when it takes none. */
char			*systime_servers_dropin(enum systime_service,
			     const struct systime_servers *);

/* The zone in use: /etc/timezone, else the /etc/localtime link; "UTC". */
void			 systime_zone_current(char *, size_t);
/* A zone name that is valid and present in the tz database. */
int			 systime_zone_check(const char *, char **);

/* The verbs of console-helper-time, in the order of its table. */
enum systime_verb {
	SYSTIME_V_SERVER_ADD,
	SYSTIME_V_SERVER_REMOVE,
	SYSTIME_V_ZONE_SET,
	SYSTIME_V_SYNC,
	SYSTIME_V_SET,
	SYSTIME_V_RESTART,
	SYSTIME_V_COUNT
};
extern const struct verb_domain	 systime_verbs;
/* Zones whose name contains the text (any case), sorted; NULL-terminated. */
char			**systime_zone_search(const char *, int *);
void			 systime_zone_list_free(char **);

/* Measure every server and fill the report. Returns 0, or -1 with *cause. */
int			 systime_report_collect(const struct config *,
			     struct systime_report *, char **);
void			 systime_report_free(struct systime_report *);
/*
 * The server to trust: one that agrees with more than half of those that
 * answered (a non-negative delay), then the lowest stratum, then the
 * lowest delay; -1 when none answered or no majority agrees.
 */
int			 systime_best(const struct sntp_result *, int);
/* How many answered usably (a good reply, a non-negative delay). */
int			 systime_answered(const struct sntp_result *, int);
/* A signed step as the sync verb's words: forward|back, nanoseconds. */
void			 systime_step_words(int64_t, char *, size_t, char *,
			     size_t);
int			 systime_step_parse(const char *, const char *,
			     int64_t *, char **);
/* The cap: 0, or -1 with *cause when over it and not forced. */
int			 systime_step_check(const struct config *, int64_t,
			     int, char **);
/* Does the measurement match the confirmed step? 0, or -1 with *cause. */
int			 systime_step_confirmed(int64_t,
			     const struct sntp_result *, char **);
/* Unix time as "YYYY-MM-DD HH:MM:SS" in the zone (NULL: UTC). */
void			 systime_format(char *, size_t, time_t, const char *);

#endif
