"""The scenarios `make bench` runs, each against fresh processes of a function binary through the
loopback Runtime API (runtime_api.py). Times inside the function are the `elapsed_ms` of its
request log lines; init is measured from exec to the runtime's first poll for an event.
"""

import concurrent.futures
import json
import os
import statistics
import sys
import time
import urllib.parse
import uuid

import pyotp  # codes for the second factor (pinned in moto's venv, which runs the bench)

from runtime_api import Function

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import mail  # noqa: E402  scripts/mail.py: the local mailbox moto's SES keeps

PASSWORD = "bench password 1234"
# One mail per address and purpose a minute (the send limit), counted from the sign-up's mail.
SEND_INTERVAL_S = 60


def event(method, path, body=None, token=None):
    """An API Gateway HTTP API (payload 2.0) event, as the function receives it."""
    headers = {"content-type": "application/json", "host": "bench.execute-api.eu-west-1.amazonaws.com"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    route = f"{method} {path}"
    return {
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": "", "headers": headers,
        "requestContext": {
            "accountId": "123456789012", "apiId": "bench", "domainName": headers["host"],
            "domainPrefix": "bench", "requestId": str(uuid.uuid4()), "routeKey": route, "stage": "$default",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "bench"},
            "time": "23/Nov/2026:00:00:00 +0000", "timeEpoch": int(time.time() * 1000),
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(samples):
    return {"p50": percentile(samples, 50), "p99": percentile(samples, 99), "n": len(samples)}


def expect(function, request, status):
    got, body = function.invoke(request)
    if got != status:
        raise RuntimeError(f"{request['routeKey']}: expected {status}, got {got} {body}")
    return body


class Accounts:
    """The account operations, each a function of one e-mail address."""

    def __init__(self, function):
        self.function = function

    def sign_up(self, email):
        body = {"name": "Bench", "surname": "Mark", "email": email, "password": PASSWORD}
        return expect(self.function, event("POST", "/user/", body), 200)

    def activate(self, email):
        return expect(self.function, event("POST", "/user/activate/", {"email": email, "password": PASSWORD}), 200)

    def sign_in(self, email):
        return expect(self.function, event("POST", "/user/signin/", {"email": email, "password": PASSWORD}), 200)

    def refresh(self, refresh_token):
        return expect(self.function, event("POST", "/user/token/", {"refresh_token": refresh_token}), 200)

    def me(self, token):
        return expect(self.function, event("GET", "/user/me/", token=token), 200)

    def sign_out(self, refresh_token):
        return expect(self.function, event("POST", "/user/signout/", {"refresh_token": refresh_token}), 204)

    def jwks(self, _):
        return expect(self.function, event("GET", "/.well-known/jwks.json"), 200)

    def verify(self, email, code):
        return expect(self.function, event("POST", "/user/verify/", {"email": email, "code": code}), 200)

    def resend(self, email):
        return expect(self.function, event("POST", "/user/verify/resend/", {"email": email}), 202)

    def update_me(self, token, name):
        return expect(self.function, event("PATCH", "/user/me/", {"name": name}, token=token), 200)

    def forgot(self, email):
        return expect(self.function, event("POST", "/user/password/forgot/", {"email": email}), 202)

    def reset(self, email, code):
        body = {"email": email, "code": code, "new_password": PASSWORD}
        return expect(self.function, event("POST", "/user/password/reset/", body), 204)

    def change_email(self, token, new_email):
        body = {"password": PASSWORD, "new_email": new_email}
        return expect(self.function, event("POST", "/user/email/", body, token=token), 202)

    def confirm_email(self, token, code):
        return expect(self.function, event("POST", "/user/email/confirm/", {"code": code}, token=token), 200)

    def enrol_totp(self, token):
        return expect(self.function, event("POST", "/user/mfa/totp/", {"password": PASSWORD}, token=token), 200)

    def confirm_totp(self, token, code):
        return expect(self.function, event("POST", "/user/mfa/totp/confirm/", {"code": code}, token=token), 200)

    def sign_in_mfa(self, mfa_token, code):
        body = {"mfa_token": mfa_token, "code": code}
        return expect(self.function, event("POST", "/user/signin/mfa/", body), 200)


def codes_sent():
    """{address: its newest code} in the mailbox of the moto whose SES the bench set up
    (AWS_ENDPOINT_URL_SESV2), read once for a whole batch."""
    port = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL_SESV2"]).port
    return mail.newest_codes(mail.mailbox(port))


def code_for(codes, email):
    code = codes.get(mail.canonical(email))
    if not code:
        raise RuntimeError(f"no code was mailed to {email} (is the sender verified in moto's SES?)")
    return code


def emails(n, tag):
    return [f"bench-{tag}-{i}-{uuid.uuid4().hex[:8]}@example.com" for i in range(n)]


def timed(function, calls):
    """In-function milliseconds and CPU milliseconds per call of running `calls` one by one."""
    before = function.request_count()
    cpu = function.cpu_seconds()
    results = [call() for call in calls]
    times = function.request_times(before, before + len(calls))
    return results, times, (function.cpu_seconds() - cpu) * 1000 / len(calls)


def service_cold(binary, env, token, runs):
    """Init and first invocation (GET /user/me/ with a token) of `runs` fresh processes."""
    init, first = [], []
    for _ in range(runs):
        with Function(binary, env) as function:
            init.append(function.init_ms())
            Accounts(function).me(token)
            first.extend(function.request_times(0, 1))
    return {"init_ms": init, "first_me_ms": first}


def hello_cold(binary, runs):
    init, first = [], []
    for _ in range(runs):
        with Function(binary, {}) as function:
            init.append(function.init_ms())
            expect(function, event("GET", "/"), 200)
            first.extend(function.request_times(0, 1))
    return {"init_ms": init, "first_ms": first}


def service_warm(binary, env, n):
    """One instance: n of each operation after a warm-up; per operation the in-function times
    and CPU per call, and the instance's peak RSS through it all (sign-ups, sign-ins, resets
    and e-mail changes at the configured Argon2 cost). The mail operations send through moto's
    SES (each send is part of the request), and their codes are read from its mailbox between
    batches. Each address gets one mail of each purpose, within the send limits. Not measured
    here: resending a verification code, which the send limit allows only a minute after the
    sign-up's mail (its calls are counted by calls_per_operation)."""
    with Function(binary, env) as function:
        accounts = Accounts(function)
        for email in emails(20, "warmup"):  # DynamoDB Local's JIT, the SDK's connection pools
            accounts.sign_up(email)
            accounts.activate(email)
            accounts.me(accounts.sign_in(email)["access_token"])
        addresses = emails(n, "warm")
        operations, cpu = {}, {}

        def run(name, calls):
            results, operations[name], cpu[name] = timed(function, calls)
            return results

        run("sign_up", [lambda e=e: accounts.sign_up(e) for e in addresses])
        codes = codes_sent()
        run("verify", [lambda e=e: accounts.verify(e, code_for(codes, e)) for e in addresses])
        run("activate", [lambda e=e: accounts.activate(e) for e in addresses])
        pairs = run("sign_in", [lambda e=e: accounts.sign_in(e) for e in addresses])
        fresh = run("refresh", [lambda p=p: accounts.refresh(p["refresh_token"]) for p in pairs])
        run("me", [lambda p=p: accounts.me(p["access_token"]) for p in fresh])
        run("update_me", [lambda p=p: accounts.update_me(p["access_token"], "Renamed") for p in fresh])
        run("jwks", [lambda: accounts.jwks(None)] * n)
        run("sign_out", [lambda p=p: accounts.sign_out(p["refresh_token"]) for p in fresh])
        run("forgot", [lambda e=e: accounts.forgot(e) for e in addresses])
        codes = codes_sent()
        run("reset", [lambda e=e: accounts.reset(e, code_for(codes, e)) for e in addresses])
        # The reset ended every session: new ones for the e-mail change (not timed again).
        tokens = [accounts.sign_in(e)["access_token"] for e in addresses]
        moved = emails(n, "moved")
        run("change_email", [lambda t=t, m=m: accounts.change_email(t, m) for t, m in zip(tokens, moved)])
        codes = codes_sent()
        run("confirm_email", [lambda t=t, m=m: accounts.confirm_email(t, code_for(codes, m)) for t, m in zip(tokens, moved)])
        return {
            "operations": {name: {**summary(times), "cpu_ms": cpu[name], "samples": times} for name, times in operations.items()},
            "peak_rss_mib": function.peak_rss_mib(),
            # The accounts now live at their new addresses, with PASSWORD (the reset set it again).
            "accounts": moved,
            # The move ended every session: a token of a new one, for the cold starts.
            "token": accounts.sign_in(moved[0])["access_token"],
        }


def existence_timing(binary, env, known, n):
    """With PREVENT_USER_EXISTENCE_ERRORS=true: the in-function time of a wrong password for a
    known address and of any password for an unknown one, n of each, interleaved (each address
    tried once, so no lockout), both answered 401. The two should not be told apart."""
    def wrong(function, email):
        body = {"email": email, "password": "not the password"}
        return expect(function, event("POST", "/user/signin/", body), 401)
    with Function(binary, {**env, "PREVENT_USER_EXISTENCE_ERRORS": "true"}) as function:
        for email in emails(10, "existence-warmup"):
            wrong(function, email)
        calls = []
        for account, stranger in zip(known[:n], emails(n, "nobody")):
            calls += [lambda a=account: wrong(function, a), lambda s=stranger: wrong(function, s)]
        _, times, _ = timed(function, calls)
        return {"known": summary(times[0::2]), "unknown": summary(times[1::2])}


def service_idle_rss(binary, env, token, n):
    """Peak RSS of an instance that only serves requests that hash nothing."""
    with Function(binary, env) as function:
        accounts = Accounts(function)
        for _ in range(n):
            accounts.me(token)
            accounts.jwks(None)
        return function.peak_rss_mib()


def hello_warm(binary, n):
    with Function(binary, {}) as function:
        function.init_ms()
        _, times, cpu = timed(function, [lambda: expect(function, event("GET", "/"), 200)] * n)
        return {**summary(times), "cpu_ms": cpu, "samples": times, "peak_rss_mib": function.peak_rss_mib()}


def many_in_flight(binary, env, calls, in_flight):
    """`calls` run `in_flight` at a time against one instance allowed that many at once (Lambda
    Managed Instances): throughput, in-function times and peak RSS."""
    with Function(binary, {**env, "AWS_LAMBDA_MAX_CONCURRENCY": str(in_flight)}) as function:
        function.init_ms()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(in_flight) as pool:
            list(pool.map(lambda call: call(function), calls))
        wall = time.perf_counter() - started
        times = function.request_times(0, len(calls))
        return {"per_second": len(calls) / wall, **summary(times), "peak_rss_mib": function.peak_rss_mib()}


def calls_per_operation(binary, env, proxy, ses_proxy):
    """DynamoDB and SES calls each operation makes, counted by the proxies the instance talks
    through (DynamoDB Local's and moto's SES). The e-mail operations use the codes moto's
    mailbox received. Resending a verification code to an unverified account waits out the
    minute the send limit puts after the sign-up's mail (of an account signed up first)."""
    env = {**env, "AWS_ENDPOINT_URL_DYNAMODB": proxy.url, "AWS_ENDPOINT_URL_SESV2": ses_proxy.url}
    with Function(binary, env) as function:
        accounts = Accounts(function)
        function.init_ms()
        counts = {}

        def count(name, step):
            result = step()
            counts[name] = {**proxy.take(), "ses": ses_proxy.take()["calls"]}
            return result

        count("init", lambda: None)
        email, unverified, moved, nobody = emails(4, "calls")
        accounts.sign_up(unverified)
        resend_after = time.monotonic() + SEND_INTERVAL_S + 2
        proxy.take(), ses_proxy.take()
        count("sign_up", lambda: accounts.sign_up(email))
        count("verify", lambda: accounts.verify(email, code_for(codes_sent(), email)))
        count("activate", lambda: accounts.activate(email))
        pair = count("sign_in", lambda: accounts.sign_in(email))
        pair = count("refresh", lambda: accounts.refresh(pair["refresh_token"]))
        count("me", lambda: accounts.me(pair["access_token"]))
        count("update_me", lambda: accounts.update_me(pair["access_token"], "Renamed"))
        count("jwks", lambda: accounts.jwks(None))
        count("sign_out", lambda: accounts.sign_out(pair["refresh_token"]))
        count("forgot", lambda: accounts.forgot(email))
        count("forgot, unknown address", lambda: accounts.forgot(nobody))
        count("reset", lambda: accounts.reset(email, code_for(codes_sent(), email)))
        token = accounts.sign_in(email)["access_token"]
        proxy.take(), ses_proxy.take()
        count("change_email", lambda: accounts.change_email(token, moved))
        count("confirm_email", lambda: accounts.confirm_email(token, code_for(codes_sent(), moved)))
        count("resend, unknown address", lambda: accounts.resend(nobody))
        time.sleep(max(0.0, resend_after - time.monotonic()))
        count("resend", lambda: accounts.resend(unverified))
        # The second factor, on the moved account (its address verified by the move), with
        # codes from pyotp; the sign-in's second code is of the next step (one is accepted once).
        token = accounts.sign_in(moved)["access_token"]
        proxy.take(), ses_proxy.take()
        enrolment = count("enrol_totp", lambda: accounts.enrol_totp(token))
        totp = pyotp.parse_uri(enrolment["otpauth_uri"])
        count("confirm_totp", lambda: accounts.confirm_totp(token, totp.now()))
        challenge = count("sign_in, with TOTP", lambda: accounts.sign_in(moved))
        code = totp.at(time.time() + 30)
        count("sign_in_mfa", lambda: accounts.sign_in_mfa(challenge["mfa_token"], code))
        return counts


def median(samples):
    return statistics.median(samples)
