/* SPDX-License-Identifier: ISC */
/*
 * The command-line tokenizer: accepted lines give exactly the expected
 * argv; refused lines give a cause naming the character and its position
 * and leave the struct empty. The refused set is spelled out here again,
 * on purpose, so a change to the table in words.c has to change this test
 * too. Then the limits: 1024 bytes and 64 words, each at and past the edge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "words.h"
#include "xmalloc.h"

#define MAXW	8

struct accept_case {
	const char	*line;
	const char	*argv[MAXW];	/* NULL-terminated */
};

static const struct accept_case accepts[] = {
	{ "", { NULL } },
	{ " ", { NULL } },
	{ "      ", { NULL } },
	{ "help", { "help", NULL } },
	{ "  help  ", { "help", NULL } },
	{ "ip addr show", { "ip", "addr", "show", NULL } },
	{ "ip   addr  show dev eth0", { "ip", "addr", "show", "dev", "eth0",
	    NULL } },
	{ " ping -c 3 192.0.2.1 ", { "ping", "-c", "3", "192.0.2.1", NULL } },
	{ "ip route add 10.0.0.0/8 via 192.0.2.1", { "ip", "route", "add",
	    "10.0.0.0/8", "via", "192.0.2.1", NULL } },
	{ "testconn https://example.com:8443/a/b=c,d%20e", { "testconn",
	    "https://example.com:8443/a/b=c,d%20e", NULL } },
	{ "set key=value a:b user@host x+y 50%", { "set", "key=value", "a:b",
	    "user@host", "x+y", "50%", NULL } },
	{ "fe80::1 _x_ .dot -", { "fe80::1", "_x_", ".dot", "-", NULL } },
};

struct refuse_case {
	const char	*line;
	const char	*want;
};

static const struct refuse_case refuses[] = {
	{ "ip addr show | grep x", "'|' at position 14 is not allowed: the "
	    "console runs commands directly, without a shell" },
	{ "ls;id", "';' at position 3 is not allowed" },
	{ "ping x && id", "'&' at position 8 is not allowed" },
	{ "echo $HOME", "'$' at position 6 is not allowed" },
	{ "echo `id`", "'`' at position 6 is not allowed" },
	{ "echo $(id)", "'$' at position 6 is not allowed" },
	{ "cat </etc/shadow", "'<' at position 5 is not allowed" },
	{ "echo x>y", "'>' at position 7 is not allowed" },
	{ "a (b)", "'(' at position 3 is not allowed" },
	{ "a b)", "')' at position 4 is not allowed" },
	{ "{a,b}", "'{' at position 1 is not allowed" },
	{ "ab}", "'}' at position 3 is not allowed" },
	{ "a\\ b", "'\\' at position 2 is not allowed" },
	{ "say \"hi\"", "'\"' at position 5 is not allowed" },
	{ "say 'hi'", "''' at position 5 is not allowed" },
	{ "ls *", "'*' at position 4 is not allowed" },
	{ "ls ?", "'?' at position 4 is not allowed" },
	{ "ls [a]", "'[' at position 4 is not allowed" },
	{ "ls a]", "']' at position 5 is not allowed" },
	{ "cd ~", "'~' at position 4 is not allowed" },
	{ "!!", "'!' at position 1 is not allowed" },
	{ "x # comment", "'#' at position 3 is not allowed" },
	{ "ip\taddr", "control character ^I at position 3 is not allowed: "
	    "only printable ASCII is accepted" },
	{ "ip addr\n", "control character ^J at position 8" },
	{ "ip addr\r", "control character ^M at position 8" },
	{ "\x1b[2J", "control character ^[ at position 1" },
	{ "x\x7f", "control character ^? at position 2" },
	{ "caf\xc3\xa9", "byte \\xc3 at position 4 is not allowed: only "
	    "printable ASCII is accepted" },
	{ "\xff", "byte \\xff at position 1" },
	/* The first offender is the one named. */
	{ "a;b|c", "';' at position 2" },
};

/* Every character a shell gives a meaning to; words.c has the same list. */
static const char refused_set[] = ";|&$`<>(){}\\\"'*?[]~!#";

static void
test_accept(void **state)
{
	const struct accept_case	*c;
	struct words			 w;
	char				*cause;
	size_t				 i;
	int				 j, n, failed = 0;

	(void)state;
	for (i = 0; i < sizeof accepts / sizeof accepts[0]; i++) {
		c = &accepts[i];
		cause = NULL;
		if (words_split(c->line, &w, &cause) != 0) {
			print_message("'%s' refused: %s\n", c->line, cause);
			free(cause);
			failed++;
			continue;
		}
		assert_null(cause);
		for (n = 0; c->argv[n] != NULL; n++)
			;
		if (w.argc != n) {
			print_message("'%s': %d words, want %d\n", c->line,
			    w.argc, n);
			failed++;
		} else {
			for (j = 0; j < n; j++) {
				if (strcmp(w.argv[j], c->argv[j]) != 0) {
					print_message("'%s': word %d is '%s', "
					    "want '%s'\n", c->line, j,
					    w.argv[j], c->argv[j]);
					failed++;
				}
			}
		}
		assert_non_null(w.argv);
		assert_null(w.argv[w.argc]);
		words_free(&w);
		assert_null(w.argv);
		assert_int_equal(w.argc, 0);
	}
	assert_int_equal(failed, 0);
}

static void
test_refuse(void **state)
{
	const struct refuse_case	*c;
	struct words			 w;
	char				*cause;
	size_t				 i;
	int				 failed = 0;

	(void)state;
	for (i = 0; i < sizeof refuses / sizeof refuses[0]; i++) {
		c = &refuses[i];
		cause = NULL;
		if (words_split(c->line, &w, &cause) != -1) {
			print_message("'%s' accepted\n", c->line);
			words_free(&w);
			failed++;
			continue;
		}
		if (cause == NULL || strstr(cause, c->want) == NULL) {
			print_message("'%s': cause '%s' lacks '%s'\n", c->line,
			    cause != NULL ? cause : "(none)", c->want);
			failed++;
		}
		free(cause);
		assert_int_equal(w.argc, 0);
		assert_null(w.argv);
		/* Same verdict without a cause. */
		assert_int_equal(words_split(c->line, &w, NULL), -1);
	}
	assert_int_equal(failed, 0);
}

/* Each refused character, alone and inside a word; every other one passes. */
static void
test_charset(void **state)
{
	struct words	 w;
	char		 line[16], want[64], *cause;
	int		 c;

	(void)state;
	for (c = 0x21; c <= 0x7e; c++) {
		snprintf(line, sizeof line, "ab %cx", c);
		cause = NULL;
		if (strchr(refused_set, c) != NULL) {
			assert_int_equal(words_split(line, &w, &cause), -1);
			snprintf(want, sizeof want,
			    "'%c' at position 4 is not allowed", c);
			if (strstr(cause, want) == NULL)
				fail_msg("'%s': cause '%s'", line, cause);
			free(cause);
		} else {
			if (words_split(line, &w, &cause) != 0)
				fail_msg("'%s' refused: %s", line, cause);
			assert_int_equal(w.argc, 2);
			assert_string_equal(w.argv[1], line + 3);
			words_free(&w);
		}
	}
	for (c = 1; c < 0x100; c++) {
		if (c >= 0x20 && c < 0x7f)
			continue;
		snprintf(line, sizeof line, "a%c", c);
		assert_int_equal(words_split(line, &w, &cause), -1);
		assert_non_null(strstr(cause, "at position 2 is not allowed"));
		free(cause);
	}
}

static void
test_limits(void **state)
{
	struct words	 w;
	char		*line, *cause;
	int		 i;

	(void)state;
	line = xmalloc(WORDS_LINE_MAX + 2);

	/* 1024 bytes is a line; 1025 is not. */
	memset(line, 'x', WORDS_LINE_MAX);
	line[WORDS_LINE_MAX] = '\0';
	assert_int_equal(words_split(line, &w, NULL), 0);
	assert_int_equal(w.argc, 1);
	assert_int_equal(strlen(w.argv[0]), WORDS_LINE_MAX);
	words_free(&w);
	line[WORDS_LINE_MAX] = 'x';
	line[WORDS_LINE_MAX + 1] = '\0';
	assert_int_equal(words_split(line, &w, &cause), -1);
	assert_string_equal(cause, "the line is longer than 1024 characters");
	free(cause);
	assert_null(w.argv);

	/* 64 words are a line; 65 are not. */
	for (i = 0; i < WORDS_MAX; i++) {
		line[2 * i] = 'a' + i % 26;
		line[2 * i + 1] = ' ';
	}
	line[2 * WORDS_MAX] = '\0';
	assert_int_equal(words_split(line, &w, NULL), 0);
	assert_int_equal(w.argc, WORDS_MAX);
	assert_string_equal(w.argv[WORDS_MAX - 1], "l");
	assert_null(w.argv[WORDS_MAX]);
	words_free(&w);
	line[2 * WORDS_MAX] = 'z';
	line[2 * WORDS_MAX + 1] = '\0';
	assert_int_equal(words_split(line, &w, &cause), -1);
	assert_string_equal(cause, "the line has more than 64 words");
	free(cause);
	free(line);
}

static void
test_words_free(void **state)
{
	struct words	 w;

	(void)state;
	memset(&w, 0, sizeof w);
	words_free(&w);
	words_free(&w);
	words_free(NULL);
	assert_int_equal(words_split(NULL, &w, NULL), 0);
	assert_int_equal(w.argc, 0);
	assert_non_null(w.argv);
	assert_null(w.argv[0]);
	words_free(&w);
	assert_null(w.argv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_words_free),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
