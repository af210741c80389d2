//! Where a session was started from: the client's `User-Agent` and the address it connected
//! from, kept so that the account's owner can tell their sessions apart (`GET /user/sessions/`).
//!
//! Both are what the client (or API Gateway) says, recorded for display, never trusted for a
//! decision; either may be absent. The user agent is bounded when it is read, so a client
//! cannot make a session item, or the list of sessions, arbitrarily large.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use super::Invalid;

/// The most characters of a `User-Agent` kept; the rest is dropped.
pub const USER_AGENT_CHARS: usize = 256;

/// A client's `User-Agent`: trimmed, not empty, no control characters, at most
/// [`USER_AGENT_CHARS`] characters (a longer one is cut there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAgent(String);

impl UserAgent {
    /// Reads a header's value (or a stored one: what this returns parses to itself).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Invalid::new("must not contain control characters"));
        }
        let kept: String = trimmed.chars().take(USER_AGENT_CHARS).collect();
        Ok(Self(kept.trim_end().to_owned()))
    }
}

impl AsRef<str> for UserAgent {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The IP address a request came from (API Gateway's `requestContext.http.sourceIp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceIp(IpAddr);

impl SourceIp {
    /// An IPv4 or IPv6 address in its usual text form; anything else is refused.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        IpAddr::from_str(raw.trim())
            .map(Self)
            .map_err(|_| Invalid::new("must be an IP address"))
    }
}

impl fmt::Display for SourceIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a session was started from; [`SessionOrigin::default`] knows nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionOrigin {
    pub user_agent: Option<UserAgent>,
    pub source_ip: Option<SourceIp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_is_trimmed_and_cut_at_its_bound() {
        let read = |raw: &str| UserAgent::parse(raw).map(|agent| agent.as_ref().to_owned());
        assert_eq!(read("  curl/8.5.0 ").as_deref(), Ok("curl/8.5.0"));
        let long = "é".repeat(USER_AGENT_CHARS + 50);
        let cut = read(&long).expect("cut, not refused");
        assert_eq!(cut.chars().count(), USER_AGENT_CHARS);
        assert_eq!(
            read(&cut),
            Ok(cut.clone()),
            "what is kept reads back as itself"
        );
        let ends_in_space = format!("{} tail", "a".repeat(USER_AGENT_CHARS - 1));
        assert_eq!(read(&ends_in_space), Ok("a".repeat(USER_AGENT_CHARS - 1)));
    }

    #[test]
    fn empty_or_control_laden_user_agents_are_refused() {
        for (raw, why) in [
            ("", "empty"),
            ("   ", "blank"),
            ("Mozilla\u{0}/5.0", "a NUL"),
            ("a\nb", "a line break inside"),
            ("a\u{1b}[31mb", "an escape sequence"),
        ] {
            assert!(UserAgent::parse(raw).is_err(), "{why}: {raw:?}");
        }
    }

    #[test]
    fn a_source_ip_is_an_ipv4_or_ipv6_address_and_nothing_else() {
        let shown = |raw: &str| SourceIp::parse(raw).map(|ip| ip.to_string());
        assert_eq!(shown("203.0.113.7").as_deref(), Ok("203.0.113.7"));
        assert_eq!(shown("2001:DB8::1").as_deref(), Ok("2001:db8::1"));
        for raw in [
            "",
            "localhost",
            "203.0.113",
            "203.0.113.7:443",
            "::g",
            "1.2.3.4/32",
        ] {
            assert!(SourceIp::parse(raw).is_err(), "{raw:?}");
        }
    }
}
