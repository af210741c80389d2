//! An authenticator app for the tests: it reads the secret an enrolment answers and shows the
//! code of a given moment, as the owner's phone would.

use serde_json::Value;
use user_service::domain::TotpSecret;

/// The secret of an enrolment's answer (`{"secret": <Base32>, …}`).
pub fn secret_of(enrolment: &Value) -> TotpSecret {
    let base32 = enrolment["secret"].as_str().expect("a secret");
    let bytes = totp_rs::Secret::try_from_base32(base32).expect("Base32");
    TotpSecret::from_bytes(bytes.as_ref()).expect("20 bytes")
}

/// The code `secret` shows at `time` (Unix seconds).
pub fn code_at(secret: &TotpSecret, time: u64) -> String {
    secret.code_at(time).reveal().to_owned()
}
