"""What scripts/signing_keys.py and scripts/pepper.py share: boto3 clients, a stack's outputs,
and reading and writing a secret's SecretString.

Clients take their region from AWS_REGION (boto3 alone reads only AWS_DEFAULT_REGION) and their
endpoint from the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, which point them at
moto or DynamoDB Local in tests.
"""

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
