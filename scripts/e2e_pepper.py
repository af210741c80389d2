"""The end-to-end check of a pepper rotation (scripts/e2e.sh runs it after rotating the pepper
and starting a second instance):

  e2e_pepper.py OLD_PORT NEW_PORT SECRET_ID TABLE

OLD was started before the rotation, NEW after. Every stored hash uses the previous pepper until
its account signs in at NEW, which re-hashes it with the current one; OLD, which read the current
pepper as `next`, verifies that hash and leaves it alone. `scripts/pepper.py retire` refuses while
any hash still uses the previous pepper, and drops it from a table where none does.
"""

import json
import os
import subprocess
import sys
import uuid

from e2e_checks import call, expect, fail

PEPPER = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pepper.py")]
EMAIL = "before-rotation@example.com"  # signed up at OLD before the rotation (e2e.sh)
CREDENTIALS = {"email": EMAIL, "password": "a password for the token checks"}


def pepper(*arguments):
    return subprocess.run(PEPPER + list(arguments), capture_output=True, text=True)


def status(secret_id, table):
    done = pepper("status", "--secret-id", secret_id, "--table", table, "--json")
    if done.returncode:
        fail(f"pepper.py status: {done.stderr}")
    return {role: row["active"] + row["inactive"] for role, row in json.loads(done.stdout).items()}


def scratch_table_with(table, email):
    """A new table holding only `email`'s account item, copied from `table`."""
    import boto3

    dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    scratch = f"pepper-retire-{uuid.uuid4()}"
    dynamodb.create_table(
        TableName=scratch, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"EMAIL#{email}"}})["Item"]
    dynamodb.put_item(TableName=scratch, Item=item)
    return scratch


def main(old_port, new_port, secret_id, table):
    old, new = f"http://127.0.0.1:{old_port}", f"http://127.0.0.1:{new_port}"
    before = status(secret_id, table)
    if before["current"] or not before["previous 1"] or before["not configured"]:
        fail(f"right after the rotation every hash should use the previous pepper: {before}")

    expect("sign-in at the new instance", call("POST", f"{new}/user/signin/", CREDENTIALS), 200)
    after = status(secret_id, table)
    if after["current"] != 1 or after["previous 1"] != before["previous 1"] - 1:
        fail(f"the sign-in did not move one hash to the current pepper: {before} -> {after}")
    print(f"  ok one hash re-made with the current pepper: {before} -> {after}")

    expect("sign-in at the old instance", call("POST", f"{old}/user/signin/", CREDENTIALS), 200)
    if status(secret_id, table) != after:
        fail("the old instance re-hashed a hash made with a newer pepper")
    print("  ok the old instance verifies the re-made hash and leaves it alone")

    refused = pepper("retire", "--secret-id", secret_id, "--table", table)
    if refused.returncode != 1 or "still in use" not in refused.stderr:
        fail(f"retire did not refuse while hashes use the previous pepper: {refused}")
    if "previous 1" not in status(secret_id, table):
        fail("a refused retire changed the secret")
    print("  ok retire refuses while a stored hash uses the previous pepper")

    scratch = scratch_table_with(table, EMAIL)
    retired = pepper("retire", "--secret-id", secret_id, "--table", scratch)
    if retired.returncode or "previous 1" in status(secret_id, scratch):
        fail(f"retire did not drop an unused previous pepper: {retired}")
    print("  ok retire drops the previous pepper once no hash uses it")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        fail(__doc__)
    main(*sys.argv[1:])
