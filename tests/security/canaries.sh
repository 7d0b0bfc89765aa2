# SPDX-License-Identifier: ISC
# The escape suite's canaries (see run.sh), shared by tests/security/run.sh
# (the built console in the lab) and tests/image/test_escape.sh (the
# installed console in the image lab). Sourced (bash); tap.sh first.

# make_canaries W UID [OUTER]: the canaries in directory W as the console
# sees it, written through OUTER (a prefix such as /proc/PID/root when W
# is inside an appliance root; empty when it is the host's); the evil
# shared object fires for UID only. A "not ok" and exit 1 when it fails.
make_canaries() {
	local w=$1 uid=$2 o=${3:-} p
	install -d -m 1777 "$o$w/can"
	head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' |
	    sed 's/^/secret-/' >"$o$w/secret"
	chmod 0600 "$o$w/secret"
	cat >"$o$w/evil" <<-EOC
	#!/bin/sh
	/usr/bin/id >"$w/can/evil.\$\$" 2>&1
	/bin/cat "$w/secret" >>"$w/can/evil.\$\$" 2>&1
	/usr/bin/id
	EOC
	chmod 0755 "$o$w/evil"
	printf '/usr/bin/touch "%s/can/rc.$$"\n' "$w" >"$o$w/evilrc"
	chmod 0644 "$o$w/evilrc"
	mkdir -m 0755 "$o$w/evilbin"
	for p in sh bash dash ip ping ping4 ping6 iptables iptables-restore \
	    groff nroff troff grotty man less more pager most vi vim sensible-pager \
	    id sudo passwd curl wget ssh nc cat env tc testconn busybox; do
		ln -s ../evil "$o$w/evilbin/$p"
	done
	cat >"$o$w/evil.c" <<-EOC
	#include <fcntl.h>
	#include <stdio.h>
	#include <unistd.h>
	__attribute__((constructor)) static void evil(void)
	{
		char p[512];
		/* Only in admin's processes (ssh's SendEnv sets it for root). */
		if (getuid() != $uid)
			return;
		snprintf(p, sizeof p, "$w/can/so.%d", (int)getpid());
		close(open(p, O_WRONLY | O_CREAT, 0644));
	}
	EOC
	cc -shared -fPIC -o "$o$w/evil.so" "$o$w/evil.c" ||
	    { notok "cannot build the evil shared object"; exit 1; }
	chmod 0755 "$o$w/evil.so"
}
