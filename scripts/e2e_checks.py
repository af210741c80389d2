"""Checks for the end-to-end run (scripts/e2e.sh), kept in Python for its JSON handling.

  walkthrough README PORT    run the README's curl walkthrough verbatim and compare answers
  events DIR PORT            replay DIR/*.json with `make invoke`, as DIR/README.md says
  logs LOG README DIR        no password, hash or pepper in the function's log
"""

import json
import os
import re
import subprocess
import sys
import tempfile

WILDCARD = "…"
README_PORT = "127.0.0.1:9000"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def walkthrough_block(readme):
    """The fenced block between the walkthrough markers of the README."""
    text = open(readme, encoding="utf-8").read()
    match = re.search(r"<!-- walkthrough:start -->\s*```sh\n(.*?)```\s*<!-- walkthrough:end -->", text, re.S)
    if not match:
        fail(f"no walkthrough block in {readme}")
    return match.group(1)


def walkthrough_steps(readme):
    """(command, expected status, expected JSON or None) for each curl in the walkthrough."""
    steps, command = [], []
    for line in walkthrough_block(readme).splitlines():
        if command or line.startswith("curl "):
            command.append(line)
            if line.endswith("\\"):
                continue
            steps.append(["\n".join(command), None, None])
            command = []
        elif line.startswith("# → "):
            status, _, body = line[len("# → "):].partition(" ")
            if not steps or steps[-1][1] is not None:
                fail(f"an expectation without a command: {line}")
            steps[-1][1] = int(status)
            steps[-1][2] = json.loads(body) if body else None
    if command or any(status is None for _, status, _ in steps):
        fail("every curl in the walkthrough must be followed by a '# → STATUS [JSON]' line")
    return steps


def matches(expected, actual):
    """Equal JSON, where the string "…" in `expected` stands for any value."""
    if expected == WILDCARD:
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and expected.keys() == actual.keys() and all(
            matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            matches(e, a) for e, a in zip(expected, actual)
        )
    return expected == actual


def check_walkthrough(readme, port):
    steps = walkthrough_steps(readme)
    if len(steps) < 8:
        fail(f"the walkthrough has only {len(steps)} steps")
    with tempfile.NamedTemporaryFile() as body_file:
        for command, status, expected in steps:
            if README_PORT not in command:
                fail(f"the walkthrough must target {README_PORT}: {command}")
            runnable = command.replace(README_PORT, f"127.0.0.1:{port}")
            runnable += f" -o {body_file.name} -w '%{{http_code}}'"
            result = subprocess.run(["bash", "-c", runnable], capture_output=True, text=True)
            body = open(body_file.name, encoding="utf-8").read()
            shown = command.splitlines()[0]
            if result.returncode != 0 or int(result.stdout or 0) != status:
                fail(f"{shown}\n  expected {status}, got {result.stdout!r}: {body} {result.stderr}")
            if expected is not None and not matches(expected, json.loads(body)):
                fail(f"{shown}\n  expected {json.dumps(expected)}\n  got      {body}")
            print(f"  ok {status} {shown}")


def documented_events(directory):
    """(file, status, error code or None) for each row of DIR/README.md's table, in order."""
    rows = []
    for line in open(os.path.join(directory, "README.md"), encoding="utf-8"):
        match = re.match(r"\| `([\w.-]+\.json)` \|[^|]*\| (\d{3})(?:[ ,]+`(\w+)`)?", line)
        if match:
            rows.append((match.group(1), int(match.group(2)), match.group(3)))
    files = sorted(name for name in os.listdir(directory) if name.endswith(".json"))
    if sorted(file for file, _, _ in rows) != files:
        fail(f"{directory}/README.md documents {[r[0] for r in rows]}, the folder holds {files}")
    return rows


def check_events(directory, port):
    for file, status, code in documented_events(directory):
        result = subprocess.run(
            ["make", "-s", "invoke", f"EVENT={os.path.join(directory, file)}", f"API_PORT={port}"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            fail(f"make invoke EVENT={file}: {result.stderr}")
        response = json.loads(result.stdout)
        body = json.loads(response.get("body") or "null")
        if response.get("statusCode") != status or (code and body.get("error") != code):
            fail(f"{file}: expected {status} {code or ''}, got {result.stdout}")
        print(f"  ok {status} {file}")


def passwords(readme, directory):
    found = set(re.findall(r'"password":\s*"([^"]+)"', walkthrough_block(readme)))
    for name in os.listdir(directory):
        if name.endswith(".json"):
            event = json.load(open(os.path.join(directory, name), encoding="utf-8"))
            found.update(re.findall(r'"password":\s*"([^"]+)"', event.get("body") or ""))
    return found


def check_logs(log, readme, directory):
    text = open(log, encoding="utf-8", errors="replace").read()
    secrets = passwords(readme, directory) | {os.environ["PASSWORD_PEPPER"], "$argon2"}
    if len(secrets) < 4:
        fail(f"too few secrets to search for: {secrets}")
    leaked = sorted(secret for secret in secrets if secret in text)
    if leaked:
        fail(f"secrets in the function's log: {leaked}")
    handled = [line for line in text.splitlines() if '"request handled"' in line]
    if len(handled) < 10 or not all('"requestId"' in line for line in handled):
        fail("expected one 'request handled' line per request, each with the Lambda requestId")
    print(f"  ok {len(secrets)} secrets absent from {len(text.splitlines())} log lines; "
          f"{len(handled)} requests logged with their requestId")


if __name__ == "__main__":
    commands = {"walkthrough": check_walkthrough, "events": check_events, "logs": check_logs}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
