#!/usr/bin/env python3
"""The local mailbox: the mails moto's SES "sent", newest first.

moto keeps every message under `ses` → `Message` in GET /moto-api/data.json, in the order it
received them, with one body: the HTML part of a two-part mail (the text part is tested where
the mail is rendered, src/adapters/ses/render_tests.rs). The body is shown as text.

    mail.py --port PORT [--to ADDRESS] [--limit N]   to, subject and body of each message
    mail.py --port PORT --code ADDRESS                only the newest code sent to ADDRESS

--code prints the first 6- or 8-digit number of the newest mail to ADDRESS (the code: the
templates put it before anything else with digits), so a shell reads it with
CODE=$(make mail-code TO=ada@example.com). It exits 1, saying why on stderr, if there is none.

Standard library only: it runs on the system's python3.
"""

import argparse
import html.parser
import json
import re
import signal
import sys
import urllib.request

CODE = re.compile(r"(?<!\d)(\d{8}|\d{6})(?!\d)")


class Text(html.parser.HTMLParser):
    """The visible text of an HTML document, one line per block; the head is left out."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "li", "tr", "title"}

    def __init__(self):
        super().__init__()
        self.lines, self.line, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("head", "style", "script")
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        self.skip -= tag in ("head", "style", "script") and self.skip > 0
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.line.append(data)

    def flush(self):
        text = " ".join("".join(self.line).split())
        if text:
            self.lines.append(text)
        self.line = []


def text_of(body):
    if "<" not in body:
        return body.strip()
    parser = Text()
    parser.feed(body)
    parser.close()
    parser.flush()
    return "\n".join(parser.lines)


def canonical(address):
    """ADDRESS lower-cased, with its domain in ASCII, as the adapter hands it to SES."""
    local, _, domain = address.strip().lower().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain}"


def recipients(message):
    destinations = message.get("destinations") or {}
    if isinstance(destinations, dict):
        found = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, [])]
    else:
        found = list(destinations)
    return [canonical(a) for a in found]


def code_in(message):
    """The code a mail carries (its first 6- or 8-digit number), or None."""
    found = CODE.search(text_of(message.get("body", "")))
    return found.group(1) if found else None


def newest_codes(messages):
    """{address: the code of the newest mail to it that holds one}, from `messages` newest
    first (as `mailbox` returns them); `make bench` reads every code of a batch at once."""
    codes = {}
    for message in messages:
        code = code_in(message)
        if code:
            for address in recipients(message):
                codes.setdefault(address, code)
    return codes


def mailbox(port):
    url = f"http://127.0.0.1:{port}/moto-api/data.json"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            data = json.load(response)
    except OSError as error:
        sys.exit(f"error: moto does not answer at {url}: {error}")
    messages = data.get("ses", {}).get("Message", {})
    if isinstance(messages, dict):
        messages = list(messages.values())
    return list(reversed(messages))


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `make mail | head` ends quietly
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", required=True)
    parser.add_argument("--to", help="only the mails to this address")
    parser.add_argument("--code", metavar="ADDRESS", help="print only the newest code sent to ADDRESS")
    parser.add_argument("--limit", type=int, default=10, help="at most this many mails (default 10)")
    args = parser.parse_args()
    if args.code == "":
        sys.exit("usage: make mail-code TO=address")
    messages = mailbox(args.port)
    wanted = args.code or args.to
    if wanted:
        messages = [m for m in messages if canonical(wanted) in recipients(m)]
    if args.code:
        if not messages:
            sys.exit(f"no mail to {args.code} in the local mailbox")
        code = code_in(messages[0])
        if not code:
            sys.exit(f"the newest mail to {args.code} holds no code")
        print(code)
        return
    if not messages:
        print("no mail" + (f" to {wanted}" if wanted else "") + " in the local mailbox")
        return
    for number, message in enumerate(messages[: args.limit]):
        print(("\n" if number else "") + "-" * 72)
        print("to:      " + ", ".join(recipients(message)))
        print("from:    " + str(message.get("source", "")))
        print("subject: " + str(message.get("subject", "")))
        print()
        print(text_of(message.get("body", "")))


if __name__ == "__main__":
    main()
