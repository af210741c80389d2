"""What scripts/pepper.py and scripts/totp_key.py share: a Secrets Manager secret holding one key,
or a document of versioned keys, and the commands that prepare it for rotation, rotate it, count
which key the table's stored values name, and retire the previous keys none names any more.

The SecretString is either the key itself (what the stack generates: 64 characters) or a
document {"current": K, "next": K, "previous": [K, ...], "rotated_at": "YYYY-MM-DDTHH:MM:SSZ"},
previous newest first. The function works with `current` and accepts whichever key a stored
value names; `next` is known to every instance a rotation later, so a rotation is safe for
instances started before and after it. `rotated_at` (which the function ignores) records when
`next` was last replaced, for the rule of one rotation a day.

A `Kind` says what the keys are for: the words of the messages, and how the table's values are
counted per key (`count`, `show`); everything else is the same for every kind. New keys are 64
characters from `secrets`; no key ever reaches stdout, stderr or an argument.
"""

import datetime
import json
import secrets as random
import sys
from dataclasses import dataclass
from typing import Callable

from secret_store import client, last_rotation, read, refuse_too_soon, stack_output, stamp, write

# The wait between two rotations: longer than any instance lives, so that none started before
# the last rotation (which knows the current `next`, but not the one after it) is left.
WAIT = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Kind:
    """One kind of versioned key, as the messages and the counts know it."""

    noun: str  # what a key is called: "pepper"
    works: str  # what the current key does, once rotated in: "hashes"
    stored: str  # what in the table names a key: "stored hash"
    unknown: str  # retire's refusal when values name no listed key: "hashes name unknown peppers"
    # (document, table) -> {role: {"id": ..., <count>: n, ...}}, "not configured" last
    count: Callable[[dict, str], dict]
    show: Callable[[dict], None]  # prints those counts as a table


def new_key():
    return random.token_urlsafe(48)


def parse(kind, text, secret_id):
    """The secret's document; a plain key is a document with just `current`."""
    if text is None:
        sys.exit(f"secret {secret_id} has no {kind.noun}")
    if not text.lstrip().startswith("{"):
        return {"current": text, "next": None, "previous": [], "rotated_at": None}
    try:
        document = json.loads(text)
    except ValueError:
        sys.exit(f"secret {secret_id} holds neither a {kind.noun} nor a {kind.noun} document")
    if not isinstance(document, dict) or not isinstance(document.get("current"), str):
        sys.exit(f"secret {secret_id} holds a document without a current {kind.noun}")
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
    """(role, key) from the newest to the oldest, as the function orders them."""
    listed = [("next", document["next"])] if document["next"] else []
    listed.append(("current", document["current"]))
    listed += [(f"previous {i + 1}", k) for i, k in enumerate(document["previous"])]
    return listed


def in_use(row):
    """Whether a row of the counts names any stored value."""
    return any(value for name, value in row.items() if name != "id")


def ensure(kind, secret_id):
    """Turns a plain key into a document with a next key; a document with one is left as is."""
    secrets = client()
    text = read(secrets, secret_id)
    document = parse(kind, text, secret_id)
    if text.lstrip().startswith("{") and document["next"]:
        print(f"secret {secret_id} already holds a {kind.noun} document with a next {kind.noun}; "
              f"left as is")
        return
    # Instances started before this know only the current key: the next rotation waits.
    document["next"] = new_key()
    document["rotated_at"] = stamp()
    write(secrets, secret_id, stored(document))
    print(f"secret {secret_id} now holds a {kind.noun} document; its current {kind.noun} is unchanged")


def rotate(kind, secret_id, force=False):
    """previous <- current <- next <- a new key, refused within WAIT of the last unless `force`."""
    secrets = client()
    document = parse(kind, read(secrets, secret_id), secret_id)
    if not document["next"]:
        sys.exit(f"secret {secret_id} has no next {kind.noun} to rotate to; run ensure first")
    refuse_too_soon(f"the {kind.noun} of secret {secret_id}",
                    last_rotation(secrets, secret_id, document), WAIT, force)
    rotated = {
        "current": document["next"],
        "next": new_key(),
        "previous": [document["current"]] + document["previous"],
        "rotated_at": stamp(),
    }
    write(secrets, secret_id, rotated)
    print(f"rotated the {kind.noun} of secret {secret_id}: the former next {kind.noun} {kind.works} now")


def status(kind, secret_id, table, as_json=False):
    counts = kind.count(parse(kind, read(client(), secret_id), secret_id), table)
    if as_json:
        print(json.dumps(counts))
    else:
        kind.show(counts)


def retire(kind, secret_id, table):
    """Drops the previous keys once no stored value names them; exits 1 while any does (or
    while values name keys the document lacks), listing the counts either way."""
    secrets = client()
    document = parse(kind, read(secrets, secret_id), secret_id)
    counts = kind.count(document, table)
    kind.show(counts)
    used = [role for role, row in counts.items() if in_use(row)]
    kept = [k for i, k in enumerate(document["previous"]) if f"previous {i + 1}" in used]
    if kept or "not configured" in used:
        why = f"{len(kept)} previous {kind.noun}(s) still in use" if kept else kind.unknown
        sys.exit(f"nothing retired: {why}; retire once no {kind.stored} uses them")
    if not document["previous"]:
        print(f"secret {secret_id} has no previous {kind.noun} to retire")
        return
    write(secrets, secret_id, stored({**document, "previous": []}))
    print(f"retired {len(document['previous'])} previous {kind.noun}(s) of secret {secret_id}")


def add_arguments(parser):
    """The options every versioned secret's script takes: where the secret and table are."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--secret-id")
    where.add_argument("--stack")
    parser.add_argument("--table")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--force", action="store_true", help="rotate even within a day of the last")


def run(kind, parser, arguments, secret_output):
    """Runs ensure, rotate, status or retire as parsed; --stack finds the secret in the stack's
    `secret_output` output and the table in its TableName output."""
    if arguments.stack:
        secret_id = stack_output(arguments.stack, secret_output)
        table = stack_output(arguments.stack, "TableName")
    else:
        secret_id, table = arguments.secret_id, arguments.table
    if arguments.command in ("status", "retire") and not table:
        parser.error("status and retire need --table (or --stack)")
    if arguments.command == "status":
        status(kind, secret_id, table, arguments.json)
    elif arguments.command == "rotate":
        rotate(kind, secret_id, arguments.force)
    elif arguments.command == "retire":
        retire(kind, secret_id, table)
    else:
        ensure(kind, secret_id)
