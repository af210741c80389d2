"""The password pepper in its Secrets Manager secret: prepare it for rotation, rotate it, see which
pepper the stored hashes use, and retire peppers no hash uses any more.

The SecretString is either the pepper itself (what the stack generates) or a document
{"current": P, "next": P, "previous": [P, ...], "rotated_at": "YYYY-MM-DDTHH:MM:SSZ"}, previous
newest first; `rotated_at` (which the function ignores) records when `next` was last replaced. The function hashes with
`current` and verifies with whichever pepper a hash names (src/service/credentials/pepper.rs says why `next`
makes a rotation safe for instances started before and after it). Every hash names its pepper by
an id, SHA-256("user-service pepper\\0" + pepper)[:8], as the `keyid` of its PHC string; a hash
without one was made with the oldest pepper listed.

  ensure (--secret-id ID | --stack NAME)                 turn a plain pepper into a document with
                                                         a next pepper; a document is left as is
  rotate (--secret-id ID | --stack NAME) [--force]       previous <- current <- next <- a new pepper;
                                                         refused within a day of the last (--force
                                                         overrides): instances started before it
                                                         would meet hashes of a pepper they lack
  status (--secret-id ID --table T | --stack NAME) [--json]
                                                         how many stored hashes use each pepper
  retire (--secret-id ID --table T | --stack NAME)       drop the previous peppers no hash uses;
                                                         refuses (exit 1) while any is still used
  check-upgrade --stack NAME [-- SAM DEPLOY ARGS]        refuses (exit 1) a deploy that would
                                                         replace the stack's pepper (make deploy)

--stack NAME finds the secret and the table in the stack's PepperSecretArn and TableName outputs.
Accounts move to the current pepper as they sign in (or activate, or deactivate): retire once
`status` shows no hash left on a previous pepper. New peppers are 64 characters from `secrets`;
no pepper ever reaches stdout, stderr or an argument. What is not the pepper's own (the
document, ensure, rotate, retire) is scripts/versioned_secret.py, shared with the TOTP key's.
"""

import argparse
import base64
import hashlib
import sys

from botocore.exceptions import ClientError

import versioned_secret
from secret_store import client

ID_LABEL = b"user-service pepper\0"


def pepper_id(pepper):
    """The pepper's id as a PHC string writes it: unpadded standard Base64 of 8 bytes."""
    digest = hashlib.sha256(ID_LABEL + pepper.encode()).digest()[:8]
    return base64.b64encode(digest).decode().rstrip("=")


def keyid(phc):
    """The `keyid` named by a PHC string, or "" when it names none."""
    fields = phc.split("$")
    for field in fields[2:4]:
        for pair in field.split(","):
            name, _, value = pair.partition("=")
            if name == "keyid":
                return value
    return ""


def count(document, table):
    """{role: {"id", "active", "inactive"}} over every account item of `table`, plus
    "not configured" for hashes naming a pepper the document lacks."""
    listed = versioned_secret.roles(document)
    counts = {role: {"id": pepper_id(p), "active": 0, "inactive": 0} for role, p in listed}
    counts["not configured"] = {"id": None, "active": 0, "inactive": 0}
    by_id = {pepper_id(p): role for role, p in listed}
    oldest = listed[-1][0]
    pages = client("dynamodb").get_paginator("scan").paginate(
        TableName=table,
        ProjectionExpression="password_hash, active",
        FilterExpression="attribute_exists(password_hash)",
        ConsistentRead=True,
    )
    for page in pages:
        for item in page["Items"]:
            named = keyid(item["password_hash"]["S"])
            role = by_id.get(named, "not configured") if named else oldest
            state = "active" if item.get("active", {}).get("BOOL") else "inactive"
            counts[role][state] += 1
    return counts


def show(counts):
    print(f"{'pepper':<16}{'id':<14}{'active':>8}{'inactive':>10}")
    for role, row in counts.items():
        print(f"{role:<16}{row['id'] or '':<14}{row['active']:>8}{row['inactive']:>10}")


PEPPER = versioned_secret.Kind(
    noun="pepper", works="hashes", stored="stored hash", unknown="hashes name unknown peppers",
    count=count, show=show)


def check_upgrade(stack, deploy_arguments):
    """Refuses a deploy over a stack whose generated pepper secret predates the stack-named
    secrets: the template names it <stack>/pepper now, and a new name replaces the secret, so
    the function would read a new pepper and every stored password would fail."""
    if any("PepperSecretArn=" in argument for argument in deploy_arguments):
        return
    try:
        resource = client("cloudformation").describe_stack_resource(
            StackName=stack, LogicalResourceId="PepperSecret")["StackResourceDetail"]
    except ClientError:
        return  # no such stack yet, or it uses an existing secret (PepperSecretArn)
    arn = resource["PhysicalResourceId"]
    name = arn.split(":secret:", 1)[-1][:-7]  # Secrets Manager appends "-" and 6 characters
    if name != f"{stack}/pepper":
        sys.exit(
            f"refusing to deploy: stack {stack}'s pepper secret {name} would be replaced by a new "
            f"{stack}/pepper, and every stored password would fail. Copy it under the stack's "
            f"name and pass that (docs/deploy.md, \"Upgrading a stack\"):\n"
            f"  aws secretsmanager create-secret --name {stack}/pepper-kept --secret-string "
            f"\"$(aws secretsmanager get-secret-value --secret-id {arn} --query SecretString --output text)\"\n"
            f"  make deploy DEPLOY_ARGS='--parameter-overrides PepperSecretArn=<its ARN>'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ensure", "rotate", "status", "retire", "check-upgrade"])
    versioned_secret.add_arguments(parser)
    # check-upgrade's `-- SAM DEPLOY ARGS`, which are sam's, not ours.
    argv = sys.argv[1:]
    deploy_arguments = argv[argv.index("--") + 1:] if "--" in argv else []
    arguments = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if arguments.command == "check-upgrade":
        if not arguments.stack:
            parser.error("check-upgrade needs --stack")
        check_upgrade(arguments.stack, deploy_arguments)
        return
    versioned_secret.run(PEPPER, parser, arguments, "PepperSecretArn")


if __name__ == "__main__":
    main()
