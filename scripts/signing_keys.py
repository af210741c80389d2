"""The access-token signing keys in their Secrets Manager secret: create them, rotate them.

The secret's SecretString is {"current": PEM, "next": PEM, "previous": PEM or null}: the function
signs with `current` and publishes and accepts all three (src/service/tokens/signing_keys.rs says why
that order makes rotation safe for instances started before and after it).

  ensure (--secret-id ID | --stack NAME) [--file FILE]   give the secret a key document unless it has one
  rotate (--secret-id ID | --stack NAME) [--file FILE]   previous <- current <- next <- a new key

--stack NAME finds the secret in the stack's SigningKeysSecretArn output (what make deploy uses).

`ensure` is idempotent: it keeps a valid document. With --file (make run's development keys),
the file is the source of truth: its document is written to the secret (created if missing), and
a missing file is created first, so the keys outlive the stand-in that serves the secret. Keys
are RSA-2048 from the `cryptography` package; they never reach stdout, stderr or an argument.

Runs with boto3 and cryptography: the SAM CLI venv has both (make deploy), and so has the moto
venv (make run, make test). AWS_ENDPOINT_URL_SECRETS_MANAGER points boto3 at a stand-in.
"""

import argparse
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from secret_store import client, read, stack_output, write

FIELDS = ("current", "next", "previous")


def new_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def new_document():
    return {"current": new_key(), "next": new_key(), "previous": None}


def rotated(document):
    return {"current": document["next"], "next": new_key(), "previous": document["current"]}


def is_document(text):
    """Whether `text` is a key document (not, say, the placeholder CloudFormation generates)."""
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        return False
    return (
        isinstance(document, dict)
        and set(document) == set(FIELDS)
        and all(isinstance(document[f], str) and "PRIVATE KEY" in document[f] for f in ("current", "next"))
    )


def load_file(path):
    with open(path, encoding="utf-8") as file:
        text = file.read()
    if not is_document(text):
        sys.exit(f"{path} is not a signing-key document")
    return json.loads(text)


def save_file(path, document):
    """Writes `document` to `path`, readable by its owner only."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    descriptor = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(document, file)
    os.replace(path + ".tmp", path)


def ensure(secret_id, path=None):
    secrets = client()
    if path:
        if not os.path.exists(path):
            save_file(path, new_document())
            print(f"created development signing keys in {path}")
        write(secrets, secret_id, load_file(path))
        print(f"secret {secret_id} holds the keys of {path}")
        return
    if is_document(read(secrets, secret_id)):
        print(f"secret {secret_id} already holds signing keys; left as is")
        return
    write(secrets, secret_id, new_document())
    print(f"secret {secret_id} now holds new signing keys")


def rotate(secret_id, path=None):
    secrets = client()
    current = load_file(path) if path else None
    if current is None:
        text = read(secrets, secret_id)
        if not is_document(text):
            sys.exit(f"secret {secret_id} holds no signing keys to rotate; run ensure first")
        current = json.loads(text)
    document = rotated(current)
    write(secrets, secret_id, document)
    if path:
        save_file(path, document)
    print(f"rotated the signing keys of secret {secret_id}: the former next key signs now")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ensure", "rotate"])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--secret-id")
    where.add_argument("--stack")
    parser.add_argument("--file")
    arguments = parser.parse_args()
    secret_id = arguments.secret_id or stack_output(arguments.stack, "SigningKeysSecretArn")
    {"ensure": ensure, "rotate": rotate}[arguments.command](secret_id, arguments.file)


if __name__ == "__main__":
    main()
