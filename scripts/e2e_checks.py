"""Checks for the end-to-end run (scripts/e2e.sh), kept in Python for its JSON handling.

  walkthrough README PORT    run the README's curl walkthrough verbatim and compare answers
  events DIR PORT            replay DIR/*.json with `make invoke`, as DIR/README.md says
  tokens PORT                verify the tokens with PyJWT (not our code) against the served JWKS
  sign-in PORT EMAIL FILE    sign up, activate and sign in EMAIL; write the access token to FILE
  burst PORT [N]             N (64) wrong passwords at once: at most 8 checked, the rest 429
  rotation OLD NEW FILE      after a key rotation: instances started before (OLD) and after (NEW)
                             accept each other's tokens (FILE: a token OLD issued)
  revocation PORT REVOKED KEPT   after a key's revocation and a restart: PORT refuses the token
                             in REVOKED and no longer publishes its key, and accepts KEPT
  me PORT FILE               the access token in FILE reads its account
  docs DOM OPENAPI           the rendered /docs/ page shows every operation of the document
  logs LOG README DIR        no password, hash, pepper or token in the function's log
  oauth-example README DIR PORT CLIENT_ID
                             run the README's openid-client example verbatim (node, from DIR,
                             where the pinned clients are): refreshed, revoked, refused
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

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
        if command or re.match(r"^(\w+=\$\()?curl ", line):
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


# Runs the walkthrough as one bash script, as a reader pasting it into a terminal would (shell
# variables carry tokens from one step to the next). `curl` is wrapped to record each call's
# status and body in order, in files, since calls inside $(…) run in subshells.
CURL_RECORDER = r"""
curl() {
  local n; n=$(cat "$RECORD/count"); echo $((n + 1)) >"$RECORD/count"
  command curl "$@" -o "$RECORD/$n.body" -w '%{http_code}' >"$RECORD/$n.status"
  local rc=$?; cat "$RECORD/$n.body"; return $rc
}
"""


def check_walkthrough(readme, port):
    steps = walkthrough_steps(readme)
    if len(steps) < 8:
        fail(f"the walkthrough has only {len(steps)} steps")
    block = walkthrough_block(readme)
    for command, _, _ in steps:
        if README_PORT not in command:
            fail(f"the walkthrough must target {README_PORT}: {command}")
    with tempfile.TemporaryDirectory() as record:
        open(os.path.join(record, "count"), "w").write("0")
        script = CURL_RECORDER + block.replace(README_PORT, f"127.0.0.1:{port}")
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                                env={**os.environ, "RECORD": record})
        if result.returncode != 0:
            fail(f"the walkthrough failed: {result.stderr}")
        calls = int(open(os.path.join(record, "count")).read())
        if calls != len(steps):
            fail(f"the walkthrough made {calls} calls for {len(steps)} documented steps")
        for n, (command, status, expected) in enumerate(steps):
            got = open(os.path.join(record, f"{n}.status")).read()
            body = open(os.path.join(record, f"{n}.body"), encoding="utf-8").read()
            shown = command.splitlines()[0]
            if int(got or 0) != status:
                fail(f"{shown}\n  expected {status}, got {got!r}: {body}")
            if expected is None and body:
                fail(f"{shown}\n  expected no body, got {body}")
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


# What an access token (a JWT: base64url JSON header and payload) and a refresh token (a UUID, its
# generation and 43 base64url characters, dot-separated) look like, wherever they appear.
TOKEN_PATTERNS = {
    "an access token": re.compile(r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}"),
    "a refresh token": re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.\d+\.[\w-]{43}"),
}


def check_logs(log, readme, directory):
    text = open(log, encoding="utf-8", errors="replace").read()
    secrets = passwords(readme, directory) | {os.environ["E2E_PEPPER"], os.environ["E2E_SESSION_KEY"],
                                               os.environ["E2E_TOTP_KEY"], "$argon2", "PRIVATE KEY"}
    if len(secrets) < 5:
        fail(f"too few secrets to search for: {secrets}")
    leaked = sorted(secret for secret in secrets if secret in text)
    if leaked:
        fail(f"secrets in the function's log: {leaked}")
    for kind, pattern in TOKEN_PATTERNS.items():
        found = pattern.search(text)
        if found:
            fail(f"{kind} in the function's log: {found.group(0)[:20]}…")
    handled = [line for line in text.splitlines() if '"request handled"' in line]
    if len(handled) < 10 or not all('"requestId"' in line for line in handled):
        fail("expected one 'request handled' line per request, each with the Lambda requestId")
    print(f"  ok {len(secrets)} secrets absent from {len(text.splitlines())} log lines; "
          f"{len(handled)} requests logged with their requestId")


# How long one request may take. cargo lambda watch starts an instance (`cargo run`) on the
# first request that finds the others busy: seconds alone, a minute or more on a machine that is
# building something else too. The burst's requests each may meet such a start.
TIMEOUT = 60
COLD_INSTANCE_TIMEOUT = 300


def call(method, url, body=None, token=None, timeout=TIMEOUT):
    """(status, parsed JSON body or None) of one HTTP request."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    return status, (json.loads(text) if text else None)


def expect(what, outcome, status):
    if outcome[0] != status:
        fail(f"{what}: expected {status}, got {outcome}")
    print(f"  ok {status} {what}")
    return outcome[1]


def signed_in(base, email, timeout=TIMEOUT):
    """Signs up, activates and signs in `email`; returns the sign-in body."""
    credentials = {"email": email, "password": "a password for the token checks"}
    call("POST", f"{base}/user/", {"name": "Token", "surname": "Check", **credentials}, timeout=timeout)
    call("POST", f"{base}/user/activate/", credentials, timeout=timeout)
    signed = call("POST", f"{base}/user/signin/", credentials, timeout=timeout)
    return expect(f"sign-in of {email}", signed, 200)


def verified(base, token, jwks_base=None):
    """The claims of `token`, verified by PyJWT with the keys published at `jwks_base` (by
    default, where `base`'s discovery document points), for `base`'s issuer."""
    import jwt  # PyJWT, from the moto venv: an implementation other than the one that signs

    config = call("GET", f"{base}/.well-known/openid-configuration")[1]
    if config["id_token_signing_alg_values_supported"] != ["RS256"]:
        fail(f"unexpected discovery document: {config}")
    jwks_uri = f"{jwks_base}/.well-known/jwks.json" if jwks_base else config["jwks_uri"]
    key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(token)
    return jwt.decode(
        token, key.key, algorithms=["RS256"], audience="user-service", issuer=config["issuer"],
        options={"require": ["iss", "aud", "sub", "exp", "iat", "nbf", "jti"]},
    )


def check_tokens(port):
    import jwt

    base = f"http://127.0.0.1:{port}"
    config = expect("openid-configuration", call("GET", f"{base}/.well-known/openid-configuration"), 200)
    if config["issuer"] != base or config["jwks_uri"] != f"{base}/.well-known/jwks.json":
        fail(f"the issuer is not this service's base URL: {config}")
    body = signed_in(base, "pyjwt@example.com")
    claims = verified(base, body["access_token"])
    expected = {"sub": body["id"], "email": "pyjwt@example.com", "scope": "account"}
    if any(claims.get(name) != value for name, value in expected.items()):
        fail(f"claims {claims} lack {expected}")
    if claims["exp"] - claims["iat"] != body["expires_in"]:
        fail(f"exp - iat is not expires_in: {claims}, {body['expires_in']}")
    header = jwt.get_unverified_header(body["access_token"])
    if header.get("alg") != "RS256" or not header.get("kid"):
        fail(f"unexpected header {header}")
    print("  ok PyJWT verifies the access token against the served JWKS; claims as documented")
    tampered = body["access_token"][:-4] + ("AAAA" if not body["access_token"].endswith("AAAA") else "BBBB")
    try:
        verified(base, tampered)
        fail("PyJWT accepted a tampered token: the check cannot fail")
    except jwt.InvalidSignatureError:
        print("  ok PyJWT refuses the same token with its signature changed")
    pair = expect("refresh", call("POST", f"{base}/user/token/", {"refresh_token": body["refresh_token"]}), 200)
    verified(base, pair["access_token"])
    expect("the spent refresh token", call("POST", f"{base}/user/token/", {"refresh_token": body["refresh_token"]}), 401)
    expect("sign-out", call("POST", f"{base}/user/signout/", {"refresh_token": pair["refresh_token"]}), 204)
    expect("refresh after sign-out", call("POST", f"{base}/user/token/", {"refresh_token": pair["refresh_token"]}), 401)


def check_burst(port, guesses="64"):
    """`guesses` wrong passwords at once against one account, over every route that checks a
    password by credentials (with and without the trailing slash), through however many
    function instances serve PORT: at most 8 are checked (401), the rest are locked out (429)."""
    import concurrent.futures
    base = f"http://127.0.0.1:{port}"
    signed_in(base, "burst@example.com", timeout=COLD_INSTANCE_TIMEOUT)
    routes = ["/user/signin/", "/user/activate", "/user/deactivate/", "/user/signin"]
    def guess(n):
        body = {"email": "burst@example.com", "password": f"wrong guess {n}"}
        return call("POST", f"{base}{routes[n % len(routes)]}", body, timeout=COLD_INSTANCE_TIMEOUT)[0]
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(guesses)) as pool:
        statuses = list(pool.map(guess, range(int(guesses))))
    checked, locked = statuses.count(401), statuses.count(429)
    if checked + locked != len(statuses) or not 1 <= checked <= 8:
        fail(f"{guesses} simultaneous wrong passwords: {checked} checked, {locked} locked out, "
             f"others {sorted(set(statuses) - {401, 429})}")
    print(f"  ok of {guesses} simultaneous wrong passwords, {checked} checked, {locked} locked out")


def check_sign_in(port, email, path):
    body = signed_in(f"http://127.0.0.1:{port}", email)
    open(path, "w", encoding="utf-8").write(body["access_token"])


def check_me(port, path):
    token = open(path, encoding="utf-8").read()
    expect("the stored access token reads its account", call("GET", f"http://127.0.0.1:{port}/user/me/", token=token), 200)


def check_rotation(old_port, new_port, path):
    import jwt

    old, new = f"http://127.0.0.1:{old_port}", f"http://127.0.0.1:{new_port}"
    old_token = open(path, encoding="utf-8").read()
    old_keys = [key["kid"] for key in expect("old JWKS", call("GET", f"{old}/.well-known/jwks.json"), 200)["keys"]]
    new_keys = [key["kid"] for key in expect("new JWKS", call("GET", f"{new}/.well-known/jwks.json"), 200)["keys"]]
    if new_keys[0] != old_keys[1] or new_keys[2] != old_keys[0] or len(new_keys) != 3:
        fail(f"rotation did not move next to current and current to previous: {old_keys} -> {new_keys}")
    new_token = signed_in(new, "rotation@example.com")["access_token"]
    if jwt.get_unverified_header(new_token)["kid"] != new_keys[0]:
        fail("the new instance does not sign with the new current key")
    for base, token, what in [(new, old_token, "an old token at a new instance"),
                              (old, new_token, "a new token at an old instance")]:
        expect(what, call("GET", f"{base}/user/me/", token=token), 200)
        verified(new, token, jwks_base=new)
    print("  ok PyJWT verifies tokens of both keys against the rotated JWKS")


def check_revocation(port, revoked_path, kept_path):
    """After `signing_keys.py revoke` of the key that signed REVOKED and a restart: the instance
    at PORT publishes neither that key nor accepts its token, still accepts KEPT (another key's
    token: nobody else is signed out), and signs new tokens with another key."""
    import jwt

    base = f"http://127.0.0.1:{port}"
    revoked, kept = (open(p, encoding="utf-8").read() for p in (revoked_path, kept_path))
    revoked_kid = jwt.get_unverified_header(revoked)["kid"]
    kids = [key["kid"] for key in expect("JWKS after the revocation", call("GET", f"{base}/.well-known/jwks.json"), 200)["keys"]]
    if revoked_kid in kids or len(kids) != 3:
        fail(f"the revoked key {revoked_kid} is still published, or keys are missing: {kids}")
    expect("a token of the revoked key", call("GET", f"{base}/user/me/", token=revoked), 401)
    expect("a token of a key not revoked", call("GET", f"{base}/user/me/", token=kept), 200)
    fresh = signed_in(base, "after-revocation@example.com")["access_token"]
    if jwt.get_unverified_header(fresh)["kid"] != kids[0]:
        fail("the restarted instance does not sign with the new current key")
    expect("a token signed after the revocation", call("GET", f"{base}/user/me/", token=fresh), 200)
    print("  ok the revoked key is gone from the JWKS and its tokens are refused; others still work")


def rendered_text(dom):
    """The text a reader sees on a rendered page: markup dropped, entities decoded (the viewer
    breaks long words with `<wbr>`, so a summary is not a substring of the markup)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(open(dom, encoding="utf-8").read())
    return "".join(parser.parts)


def check_docs(dom, document):
    """Every operation's summary is on the page the browser rendered (the viewer ran: the page
    as served holds none of them)."""
    text = rendered_text(dom)
    operations = [
        (f"{method.upper()} {path}", operation["summary"])
        for path, item in json.load(open(document, encoding="utf-8"))["paths"].items()
        for method, operation in item.items()
    ]
    missing = [name for name, summary in operations if summary not in text]
    if missing:
        fail(f"/docs/ does not show {missing} (the page is in {dom})")
    # A newcomer meets the operations in the order of a user's journey: by tag, in the order the
    # document lists its tags, and within a tag in the route table's order.
    described = json.load(open(document, encoding="utf-8"))
    tags = [tag["name"] for tag in described["tags"]]
    journey = sorted(
        ((tags.index(operation["tags"][0]), n, operation["summary"])
         for n, item in enumerate(described["paths"].values()) for operation in item.values()),
    )
    shown = sorted(journey, key=lambda entry: text.index(entry[2]))
    if shown != journey:
        fail(f"/docs/ shows {[s for _, _, s in shown]}, not {[s for _, _, s in journey]}")
    print(f"  ok the rendered page shows all {len(operations)} operations, in the journey's order")


def check_oauth_example(readme, directory, port, client_id):
    """The README's openid-client example, verbatim, against the function: it refreshes a
    signed-in account's token, revokes the new one and sees it refused."""
    text = open(readme, encoding="utf-8").read()
    match = re.search(r"<!-- oauth-example -->\s*```js\n(.*?)```", text, re.S)
    if not match:
        fail(f"no openid-client example in {readme}")
    script = os.path.join(directory, "readme_example.mjs")
    with open(script, "w", encoding="utf-8") as file:
        file.write(match.group(1))
    base = f"http://127.0.0.1:{port}"
    first = signed_in(base, "oauth-example@example.com")["refresh_token"]
    environment = {**os.environ, "ISSUER": base, "CLIENT_ID": client_id, "REFRESH_TOKEN": first}
    ran = subprocess.run(["node", script], env=environment, capture_output=True, text=True,
                         timeout=120)
    if ran.returncode != 0:
        fail(f"the README's openid-client example failed:\n{ran.stdout}{ran.stderr}")
    print("".join(f"  | {line}\n" for line in ran.stdout.splitlines()), end="")
    if not ran.stdout.rstrip().endswith("refused with invalid_grant"):
        fail("the example's revoked refresh token was not refused with invalid_grant")
    expect("the example's first token, spent by its refresh",
           call("POST", f"{base}/user/token/", {"refresh_token": first}), 401)

if __name__ == "__main__":
    commands = {
        "docs": check_docs,
        "walkthrough": check_walkthrough, "events": check_events, "logs": check_logs,
        "tokens": check_tokens, "sign-in": check_sign_in, "me": check_me,
        "rotation": check_rotation, "burst": check_burst, "revocation": check_revocation,
        "oauth-example": check_oauth_example,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
