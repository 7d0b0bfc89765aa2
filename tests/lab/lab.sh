#!/bin/sh
# SPDX-License-Identifier: ISC
#
# The lab: an appliance network namespace and an upstream namespace joined
# by a veth pair, with real servers in the upstream (dnsmasq for DHCP and
# DNS, an HTTPS server with the lab's own CA and a second "inspection" CA,
# tinyproxy, chronyd serving NTP, sshd as the support host) and a temporary
# system root for the console's /etc files. `make demo` and every
# integration test use it. Root only. Everything a lab owns lives in its
# directory /tmp/ac-lab.XXXXXX and its two namespaces ac-app-NAME and
# ac-up-NAME; the host's network and /etc are never touched, apart from
# /etc/netns/<namespace>/ (which `ip netns exec` bind-mounts over /etc
# inside that namespace only) and an empty /run/sshd if it is missing
# (sshd will not start without its privilege-separation directory).
#
#   lab.sh up [--name NAME] [--no-addr] [--image]
#                                        create a lab, print its env file
#   lab.sh down NAME|ENVFILE             remove a lab (idempotent)
#   lab.sh run ENVFILE -- CMD ARGS...    CMD in the appliance namespaces
#                                        (network, and UTS for the hostname;
#                                        an image lab's all, and its root)
#   lab.sh ssh ENVFILE SSH-ARGS...       ssh with admin's key from the
#                                        upstream (an image lab)
#   lab.sh demo                          the console on the image, after a
#                                        real ssh login as admin
#   lab.sh demo-seam                     the built console run as root in
#                                        the namespaces (quicker, no package)
#   lab.sh list                          the labs on this machine
#   lab.sh down-all                      remove every lab (after a crash)
#
# Environment: LAB_BUILD (default <repo>/build) is where the console and
# its helpers are taken from; LAB_BREAK=SERVER gives that server a bad
# configuration so that tests can watch `up` fail and clean up.
#
# --image: the appliance is the Debian image (tests/image/build.sh
# appliance, into LAB_IMAGE, default <build>/image/appliance, with the
# package LAB_DEB, default the newest <build>/deb/appliance-console_*.deb)
# booted by appliance-init.sh in its own mount, PID and IPC namespaces, the
# lab's UTS namespace and the appliance network namespace: an overlay root
# per lab, the image's own sshd on port 22 with the package's drop-in,
# admin logging in with the lab's key (LAB_ADMIN_KEY). `run` then enters
# those namespaces and that root (nsenter), and the console is the
# installed one, with no CONSOLE_ROOT.

# make demo runs us with sh: this script is bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec /bin/bash "$0" "$@"
fi
set -u
set -o pipefail
umask 022
export LC_ALL=C
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=/usr/sbin:/sbin:$PATH ;; esac

LAB_SH=$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")
LAB_SRC=$(dirname "$LAB_SH")
REPO=$(cd "$LAB_SRC/../.." && pwd -P)
BUILD=${LAB_BUILD:-$REPO/build}
DIR_PREFIX=/tmp/ac-lab.
NAME_RE='^[a-z0-9]{1,8}$'
# Servers are started with this environment and nothing else.
SERVER_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C)
# The programs the lab starts; `down` kills stray ones that name a lab dir.
SERVER_COMMS='dnsmasq tinyproxy chronyd sshd python3 unshare'
WAIT_SECS=5

UP_ADDR=192.0.2.1
APP_ADDR=192.0.2.10
UP_ADDR6=2001:db8::1
APP_ADDR6=2001:db8::10
DOMAIN=lab.example
HOSTS='gateway updates activation proxy ntp support'

die()
{
	echo "lab: $*" >&2
	exit 1
}

usage()
{
	sed -n 's/^#   lab.sh/usage: lab.sh/p' "$LAB_SH" >&2
	exit 2
}

need_root()
{
	[ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces)"
}

# The python the servers and probes use: the system's, not a user's shim.
find_python()
{
	if [ -x /usr/bin/python3 ]; then
		echo /usr/bin/python3
	else
		command -v python3 || die "python3 not found"
	fi
}

# find_prog NAME: absolute path of a server program, or die naming it.
find_prog()
{
	local p

	for p in "/usr/sbin/$1" "/usr/bin/$1" "/sbin/$1"; do
		[ -x "$p" ] && { echo "$p"; return 0; }
	done
	p=$(command -v "$1") || die "$1 is not installed (make deps)"
	echo "$p"
}

random_name()
{
	od -An -N3 -tx1 /dev/urandom | tr -d ' \n'
}

# lab_dirs: the lab directories on this machine, one per line.
lab_dirs()
{
	local d

	for d in "$DIR_PREFIX"*; do
		# Ours only: a root-owned real directory holding a name file.
		[ -d "$d" ] && [ ! -L "$d" ] && [ -O "$d" ] &&
		    [ -f "$d/name" ] && echo "$d"
	done
	return 0
}

# dirs_of NAME: the lab directories that belong to lab NAME.
dirs_of()
{
	local d

	lab_dirs | while read -r d; do
		[ "$(cat "$d/name" 2>/dev/null)" = "$1" ] && echo "$d"
	done
	return 0
}

ns_exists()
{
	[ -e "/run/netns/$1" ]
}

# env_get FILE KEY: one value from an env file, without sourcing it.
env_get()
{
	sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1
}

# load_env FILE: the LAB_* variables of a lab env file, into this shell.
load_env()
{
	local k v

	[ -f "$1" ] || die "no such lab env file: $1"
	while IFS='=' read -r k v; do
		case $k in
		LAB_*) [[ $k =~ ^LAB_[A-Z0-9_]+$ ]] && printf -v "$k" '%s' "$v" ;;
		esac
	done <"$1"
	[ -n "${LAB_NAME:-}" ] && [ -n "${LAB_NS_APP:-}" ] ||
	    die "$1 is not a lab env file"
}

# pid_ok PID DIR: PID is alive and is one of this lab's servers.
pid_ok()
{
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] &&
	    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$2"
}

# healthy DIR: the lab is complete and every server still runs.
healthy()
{
	local f name

	[ -f "$1/lab.env" ] || return 1
	name=$(cat "$1/name")
	ns_exists "ac-app-$name" && ns_exists "ac-up-$name" || return 1
	for f in "$1"/pid/*.pid; do
		[ -f "$f" ] || return 1
		pid_ok "$(cat "$f")" "$1" || return 1
	done
	return 0
}

# ancestors: this process and its parents, which `down` must not kill.
ancestors()
{
	local p=$$

	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		echo "$p"
		p=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
	done
	echo "$BASHPID"
}

# lab_pids NAME DIRS...: every process of a lab, one per line.
lab_pids()
{
	local name=$1 ns f p comm d
	shift

	for ns in "ac-app-$name" "ac-up-$name"; do
		ns_exists "$ns" && ip netns pids "$ns" 2>/dev/null
	done
	for d in "$@"; do
		for f in "$d"/pid/*.pid; do
			[ -f "$f" ] || continue
			p=$(cat "$f")
			pid_ok "$p" "$d" && echo "$p"
		done
		# Strays: a server whose namespace is already gone.
		for p in /proc/[0-9]*; do
			comm=$(cat "$p/comm" 2>/dev/null) || continue
			case " $SERVER_COMMS " in *" $comm "*) ;; *) continue ;; esac
			pid_ok "${p#/proc/}" "$d" && echo "${p#/proc/}"
		done
	done
	return 0
}

# wait_dead TICKS PIDS...: until every PID is gone (0), or TICKS of 50 ms
# have passed (1, with the survivors in $left).
wait_dead()
{
	local n=$1 p
	shift

	while [ "$n" -gt 0 ]; do
		left=""
		for p in "$@"; do
			[ -d "/proc/$p" ] && left="$left $p"
		done
		[ -z "$left" ] && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# kill_all PIDS...: TERM, a bounded wait, then KILL what is left.
kill_all()
{
	local left

	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	wait_dead 40 "$@" && return 0
	# shellcheck disable=SC2086 # a list of pids
	kill -KILL $left 2>/dev/null
	wait_dead 20 "$@" && return 0
	echo "lab: processes$left did not die" >&2
	return 0
}

# down_name NAME: remove everything lab NAME may have left, in any state.
down_name()
{
	local name=$1 dirs pids keep p ns
	local -a victims=()

	mapfile -t dirs < <(dirs_of "$name")
	keep=" $(ancestors | tr '\n' ' ') "
	# Twice: a server that forked while we were killing its parent.
	for _ in 1 2; do
		victims=()
		while read -r p; do
			[ -n "$p" ] || continue
			case $keep in *" $p "*) continue ;; esac
			case " ${victims[*]} " in *" $p "*) continue ;; esac
			victims+=("$p")
		done < <(lab_pids "$name" "${dirs[@]}")
		kill_all "${victims[@]}"
	done
	# Deleting one end of a veth deletes both; do it before the
	# namespaces so that a leftover process cannot keep it alive.
	ns_exists "ac-app-$name" &&
	    ip -n "ac-app-$name" link del eth0 2>/dev/null
	ns_exists "ac-up-$name" &&
	    ip -n "ac-up-$name" link del "ac-up-$name" 2>/dev/null
	for ns in "ac-app-$name" "ac-up-$name"; do
		ns_exists "$ns" && ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"
	done
	rmdir /etc/netns 2>/dev/null
	for p in "${dirs[@]}"; do
		[ -e "$p/uts" ] && umount "$p/uts" 2>/dev/null
		rm -rf "$p"
	done
	return 0
}

# --- up --------------------------------------------------------------

# spawn NAME CMD...: start a server in the upstream namespace, in its own
# session, with nothing of ours open (a caller reading our stdout through
# $(...) must see EOF), and record its pid.
spawn()
{
	local name=$1
	shift

	setsid ip netns exec "$LAB_NS_UP" "${SERVER_ENV[@]}" "$@" \
	    </dev/null >"$LAB_DIR/log/$name.out" 2>&1 &
	echo $! >"$LAB_DIR/pid/$name.pid"
}

# broken NAME: a bad config line when LAB_BREAK names this server.
broken()
{
	[ "${LAB_BREAK:-}" = "$1" ] && echo "NoSuchDirective yes"
	return 0
}

make_network()
{
	local ifup=$LAB_IF_UP

	ip netns add "$LAB_NS_APP" || die "cannot create namespace $LAB_NS_APP"
	ip netns add "$LAB_NS_UP" || die "cannot create namespace $LAB_NS_UP"
	# Made inside the appliance namespace with its peer sent straight to
	# the upstream: the host's namespace never sees either end.
	ip -n "$LAB_NS_APP" link add eth0 type veth \
	    peer name "$ifup" netns "$LAB_NS_UP" ||
	    die "cannot create the veth pair"
	ip -n "$LAB_NS_UP" link set lo up &&
	ip -n "$LAB_NS_UP" addr add "$UP_ADDR/24" dev "$ifup" &&
	# nodad: servers bind these addresses at once, not after DAD.
	ip -n "$LAB_NS_UP" addr add "$UP_ADDR6/64" dev "$ifup" nodad &&
	ip -n "$LAB_NS_UP" link set "$ifup" up &&
	ip -n "$LAB_NS_APP" link set lo up &&
	ip -n "$LAB_NS_APP" link set eth0 up ||
	    die "cannot configure the lab's links"
	[ "$ADDR_MODE" = static ] || return 0
	ip -n "$LAB_NS_APP" addr add "$APP_ADDR/24" dev eth0 &&
	ip -n "$LAB_NS_APP" addr add "$APP_ADDR6/64" dev eth0 nodad &&
	ip -n "$LAB_NS_APP" route add default via "$UP_ADDR" &&
	ip -n "$LAB_NS_APP" -6 route add default via "$UP_ADDR6" ||
	    die "cannot address the appliance namespace"
}

# make_uts: the appliance's own hostname. A UTS namespace kept alive by
# a bind mount on $LAB_DIR/uts, entered by `run` next to the network
# namespace: setting the hostname in the lab never renames the host.
make_uts()
{
	: >"$LAB_DIR/uts" &&
	unshare --uts="$LAB_DIR/uts" hostname lab-appliance ||
	    die "cannot create the lab's UTS namespace"
}

make_root()
{
	local r=$LAB_ROOT f

	mkdir -p "$r/etc/appliance-console/commands.d" \
	    "$r/var/log/appliance-console" "$r/var/lib/appliance-console" \
	    "$r/usr/local/libexec/appliance-console" || die "cannot make $r"
	# The package installs the log; the console never creates it.
	: >"$r/var/log/appliance-console/audit.log"
	if [ -f "$REPO/etc/console.conf" ]; then
		cp "$REPO/etc/console.conf" "$r/etc/appliance-console/"
	else
		: >"$r/etc/appliance-console/console.conf"
	fi
	for f in "$REPO"/etc/commands.d/*; do
		[ -f "$f" ] || continue
		cp "$f" "$r/etc/appliance-console/commands.d/"
		chmod 0755 "$r/etc/appliance-console/commands.d/${f##*/}"
	done
	for f in "$BUILD"/bin/*; do
		[ -f "$f" ] && ln -s "$f" "$r/usr/local/libexec/appliance-console/"
	done
	echo "nameserver $UP_ADDR" >"$r/etc/resolv.conf"
	echo lab-appliance >"$r/etc/hostname"
	# Programs run with `ip netns exec` see these over /etc/resolv.conf:
	# the appliance resolves through the lab, and so does the proxy.
	mkdir -p "/etc/netns/$LAB_NS_APP" "/etc/netns/$LAB_NS_UP"
	cp "$r/etc/resolv.conf" "/etc/netns/$LAB_NS_APP/resolv.conf"
	cp "$r/etc/resolv.conf" "/etc/netns/$LAB_NS_UP/resolv.conf"
}

# cert DIR NAME CA_DIR: a key and a certificate for every lab name,
# signed by the CA in CA_DIR.
make_cert()
{
	local d=$1 n=$2 ca=$3 san="" h

	for h in $HOSTS; do
		san="${san}DNS:$h.$DOMAIN,"
	done
	san="${san}IP:$UP_ADDR,IP:$UP_ADDR6"
	printf '%s\n' "subjectAltName=$san" "basicConstraints=critical,CA:FALSE" \
	    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
	    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
	    >"$d/$n.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$d/$n.key" -subj "/CN=updates.$DOMAIN" \
	    -out "$d/$n.csr" 2>>"$LAB_DIR/log/openssl.log" &&
	openssl x509 -req -in "$d/$n.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" \
	    -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
	    -days 30 -extfile "$d/$n.ext" -out "$d/$n.crt" \
	    2>>"$LAB_DIR/log/openssl.log"
}

# make_ca DIR CN: a self-signed CA.
make_ca()
{
	mkdir -p "$1" &&
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$1/ca.key" -out "$1/ca.crt" -days 30 -subj "/CN=$2" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign \
	    2>>"$LAB_DIR/log/openssl.log"
}

make_tls()
{
	make_ca "$LAB_DIR/tls/ca" "Appliance Console Lab CA" &&
	make_cert "$LAB_DIR/tls" server "$LAB_DIR/tls/ca" &&
	make_ca "$LAB_DIR/tls/inspect-ca" "Lab TLS Inspection CA" &&
	make_cert "$LAB_DIR/tls" inspect "$LAB_DIR/tls/inspect-ca" ||
	    die "openssl failed; see $LAB_DIR/log/openssl.log"
	chmod 0600 "$LAB_DIR"/tls/*.key "$LAB_DIR"/tls/*/ca.key
}

start_dnsmasq()
{
	local h args=()

	for h in $HOSTS; do
		args+=("--host-record=$h.$DOMAIN,$UP_ADDR,$UP_ADDR6")
	done
	[ "${LAB_BREAK:-}" = dnsmasq ] && args+=(--no-such-option)
	# -C /dev/null, --no-resolv, --no-hosts: nothing read from /etc.
	# --local: names in the lab domain that we do not define are
	# NXDOMAIN, never forwarded.
	spawn dnsmasq "$(find_prog dnsmasq)" -C /dev/null --keep-in-foreground \
	    --no-resolv --no-hosts --no-poll \
	    --pid-file="$LAB_DIR/run/dnsmasq.pid" \
	    --log-facility="$LAB_DIR/log/dnsmasq.log" --log-queries --log-dhcp \
	    --interface="$LAB_IF_UP" --bind-interfaces \
	    --listen-address="$UP_ADDR" --listen-address="$UP_ADDR6" \
	    --domain="$DOMAIN" --local="/$DOMAIN/" "${args[@]}" \
	    --dhcp-range=192.0.2.100,192.0.2.200,255.255.255.0,1h \
	    --enable-ra --ra-param="$LAB_IF_UP",4 \
	    --dhcp-range=2001:db8::,ra-only,64,1h \
	    --dhcp-option=option:router,"$UP_ADDR" \
	    --dhcp-option=option:dns-server,"$UP_ADDR" \
	    --dhcp-leasefile="$LAB_DIR/dnsmasq.leases" --dhcp-authoritative
}

start_https()
{
	local t=$LAB_DIR/tls

	[ "${LAB_BREAK:-}" = https ] && t=$LAB_DIR/missing
	spawn https "$PYTHON" -I -u "$LAB_SRC/labhttpd.py" \
	    "https,$UP_ADDR,443,lab,$t/server.crt,$t/server.key" \
	    "https,$UP_ADDR6,443,lab,$t/server.crt,$t/server.key" \
	    "https,$UP_ADDR,8443,inspect,$t/inspect.crt,$t/inspect.key" \
	    "https,$UP_ADDR6,8443,inspect,$t/inspect.crt,$t/inspect.key" \
	    "http,$UP_ADDR,80,plain" "http,$UP_ADDR6,80,plain"
}

start_tinyproxy()
{
	local d=$LAB_DIR/tinyproxy

	# tinyproxy drops to nobody and then writes its log: its own
	# directory, owned by nobody, inside our 0711 lab directory.
	mkdir -p "$d" && chown nobody:nogroup "$d" ||
	    die "cannot make $d for tinyproxy"
	cat >"$LAB_DIR/conf/tinyproxy.conf" <<-EOF
	User nobody
	Group nogroup
	Port 8888
	Listen $UP_ADDR
	Timeout 60
	MaxClients 50
	Allow 192.0.2.0/24
	Syslog Off
	LogLevel Info
	LogFile "$d/tinyproxy.log"
	PidFile "$d/tinyproxy.pid"
	DisableViaHeader Yes
	$(broken tinyproxy)
	EOF
	spawn tinyproxy "$(find_prog tinyproxy)" -d \
	    -c "$LAB_DIR/conf/tinyproxy.conf"
}

start_chronyd()
{
	# bindcmdaddress / and cmdport 0: no command socket at all, so
	# nothing under /run/chrony and no clash with the host's chronyd.
	cat >"$LAB_DIR/conf/chrony.conf" <<-EOF
	local stratum 8
	allow 192.0.2.0/24
	allow 2001:db8::/64
	bindaddress $UP_ADDR
	bindaddress $UP_ADDR6
	bindcmdaddress /
	cmdport 0
	pidfile $LAB_DIR/run/chronyd.pid
	driftfile $LAB_DIR/run/chrony.drift
	$(broken chronyd)
	EOF
	# -x: never touch the clock. It is shared by every namespace, so
	# without -x the lab would set the host's time.
	spawn chronyd "$(find_prog chronyd)" -x -d -u root \
	    -f "$LAB_DIR/conf/chrony.conf"
}

start_sshd()
{
	local s=$LAB_DIR/ssh h names=""

	mkdir -p "$s" &&
	ssh-keygen -q -t ed25519 -N '' -C lab-host -f "$s/host_ed25519_key" &&
	ssh-keygen -q -t ed25519 -N '' -C lab-client -f "$s/client_key" ||
	    die "ssh-keygen failed"
	cp "$s/client_key.pub" "$s/authorized_keys"
	for h in $HOSTS; do
		names="$names$h.$DOMAIN,"
	done
	echo "$names$UP_ADDR,$UP_ADDR6 $(cut -d' ' -f1-2 "$s/host_ed25519_key.pub")" \
	    >"$s/known_hosts"
	# sshd refuses to start without its privilege-separation directory.
	# On a host that does not run sshd it may be missing: an empty,
	# root-owned directory, which we leave in place.
	[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
	# The support host: key logins as root only, with the lab's client
	# key. StrictModes off because the key lives under /tmp.
	cat >"$LAB_DIR/conf/sshd_config" <<-EOF
	ListenAddress $UP_ADDR:22
	ListenAddress [$UP_ADDR6]:22
	HostKey $s/host_ed25519_key
	PidFile $LAB_DIR/run/sshd.pid
	AuthorizedKeysFile $s/authorized_keys
	UsePAM no
	StrictModes no
	PermitRootLogin prohibit-password
	AllowUsers root
	PubkeyAuthentication yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	HostbasedAuthentication no
	X11Forwarding no
	PermitUserRC no
	PermitUserEnvironment no
	PrintMotd no
	PrintLastLog no
	UseDNS no
	LogLevel VERBOSE
	$(broken sshd)
	EOF
	spawn sshd "$(find_prog sshd)" -D -f "$LAB_DIR/conf/sshd_config" \
	    -E "$LAB_DIR/log/sshd.log"
}

# make_image: the appliance image, built (or found up to date) from the
# package; one builder at a time.
make_image()
{
	local deb=${LAB_DEB:-}

	if [ -z "$deb" ]; then
		deb=$(ls -t "$BUILD"/deb/appliance-console_*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || die "no package in $BUILD/deb (make deb)"
	fi
	[ -f "$deb" ] || die "no such package: $deb"
	IMAGE=${LAB_IMAGE:-$BUILD/image/appliance}
	mkdir -p "$(dirname "$IMAGE")" || die "cannot make $(dirname "$IMAGE")"
	flock "$(dirname "$IMAGE")" bash "$REPO/tests/image/build.sh" \
	    appliance "$IMAGE" "$deb" || die "cannot build the image"
}

# start_appliance: the image booted by appliance-init.sh (its PID 1), in
# the appliance network namespace and the lab's UTS namespace; sshd ready
# on port 22, its host key in LAB_DIR/ssh/appliance_known_hosts.
start_appliance()
{
	local upid pid="" deadline=$((SECONDS + WAIT_SECS + 5)) s=$LAB_DIR/ssh

	ssh-keygen -q -t ed25519 -N '' -C lab-admin -f "$s/admin_key" ||
	    die "ssh-keygen failed"
	mkdir "$LAB_DIR/appliance" "$LAB_DIR/overlay"
	# The serial and hypervisor console lines (appliance-init.sh).
	[ -x "$BUILD/tests/ttyline" ] ||
	    die "$BUILD/tests/ttyline is missing: run make first"
	install -D -m 0755 "$BUILD/tests/ttyline" "$LAB_DIR/bin/ttyline" ||
	    die "cannot copy ttyline"
	setsid ip netns exec "$LAB_NS_APP" nsenter --uts="$LAB_DIR/uts" -- \
	    unshare --mount --pid --ipc --fork --kill-child=SIGKILL \
	    /bin/bash "$LAB_SRC/appliance-init.sh" "$LAB_DIR" "$IMAGE" \
	    </dev/null >"$LAB_DIR/log/appliance.out" 2>&1 &
	upid=$!
	echo "$upid" >"$LAB_DIR/pid/appliance.pid"
	while :; do
		# (Its command line is ours until the fork has exec'ed.)
		kill -0 "$upid" 2>/dev/null || {
			tail -n 20 "$LAB_DIR/log/appliance.out" | sed 's/^/lab: | /' >&2
			die "the appliance exited at start; see $LAB_DIR/log/appliance.out"
		}
		[ -n "$pid" ] || pid=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null)
		pid=${pid%% *}
		[ -n "$pid" ] && ss -N "$LAB_NS_APP" -Hltn 2>/dev/null |
		    grep -q "[[:space:]]0\.0\.0\.0:22[[:space:]]" && break
		[ "$SECONDS" -lt "$deadline" ] ||
		    die "the appliance's sshd not ready; see $LAB_DIR/log/appliance.out"
		sleep 0.05
	done
	APP_PID=$pid
	echo "$APP_ADDR $(cut -d' ' -f1-2 "/proc/$pid/root/etc/ssh/ssh_host_ed25519_key.pub")" \
	    >"$s/appliance_known_hosts" || die "no host key in the appliance"
}

# wait_ready: until every server listens where it should. The sockets of
# the upstream namespace are read with ss; a server that exits, or misses
# the deadline, fails `up` with its name and its log.
wait_ready()
{
	local -A want=(
		[dnsmasq]="udp:$UP_ADDR:53 tcp:$UP_ADDR:53 udp:[$UP_ADDR6]:53 udp:%$LAB_IF_UP:67"
		[https]="tcp:$UP_ADDR:443 tcp:[$UP_ADDR6]:443 tcp:$UP_ADDR:8443 tcp:$UP_ADDR:80"
		[tinyproxy]="tcp:$UP_ADDR:8888"
		[chronyd]="udp:$UP_ADDR:123 udp:[$UP_ADDR6]:123"
		[sshd]="tcp:$UP_ADDR:22 tcp:[$UP_ADDR6]:22"
	)
	local deadline=$((SECONDS + WAIT_SECS + 1)) socks srv s pending log

	while :; do
		socks=" $(ss -N "$LAB_NS_UP" -Hlntu 2>/dev/null |
		    awk '{ sub(/^0\.0\.0\.0/, "", $5); printf "%s:%s ", $1, $5 }') "
		pending=""
		for srv in "${!want[@]}"; do
			log=$LAB_DIR/log/$srv.out
			[ -s "$LAB_DIR/log/$srv.log" ] && log=$LAB_DIR/log/$srv.log
			[ "$srv" = tinyproxy ] && log=$LAB_DIR/tinyproxy/tinyproxy.log
			if ! pid_ok "$(cat "$LAB_DIR/pid/$srv.pid")" "$LAB_DIR"; then
				tail -n 5 "$LAB_DIR/log/$srv.out" "$log" 2>/dev/null |
				    sed 's/^/lab: | /' >&2
				die "$srv exited at start; see $log"
			fi
			for s in ${want[$srv]}; do
				case $socks in
				*" $s "*) ;;
				*) pending="$pending $srv"; break ;;
				esac
			done
		done
		[ -z "$pending" ] && return 0
		if [ "$SECONDS" -ge "$deadline" ]; then
			srv=${pending# }
			srv=${srv%% *}
			die "$srv not ready within $WAIT_SECS s; see $LAB_DIR/log/"
		fi
		sleep 0.05
	done
}

write_env()
{
	local e=$LAB_DIR/lab.env

	cat >"$e.tmp" <<-EOF
	LAB_NAME=$LAB_NAME
	LAB_DIR=$LAB_DIR
	LAB_ENV=$e
	LAB_SH=$LAB_SH
	LAB_ROOT=$LAB_ROOT
	LAB_NS_APP=$LAB_NS_APP
	LAB_NS_UP=$LAB_NS_UP
	LAB_UTS=$LAB_DIR/uts
	LAB_HOSTNAME=lab-appliance
	LAB_IF_APP=eth0
	LAB_IF_UP=$LAB_IF_UP
	LAB_ADDR_MODE=$ADDR_MODE
	LAB_UP_ADDR=$UP_ADDR
	LAB_APP_ADDR=$APP_ADDR
	LAB_PREFIX=24
	LAB_UP_ADDR6=$UP_ADDR6
	LAB_APP_ADDR6=$APP_ADDR6
	LAB_PREFIX6=64
	LAB_DOMAIN=$DOMAIN
	LAB_DNS=$UP_ADDR
	LAB_DHCP_RANGE=192.0.2.100-192.0.2.200
	LAB_LEASES=$LAB_DIR/dnsmasq.leases
	LAB_CA=$LAB_DIR/tls/ca/ca.crt
	LAB_INSPECT_CA=$LAB_DIR/tls/inspect-ca/ca.crt
	LAB_HTTPS_URL=https://updates.$DOMAIN/
	LAB_HTTPS_INSPECT_URL=https://updates.$DOMAIN:8443/
	LAB_HTTP_URL=http://updates.$DOMAIN/
	LAB_PROXY=$UP_ADDR:8888
	LAB_NTP=$UP_ADDR
	LAB_SSH=$UP_ADDR:22
	LAB_SSH_USER=root
	LAB_SSH_KEY=$LAB_DIR/ssh/client_key
	LAB_SSH_HOSTKEY=$LAB_DIR/ssh/host_ed25519_key.pub
	LAB_SSH_KNOWN_HOSTS=$LAB_DIR/ssh/known_hosts
	LAB_LOG=$LAB_DIR/log
	LAB_PYTHON=$PYTHON
	LAB_PROBE=$LAB_SRC/probe.py
	EOF
	[ -n "$IMAGE_MODE" ] && cat >>"$e.tmp" <<-EOF
	LAB_IMAGE=$IMAGE
	LAB_APP_PID=$APP_PID
	LAB_APP_ROOT=/proc/$APP_PID/root
	LAB_ADMIN_KEY=$LAB_DIR/ssh/admin_key
	LAB_APP_KNOWN_HOSTS=$LAB_DIR/ssh/appliance_known_hosts
	EOF
	mv "$e.tmp" "$e"
}

# up_cleanup: the EXIT trap of `up`: a lab that did not come up whole is
# removed whole, whatever stopped it.
up_cleanup()
{
	local rc=$?

	trap - EXIT
	[ "$rc" = 0 ] || down_name "$LAB_NAME" >/dev/null 2>&1
	exit "$rc"
}

cmd_up()
{
	local name="" d kind

	ADDR_MODE=static
	IMAGE_MODE=""
	while [ $# -gt 0 ]; do
		case $1 in
		--name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
		--no-addr) ADDR_MODE=none; shift ;;
		--image) IMAGE_MODE=1; shift ;;
		*) usage ;;
		esac
	done
	need_root
	PYTHON=$(find_python)
	for d in ip ss openssl ssh-keygen setsid dnsmasq tinyproxy chronyd sshd; do
		find_prog "$d" >/dev/null
	done
	[ -f "$LAB_SRC/labhttpd.py" ] || die "missing $LAB_SRC/labhttpd.py"
	[ -z "$IMAGE_MODE" ] || make_image
	if [ -n "$name" ]; then
		[[ $name =~ $NAME_RE ]] || die "bad lab name '$name' (1-8 of a-z0-9)"
		for d in $(dirs_of "$name"); do
			# Only a lab of the same kind (image or not) is reused.
			kind=$(env_get "$d/lab.env" LAB_APP_PID)
			if healthy "$d" && [ "${kind:+1}" = "$IMAGE_MODE" ]; then
				echo "$d/lab.env"
				return 0
			fi
		done
		# A broken or half-made lab of that name: start afresh.
		down_name "$name"
	else
		for _ in 1 2 3 4 5 6 7 8; do
			name=$(random_name)
			! ns_exists "ac-app-$name" && ! ns_exists "ac-up-$name" &&
			    [ -z "$(dirs_of "$name")" ] && break
		done
	fi
	LAB_NAME=$name
	LAB_NS_APP=ac-app-$name
	LAB_NS_UP=ac-up-$name
	LAB_IF_UP=ac-up-$name
	trap up_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	LAB_DIR=$(mktemp -d "${DIR_PREFIX}XXXXXX") || die "mktemp failed"
	# 0711: tinyproxy, as nobody, must reach its own directory inside.
	chmod 0711 "$LAB_DIR"
	echo "$name" >"$LAB_DIR/name"
	LAB_ROOT=$LAB_DIR/root
	mkdir "$LAB_DIR/log" "$LAB_DIR/pid" "$LAB_DIR/run" "$LAB_DIR/conf" \
	    "$LAB_DIR/tls"
	make_network
	make_uts
	make_root
	make_tls
	start_dnsmasq
	start_https
	start_tinyproxy
	start_chronyd
	start_sshd
	wait_ready
	[ -z "$IMAGE_MODE" ] || start_appliance
	write_env
	trap - EXIT INT TERM HUP
	echo "$LAB_DIR/lab.env"
}

# --- the other commands ------------------------------------------------

# name_of NAME|ENVFILE
name_of()
{
	case $1 in
	*/*|*.env)
		[ -f "$1" ] || return 0
		env_get "$1" LAB_NAME
		;;
	*)	echo "$1" ;;
	esac
}

cmd_down()
{
	local name

	[ $# -eq 1 ] || usage
	need_root
	name=$(name_of "$1")
	[ -n "$name" ] || return 0
	[[ $name =~ $NAME_RE ]] || die "bad lab name '$name'"
	down_name "$name"
}

# all_names: every lab name on this machine, from directories, namespaces
# and /etc/netns entries.
all_names()
{
	local d

	{
		for d in $(lab_dirs); do
			cat "$d/name"
		done
		ip netns list 2>/dev/null | awk '{ print $1 }'
		ls /etc/netns 2>/dev/null
	} | sed -nE 's/^ac-(app|up)-//; /^[a-z0-9]{1,8}$/p' | sort -u
}

cmd_down_all()
{
	local name

	need_root
	for name in $(all_names); do
		echo "lab: removing $name" >&2
		down_name "$name"
	done
}

cmd_list()
{
	local name d state

	need_root
	for name in $(all_names); do
		d=$(dirs_of "$name" | head -n 1)
		if [ -z "$d" ]; then
			state="leftover (lab.sh down $name)"
		elif healthy "$d"; then
			state=up
		elif [ -f "$d/lab.env" ]; then
			state="degraded (a server died)"
		else
			state="incomplete"
		fi
		printf '%-8s  %-22s  %s\n' "$name" "${d:--}" "$state"
	done
}

cmd_run()
{
	local env

	[ $# -ge 3 ] && [ "$2" = -- ] || usage
	env=$1
	shift 2
	need_root
	load_env "$env"
	ns_exists "$LAB_NS_APP" || die "lab $LAB_NAME is not up"
	if [ -n "${LAB_APP_PID:-}" ]; then
		# The image: its namespaces and root, its own programs.
		exec nsenter -t "$LAB_APP_PID" -m -u -n -p -i -r -w -- \
		    /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		    TERM="${TERM:-vt100}" LC_ALL=C "$@"
	fi
	CONSOLE_ROOT=$LAB_ROOT exec ip netns exec "$LAB_NS_APP" \
	    nsenter --uts="$LAB_UTS" -- "$@"
}

# cmd_ssh ENVFILE SSH-ARGS...: ssh from the upstream namespace with the
# lab's admin key to the image's sshd (lab.sh ssh).
cmd_ssh()
{
	[ $# -ge 1 ] || usage
	need_root
	load_env "$1"
	shift
	[ -n "${LAB_APP_PID:-}" ] || die "lab $LAB_NAME has no image (up --image)"
	exec ip netns exec "$LAB_NS_UP" ssh -F none -i "$LAB_ADMIN_KEY" \
	    -o UserKnownHostsFile="$LAB_APP_KNOWN_HOSTS" \
	    -o StrictHostKeyChecking=yes -o BatchMode=yes \
	    -o ConnectTimeout=5 "$@"
}

# cmd_demo: the console on the image after a real login: ssh as admin with
# the lab's key, from the upstream, to the image's sshd.
cmd_demo()
{
	local name env rc

	[ "$(id -u)" = 0 ] ||
	    die "the demo needs root (it creates namespaces): sudo make demo"
	name=$(random_name)
	# A hang-up (the terminal closed) must not stop the tear-down.
	trap 'trap "" HUP; "$LAB_SH" down "$name"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	echo "lab: the Debian image with the package installed, booted in namespaces (eth0 $APP_ADDR), behind an upstream at $UP_ADDR with DHCP/DNS, HTTPS, a proxy, NTP and SSH; logging in as admin over SSH; leaving the console (item 0) tears the lab down."
	env=$("$LAB_SH" up --image --name "$name") || exit 1
	trap ':' INT QUIT
	"$LAB_SH" ssh "$env" -t "admin@$APP_ADDR"
	rc=$?
	trap 'exit 130' INT
	exit "$rc"
}

cmd_demo_seam()
{
	local console=$BUILD/appliance-console name env rc

	[ "$(id -u)" = 0 ] ||
	    die "the demo needs root (it creates network namespaces): sudo make demo"
	[ -x "$console" ] || die "$console is missing: run make first"
	name=$(random_name)
	# Set before the lab exists: down works on any half-made lab.
	# A hang-up (the terminal closed) must not stop the tear-down.
	trap 'trap "" HUP; "$LAB_SH" down "$name"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	echo "lab: the console in namespace ac-app-$name (eth0 $APP_ADDR), behind an upstream at $UP_ADDR with DHCP/DNS, HTTPS, a proxy, NTP and SSH; leaving the console (item 0) tears the lab down."
	env=$("$LAB_SH" up --name "$name") || exit 1
	# While the console runs, Ctrl-C and Ctrl-\ are its keys, not ours:
	# a trap (not an ignore) so that the console gets them by default.
	trap ':' INT QUIT
	"$LAB_SH" run "$env" -- "$console"
	rc=$?
	trap 'exit 130' INT
	exit "$rc"
}

case ${1:-} in
up)		shift; cmd_up "$@" ;;
down)		shift; cmd_down "$@" ;;
down-all)	shift; cmd_down_all ;;
run)		shift; cmd_run "$@" ;;
demo)		shift; cmd_demo ;;
demo-seam)	shift; cmd_demo_seam ;;
ssh)		shift; cmd_ssh "$@" ;;
list)		shift; cmd_list ;;
*)		usage ;;
esac
