//! The outbox's way out: the table's stream, the EventBridge Pipe that publishes the event
//! items on it, and the pipe's role, held to what the adapter writes and `docs/events/` says.

use std::collections::BTreeSet;

use serde_json::Value as Json;
use serde_yaml_ng::Value;

use crate::yaml::{file, is_ref, items_at_most, resource, strings, tagged};
use user_service::service::DEFAULT_EVENT_RETENTION_DAYS;

fn template() -> Value {
    file("template.yaml")
}

fn json(path: &str) -> Json {
    let text = std::fs::read_to_string(path).expect("readable");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn the_table_streams_new_images_and_the_pipe_reads_only_new_event_items() {
    let template = template();
    let stream = &resource(&template, "UsersTable")["Properties"]["StreamSpecification"];
    assert_eq!(stream["StreamViewType"], "NEW_IMAGE");

    let pipe = &resource(&template, "EventsPipe")["Properties"];
    assert_eq!(
        tagged(&pipe["Source"]).map(|(t, v)| (t, v.clone())),
        Some(("GetAtt".to_owned(), Value::from("UsersTable.StreamArn")))
    );
    let filters = &pipe["SourceParameters"]["FilterCriteria"]["Filters"];
    assert_eq!(filters.as_sequence().map(Vec::len), Some(1));
    let pattern: Json =
        serde_json::from_str(filters[0]["Pattern"].as_str().expect("a pattern")).expect("JSON");
    assert_eq!(
        pattern,
        serde_json::json!({"eventName": ["INSERT"],
            "dynamodb": {"NewImage": {"kind": {"S": ["event"]}}}}),
        "inserts of event items only: no accounts, sessions or codes, no TTL removals"
    );
}

#[test]
fn the_pipe_publishes_exactly_the_documented_fields_with_the_type_as_detail_type() {
    let template = template();
    let target = &resource(&template, "EventsPipe")["Properties"]["TargetParameters"];
    let bus = &target["EventBridgeEventBusParameters"];
    assert_eq!(bus["DetailType"], "$.dynamodb.NewImage.type.S");
    assert!(is_ref(&bus["Source"], "EventSource"));

    // The template with each path replaced by a value of its kind must be the documented event.
    let input = target["InputTemplate"].as_str().expect("an input template");
    let detail: Json = serde_json::from_str(&render(input)).expect("the template is JSON");
    let fields: BTreeSet<&str> = detail
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let schema = json("docs/events/account-event.json");
    let documented: BTreeSet<&str> = (schema["required"].as_array().expect("required"))
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert_eq!(fields, documented);
    assert_eq!(
        detail["user_id"], "x-event_user",
        "the index's key, not user_id"
    );
}

#[test]
fn the_pipes_role_reads_the_stream_and_puts_on_the_one_bus_only() {
    let template = template();
    let role = &resource(&template, "EventsPipeRole")["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "pipes.amazonaws.com");
    let mut granted = Vec::new();
    for policy in items_at_most(&role["Policies"]) {
        for statement in policy["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
        {
            granted.push((strings(&statement["Action"]), statement["Resource"].clone()));
        }
    }
    assert_eq!(granted.len(), 2, "{granted:?}");
    let stream_actions: BTreeSet<String> = [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(granted[0].0, stream_actions);
    assert_eq!(
        tagged(&granted[0].1).map(|(t, v)| (t, v.clone())),
        Some(("GetAtt".to_owned(), Value::from("UsersTable.StreamArn")))
    );
    assert_eq!(
        granted[1].0,
        BTreeSet::from(["events:PutEvents".to_owned()])
    );
    let (tag, branches) = tagged(&granted[1].1).expect("the bus, by condition");
    assert_eq!(
        (tag.as_str(), &branches[0]),
        ("If", &Value::from("CreateEventBus"))
    );
    let target = &resource(&template, "EventsPipe")["Properties"]["Target"];
    let (_, targets) = tagged(target).expect("a conditional target");
    assert_eq!(
        branches, targets,
        "the bus it may put on is the one it targets"
    );
}

#[test]
fn events_are_kept_for_the_documented_retention_by_default() {
    let template = template();
    let days = &template["Parameters"]["EventRetentionDays"];
    assert_eq!(days["Default"].as_u64(), Some(DEFAULT_EVENT_RETENTION_DAYS));
    let environment = &resource(&template, "UserServiceFunction")["Properties"]["Environment"];
    assert!(is_ref(
        &environment["Variables"]["EVENT_RETENTION_DAYS"],
        "EventRetentionDays"
    ));
}

/// `template` with each `<$.dynamodb.NewImage.<name>.<S|N>>` replaced as the pipe would with
/// a value of its type: numbers by `1`, strings (quoted in the template) by `x-<name>`.
fn render(template: &str) -> String {
    const OPEN: &str = "<$.dynamodb.NewImage.";
    let mut rendered = String::new();
    let mut rest = template;
    while let Some(start) = rest.find(OPEN) {
        rendered.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let end = after.find('>').expect("a closed path");
        let (name, kind) = after[..end].rsplit_once('.').expect("<name>.<type>");
        match kind {
            "N" => rendered.push('1'),
            _ => rendered.push_str(&format!("x-{name}")),
        }
        rest = &after[end + 1..];
    }
    rendered.push_str(rest);
    rendered
}
