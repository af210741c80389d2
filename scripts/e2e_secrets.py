"""The rotation guards and the revocation of scripts/signing_keys.py and scripts/pepper.py, run as
an operator runs them, against moto's Secrets Manager and Lambda (scripts/e2e.sh runs it with
AWS_ENDPOINT_URL_SECRETS_MANAGER pointing at moto):

  e2e_secrets.py

For the signing keys and the pepper alike: a rotation right after `ensure`, or right after
another rotation, is refused (exit 1, naming the wait and --force) and changes nothing; --force
rotates anyway; once the wait has passed (the document's `rotated_at` moved back by hand) a
rotation goes through; a document without `rotated_at` (written before the scripts recorded it)
is judged by when its value was written. The signing keys' wait is the access-token lifetime
plus a day. `revoke --kid` drops exactly that key and changes the function's environment (so
that Lambda replaces every instance), keeping its other variables; an unknown id changes
nothing and lists the ids. Secrets and the function are this script's own: nothing the running
instances read is touched.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid
import zipfile

import boto3

from e2e_checks import fail

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = os.environ["AWS_REGION"]
ENDPOINT = os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"]
# moto serves every service on one port; the scripts reach Lambda there too.
ENVIRONMENT = {**os.environ, "AWS_ENDPOINT_URL_LAMBDA": ENDPOINT, "AWS_ENDPOINT_URL_IAM": ENDPOINT}
ENVIRONMENT.pop("ACCESS_TOKEN_TTL_SECONDS", None)
secrets = boto3.client("secretsmanager", region_name=REGION, endpoint_url=ENDPOINT)


def run(script, *arguments):
    return subprocess.run([sys.executable, os.path.join(HERE, script), *arguments],
                          capture_output=True, text=True, env=ENVIRONMENT)


def succeeds(what, done):
    if done.returncode:
        fail(f"{what}: exit {done.returncode}: {done.stderr}")
    print(f"  ok {what}")


def refused(what, done, secret_id, before):
    if done.returncode != 1 or "--force" not in done.stderr or "refusing to rotate" not in done.stderr:
        fail(f"{what}: expected a refusal naming --force, got exit {done.returncode}: {done.stderr}")
    if value(secret_id) != before:
        fail(f"{what}: the refused rotation changed the secret")
    print(f"  ok {what} is refused: {done.stderr.strip().splitlines()[-1][:160]}…")


def value(secret_id):
    return secrets.get_secret_value(SecretId=secret_id)["SecretString"]


def document(secret_id):
    return json.loads(value(secret_id))


def backdate(secret_id, by):
    """Moves the document's rotated_at back by `by` (a timedelta)."""
    current = document(secret_id)
    then = datetime.datetime.now(datetime.timezone.utc) - by
    current["rotated_at"] = then.strftime("%Y-%m-%dT%H:%M:%SZ")
    secrets.put_secret_value(SecretId=secret_id, SecretString=json.dumps(current))


def check_guard(script, secret_id, wait, ttl_arguments=()):
    """Refusal, override and the wait passing, for one script's `rotate`."""
    rotate = ("rotate", "--secret-id", secret_id, *ttl_arguments)
    refused(f"{script} rotate right after ensure", run(script, *rotate), secret_id, value(secret_id))
    succeeds(f"{script} rotate --force right after ensure", run(script, *rotate, "--force"))
    refused(f"{script} rotate right after a rotation", run(script, *rotate), secret_id, value(secret_id))
    backdate(secret_id, wait + datetime.timedelta(minutes=1))
    before = document(secret_id)
    succeeds(f"{script} rotate once the wait has passed", run(script, *rotate))
    after = document(secret_id)
    if after["current"] != before["next"] or after["rotated_at"] <= before["rotated_at"]:
        fail(f"{script}: the rotation did not move next to current and record its time")
    backdate(secret_id, wait - datetime.timedelta(minutes=1))
    refused(f"{script} rotate a minute before the wait has passed", run(script, *rotate),
            secret_id, value(secret_id))
    # A document from before rotated_at: judged by its value's age (just written here).
    legacy = {k: v for k, v in document(secret_id).items() if k != "rotated_at"}
    secrets.put_secret_value(SecretId=secret_id, SecretString=json.dumps(legacy))
    refused(f"{script} rotate of a document without rotated_at, just written", run(script, *rotate),
            secret_id, value(secret_id))


def check_signing_keys(prefix):
    secret_id = f"{prefix}/signing-keys"
    succeeds("signing_keys.py ensure", run("signing_keys.py", "ensure", "--secret-id", secret_id))
    day = datetime.timedelta(days=1)
    check_guard("signing_keys.py", secret_id, day + datetime.timedelta(hours=1),
                ("--access-token-ttl", "3600"))
    # The access-token lifetime is part of the wait: a day and a minute is enough for 60 s
    # tokens, not for one-hour tokens.
    backdate(secret_id, day + datetime.timedelta(minutes=2))
    refused("a rotation a day after the last, with one-hour tokens",
            run("signing_keys.py", "rotate", "--secret-id", secret_id, "--access-token-ttl", "3600"),
            secret_id, value(secret_id))
    succeeds("a rotation a day after the last, with one-minute tokens",
             run("signing_keys.py", "rotate", "--secret-id", secret_id, "--access-token-ttl", "60"))
    return secret_id


def check_pepper(prefix):
    secret_id = f"{prefix}/pepper"
    secrets.create_secret(Name=secret_id, SecretString="a plain pepper of the stack, 64 characters long........")
    succeeds("pepper.py ensure", run("pepper.py", "ensure", "--secret-id", secret_id))
    check_guard("pepper.py", secret_id, datetime.timedelta(days=1))


def function_named(prefix):
    """A Lambda function in moto, with an environment like the stack's."""
    iam = boto3.client("iam", region_name=REGION, endpoint_url=ENDPOINT)
    role = iam.create_role(RoleName=f"{prefix.replace('/', '-')}-role", Path="/e2e/",
                           AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("bootstrap", "")
    name = f"{prefix.replace('/', '-')}-function"
    boto3.client("lambda", region_name=REGION, endpoint_url=ENDPOINT).create_function(
        FunctionName=name, Runtime="provided.al2023", Role=role, Handler="bootstrap",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"APP_ENV": "production", "TABLE_NAME": "accounts"}})
    return name


def check_revoke(secret_id, function):
    sys.path.insert(0, HERE)
    from signing_keys import kid

    before = document(secret_id)
    kids = {role: kid(before[role]) for role in ("current", "next", "previous")}
    unknown = run("signing_keys.py", "revoke", "--secret-id", secret_id, "--kid", "no-such-key",
                  "--function", function)
    if unknown.returncode == 0 or kids["current"] not in unknown.stderr or document(secret_id) != before:
        fail(f"revoke of an unknown id: exit {unknown.returncode}, {unknown.stderr}")
    print("  ok revoke of an unknown id changes nothing and lists the ids")

    succeeds("revoke --kid <the current key>",
             run("signing_keys.py", "revoke", "--secret-id", secret_id, "--kid", kids["current"],
                 "--function", function))
    after = document(secret_id)
    left = {kid(after[role]) for role in ("current", "next", "previous") if after.get(role)}
    if kids["current"] in left:
        fail("the revoked key is still in the document")
    if kid(after["current"]) != kids["next"] or kid(after["previous"]) != kids["previous"]:
        fail(f"revoking the current key should let next sign and keep previous: {kids} -> {left}")
    if after["rotated_at"] != before["rotated_at"]:
        fail("a revocation is not a rotation: rotated_at must not move")
    variables = boto3.client("lambda", region_name=REGION, endpoint_url=ENDPOINT) \
        .get_function_configuration(FunctionName=function)["Environment"]["Variables"]
    if not variables.get("SIGNING_KEYS_REVOKED_AT") or variables.get("TABLE_NAME") != "accounts":
        fail(f"the function's environment was not touched, or lost a variable: {variables}")
    print("  ok the revoked key left the document; next signs, previous stays; "
          "the function's environment changed (every instance replaced), its variables kept")

    succeeds("revoke --all", run("signing_keys.py", "revoke", "--secret-id", secret_id, "--all",
                                 "--function", function))
    fresh = {kid(document(secret_id)[role]) for role in ("current", "next")}
    if fresh & left:
        fail("revoke --all kept a key")
    print("  ok revoke --all replaced every key")


def main():
    prefix = f"e2e-guard-{uuid.uuid4().hex[:8]}"
    secret_id = check_signing_keys(prefix)
    check_pepper(prefix)
    check_revoke(secret_id, function_named(prefix))


if __name__ == "__main__":
    main()
