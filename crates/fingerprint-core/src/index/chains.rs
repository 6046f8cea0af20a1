//! The heads of the recent postings' chains: for each key, its newest recent posting and how many
//! it has. An open-addressing table, because an insert or a query touches one random slot per
//! key, and prefetching every slot of a batch before touching any (which a general hash map does
//! not offer) lets those cache misses overlap. A key's slot is its place among all keys (keys are
//! hash values), so the table is in key order and grows by streaming; a merge empties it but
//! keeps its room, until the batch being added ends (`fit`).

use super::prefetch;

/// No posting.
pub const NONE: u32 = u32::MAX;

/// A key's chain of recent postings: the newest, and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain {
    pub head: u32,
    pub len: u32,
}

pub const NO_CHAIN: Chain = Chain { head: NONE, len: 0 };

#[derive(Clone, Copy, Debug)]
struct Slot {
    key: u32,
    /// `len == 0` marks an empty slot.
    chain: Chain,
}

const EMPTY: Slot = Slot { key: 0, chain: NO_CHAIN };

#[derive(Clone, Debug, Default)]
pub struct Chains {
    /// At most three quarters full.
    slots: Vec<Slot>,
    used: usize,
}

impl Chains {
    /// The chain of `key`.
    pub fn get(&self, key: u32) -> Chain {
        if self.slots.is_empty() {
            return NO_CHAIN;
        }
        let mut at = self.home(key);
        loop {
            let slot = self.slots[at];
            if slot.chain.len == 0 || slot.key == key {
                return slot.chain;
            }
            at = self.after(at);
        }
    }

    /// Makes `at` the newest posting of `key`; returns the one it follows (`NONE` if none).
    pub fn push(&mut self, key: u32, at: u32) -> u32 {
        self.reserve(1);
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if slot.chain.len == 0 {
                *slot = Slot { key, chain: Chain { head: at, len: 1 } };
                self.used += 1;
                return NONE;
            }
            if slot.key == key {
                let previous = slot.chain.head;
                slot.chain = Chain { head: at, len: slot.chain.len + 1 };
                return previous;
            }
            i = self.after(i);
        }
    }

    /// Starts loading the slot of `key`.
    pub fn prefetch(&self, key: u32) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(key)]);
        }
    }

    /// Makes room for `more` keys, so that pushing them moves nothing.
    pub fn reserve(&mut self, more: usize) {
        // At most three quarters full, for a slot is twelve bytes: measured against half full,
        // inserts a little faster (fewer, smaller tables) and queries within this machine's noise.
        let wanted = (self.used + more) * 4 / 3 + 1;
        if wanted <= self.slots.len() {
            return;
        }
        // Grown by half at least: a table kept from merge to merge grows about once between them.
        self.rebuild(wanted.max(self.slots.len() * 3 / 2));
    }

    /// Gives back the room kept beyond twice what the chains need (`clear` keeps it all).
    pub fn fit(&mut self) {
        let needed = self.used * 4 / 3 + 1;
        if self.slots.len() > 2 * needed {
            self.rebuild(if self.used == 0 { 0 } else { needed });
        }
    }

    /// Moves the chains into a table of `len` slots.
    fn rebuild(&mut self, len: usize) {
        let mut slots = Vec::with_capacity(len);
        super::memory::huge_pages(&slots);
        slots.resize(len, EMPTY);
        let old = std::mem::replace(&mut self.slots, slots);
        for slot in old.into_iter().filter(|s| s.chain.len != 0) {
            let mut i = self.home(slot.key);
            while self.slots[i].chain.len != 0 {
                i = self.after(i);
            }
            self.slots[i] = slot;
        }
    }

    /// Forgets every chain, keeping the room: the postings until the next merge will need as
    /// much or more, and a new table would be fresh memory, a page fault and a cleared page each
    /// (measured: an ingest of Reuters 10-15% faster in the core). `fit` gives it back.
    pub fn clear(&mut self) {
        self.slots.fill(EMPTY);
        self.used = 0;
    }

    /// The first slot to look in for `key` (the table is not empty): its place in the table as
    /// a fraction of all keys. Keys are hash values, so these spread evenly, and slots keep the
    /// keys' order: growing the table moves each slot further along, a stream rather than a
    /// scatter.
    fn home(&self, key: u32) -> usize {
        ((u64::from(key) * self.slots.len() as u64) >> 32) as usize
    }

    /// The slot after `at`, round to the first after the last.
    fn after(&self, at: usize) -> usize {
        if at + 1 == self.slots.len() {
            0
        } else {
            at + 1
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn chains_agree_with_a_map_through_growth_and_collisions() {
        let mut chains = Chains::default();
        let mut model: HashMap<u32, Chain> = HashMap::new();
        for at in 0..50_000u32 {
            // Keys sharing their low bits, some repeating.
            let key = (at % 7_919).wrapping_mul(0x1000_0000 + 1) ^ (at % 13);
            let expected = model.get(&key).map_or(NONE, |c| c.head);
            assert_eq!(chains.push(key, at), expected);
            let len = model.get(&key).map_or(0, |c| c.len) + 1;
            model.insert(key, Chain { head: at, len });
        }
        for (&key, &chain) in &model {
            assert_eq!(chains.get(key), chain);
        }
        let absent =
            (1..).map(|k: u32| k.wrapping_mul(2_654_435_761)).find(|k| !model.contains_key(k));
        assert_eq!(chains.get(absent.unwrap()), NO_CHAIN);
        chains.clear();
        assert_eq!(chains.get(model.keys().next().copied().unwrap()), NO_CHAIN);
        let room = chains.heap_bytes();
        chains.push(7, 0);
        assert_eq!(chains.heap_bytes(), room, "a cleared table keeps its room");
        chains.fit();
        assert!(chains.heap_bytes() < room / 100, "fitting gives it back");
        assert_eq!(chains.get(7), Chain { head: 0, len: 1 }, "and keeps the chains");
        chains.clear();
        chains.fit();
        assert_eq!(chains.get(7), NO_CHAIN);
    }
}
