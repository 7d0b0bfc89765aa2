# SPDX-License-Identifier: ISC
"""The lab's web server: HTTP and HTTPS listeners in one process.

lab.sh starts it inside the upstream namespace. Each listener is given as
one argument, "http,ADDR,PORT,LABEL" or "https,ADDR,PORT,LABEL,CERT,KEY";
ADDR may be IPv4 or IPv6. Every listener answers the same paths:
  /            200 and a one-line body naming the listener's label
  /status/NNN  answers with status NNN (100-599)
  /delay/MS    answers 200 after MS milliseconds (at most 60000)
anything else 404. The query string is ignored, so a test can tag a request
(/?t=TOKEN) and find it in the log. One log line per request goes to
stderr: label, client address, method, path, status. TLS handshakes run in
the request's thread, so a client that stalls or rejects the certificate
delays nobody else.
"""

import http.server
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

MAX_BODY = 1 << 20


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ac-lab"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        # 1xx, 204 and 304 carry no body, not even a length.
        bodyless = status < 200 or status in (204, 304)
        if not bodyless:
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and not bodyless:
            self.wfile.write(data)
        log("%s %s %s %s %d" % (self.server.label, self.client_address[0],
                                self.command, self.path, status))

    def route(self):
        path = urllib.parse.urlsplit(self.path).path
        label = self.server.label
        if path == "/":
            return self.answer(200, "appliance-console lab %s: ok\n" % label)
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[1].isdigit() and len(parts[1]) <= 5:
            n = int(parts[1])
            if parts[0] == "status" and 100 <= n <= 599:
                return self.answer(n, "status %d\n" % n)
            if parts[0] == "delay" and n <= 60000:
                time.sleep(n / 1000.0)
                return self.answer(200, "delayed %d ms\n" % n)
        return self.answer(404, "not found\n")

    def do_GET(self):
        self.route()

    def do_HEAD(self):
        self.route()

    def do_POST(self):
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            n = -1
        if n < 0 or n > MAX_BODY:
            self.close_connection = True
            return self.answer(413, "body too large\n")
        self.rfile.read(n)
        self.route()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: more concurrent clients
    # (a fan-out test) would see SYNs dropped and retried a second later.
    request_queue_size = 128

    def __init__(self, family, addr, label, ctx):
        self.address_family = family
        self.label = label
        self.ctx = ctx
        super().__init__(addr, Handler)

    def server_bind(self):
        # HTTPServer.server_bind looks up the host name; a namespace with
        # no resolver would stall on it.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.settimeout(Handler.timeout)
        if self.ctx is not None:
            sock = self.ctx.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        log("%s %s error %s" % (self.label, client_address[0],
                                sys.exc_info()[1]))


def listener(spec):
    f = spec.split(",")
    if f[0] == "http" and len(f) == 4:
        ctx = None
    elif f[0] == "https" and len(f) == 6:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(f[4], f[5])
    else:
        raise SystemExit("labhttpd: bad listener %r" % spec)
    family = socket.AF_INET6 if ":" in f[1] else socket.AF_INET
    return Server(family, (f[1], int(f[2])), f[3], ctx)


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: labhttpd.py http,ADDR,PORT,LABEL "
                         "| https,ADDR,PORT,LABEL,CERT,KEY ...")
    servers = [listener(a) for a in sys.argv[1:]]
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    log("labhttpd: serving %d listeners" % len(servers))
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
