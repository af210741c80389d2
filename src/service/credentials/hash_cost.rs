//! What one Argon2id hash may cost: the parameters new hashes use (`ARGON2_PARAMS`), and the
//! most memory this function lets any hash take, new or stored.

use std::fmt;

use argon2::Params;

use crate::domain::Invalid;

/// Argon2id cost parameters: memory in KiB (`m`), passes (`t`) and lanes (`p`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashCost(pub(super) Params);

impl HashCost {
    /// OWASP's Password Storage Cheat Sheet configurations for Argon2id, as (KiB, passes) with
    /// one lane; each is equally strong, and anything at least as costly as one of them passes.
    const OWASP_MINIMUMS: [(u32, u32); 5] = [
        (47_104, 1),
        (19_456, 2),
        (12_288, 3),
        (9_216, 4),
        (7_168, 5),
    ];

    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self, Invalid> {
        Params::new(memory_kib, iterations, parallelism, None)
            .map(Self)
            .map_err(|e| Invalid::new(format!("must be valid Argon2 parameters ({e})")))
    }

    /// Parses the PHC parameter syntax, for example `m=19456,t=2,p=1`, and refuses anything
    /// cheaper than OWASP's minimum.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let syntax = || Invalid::new("must look like m=19456,t=2,p=1");
        let (mut m, mut t, mut p) = (None, None, None);
        for pair in text.split(',') {
            let (key, value) = pair.trim().split_once('=').ok_or_else(syntax)?;
            let value: u32 = value.parse().map_err(|_| syntax())?;
            let slot = match key {
                "m" => &mut m,
                "t" => &mut t,
                "p" => &mut p,
                _ => return Err(syntax()),
            };
            if slot.replace(value).is_some() {
                return Err(syntax());
            }
        }
        let (Some(m), Some(t), Some(p)) = (m, t, p) else {
            return Err(syntax());
        };
        let cost = Self::new(m, t, p)?;
        if !cost.meets_owasp_minimum() {
            return Err(Invalid::new(
                "must be at least OWASP's minimum (for example m=19456,t=2,p=1)",
            ));
        }
        Ok(cost)
    }

    /// The memory one hash takes, in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.0.m_cost()
    }

    /// How many times this cost's passes and lanes a stored hash may ask for.
    const STORED_BOUND: u32 = 4;

    /// Whether a stored hash of cost `stored` may be run by a function configured with this
    /// one: its passes and lanes (the CPU it takes) at most four times these. Memory has its
    /// own ceiling ([`HashMemoryLimit`]).
    pub(crate) fn bounds(&self, stored: &HashCost) -> Result<(), Invalid> {
        let (most_t, most_p) = (
            self.0.t_cost().saturating_mul(Self::STORED_BOUND),
            self.0.p_cost().saturating_mul(Self::STORED_BOUND),
        );
        if stored.0.t_cost() <= most_t && stored.0.p_cost() <= most_p {
            return Ok(());
        }
        Err(Invalid::new(format!(
            "asks for t={},p={}: at most 4× this function's cost ({self}) is run",
            stored.0.t_cost(),
            stored.0.p_cost(),
        )))
    }

    pub fn meets_owasp_minimum(&self) -> bool {
        Self::OWASP_MINIMUMS
            .iter()
            .any(|&(m, t)| self.0.m_cost() >= m && self.0.t_cost() >= t)
    }
}

impl Default for HashCost {
    /// OWASP's recommended configuration: 19 MiB, two passes, one lane.
    fn default() -> Self {
        Self(Params::DEFAULT)
    }
}

impl fmt::Display for HashCost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        write!(f, "m={},t={},p={}", p.m_cost(), p.t_cost(), p.p_cost())
    }
}

/// The most memory one Argon2 hash may take in this function, for new hashes
/// (`ARGON2_PARAMS`) and stored ones alike: a stored hash names its own parameters, and one
/// naming more memory than the function has would otherwise crash it on every sign-in.
///
/// A quarter of the function's memory: the rest holds the runtime, the SDK, and the blocks
/// kept for later hashes ([`hash_memory`](super::hash_memory)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashMemoryLimit {
    function_mb: u32,
}

impl HashMemoryLimit {
    /// The function's memory when Lambda does not say (local runs): the template's default.
    pub const DEFAULT_FUNCTION_MB: u32 = 1024;

    /// The limit for a function with `function_mb` MB of memory.
    pub fn for_function_memory(function_mb: u32) -> Self {
        Self { function_mb }
    }

    pub fn function_mb(&self) -> u32 {
        self.function_mb
    }

    /// The limit, in KiB.
    pub fn kib(&self) -> u32 {
        self.function_mb.saturating_mul(1024) / 4
    }

    /// Whether `cost` fits; otherwise why not.
    pub fn admits(&self, cost: &HashCost) -> Result<(), Invalid> {
        if cost.memory_kib() <= self.kib() {
            return Ok(());
        }
        Err(Invalid::new(format!(
            "asks for {} KiB per hash, more than the {} KiB (a quarter of {} MB) this function \
             allows: lower m or raise the function's memory (MemorySize)",
            cost.memory_kib(),
            self.kib(),
            self.function_mb
        )))
    }
}

impl Default for HashMemoryLimit {
    fn default() -> Self {
        Self::for_function_memory(Self::DEFAULT_FUNCTION_MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_parameters_parse_from_phc_syntax_and_respect_owasps_minimum() {
        let cases = [
            ("m=19456,t=2,p=1", Some("m=19456,t=2,p=1")),
            (" m=65536 , t=3 , p=2 ", Some("m=65536,t=3,p=2")),
            ("t=5,m=7168,p=1", Some("m=7168,t=5,p=1")),
            ("m=47104,t=1,p=1", Some("m=47104,t=1,p=1")),
            ("m=19455,t=2,p=1", None),
            ("m=19456,t=1,p=1", None),
            ("m=64,t=1,p=1", None),
            ("m=19456,t=2", None),
            ("m=19456,t=2,p=1,x=3", None),
            ("m=19456,t=2,p=1,m=8", None),
            ("m=lots,t=2,p=1", None),
            ("m=19456,t=2,p=0", None),
            ("", None),
        ];
        for (text, expected) in cases {
            let parsed = HashCost::parse(text).ok().map(|cost| cost.to_string());
            assert_eq!(parsed.as_deref(), expected, "parsing {text:?}");
        }
    }

    #[test]
    fn the_memory_limit_is_a_quarter_of_the_functions_memory() {
        let cases = [(128, 32_768), (1024, 262_144), (10_240, 2_621_440)];
        for (mb, kib) in cases {
            assert_eq!(
                HashMemoryLimit::for_function_memory(mb).kib(),
                kib,
                "{mb} MB"
            );
        }
        let owasp = HashCost::default();
        assert!(
            HashMemoryLimit::for_function_memory(128)
                .admits(&owasp)
                .is_ok()
        );
        assert!(
            HashMemoryLimit::for_function_memory(64)
                .admits(&owasp)
                .is_err()
        );
    }
}
