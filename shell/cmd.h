/* SPDX-License-Identifier: ISC */
/*
 * The command table. One entry per numbered module, after tmux's cmd_entry,
 * with its sub-commands as rows of their own: the menu, the CLI (-c and
 * direct), usage and help are generated from this one table, and the man
 * page is checked against it (tests/unit/test_cmd.c). Drop-in executables
 * from commands.d add menu items at run time.
 */
#ifndef CMD_H
#define CMD_H

#include <stdio.h>

struct config;

enum cmd_retval {
	CMD_RETURN_OK = 0,	/* done (CLI exit 0) */
	CMD_RETURN_ERROR = 1,	/* usage error or could not run (exit 1) */
	CMD_RETURN_FAILED = 2,	/* ran; what it checked failed (exit 2) */
	CMD_RETURN_EXIT = 3	/* TUI: leave the console */
};

struct cmd_ctx {
	struct config	*config;
	FILE		*out;	/* CLI results */
	FILE		*err;	/* CLI one-line errors */
	int		 prompt;	/* under the prompt: ui_resume() gives a screen */
	int		 leave;		/* CMD_LEAVE_*: set by exit, man */
#define CMD_LEAVE_PROMPT	1	/* back to the menu */
#define CMD_LEAVE_SESSION	2	/* idle timeout or hang-up: log out */
	/*
	 * Set by the dispatcher: the running command's name (its reports
	 * start with it) and the CMD_* flags of the command or sub-command
	 * running; a read-only one is refused any privileged helper.
	 */
	const char	*name;
	int		 flags;
	int		 yes;		/* --yes was given (CMD_CONFIRM) */
};

struct cmd_entry;

/*
 * One sub-command of a module ("network show"): the module's usage line
 * and help CMD are generated from these rows, and cmd_sub_run dispatches
 * on them. fn gets the whole argv (argv[0] the module, argv[1] the
 * sub-command, --yes taken out).
 */
struct cmd_sub {
	const char	*name;		/* "show"; NULL ends the table */
	/* After the module's name: "show [--json]"; '\n' between forms. */
	const char	*usage;
	int		 flags;		/* CMD_READONLY|CMD_PRIV|CMD_CONFIRM */
	enum cmd_retval	(*fn)(struct cmd_ctx *, int, char **);
	const char	*help;		/* one line */
};

struct cmd_entry {
	const char	*name;		/* CLI and prompt word: "resources" */
	int		 number;	/* module number: 300; 0 = CLI only */
	const char	*title;		/* menu label */
	/* One line, same words as the man page; NULL: from the subs. */
	const char	*usage;
	/*
	 * Enforced by the dispatcher (cmd_run_cli, cmd_run_tui, cmd_sub_run):
	 * a CMD_READONLY command never reaches a privileged helper (priv.c
	 * refuses while it runs); CMD_PRIV is set on exactly the commands
	 * and sub-commands that may; CMD_CONFIRM asks in the TUI and wants
	 * --yes on the command line.
	 */
#define CMD_READONLY	0x1		/* changes nothing, never a helper */
#define CMD_PRIV	0x2		/* goes through a privileged helper */
#define CMD_CONFIRM	0x4		/* ask before running */
#define CMD_ARG_CMD	0x8		/* its argument is a command name */
	int		 flags;
	const char	*alias;		/* a second word ("h"), or NULL */
	/* A module's sub-commands; NULL-name ended; NULL: none. */
	const struct cmd_sub *subs;
	const char	*sub_default;	/* the sub-command of the bare name */
	enum cmd_retval	(*tui)(struct cmd_ctx *);
	enum cmd_retval	(*cli)(struct cmd_ctx *, int, char **);
	const char	*help;		/* help CMD: what it does, examples */
	const char *const *keywords;	/* completed after the name; NULL-ended */
	/*
	 * The main menu header's word on this module ("Resources: all OK"),
	 * written into the buffer; NULL: the module has none.
	 */
	void		(*summary)(const struct config *, char *, size_t);
};

/* NULL-terminated, in module-number order. */
extern const struct cmd_entry *const cmd_table[];

/*
 * Exact name or alias, or an unambiguous prefix of a command visible
 * under the configuration (NULL: all are); NULL with *cause listing the
 * visible candidates (cause may be NULL). An exact name of a hidden
 * module is found (the caller says it is not available).
 */
const struct cmd_entry	*cmd_find(const struct config *, const char *,
			    char **);
/* The one visibility check: has a CLI and is not hidden by [modules]. */
int			 cmd_visible(const struct config *,
			    const struct cmd_entry *);
/* Dispatch a module's argv on its sub-command table. */
enum cmd_retval		 cmd_sub_run(struct cmd_ctx *, const struct cmd_entry *,
			    int, char **);
/* Run a module's TUI with its flags in force. */
enum cmd_retval		 cmd_run_tui(struct cmd_ctx *,
			    const struct cmd_entry *);

/*
 * The one report path of a running command: "NAME: sentence" on ctx->err
 * (NAME from ctx->name, none when it is NULL), control bytes shown and
 * not sent, and the audit record. cmd_error: could not run (ERROR, audit
 * "error"); cmd_refuse: refused what was asked (ERROR, "refused");
 * cmd_fail: ran, and it failed (FAILED, "failed"). cmd_usage_error:
 * "usage: ..." of the running entry. cmd_info: a line on ctx->err, not
 * audited (warnings, notes).
 */
enum cmd_retval		 cmd_error(struct cmd_ctx *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
enum cmd_retval		 cmd_refuse(struct cmd_ctx *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
enum cmd_retval		 cmd_fail(struct cmd_ctx *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
void			 cmd_info(struct cmd_ctx *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
enum cmd_retval		 cmd_usage_error(struct cmd_ctx *,
			    const struct cmd_entry *);
/* The words completed after a command's name (NULL-terminated) or NULL. */
const char *const	*cmd_keywords(const struct cmd_entry *);
/*
 * The index in cmd_table of the command named or numbered word, or -1:
 * console.conf's [modules] hide is resolved with it (config_modules_lookup).
 */
int			 cmd_module_index(const char *);
/* Run one CLI command line already split into words; returns the exit code. */
int			 cmd_run_cli(struct cmd_ctx *, int, char **);

/* A drop-in menu item: an executable commands.d/NNN-name. */
struct cmd_dropin {
	int	 number;
	char	*title;		/* from the name: "900-support-info" -> "Support info" */
	char	*path;		/* absolute */
};

/*
 * Scan a commands.d directory. Only regular executables named NNN-name
 * (NNN 100..999, name [a-z0-9-]) count; anything else is skipped.
 * Returns the count (>= 0) and a sorted array the caller frees with
 * cmd_dropins_free.
 */
int			 cmd_dropins_scan(const char *, struct cmd_dropin **);
void			 cmd_dropins_free(struct cmd_dropin *, int);

#endif
