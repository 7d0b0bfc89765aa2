# SPDX-License-Identifier: ISC
"""One hang-up, for tests/security/test_hangup_priv.sh: a login on a real
pseudo-terminal (the console itself as admin, or an ssh client), at the
prompt of menu item 500, one line typed, then a hang-up at a chosen moment.

  hangup.py uid=N home=DIR line=LINE when=WHEN [how=close|kill] -- ARGV...

uid=N       run ARGV as that user (0: as it is, e.g. an ssh client)
WHEN        delay:SECONDS    that long after Enter
            text:REGEX       once the output (escapes removed) matches
            freeze:PATH      once PATH exists, stop every console-helper of
                             this mount namespace (SIGSTOP), hang up, let
                             the console go, then continue them (SIGCONT):
                             the hang-up lands while the helper works
how         close: close the master side (a modem hang-up; the default)
            kill:  SIGKILL the program on the pty (an ssh client killed)
            and watch=UID, whose console the verdict is about

Prints "# ..." lines on what happened and one line "result: R" where R is
"exited" (gone within 5 s of the hang-up), "alive" or "error: ...". What
must be gone is the console: the program on the pty with how=close; with
how=kill, that program is the one this script killed, so the verdict is
on the consoles of UID (watch=) in this mount namespace instead, which a
hang-up must end.
"""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ESCRE = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78]|\][^\x07]*\x07)")
PROMPTRE = re.compile(rb"admin@[A-Za-z0-9.-]+> ")
MENURE = re.compile(rb"([0-9])[^0-9\r\n]{0,12}Command prompt")


def main():
    cfg = {}
    args = sys.argv[1:]
    while args and args[0] != "--":
        k, _, v = args.pop(0).partition("=")
        cfg[k] = v
    argv = args[1:]
    uid = int(cfg.get("uid", "0"))
    how = cfg.get("how", "close")
    when = cfg["when"]
    if how == "kill" and "watch" not in cfg:
        print("result: error: how=kill needs watch=UID (the console's user)")
        sys.exit(0)
    watch = int(cfg.get("watch", "-1"))

    pid, fd = pty.fork()
    if pid == 0:
        try:
            if uid:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(cfg.get("home", "/"))
            env = {"TERM": "vt100", "PATH": "/usr/bin:/bin",
                   "HOME": cfg.get("home", "/"), "LANG": "C"}
            if uid:
                env.update({"USER": "admin", "LOGNAME": "admin",
                            "SHELL": argv[0]})
            os.execve(argv[0], ["-" + os.path.basename(argv[0])]
                      if uid else argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    buf = [b""]

    def read_until(pattern, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], 0.02)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            buf[0] += chunk
            if pattern is not None and pattern.search(ESCRE.sub(b"", buf[0])):
                return True
        return pattern is None

    def alive():
        try:
            p, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return p == 0

    def consoles():
        """The consoles of user watch in this mount namespace."""
        me = os.readlink("/proc/self/ns/mnt")
        found = []
        for p in os.listdir("/proc"):
            try:
                if not p.isdigit() or os.readlink(
                        "/proc/%s/ns/mnt" % p) != me:
                    continue
                st = open("/proc/%s/status" % p).read()
                uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)", st, re.M)
                if (open("/proc/%s/comm" % p).read().startswith(
                        "appliance-cons") and uids and
                        watch in (int(uids.group(1)), int(uids.group(2)))):
                    found.append(int(p))
            except OSError:
                pass
        return found

    def gone_now():
        return not consoles() if how == "kill" else not alive()

    def finish(result):
        if alive():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        print("result: " + result)
        sys.exit(0)

    if not read_until(MENURE, 15):
        print("# no menu: %r" % ESCRE.sub(b"", buf[0])[-300:])
        finish("error: no menu")
    key = MENURE.search(ESCRE.sub(b"", buf[0])).group(1)
    buf[0] = b""
    os.write(fd, key)
    if not read_until(PROMPTRE, 10):
        finish("error: no prompt")
    buf[0] = b""
    os.write(fd, cfg["line"].encode() + b"\r")

    helpers = []
    if when.startswith("delay:"):
        read_until(None, float(when[6:]))
    elif when.startswith("text:"):
        if not read_until(re.compile(when[5:].encode()), 15):
            print("# output: %r" % ESCRE.sub(b"", buf[0])[-300:])
            finish("error: no '%s' before the hang-up" % when[5:])
    elif when.startswith("freeze:"):
        path = when[7:]
        me = os.readlink("/proc/self/ns/mnt")
        end = time.monotonic() + 15
        while not os.path.exists(path) and time.monotonic() < end:
            pass
        for p in os.listdir("/proc"):
            try:
                if (p.isdigit() and os.readlink("/proc/%s/ns/mnt" % p) == me
                        and open("/proc/%s/comm" % p).read().startswith(
                            "console-helper")):
                    os.kill(int(p), signal.SIGSTOP)
                    helpers.append(int(p))
            except OSError:
                pass
        if not os.path.exists(path):
            finish("error: %s never appeared" % path)
        print("# stopped helper(s) %s; timer.pid %s" % (helpers,
              "present" if os.path.exists(os.path.join(
                  os.path.dirname(path), "timer.pid")) else "absent"))
    print("# before the hang-up: %r" % ESCRE.sub(b"", buf[0])[-200:])
    if how == "kill":
        if not consoles():
            finish("error: no console of uid %d before the hang-up" % watch)
        print("# consoles of uid %d before the kill: %s" % (watch, consoles()))

    if how == "kill":
        os.kill(pid, signal.SIGKILL)
    else:
        os.close(fd)
    end = time.monotonic() + 5
    while not gone_now() and time.monotonic() < end:
        time.sleep(0.05)
    gone = gone_now()
    if helpers:
        # The console had the grace of a hang-up: now the helper goes on
        # with whatever it was sent meanwhile.
        time.sleep(3)
        for p in helpers:
            try:
                os.kill(p, signal.SIGCONT)
            except OSError:
                pass
    if how == "kill":
        try:
            os.close(fd)
        except OSError:
            pass
    finish("exited" if gone else "alive")


main()
