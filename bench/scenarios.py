"""The scenarios `make bench` runs, each against fresh processes of a function binary through the
loopback Runtime API (runtime_api.py). Times inside the function are the `elapsed_ms` of its
request log lines; init is measured from exec to the runtime's first poll for an event.
"""

import concurrent.futures
import json
import statistics
import time
import uuid

from runtime_api import Function

PASSWORD = "bench password 1234"


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
    and CPU per call, and the instance's peak RSS through it all (sign-ups and sign-ins at the
    configured Argon2 cost)."""
    with Function(binary, env) as function:
        accounts = Accounts(function)
        for email in emails(20, "warmup"):  # DynamoDB Local's JIT, the SDK's connection pool
            accounts.sign_up(email)
            accounts.activate(email)
            accounts.me(accounts.sign_in(email)["access_token"])
        addresses = emails(n, "warm")
        operations = {}
        _, operations["sign_up"], cpu_up = timed(function, [lambda e=e: accounts.sign_up(e) for e in addresses])
        _, operations["activate"], cpu_act = timed(function, [lambda e=e: accounts.activate(e) for e in addresses])
        pairs, operations["sign_in"], cpu_in = timed(function, [lambda e=e: accounts.sign_in(e) for e in addresses])
        fresh, operations["refresh"], cpu_ref = timed(function, [lambda p=p: accounts.refresh(p["refresh_token"]) for p in pairs])
        _, operations["me"], cpu_me = timed(function, [lambda p=p: accounts.me(p["access_token"]) for p in fresh])
        _, operations["jwks"], cpu_jwks = timed(function, [lambda: accounts.jwks(None)] * n)
        _, operations["sign_out"], cpu_out = timed(function, [lambda p=p: accounts.sign_out(p["refresh_token"]) for p in fresh])
        cpu = dict(zip(operations, [cpu_up, cpu_act, cpu_in, cpu_ref, cpu_me, cpu_jwks, cpu_out]))
        return {
            "operations": {name: {**summary(times), "cpu_ms": cpu[name], "samples": times} for name, times in operations.items()},
            "peak_rss_mib": function.peak_rss_mib(),
            "accounts": addresses,
            "token": fresh[0]["access_token"],
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


def calls_per_operation(binary, env, proxy):
    """DynamoDB calls each operation makes, counted by the proxy the instance talks through."""
    with Function(binary, {**env, "AWS_ENDPOINT_URL_DYNAMODB": proxy.url}) as function:
        accounts = Accounts(function)
        function.init_ms()
        counts = {"init": proxy.take()}
        email = emails(1, "calls")[0]
        steps = [
            ("sign_up", lambda: accounts.sign_up(email)),
            ("activate", lambda: accounts.activate(email)),
            ("sign_in", lambda: accounts.sign_in(email)),
        ]
        for name, step in steps:
            result = step()
            counts[name] = proxy.take()
        pair = accounts.refresh(result["refresh_token"])
        counts["refresh"] = proxy.take()
        accounts.me(pair["access_token"])
        counts["me"] = proxy.take()
        accounts.jwks(None)
        counts["jwks"] = proxy.take()
        accounts.sign_out(pair["refresh_token"])
        counts["sign_out"] = proxy.take()
        return counts


def median(samples):
    return statistics.median(samples)
