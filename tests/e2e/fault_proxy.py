"""A fault-injecting HTTP proxy for tests (Python standard library, one thread per connection).

It listens on 127.0.0.1 and forwards every request to an upstream server (moto_server), except that a test's
`decide(method, path, attempt)` may answer a request itself with a fault:

    "slowdown"  503 with S3's SlowDown error body
    "500"       500 with S3's InternalError error body
    "reset"     the connection is reset (RST) before any answer
    "cut"       the upstream answer's status and headers (its Content-Length too), half its body, then the
                connection is closed: a body cut short
    callable    called (in the proxy's thread) before forwarding, e.g. to delete the object first

`attempt` counts the requests with the same method and path, from 1. The proxy keeps what it saw: `requests`
[(method, path, fault or None)] and the largest number of GET requests in flight at once (`max_in_flight`).

Usage:
    with FaultProxy("http://127.0.0.1:PORT", decide) as proxy:
        ... --endpoint-url proxy.endpoint ...
"""
import http.client
import http.server
import socket
import struct
import threading
import urllib.parse

SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
            b'<Message>Please reduce your request rate.</Message></Error>')
INTERNAL = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
            b'<Message>We encountered an internal error. Please try again.</Message></Error>')


class FaultProxy:
    def __init__(self, upstream, decide=None):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.decide = decide or (lambda method, path, attempt: None)
        self.lock = threading.Lock()
        self.requests = []
        self.attempts = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.server = None
        self.thread = None

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def reset_log(self):
        with self.lock:
            self.requests = []
            self.attempts = {}
            self.max_in_flight = 0

    def faults(self, kind=None):
        with self.lock:
            return [r for r in self.requests if r[2] is not None and (kind is None or r[2] == kind)]

    def __enter__(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # Headers and body go out in two writes: without this, Nagle's algorithm holds the body until the
                # client's delayed ACK of the headers, 40 ms a request.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self):
                method = self.command
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urllib.parse.unquote(self.path.split("?")[0])
                with proxy.lock:
                    key = (method, self.path)
                    attempt = proxy.attempts.get(key, 0) + 1
                    proxy.attempts[key] = attempt
                fault = proxy.decide(method, path, attempt)
                with proxy.lock:
                    proxy.requests.append((method, self.path, fault if isinstance(fault, str) else None))
                    if method == "GET":
                        proxy.in_flight += 1
                        proxy.max_in_flight = max(proxy.max_in_flight, proxy.in_flight)
                try:
                    self._answer(method, body, fault)
                finally:
                    if method == "GET":
                        with proxy.lock:
                            proxy.in_flight -= 1

            def _answer(self, method, body, fault):
                if fault == "reset":
                    # SO_LINGER with a zero timeout: close() sends RST, as a dropped connection does.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if fault in ("slowdown", "500"):
                    payload = SLOWDOWN if fault == "slowdown" else INTERNAL
                    self.send_response(503 if fault == "slowdown" else 500)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if callable(fault):
                    fault()
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                headers["Host"] = self.headers.get("Host", "")
                conn.request(method, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                if fault == "cut":
                    self.send_header("Connection", "close")
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data[: len(data) // 2] if fault == "cut" else data)
                if fault == "cut":
                    self.wfile.flush()
                    self.close_connection = True

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        return False
