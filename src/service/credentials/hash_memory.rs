//! Argon2's working memory, kept and reused instead of allocated for every hash.
//!
//! One Argon2id hash at OWASP cost fills 19 MiB. Allocated per hash, that memory is zero-filled
//! and faulted in page by page every time, and glibc keeps freed blocks of that size in the
//! arena of the thread that freed them (its mmap threshold rises to the largest block freed), so
//! a process that has hashed on several of Tokio's blocking threads holds several blocks for good:
//! `make bench` measured 165 MiB of peak RSS after a run of sign-ups and sign-ins.
//!
//! Here a fixed number of slots, as many as the CPUs this process may use, each keep one block,
//! zeroised after every hash. A hash waits for a free slot, so however many requests run at once
//! (Lambda Managed Instances), no more blocks exist than CPUs to fill them; the others queue,
//! which costs them nothing they would not lose to CPU contention anyway.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::Context;
use argon2::Block;
use tokio::sync::Semaphore;
use zeroize::Zeroize;

/// The slots and their blocks. Cheap to share behind an `Arc`.
///
/// A hash holds its slot, and its block, until the blocking work itself ends: a request that
/// stops waiting for it (its deadline passed) cannot free the slot while a CPU still hashes,
/// so the one-hash-per-CPU bound, and the memory it caps, hold even then.
pub(super) struct HashMemory {
    slots: Arc<Semaphore>,
    /// The number of slots: the semaphore only tells how many are free at the moment.
    slot_count: usize,
    free: Arc<Mutex<Vec<Vec<Block>>>>,
    /// The size a block is trimmed back to after a larger one was needed (a stored hash with a
    /// higher memory cost than today's): what a current hash needs.
    usual_blocks: usize,
}

impl HashMemory {
    /// `slots` blocks at most, each kept at `usual_blocks` blocks of 1 KiB.
    pub(super) fn new(slots: NonZeroUsize, usual_blocks: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.get())),
            slot_count: slots.get(),
            free: Arc::new(Mutex::new(Vec::with_capacity(slots.get()))),
            usual_blocks,
        }
    }

    /// One slot per CPU this process may use (its affinity and cgroup quota included).
    pub(super) fn per_cpu(usual_blocks: usize) -> Self {
        let cpus = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        Self::new(cpus, usual_blocks)
    }

    /// How many hashes may run at once.
    pub(super) fn slots(&self) -> usize {
        self.slot_count
    }

    /// Runs `work` on Tokio's blocking pool with `blocks` blocks of memory, once a slot is free.
    /// The memory holds whatever the last hash left (zeros): Argon2 writes every block before
    /// it reads it. It is zeroised before the slot is given back.
    pub(super) async fn run<R: Send + 'static>(
        &self,
        blocks: usize,
        work: impl FnOnce(&mut [Block]) -> R + Send + 'static,
    ) -> anyhow::Result<R> {
        let slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .context("no hash slot")?;
        let mut memory = lock(&self.free).pop().unwrap_or_default();
        let (usual, free) = (self.usual_blocks, Arc::clone(&self.free));
        tokio::task::spawn_blocking(move || {
            if memory.len() < blocks {
                memory.resize(blocks, Block::default());
            }
            let result = work(&mut memory[..blocks]);
            memory[..blocks].iter_mut().for_each(Zeroize::zeroize);
            if memory.len() > usual {
                memory.truncate(usual);
                memory.shrink_to_fit();
            }
            // Given back here, not by the caller, which may have stopped waiting.
            lock(&free).push(memory);
            drop(slot);
            result
        })
        .await
        .context("the hashing task did not finish")
    }

    #[cfg(test)]
    fn lock(&self) -> MutexGuard<'_, Vec<Vec<Block>>> {
        lock(&self.free)
    }
}

fn lock(free: &Mutex<Vec<Vec<Block>>>) -> MutexGuard<'_, Vec<Vec<Block>>> {
    // A panic while holding the lock cannot leave the list half-changed: take it as is.
    free.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    fn memory(slots: usize, usual: usize) -> Arc<HashMemory> {
        Arc::new(HashMemory::new(
            NonZeroUsize::new(slots).expect("not zero"),
            usual,
        ))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_slots() {
        let memory = memory(2, 8);
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (memory, running, most) = (memory.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    memory
                        .run(8, move |_| {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("joined").expect("ran");
        }

        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert!(memory.lock().len() <= 2, "one block per slot is kept");
    }

    #[tokio::test]
    async fn the_memory_is_reused_and_zeroised_between_hashes() {
        let memory = memory(1, 4);
        let first = memory
            .run(4, |blocks| {
                blocks.iter_mut().for_each(|b| b.as_mut().fill(7));
                blocks.as_ptr() as usize
            })
            .await
            .expect("ran");

        let (second, zeroed) = memory
            .run(4, |blocks| {
                let zeroed = blocks.iter().all(|b| b.as_ref().iter().all(|&w| w == 0));
                (blocks.as_ptr() as usize, zeroed)
            })
            .await
            .expect("ran");

        assert_eq!(first, second, "the same block, not a new allocation");
        assert!(zeroed, "nothing of the last hash is left");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hash_keeps_its_slot_until_it_ends_even_when_its_caller_stops_waiting() {
        let memory = memory(1, 4);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let waited = tokio::time::timeout(
            Duration::from_millis(50),
            memory.run(4, move |_| hold.recv().ok()),
        )
        .await;
        assert!(waited.is_err(), "the caller gave up (its deadline passed)");

        assert_eq!(
            memory.slots.available_permits(),
            0,
            "the hash still runs, so its slot is still taken"
        );
        release.send(()).expect("the hash is waiting");
        for _ in 0..100 {
            if memory.slots.available_permits() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(
            memory.slots.available_permits(),
            1,
            "freed when the hash ended"
        );
        assert_eq!(memory.lock().len(), 1, "and its block kept for the next");
    }

    #[tokio::test]
    async fn a_block_grown_for_a_costlier_stored_hash_is_trimmed_back() {
        let memory = memory(1, 4);
        let seen = memory.run(16, |blocks| blocks.len()).await.expect("ran");

        assert_eq!(seen, 16);
        assert_eq!(memory.lock()[0].len(), 4);
        assert_eq!(
            memory.slots.available_permits(),
            1,
            "the slot is free again"
        );
    }
}
