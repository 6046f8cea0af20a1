//! Identical documents: those whose blocks are all identical, in the same order, found by one
//! hash. A templated notice ("Qtly div five cts vs five cts prior") repeats word for word across
//! hundreds of documents; its shingles are all stop shingles, and its twins tie with each other,
//! so ranking by shared shingles alone cannot put the earliest copy first. Identity can.

use super::prefetch;

/// No earlier document with the same identity.
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct Identities {
    /// Each identity's oldest and newest document: an open-addressing table at most three
    /// quarters full, for a batch that adds documents starts loading their slots a few documents
    /// ahead (a general hash map does not offer that): its random misses were a seventh of adding
    /// a corpus of paragraphs. A slot's place is its identity's place among all 64-bit values.
    slots: Vec<Slot>,
    used: usize,
    /// For each document, the next one with the same identity (`NONE` for the newest): read
    /// from the oldest on, so that a query wanting the few oldest of thousands of twins (a
    /// sign-off line, a templated notice) stops after those few.
    next: Vec<u32>,
}

/// An identity (0: none, an empty slot) and its oldest and newest documents.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    identity: u64,
    oldest: u32,
    newest: u32,
}

impl Identities {
    /// Records document `doc` (numbered in order) with identity `hash`; 0 is no identity.
    pub fn add(&mut self, doc: u32, hash: u64) {
        debug_assert_eq!(doc as usize, self.next.len(), "documents come in order");
        self.next.push(NONE);
        if hash == 0 {
            return;
        }
        self.reserve_slots(1);
        let at = self.find(hash);
        let slot = &mut self.slots[at];
        if slot.identity == 0 {
            *slot = Slot { identity: hash, oldest: doc, newest: doc };
            self.used += 1;
        } else {
            self.next[slot.newest as usize] = doc;
            slot.newest = doc;
        }
    }

    /// Starts loading the slot of identity `hash`.
    pub fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(hash)]);
        }
    }

    /// Makes room for `documents` more documents.
    pub fn reserve(&mut self, documents: usize) {
        self.reserve_slots(documents);
        self.next.reserve(documents);
    }

    /// The documents with identity `hash` that `alive` accepts, oldest first, at most `n`.
    pub fn of(&self, hash: u64, n: usize, alive: impl Fn(u32) -> bool) -> Vec<u32> {
        let mut at = NONE;
        if hash != 0 && !self.slots.is_empty() {
            let slot = self.slots[self.find(hash)];
            if slot.identity == hash {
                at = slot.oldest;
            }
        }
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
        self.slots.capacity() * std::mem::size_of::<Slot>() + self.next.capacity() * 4
    }

    /// The slot holding identity `hash`, or the empty one where it would go (the table is not
    /// empty, and never full).
    fn find(&self, hash: u64) -> usize {
        let mut at = self.home(hash);
        loop {
            let held = self.slots[at].identity;
            if held == hash || held == 0 {
                return at;
            }
            at = if at + 1 == self.slots.len() { 0 } else { at + 1 };
        }
    }

    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    /// Makes room for `more` identities, growing by half at least.
    fn reserve_slots(&mut self, more: usize) {
        let wanted = (self.used + more) * 4 / 3 + 1;
        if wanted <= self.slots.len() {
            return;
        }
        let len = wanted.max(self.slots.len() * 3 / 2);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); len]);
        for slot in old.into_iter().filter(|s| s.identity != 0) {
            let at = self.find(slot.identity);
            self.slots[at] = slot;
        }
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
    fn finds_every_identity_through_growth_and_collisions() {
        let mut ids = Identities::default();
        // Identities alike in their top bits collide in their home slot.
        let hash = |i: u64| (i % 3_000 + 1) << 40 | (i % 3_000);
        for doc in 0..20_000u32 {
            ids.add(doc, hash(u64::from(doc)));
        }
        for i in [0u64, 1, 2_999, 1_234] {
            let twins: Vec<u32> =
                (0..20_000u32).filter(|&d| hash(u64::from(d)) == hash(i)).collect();
            assert_eq!(ids.of(hash(i), usize::MAX, |_| true), twins);
        }
        assert_eq!(ids.of(hash(3_000) + 1, 10, |_| true), Vec::<u32>::new());
        assert!(ids.used * 4 / 3 < ids.slots.len(), "at most three quarters full");
    }

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
