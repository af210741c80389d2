//! Password hashing: HMAC-SHA-256 with a secret pepper, then Argon2id with a random salt.
//!
//! The pepper ([`pepper`](super::pepper)) lives outside the database. Argon2id is memory-hard;
//! its cost parameters and the pepper's id are written into every PHC string, so changing
//! either affects new hashes only and old ones keep verifying. Hashing is pure CPU with no I/O to substitute, so it has no port: tests use this
//! very type with cheap parameters. Each hash runs on Tokio's blocking pool, keeping the
//! executor free to serve other requests meanwhile.

use std::{fmt, sync::Arc};

use anyhow::{Context, anyhow};
use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::password_hash::try_generate_salt;
use argon2::{Algorithm, Argon2, KeyId, Params, ParamsBuilder, PasswordHash as Phc, Version};

use super::hash_memory::HashMemory;
use super::pepper::{Pepper, PepperAge, Peppers};
use crate::domain::{Invalid, Password, PasswordHash};

/// Argon2id cost parameters: memory in KiB (`m`), passes (`t`) and lanes (`p`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashCost(Params);

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
/// A quarter of the function's memory: the rest holds the runtime, the SDK, and allocator
/// slack (a hash's block is freed, but not always returned to the system at once).
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

/// Hashes and verifies passwords. Cheap to clone: the state is shared.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
    limit: HashMemoryLimit,
}

struct Inner {
    peppers: Peppers,
    argon2: Argon2<'static>,
    memory: HashMemory,
}

impl PasswordHasher {
    pub fn new(peppers: impl Into<Peppers>, cost: HashCost) -> Self {
        let memory = HashMemory::per_cpu(cost.0.block_count());
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, cost.0);
        Self {
            inner: Arc::new(Inner {
                peppers: peppers.into(),
                argon2,
                memory,
            }),
            limit: HashMemoryLimit::default(),
        }
    }

    /// How many hashes may run at once (the others wait): one per CPU this process may use.
    pub fn hash_slots(&self) -> usize {
        self.inner.memory.slots()
    }

    /// The same hasher, refusing stored hashes that need more memory than `limit`.
    pub fn limited_to(self, limit: HashMemoryLimit) -> Self {
        Self { limit, ..self }
    }

    /// A new PHC string for `password`, with a fresh random salt and the current pepper's id.
    pub async fn hash(&self, password: &Password) -> anyhow::Result<PasswordHash> {
        let pepper = self.inner.peppers.current().clone();
        let params = tagged(self.inner.argon2.params(), &pepper)?;
        let salt = try_generate_salt().context("no randomness for a salt")?;
        let password = password.clone();
        let phc = self
            .inner
            .memory
            .run(params.block_count(), move |memory| {
                let mut output = [0; Params::DEFAULT_OUTPUT_LEN];
                Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
                    .hash_password_into_with_memory(
                        &pepper.apply(&password),
                        &salt,
                        &mut output,
                        memory,
                    )
                    .map_err(|e| anyhow!("Argon2 hashing failed: {e}"))?;
                let phc = Phc {
                    algorithm: Algorithm::Argon2id.ident(),
                    version: Some(Version::V0x13.into()),
                    params: ParamsString::try_from(&params)?,
                    salt: Some(Salt::new(&salt)?),
                    hash: Some(Output::new(&output)?),
                };
                anyhow::Ok(phc.to_string())
            })
            .await??;
        PasswordHash::parse(phc).context("Argon2 produced a malformed PHC string")
    }

    /// Whether `hash` was made with weaker settings than this hasher's: another algorithm or
    /// version, less memory, fewer passes or fewer lanes, or a previous pepper. Such a hash is
    /// re-made from the password the next time it is verified.
    pub fn is_weaker(&self, hash: &PasswordHash) -> bool {
        let Ok(phc) = Phc::new(hash.expose()) else {
            return false;
        };
        let Ok(stored) = Params::try_from(&phc) else {
            return false;
        };
        let current = self.inner.argon2.params();
        let pepper = self.inner.peppers.made_with(stored.keyid());
        matches!(pepper, Some((_, PepperAge::Older)))
            || phc.algorithm != Algorithm::Argon2id.ident()
            || phc.version != Some(Version::V0x13 as u32)
            || stored.m_cost() < current.m_cost()
            || stored.t_cost() < current.t_cost()
            || stored.p_cost() < current.p_cost()
    }

    /// Whether `password` matches `hash`, using the parameters and the pepper named in the hash.
    /// An error means the hash itself is unusable (malformed, beyond the memory limit, or made
    /// with a pepper no longer configured), never that the password is wrong.
    pub async fn verify(&self, password: &Password, hash: &PasswordHash) -> anyhow::Result<bool> {
        let unusable = |e: &dyn fmt::Display| anyhow!("the stored password hash is unusable: {e}");
        let phc = Phc::new(hash.expose()).map_err(|e| unusable(&e))?;
        let params = Params::try_from(&phc).map_err(|e| unusable(&e))?;
        self.limit
            .admits(&HashCost(params.clone()))
            .map_err(|reason| anyhow!("the stored password hash {reason}"))?;
        let (pepper, _) = self
            .inner
            .peppers
            .made_with(params.keyid())
            .ok_or_else(|| {
                anyhow!(
                    "the stored password hash was made with a pepper that is no longer configured"
                )
            })?;
        let pepper: Pepper = pepper.clone();
        let algorithm = Algorithm::try_from(phc.algorithm.as_str()).map_err(|e| unusable(&e))?;
        let version = (phc.version.map(Version::try_from).transpose())
            .map_err(|e| unusable(&e))?
            .unwrap_or_default();
        let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else {
            return Err(unusable(&"no salt or no hash"));
        };
        let password = password.clone();
        self.inner
            .memory
            .run(params.block_count(), move |memory| {
                let mut output = vec![0; expected.len()];
                Argon2::new(algorithm, version, params)
                    .hash_password_into_with_memory(
                        &pepper.apply(&password),
                        &salt,
                        &mut output,
                        memory,
                    )
                    .map_err(|e| anyhow!("the stored password hash is unusable: {e}"))?;
                // `Output`'s equality takes the same time wherever the bytes differ.
                Ok(Output::new(&output)? == expected)
            })
            .await?
    }
}

/// `params` naming `pepper` as the key id.
fn tagged(params: &Params, pepper: &Pepper) -> anyhow::Result<Params> {
    let keyid = KeyId::new(pepper.id().as_bytes()).map_err(|e| anyhow!("pepper id: {e}"))?;
    (ParamsBuilder::new()
        .m_cost(params.m_cost())
        .t_cost(params.t_cost()))
    .p_cost(params.p_cost())
    .keyid(keyid)
    .build()
    .map_err(|e| anyhow!("Argon2 parameters with a key id: {e}"))
}

#[cfg(test)]
#[path = "hasher_tests.rs"]
mod tests;
