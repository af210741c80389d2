"""The access-token signing keys in their Secrets Manager secret: create them, rotate them, and
revoke a compromised one.

The secret's SecretString is {"current": PEM, "next": PEM, "previous": PEM or null, "rotated_at":
"YYYY-MM-DDTHH:MM:SSZ"}: the function signs with `current` and publishes and accepts all three
(src/service/tokens/signing_keys.rs says why that order makes rotation safe for instances started
before and after it), and ignores `rotated_at`, which records when `next` was last replaced.

  ensure (--secret-id ID | --stack NAME) [--file FILE]   give the secret a key document unless it has one
  rotate (--secret-id ID | --stack NAME) [--file FILE] [--force] [--access-token-ttl SECONDS]
                                                         previous <- current <- next <- a new key
  revoke (--secret-id ID [--function NAME] | --stack NAME) (--kid KID | --all) [--file FILE]
                                                         drop a key now and restart every instance

--stack NAME finds the secret in the stack's SigningKeysSecretArn output (what make deploy uses),
and the function and the access-token lifetime in its FunctionName output and
AccessTokenTtlSeconds parameter.

`rotate` refuses (exit 1) within the access-token lifetime plus a day of the last rotation: a
second rotation would drop the key that instances started before the first still sign with, and
sign with one they do not know. --force overrides that. `revoke` is for a key that leaked: the
key goes from the document at once (the other keys stay, so no one else is signed out), and the
function's configuration is touched (SIGNING_KEYS_REVOKED_AT, which the function does not read)
so that Lambda replaces every running instance, none of which accepts or publishes the key
after that. --all replaces all three keys.

`ensure` is idempotent: it keeps a valid document. With --file (make run's development keys),
the file is the source of truth: its document is written to the secret (created if missing), and
a missing file is created first, so the keys outlive the stand-in that serves the secret. Keys
are RSA-2048 from the `cryptography` package; they never reach stdout, stderr or an argument.
Key ids (public) are RFC 7638 thumbprints, as the JWKS shows them.

Runs with boto3 and cryptography: the deploy venv has both (make deploy), and so has the moto
venv (make run, make test). AWS_ENDPOINT_URL_SECRETS_MANAGER points boto3 at a stand-in.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from secret_store import (client, last_rotation, read, refuse_too_soon, stack_output,
                          stack_parameter, stamp, write)

FIELDS = ("current", "next", "previous")
DEFAULT_ACCESS_TOKEN_TTL = 900  # ACCESS_TOKEN_TTL_SECONDS's default (src/config)


def new_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def kid(pem):
    """The key's id as the function publishes it: the RFC 7638 thumbprint of its public JWK."""
    numbers = serialization.load_pem_private_key(pem.encode(), None).public_key().public_numbers()

    def b64(number):
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)},
                           separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).decode().rstrip("=")


def new_document():
    return {"current": new_key(), "next": new_key(), "previous": None, "rotated_at": stamp()}


def rotated(document):
    return {"current": document["next"], "next": new_key(), "previous": document["current"],
            "rotated_at": stamp()}


def is_document(text):
    """Whether `text` is a key document (not, say, the placeholder CloudFormation generates)."""
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        return False
    return (
        isinstance(document, dict)
        and set(FIELDS) <= set(document) <= set(FIELDS) | {"rotated_at"}
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


def load(secrets, secret_id, path):
    """The document of `path`, or else of the secret; exits if there is none."""
    if path:
        return load_file(path)
    text = read(secrets, secret_id)
    if not is_document(text):
        sys.exit(f"secret {secret_id} holds no signing keys; run ensure first")
    return json.loads(text)


def ensure(secret_id, path=None, **_):
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


def rotate(secret_id, path=None, force=False, access_token_ttl=DEFAULT_ACCESS_TOKEN_TTL, **_):
    secrets = client()
    current = load(secrets, secret_id, path)
    last = last_rotation(None if path else secrets, secret_id, current)
    wait = datetime.timedelta(seconds=access_token_ttl) + datetime.timedelta(days=1)
    refuse_too_soon(f"the signing keys of secret {secret_id}", last, wait, force)
    document = rotated(current)
    write(secrets, secret_id, document)
    if path:
        save_file(path, document)
    print(f"rotated the signing keys of secret {secret_id}: the former next key signs now")


def revoke(secret_id, path=None, key_id=None, every_key=False, function=None, **_):
    secrets = client()
    document = load(secrets, secret_id, path)
    roles = {role: kid(document[role]) for role in FIELDS if document.get(role)}
    if every_key:
        revoked = list(roles.values())
        document = {**new_document(), "rotated_at": document.get("rotated_at") or stamp()}
    elif key_id in roles.values():
        revoked = [key_id]
        role = next(r for r, k in roles.items() if k == key_id)
        if role == "current":
            # The next key is known to every instance already: it signs from now on.
            document = {**document, "current": document.get("next") or new_key(), "next": new_key()}
        elif role == "next":
            document = {**document, "next": new_key()}
        else:
            document = {**document, "previous": None}
    else:
        listed = ", ".join(f"{role} {k}" for role, k in roles.items())
        sys.exit(f"no key of secret {secret_id} has the id {key_id!r}; its keys: {listed}")
    write(secrets, secret_id, document)
    if path:
        save_file(path, document)
    print(f"revoked key(s) {', '.join(revoked)} of secret {secret_id}")
    if function:
        recycle(function)
    else:
        print("warning: no function given; restart the instances that read this secret yourself",
              file=sys.stderr)


def recycle(function):
    """Makes Lambda replace every instance of `function`: a change to its environment (one
    variable the function does not read), which no instance survives."""
    functions = client("lambda")
    config = functions.get_function_configuration(FunctionName=function)
    variables = dict(config.get("Environment", {}).get("Variables", {}))
    variables["SIGNING_KEYS_REVOKED_AT"] = stamp()
    guard = {"RevisionId": config["RevisionId"]} if config.get("RevisionId") else {}
    functions.update_function_configuration(
        FunctionName=function, Environment={"Variables": variables}, **guard)
    print(f"function {function} updated (SIGNING_KEYS_REVOKED_AT): every instance is replaced; "
          "new ones read the document without the revoked key")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ensure", "rotate", "revoke"])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--secret-id")
    where.add_argument("--stack")
    parser.add_argument("--file")
    parser.add_argument("--force", action="store_true", help="rotate even within the wait")
    parser.add_argument("--access-token-ttl", type=int,
                        help="seconds (default: the stack's AccessTokenTtlSeconds, else "
                             "ACCESS_TOKEN_TTL_SECONDS, else 900)")
    parser.add_argument("--function", help="the function to restart after a revocation")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--kid", help="the id of the key to revoke")
    which.add_argument("--all", action="store_true", help="revoke all three keys")
    arguments = parser.parse_args()
    if arguments.command == "revoke" and not (arguments.kid or arguments.all):
        parser.error("revoke needs --kid KID or --all")
    ttl = arguments.access_token_ttl
    if arguments.stack:
        secret_id = stack_output(arguments.stack, "SigningKeysSecretArn")
        if arguments.command == "revoke":
            arguments.function = stack_output(arguments.stack, "FunctionName")
        if arguments.command == "rotate" and ttl is None:
            ttl = int(stack_parameter(arguments.stack, "AccessTokenTtlSeconds"))
    else:
        secret_id = arguments.secret_id
    if ttl is None:
        ttl = int(os.environ.get("ACCESS_TOKEN_TTL_SECONDS", DEFAULT_ACCESS_TOKEN_TTL))
    {"ensure": ensure, "rotate": rotate, "revoke": revoke}[arguments.command](
        secret_id, path=arguments.file, force=arguments.force, access_token_ttl=ttl,
        key_id=arguments.kid, every_key=arguments.all, function=arguments.function)


if __name__ == "__main__":
    main()
