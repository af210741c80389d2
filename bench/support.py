"""What the bench's modules share: a quiet HTTP handler that never waits on delayed ACKs, and
rewriting one marked section of a Markdown file."""

import http.server
import os
import re
import socket


class NoDelayHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive and TCP_NODELAY: each answer leaves at once (written in one
    piece by the subclass), instead of waiting ~40 ms for the client's delayed ACK."""

    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *_):
        pass


def replace_section(path, name, text):
    """Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` in `path` with
    `text`, adding the markers at the end if missing."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if start not in content:
        content += f"\n{start}\n{end}\n"
    pattern = re.escape(start) + ".*?" + re.escape(end)
    content = re.sub(pattern, lambda _: f"{start}\n{text}\n{end}", content, flags=re.S)
    open(path, "w", encoding="utf-8").write(content)
