# SPDX-License-Identifier: ISC
"""Small real clients for checking the lab's servers from a namespace.

Test scripts run it inside the appliance namespace (lab.sh run ENV --
python3 probe.py ...). Each subcommand talks to a real server with the
standard library only, prints what it got on stdout (one fact per line)
and exits 0 on an answer, 1 on none, 2 on bad usage:
  ping ADDR                    ICMP echo (v4 or v6; raw socket, root)
  dns NAME [A|AAAA] [SERVER]   one UDP query; prints addresses or the rcode
  resolve NAME                 the system resolver (getaddrinfo)
  http URL [--cafile F] [--proxy HOST:PORT] [--timeout S]
                               GET; prints the status (4xx/5xx included)
  ntp ADDR                     SNTP client request; prints "stratum N"
  banner ADDR PORT             TCP connect; prints the server's first line
  dhcp IFACE                   DHCPDISCOVER; prints the offer
"""

import os
import random
import select
import socket
import ssl
import struct
import sys
import time
import urllib.error
import urllib.request

TIMEOUT = 5.0


def fail(msg):
    print(msg)
    sys.exit(1)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def cmd_ping(addr):
    fam = family_of(addr)
    if fam == socket.AF_INET:
        sock = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        req_type, rep_type = 8, 0
    else:
        sock = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        req_type, rep_type = 128, 129
    ident = os.getpid() & 0xffff
    payload = b"ac-lab-ping"
    hdr = struct.pack("!BBHHH", req_type, 0, 0, ident, 1)
    # The kernel fills in the ICMPv6 checksum; ICMPv4 is ours to compute.
    if fam == socket.AF_INET:
        hdr = struct.pack("!BBHHH", req_type, 0, checksum(hdr + payload),
                          ident, 1)
    sock.sendto(hdr + payload, (addr, 0))
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        r, _, _ = select.select([sock], [], [], deadline - time.monotonic())
        if not r:
            break
        data, src = sock.recvfrom(2048)
        if fam == socket.AF_INET:
            data = data[(data[0] & 0x0f) * 4:]
        if len(data) >= 8 and data[0] == rep_type and \
                struct.unpack("!H", data[4:6])[0] == ident:
            print("reply from %s" % src[0])
            return 0
    fail("no reply from %s" % addr)


def dns_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_skip_name(msg, off):
    while True:
        n = msg[off]
        if n & 0xc0 == 0xc0:
            return off + 2
        if n == 0:
            return off + 1
        off += n + 1


def cmd_dns(name, qtype="A", server="192.0.2.1"):
    types = {"A": 1, "AAAA": 28}
    if qtype not in types:
        print("unknown type %s" % qtype)
        sys.exit(2)
    qid = random.randrange(65536)
    query = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + \
        dns_name(name) + struct.pack("!HH", types[qtype], 1)
    sock = socket.socket(family_of(server), socket.SOCK_DGRAM)
    sock.settimeout(TIMEOUT)
    sock.sendto(query, (server, 53))
    try:
        msg = sock.recv(4096)
    except socket.timeout:
        fail("no answer from %s" % server)
    rid, flags, qd, an = struct.unpack("!HHHH", msg[:8])
    if rid != qid:
        fail("answer with a wrong id")
    rcode = flags & 0xf
    if rcode != 0:
        fail({3: "NXDOMAIN", 5: "REFUSED", 2: "SERVFAIL"}.get(
            rcode, "rcode %d" % rcode))
    off = 12
    for _ in range(qd):
        off = dns_skip_name(msg, off) + 4
    found = 0
    for _ in range(an):
        off = dns_skip_name(msg, off)
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        off += rdlen
        if rtype == 1 and rdlen == 4:
            print(socket.inet_ntop(socket.AF_INET, rdata))
            found += 1
        elif rtype == 28 and rdlen == 16:
            print(socket.inet_ntop(socket.AF_INET6, rdata))
            found += 1
    if not found:
        fail("no %s record" % qtype)
    return 0


def cmd_resolve(name):
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        fail("cannot resolve %s: %s" % (name, e))
    for addr in sorted({i[4][0] for i in infos}):
        print(addr)
    return 0


def cmd_http(url, *opts):
    cafile = proxy = None
    timeout = TIMEOUT
    args = list(opts)
    while args:
        opt = args.pop(0)
        if not args:
            print("%s needs a value" % opt)
            sys.exit(2)
        val = args.pop(0)
        if opt == "--cafile":
            cafile = val
        elif opt == "--proxy":
            proxy = val
        elif opt == "--timeout":
            timeout = float(val)
        else:
            print("unknown option %s" % opt)
            sys.exit(2)
    # With cafile, only that CA is trusted; without, the system's.
    ctx = ssl.create_default_context(cafile=cafile)
    proxies = {}
    if proxy:
        proxies = {"http": "http://" + proxy, "https": "http://" + proxy}
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPSHandler(context=ctx))
    try:
        with opener.open(url, timeout=timeout) as r:
            r.read(1 << 20)
            print(r.status)
    except urllib.error.HTTPError as e:
        print(e.code)
    except (urllib.error.URLError, OSError) as e:
        fail("error: %s" % getattr(e, "reason", e))
    return 0


def cmd_ntp(addr):
    sock = socket.socket(family_of(addr), socket.SOCK_DGRAM)
    sock.settimeout(TIMEOUT)
    req = bytearray(48)
    req[0] = (4 << 3) | 3       # version 4, mode 3 (client)
    xmit = os.urandom(8)
    req[40:48] = xmit
    sock.sendto(bytes(req), (addr, 123))
    try:
        data = sock.recv(512)
    except socket.timeout:
        fail("no answer from %s" % addr)
    if len(data) < 48 or data[0] & 7 != 4 or data[24:32] != xmit:
        fail("not an NTP server answer")
    print("stratum %d" % data[1])
    return 0


def cmd_banner(addr, port):
    try:
        sock = socket.create_connection((addr, int(port)), timeout=TIMEOUT)
        line = sock.makefile("rb").readline(256)
    except OSError as e:
        fail("error: %s" % e)
    print(line.decode("ascii", "replace").rstrip())
    return 0


def cmd_dhcp(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        mac = bytes.fromhex(f.read().strip().replace(":", ""))
    xid = random.randrange(1 << 32)
    # Broadcast flag set: an interface with no address cannot take a
    # unicast offer.
    pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0,
                      0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                      mac, b"", b"")
    pkt += b"\x63\x82\x53\x63" + b"\x35\x01\x01" + \
        b"\x37\x03\x01\x03\x06" + b"\xff"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                    iface.encode())
    sock.bind(("0.0.0.0", 68))
    sock.sendto(pkt, ("255.255.255.255", 67))
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = sock.recv(2048)
        except socket.timeout:
            break
        if len(data) < 240 or data[0] != 2 or \
                struct.unpack("!I", data[4:8])[0] != xid:
            continue
        opts = {}
        off = 240
        while off < len(data) and data[off] != 255:
            if data[off] == 0:
                off += 1
                continue
            code, n = data[off], data[off + 1]
            opts[code] = data[off + 2:off + 2 + n]
            off += 2 + n
        if opts.get(53) != b"\x02":
            continue
        print("offer %s" % socket.inet_ntoa(data[16:20]))
        if 3 in opts:
            print("router %s" % socket.inet_ntoa(opts[3][:4]))
        if 6 in opts:
            print("dns %s" % socket.inet_ntoa(opts[6][:4]))
        return 0
    fail("no offer on %s" % iface)


COMMANDS = {
    "ping": (cmd_ping, 1, 1),
    "dns": (cmd_dns, 1, 3),
    "resolve": (cmd_resolve, 1, 1),
    "http": (cmd_http, 1, 7),
    "ntp": (cmd_ntp, 1, 1),
    "banner": (cmd_banner, 2, 2),
    "dhcp": (cmd_dhcp, 1, 1),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__.strip())
        sys.exit(2)
    fn, lo, hi = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if not lo <= len(args) <= hi:
        print("probe %s: wrong number of arguments" % sys.argv[1])
        sys.exit(2)
    try:
        sys.exit(fn(*args))
    except OSError as e:
        fail("error: %s" % e)


if __name__ == "__main__":
    main()
