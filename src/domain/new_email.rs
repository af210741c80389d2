//! The stricter rules an address meets when it is registered: at sign-up, and when an account
//! moves to it.
//!
//! [`Email::parse`] makes two spellings one address when Unicode says they are one text (case,
//! NFC, IDNA in the domain). Some twins are different texts all the same: `ａｄａ` (full-width)
//! or `ﬁ` (a ligature) are *compatibility* variants of `ada` and `fi`, and `pаypal` with a
//! Cyrillic `а` is another word that looks like `paypal`. Folding them into their look-alike
//! would change the keys accounts are stored under, so instead a *new* address may not hold
//! them: its local part must be in NFKC already, and must not mix scripts beyond UTS #39's
//! "highly restrictive" level. Look-ups (sign-in, activation, tokens) keep taking any
//! [`Email`], so an account stored before these rules still signs in under its key.
//!
//! The local part only: the domain has been through IDNA's mapping (UTS #46), which includes
//! NFKC's, and its registry decides which scripts a label may mix.
//!
//! Scripts come from `unicode-security` (unicode-rs, the tables behind rustc's
//! `mixed_script_confusables` lint) rather than `icu_properties`, which is already in the tree:
//! ICU4X has each character's Script_Extensions but not UTS #39's augmented script sets (Han
//! counting as Japanese, Korean and Han-with-Bopomofo, Hiragana and Katakana as Japanese, ...),
//! so with it this file would hand-write that part of the standard (a prototype took some 50
//! lines); here it is the crate's `AugmentedScriptSet`. Either adds ~36 KiB of script data to
//! the binary (see Cargo.toml): ICU4X's Script_Extensions were not linked in before either.
//!
//! Only the script condition of the restriction level is applied, not its identifier profile
//! (`detect_restriction_level` checks both): that profile is for program identifiers and
//! refuses `+` and the other specials RFC 5322 allows in an address, emoji, and whole scripts
//! still in use (Cherokee, Canadian Syllabics, Adlam), none of which mixes scripts. Look-alikes
//! within one script (`pɑypal` with a Latin alpha) are UTS #39's confusables, a matter for its
//! skeletons (section 4), not for these rules.

use icu_normalizer::ComposingNormalizerBorrowed;
use unicode_script::Script;
use unicode_security::MixedScript;
use unicode_security::mixed_script::AugmentedScriptSet;

use super::email::Email;
use super::invalid::Invalid;

/// An address fit to be registered: an [`Email`] whose local part has no compatibility
/// characters and does not mix scripts.
///
/// Only [`NewEmail::parse`] makes one, so a sign-up or an e-mail change cannot carry an
/// address that skipped these rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail(Email);

impl NewEmail {
    /// Parses `raw` as [`Email::parse`] does, then holds its local part to the rules above.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = Email::parse(raw)?;
        let local = email.local_part();
        // `local` is NFC already, so it differs from its NFKC form exactly when it is not NFKC.
        if !ComposingNormalizerBorrowed::new_nfkc().is_normalized(local) {
            return Err(Invalid::new(
                "must not use compatibility characters such as full-width letters",
            ));
        }
        if !highly_restrictive(local) {
            return Err(Invalid::new(
                "must not mix scripts, such as Latin and Cyrillic, before the @",
            ));
        }
        Ok(Self(email))
    }
}

/// Whether `text` mixes scripts no further than UTS #39's "highly restrictive" level allows
/// (section 5.2): it is single-script (characters common to all scripts, such as digits and
/// `.`, count as any), or its characters other than Latin ones are all Japanese (Han, Hiragana,
/// Katakana), all Chinese with Bopomofo, or all Korean (Han, Hangul).
fn highly_restrictive(text: &str) -> bool {
    let mut beside_latin = AugmentedScriptSet::default();
    for set in text.chars().map(AugmentedScriptSet::for_char) {
        if !set.base.contains_script(Script::Latin) {
            beside_latin.intersect_with(set);
        }
    }
    text.is_single_script() || beside_latin.jpan || beside_latin.hanb || beside_latin.kore
}

impl AsRef<Email> for NewEmail {
    fn as_ref(&self) -> &Email {
        &self.0
    }
}

impl From<NewEmail> for Email {
    fn from(new: NewEmail) -> Self {
        new.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_parts_of_one_script_or_a_customary_mix_are_accepted() {
        let cases = [
            ("ada@example.com", "ASCII"),
            (
                "first+tag!#$%&*/=?^_`{|}~-@example.com",
                "every ASCII special",
            ),
            (
                "o'brien.2024@example.ie",
                "digits and punctuation with Latin",
            ),
            ("straße@example.de", "ß is its own NFKC form"),
            ("ünïcödé@bücher.de", "Latin with diacritics"),
            ("иван@example.ru", "all Cyrillic"),
            ("иван.2000@example.ru", "Cyrillic with digits and a dot"),
            ("αλέξανδρος@example.gr", "all Greek"),
            ("山田たろう@example.jp", "Han and Hiragana"),
            ("yamada.タロウ@example.jp", "Latin and Katakana"),
            ("taro.山田たろう@example.jp", "Latin, Han and Hiragana"),
            ("王ㄅㄆ.wang@example.tw", "Latin, Han and Bopomofo"),
            ("kim.김철수@example.kr", "Latin and Hangul"),
            ("金철수@example.kr", "Han and Hangul"),
            (
                "ᐃᓄᒃᑎᑐᑦ@example.ca",
                "a script UTS #39's identifier profile restricts",
            ),
            (
                "δοκιμή@ｅｘａｍｐｌｅ.com",
                "a full-width domain is IDNA's to map",
            ),
        ];
        for (raw, why) in cases {
            let new = NewEmail::parse(raw);
            assert_eq!(new.map(Email::from), Email::parse(raw), "case: {why}");
        }
    }

    #[test]
    fn compatibility_characters_and_mixed_scripts_are_refused_with_a_reason() {
        let compatibility = "must not use compatibility characters such as full-width letters";
        let mixed = "must not mix scripts, such as Latin and Cyrillic, before the @";
        let cases = [
            ("ａｄａ@example.com", compatibility, "full-width letters"),
            ("ada１@example.com", compatibility, "a full-width digit"),
            ("ﬁnance@example.com", compatibility, "the ﬁ ligature"),
            ("ada²@example.com", compatibility, "a superscript digit"),
            ("ⓐda@example.com", compatibility, "a circled letter"),
            ("ǆemal@example.ba", compatibility, "the dž digraph"),
            ("㍿@example.jp", compatibility, "a squared word"),
            ("pаypal@example.com", mixed, "Latin with a Cyrillic а"),
            ("аda@example.com", mixed, "a Cyrillic а first"),
            ("αda@example.com", mixed, "Latin with a Greek α"),
            ("иванα@example.ru", mixed, "Cyrillic with Greek"),
            ("ada.հայ@example.am", mixed, "Latin with Armenian"),
            (
                "ivan.иван@example.ru",
                mixed,
                "Latin with Cyrillic, each its own atom",
            ),
            ("中иван@example.com", mixed, "Han with Cyrillic"),
            ("たろう김@example.jp", mixed, "Hiragana with Hangul"),
        ];
        for (raw, reason, why) in cases {
            assert!(Email::parse(raw).is_ok(), "{why}: a look-up still takes it");
            assert_eq!(
                NewEmail::parse(raw),
                Err(Invalid::new(reason)),
                "case: {why}"
            );
        }
    }

    #[test]
    fn what_any_address_must_be_comes_first() {
        let cases = [
            ("", "must not be empty"),
            ("ａｄａ", "must be a valid e-mail address"),
            (
                "ａ\u{200B}ｄａ@example.com",
                "must not contain invisible characters",
            ),
        ];
        for (raw, reason) in cases {
            assert_eq!(NewEmail::parse(raw), Err(Invalid::new(reason)), "{raw:?}");
        }
    }
}
