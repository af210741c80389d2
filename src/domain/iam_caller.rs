//! Who calls an admin route: the IAM principal API Gateway's `AWS_IAM` authorization verified
//! (a SigV4 signature from a principal whose policy allows `execute-api:Invoke` on the route).
//!
//! The function cannot check the signature itself; it trusts the request context API Gateway
//! writes, which only API Gateway may invoke it with (`template.yaml`). So the one thing to
//! decide here is whether the context names a principal at all, in a shape an IAM ARN has:
//! anything else (no context, an empty or malformed ARN) is no caller, and the route refuses.

use std::fmt;

use super::invalid::Invalid;
use super::text::has_control_chars;

/// An IAM principal, by its ARN (`arn:aws:iam::123456789012:user/ops`,
/// `arn:aws:sts::123456789012:assumed-role/admin/session`): what every admin log line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamCaller(String);

impl IamCaller {
    /// The longest ARN accepted (IAM's own limit on a principal's ARN is 2048 characters).
    pub const MAX_CHARS: usize = 2048;

    /// The principal's ARN.
    pub fn arn(&self) -> &str {
        &self.0
    }

    /// The caller named by `user_arn`, the `authorizer.iam.userArn` of API Gateway's context:
    /// `arn:<partition>:<iam|sts>::<12-digit account>:<resource>`, without whitespace or
    /// control characters.
    pub fn parse(user_arn: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("must be an IAM principal's ARN");
        if user_arn.is_empty()
            || user_arn.chars().count() > Self::MAX_CHARS
            || has_control_chars(user_arn)
            || user_arn.chars().any(char::is_whitespace)
        {
            return Err(invalid());
        }
        let parts: Vec<&str> = user_arn.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts[..] else {
            return Err(invalid());
        };
        let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        let ok = arn == "arn"
            && partition.starts_with("aws")
            && matches!(service, "iam" | "sts")
            && region.is_empty()
            && account_ok
            && !resource.is_empty();
        ok.then(|| Self(user_arn.to_owned())).ok_or_else(invalid)
    }
}

impl fmt::Display for IamCaller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_and_assumed_roles_are_callers_shown_by_their_arn() {
        for arn in [
            "arn:aws:iam::123456789012:user/ops",
            "arn:aws:sts::123456789012:assumed-role/admin/alice@example.com",
            "arn:aws-us-gov:iam::123456789012:root",
        ] {
            assert_eq!(
                IamCaller::parse(arn).map(|c| c.to_string()),
                Ok(arn.to_owned())
            );
        }
    }

    #[test]
    fn anything_but_a_principals_arn_is_no_caller() {
        let long = format!("arn:aws:iam::123456789012:user/{}", "a".repeat(2048));
        let cases = [
            ("", "empty"),
            ("ops", "not an ARN"),
            ("arn:aws:iam::123456789012", "no resource"),
            ("arn:aws:iam::123456789012:", "empty resource"),
            ("arn:aws:s3:::bucket/key", "not a principal's service"),
            (
                "arn:aws:iam:eu-west-1:123456789012:user/ops",
                "IAM has no region",
            ),
            ("arn:aws:iam::12345:user/ops", "no 12-digit account"),
            ("arn:aws:iam::123456789012:user/o ps", "whitespace"),
            (
                "arn:aws:iam::123456789012:user/o\nps",
                "a control character",
            ),
            ("nra:aws:iam::123456789012:user/ops", "not arn:"),
            (long.as_str(), "too long"),
        ];
        for (raw, why) in cases {
            assert!(IamCaller::parse(raw).is_err(), "{why}: {raw:?}");
        }
    }
}
