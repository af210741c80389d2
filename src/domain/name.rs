//! A person's given name or surname.

use super::invalid::Invalid;
use super::text::{has_control_chars, has_invisible_chars, nfc};

/// A trimmed, NFC-normalised, non-empty name of at most [`PersonName::MAX_CHARS`] characters,
/// free of control and invisible characters (see [`text`](super::text)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// The longest name accepted, in Unicode scalar values.
    pub const MAX_CHARS: usize = 100;

    /// Trims and normalises `raw`, then checks it; inner spaces, apostrophes and any script
    /// are fine.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = nfc(raw.trim());
        let name = name.as_str();
        if name.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        if has_control_chars(name) {
            return Err(Invalid::new("must not contain control characters"));
        }
        if has_invisible_chars(name) {
            return Err(Invalid::new("must not contain invisible characters"));
        }
        Ok(Self(name.to_owned()))
    }

    /// A name as a store holds it, trusted as written: it was checked when it was stored, and
    /// tightening the rules later must not make stored accounts unreadable.
    pub(crate) fn from_stored(stored: &str) -> Self {
        Self(stored.to_owned())
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_keeps_its_inner_spacing_and_script() {
        let cases = [
            ("Ada", "Ada"),
            ("  Ada \t", "Ada"),
            ("Mary Ann", "Mary Ann"),
            ("O'Brien-Łukasiewicz", "O'Brien-Łukasiewicz"),
            ("李", "李"),
            ("Jose\u{301}", "José"),
        ];
        for (raw, expected) in cases {
            let name = PersonName::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(name.as_ref(), expected, "parsing {raw:?}");
        }
    }

    #[test]
    fn a_name_of_exactly_the_maximum_length_is_accepted() {
        let raw = "é".repeat(PersonName::MAX_CHARS);
        assert_eq!(PersonName::parse(&raw).map(|n| n.as_ref().len()), Ok(200));
    }

    #[test]
    fn invalid_names_are_refused_with_a_reason() {
        let too_long = "a".repeat(PersonName::MAX_CHARS + 1);
        let cases = [
            ("", "must not be empty", "empty"),
            ("   \n\t", "must not be empty", "only whitespace"),
            (
                too_long.as_str(),
                "must be at most 100 characters",
                "101 characters",
            ),
            ("Ada\0", "must not contain control characters", "NUL"),
            ("Ad\u{7}a", "must not contain control characters", "BEL"),
            (
                "Ada\u{85}x",
                "must not contain control characters",
                "C1 control",
            ),
            (
                "Ada\nLovelace",
                "must not contain control characters",
                "inner newline",
            ),
            (
                "Ada\u{202E}ecalevol",
                "must not contain invisible characters",
                "right-to-left override",
            ),
            (
                "A\u{200B}da",
                "must not contain invisible characters",
                "zero-width space",
            ),
        ];
        for (raw, reason, why) in cases {
            assert_eq!(
                PersonName::parse(raw),
                Err(Invalid::new(reason)),
                "case: {why}"
            );
        }
    }
}
