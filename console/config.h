/* SPDX-License-Identifier: ISC */
/*
 * console.conf: the INI file an appliance image ships to brand and tune the
 * console. Loading never fails hard: a broken file leaves defaults in place
 * and a warning the menu shows, so a typo can never lock the admin out.
 */
#ifndef CONFIG_H
#define CONFIG_H

#define CONFIG_PATH		"/etc/appliance-console/console.conf"
#define CONFIG_NAME_MAX		48	/* branding shown in the header */
#define CONFIG_TARGET_MAX	512	/* a [connectivity] target, with its NUL */

struct config_resources {
	int	 min_cpus;		/* FAIL below */
	long	 min_memory_mib;	/* FAIL below */
	long	 min_cache_disk_gib;	/* FAIL when no unused disk this big */
	int	 fs_warn_free_percent;	/* WARN when a filesystem has less free */
	int	 fs_fail_free_percent;	/* FAIL when a filesystem has less free */
};

#define CONFIG_TIME_SERVERS_MAX	8

struct config_time {
	char	*servers;		/* space-separated, each validated */
	int	 warn_offset_seconds;	/* warn when the offset is larger */
	int	 query_timeout_ms;	/* per NTP server */
	int	 max_step_seconds;	/* a larger sync step needs --force */
};

/* [connectivity]: what module 210 and testconn test, and how long each layer may take. */
#define CONFIG_CONN_GROUPS	4	/* activation control_plane data_plane updates */
struct config_connectivity {
	char	*groups[CONFIG_CONN_GROUPS];	/* targets, space-separated */
	char	*flavour;		/* public, fips or private */
	char	*region;		/* replaces {region} in target hosts */
	char	*private_endpoint;	/* the host every target uses when private */
	char	*ca_file;		/* trust anchors; NULL: the system's */
	char	*expected_issuers;	/* comma-separated CA names; NULL: no check */
	int	 gateway_timeout_ms;
	int	 dns_timeout_ms;
	int	 tcp_timeout_ms;
	int	 proxy_timeout_ms;
	int	 tls_timeout_ms;
	int	 http_timeout_ms;
	int	 total_timeout_ms;
};

struct config {
	char			*name;		/* appliance name, branding */
	int			 idle_timeout;	/* seconds; 0 = never log out */
	char			*borders;	/* "ascii", or NULL: auto */
	char			*colour;	/* "never", or NULL: auto */
	int			 escape_delay_ms;	/* ESC alone after this */
	struct config_time	 time;
	unsigned long		 hidden;	/* bit per module, from the lookup */
	char			*hidden_list;	/* the [modules] hide value, for help */
	struct config_resources	 resources;
	int			 net_confirm_timeout;	/* seconds */
	int			 net_dhcp_timeout;	/* seconds */
	struct config_connectivity conn;
	char			*warning;	/* non-NULL: file broken, defaults used */
	char			*audit_remote;	/* [audit] remote HOST:PORT, or NULL */
};

/* Defaults only, no file. */
void	 config_defaults(struct config *);
/*
 * Load path over the defaults. Returns 0, or -1 with cfg->warning set to one
 * sentence naming the file, line and key; cfg is always usable afterwards.
 * A missing file is not an error.
 */
int	 config_load(struct config *, const char *);
void	 config_free(struct config *);
/* The [connectivity] group names, in config order. */
extern const char *const config_conn_group_names[CONFIG_CONN_GROUPS];

/*
 * [modules] hide names modules the core does not know: the face that
 * knows them sets fn before loading, fn(word) being the bit of the
 * module named or numbered word, or -1. Without one (a helper), any
 * [a-z0-9-] word is accepted and nothing is hidden.
 */
void	 config_modules_lookup(int (*)(const char *));
/* Is the module with this name hidden by [modules] hide? */
int	 config_module_hidden(const struct config *, const char *);

#endif
