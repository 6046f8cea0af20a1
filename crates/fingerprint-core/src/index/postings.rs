//! An inverted index from 32-bit shingle keys to block numbers.
//!
//! Most postings are merged: six bytes each, ordered by key and found through a directory
//! (`packed.rs`). New postings are chained in a small arena, their heads in a table
//! (`chains.rs`), and are merged when they reach a quarter of the merged ones: each merge
//! rewrites every posting, so rarer merges make cheaper inserts, while more recent postings make
//! slower lookups (measured: a quarter beat an eighth and a half). An insert costs one slot of the
//! table, a lookup two or three cache misses; a batch of inserts prefetches every key's slot before
//! writing any, and a query's lookups load each step a few keys ahead, so those misses overlap.

use super::chains::{Chain, Chains};
use super::packed::{Packed, Posting};
use super::radix::sorted_by_key;

/// New postings wait in the arena until it holds this many, or a quarter of the merged ones.
const MIN_MERGE_AT: usize = 1 << 16;
const MERGE_RATIO: usize = 4;
/// How many keys ahead of the one being read a lookup starts loading memory.
const AHEAD: usize = 6;

#[derive(Clone, Debug)]
pub struct Postings {
    /// Recent postings are merged when they reach at least this many (`MIN_MERGE_AT`; tests
    /// make it small, so that merges come often).
    min_merge_at: usize,
    sorted: Packed,
    /// Each recent key's newest posting in `recent`, and how many it has there.
    chains: Chains,
    /// Recent postings: `(block, previous posting of the same key)`.
    recent: Vec<(u32, u32)>,
    /// The key of each recent posting, so that a merge reads them in order rather than chasing
    /// chains.
    recent_keys: Vec<u32>,
}

/// The postings of one key: merged blocks and a chain of recent ones.
pub struct Found<'a> {
    sorted: &'a [Posting],
    recent: &'a [(u32, u32)],
    head: u32,
    recent_len: u32,
}

impl Found<'_> {
    /// How many postings the key has.
    pub fn len(&self) -> usize {
        self.sorted.len() + self.recent_len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The blocks that hold the key.
    pub fn blocks(&self) -> impl Iterator<Item = u32> + '_ {
        self.sorted.iter().map(|p| p.block()).chain(self.chain())
    }

    fn chain(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.head;
        std::iter::from_fn(move || {
            let (block, previous) = *self.recent.get(at as usize)?;
            at = previous;
            Some(block)
        })
    }
}

impl Default for Postings {
    fn default() -> Self {
        Self::merging_at(MIN_MERGE_AT)
    }
}

impl Postings {
    pub fn new() -> Self {
        Self::default()
    }

    /// Postings that merge their recent ones from `min_merge_at` of them on.
    pub fn merging_at(min_merge_at: usize) -> Self {
        Self {
            min_merge_at: min_merge_at.max(1),
            sorted: Packed::default(),
            chains: Chains::default(),
            recent: Vec::new(),
            recent_keys: Vec::new(),
        }
    }

    /// No postings, merging as these do.
    pub fn emptied(&self) -> Self {
        Self::merging_at(self.min_merge_at)
    }

    /// Records that `block` holds the shingle `key`.
    pub fn insert(&mut self, key: u32, block: u32) {
        self.insert_many(1, || std::iter::once(entry(key, block)));
    }

    /// Records `len` postings, `entry(key, block)`, blocks in order, given as an iterator that
    /// can be made again (a merge counts them before placing them); every key's slot is
    /// prefetched before any is written.
    pub fn insert_many<I: Iterator<Item = u64>>(&mut self, len: usize, postings: impl Fn() -> I) {
        if self.recent.len() + len >= self.merge_at() {
            // A merge is due: the batch goes straight into it, not through the heads table.
            self.merge_with(len, postings, |_| true);
            return;
        }
        // Made once: iterators over blocks' keys cost more to make twice than a few postings
        // cost to keep (measured: an ingest 4% slower).
        let postings: Vec<u64> = postings().collect();
        self.chains.reserve(len);
        for &posting in &postings {
            self.chains.prefetch(key_of(posting));
        }
        for posting in postings {
            let previous = self.chains.push(key_of(posting), self.recent.len() as u32);
            self.recent.push((posting as u32, previous));
            self.recent_keys.push(key_of(posting));
        }
    }

    /// Recent postings are merged when they reach this many.
    fn merge_at(&self) -> usize {
        self.min_merge_at.max(self.sorted.len() / MERGE_RATIO)
    }

    /// The postings of `key`.
    pub fn get(&self, key: u32) -> Found<'_> {
        let Chain { head, len } = self.chains.get(key);
        Found { sorted: self.sorted.get(key), recent: &self.recent, head, recent_len: len }
    }

    /// The postings of each of `keys`, looked up together: a few keys ahead of the one being
    /// read, each step's memory is loading, so cache misses overlap. (Loading every key's first,
    /// then every key's second step, a query's hundred keys brought in more lines than the
    /// cache kept until they were read: measured, lookups ahead by 6 made an ingest about 10% and
    /// a one-block query about 8% faster; 4 and 8 did as well, 16 less.)
    pub fn get_many(&self, keys: &[u32]) -> Vec<Found<'_>> {
        // Key i + 2 * AHEAD starts loading its table slot and directory entry, key i + AHEAD its
        // bucket (which needs the directory entry), while key i is read.
        let start = |key: u32| {
            self.chains.prefetch(key);
            if !self.sorted.is_empty() {
                self.sorted.prefetch_directory(key);
            }
        };
        let bucket = |key: u32| {
            if !self.sorted.is_empty() {
                self.sorted.prefetch_bucket(key);
            }
        };
        keys.iter().take(2 * AHEAD).for_each(|&key| start(key));
        keys.iter().take(AHEAD).for_each(|&key| bucket(key));
        let mut found = Vec::with_capacity(keys.len());
        for (i, &key) in keys.iter().enumerate() {
            if let Some(&later) = keys.get(i + 2 * AHEAD) {
                start(later);
            }
            if let Some(&next) = keys.get(i + AHEAD) {
                bucket(next);
            }
            found.push(self.get(key));
        }
        found
    }

    /// Gives back the room kept for recent postings to come (a merge keeps it for the next
    /// ones): for the end of a batch.
    pub fn settle(&mut self) {
        self.chains.fit();
    }

    /// Postings in all.
    pub fn len(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        let chains = self.chains.heap_bytes();
        self.sorted.heap_bytes()
            + self.recent.capacity() * 8
            + self.recent_keys.capacity() * 4
            + chains
    }

    /// Moves the recent postings into the sorted array, dropping those of blocks `keep` rejects.
    pub fn merge(&mut self, keep: impl Fn(u32) -> bool) {
        self.merge_with(0, std::iter::empty, keep);
    }

    /// Merges the recent postings and then `more` (`len` newer ones, in block order) into the
    /// sorted array, in place, dropping those of blocks `keep` rejects.
    fn merge_with<I: Iterator<Item = u64>>(
        &mut self,
        len: usize,
        more: impl Fn() -> I,
        keep: impl Fn(u32) -> bool,
    ) {
        let recent = || {
            let recent = self.recent_keys.iter().zip(&self.recent);
            recent.map(|(&key, &(block, _))| entry(key, block)).chain(more())
        };
        let len = self.recent.len() + len;
        let built = if self.sorted.is_empty() { Packed::build(len, recent, &keep) } else { None };
        match built {
            Some(built) => self.sorted = built,
            None => {
                let fresh = sorted_by_key(len, recent);
                self.sorted.absorb(&fresh, keep);
            }
        }
        self.chains.clear();
        self.recent = Vec::new();
        self.recent_keys = Vec::new();
    }
}

/// A posting as one value, `key << 32 | block`: sorting these sorts by key, then block.
pub fn entry(key: u32, block: u32) -> u64 {
    (u64::from(key) << 32) | u64::from(block)
}

fn key_of(entry: u64) -> u32 {
    (entry >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(p: &Postings, key: u32) -> Vec<u32> {
        let mut found: Vec<u32> = p.get(key).blocks().collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn lookups_see_recent_and_merged_postings() {
        let mut p = Postings::new();
        for block in 0..200_000u32 {
            p.insert((block % 50_000).wrapping_mul(2_654_435_761), block);
        }
        assert!(p.sorted.len() >= MIN_MERGE_AT, "some postings were merged");
        assert!(!p.recent.is_empty(), "some postings are recent");
        let key = 7u32.wrapping_mul(2_654_435_761);
        assert_eq!(blocks_of(&p, key), [7, 50_007, 100_007, 150_007]);
        assert_eq!(p.get(key).len(), 4);
        assert_eq!(p.len(), 200_000);
    }

    #[test]
    fn merge_drops_rejected_blocks() {
        let mut p = Postings::new();
        for block in 0..10u32 {
            p.insert(u32::MAX - block % 2, block);
        }
        p.merge(|b| b % 3 != 0);
        assert_eq!(blocks_of(&p, u32::MAX), [2, 4, 8]);
        assert_eq!(blocks_of(&p, u32::MAX - 1), [1, 5, 7]);
        assert_eq!(blocks_of(&p, 12345), Vec::<u32>::new());
    }
}
