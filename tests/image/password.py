#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The image tier's password scenarios (tests/image/test_password.sh):
logins as a user makes them, each on its own pseudo-terminal (ssh from
the lab's upstream, login(1) inside the appliance), driven by what they
print; "ok - " / "not ok - " lines. Arguments come in the environment
the shell test sets (the lab's variables, the passwords)."""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

E = os.environ
LAB = E["LAB"]
ENV = E["LAB_ENV"]
NS = E["LAB_NS_UP"]
ADDR = E["LAB_APP_ADDR"]
ROOT = E["LAB_APP_ROOT"]
INITIAL = E["PW_INITIAL"]
FAILS = 0
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")


def ok(cond, what):
    global FAILS
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        FAILS += 1
    return cond


class Term:
    """A program on a pty: send keys, wait for text, hang up."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "vt100"
            os.execvp(argv[0], argv)
        self.buf = b""
        self.mark = 0

    def read(self, secs):
        end = time.time() + secs
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            self.buf += data
        return True

    def text(self):
        """What it printed after the mark, without escape sequences."""
        return ANSI.sub(b"", self.buf).decode("ascii", "replace")[self.mark:]

    def expect(self, pattern, secs=15):
        """The first match of pattern after the mark, or None."""
        end = time.time() + secs
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.text())
            if m:
                self.mark += m.end()
                return m
            if time.time() >= end:
                return None
            if not self.read(0.1):
                self.read(0.2)
                m = rx.search(self.text())
                if m:
                    self.mark += m.end()
                return m

    def saw(self, pattern):
        """Did it print pattern at any time in this session?"""
        return re.search(pattern, ANSI.sub(b"", self.buf).decode(
            "ascii", "replace")) is not None

    def send(self, s):
        os.write(self.fd, s.encode())

    def line(self, s):
        self.send(s + "\r")

    def ended(self, secs=10):
        """Has the program exited (the session is over)?"""
        end = time.time() + secs
        while time.time() < end:
            self.read(0.1)
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.pid = 0
                return True
        return False

    def hangup(self):
        os.close(self.fd)
        self.fd = -1
        if self.pid:
            for _ in range(50):
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self.pid = 0
                    return
                time.sleep(0.1)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0

    def close(self):
        if self.fd != -1:
            self.hangup()


def ssh(key=True, extra=()):
    argv = ["ip", "netns", "exec", NS, "ssh", "-F", "none", "-tt",
            "-o", "UserKnownHostsFile=" + E["LAB_APP_KNOWN_HOSTS"],
            "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5"]
    if key:
        argv += ["-i", E["LAB_ADMIN_KEY"], "-o", "BatchMode=yes"]
    else:
        argv += ["-o", "PubkeyAuthentication=no",
                 "-o", "PreferredAuthentications=password",
                 "-o", "NumberOfPasswordPrompts=1"]
    return Term(argv + list(extra) + ["admin@" + ADDR])


def local_login():
    """login(1) on a pty inside the appliance: a local console's path."""
    return Term(["bash", LAB, "run", ENV, "--", "/usr/bin/login", "admin"])


def shadow():
    with open(ROOT + "/etc/shadow") as f:
        for ln in f:
            if ln.startswith("admin:"):
                return ln.split(":")[1]
    return None


def expire(pw):
    """An initial password, expired, as the image builder sets one."""
    subprocess.run(["bash", E["BUILD"], "password", ROOT], check=True,
                   input=(pw + "\n").encode())


MENU = r"0 +Exit"


def first_login_key():
    """SSH with a key: sshd itself runs passwd in place of the shell for
    an expired password (OpenSSH's forced change), then ends the session."""
    expire(INITIAL)
    before = shadow()
    t = ssh()
    m = t.expect(r"Current password: ")
    ok(m is not None, "key login with an expired password: the change "
       "comes first")
    # passwd reads on through Ctrl-C (the line holds it); Enter ends it.
    t.send("\x03")
    if not t.ended(3):
        t.line("")
    ok(t.ended(), "Ctrl-C (and Enter) at sshd's forced change ends the "
       "session")
    ok(not t.saw(MENU), "and the menu was never shown")
    ok(shadow() == before, "and the password is unchanged")
    t.close()

    t = ssh()
    t.expect(r"Current password: ")
    t.line(INITIAL)
    t.expect(r"New password: ")
    t.send("Half-typed")
    t.hangup()
    time.sleep(1)
    ok(shadow() == before, "a hang-up while typing the new password leaves "
       "it unchanged")

    t = ssh()
    t.expect(r"Current password: ")
    t.line("Wrong-Old-Passw0rd!")
    m = t.expect(r"password unchanged|manipulation error", 15)
    ok(m is not None and t.ended(), "a wrong current password ends the "
       "session")
    ok(not t.saw(MENU) and shadow() == before,
       "with the menu unreached and the password unchanged")
    t.close()

    t = ssh()
    t.expect(r"Current password: ")
    t.line(INITIAL)
    t.expect(r"New password: ")
    t.line("Short-1!")
    m = t.expect(r"BAD PASSWORD: ([^\n]*)", 10)
    ok(m is not None, "sshd's forced change applies the same policy (%s)"
       % (m.group(1).strip() if m else "none"))
    t.expect(r"New password: ", 10)
    t.line(E["PW_GOOD2"])
    t.expect(r"Retype new password: ", 10)
    t.line(E["PW_GOOD2"])
    ok(t.expect(r"updated successfully", 15) is not None and t.ended(),
       "a good one is taken and the session ends (log in again)")
    ok(not t.saw(MENU), "without the menu")
    t.close()
    ok(shadow() != before, "the password changed")
    t = ssh()
    ok(t.expect(MENU, 15) is not None, "the next key login: the menu")
    t.line("0")
    t.ended()
    t.close()


def console_login():
    """The console started for admin without a PAM login (runuser, as an
    autologin wrapper would): it finds the expired password itself
    through console-helper-account and changes it before the menu."""
    return Term(["bash", LAB, "run", ENV, "--", "/usr/sbin/runuser", "-u",
                 "admin", "--", "/usr/bin/appliance-console"])


def first_login_console():
    expire(INITIAL)
    before = shadow()
    t = console_login()
    m = t.expect(r"has expired: change it now", 15)
    ok(m is not None, "the console itself finds the expired password and "
       "asks for the change first")
    t.expect(r"Current password: ", 5)
    t.send("\x03")
    ok(t.ended(), "Ctrl-C there ends the session")
    ok(not t.saw(MENU) and shadow() == before,
       "with the menu unreached and the password unchanged")
    t.close()

    t = console_login()
    t.expect(r"Current password: ")
    t.line(INITIAL)
    t.expect(r"New password: ")
    t.hangup()
    time.sleep(1)
    ok(shadow() == before, "a hang-up at the new password leaves it "
       "unchanged")

    t = console_login()
    t.expect(r"Current password: ")
    t.line("Wrong-Old-Passw0rd!")
    t.expect(r"New password: ")
    t.line(E["PW_GOOD"])
    t.expect(r"Retype new password: ")
    t.line(E["PW_GOOD"])
    t.expect(r"\[y/N\] ")
    t.line("y")
    m = t.expect(r"Not changed: ([^\n]*)", 20)
    ok(m is not None and "current password" in m.group(1),
       "a wrong current password is named" +
       (" (%s)" % m.group(1).strip() if m else ""))
    ok(t.ended(), "and ends the session")
    ok(not t.saw(MENU) and shadow() == before,
       "with the menu unreached and the password unchanged")
    t.close()
    return before


REFUSED = [
    # (password, what pwquality must say, what the case is)
    ("Sh0rt!pw", r"shorter than 15", "short"),
    ("Nosymbolsinthis4Pass", r"less than 1 non-alphanumeric", "no symbol"),
    ("nouppercase-here-42", r"less than 1 uppercase", "no upper case"),
    ("NOLOWERCASE-HERE-42", r"less than 1 lowercase", "no lower case"),
    ("No-digits-in-this-one", r"less than 1 digit", "no digit"),
    ("Password123456789!", r"dictionary", "dictionary word"),
    ("My-admin-Pass-9876", r"user name", "user name inside"),
    ("Nimda-reversed-9876", r"user name|dictionary", "user name reversed"),
    ("@@@@@@@@@@@@@@@@Aa1", r"different characters|same character|"
     r"repeat|simplistic", "one character repeated"),
    ("Abcdefghijklmnop1!", r"monotonic|sequence|consecutive|simplistic",
     "a sequence"),
]


def refusals(t, old):
    """Each refused password with pwquality's reason, on one line."""
    cases = REFUSED + [
        (old[:-3] + "Zq", r"similar|too few|same as", "too similar to the "
         "old one"),
        (old.swapcase(), r"case changes", "the old one in other case"),
        (old[5:] + old[:5], r"rotated|similar", "the old one rotated")]
    n = 0
    for pw, why, what in cases:
        t.expect(r"New password: ", 10)
        t.line(pw)
        t.expect(r"Retype new password: ", 5)
        t.line(pw)
        t.expect(r"\[y/N\] ", 5)
        t.line("y")
        m = t.expect(r"Refused: ([^\n]*)\n", 20)
        reason = m.group(1).strip() if m else "(none)"
        if ok(m is not None and re.search(why, reason, re.I) is not None,
              "refused (%s): %s" % (what, reason)):
            n += 1
    # Our own refusals before passwd: entries that differ, non-ASCII.
    t.expect(r"New password: ", 10)
    t.line("Differs-One-9876!")
    t.expect(r"Retype new password: ", 5)
    t.line("Differs-Two-9876!")
    m = t.expect(r"Refused: ([^\n]*)\n", 5)
    ok(m is not None and "differ" in m.group(1),
       "two different entries are refused before passwd runs")
    return n


def first_login_change(before):
    t = console_login()
    t.expect(r"Current password: ")
    t.line(INITIAL)
    n = refusals(t, INITIAL)
    ok(n >= 12, "%d passwords refused, each with pwquality's reason" % n)
    t.expect(r"New password: ", 10)
    t.line(E["PW_GOOD"])
    t.expect(r"Retype new password: ", 5)
    t.line(E["PW_GOOD"])
    m = t.expect(r"Received (\d+) characters, fingerprint ([a-z]+-[a-z]+)"
                 r"[^\n]*\n(Warning:[^\n]*\n)?", 5)
    ok(m is not None and int(m.group(1)) == len(E["PW_GOOD"]),
       "the length and a two-word fingerprint are shown" +
       (" (%s %s)" % (m.group(1), m.group(2)) if m else ""))
    ok(m is not None and m.group(3) is not None and "@" in m.group(3),
       "with a warning naming the layout-dependent characters (only a "
       "warning)")
    ok(not t.saw(re.escape(E["PW_GOOD"])), "the password itself is never "
       "echoed")
    t.expect(r"\[y/N\] ", 5)
    t.line("y")
    ok(t.expect(r"Password changed", 20) is not None,
       "the good password is accepted")
    ok(t.expect(MENU, 15) is not None, "and then the menu")
    ok(shadow() != before, "the shadow file has the new password")
    t.line("0")
    t.ended()
    t.close()
    fp = m.group(2) if m else None
    # The same password gives the same fingerprint (same appliance key).
    return fp


def prompt_passwd(fp):
    """passwd at the prompt: the same check; the fingerprint is stable."""
    t = ssh()
    m = t.expect(r"(\d) +Command prompt", 15)
    ok(m is not None, "a key login after the change lands in the menu")
    if m is None:
        t.close()
        return
    t.send(m.group(1))
    t.expect(r"> ", 10)
    t.line("passwd")
    t.expect(r"Current password: ", 10)
    t.line(E["PW_GOOD"])
    t.expect(r"New password: ", 5)
    t.line("Sh0rt-pw")
    t.expect(r"Retype new password: ", 5)
    t.line("Sh0rt-pw")
    t.expect(r"\[y/N\] ", 5)
    t.line("y")
    m2 = t.expect(r"Refused: ([^\n]*)\n", 20)
    ok(m2 is not None and "shorter" in m2.group(1),
       "passwd at the prompt goes through the same policy (%s)" %
       (m2.group(1).strip() if m2 else "no refusal"))
    t.expect(r"New password: ", 5)
    t.line(E["PW_GOOD"])
    t.expect(r"Retype new password: ", 5)
    t.line(E["PW_GOOD"])
    m3 = t.expect(r"fingerprint ([a-z]+-[a-z]+)", 5)
    ok(m3 is not None and m3.group(1) == fp,
       "the same password shows the same fingerprint")
    t.expect(r"\[y/N\] ", 5)
    t.line("n")
    t.expect(r"New password: ", 5)
    t.send("\x03")
    ok(t.expect(r"Cancelled: the password is unchanged", 5) is not None,
       "Ctrl-C at the prompt's passwd cancels it")
    t.close()


def first_login_password():
    """SSH with the expired password: sshd and PAM make the change first."""
    expire(INITIAL)
    before = shadow()
    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(INITIAL)
    m = t.expect(r"(Current|current)[^\n]*password: ", 15)
    ok(m is not None, "password login with an expired password: the "
       "change comes first")
    t.send("\x03")
    t.ended()
    ok(not t.saw(MENU) and shadow() == before,
       "Ctrl-C there: the menu unreached, the password unchanged")
    t.close()

    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(INITIAL)
    t.expect(r"urrent[^\n]*password: ", 15)
    t.line("Wrong-Old-Passw0rd!")
    t.ended(15)
    ok(not t.saw(MENU) and shadow() == before,
       "a wrong current password there: the menu unreached, unchanged")
    t.close()

    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(INITIAL)
    t.expect(r"urrent[^\n]*password: ", 15)
    t.line(INITIAL)
    t.expect(r"New password: ", 10)
    t.line("Short-1!")
    m = t.expect(r"BAD PASSWORD: ([^\n]*)", 10)
    ok(m is not None, "the login-time change applies the same policy (%s)"
       % (m.group(1).strip() if m else "none"))
    t.expect(r"New password: ", 10)
    t.line(E["PW_GOOD2"])
    t.expect(r"Retype new password: ", 10)
    t.line(E["PW_GOOD2"])
    t.expect(r"(updated successfully|" + MENU + ")", 20)
    t.ended(10)
    t.close()
    ok(shadow() != before, "the password changed at the password login")
    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(E["PW_GOOD2"])
    ok(t.expect(MENU, 15) is not None, "the next password login: the menu")
    t.line("0")
    t.ended()
    t.close()


def lockout():
    """Six bad SSH passwords lock SSH; login(1) still works and clears it."""
    for i in range(6):
        t = ssh(key=False)
        t.expect(r"password: ")
        t.line("Bad-Password-%d!x" % i)
        t.ended(15)
        t.close()
    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(E["PW_GOOD2"])
    got = t.expect(MENU, 8)
    t.ended(10)
    ok(got is None, "after six bad SSH passwords the right one is refused "
       "too (SSH locked)")
    t.close()

    t = Term(["ip", "netns", "exec", NS, "ssh", "-F", "none",
              "-i", E["LAB_ADMIN_KEY"], "-o", "BatchMode=yes",
              "-o", "UserKnownHostsFile=" + E["LAB_APP_KNOWN_HOSTS"],
              "admin@" + ADDR, "ssh-unlock"])
    m = t.expect(r"only from[^\n]*", 15)
    ok(m is not None, "ssh-unlock over SSH is refused (%s)" %
       (m.group(0).strip() if m else t.text().strip()[:80]))
    t.ended()
    t.close()

    t = local_login()
    t.expect(r"assword: ", 15)
    t.line(E["PW_GOOD2"])
    m = t.expect(r"Failed logins since the last: (\d+), last from ([^;\s]+)"
                 r"(; SSH locked)?", 15)
    ok(m is not None and int(m.group(1)) >= 5 and m.group(3) is not None,
       "a local login (login on a pty) still works, its header says %s" %
       (m.group(0) if m else "nothing of the failures"))
    m = t.expect(r"(\d) +Command prompt", 5)
    if m is not None:
        t.send(m.group(1))
        t.expect(r"> ", 10)
        t.line("ssh-unlock")
        ok(t.expect(r"open again", 15) is not None,
           "ssh-unlock from the local console clears the lock")
        t.line("exit")
    else:
        ok(False, "the local login reached the menu's prompt")
    t.expect(MENU, 5)
    t.line("0")
    t.ended()
    t.close()

    t = ssh(key=False)
    t.expect(r"password: ")
    t.line(E["PW_GOOD2"])
    ok(t.expect(MENU, 15) is not None, "then SSH with the password gets in "
       "again")
    t.line("0")
    t.ended()
    t.close()


def serial_first_login():
    """The first login on the serial line (the image's agetty on the lab's
    ttyS0 pty, login and PAM) at 9600 baud: login(1) makes the change
    before the console starts; the bytes from the last Enter (the retyped
    password) to the painted menu are the benchmark's figure."""
    sys.path.insert(0, os.path.join(E["TOP"], "tests", "lab"))
    import serial as line_lib
    expire(INITIAL)
    before = shadow()
    m = line_lib.take_master(ROOT + "/run/lab/ttyS0.sock",
                             line_lib.now_ms() + 20000)
    ln = line_lib.Paced(m)
    ln.burst(until=b"login: ")
    ln.send(b"admin\r")
    ln.burst(until=b"Password: ")
    ln.send(INITIAL.encode() + b"\r")
    ln.burst(until=b"urrent password: ")
    ok(b"urrent password: " in ln.seen and b"Exit" not in ln.seen,
       "serial first login: the change comes first")
    ln.send(INITIAL.encode() + b"\r")
    ln.burst(until=b"New password: ")
    ln.send(E["PW_GOOD3"].encode() + b"\r")
    ln.burst(until=b"Retype new password: ")
    sent = ln.send(E["PW_GOOD3"].encode() + b"\r")
    n, last = ln.burst(quiet_ms=300.0, until=b"Exit")
    n2, last2 = ln.burst(quiet_ms=300.0)
    got = b"Exit" in ln.seen
    ok(got and shadow() != before, "after the change over serial, the menu "
       "(%d bytes, %.0f ms from the last Enter to the painted menu at 9600 "
       "baud)" % (n + n2, (last2 or last or sent) - sent))
    print("# serial first-login change: bytes=%d ms=%.0f" %
          (n + n2, (last2 or last or sent) - sent), flush=True)
    ln.send(b"0")
    ln.burst(quiet_ms=300.0)
    os.close(m)


def main():
    which = sys.argv[1:] or ["key", "console", "password", "lockout",
                             "serial"]
    if "key" in which:
        first_login_key()
    if "console" in which:
        before = first_login_console()
        fp = first_login_change(before)
        prompt_passwd(fp)
    if "password" in which:
        first_login_password()
    if "lockout" in which:
        lockout()
    if "serial" in which:
        serial_first_login()
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
