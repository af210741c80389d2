"""The TOTP secret-encryption key in its Secrets Manager secret: prepare it for rotation, rotate
it, see which key the sealed TOTP secrets and recovery-code digests use, and retire keys none
uses any more.

The SecretString is either the key itself (what the stack generates) or a document
{"current": K, "next": K, "previous": [K, ...], "rotated_at": "YYYY-MM-DDTHH:MM:SSZ"}, previous
newest first; `rotated_at` (which the function ignores) records when `next` was last replaced.
The function seals (AES-256-GCM) each account's TOTP secret with `current` and opens it with
whichever key it names: `next` makes a rotation safe for instances started before and after it,
exactly as for the pepper (scripts/versioned_secret.py holds what the two share). A sealed value,
the account item's binary `totp_secret` (the confirmed factor) or `totp_pending` (an enrolment
not yet confirmed), is key id (8 bytes) || nonce (12) || ciphertext and tag; the key id is
SHA-256("user-service totp key\\0" + key)[:8], shown as unpadded base64url.

  ensure (--secret-id ID | --stack NAME)                 turn a plain key into a document with
                                                         a next key; a document is left as is
  rotate (--secret-id ID | --stack NAME) [--force]       previous <- current <- next <- a new key;
                                                         refused within a day of the last (--force
                                                         overrides): instances started before it
                                                         would meet secrets sealed with a key they lack
  status (--secret-id ID --table T | --stack NAME) [--json]
                                                         how many accounts' sealed secrets use each key
  retire (--secret-id ID --table T | --stack NAME)       drop the previous keys no sealed secret uses;
                                                         refuses (exit 1) while any is still used

--stack NAME finds the secret and the table in the stack's TotpKeySecretArn and TableName outputs.
An account's sealed secret moves to the current key when its second factor is next checked
successfully (the function re-seals it then); its recovery codes' digests stay on the key they
were made under until the account replaces its codes (the codes themselves are not kept, so
they cannot be digested anew): retire once `status` shows nothing left on a previous key. New keys
are 64 characters from `secrets`; no key ever reaches stdout, stderr or an argument.
"""

import argparse
import base64
import hashlib

import versioned_secret
from secret_store import client

ID_LABEL = b"user-service totp key\0"
ID_BYTES = 8
# The account item's sealed values, and the column of the counts each adds to.
SEALED = (("totp_secret", "confirmed"), ("totp_pending", "pending"))


def encoded_id(raw):
    """A key id as the status shows it: unpadded base64url."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_id(key):
    """The id a sealed value opens with: the first 8 bytes of the label's and key's SHA-256."""
    return encoded_id(hashlib.sha256(ID_LABEL + key.encode()).digest()[:ID_BYTES])


def named_id(value):
    """The id a sealed value names, or None if it is too short to name one."""
    return encoded_id(value[:ID_BYTES]) if len(value) >= ID_BYTES else None


def account_items(table):
    """The sealed values of every account item of `table` that has one."""
    pages = client("dynamodb").get_paginator("scan").paginate(
        TableName=table,
        ProjectionExpression="totp_secret, totp_pending, recovery_codes",
        FilterExpression="#kind = :account AND (attribute_exists(totp_secret) OR "
                         "attribute_exists(totp_pending) OR attribute_exists(recovery_codes))",
        ExpressionAttributeNames={"#kind": "kind"},
        ExpressionAttributeValues={":account": {"S": "account"}},
        ConsistentRead=True,
    )
    for page in pages:
        yield from page["Items"]


def count(document, table):
    """{role: {"id", "accounts", "confirmed", "pending", "recovery"}} over the account items of
    `table`, plus "not configured" for values naming a key the document lacks. `accounts` counts
    the items with a value on the key (an item with several on one key counts once); `confirmed`
    and `pending` count the sealed secrets, `recovery` the recovery-code digests (each names the
    key it was made under; retiring that key voids it)."""
    listed = versioned_secret.roles(document)
    empty = {"accounts": 0, "confirmed": 0, "pending": 0, "recovery": 0}
    counts = {role: {"id": key_id(k), **empty} for role, k in listed}
    counts["not configured"] = {"id": None, **empty}
    by_id = {key_id(k): role for role, k in listed}
    for item in account_items(table):
        roles = set()
        for attribute, column in SEALED:
            if attribute not in item:
                continue
            value = item[attribute].get("B", b"")  # a value of another type names no key
            role = by_id.get(named_id(value), "not configured")
            counts[role][column] += 1
            roles.add(role)
        for digest in item.get("recovery_codes", {}).get("L", []):
            role = by_id.get(named_id(digest.get("B", b"")), "not configured")
            counts[role]["recovery"] += 1
            roles.add(role)
        for role in roles:
            counts[role]["accounts"] += 1
    return counts


def show(counts):
    print(f"{'TOTP key':<16}{'id':<14}{'accounts':>9}{'confirmed':>11}{'pending':>9}{'recovery':>10}")
    for role, row in counts.items():
        print(f"{role:<16}{row['id'] or '':<14}{row['accounts']:>9}{row['confirmed']:>11}"
              f"{row['pending']:>9}{row['recovery']:>10}")


TOTP_KEY = versioned_secret.Kind(
    noun="TOTP key", works="encrypts", stored="sealed TOTP secret or recovery-code digest",
    unknown="sealed TOTP secrets or recovery-code digests name unknown TOTP keys", count=count, show=show)


def main():
    # The whole first paragraph, not only its first line.
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("command", choices=["ensure", "rotate", "status", "retire"])
    versioned_secret.add_arguments(parser)
    versioned_secret.run(TOTP_KEY, parser, parser.parse_args(), "TotpKeySecretArn")


if __name__ == "__main__":
    main()
