//! Reading CloudFormation and workflow YAML, short-form tags (`!Ref`, `!If`…) included.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml_ng::Value;

/// The YAML file at `path`, relative to the repository's root.
pub fn file(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

pub fn resource<'a>(template: &'a Value, name: &str) -> &'a Value {
    &template["Resources"][name]
}

/// A string, or a list of strings, as a set.
pub fn strings(value: &Value) -> BTreeSet<String> {
    match value {
        Value::String(one) => BTreeSet::from([one.clone()]),
        Value::Sequence(many) => many
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// `!Tag value` as ("Tag", value).
pub fn tagged(value: &Value) -> Option<(String, &Value)> {
    match value {
        Value::Tagged(tagged) => Some((
            tagged.tag.to_string().trim_start_matches('!').to_owned(),
            &tagged.value,
        )),
        _ => None,
    }
}

/// `!Ref name`?
pub fn is_ref(value: &Value, name: &str) -> bool {
    tagged(value).is_some_and(|(tag, target)| tag == "Ref" && target.as_str() == Some(name))
}

/// Every string anywhere inside `value`, tags included.
pub fn all_strings(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::String(text) => into.push(text.clone()),
        Value::Sequence(items) => items.iter().for_each(|item| all_strings(item, into)),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            all_strings(k, into);
            all_strings(v, into);
        }),
        Value::Tagged(tagged) => all_strings(&tagged.value, into),
        _ => {}
    }
}

/// The items of a list, with `!If [Condition, item, !Ref AWS::NoValue]` read as its item: what
/// the stack holds when the condition is true (the most it can hold).
pub fn items_at_most(list: &Value) -> Vec<&Value> {
    list.as_sequence()
        .expect("a list")
        .iter()
        .map(|item| match tagged(item) {
            Some((tag, branches)) if tag == "If" && is_ref(&branches[2], "AWS::NoValue") => {
                &branches[1]
            }
            _ => item,
        })
        .collect()
}
