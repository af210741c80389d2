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

/// Every code point a text field refuses ([`has_control_chars`] or [`has_invisible_chars`]),
/// as sorted, merged, inclusive ranges: what the API description states of the same rules.
pub(crate) fn refused_ranges() -> Vec<(u32, u32)> {
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let category = CodePointMapData::<GeneralCategory>::new();
    let mut ranges: Vec<(u32, u32)> = ignorable
        .iter_ranges()
        .chain(category.iter_ranges_for_value(GeneralCategory::Format))
        .chain(category.iter_ranges_for_value(GeneralCategory::Control))
        .map(|range| (*range.start(), *range.end()))
        .collect();
    merged(&mut ranges)
}

/// The code points `char::is_whitespace` (what `trim` removes) holds, as inclusive ranges: the
/// Unicode White_Space property.
pub(crate) const WHITE_SPACE: [(u32, u32); 10] = [
    (0x09, 0x0D),
    (0x20, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
];

/// `ranges` sorted, with overlapping and adjacent ones joined.
fn merged(ranges: &mut [(u32, u32)]) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for &(start, end) in ranges.iter() {
        match out.last_mut() {
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

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

    fn within(ranges: &[(u32, u32)], c: char) -> bool {
        ranges
            .iter()
            .any(|&(start, end)| (start..=end).contains(&u32::from(c)))
    }

    #[test]
    fn the_refused_ranges_are_exactly_the_characters_the_rules_refuse() {
        let ranges = refused_ranges();
        assert!(
            ranges.windows(2).all(|w| w[0].1 + 1 < w[1].0),
            "sorted and merged"
        );
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let refused = has_control_chars(c.encode_utf8(&mut [0; 4]))
                || has_invisible_chars(c.encode_utf8(&mut [0; 4]));
            assert_eq!(within(&ranges, c), refused, "U+{:04X}", u32::from(c));
        }
        assert!(within(&ranges, '\u{AD}'), "the soft hyphen");
    }

    #[test]
    fn white_space_is_what_trim_removes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                within(&WHITE_SPACE, c),
                c.is_whitespace(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

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
