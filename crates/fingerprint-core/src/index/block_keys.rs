//! Each evidence block's keys: what a candidate shares with a query, counted exactly block by
//! block, stop shingles included, by finding its blocks' keys among the query's (both sorted).
//! The postings find the candidates; counting a common key from its postings would cost a search
//! of a long list per key and candidate.

#[derive(Clone, Debug, Default)]
pub struct BlockKeys {
    /// Block `b`'s keys are `keys[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    keys: Vec<u32>,
}

impl BlockKeys {
    /// Records the next block's keys, given sorted, kept once each (two shingle hashes may share
    /// their top 32 bits); the index gives none for a block that is not evidence. Returns them as
    /// kept.
    pub fn push(&mut self, keys: impl ExactSizeIterator<Item = u32>) -> &[u32] {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let start = self.keys.len();
        super::memory::reserve(&mut self.keys, keys.len());
        for key in keys {
            debug_assert!(self.keys.len() == start || self.keys[self.keys.len() - 1] <= key);
            if self.keys.len() == start || self.keys[self.keys.len() - 1] != key {
                self.keys.push(key);
            }
        }
        self.starts.push(self.keys.len() as u32);
        &self.keys[start..]
    }

    /// Makes room for `blocks` more blocks of `keys` keys in all.
    pub fn reserve(&mut self, blocks: usize, keys: usize) {
        self.starts.reserve(blocks + 1);
        self.keys.reserve_exact(keys);
        super::memory::huge_pages(&self.keys);
    }

    /// The keys of `block`.
    pub fn keys(&self, block: u32) -> &[u32] {
        let b = block as usize;
        &self.keys[self.starts[b] as usize..self.starts[b + 1] as usize]
    }

    /// How many keys `blocks` hold together.
    pub fn key_count(&self, blocks: std::ops::Range<u32>) -> usize {
        if blocks.is_empty() {
            return 0;
        }
        (self.starts[blocks.end as usize] - self.starts[blocks.start as usize]) as usize
    }

    /// How many distinct keys `blocks` hold together (each block's keys are distinct and
    /// sorted already: one block's are simply counted).
    pub fn distinct_keys(&self, blocks: std::ops::Range<u32>) -> u32 {
        if blocks.len() <= 1 {
            return self.key_count(blocks) as u32;
        }
        let start = self.starts[blocks.start as usize] as usize;
        let mut keys = self.keys[start..start + self.key_count(blocks)].to_vec();
        keys.sort_unstable();
        keys.dedup();
        keys.len() as u32
    }

    /// Starts loading where the keys of `block` are.
    pub fn prefetch_start(&self, block: u32) {
        super::prefetch(self.starts.as_ptr().wrapping_add(block as usize));
    }

    /// Starts loading the keys of `block` (best after `prefetch_start`).
    pub fn prefetch_keys(&self, block: u32) {
        if let Some(&start) = self.starts.get(block as usize) {
            super::prefetch(self.keys.as_ptr().wrapping_add(start as usize));
        }
    }

    /// Forgets the keys of the blocks `keep` rejects (their numbers stay, with no keys).
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let mut starts = Vec::with_capacity(self.starts.len());
        let mut keys = Vec::new();
        starts.push(0);
        for block in 0..self.starts.len().saturating_sub(1) as u32 {
            if keep(block) {
                keys.extend_from_slice(self.keys(block));
            }
            starts.push(keys.len() as u32);
        }
        (self.starts, self.keys) = (starts, keys);
    }

    pub fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.keys.capacity()) * 4
    }
}

/// A query's keys (distinct) by their place: a small open-addressing table, in cache for the
/// whole query, so that each key of a candidate's blocks is one probe rather than a binary search
/// of the query's sorted keys (those searches were a sixth of a query's samples in a profile).
#[derive(Default)]
pub struct KeyPlaces {
    /// `(key, place)`, `place == EMPTY` for an empty slot; a power of two, at most half full.
    slots: Vec<(u32, u32)>,
    /// One bit per value of a key's low bits, set for the query's keys. Most keys of a
    /// candidate's blocks are not the query's: a bit of this (512 bytes, always in cache) turns
    /// most of them away without a probe and its hard-to-predict branches (measured: one-block
    /// queries 7-11% faster, `benchmarks/index.py`'s jobs in the core).
    filter: Vec<u64>,
}

/// Bits of the filter.
const FILTER_BITS: usize = 4096;

const EMPTY: u32 = u32::MAX;

impl KeyPlaces {
    /// Holds `keys` and no others, in the room it had.
    pub fn fill(&mut self, keys: &[u32]) {
        let len = (keys.len() * 2).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(len, (0, EMPTY));
        self.filter.clear();
        self.filter.resize(FILTER_BITS / 64, 0);
        for (place, &key) in keys.iter().enumerate() {
            let bit = key as usize % FILTER_BITS;
            self.filter[bit / 64] |= 1 << (bit % 64);
            let mut at = key as usize & (len - 1);
            while self.slots[at].1 != EMPTY {
                at = (at + 1) & (len - 1);
            }
            self.slots[at] = (key, place as u32);
        }
    }

    /// The place of `key` among the query's keys, if it is one of them.
    pub fn find(&self, key: u32) -> Option<usize> {
        let bit = key as usize % FILTER_BITS;
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = key as usize & mask;
        loop {
            let (held, place) = self.slots[at];
            if place == EMPTY {
                return None;
            }
            if held == key {
                return Some(place as usize);
            }
            at = (at + 1) & mask;
        }
    }

    /// Where the keys of a block are among the query's.
    pub fn shared<'a>(&'a self, block: &'a [u32]) -> impl Iterator<Item = usize> + 'a {
        block.iter().filter_map(|&key| self.find(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_keeps_its_keys_until_it_is_dropped() {
        let mut blocks = BlockKeys::default();
        for keys in [&[1, 5, 5, 9][..], &[], &[7], &[2, 3]] {
            blocks.push(keys.iter().copied());
        }
        assert_eq!(blocks.keys(0), [1, 5, 9], "a key twice is kept once");
        assert_eq!(blocks.keys(1), [] as [u32; 0]);
        let bytes = blocks.heap_bytes();
        blocks.retain(|block| block != 0);
        assert_eq!(blocks.keys(0), [] as [u32; 0], "a dropped block keeps its number, no keys");
        assert_eq!(blocks.keys(2), [7]);
        assert_eq!(blocks.keys(3), [2, 3]);
        assert!(blocks.heap_bytes() < bytes, "the dropped keys' room is given back");
    }

    #[test]
    fn shared_keys_are_found_where_the_query_holds_them() {
        let query = [2, 4, 6, 8, 10, 12, 16, 32, 48];
        let mut places = KeyPlaces::default();
        places.fill(&query);
        assert_eq!(places.shared(&[1, 4, 5, 12, 13, 32, 48]).collect::<Vec<_>>(), [1, 5, 7, 8]);
        assert_eq!(places.shared(&[2, 3]).collect::<Vec<_>>(), [0]);
        assert_eq!(places.shared(&[]).count(), 0);
        places.fill(&[]);
        assert_eq!(places.shared(&[4, 0, u32::MAX]).count(), 0, "refilled: the old keys are gone");
        let many: Vec<u32> = (0..1_000u32).map(|k| k.wrapping_mul(2_654_435_761)).collect();
        places.fill(&many);
        assert!(many.iter().enumerate().all(|(i, &k)| places.find(k) == Some(i)));
        assert_eq!(places.find(7), None);
    }
}
