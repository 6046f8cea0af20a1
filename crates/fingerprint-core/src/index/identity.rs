//! Identical documents: those whose blocks are all identical, in the same order, found by one
//! hash. A templated notice ("Qtly div five cts vs five cts prior") repeats word for word across
//! hundreds of documents; its shingles are all stop shingles, and its twins tie with each other,
//! so ranking by shared shingles alone cannot put the earliest copy first. Identity can.

use rustc_hash::FxHashMap;

/// No earlier document with the same identity.
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct Identities {
    /// Each identity's oldest and newest document.
    ends: FxHashMap<u64, (u32, u32)>,
    /// For each document, the next one with the same identity (`NONE` for the newest): read
    /// from the oldest on, so that a query wanting the few oldest of thousands of twins (a
    /// sign-off line, a templated notice) stops after those few.
    next: Vec<u32>,
}

impl Identities {
    /// Records document `doc` (numbered in order) with identity `hash`; 0 is no identity.
    pub fn add(&mut self, doc: u32, hash: u64) {
        debug_assert_eq!(doc as usize, self.next.len(), "documents come in order");
        self.next.push(NONE);
        if hash == 0 {
            return;
        }
        let ends = self.ends.entry(hash).or_insert((doc, doc));
        if ends.1 != doc {
            self.next[ends.1 as usize] = doc;
            ends.1 = doc;
        }
    }

    /// Makes room for `documents` more documents.
    pub fn reserve(&mut self, documents: usize) {
        self.ends.reserve(documents);
        self.next.reserve(documents);
    }

    /// The documents with identity `hash` that `alive` accepts, oldest first, at most `n`.
    pub fn of(&self, hash: u64, n: usize, alive: impl Fn(u32) -> bool) -> Vec<u32> {
        let mut at = if hash == 0 { NONE } else { self.ends.get(&hash).map_or(NONE, |e| e.0) };
        let mut found = Vec::new();
        while at != NONE && found.len() < n {
            if alive(at) {
                found.push(at);
            }
            at = self.next[at as usize];
        }
        found
    }

    pub fn heap_bytes(&self) -> usize {
        // hashbrown: key, value and one control byte per slot.
        self.ends.capacity() * 17 + self.next.capacity() * 4
    }
}

/// A document's identity from its blocks' identity hashes: blocks without shingles do not count,
/// and a document with no other block has none (0).
pub fn identity(block_hashes: &[u64]) -> u64 {
    if block_hashes.contains(&0) {
        let hashes: Vec<u64> = block_hashes.iter().copied().filter(|&h| h != 0).collect();
        return if hashes.is_empty() { 0 } else { hash(&hashes) };
    }
    // Most documents have no empty block: hashed as they are, with nothing copied.
    if block_hashes.is_empty() {
        0
    } else {
        hash(block_hashes)
    }
}

fn hash(hashes: &[u64]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytemuck::cast_slice(hashes)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_living_twins_oldest_first() {
        let mut ids = Identities::default();
        for (doc, hash) in [7u64, 9, 7, 0, 7].into_iter().enumerate() {
            ids.add(doc as u32, hash);
        }
        assert_eq!(ids.of(7, 10, |_| true), [0, 2, 4]);
        assert_eq!(ids.of(7, 2, |_| true), [0, 2]);
        assert_eq!(ids.of(7, 10, |d| d != 0), [2, 4]);
        assert_eq!(ids.of(0, 10, |_| true), Vec::<u32>::new());
        assert_eq!(ids.of(8, 10, |_| true), Vec::<u32>::new());
    }

    #[test]
    fn identity_ignores_empty_blocks_but_not_order() {
        assert_eq!(identity(&[3, 0, 5]), identity(&[3, 5]));
        assert_ne!(identity(&[3, 5]), identity(&[5, 3]));
        assert_eq!(identity(&[0, 0]), 0);
    }
}
