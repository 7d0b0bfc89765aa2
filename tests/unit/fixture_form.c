/* SPDX-License-Identifier: ISC */
/*
 * Drives the UI facade's form, confirmation and message box for the TUI
 * tier (tests/tui/form.sh): the real widgets on a real terminal, with real
 * validators. Prints what the user ended with after the terminal is back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"
#include "ui.h"
#include "valid.h"

static int
fixture_valid_port(const char *s, char **cause)
{
	return (valid_port(s, NULL, cause));
}

int
main(void)
{
	char		 addr[40] = "", port[8] = "443", gw[40] = "";
	struct ui_field	 fields[] = {
		{ "IPv4 address", addr, sizeof addr, valid_ipv4, 0, NULL },
		{ "Port", port, sizeof port, fixture_valid_port, 0, NULL },
		{ "Gateway", gw, sizeof gw, valid_ipv4, 0, "none" },
	};
	char		*cause = NULL;
	int		 r, yes = -9, msg = -9;

	sig_install();
	if (ui_start(&(struct ui_opts){ .escape_delay_ms = 100 }, &cause) == -1) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	r = ui_form("Fixture form", fields, 3);
	if (r == UI_OK) {
		yes = ui_confirm("Apply", "Apply this address? It may drop "
		    "your session.");
		msg = ui_message("Done", "The form is done.");
	}
	ui_end();
	printf("form=%d addr=%s port=%s confirm=%d message=%d gw=[%s]\n", r,
	    addr, port, yes, msg, gw);
	return (0);
}
