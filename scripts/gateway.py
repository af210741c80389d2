"""A local stand-in for API Gateway's HTTP API in front of `cargo lambda watch`, for schemathesis.

cargo lambda watch serves HTTP itself, but answers a request body that is not UTF-8 with its own
500 before the function runs, where API Gateway would hand the function the body base64-encoded
(isBase64Encoded). Fuzzing sends such bodies on purpose, so it talks to this proxy instead: each
request becomes an HTTP API (payload format 2.0) event, invoked through cargo lambda's Lambda
Runtime API emulator exactly as `make invoke` does, and the function's response is sent back.

  python3 gateway.py LISTEN_PORT WATCH_PORT
"""

import base64
import json
import sys
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FUNCTION = "user-service"


class Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_one(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body, encoded = raw.decode("utf-8"), False
        except UnicodeDecodeError:
            body, encoded = base64.b64encode(raw).decode(), True
        headers = {name.lower(): value for name, value in self.headers.items()}
        event = {
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": url.path,
            "rawQueryString": url.query,
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012", "apiId": "local", "domainName": "127.0.0.1",
                "domainPrefix": "local", "requestId": "gateway", "routeKey": "$default",
                "stage": "$default", "time": "22/Nov/2026:10:00:00 +0000", "timeEpoch": 0,
                "http": {"method": self.command, "path": url.path, "protocol": "HTTP/1.1",
                         "sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent", "")},
            },
            "body": body if raw else None,
            "isBase64Encoded": encoded,
        }
        invocation = urllib.request.Request(
            f"http://127.0.0.1:{WATCH_PORT}/2015-03-31/functions/{FUNCTION}/invocations",
            data=json.dumps(event).encode(), method="POST",
        )
        with urllib.request.urlopen(invocation, timeout=60) as answer:
            response = json.loads(answer.read())
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        self.send_response(response.get("statusCode", 200))
        for name, value in (response.get("headers") or {}).items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def __getattr__(self, name):
        # Every method reaches the function, as on API Gateway's $default route: `do_QUERY`
        # as much as `do_POST` (the function answers 405 itself).
        if name.startswith("do_"):
            return self.handle_one
        raise AttributeError(name)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    LISTEN_PORT, WATCH_PORT = int(sys.argv[1]), int(sys.argv[2])
    ThreadingHTTPServer(("127.0.0.1", LISTEN_PORT), Gateway).serve_forever()
