# SPDX-License-Identifier: ISC
"""A lying NTP server for tests/lab/test_time.sh: answers every client
request (mode 3) on ADDR:123 claiming stratum 1 and synchronised, with a
clock that is OFFSET seconds off this host's.

  sntpliar.py ADDR OFFSET [hold=SECONDS] [delay=SECONDS] [log=PATH]

hold=S   claim S seconds spent between receive and transmit (T3 - T2):
         with S larger than the round trip the client computes a negative
         delay, which no honest server can produce
delay=S  wait S seconds before answering (a slow server)
log=PATH append one line per answer ("answered HOST") to PATH

It never touches the clock; it only reads it. Stopped by SIGTERM (the
lab's teardown kills every process of the upstream namespace).
"""
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800


def ntp_stamp(t):
    sec = int(t)
    frac = int((t - sec) * (1 << 32)) & 0xffffffff
    return ((sec + NTP_UNIX) & 0xffffffff) << 32 | frac


def main():
    addr, offset = sys.argv[1], float(sys.argv[2])
    opts = dict(a.split("=", 1) for a in sys.argv[3:])
    hold = float(opts.get("hold", "0"))
    delay = float(opts.get("delay", "0"))
    log = opts.get("log")
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, 123))
    print("listening", flush=True)
    while True:
        data, peer = s.recvfrom(512)
        t2 = time.time() + offset
        if len(data) < 48 or (data[0] & 7) != 3:
            continue
        if delay:
            time.sleep(delay)
        orig = data[40:48]
        t3 = time.time() + offset + hold
        # LI 0, version 4, mode 4 (server); stratum 1; refid "GPS".
        head = struct.pack("!BBbb", (0 << 6) | (4 << 3) | 4, 1, 4, -20)
        body = struct.pack("!II4s", 0, 0, b"GPS\0")
        stamps = struct.pack("!Q", ntp_stamp(t2 - 16)) + orig + \
            struct.pack("!QQ", ntp_stamp(t2), ntp_stamp(t3))
        s.sendto(head + body + stamps, peer)
        if log:
            with open(log, "a") as f:
                f.write("answered %s\n" % peer[0])


if __name__ == "__main__":
    main()
