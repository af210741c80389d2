//! Password hashing: HMAC-SHA-256 with a secret pepper, then Argon2id with a random salt.
//!
//! The pepper ([`pepper`](super::pepper)) lives outside the database. Argon2id is memory-hard;
//! its cost parameters ([`hash_cost`](super::hash_cost)) and the pepper's id are written into
//! every PHC string, so changing either affects new hashes only and old ones keep verifying.
//! Hashing is pure CPU with no I/O to substitute, so it has no port: tests use this very type
//! with cheap parameters. Each hash runs on Tokio's blocking pool, in memory reused from one
//! hash to the next ([`hash_memory`](super::hash_memory)), keeping the executor free to serve
//! other requests meanwhile.

use std::{fmt, sync::Arc};

use anyhow::{Context, anyhow};
use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::password_hash::try_generate_salt;
use argon2::{Algorithm, Argon2, KeyId, Params, ParamsBuilder, PasswordHash as Phc, Version};

use super::hash_cost::{HashCost, HashMemoryLimit};
use super::hash_memory::HashMemory;
use super::pepper::{Pepper, PepperAge, Peppers};
use crate::domain::{Password, PasswordHash};

/// Hashes and verifies passwords. Cheap to clone: the state is shared.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
    limit: HashMemoryLimit,
}

struct Inner {
    peppers: Peppers,
    /// New hashes' cost (`tagged` adds the current pepper's id).
    cost: Params,
    memory: HashMemory,
}

impl PasswordHasher {
    pub fn new(peppers: impl Into<Peppers>, cost: HashCost) -> Self {
        let memory = HashMemory::per_cpu(cost.0.block_count());
        Self {
            inner: Arc::new(Inner {
                peppers: peppers.into(),
                cost: cost.0,
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
        let params = tagged(&self.inner.cost, &pepper)?;
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

    /// A hash of today's cost and current pepper that no password matches (its output is
    /// zeros, which no Argon2 run yields in practice): verifying a password against it costs
    /// exactly what verifying one against an account's current hash does.
    pub fn decoy(&self) -> anyhow::Result<PasswordHash> {
        const SALT: [u8; 16] = *b"user-service-dec";
        let params = tagged(&self.inner.cost, self.inner.peppers.current())?;
        let phc = Phc {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(Salt::new(&SALT)?),
            hash: Some(Output::new(&[0; Params::DEFAULT_OUTPUT_LEN])?),
        };
        PasswordHash::parse(phc.to_string()).context("the decoy hash is malformed")
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
        let current = &self.inner.cost;
        let pepper = self.inner.peppers.made_with(stored.keyid());
        matches!(pepper, Some((_, PepperAge::Older)))
            || phc.algorithm != Algorithm::Argon2id.ident()
            || phc.version != Some(Version::V0x13 as u32)
            || stored.m_cost() < current.m_cost()
            || stored.t_cost() < current.t_cost()
            || stored.p_cost() < current.p_cost()
    }

    /// Whether `password` matches `hash`, using the parameters and the pepper named in the hash.
    /// An error means the hash itself is unusable (malformed, beyond the memory limit or four
    /// times today's passes or lanes, or made with a pepper no longer configured), never that
    /// the password is wrong. Nothing of a refused hash is run.
    pub async fn verify(&self, password: &Password, hash: &PasswordHash) -> anyhow::Result<bool> {
        let unusable = |e: &dyn fmt::Display| anyhow!("the stored password hash is unusable: {e}");
        let phc = Phc::new(hash.expose()).map_err(|e| unusable(&e))?;
        let params = Params::try_from(&phc).map_err(|e| unusable(&e))?;
        let stored = HashCost(params.clone());
        let cost = HashCost(self.inner.cost.clone());
        (self.limit.admits(&stored))
            .and_then(|()| cost.bounds(&stored))
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
