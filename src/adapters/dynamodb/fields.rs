//! Reading an item's attributes back, each with an error naming the attribute when it is
//! missing or malformed: a stored item is never silently read as a default.

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::AttributeValue;

use super::item::Item;

/// Reads the attributes of one item, each with an error naming it when malformed.
pub(super) struct Fields<'a>(pub(super) &'a Item);

impl Fields<'_> {
    pub(super) fn text(&self, name: &str) -> anyhow::Result<&str> {
        match self.0.get(name) {
            Some(AttributeValue::S(value)) if !value.is_empty() => Ok(value),
            _ => Err(anyhow!("attribute `{name}` is missing or not a string")),
        }
    }

    pub(super) fn number(&self, name: &str) -> anyhow::Result<u64> {
        match self.0.get(name) {
            Some(AttributeValue::N(number)) => number
                .parse()
                .with_context(|| format!("attribute `{name}`")),
            _ => Err(anyhow!("attribute `{name}` is missing or not a number")),
        }
    }

    /// A number that items written before it existed lack: `default` then.
    pub(super) fn number_or(&self, name: &str, default: u64) -> anyhow::Result<u64> {
        match self.0.get(name) {
            None => Ok(default),
            Some(_) => self.number(name),
        }
    }

    /// A string that may be absent (`None` then), but not malformed.
    pub(super) fn text_or_none(&self, name: &str) -> anyhow::Result<Option<&str>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(_) => self.text(name).map(Some),
        }
    }

    pub(super) fn boolean(&self, name: &str) -> anyhow::Result<bool> {
        match self.0.get(name) {
            Some(AttributeValue::Bool(value)) => Ok(*value),
            _ => Err(anyhow!("attribute `{name}` is missing or not a boolean")),
        }
    }

    /// A boolean that items written before it existed lack: `default` then.
    pub(super) fn boolean_or(&self, name: &str, default: bool) -> anyhow::Result<bool> {
        match self.0.get(name) {
            None => Ok(default),
            Some(_) => self.boolean(name),
        }
    }
}
