//! An inverted index from 32-bit shingle keys to block numbers, eight bytes per posting.
//!
//! Most postings live in one sorted array of `key << 32 | block`, found through a directory of
//! the keys' top bits (keys are hash values, so buckets are even). New postings are chained in a
//! small arena, their heads in a hash map, and are merged into the array when they reach an
//! eighth of it, so an insert costs one map update and a lookup two or three cache misses. A
//! query looks up all its keys at once and prefetches each step for all of them before taking
//! the next, so those misses overlap instead of following one another.

use rustc_hash::FxHashMap;

/// New postings wait in the arena until it holds this many, or an eighth of the array.
const MIN_MERGE_AT: usize = 1 << 16;
/// Sorted postings per directory bucket, on average: a short binary search after the directory.
const POSTINGS_PER_BUCKET: usize = 4;
/// The end of a chain of recent postings.
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct Postings {
    sorted: Vec<u64>,
    directory: Vec<u32>,
    bits: u32,
    /// Each recent key's newest posting in `recent`, and how many it has there.
    heads: FxHashMap<u32, Chain>,
    /// Recent postings: `(block, previous posting of the same key)`.
    recent: Vec<(u32, u32)>,
}

/// A key's chain of recent postings: the newest, and how many.
#[derive(Clone, Copy, Debug)]
struct Chain {
    head: u32,
    len: u32,
}

const NO_CHAIN: Chain = Chain { head: NONE, len: 0 };

/// The postings of one key: a slice of the sorted array and a chain of recent ones.
pub struct Found<'a> {
    sorted: &'a [u64],
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
        self.sorted.iter().map(|&e| e as u32).chain(self.chain())
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

impl Postings {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `block` holds the shingle `key`.
    pub fn insert(&mut self, key: u32, block: u32) {
        let at = self.recent.len() as u32;
        let chain = self.heads.entry(key).or_insert(NO_CHAIN);
        let previous = std::mem::replace(chain, Chain { head: at, len: chain.len + 1 }).head;
        self.recent.push((block, previous));
        if self.recent.len() >= MIN_MERGE_AT.max(self.sorted.len() / 8) {
            self.merge(|_| true);
        }
    }

    /// The postings of `key`.
    pub fn get(&self, key: u32) -> Found<'_> {
        let Chain { head, len } = self.heads.get(&key).copied().unwrap_or(NO_CHAIN);
        Found { sorted: self.sorted_range(key), recent: &self.recent, head, recent_len: len }
    }

    /// The postings of each of `keys`, looked up together: each step's memory is prefetched for
    /// every key before the step is taken, so cache misses overlap.
    pub fn get_many(&self, keys: &[u32]) -> Vec<Found<'_>> {
        if !self.sorted.is_empty() {
            for &key in keys {
                prefetch(&self.directory[self.bucket_of(key)]);
            }
            for &key in keys {
                let bucket = self.bucket_of(key);
                let (lo, hi) = (self.directory[bucket], self.directory[bucket + 1]);
                // A bucket holds a few postings: its first and last line cover it.
                prefetch(self.sorted.as_ptr().wrapping_add(lo as usize));
                prefetch(self.sorted.as_ptr().wrapping_add((hi as usize).saturating_sub(1)));
            }
        }
        keys.iter().map(|&key| self.get(key)).collect()
    }

    /// The number of postings of `key`.
    pub fn count(&self, key: u32) -> usize {
        self.get(key).len()
    }

    /// Calls `f` with every block that holds `key`.
    pub fn for_each(&self, key: u32, f: impl FnMut(u32)) {
        self.get(key).blocks().for_each(f);
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
        // hashbrown: key, value and one control byte per slot.
        let heads = self.heads.capacity() * 13;
        self.sorted.capacity() * 8
            + self.directory.capacity() * 4
            + self.recent.capacity() * 8
            + heads
    }

    /// Moves the recent postings into the sorted array, dropping those of blocks `keep` rejects.
    pub fn merge(&mut self, keep: impl Fn(u32) -> bool) {
        let mut fresh: Vec<u64> = Vec::with_capacity(self.recent.len());
        for (&key, &Chain { head, len }) in &self.heads {
            let found = Found { sorted: &[], recent: &self.recent, head, recent_len: len };
            fresh.extend(found.chain().filter(|&b| keep(b)).map(|b| entry(key, b)));
        }
        self.heads = FxHashMap::default();
        self.recent = Vec::new();
        fresh.sort_unstable();
        let old = std::mem::take(&mut self.sorted);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < fresh.len() {
            let take_old = j == fresh.len() || (i < old.len() && old[i] <= fresh[j]);
            let next = if take_old { old[i] } else { fresh[j] };
            if take_old {
                i += 1;
            } else {
                j += 1;
            }
            if keep(next as u32) {
                merged.push(next);
            }
        }
        merged.shrink_to_fit();
        self.sorted = merged;
        self.rebuild_directory();
    }

    fn rebuild_directory(&mut self) {
        let buckets = (self.sorted.len() / POSTINGS_PER_BUCKET).max(1);
        self.bits = (usize::BITS - buckets.leading_zeros()).clamp(1, 24);
        let buckets = 1usize << self.bits;
        let mut directory = Vec::with_capacity(buckets + 1);
        let mut i = 0;
        for bucket in 0..buckets {
            while i < self.sorted.len() && self.bucket_of((self.sorted[i] >> 32) as u32) < bucket {
                i += 1;
            }
            directory.push(i as u32);
        }
        directory.push(self.sorted.len() as u32);
        self.directory = directory;
    }

    fn bucket_of(&self, key: u32) -> usize {
        (key >> (32 - self.bits)) as usize
    }

    fn sorted_range(&self, key: u32) -> &[u64] {
        if self.sorted.is_empty() {
            return &[];
        }
        let bucket = self.bucket_of(key);
        let (lo, hi) = (self.directory[bucket] as usize, self.directory[bucket + 1] as usize);
        let slice = &self.sorted[lo..hi];
        let first = slice.partition_point(|&e| ((e >> 32) as u32) < key);
        let last = slice.partition_point(|&e| ((e >> 32) as u32) <= key);
        &slice[first..last]
    }
}

/// Asks the processor to start loading `at`'s cache line; a hint, never a fault.
#[inline(always)]
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch does not access memory; any address is allowed, even a dangling one.
    unsafe {
        std::arch::x86_64::_mm_prefetch(at.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

fn entry(key: u32, block: u32) -> u64 {
    (u64::from(key) << 32) | u64::from(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(p: &Postings, key: u32) -> Vec<u32> {
        let mut found = Vec::new();
        p.for_each(key, |b| found.push(b));
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
        assert_eq!(p.count(key), 4);
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
