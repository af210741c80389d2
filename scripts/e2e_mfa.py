"""The end-to-end check of the second factor (scripts/e2e.sh runs it against its function, after
the README walkthrough), with pyotp as the authenticator app:

  e2e_mfa.py PORT TABLE [LOG]

Two fresh accounts. A enrols (its otpauth:// URI read by pyotp.parse_uri), confirms (every
other session ends) and signs in with a code: sign-in answers only the mfa_token, the second
step the account and tokens whose `amr` is ["pwd", "otp"] (PyJWT, against the JWKS), kept
through a refresh. A code is accepted once, an mfa_token once and for five tries, a recovery
code once; wrong codes lock the account as wrong passwords do (429 with Retry-After, waited
out); disabling takes the password and a code, and then sign-in is one step again. B is refused
an enrolment before its address is verified, is deactivated and activated again with a code and
a recovery code (without one: 400 naming `code`), replaces its recovery codes, then loses every
factor: the operator's update in docs/deploy.md, run here with boto3 exactly as written there,
turns its TOTP off, ends its sessions and voids its pending sign-in. LOG, the function's log,
must hold none of the secrets, recovery codes, mfa_tokens and passwords it was sent.

A code is accepted once, for its 30-second step or one either side, and only for a step after
the last one accepted: `App.code` takes the step after the last one used, and waits for the
clock only when that step is two ahead of now. A needs three steps (one wait, under 30 s), B two
(none). MOTO_PORT: the moto whose mailbox holds the verification codes (e2e.sh exports it).
"""

import base64
import json
import os
import re
import shlex
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyotp

import mail
from e2e_checks import TIMEOUT, call, expect, fail, verified

STEP = 30
PASSWORD = "a password for the second factor"
ISSUER = os.environ.get("TOTP_ISSUER", "user-service")
MFA_REQUIRED_KEYS = {"mfa_required", "mfa_token", "methods", "expires_in"}
PAIR_KEYS = {"access_token", "token_type", "expires_in", "refresh_token"}
DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "deploy.md")
slept = []  # every wait, in seconds
seen = set()  # what must never be logged: the TOTP secrets and URIs, the recovery codes
tokens = set()  # the mfa_tokens, whose secret part must not be logged either


def pause(seconds, why):
    seconds = max(seconds, 0.0)
    print(f"  .. {seconds:.1f} s for {why}")
    time.sleep(seconds)
    slept.append(seconds)


def answered(method, url, body=None):
    """(status, JSON body, Retry-After or None): `call`, with the header a 429 carries."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status, headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, text = error.code, error.headers, error.read()
    return status, (json.loads(text) if text else None), headers.get("Retry-After")


def refused(what, outcome, status, error):
    """`expect` for a refusal: the status and the error code."""
    body = expect(what, outcome, status)
    if not body or body.get("error") != error:
        fail(f"{what}: expected {status} {error}, got {body}")
    return body


def names_code(what, outcome):
    body = refused(what, outcome, 400, "ValidationError")
    if "code" not in body["detail"]:
        fail(f"{what}: the 400 does not name `code`: {body}")


class App:
    """The owner's authenticator app: the secret read from the URI, and the last step used."""

    def __init__(self, uri):
        self.totp = pyotp.parse_uri(uri)
        self.last = 0
        self.used = None  # the last code given out

    def now(self):
        """What the app shows now (`totp.now()`), its step counted as used."""
        self.used = self.totp.now()
        # Read after the code: should a step begin in between, `last` is the later one, which
        # the next code skips, never the earlier, which the next code would repeat.
        self.last = int(time.time()) // STEP
        return self.used

    def code(self):
        """A code of the step after the last one used that the function accepts now (its own
        step or one either side of now), waiting for the next step if that one is two ahead."""
        while True:
            now = time.time()
            current = int(now) // STEP
            step = max(self.last + 1, current)
            if step <= current + 1:
                self.last, self.used = step, self.totp.at(step * STEP)
                return self.used
            pause(self.last * STEP - now + 0.2, "the next TOTP step (each code is accepted once)")

    def spent(self):
        """The last code given out: accepted once already."""
        return self.used

    def wrong(self):
        """Six digits that are no code of this secret for two steps either side of now."""
        near = {self.totp.at(time.time() + d * STEP) for d in range(-2, 3)}
        return next(code for code in ("000000", "999999", "123456", "654321") if code not in near)


class Account:
    def __init__(self, base, label):
        self.base = base
        # A fresh address each run ('+' and '@', percent-encoded in the otpauth label).
        self.email = f"{label}+{int(time.time())}-{os.getpid()}@example.com"
        self.credentials = {"email": self.email, "password": PASSWORD}
        self.app = None
        self.recovery = []

    def post(self, path, body, token=None):
        return call("POST", f"{self.base}{path}", body, token=token)

    def me(self, token):
        return expect(f"GET /user/me/ ({self.email})", call("GET", f"{self.base}/user/me/", token=token), 200)

    def sign_up(self):
        body = {"name": "Second", "surname": "Factor", **self.credentials}
        expect(f"sign-up of {self.email}", self.post("/user/", body), 200)

    def verify(self):
        code = None
        for _ in range(50):  # the mail is sent before sign-up answers; moto shows it at once
            code = mail.newest_codes(mail.mailbox(os.environ["MOTO_PORT"])).get(mail.canonical(self.email))
            if code:
                break
            time.sleep(0.1)
        if not code:
            fail(f"no verification code mailed to {self.email}")
        body = expect("verification with the mailed code", self.post("/user/verify/", {"email": self.email, "code": code}), 200)
        if body["email_verified"] is not True:
            fail(f"not verified: {body}")

    def activate(self, **second_factor):
        return self.post("/user/activate/", {**self.credentials, **second_factor})

    def sign_in(self):
        return self.post("/user/signin/", self.credentials)

    def mfa_token(self):
        """A sign-in's mfa_token; its answer holds nothing else."""
        body = expect("sign-in with the right password", self.sign_in(), 200)
        if set(body) != MFA_REQUIRED_KEYS or body["mfa_required"] is not True \
                or body["methods"] != ["totp", "recovery_code"] or body["expires_in"] != 300:
            fail(f"sign-in of an account with TOTP answered more or other than the mfa_token: {body}")
        tokens.add(body["mfa_token"])
        return body["mfa_token"]

    def second_step(self, token, **proof):
        return self.post("/user/signin/mfa/", {"mfa_token": token, **proof})

    def enrol(self, access):
        """Enrols, checks the URI as pyotp reads it, and confirms with what the app shows now."""
        refused("enrolment with a wrong password", self.post("/user/mfa/totp/", {"password": "not the password"}, access), 401, "InvalidCredentials")
        enrolment = expect("enrolment", self.post("/user/mfa/totp/", {"password": PASSWORD}, access), 200)
        if set(enrolment) != {"secret", "otpauth_uri"}:
            fail(f"unexpected enrolment: {enrolment}")
        secret, uri = enrolment["secret"], enrolment["otpauth_uri"]
        seen.update([secret, uri])
        label = f"{urllib.parse.quote(ISSUER, safe='')}:{urllib.parse.quote(self.email, safe='')}"
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)
        wanted = {"secret": [secret], "issuer": [ISSUER], "algorithm": ["SHA1"], "digits": ["6"], "period": ["30"]}
        if not uri.startswith(f"otpauth://totp/{label}?") or query != wanted:
            fail(f"unexpected otpauth URI {uri}: label {label} and {wanted} expected")
        self.app = App(uri)
        totp = self.app.totp
        read = (type(totp), totp.secret, totp.issuer, totp.name, totp.digits, totp.interval, totp.digest().name)
        if read != (pyotp.TOTP, secret, ISSUER, self.email, 6, 30, "sha1"):
            fail(f"pyotp.parse_uri reads {read} from {uri}")
        print(f"  ok pyotp.parse_uri reads the URI: TOTP, issuer {ISSUER}, name {self.email}, 6 digits, 30 s, SHA-1")
        refused("confirmation with a wrong code", self.post("/user/mfa/totp/confirm/", {"code": self.app.wrong()}, access), 401, "InvalidCredentials")
        confirmed = expect("confirmation with totp.now()", self.post("/user/mfa/totp/confirm/", {"code": self.app.now()}, access), 200)
        codes = confirmed["recovery_codes"]
        if set(confirmed) != {"recovery_codes"} | PAIR_KEYS or len(codes) != 10 or len(set(codes)) != 10 \
                or not all(re.fullmatch(r"[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){2}", c) for c in codes):
            fail(f"unexpected confirmation: {confirmed}")
        self.recovery = list(codes)
        seen.update(codes + [c.replace("-", "") for c in codes])
        return confirmed

    def signed_in_with_mfa(self, **proof):
        body = expect("the second step", self.second_step(self.mfa_token(), **proof), 200)
        return body


def check_a(base):
    """A: enrolment, sign-in with a code, replays, recovery codes, the lockout; returns A, an
    early session and a current one, for `finish_a`, which runs after B: B's work passes the
    time until A's third code."""
    a = Account(base, "mfa-a")
    print(f"A = {a.email}")
    a.sign_up()
    a.verify()
    expect("activation", a.activate(), 200)
    before = expect("sign-in before TOTP", a.sign_in(), 200)
    if before["mfa"] != {"totp": False, "recovery_codes_left": 0}:
        fail(f"an account without TOTP reads {before['mfa']}")
    confirmed = a.enrol(before["access_token"])
    if verified(base, confirmed["access_token"]).get("amr") != ["pwd", "otp"]:
        fail("the confirmation's access token lacks amr [pwd, otp]")
    refused("the refresh token of the session before the confirmation", call("POST", f"{base}/user/token/", {"refresh_token": before["refresh_token"]}), 401, "InvalidToken")
    refused("the access token of the session before the confirmation", call("GET", f"{base}/user/me/", token=before["access_token"]), 401, "InvalidToken")
    expect("the confirmation's refresh token", call("POST", f"{base}/user/token/", {"refresh_token": confirmed["refresh_token"]}), 200)

    token = a.mfa_token()
    refused("the second step with a wrong code", a.second_step(token, code=a.app.wrong()), 401, "InvalidCredentials")
    refused("the second step with the confirmation's code (spent)", a.second_step(token, code=a.app.spent()), 401, "InvalidCredentials")
    names_code("the second step without a code", a.second_step(token))
    refused("the second step with a code and a recovery code", a.second_step(token, code=a.app.wrong(), recovery_code=a.recovery[0]), 400, "ValidationError")
    signed = expect("the second step with the app's next code", a.second_step(token, code=a.app.code()), 200)
    if set(signed) != set(before) or signed["email"] != a.email or signed["mfa"] != {"totp": True, "recovery_codes_left": 10}:
        fail(f"the second step does not answer what sign-in answers without MFA: {signed} against {before}")
    claims = verified(base, signed["access_token"])
    if claims.get("amr") != ["pwd", "otp"] or claims["sub"] != signed["id"]:
        fail(f"the access token of a sign-in with a code: {claims}")
    refreshed = expect("refresh", call("POST", f"{base}/user/token/", {"refresh_token": signed["refresh_token"]}), 200)
    if verified(base, refreshed["access_token"]).get("amr") != ["pwd", "otp"]:
        fail("a refresh lost the amr of the sign-in")
    print("  ok PyJWT verifies amr [pwd, otp] on the second step's token and on its refresh")
    refused("the spent mfa_token", a.second_step(token, code=a.app.wrong()), 401, "InvalidToken")
    forged = token.split(".")[0] + "." + base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    refused("an mfa_token naming the account that sign-in never issued", a.second_step(forged, code=a.app.wrong()), 401, "InvalidToken")

    token = a.mfa_token()
    refused("the same code again, with a fresh mfa_token", a.second_step(token, code=a.app.spent()), 401, "InvalidCredentials")
    first = a.recovery.pop(0)
    expect("the second step with a recovery code", a.second_step(token, recovery_code=first), 200)
    token = a.mfa_token()
    refused("the same recovery code again", a.second_step(token, recovery_code=first), 401, "InvalidCredentials")
    me = a.me(refreshed["access_token"])
    if me["mfa"] != {"totp": True, "recovery_codes_left": 9}:
        fail(f"after one recovery code: {me['mfa']}")
    print("  ok GET /user/me/ shows 9 recovery codes left")

    # The lockout. Its count now: the sign-in and the wrong recovery code just above (each
    # right password of an account with TOTP counts, only a passed second factor clears). So
    # three wrong codes reach the five free failures, and the next request meets the lock (1 s;
    # 2 s should a second begin in between, the try counted). Then the mfa_token wears out at
    # its fifth try, and a right password may meet the lock too; each lock is waited out as
    # Retry-After says, until a recovery code passes and clears the count.
    count, tries, worn, trace, locks = 2, 1, False, [], []
    for _ in range(20):
        if token is None:
            status, body, retry = answered("POST", f"{base}/user/signin/", a.credentials)
            if status == 200:
                token, tries, count = body["mfa_token"], 0, count + 1
                tokens.add(token)
                trace.append("sign-in 200")
                continue
        elif not worn:
            status, body, retry = answered("POST", f"{base}/user/signin/mfa/", {"mfa_token": token, "code": a.app.wrong()})
            if status == 401 and body["error"] == "InvalidCredentials":
                tries, count = tries + 1, count + 1
                trace.append("wrong code 401")
                continue
            if status == 401 and body["error"] == "InvalidToken":
                if tries != 5:
                    fail(f"the mfa_token wore out after {tries} tries, not 5: {trace}")
                token, worn = None, True
                trace.append("worn-out mfa_token 401")
                continue
        else:
            status, body, retry = answered("POST", f"{base}/user/signin/mfa/", {"mfa_token": token, "recovery_code": a.recovery[0]})
            if status == 200:
                a.recovery.pop(0)
                trace.append("recovery code 200")
                break
        if status != 429 or body["error"] != "TooManyAttempts" or not (retry or "").isdigit():
            fail(f"expected 401 or 429 TooManyAttempts with Retry-After, got {status} {body} (Retry-After {retry}) after {trace}")
        if count < 5 or not 1 <= int(retry) <= 16:
            fail(f"locked after {count} failures for {retry} s: five are free, then 1 s doubling")
        trace.append(f"429 Retry-After {retry}")
        locks.append(int(retry))
        pause(int(retry), "the lock (Retry-After)")
    else:
        fail(f"the lockout never ended in a passed recovery code: {trace}")
    if not locks or not worn:
        fail(f"no lock, or the mfa_token never wore out: {trace}")
    print(f"  ok wrong codes lock the account, a recovery code clears it: {', '.join(trace)}")
    if a.me(refreshed["access_token"])["mfa"]["recovery_codes_left"] != 8:
        fail("the recovery code that cleared the lock was not spent")
    # Cleared: a sign-in and its second step right away meet no lock.
    pair = expect("a sign-in right after", a.second_step(a.mfa_token(), recovery_code=a.recovery.pop(0)), 200)
    return a, refreshed, pair


def finish_a(a, refreshed, pair):
    """A disables TOTP with its password and a code; sign-in is one step again."""
    base = a.base
    access = pair["access_token"]
    names_code("disabling without a code", a.post("/user/mfa/totp/disable/", {"password": PASSWORD}, access))
    refused("disabling with a wrong code", a.post("/user/mfa/totp/disable/", {"password": PASSWORD, "code": a.app.wrong()}, access), 401, "InvalidCredentials")
    refused("disabling with a wrong password", a.post("/user/mfa/totp/disable/", {"password": "not the password", "code": a.app.wrong()}, access), 401, "InvalidCredentials")
    disabled = expect("disabling with the password and a code", a.post("/user/mfa/totp/disable/", {"password": PASSWORD, "code": a.app.code()}, access), 200)
    if set(disabled) != PAIR_KEYS:
        fail(f"disabling answers a token pair: {disabled}")
    refused("a session from before the disabling", call("POST", f"{base}/user/token/", {"refresh_token": refreshed["refresh_token"]}), 401, "InvalidToken")
    body = expect("sign-in after disabling", a.sign_in(), 200)
    if "access_token" not in body or body["mfa"] != {"totp": False, "recovery_codes_left": 0}:
        fail(f"sign-in after disabling TOTP did not complete in one step: {body}")
    if verified(base, body["access_token"]).get("amr") != ["pwd"]:
        fail("a sign-in without a second factor claims more than amr [pwd]")
    print("  ok after disabling, sign-in completes with the password alone (amr [pwd])")


def check_b(base, table):
    """B: enrolment before verification, deactivation and activation with a second factor,
    new recovery codes, and the operator's reset of an account that lost every factor."""
    b = Account(base, "mfa-b")
    print(f"B = {b.email}")
    b.sign_up()
    status, body = b.activate()
    if status == 200:  # REQUIRE_VERIFIED_EMAIL is off: an unverified account can sign in
        token = expect("sign-in before verification", b.sign_in(), 200)["access_token"]
        refused("enrolment before the address is verified", b.post("/user/mfa/totp/", {"password": PASSWORD}, token), 400, "EmailNotVerified")
    b.verify()
    expect("activation", b.activate(), 200)
    confirmed = b.enrol(expect("sign-in", b.sign_in(), 200)["access_token"])
    refused("a second enrolment", b.post("/user/mfa/totp/", {"password": PASSWORD}, confirmed["access_token"]), 409, "MfaAlreadyEnabled")

    names_code("deactivation without a code", b.post("/user/deactivate/", b.credentials))
    refused("deactivation with a wrong code", b.post("/user/deactivate/", {**b.credentials, "code": b.app.wrong()}), 401, "InvalidCredentials")
    body = expect("deactivation with a code", b.post("/user/deactivate/", {**b.credentials, "code": b.app.code()}), 200)
    if body["active"] is not False:
        fail(f"deactivation with a code left the account active: {body}")
    refused("a session from before the deactivation", call("POST", f"{base}/user/token/", {"refresh_token": confirmed["refresh_token"]}), 401, "InvalidToken")
    refused("sign-in while inactive", b.sign_in(), 400, "UserInactive")
    names_code("activation without a code", b.activate())
    refused("activation with a wrong recovery code", b.activate(recovery_code="0000-0000-0000"), 401, "InvalidCredentials")
    if expect("activation with a recovery code", b.activate(recovery_code=b.recovery.pop(0)), 200)["active"] is not True:
        fail("activation with a recovery code left the account inactive")

    signed = b.signed_in_with_mfa(recovery_code=b.recovery.pop(0))
    old = b.recovery
    replaced = expect("new recovery codes", b.post("/user/mfa/recovery-codes/", {"password": PASSWORD}, signed["access_token"]), 200)
    if set(replaced) != {"recovery_codes"} | PAIR_KEYS or len(replaced["recovery_codes"]) != 10 or set(old) & set(replaced["recovery_codes"]):
        fail(f"unexpected new recovery codes: {replaced}")
    b.recovery = list(replaced["recovery_codes"])
    seen.update(b.recovery)
    refused("a session from before the new codes", call("POST", f"{base}/user/token/", {"refresh_token": signed["refresh_token"]}), 401, "InvalidToken")
    refused("an old recovery code", b.second_step(b.mfa_token(), recovery_code=old[0]), 401, "InvalidCredentials")
    signed = b.signed_in_with_mfa(recovery_code=b.recovery.pop(0))
    if signed["mfa"] != {"totp": True, "recovery_codes_left": 9}:
        fail(f"after new codes and one of them used: {signed['mfa']}")
    print("  ok B: deactivated with a code, activated with a recovery code, codes replaced")

    # B has lost its phone and its codes: the operator's procedure, as docs/deploy.md writes it.
    pending = b.mfa_token()
    reset_by_operator(table, b.email)
    refused("a session from before the operator's reset", call("POST", f"{base}/user/token/", {"refresh_token": signed["refresh_token"]}), 401, "InvalidToken")
    refused("an mfa_token issued before the operator's reset", b.second_step(pending, code=b.app.wrong()), 401, "InvalidToken")
    body = expect("sign-in after the operator's reset", b.sign_in(), 200)
    if "access_token" not in body or body["mfa"] != {"totp": False, "recovery_codes_left": 0}:
        fail(f"sign-in after the operator's reset: {body}")
    again = expect("enrolment after the operator's reset", b.post("/user/mfa/totp/", {"password": PASSWORD}, body["access_token"]), 200)
    seen.add(again["secret"])
    print("  ok the operator's update turns TOTP off, ends the sessions and voids the pending sign-in")


def documented_reset():
    """The arguments of the `aws dynamodb update-item` in docs/deploy.md's lost-factors block."""
    text = open(DOCS, encoding="utf-8").read()
    match = re.search(r"<!-- lost-factors -->\s*```sh\n(.*?)```", text, re.S)
    if not match:
        fail(f"no lost-factors block in {DOCS}")
    command = shlex.split(match.group(1).replace("\\\n", " "), comments=True)
    start = command.index("update-item")
    if command[start - 2:start] != ["aws", "dynamodb"]:
        fail(f"not an aws dynamodb update-item: {command}")
    options = dict(zip(command[start + 1::2], command[start + 2::2]))
    return options


def reset_by_operator(table, email):
    import boto3

    options = documented_reset()
    key = json.loads(options["--key"])
    if list(key) != ["pk"] or not key["pk"]["S"].startswith("EMAIL#"):
        fail(f"the documented key is not an e-mail item's: {key}")
    dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    arguments = dict(
        TableName=table,
        UpdateExpression=options["--update-expression"],
        ConditionExpression=options["--condition-expression"],
        ExpressionAttributeValues=json.loads(options["--expression-attribute-values"]),
    )
    try:
        dynamodb.update_item(Key={"pk": {"S": "EMAIL#nobody-at-all@example.com"}}, **arguments)
        fail("the documented update wrote an item for an address no account has")
    except dynamodb.exceptions.ConditionalCheckFailedException:
        print("  ok the documented update refuses an address no account has")
    before = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"EMAIL#{email}"}})["Item"]
    dynamodb.update_item(Key={"pk": {"S": f"EMAIL#{email}"}}, **arguments)
    after = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"EMAIL#{email}"}})["Item"]
    gone = {"totp_secret", "totp_pending", "recovery_codes"} & set(after)
    if gone or int(after["version"]["N"]) != int(before["version"]["N"]) + 1 \
            or int(after["session_epoch"]["N"]) != int(before["session_epoch"]["N"]) + 1:
        fail(f"the documented update left {gone}, or did not add one to version and session_epoch")
    print("  ok the documented update (docs/deploy.md) ran: TOTP and recovery codes removed")


def check_log(log):
    text = open(log, encoding="utf-8", errors="replace").read()
    secrets = seen | tokens | {token.split(".")[1] for token in tokens} | {PASSWORD}
    leaked = [secret for secret in secrets if secret in text]
    if len(secrets) < 40 or leaked:
        fail(f"{len(leaked)} of {len(secrets)} secrets, recovery codes and mfa_tokens are in the function's log")
    print(f"  ok none of {len(secrets)} TOTP secrets, recovery codes and mfa_tokens in the function's log")


def main(port, table, log=None):
    started = time.time()
    base = f"http://127.0.0.1:{port}"
    a, refreshed, pair = check_a(base)
    check_b(base, table)
    finish_a(a, refreshed, pair)
    if log:
        check_log(log)
    print(f"  ok the second factor end to end in {time.time() - started:.0f} s, {sum(slept):.0f} s of it waiting")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        fail(__doc__)
    main(*sys.argv[1:])
