#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The far end of the image lab's console lines, at a serial line's speed.

    serial.py SOCKET LOG [BAUD]

Connects to a ttyline socket (tests/lab/ttyline.c) and receives the
master side of the line's pty, then is the terminal's cable: what the
program on the line writes is read from the master no faster than BAUD
(default 9600: 10 bits a byte, 960 bytes a second, at most 16 bytes at a
time) and copied to stdout (a tmux pane is the terminal); what arrives on
stdin (tmux's keys) is written to the master. Each event goes to LOG as
one line, times in milliseconds on the monotonic clock:

    c T         connected: a fresh line (login prompt follows)
    i T N       N bytes typed
    o T N       N bytes carried, the last of them at the terminal at T
    e T         the line ended (the getty's session is over); reconnects

SIGTERM, SIGHUP or the end of stdin close the master: a hang-up of the
line, as a dropped carrier is. It measures and copies; it judges nothing.

    serial.py --bench SOCKET USER PASSWORD

The benchmark's one login at 9600 baud, no terminal: the login prompt, the
user name, the password; then one line of figures: login_bytes and
login_ms (from the password's Enter to the menu painted and settled, the
last byte at the terminal with 300 ms of quiet after it), down_bytes and
down_ms (one DOWN in the menu), then 0 (Exit) ends the session.
"""
import array
import os
import select
import signal
import socket
import sys
import termios
import time
import tty

CHUNK = 16


def now_ms():
    return time.monotonic() * 1000.0


def take_master(path, deadline):
    """The master's descriptor from ttyline, retrying until deadline."""
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            fds = array.array("i")
            msg, anc, _flags, _addr = s.recvmsg(1, socket.CMSG_SPACE(fds.itemsize))
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.frombytes(data[:fds.itemsize])
            if msg and fds:
                return fds[0]
        except OSError:
            pass
        finally:
            s.close()
        if now_ms() > deadline:
            sys.exit("serial.py: no line at %s" % path)
        time.sleep(0.1)


class Paced:
    """Reads a master at BAUD, as the far end of a serial line."""

    def __init__(self, m, baud=9600):
        self.m, self.baud, self.line_free, self.seen = m, baud, now_ms(), b""

    def burst(self, quiet_ms=300.0, until=None, limit_ms=20000.0):
        """Bytes until quiet_ms of silence (or until appears): (n, last)."""
        n, last, start = 0, None, now_ms()
        quiet_end = start + quiet_ms
        while now_ms() < start + limit_ms:
            wait = (self.line_free - now_ms()) / 1000.0
            if wait > 0:
                time.sleep(wait)
            if until is None and now_ms() >= quiet_end:
                break
            r, _, _ = select.select([self.m], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self.m, CHUNK)
            except OSError:
                data = b""      # EIO: the session ended, the line is down
            if not data:
                break
            n += len(data)
            self.seen = (self.seen + data)[-4096:]
            self.line_free = max(self.line_free, now_ms()) + \
                len(data) * 10000.0 / self.baud
            last = self.line_free
            quiet_end = last + quiet_ms
            if until is not None and until in self.seen:
                until = None
        return n, last

    def send(self, data):
        self.seen = b""
        os.write(self.m, data)
        return now_ms()


def bench(path, user, password):
    m = take_master(path, now_ms() + 20000)
    line = Paced(m)
    line.burst(until=b"login: ")
    line.send(user.encode() + b"\r")
    line.burst(until=b"Password: ")
    sent = line.send(password.encode() + b"\r")
    n, last = line.burst(quiet_ms=300.0, until=b"Exit")
    n2, last2 = line.burst(quiet_ms=300.0)
    login = (n + n2, (last2 or last or sent) - sent)
    # The console asked for keypad mode (smkx): a DOWN is ESC O B.
    sent = line.send(b"\033OB")
    dn, dlast = line.burst(quiet_ms=300.0)
    print("login_bytes=%d login_ms=%.1f down_bytes=%d down_ms=%.1f" %
          (login[0], login[1], dn, (dlast or sent) - sent))
    line.send(b"0")
    line.burst(quiet_ms=300.0)
    os.close(m)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--bench":
        bench(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: serial.py SOCKET LOG [BAUD]")
    path, logpath = sys.argv[1], sys.argv[2]
    baud = int(sys.argv[3]) if len(sys.argv) == 4 else 9600
    log = open(logpath, "a", buffering=1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGHUP, lambda *_: stop.append(1))
    stdin = sys.stdin.fileno()
    saved = None
    if os.isatty(stdin):
        saved = termios.tcgetattr(stdin)
        tty.setraw(stdin)
    out = sys.stdout.fileno()
    try:
        while not stop:
            m = take_master(path, now_ms() + 20000)
            log.write("c %.1f\n" % now_ms())
            line_free = now_ms()
            while not stop:
                # The line carries the previous chunk before the next.
                wait = (line_free - now_ms()) / 1000.0
                if wait > 0:
                    time.sleep(wait)
                try:
                    r, _, _ = select.select([m, stdin], [], [], 0.5)
                except InterruptedError:
                    continue
                if stdin in r:
                    keys = os.read(stdin, 64)
                    if not keys:
                        stop.append(1)
                        break
                    os.write(m, keys)
                    log.write("i %.1f %d\n" % (now_ms(), len(keys)))
                if m in r:
                    try:
                        data = os.read(m, CHUNK)
                    except OSError:
                        data = b""
                    if not data:
                        log.write("e %.1f\n" % now_ms())
                        break
                    os.write(out, data)
                    line_free = max(line_free, now_ms()) + \
                        len(data) * 10000.0 / baud
                    log.write("o %.1f %d\n" % (line_free, len(data)))
            os.close(m)
    finally:
        if saved is not None:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)


if __name__ == "__main__":
    main()
