"""A counting HTTP proxy in front of DynamoDB Local: how `make bench` counts the DynamoDB calls
each operation makes, and the request units on-demand billing would charge for them. The
function reaches it through AWS_ENDPOINT_URL_DYNAMODB; every request is counted by its
`X-Amz-Target` operation (GetItem, TransactWriteItems, ...) and forwarded unchanged. Only the
calls pass is routed through it, so its latency never enters a timing.

The same proxy, with `classify=ses_request`, stands in front of moto's SES (through
AWS_ENDPOINT_URL_SESV2) and counts the function's SES v2 calls (`SendEmail` is
`POST /v2/email/outbound-emails`), rejected ones included: what SES bills is the mails it
accepts, which moto's mailbox shows (scripts/mail.py).

Units assume items under 1 KB (an account item is about 400 bytes): a strongly consistent read
is 1 read unit and an eventually consistent one 0.5; a write is 1 write unit; transactions cost
twice per item, condition checks included.
"""

import collections
import http.client
import json
import http.server
import threading
import urllib.parse

from support import NoDelayHandler


class _Handler(NoDelayHandler):
    def do_POST(self):
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation, read, write = proxy.classify(self.path, self.headers, body)
        with proxy.lock:
            proxy.counts[operation] += 1
            proxy.units["read"] += read
            proxy.units["write"] += write
        upstream = http.client.HTTPConnection(proxy.host, proxy.port, timeout=30)
        headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
        headers["Host"] = f"{proxy.host}:{proxy.port}"
        upstream.request("POST", self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        head = [f"HTTP/1.1 {answer.status} {answer.reason}"]
        head += [f"{k}: {v}" for k, v in answer.getheaders() if k.lower() not in ("content-length", "connection", "transfer-encoding")]
        head.append(f"Content-Length: {len(data)}")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        upstream.close()


def dynamodb_request(_path, headers, body):
    """(operation, read units, write units) of a DynamoDB request."""
    operation = (headers.get("X-Amz-Target") or "?").rsplit(".", 1)[-1]
    return (operation, *units(operation, json.loads(body or b"{}")))


SES_OPERATIONS = {"/v2/email/outbound-emails": "SendEmail"}


def ses_request(path, _headers, _body):
    """(operation, 0, 0) of an SES v2 request (a REST API: the operation is in the path)."""
    path = urllib.parse.urlsplit(path).path.rstrip("/")
    return SES_OPERATIONS.get(path, f"POST {path}"), 0, 0


def units(operation, request):
    """(read units, write units) of one request."""
    read = 1 if request.get("ConsistentRead") else 0.5
    if operation in ("GetItem", "Query"):
        return read, 0
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return 0, 1
    if operation == "TransactWriteItems":
        return 0, 2 * len(request.get("TransactItems", []))
    if operation == "TransactGetItems":
        return 2 * len(request.get("TransactItems", [])), 0
    return 0, 0


class CountingProxy:
    def __init__(self, upstream_url, classify=dynamodb_request):
        url = urllib.parse.urlsplit(upstream_url)
        self.classify = classify
        self.host, self.port = url.hostname, url.port
        self.counts = collections.Counter()
        self.units = collections.Counter()
        self.lock = threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.proxy = self
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def take(self):
        """The calls counted since the last take, by operation, and their request units."""
        with self.lock:
            calls, units = dict(self.counts), dict(self.units)
            self.counts, self.units = collections.Counter(), collections.Counter()
        return {"calls": calls, "read_units": units.get("read", 0), "write_units": units.get("write", 0)}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
