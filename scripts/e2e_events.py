"""The end-to-end check of the account events (scripts/e2e.sh runs it right after the README
walkthrough, on the table the walkthrough used), as the deployed EventBridge Pipe would see them:

  e2e_events.py PORT TABLE

Reads every record of the table's DynamoDB stream (DynamoDB Local serves it), keeps those the
pipe's filter in template.yaml keeps, renders each with the pipe's InputTemplate (the event's
`detail`), and checks that

- every detail validates against its type's JSON Schema in docs/events/;
- the walkthrough produced exactly its account's events, in order, numbered 1, 2, 3, …;
- a request that is refused (a wrong password) or whose transaction is cancelled (a second
  sign-up with a taken address) adds none, while a sign-up adds exactly its `user.created`.
"""

import json
import os
import re
import sys

import boto3
import referencing
import yaml
from jsonschema import Draft202012Validator

from e2e_checks import call, expect, fail

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What the README walkthrough does to its one account, in order (a refused request writes
# nothing: the duplicate sign-up, the refused sign-ins, the invalid input).
WALKTHROUGH = [
    "user.created", "user.email_verified", "user.activated", "user.deactivated",
    "user.activated", "user.password_changed", "user.email_changed", "user.password_reset",
    "user.mfa_enabled", "user.deleted",
]


class CloudFormation(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, …) read as plain values."""


def plain(loader, suffix, node):
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)


CloudFormation.add_multi_constructor("!", plain)


def pipe():
    template = yaml.load(open(os.path.join(ROOT, "template.yaml")), Loader=CloudFormation)
    return template["Resources"]["EventsPipe"]["Properties"]


def matches(pattern, value):
    """EventBridge's matching, for the pattern's form here: nested keys, lists of values."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            key in value and matches(inner, value[key]) for key, inner in pattern.items())
    return value in pattern


def render(template, record):
    """The pipe's InputTemplate filled from `record`: a quoted path becomes the JSON string of
    its value, an unquoted one its value as it is (a DynamoDB number's digits)."""

    def value(path):
        found = record
        for key in path.split(".")[1:]:
            if not isinstance(found, dict) or key not in found:
                return None
            found = found[key]
        return found

    text = re.sub(r'"<(\$[^>]+)>"', lambda m: json.dumps(value(m.group(1))), template)
    text = re.sub(r"<(\$[^>]+)>", lambda m: str(value(m.group(1))), text)
    return json.loads(text)


def published(table):
    """The `detail` of every event the pipe would publish, in stream order per shard."""
    endpoint = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
    dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"], endpoint_url=endpoint)
    streams = boto3.client("dynamodbstreams", region_name=os.environ["AWS_REGION"], endpoint_url=endpoint)
    arn = dynamodb.describe_table(TableName=table)["Table"].get("LatestStreamArn")
    if not arn:
        fail(f"table {table} has no stream")
    settings = pipe()
    pattern = json.loads(settings["SourceParameters"]["FilterCriteria"]["Filters"][0]["Pattern"])
    template = settings["TargetParameters"]["InputTemplate"]
    details = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON",
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in page["Records"]:
                if matches(pattern, record):
                    details.append(render(template, record))
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return details


def validator(kind):
    folder = os.path.join(ROOT, "docs", "events")
    resources = []
    for name in os.listdir(folder):
        schema = json.load(open(os.path.join(folder, name)))
        resources.append((name, referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    path = os.path.join(folder, f"{kind}.json")
    if not os.path.exists(path):
        fail(f"no schema for {kind} in docs/events/")
    return Draft202012Validator(json.load(open(path)), registry=registry)


def check(details):
    ids = set()
    by_user = {}
    for detail in details:
        errors = sorted(validator(detail["type"]).iter_errors(detail), key=str)
        if errors:
            fail(f"{detail} does not match docs/events/{detail['type']}.json: {errors[0].message}")
        if detail["id"] in ids:
            fail(f"event {detail['id']} published twice")
        ids.add(detail["id"])
        by_user.setdefault(detail["user_id"], []).append(detail)
    for user, events in by_user.items():
        events.sort(key=lambda event: event["sequence"])
        if [event["sequence"] for event in events] != list(range(1, len(events) + 1)):
            fail(f"account {user}'s events are not numbered 1, 2, 3, …: {events}")
    return by_user


def main(port, table):
    base = f"http://127.0.0.1:{port}"
    by_user = check(published(table))
    histories = [[event["type"] for event in events] for events in by_user.values()]
    if histories != [WALKTHROUGH]:
        fail(f"the walkthrough's events: expected {WALKTHROUGH}, got {histories}")
    print(f"  ok the walkthrough published exactly its {len(WALKTHROUGH)} events, in order, each valid")
    if any(event["actor"] != "user" or not event["request_id"] for event in by_user[next(iter(by_user))]):
        fail(f"the walkthrough's events name their request and the user: {by_user}")

    account = {"name": "Event", "surname": "Check", "email": "events@example.com",
               "password": "a password for the events check"}
    expect("a sign-up", call("POST", f"{base}/user/", account), 200)
    expect("the same address again (a cancelled transaction)", call("POST", f"{base}/user/", account), 409)
    wrong = {"email": account["email"], "password": "not the password"}
    expect("a wrong password (refused)", call("POST", f"{base}/user/activate/", wrong), 401)
    after = check(published(table))
    new = {user: events for user, events in after.items() if user not in by_user}
    if [[event["type"] for event in events] for events in new.values()] != [["user.created"]]:
        fail(f"expected only the new account's user.created, got {new}")
    if any(after[user] != events for user, events in by_user.items()):
        fail("the walkthrough's events changed")
    print("  ok the sign-up published its user.created; the refused and the cancelled request none")


if __name__ == "__main__":
    main(*sys.argv[1:3])
