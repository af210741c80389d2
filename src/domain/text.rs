//! Text rules shared by every value type that holds something a person typed.
//!
//! Two strings that look the same must be the same value, or one person can hold two accounts
//! (or impersonate another) with addresses no one can tell apart. So text is brought to
//! Unicode's canonical composed form (NFC: `e` + U+0301 becomes `é`), and characters that render
//! as nothing or reorder what surrounds them are refused outright: control characters,
//! format characters (zero-width space, joiners, bidi overrides such as U+202E, the BOM) and
//! every other default-ignorable code point (soft hyphen, Hangul fillers, variation selectors).
//! The tables are ICU4X's (already in the tree through `idna`), not a hand-kept list.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// `text` in Normalization Form C.
pub(crate) fn nfc(text: &str) -> String {
    ComposingNormalizerBorrowed::new_nfc()
        .normalize(text)
        .into_owned()
}

/// Whether `text` holds a control character (C0, DEL or C1): NUL and friends break logs,
/// terminals and downstream systems and are never part of a legitimate name or address.
pub(crate) fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Whether `text` holds a character that is invisible or changes how its neighbours display:
/// general category Cf (format) or the Default_Ignorable_Code_Point property.
pub(crate) fn has_invisible_chars(text: &str) -> bool {
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let category = CodePointMapData::<GeneralCategory>::new();
    text.chars()
        .any(|c| ignorable.contains(c) || category.get(c) == GeneralCategory::Format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_spellings_of_one_character_become_one() {
        assert_eq!(nfc("jose\u{301}"), "josé");
        assert_eq!(nfc("josé"), "josé");
        assert_eq!(nfc("Å"), "Å", "angstrom sign to letter");
    }

    #[test]
    fn invisible_and_reordering_characters_are_detected() {
        let cases = [
            ("\u{200B}", "zero-width space"),
            ("\u{200D}", "zero-width joiner"),
            ("\u{202E}", "right-to-left override"),
            ("\u{2066}", "left-to-right isolate"),
            ("\u{FEFF}", "byte order mark"),
            ("\u{AD}", "soft hyphen"),
            ("\u{3164}", "Hangul filler"),
            ("\u{FE0F}", "variation selector"),
            ("\u{E0041}", "tag character"),
        ];
        for (text, why) in cases {
            assert!(has_invisible_chars(&format!("a{text}b")), "{why}");
        }
        for visible in ["Ada", "李", "O'Brien-Łukasiewicz", "josé", "ünïcödé", "a b"] {
            assert!(!has_invisible_chars(visible), "{visible:?} is visible");
        }
    }
}
