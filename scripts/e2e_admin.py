"""The end-to-end check of the admin API and the user's own sessions (scripts/e2e.sh runs it
against the function under `cargo lambda watch`):

  e2e_admin.py PORT

- every admin route, sent as a plain HTTP request (what a caller who bypasses API Gateway's
  AWS_IAM authorization would send: no IAM context), is 403 `Forbidden`;
- `make admin`'s script (scripts/admin.sh, the event with an IAM context through
  `cargo lambda invoke`) reads, disables and enables an account: disabled, the right password
  is 403 `AccountDisabled` and the session's refresh token is refused; the account's audit
  trail names the administrator's ARN;
- `GET /user/sessions/` lists two sessions, one `current`, and `POST /user/sessions/revoke/`
  ends the other (its refresh token refused), while another account's session is 404.
"""

import json
import os
import subprocess
import sys

from e2e_checks import call, expect, fail

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN = "arn:aws:iam::000000000000:user/e2e-admin"


def admin(port, method, target):
    """(status, body) of one admin request through scripts/admin.sh, as `make admin` sends it."""
    env = dict(os.environ, API_PORT=str(port), ADMIN_ARN=ADMIN)
    done = subprocess.run([f"{ROOT}/scripts/admin.sh", f"{method} {target}"], env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        fail(f"make admin {method} {target}: {done.stderr}")
    response = json.loads(done.stdout)
    body = response.get("body") or ""
    return response["statusCode"], (json.loads(body) if body else None)


def account(base, email, password):
    """Signs up, activates and signs in `email`; returns the sign-in body."""
    credentials = {"email": email, "password": password}
    expect(f"sign-up of {email}", call("POST", f"{base}/user/", {"name": "Admin", "surname": "Check",
                                                                 **credentials}), 200)
    expect(f"activation of {email}", call("POST", f"{base}/user/activate/", credentials), 200)
    return expect(f"sign-in of {email}", call("POST", f"{base}/user/signin/", credentials), 200)


def check_forbidden(base, some_id):
    for method, path in [("GET", "/admin/users/"), ("GET", f"/admin/users/{some_id}/"),
                         ("POST", f"/admin/users/{some_id}/disable/"),
                         ("POST", f"/admin/users/{some_id}/enable/"),
                         ("POST", f"/admin/users/{some_id}/signout/"),
                         ("POST", f"/admin/users/{some_id}/delete/"),
                         ("GET", f"/admin/users/{some_id}/events/")]:
        body = expect(f"{method} {path} without an IAM context", call(method, f"{base}{path}"), 403)
        if (body or {}).get("error") != "Forbidden":
            fail(f"{method} {path}: expected Forbidden, got {body}")


def check_admin(port, base):
    password = "a password for the admin check"
    signed = account(base, "admin-check@example.com", password)
    user_id = signed["id"]
    check_forbidden(base, user_id)

    listed = expect("make admin GET /admin/users/", admin(port, "GET", "/admin/users/?email_prefix=admin-check"), 200)
    if [user["id"] for user in listed["users"]] != [user_id]:
        fail(f"the listing by prefix: {listed}")
    read = expect("make admin GET /admin/users/{id}/", admin(port, "GET", f"/admin/users/{user_id}/"), 200)
    if read["live_sessions"] != 1 or read["disabled"]:
        fail(f"the account as an administrator reads it: {read}")
    disabled = expect("make admin disable", admin(port, "POST", f"/admin/users/{user_id}/disable/"), 200)
    if disabled["disabled"] is not True:
        fail(f"disable: {disabled}")
    credentials = {"email": "admin-check@example.com", "password": password}
    refused = expect("sign-in of the disabled account, right password",
                     call("POST", f"{base}/user/signin/", credentials), 403)
    if refused["error"] != "AccountDisabled":
        fail(f"expected AccountDisabled, got {refused}")
    expect("its session's refresh token",
           call("POST", f"{base}/user/token/", {"refresh_token": signed["refresh_token"]}), 401)
    expect("make admin enable", admin(port, "POST", f"/admin/users/{user_id}/enable/"), 200)
    expect("sign-in once enabled", call("POST", f"{base}/user/signin/", credentials), 200)
    events = expect("make admin GET …/events/", admin(port, "GET", f"/admin/users/{user_id}/events/"), 200)
    trail = [(event["type"], event["actor"]) for event in events["events"]]
    if trail[:2] != [("user.enabled", ADMIN), ("user.disabled", ADMIN)]:
        fail(f"the audit trail, newest first, names the administrator: {trail}")
    print("  ok the admin API refuses without IAM and acts with it, its actions in the account's trail")


def check_sessions(base):
    password = "a password for the sessions check"
    phone = account(base, "sessions-check@example.com", password)
    laptop = expect("a second sign-in", call("POST", f"{base}/user/signin/",
                                             {"email": "sessions-check@example.com", "password": password}), 200)
    other = account(base, "sessions-other@example.com", password)
    listed = expect("GET /user/sessions/", call("GET", f"{base}/user/sessions/", token=laptop["access_token"]), 200)
    sessions = listed["sessions"]
    if len(sessions) != 2 or [s["current"] for s in sessions].count(True) != 1:
        fail(f"two live sessions, one current: {listed}")
    current = next(s for s in sessions if s["current"])
    others = [s for s in sessions if not s["current"]]
    theirs = call("GET", f"{base}/user/sessions/", token=other["access_token"])[1]["sessions"][0]["id"]
    refused = expect("revoking another account's session",
                     call("POST", f"{base}/user/sessions/revoke/", {"session_id": theirs},
                          token=laptop["access_token"]), 404)
    if refused["error"] != "SessionNotFound":
        fail(f"expected SessionNotFound, got {refused}")
    expect("revoking the phone's session", call("POST", f"{base}/user/sessions/revoke/",
                                                 {"session_id": others[0]["id"]}, token=laptop["access_token"]), 204)
    expect("the phone's refresh token", call("POST", f"{base}/user/token/",
                                             {"refresh_token": phone["refresh_token"]}), 401)
    expect("the other account's refresh token", call("POST", f"{base}/user/token/",
                                                     {"refresh_token": other["refresh_token"]}), 200)
    left = call("GET", f"{base}/user/sessions/", token=laptop["access_token"])[1]["sessions"]
    if [s["id"] for s in left] != [current["id"]]:
        fail(f"only the caller's session is left: {left}")
    print("  ok one's own sessions listed and revoked, another account's untouchable")


if __name__ == "__main__":
    port = int(sys.argv[1])
    base = f"http://127.0.0.1:{port}"
    check_admin(port, base)
    check_sessions(base)
