#!/usr/bin/python3 -I
# SPDX-License-Identifier: ISC
"""The escape suite's runner (tests/security/run.sh starts it, as root, in
the lab's appliance namespace and a private mount namespace where the user
"admin" exists).

Each line of attacks.txt is sent to the built console as the unprivileged
admin, by every method its first field names:
  c  appliance-console -c LINE, run directly as admin with a hostile
     environment (PATH to programs that fire the canary, BASH_ENV, ENV,
     PAGER, MANPAGER, LESSOPEN, EDITOR, TERMINFO, GCONV_PATH ...)
  v  the console with an argv of our own: LINE split on "@,@", the first
     element being argv[0]
  s  ssh admin@lab LINE (sshd runs "appliance-console -c LINE")
  e  ssh -o SetEnv=VAR=VALUE admin@lab COMMAND (LINE is "VAR=VALUE COMMAND")
  E  the same with SendEnv (VAR set in the ssh client's environment)
  p  typed at the prompt (menu item 500) on a real pseudo-terminal; all p
     lines share one login, which is started again when a line ends it.
     In p lines, @SLEEP@ waits a second, @SIG:NAME@ sends SIGNAME to the
     terminal's foreground process group, @HUP@ hangs the terminal up.
After each, the verdict: no canary file (an escape's "touch", the evil
program or the evil shared object), no "uid=N(" (id's output) and no
root-only secret in what the admin saw, no shell and no other stray
process of admin's left, the audit log grew by a record holding the line's
marker, and the expected refusal (second field) was given.

Target: by default the built console in the lab's namespaces (the paths
are the host's). With enter=PID (tests/image/test_escape.sh) the console
is the one installed in the image lab's appliance: the c runs and the
self-checks enter that appliance's namespaces and root (nsenter) and
become admin there with admin's own groups (setpriv --init-groups), ssh
goes to the image's sshd, every path given is the appliance's own and the
files are read through outer=/proc/PID/root; methods=LETTERS keeps only
those methods (the image runs c, s, e and E).
"""
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import fcntl
import time

CFG = dict(a.split("=", 1) for a in sys.argv[1:])
OUTER = CFG.get("outer", "")
ENTER = CFG.get("enter")
METHODS = CFG.get("methods", "cvseEp")
CAN = CFG["can"]
SECRET = open(OUTER + CFG["secret"], "rb").read().strip()
UID = int(CFG["uid"])
CONSOLE = CFG["console"]
AUDIT = OUTER + CFG["audit"]
HOME = CFG["home"]
SUBST = {
    "@CAN@": CAN + "/pwned",
    "@EVIL@": CFG["evil"],
    "@EVILSO@": CFG["evilso"],
    "@SECRET@": CFG["secret"],
    "@ADDR@": CFG["addr"],
}
SSH = ["ssh", "-F", "none", "-i", CFG["key"],
       "-o", "UserKnownHostsFile=" + CFG["known_hosts"],
       "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
       "-o", "ConnectTimeout=5", "-p", CFG["port"]]
MUX = ["-o", "ControlMaster=auto", "-o", "ControlPath=" + OUTER + CFG["w"] + "/mux",
       "-o", "ControlPersist=60"]
TARGET = "admin@" + CFG["addr"]
UIDRE = re.compile(rb"uid=[0-9]+\(")
ESCRE = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78]|\][^\x07]*\x07)")
PROMPTRE = re.compile(rb"admin@[A-Za-z0-9.-]+> ")
SHELLS = {"sh", "dash", "bash", "rbash", "ash", "zsh", "ksh", "csh", "tcsh",
          "busybox", "python3", "perl"}
# What admin may have running between two lines: the console, and sshd's
# session processes while an ssh login ends.
ALLOWED = {"appliance-conso", "sshd"}

# A hostile environment for the direct runs: every variable here would fire
# a canary if the console or one of its children honoured it.
HOSTILE = {
    "TERM": "vt100", "HOME": HOME, "USER": "admin", "LOGNAME": "admin",
    "SHELL": CFG["evil"], "PATH": CFG["evilbin"] + ":/usr/bin:/bin",
    "BASH_ENV": CFG["evilrc"], "ENV": CFG["evilrc"], "PAGER": CFG["evil"],
    "MANPAGER": CFG["evil"], "MANOPT": "-P" + CFG["evil"],
    "LESSOPEN": "|" + CFG["evil"] + " %s", "EDITOR": CFG["evil"],
    "VISUAL": CFG["evil"], "BROWSER": CFG["evil"], "TERMINFO": CFG["w"],
    "TERMINFO_DIRS": CFG["w"], "GCONV_PATH": CFG["w"], "IFS": "/",
    "GROFF_COMMAND_PREFIX": CFG["evil"], "CDPATH": CFG["w"],
    "PROMPT_COMMAND": CFG["evil"], "PS4": "$(" + CFG["evil"] + ")",
    "SSH_CONNECTION": "192.0.2.1 40000 192.0.2.10 22",
}

results = {"ok": 0, "fail": 0}
counts = {}


def tap(good, what, why=()):
    if good:
        results["ok"] += 1
        print("ok - " + what, flush=True)
    else:
        results["fail"] += 1
        for w in why:
            print("# " + w)
        print("not ok - " + what, flush=True)


def decode(text):
    """The file's text with \\xNN as that byte."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogateescape")
    while i < len(raw):
        m = re.match(rb"\\x([0-9a-fA-F]{2})", raw[i:])
        if m:
            out.append(int(m.group(1), 16))
            i += 4
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def expand(text, marker):
    text = re.sub(r"@AUDIT:[^@]*@|@NOAUDIT@", "", text)
    text = text.replace("@M@", marker)
    for k, v in SUBST.items():
        text = text.replace(k, v)
    text = re.sub(r"@LONG:([0-9]+)@", lambda m: "A" * int(m.group(1)), text)
    return decode(text)


def demote():
    os.setgroups([])
    os.setgid(UID)
    os.setuid(UID)


def inside(argv, as_admin=True, cwd=None):
    """(argv, preexec) that run argv as admin (or root) on the target: here
    with demote(), or in the image's appliance through nsenter and setpriv
    (admin's groups too: the audit log's group is one of them)."""
    if ENTER is None:
        return argv, demote if as_admin else None
    pre = ["/usr/bin/nsenter", "-t", ENTER, "-m", "-u", "-n", "-p", "-i",
           "-r", "--wd=" + OUTER + (cwd or "/"), "--"]
    if as_admin:
        pre += ["/usr/bin/setpriv", "--reuid=%d" % UID, "--regid=%d" % UID,
                "--init-groups", "--"]
    return pre + argv, None


def audit_size():
    try:
        return os.path.getsize(AUDIT)
    except OSError:
        return 0


def audit_since(off):
    try:
        with open(AUDIT, "rb") as f:
            f.seek(off)
            return f.read()
    except OSError:
        return b""


# The mount namespace admin's processes live in: this one, or the image
# appliance's (enter=PID).
MNTNS = os.readlink("/proc/%s/ns/mnt" % (ENTER or "self"))


def admin_procs():
    """(pid, comm) of every process of admin's in the target's mount
    namespace (MNTNS). Only that one: another run of the suite on the same machine has an
    admin of the same uid in a namespace of its own, whose processes are
    neither our strays nor ours to kill."""
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            st = os.stat("/proc/" + p)
            if os.readlink("/proc/%s/ns/mnt" % p) != MNTNS:
                continue
            with open("/proc/%s/comm" % p) as f:
                comm = f.read().strip()
        except OSError:
            continue
        if st.st_uid == UID:
            found.append((int(p), comm))
    return found


def strays(keep=()):
    """Shells and other leftovers of admin's, after a short grace."""
    bad = []
    for _ in range(20):
        bad = [(p, c) for p, c in admin_procs()
               if p not in keep and c not in ALLOWED]
        if not bad:
            return []
        time.sleep(0.05)
    return bad


def canaries():
    """Canary files (removed once seen, so the next line starts clean)."""
    seen = []
    for f in sorted(os.listdir(OUTER + CAN)):
        seen.append(f)
        try:
            os.unlink(os.path.join(OUTER + CAN, f))
        except OSError:
            pass
    return seen


def verdict(out, marker, audit, keep=()):
    """What went wrong: the canaries, then the audit record."""
    why = []
    if UIDRE.search(out):
        why.append("id's output (uid=) reached the admin")
    if SECRET in out:
        why.append("the root-only secret reached the admin")
    c = canaries()
    if c:
        why.append("canary files appeared: " + " ".join(c))
    s = strays(keep)
    if s:
        why.append("admin processes left: " +
                   " ".join("%s[%d]" % (c, p) for p, c in s))
        for p, c in s:
            if c in SHELLS:
                why.append("A SHELL RUNS AS ADMIN: %s[%d]" % (c, p))
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
    if marker and marker.encode() not in audit:
        why.append("no audit record holding '%s'" % marker)
    return why


TIMEDOUT = b"\n(timed out)"
UNKNOWN = b"unknown command '"


def expect_why(expect, out, rc):
    """The expected refusal (or success) of the second field. A line cut
    short by the runner's timeout never passes, whatever it expected (the
    console hung, or the line never ran); a refusal is never satisfied by
    "unknown command" unless that is the sentence expected, since the name
    of a missing command is in that sentence too."""
    text = ESCRE.sub(b"", out)
    if out.endswith(TIMEDOUT):
        return ["timed out: no answer within the runner's timeout"]
    if expect == "-":
        return []
    if expect.startswith("!"):
        if expect[1:].encode() in text:
            return ["'%s' must not be in the output" % expect[1:]]
        return []
    if expect == "ok" or expect.startswith("ok:"):
        want = expect[3:].encode()
        why = []
        if rc is not None and rc != 0:
            why.append("expected exit 0, got %s" % rc)
        if want and want not in text:
            why.append("expected '%s' in the output" % expect[3:])
        return why
    why = []
    if rc is not None and rc != 1:
        why.append("expected a refusal (exit 1), got %s" % rc)
    if expect.encode() not in text:
        why.append("expected '%s' in the output" % expect)
    if UNKNOWN in text and b"unknown command" not in expect.encode():
        why.append("refused as an unknown command, not with the sentence "
                   "expected")
    return why


def show(out):
    text = ESCRE.sub(b"", out).decode("ascii", "backslashreplace")
    return ["| " + l for l in text.splitlines()[-8:]]


def run_argv(argv0, args, env, marker, timeout=30):
    off = audit_size()
    # In the image, argv[0] is the path setpriv was given.
    argv, pre = inside([CONSOLE] + args, cwd=HOME)
    try:
        p = subprocess.run([argv0] + args if ENTER is None else argv,
                           executable=CONSOLE if ENTER is None else None,
                           env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, preexec_fn=pre,
                           cwd=HOME if ENTER is None else None)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"") + TIMEDOUT, -1
    return out, rc, audit_since(off)


def run_ssh(opts, command, marker, env=None, timeout=30):
    off = audit_size()
    try:
        p = subprocess.run(SSH + opts + [TARGET, command], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"") + TIMEDOUT, -1
    return out, rc, audit_since(off)


class Prompt:
    """One login on a pseudo-terminal, at the prompt of menu item 500."""

    def __init__(self):
        self.pid = None
        self.fd = None

    def start(self):
        pid, fd = pty.fork()
        if pid == 0:
            try:
                demote()
                os.chdir(HOME)
                os.execve(CONSOLE, ["-appliance-console"],
                          {"TERM": "vt100", "HOME": HOME, "USER": "admin",
                           "LOGNAME": "admin", "PATH": HOSTILE["PATH"],
                           "BASH_ENV": CFG["evilrc"], "ENV": CFG["evilrc"],
                           "PAGER": CFG["evil"]})
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        got = self.read_until(re.compile(rb"([0-9])[^0-9\r\n]{0,12}Command prompt"), 10)
        m = re.search(rb"([0-9])[^0-9\r\n]{0,12}Command prompt", ESCRE.sub(b"", got))
        if m is None:
            raise RuntimeError("no Command prompt item in the menu")
        self.key = m.group(1)
        return self.enter()

    def enter(self):
        os.write(self.fd, self.key)
        return PROMPTRE.search(self.read_until(PROMPTRE, 10)) is not None

    def read_until(self, pattern, timeout):
        buf = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if pattern is not None and pattern.search(ESCRE.sub(b"", buf)):
                break
        return buf

    def alive(self):
        if self.pid is None:
            return False
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return pid == 0

    def stop(self):
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
        if self.pid is not None:
            end = time.monotonic() + 3
            while self.alive() and time.monotonic() < end:
                time.sleep(0.05)
            if self.alive():
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        self.pid = self.fd = None

    def type(self, data, timeout):
        """Send one line's bytes (with its actions); return the output."""
        out = b""
        hung = False
        for part in re.split(rb"(@SLEEP@|@HUP@|@SIG:[A-Z]+@)", data):
            if part == b"@SLEEP@":
                out += self.read_until(None, 1.0)
            elif part == b"@HUP@":
                out += self.read_until(None, 0.2)
                hung = True
                pid = self.pid
                os.close(self.fd)
                self.fd = None
                end = time.monotonic() + 5
                while self.alive() and time.monotonic() < end:
                    time.sleep(0.05)
                if self.alive():
                    out += b"\n(the console did not exit on a hang-up)"
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                self.pid = None
                return out, "hangup"
            elif part.startswith(b"@SIG:"):
                name = "SIG" + part[5:-1].decode()
                try:
                    os.killpg(os.tcgetpgrp(self.fd), getattr(signal, name))
                except OSError as e:
                    out += b"\n(cannot signal: %s)" % str(e).encode()
            elif part:
                os.write(self.fd, part)
        if not hung:
            os.write(self.fd, b"\r")
        buf = self.read_until(PROMPTRE, timeout)
        out += buf
        if PROMPTRE.search(ESCRE.sub(b"", buf)):
            # Whatever a second line (after a typed newline) prints.
            while True:
                more = self.read_until(None, 0.15)
                if not more:
                    break
                out += more
            return out, "prompt"
        if not self.alive():
            self.pid = None
            return out, "ended"
        if b"Command prompt" in ESCRE.sub(b"", buf) and self.enter():
            return out, "menu"
        # Ctrl-U and Ctrl-C: a half line or a running command goes.
        os.write(self.fd, b"\x15\x03")
        buf = self.read_until(PROMPTRE, 5)
        out += buf
        if PROMPTRE.search(ESCRE.sub(b"", buf)):
            return out, "prompt after Ctrl-C"
        return out, "stuck"


def parse(path):
    lines = []
    cat = "?"
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        raw = raw.rstrip("\n")
        if raw.startswith("## "):
            cat = raw[3:].strip()
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        f = re.split(r"\t+", raw, maxsplit=2)
        if len(f) != 3:
            print("not ok - %s:%d: three tab-separated fields" % (path, n))
            results["fail"] += 1
            continue
        lines.append((n, cat, f[0], f[1], f[2]))
        counts[cat] = counts.get(cat, 0) + 1
    return lines


def label(n, method, raw):
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    return "%d %s: %s" % (n, method, shown)


def marker_of(n, raw, line):
    """The text the audit record must hold; "" when none is expected (a
    line the user cancelled: then its text must not be there)."""
    m = re.search(r"@AUDIT:([^@]*)@", raw)
    if m:
        return m.group(1)
    if "@NOAUDIT@" in raw:
        return ""
    if "@M@" in raw:
        return "zq%04dq" % n
    m = re.match(rb"[ -?A-~]{1,40}", line)
    return m.group(0).decode().strip() if m else None


def one(n, method, expect, raw):
    mk = "zq%04dq" % n
    line = expand(raw, mk)
    if method == "c":
        out, rc, aud = run_argv("appliance-console", ["-c", line], HOSTILE, mk)
        mk = marker_of(n, raw, line)
    elif method == "v":
        argv = line.split(b"@,@")
        out, rc, aud = run_argv(argv[0], argv[1:], HOSTILE, mk)
        mk = marker_of(n, raw, b" ".join(argv[1:]))
    elif method == "s":
        out, rc, aud = run_ssh(MUX, line, mk)
        mk = marker_of(n, raw, line)
    elif method in "eE":
        var, command = line.split(b" ", 1)
        name, value = var.split(b"=", 1)
        if method == "e":
            out, rc, aud = run_ssh(["-o", "SetEnv=" + var.decode()],
                                   command, mk)
        else:
            env = dict(os.environ)
            env[name.decode()] = value.decode()
            out, rc, aud = run_ssh(["-o", "SendEnv=" + name.decode()],
                                   command, mk, env=env)
        mk = marker_of(n, raw, command)
    else:
        tap(False, label(n, method, raw), ["unknown method '%s'" % method])
        return
    why = verdict(out, mk, aud) + expect_why(expect, out, rc)
    if why:
        why += show(out)
    tap(not why, label(n, method, raw), why)


def prompt_lines(plines):
    """Every p line at one prompt, logging in again when a line ends it."""
    pr = Prompt()
    for n, expect, raw in plines:
        mk = "zq%04dq" % n
        line = expand(raw, mk)
        why = []
        if pr.pid is None:
            try:
                if not pr.start():
                    why.append("cannot reach the prompt")
            except (RuntimeError, OSError) as e:
                why.append("cannot reach the prompt: %s" % e)
        if why:
            tap(False, label(n, "p", raw), why)
            pr.stop()
            continue
        off = audit_size()
        timeout = 15 if b"@SLEEP@" in line or b"@SIG" in line else 5
        out, how = pr.type(line, timeout)
        aud = audit_since(off)
        keep = (pr.pid,) if pr.pid else ()
        mk = marker_of(n, raw, line.split(b"\r")[0])
        why = verdict(out, mk, aud, keep)
        if mk == "":
            typed = re.match(rb"[ -?A-~]{1,40}", line)
            if typed and typed.group(0).strip() in aud:
                why.append("the cancelled line was run: '%s' is in the "
                           "audit log" % typed.group(0).decode())
        if how == "stuck":
            why.append("no prompt again after the line (nor after Ctrl-C)")
        elif how == "hangup":
            if b"did not exit" in out:
                why.append("the console did not exit on a hang-up")
        why += expect_why(expect, out, None) if how != "hangup" else []
        if why:
            why += ["(%s)" % how] + show(out)
        tap(not why, label(n, "p", raw), why)
    pr.stop()


def selfcheck():
    """Each canary, fired on purpose through a real shell as admin, must be
    seen by the same verdict the attacks get; else the suite proves
    nothing."""
    def shell(cmd, env=None, as_admin=True, sh="/bin/sh"):
        argv, pre = inside([sh, "-c", cmd], as_admin, HOME)
        p = subprocess.run(argv, env=env or {"PATH": "/usr/bin:/bin"},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           preexec_fn=pre, cwd=None if ENTER else HOME)
        return p.stdout

    out = shell("id")
    tap(any("uid=" in w for w in verdict(out, None, b"")),
        "self-check: id's output through /bin/sh as admin is noticed")
    out = shell("touch " + SUBST["@CAN@"])
    tap(any("canary" in w for w in verdict(out, None, b"")),
        "self-check: a canary file made through /bin/sh as admin is noticed")
    out = shell(CFG["evil"])
    tap(any("canary" in w for w in verdict(out, None, b"")),
        "self-check: the evil program run as admin fires its canary")
    out = shell("/bin/true", env={"LD_PRELOAD": CFG["evilso"]})
    tap(any("canary" in w for w in verdict(out, None, b"")),
        "self-check: the evil shared object preloaded as admin fires its canary")
    out = shell("id", env={"PATH": CFG["evilbin"] + ":/usr/bin:/bin"})
    tap(any("canary" in w for w in verdict(out, None, b"")),
        "self-check: a program found on the hostile PATH fires its canary")
    out = shell("true", env={"PATH": "/usr/bin:/bin", "BASH_ENV": CFG["evilrc"]})
    shell("true", env={"BASH_ENV": CFG["evilrc"]}, sh="/bin/bash")
    tap(any("canary" in w for w in verdict(b"", None, b"")),
        "self-check: a bash run with the hostile BASH_ENV fires its canary")
    out = shell("cat " + CFG["secret"])
    tap(not any("secret" in w for w in verdict(out, None, b"")),
        "self-check: the secret file is root-only (admin cannot read it)")
    out = shell("cat " + CFG["secret"], as_admin=False)
    tap(any("secret" in w for w in verdict(out, None, b"")),
        "self-check: the secret read as root is noticed")
    # A shell with no child, waiting for input that never comes.
    argv, pre = inside(["/bin/sh", "-c", "read x"], cwd=HOME)
    sh = subprocess.Popen(argv, preexec_fn=pre, cwd=None if ENTER else HOME,
                          stdin=subprocess.PIPE)
    time.sleep(0.2)
    tap(any("SHELL" in w for w in verdict(b"", None, b"")),
        "self-check: a shell left running as admin is noticed")
    sh.stdin.close()
    sh.wait()
    out, rc, aud = run_argv("appliance-console", ["-c", "h zqselfq"],
                            HOSTILE, None)
    found = verdict(out, "zqselfq", aud)
    tap(not found and verdict(out, "zqnevermadeq", aud),
        "self-check: the audit record of a line is found by its marker, "
        "and a marker never sent is not", found + show(out))


def main():
    lines = parse(CFG["attacks"])
    selfcheck()
    canaries()
    subprocess.run(SSH + MUX + ["-O", "check", TARGET],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    plines = []
    for n, cat, methods, expect, raw in lines:
        for m in methods:
            if m not in METHODS:
                continue
            if m == "p":
                plines.append((n, expect, raw))
            else:
                one(n, m, expect, raw)
    prompt_lines(plines)
    subprocess.run(SSH + MUX + ["-O", "exit", TARGET],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("# attack lines per category:")
    for cat, k in counts.items():
        print("#   %-40s %d" % (cat, k))
    print("# %d attack lines; %d checks passed, %d failed" %
          (sum(counts.values()), results["ok"], results["fail"]))
    return 1 if results["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
