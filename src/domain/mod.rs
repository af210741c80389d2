//! The account model: the [`User`] and [`Session`] aggregates (and the [`MfaChallenge`] between
//! a password and a second factor) and the value types they are
//! built from.
//!
//! Every type here is *parsed* from raw input exactly once (at the HTTP edge) and cannot be
//! constructed in an invalid state, so the service layer never re-checks anything. Nothing in this
//! module knows about HTTP, DynamoDB or hashing algorithms.

mod account_listing;
mod code_purpose;
mod code_record;
mod email;
mod event;
mod failures;
mod iam_caller;
mod id;
mod invalid;
mod mfa_challenge;
mod name;
mod new_email;
mod one_time_code;
mod password;
mod recovery_code;
mod refresh_token;
mod revision;
mod second_factor;
mod sends;
mod session;
mod session_origin;
pub(crate) mod text;
mod totp;
mod user;
mod user_second_factor;

pub use account_listing::{AccountCursor, EmailPrefix, PageSize};
pub use code_purpose::CodePurpose;
pub use code_record::{
    CodeCheck, CodeRecord, DAY_SECONDS, LiveCode, TRIES_PER_CODE, WRONG_CODES_PER_DAY, WrongCodes,
};
pub use email::Email;
pub use event::{AccountEvent, Actor, EVENTS_PER_PAGE, EventCursor, EventKind};
pub use failures::{FREE_FAILURES, Failures, MAX_LOCK_SECONDS};
pub use iam_caller::IamCaller;
pub use invalid::Invalid;
pub use mfa_challenge::{ChallengeId, MFA_TOKEN_SECONDS, MFA_TRIES, MfaChallenge, MfaToken};
pub use name::PersonName;
pub use new_email::NewEmail;
pub use one_time_code::{CodeDigest, OneTimeCode};
pub use password::{NewPassword, Password, PasswordHash, PasswordPolicy};
pub use recovery_code::{RECOVERY_CODES, RecoveryCode};
pub use refresh_token::{RefreshToken, SECRET_BYTES, SessionId};
pub use revision::Revision;
pub use second_factor::{RecoveryDigest, SealedSecret, SecondFactor};
pub use sends::{SEND_INTERVAL_SECONDS, SEND_WINDOW_SECONDS, SENDS_PER_WINDOW, Sends};
pub use session::{Amr, Lifetimes, Presented, Session};
pub use session_origin::{SessionOrigin, SourceIp, USER_AGENT_CHARS, UserAgent};
pub use totp::{TOTP_DIGITS, TOTP_SECRET_BYTES, TOTP_STEP_SECONDS, TotpCode, TotpSecret};
pub(crate) use user::StoredUser;
pub use user::{User, UserId};

/// Sample values for the crate's unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{Email, PasswordHash, PersonName, User};

    /// A new, inactive account (its hash is well-formed but matches no password).
    pub(crate) fn ada() -> User {
        User::register(
            PersonName::parse("Ada").expect("valid"),
            PersonName::parse("Lovelace").expect("valid"),
            Email::parse("ada@example.com").expect("valid"),
            PasswordHash::parse("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".to_owned())
                .expect("valid"),
            1_700_000_000,
        )
    }
}
