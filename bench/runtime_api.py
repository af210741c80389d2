"""A loopback Lambda Runtime API: what `make bench` runs a function binary against.

Lambda starts a function by executing its `bootstrap` with AWS_LAMBDA_RUNTIME_API pointing at
this API. The runtime then long-polls `GET /2018-06-01/runtime/invocation/next` for an event and
posts the answer to `.../invocation/{id}/response`. The time from exec to the first `next` is the
init phase; everything after is invocations. One `Function` is one process with its own API.

Every socket sets TCP_NODELAY, and every answer goes out in one write: without that, a Python
server's responses wait on the client's delayed ACK, adding ~40 ms to each invocation.
"""

import http.server
import itertools
import json
import os
import queue
import subprocess
import threading
import time

from support import NoDelayHandler

PREFIX = "/2018-06-01/runtime"


class _Handler(NoDelayHandler):
    def _answer(self, status, body=b"", headers=()):
        head = [f"HTTP/1.1 {status} OK", f"Content-Length: {len(body)}", "Content-Type: application/json"]
        head += [f"{name}: {value}" for name, value in headers]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        self.wfile.flush()

    def do_GET(self):
        api = self.server.api
        if self.path != f"{PREFIX}/invocation/next":
            return self._answer(404)
        api.polled()
        request_id, event = api.pending.get()
        deadline = int((time.time() + 30) * 1000)
        self._answer(200, json.dumps(event).encode(), [
            ("Lambda-Runtime-Aws-Request-Id", request_id),
            ("Lambda-Runtime-Deadline-Ms", str(deadline)),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:bench"),
            ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0"),
        ])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path[len(PREFIX):].strip("/").split("/")
        self._answer(202, b"{}")
        if parts[:1] == ["invocation"] and len(parts) == 3:
            self.server.api.answered(parts[1], parts[2], body)
        elif parts == ["init", "error"]:
            self.server.api.init_error = body


class _Api:
    def __init__(self):
        self.pending = queue.Queue()
        self.waiting = {}
        self.lock = threading.Lock()
        self.first_poll = threading.Event()
        self.first_poll_at = None
        self.init_error = None

    def polled(self):
        if not self.first_poll.is_set():
            self.first_poll_at = time.perf_counter()
            self.first_poll.set()

    def answered(self, request_id, kind, body):
        with self.lock:
            slot = self.waiting.pop(request_id, None)
        if slot:
            slot["kind"], slot["body"] = kind, body
            slot["done"].set()


class Function:
    """A function binary running against its own loopback Runtime API."""

    _ids = itertools.count()

    def __init__(self, binary, environment, memory_mb=1024):
        self.api = _Api()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.api = self.api
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        env = {
            **os.environ, **environment,
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
            "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        }
        self.lines = queue.Queue()
        self.times = []
        self.logged = threading.Condition()
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read_logs, daemon=True).start()

    def _read_logs(self):
        for line in self.process.stdout:
            self.lines.put(line)
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("message") == "request handled" and "elapsed_ms" in record:
                with self.logged:
                    self.times.append(float(record["elapsed_ms"]))
                    self.logged.notify_all()

    def init_ms(self, timeout=60):
        """Milliseconds from exec to the runtime's first poll for an event."""
        if not self.api.first_poll.wait(timeout):
            raise RuntimeError(f"the function never polled for an event: {self.log_tail()}")
        return (self.api.first_poll_at - self.started_at) * 1000

    def invoke(self, event, timeout=60):
        """(status code, parsed body) of one invocation."""
        request_id = f"bench-{next(self._ids)}"
        slot = {"done": threading.Event()}
        with self.api.lock:
            self.api.waiting[request_id] = slot
        self.api.pending.put((request_id, event))
        if not slot["done"].wait(timeout):
            raise RuntimeError(f"no answer to {event.get('routeKey')}: {self.log_tail()}")
        if slot["kind"] != "response":
            raise RuntimeError(f"invocation error: {slot['body']!r}")
        answer = json.loads(slot["body"])
        body = answer.get("body")
        return answer.get("statusCode"), (json.loads(body) if body else None)

    def request_count(self):
        with self.logged:
            return len(self.times)

    def request_times(self, since=0, until=None, timeout=30):
        """The `elapsed_ms` of the `request handled` lines from number `since` to `until` (all
        logged so far when None), waiting for them: a line can arrive after its response."""
        with self.logged:
            if until is not None and not self.logged.wait_for(lambda: len(self.times) >= until, timeout):
                raise RuntimeError(f"expected {until} request log lines, have {len(self.times)}")
            return self.times[since:until]

    def peak_rss_mib(self):
        """The process's high-water resident set (VmHWM), in MiB."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def cpu_seconds(self):
        """User plus system CPU time the process has used."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self):
        """The last lines the function printed (for error messages)."""
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return "".join(lines[-20:])

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()
