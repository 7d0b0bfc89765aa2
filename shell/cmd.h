/* SPDX-License-Identifier: ISC */
/*
 * The command table. One entry per numbered module, after tmux's cmd_entry:
 * the menu, the CLI (-c and direct), help and the man page list are all
 * generated from this one table. Drop-in executables from commands.d add
 * menu items at run time.
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
};

struct cmd_entry {
	const char	*name;		/* CLI and prompt word: "resources" */
	int		 number;	/* module number: 300; 0 = CLI only */
	const char	*title;		/* menu label */
	const char	*usage;		/* one line, same words as the man page */
#define CMD_READONLY	0x1		/* changes nothing on the system */
#define CMD_PRIV	0x2		/* goes through a privileged helper */
#define CMD_CONFIRM	0x4		/* ask before running */
#define CMD_ARG_CMD	0x8		/* its argument is a command name */
	int		 flags;
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

/* Exact name or unambiguous prefix; NULL with *cause listing candidates. */
const struct cmd_entry	*cmd_find(const char *, char **);
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
