//! An inverted index from 32-bit shingle keys to block numbers, eight bytes per posting.
//!
//! Most postings live in one sorted array of `key << 32 | block`, found through a directory of
//! the keys' top bits (keys are hash values, so buckets are even). New postings go to a small hash
//! map first and are merged into the array when it grows, so an insert costs a push and a lookup
//! two or three cache misses.

use std::collections::HashMap;

/// New postings wait in the map until it holds this many, or a quarter of the array.
const MIN_MERGE_AT: usize = 1 << 16;

#[derive(Clone, Debug, Default)]
pub struct Postings {
    sorted: Vec<u64>,
    directory: Vec<u32>,
    bits: u32,
    recent: HashMap<u32, Vec<u32>>,
    recent_len: usize,
}

impl Postings {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `block` holds the shingle `key`.
    pub fn insert(&mut self, key: u32, block: u32) {
        self.recent.entry(key).or_default().push(block);
        self.recent_len += 1;
        if self.recent_len >= MIN_MERGE_AT.max(self.sorted.len() / 4) {
            self.merge(|_| true);
        }
    }

    /// The number of postings of `key`.
    pub fn count(&self, key: u32) -> usize {
        self.sorted_range(key).len() + self.recent.get(&key).map_or(0, Vec::len)
    }

    /// Calls `f` with every block that holds `key`.
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        for &entry in self.sorted_range(key) {
            f(entry as u32);
        }
        if let Some(blocks) = self.recent.get(&key) {
            blocks.iter().copied().for_each(f);
        }
    }

    /// Postings in all.
    pub fn len(&self) -> usize {
        self.sorted.len() + self.recent_len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        let recent: usize = self.recent.values().map(|v| 8 + v.capacity() * 4 + 32).sum();
        self.sorted.capacity() * 8 + self.directory.capacity() * 4 + recent
    }

    /// Moves the recent postings into the sorted array, dropping those of blocks `keep` rejects.
    pub fn merge(&mut self, keep: impl Fn(u32) -> bool) {
        let mut fresh: Vec<u64> = Vec::with_capacity(self.recent_len);
        for (key, blocks) in self.recent.drain() {
            fresh.extend(blocks.into_iter().filter(|&b| keep(b)).map(|b| entry(key, b)));
        }
        self.recent_len = 0;
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
        // About one bucket per posting, at most 2^24 buckets.
        self.bits = (usize::BITS - self.sorted.len().leading_zeros()).clamp(1, 24);
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
