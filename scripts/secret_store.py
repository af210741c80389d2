"""What scripts/signing_keys.py, scripts/pepper.py and scripts/totp_key.py share (the last two
through scripts/versioned_secret.py): boto3 clients, a stack's outputs and parameters, reading
and writing a secret's SecretString, and the rule that refuses a rotation too soon after the
last one.

Clients take their region from AWS_REGION (boto3 alone reads only AWS_DEFAULT_REGION) and their
endpoint from the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, which point them at
moto or DynamoDB Local in tests.
"""

import datetime
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def client(service="secretsmanager"):
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return boto3.client(service, region_name=region)


def stack_output(stack, key):
    """The value of output `key` of the deployed stack `stack`."""
    outputs = client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    for output in outputs:
        if output["OutputKey"] == key:
            return output["OutputValue"]
    sys.exit(f"stack {stack} has no {key} output")


def stack_parameter(stack, key):
    """The value of parameter `key` of the deployed stack `stack` (its default if not given)."""
    parameters = client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Parameters", [])
    for parameter in parameters:
        if parameter["ParameterKey"] == key:
            return parameter["ParameterValue"]
    sys.exit(f"stack {stack} has no {key} parameter")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def stamp():
    """Now, as a document's `rotated_at` records it."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")


def last_rotation(secrets, secret_id, document):
    """When `document`'s `next` was last replaced: its `rotated_at`, or, for a document written
    before the scripts recorded it, when the secret's current value was written (no earlier
    than the last rotation, so the wait it imposes is never too short). None if unknown."""
    if document.get("rotated_at"):
        return datetime.datetime.strptime(document["rotated_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
    if secrets is None:
        return None
    try:
        versions = secrets.list_secret_version_ids(SecretId=secret_id)["Versions"]
    except ClientError:
        return None
    dates = [v["CreatedDate"] for v in versions if "AWSCURRENT" in v.get("VersionStages", [])]
    return dates[0].astimezone(datetime.timezone.utc) if dates else None


def refuse_too_soon(what, last, wait, force):
    """Exits unless more than `wait` (a timedelta) has passed since `last`, or `force`."""
    if last is None:
        return
    elapsed = datetime.timedelta(seconds=int((now() - last).total_seconds()))
    if elapsed > wait:
        return
    if force:
        print(f"warning: {what} last rotated {elapsed} ago, within {wait}; rotating anyway (--force)",
              file=sys.stderr)
        return
    sys.exit(f"refusing to rotate {what}: the last rotation was {elapsed} ago, and two rotations "
             f"need more than {wait} between them (docs/rotation.md); --force overrides")


def read(secrets, secret_id):
    """The secret's current SecretString; None if the secret has no value or does not exist."""
    try:
        return secrets.get_secret_value(SecretId=secret_id).get("SecretString")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise


def write(secrets, secret_id, document):
    """Stores `document` as the secret's JSON SecretString, creating the secret if missing."""
    text = json.dumps(document)
    try:
        secrets.put_secret_value(SecretId=secret_id, SecretString=text)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        secrets.create_secret(Name=secret_id, SecretString=text)
