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
CPPFLAGS	+= -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -Iconsole -Icommands -I$(B)
LDFLAGS		+= $(SAN) -pie -Wl,-z,relro,-z,now
# CDK is built against the narrow ncurses on Debian: link the same one.
# CDK, inih and jansson are linked statically: three fewer shared objects
# to map and relocate at every login (about 0.2 ms of the start-up);
# libedit (the prompt's line editor, BSD licence) and its libbsd too.
LIBS		 = -Wl,-Bstatic -lcdk -linih -ljansson -ledit -lbsd -lmd -Wl,-Bdynamic \
		   -lncurses -ltinfo -lmnl
TEST_LIBS	 = -lcmocka
# libcurl (with OpenSSL, whose verify callback names the issuer chain, and
# the resolver) only in testconn: never in the console, where it would
# load OpenSSL at every login.
CURL_LIBS	 = -lcurl -lssl -lcrypto -lresolv

CORE_SRC	 = $(filter-out console/main.c,$(wildcard console/*.c)) \
		   $(wildcard commands/*.c)
CORE_OBJ	 = $(patsubst %.c,$(B)/obj/%.o,$(CORE_SRC))
CORE_LIB	 = $(B)/libconsole.a
HELPER_SRC	 = $(wildcard bin/*.c)
HELPERS		 = $(patsubst bin/%.c,$(B)/bin/%,$(HELPER_SRC))
UNIT_SRC	 = $(wildcard tests/unit/test_*.c)
UNIT_TESTS	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
FIXTURE_SRC	 = $(wildcard tests/unit/fixture_*.c)
FIXTURES	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(FIXTURE_SRC))
BENCH_SRC	 = $(wildcard tests/bench/*.c)
BENCH_TOOLS	 = $(patsubst tests/bench/%.c,$(B)/tests/%,$(BENCH_SRC))

.PHONY: all deps check test-unit test-asan test-lint test-tui test-lab test-security \
	test-valgrind test-image demo demo-seam bench fuzz install uninstall clean \
	programs deb

all: $(B)/appliance-console $(HELPERS) $(UNIT_TESTS) $(FIXTURES) $(BENCH_TOOLS)

# What the package ships (no tests): debian/rules builds this.
programs: $(B)/appliance-console $(HELPERS)

# Compiled-in paths live in one generated header, rewritten only when they
# change, so a new PREFIX rebuilds exactly what depends on it.
$(B)/build-paths.h: FORCE
	@mkdir -p $(B)
	@printf '#define LIBEXECDIR "%s"\n#define SYSCONFDIR "%s"\n' \
	    '$(LIBEXECDIR)' '$(SYSCONFDIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

# man shows the page it was built with: the page as one C string.
$(B)/man-page.h: man/appliance-console.8
	@mkdir -p $(B)
	@{ echo '#define MAN_PAGE \'; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' \
	    -e 's/$$/\\n" \\/' $<; echo '    ""'; } > $@.tmp && mv $@.tmp $@
$(B)/obj/commands/man.o: $(B)/man-page.h

$(B)/obj/%.o: %.c $(B)/build-paths.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/appliance-console: $(B)/obj/console/main.o $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/bin/%: $(B)/obj/bin/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# --as-needed: testconn draws nothing, so curses is not even loaded.
$(B)/bin/testconn: $(B)/obj/bin/testconn.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LIBS) $(CURL_LIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(B)/tests/%: $(B)/obj/tests/bench/%.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lutil

# The one bench tool that measures our own code.
$(B)/tests/bench_grammar: $(B)/obj/tests/bench/bench_grammar.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

deps:
	@sh tests/deps.sh

# Every tier; the last line is "N passed, N failed" for CI.
check: deps
	@$(MAKE) --no-print-directory all
	@sh tests/run-all.sh

test-unit: all
	@sh tests/run-all.sh unit

test-asan:
	@$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@sh tests/run-all.sh asan

test-lint:
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

install: $(B)/appliance-console $(HELPERS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR)/appliance-console/commands.d \
	    $(DESTDIR)$(SYSCONFDIR)/sudoers.d \
	    $(DESTDIR)$(SYSCONFDIR)/ssh/sshd_config.d \
	    $(DESTDIR)$(SYSCONFDIR)/init.d $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)/var/lib/appliance-console
	install -d -m 0750 $(DESTDIR)/var/log/appliance-console
	install -m 0755 $(B)/appliance-console $(DESTDIR)$(BINDIR)/appliance-console
	for h in $(HELPERS) ""; do [ -z "$$h" ] || install -m 0755 $$h $(DESTDIR)$(LIBEXECDIR)/; done
	install -m 0644 etc/console.conf $(DESTDIR)$(SYSCONFDIR)/appliance-console/console.conf
	install -m 0755 etc/commands.d/* $(DESTDIR)$(SYSCONFDIR)/appliance-console/commands.d/
	sed 's|@BINDIR@|$(BINDIR)|g; s|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/sudoers.d/appliance-console \
	    > $(DESTDIR)$(SYSCONFDIR)/sudoers.d/appliance-console
	chmod 0440 $(DESTDIR)$(SYSCONFDIR)/sudoers.d/appliance-console
	install -m 0644 etc/sshd_config.d/appliance-console.conf \
	    $(DESTDIR)$(SYSCONFDIR)/ssh/sshd_config.d/appliance-console.conf
	for u in network firewall; do \
	    sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/systemd/appliance-console-$$u.service \
	        > $(DESTDIR)$(UNITDIR)/appliance-console-$$u.service && \
	    sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/init.d/appliance-console-$$u \
	        > $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-$$u && \
	    chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-$$u || exit 1; \
	done
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
	rm -f $(DESTDIR)$(UNITDIR)/appliance-console-network.service \
	    $(DESTDIR)$(UNITDIR)/appliance-console-firewall.service
	rm -f $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-network \
	    $(DESTDIR)$(SYSCONFDIR)/init.d/appliance-console-firewall

clean:
	rm -rf build
