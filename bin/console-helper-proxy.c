/* SPDX-License-Identifier: ISC */
/*
 * console-helper-proxy: the privileged side of module 100. Writes the
 * proxy settings (proxy.env, root only, with the password; proxy.conf,
 * world-readable, without) atomically, removes them, and starts the
 * connectivity test through the proxy with the password, which only root
 * can read, on testconn's stdin; testconn drops to its own unprivileged
 * account before it reads anything. The password comes on stdin, never in
 * argv, and is never printed or logged.
 *
 *   console-helper-proxy set TYPE HOST PORT =USER|= =NOPROXY|=
 *   console-helper-proxy remove
 *   console-helper-proxy test
 *   console-helper-proxy connectivity
 *   console-helper-proxy connectivity-one TARGET
 * The last two are module 210's test when the proxy has a password the
 * admin cannot read.
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
#include "sig.h"
#include "spawn.h"
#include "valid.h"
#include "xmalloc.h"

#define PROXY_TEST_TIMEOUT_MS	120000

static enum helper_status hp_set(const struct verb *,
			    const char *const *, char **);
static enum helper_status hp_remove(const struct verb *,
			    const char *const *, char **);
static enum helper_status hp_test(const struct verb *,
			    const char *const *, char **);
static enum helper_status hp_conn(const struct verb *,
			    const char *const *, char **);
static enum helper_status hp_conn_one(const struct verb *,
			    const char *const *, char **);
static enum helper_status hp_testconn(const char *, const char *, char **);

static const helper_fn hp_fns[] = {
	[PROXY_V_SET] = hp_set,
	[PROXY_V_REMOVE] = hp_remove,
	[PROXY_V_TEST] = hp_test,
	[PROXY_V_CONNECTIVITY] = hp_conn,
	[PROXY_V_CONNECTIVITY_ONE] = hp_conn_one,
};
_Static_assert(sizeof hp_fns / sizeof hp_fns[0] == PROXY_V_COUNT,
    "a function per proxy verb");

static enum helper_status
hp_set(const struct verb *v, const char *const *args, char **cause)
{
	struct proxy_conf	 pc;
	char			 path[PATH_MAX], line[PROXY_PASSWORD_MAX + 3];
	char			*env = NULL, *conf = NULL;
	size_t			 len;
	enum helper_status	 st = HELPER_FAILED;
	sigset_t		 saved;
	int			 held = 0;

	(void)v;
	memset(&pc, 0, sizeof pc);
	xsnprintf(pc.type, sizeof pc.type, "%s", args[0]);
	xsnprintf(pc.host, sizeof pc.host, "%s", args[1]);
	valid_port(args[2], &pc.port, NULL);
	if (args[3] != NULL) {
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
	if (args[4] != NULL)
		xsnprintf(pc.no_proxy, sizeof pc.no_proxy, "%s", args[4]);
	env = proxy_env_text(&pc);
	conf = proxy_conf_text(&pc);
	/* The secret file first: proxy.conf never names a proxy whose
	   password is not in place. Both or neither: no signal between. */
	sig_hold(&saved);
	held = 1;
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
	/* Last: a held signal ends us with nothing secret left behind. */
	if (held)
		sig_release(&saved);
	return (st);
}

static enum helper_status
hp_remove(const struct verb *v, const char *const *args, char **cause)
{
	const char		*files[] = { PROXY_CONF, PROXY_ENV };
	char			 path[PATH_MAX];
	size_t			 i;
	sigset_t		 saved;
	enum helper_status	 st = HELPER_OK;

	(void)v;
	(void)args;
	sig_hold(&saved);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (paths_get(path, sizeof path, files[i]) == -1) {
			st = HELPER_INTERNAL;
			break;
		}
		if (unlink(path) == -1 && errno != ENOENT) {
			xasprintf(cause, "cannot remove %s: %s", path,
			    strerror(errno));
			st = HELPER_FAILED;
			break;
		}
	}
	sig_release(&saved);
	if (st == HELPER_OK)
		*cause = xstrdup("proxy removed");
	return (st);
}

/*
 * testconn with one option and at most one target; its JSON report goes
 * to stdout. We read the password (only root can) and hand it over on
 * testconn's stdin; testconn drops to its own account before it reads
 * anything, so no code that parses network data runs as root.
 */
static enum helper_status
hp_testconn(const char *option, const char *target, char **cause)
{
	struct spawn_req	 req;
	struct spawn_result	 res;
	char			 path[PATH_MAX], *secret;
	char			*argv[] = { path, "--json", (char *)option,
				    NULL, NULL, NULL, NULL };
	enum helper_status	 st = HELPER_FAILED;
	int			 argc = 3, r;

	if (paths_get(path, sizeof path, LIBEXECDIR "/testconn") == -1)
		return (HELPER_INTERNAL);
	if ((secret = conn_testconn_secret()) != NULL)
		argv[argc++] = "--proxy-password-stdin";
	argv[argc++] = "--";
	argv[argc] = (char *)target;
	memset(&req, 0, sizeof req);
	req.path = path;
	req.argv = argv;
	req.envp = conn_testconn_env();
	req.stdin_data = secret;
	req.timeout_ms = PROXY_TEST_TIMEOUT_MS;
	r = spawn_run(&req, &res, cause);
	conn_secret_free(secret);
	if (r == -1)
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
hp_test(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	return (hp_testconn("--proxy-check", NULL, cause));
}

static enum helper_status
hp_conn(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	(void)args;
	return (hp_testconn("--progress", NULL, cause));
}

static enum helper_status
hp_conn_one(const struct verb *v, const char *const *args, char **cause)
{
	(void)v;
	return (hp_testconn("--progress", args[0], cause));
}

int
main(int argc, char **argv)
{
	/* Before helper_main clears the environment: the seam, if any. */
	paths_init();
	return (helper_main(argc, argv, &proxy_verbs, hp_fns));
}
