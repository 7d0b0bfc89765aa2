/* SPDX-License-Identifier: ISC */
/*
 * console-helper-proxy: the privileged side of module 100. Writes the
 * proxy settings (proxy.env, root only, with the password; proxy.conf,
 * world-readable, without) atomically, removes them, and runs the
 * connectivity test through the proxy as root, the only user who can read
 * the password. The password comes on stdin, never in argv, and is never
 * printed or logged.
 *
 *   console-helper-proxy set TYPE HOST PORT USER|none NOPROXY|none
 *   console-helper-proxy remove
 *   console-helper-proxy test
 *   console-helper-proxy connectivity
 *   console-helper-proxy connectivity-one TARGET
 * The last two are module 210's test run as root when the proxy has a
 * password the admin cannot read.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "build-paths.h"
#include "connectivity.h"
#include "helper.h"
#include "paths.h"
#include "proxy.h"
#include "spawn.h"
#include "valid.h"
#include "xmalloc.h"

#define PROXY_TEST_TIMEOUT_MS	120000

static int		 hp_valid_port(const char *, char **);
static int		 hp_valid_user(const char *, char **);
static int		 hp_valid_noproxy(const char *, char **);
static enum helper_status hp_set(char **, char **);
static enum helper_status hp_remove(char **, char **);
static enum helper_status hp_test(char **, char **);
static enum helper_status hp_conn(char **, char **);
static enum helper_status hp_conn_one(char **, char **);
static enum helper_status hp_testconn(const char *, const char *, char **);

static const struct helper_verb verbs[] = {
	{ "set", 5, { proxy_valid_type, proxy_valid_host, hp_valid_port,
	    hp_valid_user, hp_valid_noproxy }, hp_set },
	{ "remove", 0, { NULL }, hp_remove },
	{ "test", 0, { NULL }, hp_test },
	{ "connectivity", 0, { NULL }, hp_conn },
	{ "connectivity-one", 1, { valid_target }, hp_conn_one },
};

static int
hp_valid_port(const char *s, char **cause)
{
	return (valid_port(s, NULL, cause));
}

static int
hp_valid_user(const char *s, char **cause)
{
	if (strcmp(s, "none") == 0)
		return (0);
	return (proxy_valid_user(s, cause));
}

static int
hp_valid_noproxy(const char *s, char **cause)
{
	if (strcmp(s, "none") == 0)
		return (0);
	return (proxy_valid_noproxy(s, cause));
}

static enum helper_status
hp_set(char **args, char **cause)
{
	struct proxy_conf	 pc;
	char			 path[PATH_MAX], line[PROXY_PASSWORD_MAX + 3];
	char			*env = NULL, *conf = NULL;
	size_t			 len;
	enum helper_status	 st = HELPER_FAILED;

	memset(&pc, 0, sizeof pc);
	xsnprintf(pc.type, sizeof pc.type, "%s", args[0]);
	xsnprintf(pc.host, sizeof pc.host, "%s", args[1]);
	valid_port(args[2], &pc.port, NULL);
	if (strcmp(args[3], "none") != 0) {
		xsnprintf(pc.user, sizeof pc.user, "%s", args[3]);
		/* The password: one line on stdin, or none at all. */
		if (fgets(line, sizeof line, stdin) != NULL) {
			len = strcspn(line, "\n");
			if (line[len] != '\n' && len == sizeof line - 1) {
				*cause = xstrdup("the proxy password is too "
				    "long");
				st = HELPER_INVALID;
				goto out;
			}
			line[len] = '\0';
			if (len > 0) {
				if (proxy_valid_password(line, cause) == -1) {
					st = HELPER_INVALID;
					goto out;
				}
				xsnprintf(pc.password, sizeof pc.password, "%s",
				    line);
				pc.has_password = 1;
			}
		}
	}
	if (strcmp(args[4], "none") != 0)
		xsnprintf(pc.no_proxy, sizeof pc.no_proxy, "%s", args[4]);
	env = proxy_env_text(&pc);
	conf = proxy_conf_text(&pc);
	/* The secret file first: proxy.conf never names a proxy whose
	   password is not in place. */
	if (paths_get(path, sizeof path, PROXY_ENV) == -1 ||
	    atomic_mkdirs_for(path, 0755, cause) == -1 ||
	    atomic_write_file(path, env, strlen(env), 0600, cause) == -1)
		goto out;
	if (paths_get(path, sizeof path, PROXY_CONF) == -1 ||
	    atomic_write_file(path, conf, strlen(conf), 0644, cause) == -1)
		goto out;
	xasprintf(cause, "proxy set: %s %s:%d, user %s, password %s",
	    pc.type, pc.host, pc.port, pc.user[0] ? pc.user : "none",
	    pc.has_password ? "set" : "none");
	st = HELPER_OK;
out:
	explicit_bzero(line, sizeof line);
	if (env != NULL)
		explicit_bzero(env, strlen(env));
	free(env);
	free(conf);
	proxy_clear(&pc);
	return (st);
}

static enum helper_status
hp_remove(char **args, char **cause)
{
	const char	*files[] = { PROXY_CONF, PROXY_ENV };
	char		 path[PATH_MAX];
	size_t		 i;

	(void)args;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (paths_get(path, sizeof path, files[i]) == -1)
			return (HELPER_INTERNAL);
		if (unlink(path) == -1 && errno != ENOENT) {
			xasprintf(cause, "cannot remove %s: %s", path,
			    strerror(errno));
			return (HELPER_FAILED);
		}
	}
	*cause = xstrdup("proxy removed");
	return (HELPER_OK);
}

/* testconn as root with one option and at most one target; its JSON
   report goes to stdout. */
static enum helper_status
hp_testconn(const char *option, const char *target, char **cause)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			 path[PATH_MAX];
	char			*argv[] = { path, "--json", (char *)option, "--",
				    (char *)target, NULL };
	enum helper_status	 st = HELPER_FAILED;

	if (paths_get(path, sizeof path, LIBEXECDIR "/testconn") == -1)
		return (HELPER_INTERNAL);
	memset(&req, 0, sizeof req);
	req.path = path;
	req.argv = argv;
	req.envp = conn_testconn_env();
	req.timeout_ms = PROXY_TEST_TIMEOUT_MS;
	if (spawn_run(&req, &res, cause) == -1)
		return (HELPER_FAILED);
	if (res.timed_out)
		st = HELPER_TIMEOUT;
	else if (res.exited && (res.exit_code == 0 || res.exit_code == 2)) {
		fwrite(res.out, 1, res.out_len, stdout);
		st = HELPER_OK;
	} else if (res.err_len > 0) {
		*cause = xstrndup(res.err, strcspn(res.err, "\n"));
	}
	spawn_result_free(&res);
	return (st);
}

static enum helper_status
hp_test(char **args, char **cause)
{
	(void)args;
	return (hp_testconn("--proxy-check", NULL, cause));
}

static enum helper_status
hp_conn(char **args, char **cause)
{
	(void)args;
	return (hp_testconn("--progress", NULL, cause));
}

static enum helper_status
hp_conn_one(char **args, char **cause)
{
	return (hp_testconn("--progress", args[0], cause));
}

int
main(int argc, char **argv)
{
	/* Before helper_main clears the environment: the seam, if any. */
	paths_init();
	return (helper_main(argc, argv, verbs, sizeof verbs / sizeof verbs[0]));
}
