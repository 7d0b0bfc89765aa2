# SPDX-License-Identifier: ISC
#
# Appliance Console. Plain make: `make` builds into build/, `make check`
# runs every test tier, `make demo` opens the console in the lab, `make
# bench` measures, `make install PREFIX=/usr DESTDIR=/img` lays out an image.
# Build with the same PREFIX you install with: LIBEXECDIR is compiled in.

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBEXECDIR	?= $(PREFIX)/libexec/appliance-console
UNITDIR		?= $(PREFIX)/lib/systemd/system
MANDIR		?= $(PREFIX)/share/man
SYSCONFDIR	?= /etc
DESTDIR		?=

CC		?= cc
B		?= build
OPT		?= -O2 -g
SAN		?=
CFLAGS		+= -std=c11 $(OPT) $(SAN) -Wall -Wextra -Werror -Wformat=2 \
		   -Wshadow -Wpointer-arith -Wstrict-prototypes -Wvla \
		   -fstack-protector-strong -fPIE
# No -I here: each layer is compiled with its own include path below, so
# an include in the wrong direction (a model including ui.h) fails.
CPPFLAGS	+= -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -I$(B)
LDFLAGS		+= $(SAN) -pie -Wl,-z,relro,-z,now
# CDK is built against the narrow ncurses on Debian: link the same one.
# CDK, inih and jansson are linked statically: three fewer shared objects
# to map and relocate at every login (about 0.2 ms of the start-up);
# libedit (the prompt's line editor, BSD licence) and its libbsd too.
LIBS		 = -Wl,-Bstatic -lcdk -linih -ljansson -ledit -lbsd -lmd -Wl,-Bdynamic \
		   -lncurses -ltinfo -lmnl
# What the core and the models need: never curses, CDK or libedit;
# libcrypto (the trail's SHA-256) only where the helper frame runs.
# --as-needed: a helper that opens no netlink socket does not load libmnl.
BASE_LIBS	 = -Wl,--as-needed -Wl,-Bstatic -linih -ljansson -Wl,-Bdynamic -lmnl \
		   -lcrypto
TEST_LIBS	 = -lcmocka
# libcurl (with OpenSSL, whose verify callback names the issuer chain) and
# c-ares (one channel per name server) only in testconn: never in the console, where it would
# load OpenSSL at every login.
CURL_LIBS	 = -lcurl -lssl -lcrypto -lcares

# The layers. Each is one include path and one library; a layer sees its
# own headers and those below it, nothing above.
INC_CORE	 = -Iconsole
INC_MODELS	 = -Iconsole -Imodels
INC_FACES	 = -Iconsole -Imodels -Ishell -Icommands

# libcore: console/, knows no module.
CORE_OBJ	 = $(B)/obj/console/atomic.o $(B)/obj/console/audit.o \
		   $(B)/obj/console/helper-status.o $(B)/obj/console/trail.o \
		   $(B)/obj/console/config.o $(B)/obj/console/helper.o \
		   $(B)/obj/console/netlink.o $(B)/obj/console/paths.o \
		   $(B)/obj/console/priv.o $(B)/obj/console/sig.o \
		   $(B)/obj/console/spawn.o $(B)/obj/console/text.o \
		   $(B)/obj/console/unpriv.o $(B)/obj/console/verb.o \
		   $(B)/obj/console/valid.o $(B)/obj/console/words.o \
		   $(B)/obj/console/xmalloc.o
CORE_LIB	 = $(B)/libcore.a
# libmodels: models/, state, configuration and grammars over the core.
M		 = $(B)/obj/models
MODELS_OBJ	 = $(M)/auditlog.o $(M)/connectivity.o $(M)/fwrule.o $(M)/grammar.o \
		   $(M)/netapply.o $(M)/netconf.o $(M)/netstate.o $(M)/proxy.o \
		   $(M)/resources.o $(M)/sntp.o $(M)/systime.o $(M)/account.o \
		   $(M)/secret.o
MODELS_LIB	 = $(B)/libmodels.a
# libfaces: shell/ (table, screen, line editor) and commands/ (the
# numbered modules and the prompt commands). Adding a module: one line.
FACES_OBJ	 = $(B)/obj/shell/cmd.o $(B)/obj/shell/complete.o \
		   $(B)/obj/shell/edit.o $(B)/obj/shell/tool.o \
		   $(B)/obj/shell/ui.o \
		   $(B)/obj/commands/100-proxy.o \
		   $(B)/obj/commands/200-network.o \
		   $(B)/obj/commands/210-connectivity.o \
		   $(B)/obj/commands/300-resources.o \
		   $(B)/obj/commands/400-time.o \
		   $(B)/obj/commands/500-prompt.o \
		   $(B)/obj/commands/600-audit.o \
		   $(B)/obj/commands/exit.o $(B)/obj/commands/ifconfig.o \
		   $(B)/obj/commands/ip.o $(B)/obj/commands/iptables.o \
		   $(B)/obj/commands/man.o $(B)/obj/commands/passwd.o \
		   $(B)/obj/commands/ping.o $(B)/obj/commands/prompt-testconn.o \
		   $(B)/obj/commands/resolve.o $(B)/obj/commands/save.o \
		   $(B)/obj/commands/ssh-unlock.o
FACES_LIB	 = $(B)/libfaces.a

HELPER_SRC	 = $(wildcard bin/*.c)
HELPERS		 = $(patsubst bin/%.c,$(B)/bin/%,$(HELPER_SRC))
# The privileged helpers come from their one list, bin/helpers.list.
PRIV_HELPERS	:= $(shell sed -n 's/^\([a-z][a-z0-9]*\)$$/\1/p' bin/helpers.list)
PRIV_PROGS	 = $(filter $(patsubst %,$(B)/bin/console-helper-%,$(PRIV_HELPERS)),$(HELPERS))
OTHER_PROGS	 = $(filter-out $(B)/bin/console-helper-%,$(HELPERS))
UNLISTED	 = $(filter-out $(PRIV_PROGS) $(OTHER_PROGS),$(HELPERS))
$(if $(UNLISTED),$(error not in bin/helpers.list: $(notdir $(UNLISTED))))
SUDOERS		 = $(B)/sudoers.d/appliance-console
UNIT_SRC	 = $(wildcard tests/unit/test_*.c)
UNIT_TESTS	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
FIXTURE_SRC	 = $(wildcard tests/unit/fixture_*.c)
FIXTURES	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(FIXTURE_SRC))
BENCH_SRC	 = $(wildcard tests/bench/*.c)
BENCH_TOOLS	 = $(patsubst tests/bench/%.c,$(B)/tests/%,$(BENCH_SRC))
# The image lab's serial line: a pty pair for the image's agetty.
LAB_TOOLS	 = $(B)/tests/ttyline

$(CORE_OBJ): LAYER_INC = $(INC_CORE)
$(MODELS_OBJ): LAYER_INC = $(INC_MODELS)
$(FACES_OBJ) $(B)/obj/shell/main.o: LAYER_INC = $(INC_FACES)
$(B)/obj/bin/%.o: LAYER_INC = $(INC_MODELS)
$(B)/obj/tests/%.o: LAYER_INC = $(INC_FACES)

.PHONY: all deps check test-unit test-asan test-lint test-tui test-lab test-security \
	test-valgrind test-image demo demo-seam bench fuzz install uninstall clean \
	programs deb

all: $(B)/appliance-console $(HELPERS) $(UNIT_TESTS) $(FIXTURES) $(BENCH_TOOLS) \
	$(LAB_TOOLS) $(SUDOERS)

# What the package ships (no tests): debian/rules builds this.
programs: $(B)/appliance-console $(HELPERS) $(SUDOERS)

# Compiled-in paths live in one generated header, rewritten only when they
# change, so a new PREFIX rebuilds exactly what depends on it.
$(B)/build-paths.h: FORCE
	@mkdir -p $(B)
	@printf '#define LIBEXECDIR "%s"\n#define SYSCONFDIR "%s"\n' \
	    '$(LIBEXECDIR)' '$(SYSCONFDIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

# priv.c's list of helpers and the drop-in's, from bin/helpers.list.
$(B)/priv-helpers.h: bin/helpers.list
	@mkdir -p $(B)
	@{ printf '#define PRIV_HELPERS'; for h in $(PRIV_HELPERS); do \
	    printf ' "%s",' $$h; done; echo; } > $@.tmp && mv $@.tmp $@
$(B)/obj/console/priv.o $(B)/obj/tests/unit/test_helper.o: $(B)/priv-helpers.h
$(SUDOERS): etc/sudoers.d/appliance-console bin/helpers.list
	@mkdir -p $(dir $@)
	@awk -v list="$(PRIV_HELPERS)" 'i = index($$0, "@CONSOLE_HELPERS@") { \
	    n = split(list, h, " "); for (k = 1; k <= n; k++) \
	    printf "%s@LIBEXECDIR@/console-helper-%s%s\n", k == 1 ? \
	    substr($$0, 1, i - 1) : "\t\t\t", h[k], k < n ? ", \\" : ""; \
	    next } { print }' etc/sudoers.d/appliance-console > $@.tmp && mv $@.tmp $@

# man shows the page it was built with: the page as one C string.
$(B)/man-page.h: man/appliance-console.8
	@mkdir -p $(B)
	@{ echo '#define MAN_PAGE \'; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' \
	    -e 's/$$/\\n" \\/' $<; echo '    ""'; } > $@.tmp && mv $@.tmp $@
$(B)/obj/commands/man.o: $(B)/man-page.h
# The table's lint reads the same page.
$(B)/obj/tests/unit/test_cmd.o: $(B)/man-page.h

$(B)/obj/%.o: %.c $(B)/build-paths.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LAYER_INC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(MODELS_LIB): $(MODELS_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FACES_LIB): $(FACES_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The console: faces over models over the core, and the screen libraries.
$(B)/appliance-console: $(B)/obj/shell/main.o $(FACES_LIB) $(MODELS_LIB) \
    $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Each helper: the core and the models it runs, named here; no face, no
# screen library (the lint checks that with nm and ldd).
$(B)/bin/console-helper-network: $(M)/netapply.o $(M)/netconf.o
$(B)/bin/console-dhcp-event: $(M)/netapply.o $(M)/netconf.o
$(B)/bin/console-helper-firewall: $(M)/fwrule.o
$(B)/bin/console-helper-proxy: $(M)/connectivity.o $(M)/proxy.o
$(B)/bin/console-helper-time: $(M)/systime.o $(M)/sntp.o
$(B)/bin/console-helper-account: $(M)/account.o
$(B)/bin/console-helper-audit: $(M)/auditlog.o
$(B)/bin/%: $(B)/obj/bin/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(CORE_LIB) $(BASE_LIBS)

# testconn: the core, the connectivity model and libcurl.
$(B)/bin/testconn: $(B)/obj/bin/testconn.o $(M)/connectivity.o \
    $(M)/proxy.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(CORE_LIB) $(BASE_LIBS) \
	    $(CURL_LIBS)

# Unit tests link the layer they test and those below it.
UNIT_CORE	 = test_atomic test_audit test_spawn test_trail test_valid test_words
UNIT_MODELS	 = test_connectivity test_fwrule test_helper test_netconf test_sntp \
		   test_systime
$(patsubst %,$(B)/tests/%,$(UNIT_CORE)): $(B)/tests/%: \
    $(B)/obj/tests/unit/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BASE_LIBS) $(TEST_LIBS)

$(patsubst %,$(B)/tests/%,$(UNIT_MODELS)): $(B)/tests/%: \
    $(B)/obj/tests/unit/%.o $(MODELS_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BASE_LIBS) $(TEST_LIBS)

# The fixture helper runs the frame, which writes the chained trail.
$(B)/tests/fixture_helper: TEST_LIBS += -lcrypto
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(FACES_LIB) $(MODELS_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(B)/tests/%: $(B)/obj/tests/bench/%.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lutil

$(LAB_TOOLS): $(B)/tests/%: $(B)/obj/tests/lab/%.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

# The one bench tool that measures our own code: grammars over the core.
$(B)/tests/bench_grammar: $(B)/obj/tests/bench/bench_grammar.o $(MODELS_LIB) \
    $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BASE_LIBS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

deps:
	@sh tests/deps.sh

# Every tier; the last line is "N passed, N failed, N skipped" for CI.
check: deps
	@$(MAKE) --no-print-directory all
	@sh tests/run-all.sh

test-unit: all
	@sh tests/run-all.sh unit

test-asan:
	@$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@sh tests/run-all.sh asan

test-lint: all
	@sh tests/run-all.sh lint

test-tui: all
	@sh tests/run-all.sh tui

test-lab: all
	@sh tests/run-all.sh lab

test-security: all
	@sh tests/run-all.sh security

test-valgrind: all
	@sh tests/run-all.sh valgrind

# The package in the Debian image (run-all.sh builds the .deb first).
test-image: all
	@sh tests/run-all.sh image

# The console on the image, after a real ssh login as admin.
demo: deps all deb
	@sh tests/lab/lab.sh demo

# The built console in the lab's namespaces, as root, with no package.
demo-seam: deps all
	@sh tests/lab/lab.sh demo-seam

bench: deps all deb
	@sh tests/bench/bench.sh

# Longer fuzzing than check's short runs: make fuzz FUZZ_SECS=600
FUZZ_SECS	?= 60
fuzz: deps
	@bash tests/fuzz/run.sh $(FUZZ_SECS)

install: $(B)/appliance-console $(HELPERS) $(SUDOERS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR)/appliance-console/commands.d \
	    $(DESTDIR)$(SYSCONFDIR)/sudoers.d \
	    $(DESTDIR)$(SYSCONFDIR)/ssh/sshd_config.d \
	    $(DESTDIR)$(SYSCONFDIR)/init.d $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(UNITDIR)/serial-getty@ttyS0.service.d \
	    $(DESTDIR)/var/lib/appliance-console
	install -d -m 0750 $(DESTDIR)/var/log/appliance-console
	install -m 0755 $(B)/appliance-console $(DESTDIR)$(BINDIR)/appliance-console
	for h in $(PRIV_PROGS) $(OTHER_PROGS) ""; do [ -z "$$h" ] || install -m 0755 $$h $(DESTDIR)$(LIBEXECDIR)/; done
	install -m 0644 etc/console.conf $(DESTDIR)$(SYSCONFDIR)/appliance-console/console.conf
	install -m 0755 etc/commands.d/* $(DESTDIR)$(SYSCONFDIR)/appliance-console/commands.d/
	sed 's|@BINDIR@|$(BINDIR)|g; s|@LIBEXECDIR@|$(LIBEXECDIR)|g' $(SUDOERS) \
	    > $(DESTDIR)$(SYSCONFDIR)/sudoers.d/appliance-console
	chmod 0440 $(DESTDIR)$(SYSCONFDIR)/sudoers.d/appliance-console
	install -m 0644 etc/sshd_config.d/appliance-console.conf \
	    $(DESTDIR)$(SYSCONFDIR)/ssh/sshd_config.d/appliance-console.conf
	# PAM profiles for pam-auth-update (the policy, SSH's lockout) and
	# the cloud-init example of an expired initial password.
	install -d $(DESTDIR)$(PREFIX)/share/pam-configs \
	    $(DESTDIR)$(PREFIX)/share/appliance-console
	install -m 0644 etc/pam-configs/* $(DESTDIR)$(PREFIX)/share/pam-configs/
	install -m 0644 etc/cloud-init/appliance-console-password.cfg \
	    $(DESTDIR)$(PREFIX)/share/appliance-console/
	for u in network firewall; do \
	    sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/systemd/appliance-console-$$u.service \
	        > $(DESTDIR)$(UNITDIR)/appliance-console-$$u.service && \
	    sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/init.d/appliance-console-$$u \
	        > $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-$$u && \
	    chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-$$u || exit 1; \
	done
	install -m 0644 etc/systemd/serial-getty@ttyS0.service.d/appliance-console.conf \
	    $(DESTDIR)$(UNITDIR)/serial-getty@ttyS0.service.d/appliance-console.conf
	install -m 0644 etc/inittab.ttyS0 \
	    $(DESTDIR)$(SYSCONFDIR)/appliance-console/inittab.ttyS0
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/

# The Debian package, built from a copy of the tree (no build/, no .git)
# in build/deb-src/; the .deb lands in $(DEB_DIR). DEB_SRC=DIR builds the
# package of another tree (the upgrade test bumps the version in a copy).
DEB_DIR		?= build/deb
DEB_SRC		?= .
deb:
	@sh tests/deps.sh
	rm -rf build/deb-src && mkdir -p build/deb-src/appliance-console $(DEB_DIR)
	tar -C $(DEB_SRC) --exclude=./build --exclude=./.git -cf - . | \
	    tar -C build/deb-src/appliance-console -xf -
	cd build/deb-src/appliance-console && dpkg-buildpackage -us -uc -b
	mv build/deb-src/*.deb $(DEB_DIR)/
	@ls $(DEB_DIR)/*.deb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/appliance-console
	rm -rf $(DESTDIR)$(LIBEXECDIR)
	rm -f $(DESTDIR)$(SYSCONFDIR)/sudoers.d/appliance-console
	rm -f $(DESTDIR)$(SYSCONFDIR)/ssh/sshd_config.d/appliance-console.conf
	rm -f $(DESTDIR)$(PREFIX)/share/pam-configs/appliance-console-*
	rm -rf $(DESTDIR)$(PREFIX)/share/appliance-console
	rm -f $(DESTDIR)$(UNITDIR)/appliance-console-network.service \
	    $(DESTDIR)$(UNITDIR)/appliance-console-firewall.service
	rm -rf $(DESTDIR)$(UNITDIR)/serial-getty@ttyS0.service.d/appliance-console.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/appliance-console/inittab.ttyS0
	rm -f $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-network \
	    $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-firewall

clean:
	rm -rf build
