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
no pepper ever reaches stdout, stderr or an argument.
"""

import argparse
import base64
import datetime
import hashlib
import json
import secrets as random
import sys

from botocore.exceptions import ClientError

from secret_store import client, last_rotation, read, refuse_too_soon, stack_output, stamp, write

# The wait between two rotations: longer than any instance lives, so that none started before
# the last rotation (which knows the current `next`, but not the one after it) is left.
WAIT = datetime.timedelta(days=1)

ID_LABEL = b"user-service pepper\0"


def new_pepper():
    return random.token_urlsafe(48)


def pepper_id(pepper):
    """The pepper's id as a PHC string writes it: unpadded standard Base64 of 8 bytes."""
    digest = hashlib.sha256(ID_LABEL + pepper.encode()).digest()[:8]
    return base64.b64encode(digest).decode().rstrip("=")


def parse(text, secret_id):
    """The secret's document; a plain pepper is a document with just `current`."""
    if text is None:
        sys.exit(f"secret {secret_id} has no pepper")
    if not text.lstrip().startswith("{"):
        return {"current": text, "next": None, "previous": [], "rotated_at": None}
    try:
        document = json.loads(text)
    except ValueError:
        sys.exit(f"secret {secret_id} holds neither a pepper nor a pepper document")
    if not isinstance(document, dict) or not isinstance(document.get("current"), str):
        sys.exit(f"secret {secret_id} holds a document without a current pepper")
    return {
        "current": document["current"],
        "next": document.get("next"),
        "previous": list(document.get("previous") or []),
        "rotated_at": document.get("rotated_at"),
    }


def stored(document):
    """The document as the secret holds it (without a `rotated_at` never recorded)."""
    return {key: value for key, value in document.items() if key != "rotated_at" or value}


def roles(document):
    """(role, pepper) from the newest to the oldest, as the function orders them."""
    listed = [("next", document["next"])] if document["next"] else []
    listed.append(("current", document["current"]))
    listed += [(f"previous {i + 1}", p) for i, p in enumerate(document["previous"])]
    return listed


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
    listed = roles(document)
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


def ensure(secret_id, _table):
    secrets = client()
    text = read(secrets, secret_id)
    document = parse(text, secret_id)
    if text.lstrip().startswith("{") and document["next"]:
        print(f"secret {secret_id} already holds a pepper document with a next pepper; left as is")
        return
    # Instances started before this know only the current pepper: the next rotation waits.
    document["next"] = new_pepper()
    document["rotated_at"] = stamp()
    write(secrets, secret_id, stored(document))
    print(f"secret {secret_id} now holds a pepper document; its current pepper is unchanged")


def rotate(secret_id, _table, force=False):
    secrets = client()
    document = parse(read(secrets, secret_id), secret_id)
    if not document["next"]:
        sys.exit(f"secret {secret_id} has no next pepper to rotate to; run ensure first")
    refuse_too_soon(f"the pepper of secret {secret_id}", last_rotation(secrets, secret_id, document),
                    WAIT, force)
    rotated = {
        "current": document["next"],
        "next": new_pepper(),
        "previous": [document["current"]] + document["previous"],
        "rotated_at": stamp(),
    }
    write(secrets, secret_id, rotated)
    print(f"rotated the pepper of secret {secret_id}: the former next pepper hashes now")


def status(secret_id, table, as_json=False):
    counts = count(parse(read(client(), secret_id), secret_id), table)
    if as_json:
        print(json.dumps(counts))
    else:
        show(counts)


def retire(secret_id, table):
    secrets = client()
    document = parse(read(secrets, secret_id), secret_id)
    counts = count(document, table)
    show(counts)
    in_use = [role for role, row in counts.items() if row["active"] + row["inactive"]]
    kept = [p for i, p in enumerate(document["previous"]) if f"previous {i + 1}" in in_use]
    unknown = "not configured" in in_use
    if kept or unknown:
        why = f"{len(kept)} previous pepper(s) still in use" if kept else "hashes name unknown peppers"
        sys.exit(f"nothing retired: {why}; retire once no stored hash uses them")
    if not document["previous"]:
        print(f"secret {secret_id} has no previous pepper to retire")
        return
    write(secrets, secret_id, stored({**document, "previous": []}))
    print(f"retired {len(document['previous'])} previous pepper(s) of secret {secret_id}")


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
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--secret-id")
    where.add_argument("--stack")
    parser.add_argument("--table")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--force", action="store_true", help="rotate even within a day of the last")
    # check-upgrade's `-- SAM DEPLOY ARGS`, which are sam's, not ours.
    argv = sys.argv[1:]
    deploy_arguments = argv[argv.index("--") + 1:] if "--" in argv else []
    arguments = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if arguments.command == "check-upgrade":
        if not arguments.stack:
            parser.error("check-upgrade needs --stack")
        check_upgrade(arguments.stack, deploy_arguments)
        return
    if arguments.stack:
        secret_id = stack_output(arguments.stack, "PepperSecretArn")
        table = stack_output(arguments.stack, "TableName")
    else:
        secret_id, table = arguments.secret_id, arguments.table
    if arguments.command in ("status", "retire") and not table:
        parser.error("status and retire need --table (or --stack)")
    if arguments.command == "status":
        status(secret_id, table, arguments.json)
    elif arguments.command == "rotate":
        rotate(secret_id, table, arguments.force)
    else:
        {"ensure": ensure, "rotate": rotate, "retire": retire}[arguments.command](secret_id, table)


if __name__ == "__main__":
    main()
