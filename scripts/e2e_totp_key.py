"""The end-to-end check of scripts/totp_key.py, run as an operator runs it, against moto's Secrets
Manager and CloudFormation and DynamoDB Local (scripts/e2e.sh runs it with
AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_DYNAMODB pointing at them):

  e2e_totp_key.py

The stack's plain key becomes a document with `ensure`, which keeps it current. Account items
whose sealed `totp_secret` / `totp_pending` name the current key's id (computed here from the
secret, not by the script) are counted under it, and nothing else is: an account without a
factor, or another kind of item with a sealed-looking value. After a rotation they count under
`previous 1`, and `retire` refuses (exit 1) and changes nothing while they do, or while a value
names a key the document lacks; once every value names the current key (as the function
re-seals them), `retire` drops the previous key. A second rotation without --force is refused.
`--stack` finds the same secret and table through a stack's outputs. No key appears in any
output. The secret, the table (beside the run's, so that accounts the function enrolled there
count nowhere) and the stack are this script's own, and removed at the end.
"""

import base64
import hashlib
import json
import os
import secrets as random
import subprocess
import sys
import uuid

import boto3

from e2e_checks import fail

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = os.environ["AWS_REGION"]
# moto serves every service on one port; --stack reads the stack from its CloudFormation.
ENVIRONMENT = {**os.environ,
               "AWS_ENDPOINT_URL_CLOUDFORMATION": os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"]}
secrets = boto3.client("secretsmanager", region_name=REGION)
dynamodb = boto3.client("dynamodb", region_name=REGION)
cloudformation = boto3.client("cloudformation", region_name=REGION,
                              endpoint_url=ENVIRONMENT["AWS_ENDPOINT_URL_CLOUDFORMATION"])
# Every key the secret has held, so that no output may show one.
SEEN_KEYS = set()
TAG = uuid.uuid4().hex[:8]
SECRET_ID, TABLE, STACK = f"e2e-totp-{TAG}/totp-key", f"e2e-totp-key-{TAG}", f"e2e-totp-{TAG}"


def document(secret_id):
    text = secrets.get_secret_value(SecretId=secret_id)["SecretString"]
    parsed = json.loads(text) if text.startswith("{") else {"current": text}
    SEEN_KEYS.update(k for k in [parsed.get("current"), parsed.get("next"), *parsed.get("previous", [])] if k)
    return parsed


def raw_id(key):
    """The key id the function seals with (the contract, written out again here)."""
    return hashlib.sha256(b"user-service totp key\0" + key.encode()).digest()[:8]


def shown_id(key):
    return base64.urlsafe_b64encode(raw_id(key)).decode().rstrip("=")


def sealed(key):
    """A value as the function stores it: key id, a 12-byte nonce, ciphertext and tag."""
    return raw_id(key) + os.urandom(12) + os.urandom(36)


def totp_key(*arguments):
    done = subprocess.run([sys.executable, os.path.join(HERE, "totp_key.py"), *arguments],
                          capture_output=True, text=True, env=ENVIRONMENT)
    document(SECRET_ID)  # a key the command just made counts too
    for key in SEEN_KEYS:
        if key in done.stdout or key in done.stderr:
            fail(f"totp_key.py {arguments[0]} printed a key")
    return done


def succeeds(what, done):
    if done.returncode:
        fail(f"{what}: exit {done.returncode}: {done.stderr}")
    print(f"  ok {what}")
    return done


def status(*where):
    done = totp_key("status", *where, "--json")
    if done.returncode:
        fail(f"status: exit {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def expect_counts(what, counts, expected):
    """`expected`: {role: (accounts, confirmed, pending)}; every other role must count nothing."""
    for role, row in counts.items():
        got = (row["accounts"], row["confirmed"], row["pending"])
        if got != expected.get(role, (0, 0, 0)):
            fail(f"{what}: {role} counts {got}, expected {expected.get(role, (0, 0, 0))}: {counts}")
    missing = set(expected) - set(counts)
    if missing:
        fail(f"{what}: no row for {missing}: {counts}")
    print(f"  ok {what}: {', '.join(f'{r} {v}' for r, v in expected.items())}")


def expect_ids(counts, doc):
    """Each row's id is the one the function names its key by."""
    listed = {"current": doc["current"], "next": doc.get("next")}
    listed.update({f"previous {i + 1}": k for i, k in enumerate(doc.get("previous", []))})
    for role, key in listed.items():
        if key and counts.get(role, {}).get("id") != shown_id(key):
            fail(f"{role}: id {counts.get(role)}, expected {shown_id(key)}")
    if counts["not configured"]["id"] is not None:
        fail(f"not configured has an id: {counts}")


def refused(what, done, secret_id, before, reason):
    if done.returncode != 1 or reason not in done.stderr:
        fail(f"{what}: expected exit 1 saying {reason!r}, got exit {done.returncode}: {done.stderr}")
    if document(secret_id) != before:
        fail(f"{what}: the refusal changed the secret")
    print(f"  ok {what} is refused: {done.stderr.strip().splitlines()[-1][:140]}")


def account(email, **values):
    """An account item with the given binary attributes."""
    item = {"pk": {"S": f"EMAIL#{email}"}, "kind": {"S": "account"}, "email": {"S": email}}
    item.update({name: {"B": value} for name, value in values.items()})
    return item


def seal_all(table, key):
    """Every account's factor and enrolment sealed with `key`, as the function leaves them."""
    items = [
        account("confirmed@example.com", totp_secret=sealed(key)),
        account("enrolling@example.com", totp_pending=sealed(key)),
        account("both@example.com", totp_secret=sealed(key), totp_pending=sealed(key)),
        account("no-factor@example.com"),
        # Not an account: never counted, whatever it holds.
        {"pk": {"S": "CODE#verification#both@example.com"}, "kind": {"S": "codes"},
         "totp_secret": {"B": sealed(key)}},
    ]
    for item in items:
        dynamodb.put_item(TableName=table, Item=item)


# What seal_all leaves, per key: (accounts, confirmed, pending).
SEALED_COUNTS = (3, 2, 2)


def create_table(table):
    dynamodb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )


def create_stack(stack, secret_id, table):
    """A stack in moto's CloudFormation with the outputs --stack reads."""
    template = {
        "Resources": {"Nothing": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {"TotpKeySecretArn": {"Value": secret_id}, "TableName": {"Value": table}},
    }
    cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps(template))


def check(secret_id, table, stack):
    where = ("--secret-id", secret_id, "--table", table)
    plain = document(secret_id)["current"]
    succeeds("ensure of the stack's plain key", totp_key("ensure", "--secret-id", secret_id))
    ensured = document(secret_id)
    if ensured["current"] != plain or not ensured.get("next") or not ensured.get("rotated_at"):
        fail(f"ensure must keep the key current and add a next one: {sorted(ensured)}")

    seal_all(table, ensured["current"])
    counts = status(*where)
    expect_ids(counts, ensured)
    expect_counts("sealed with the current key", counts, {"current": SEALED_COUNTS})
    if status("--stack", stack) != counts:
        fail("--stack does not find the same secret and table")
    print("  ok --stack finds the secret and the table in the stack's outputs")

    succeeds("rotate --force right after ensure", totp_key("rotate", "--secret-id", secret_id, "--force"))
    rotated = document(secret_id)
    if rotated["current"] != ensured["next"] or rotated["previous"] != [ensured["current"]]:
        fail("the rotation did not move next to current and current to previous 1")
    counts = status(*where)
    expect_ids(counts, rotated)
    expect_counts("after the rotation", counts, {"previous 1": SEALED_COUNTS})

    refused("retire while previous 1 seals secrets", totp_key("retire", *where), secret_id, rotated,
            "still in use")

    seal_all(table, rotated["current"])  # as each account's next successful check re-seals it
    stranger = account("stranger@example.com", totp_secret=sealed("a key no document lists" * 3))
    dynamodb.put_item(TableName=table, Item=stranger)
    expect_counts("re-sealed, and one value of an unknown key", status(*where),
                  {"current": SEALED_COUNTS, "not configured": (1, 1, 0)})
    refused("retire while a value names an unknown key", totp_key("retire", *where), secret_id,
            rotated, "unknown TOTP keys")
    dynamodb.delete_item(TableName=table, Key={"pk": stranger["pk"]})

    succeeds("retire once no value names previous 1", totp_key("retire", *where))
    retired = document(secret_id)
    if retired.get("previous") or retired["current"] != rotated["current"] \
            or retired["next"] != rotated["next"]:
        fail("retire must drop the previous key and nothing else")
    counts = status(*where)
    if "previous 1" in counts:
        fail(f"status still lists a previous key: {counts}")
    expect_counts("after retire", counts, {"current": SEALED_COUNTS})

    refused("a second rotation without --force", totp_key("rotate", "--secret-id", secret_id),
            secret_id, retired, "refusing to rotate")


def main():
    # A plain key, as the stack's GenerateSecretString makes it.
    secrets.create_secret(Name=SECRET_ID, SecretString=random.token_urlsafe(48))
    create_table(TABLE)
    create_stack(STACK, SECRET_ID, TABLE)
    try:
        check(SECRET_ID, TABLE, STACK)
    finally:
        dynamodb.delete_table(TableName=TABLE)
        secrets.delete_secret(SecretId=SECRET_ID, ForceDeleteWithoutRecovery=True)
        cloudformation.delete_stack(StackName=STACK)


if __name__ == "__main__":
    main()
