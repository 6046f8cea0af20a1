//! Each evidence block's keys: what a candidate shares with a query, counted exactly block by
//! block, stop shingles included, by finding its blocks' keys among the query's (both sorted).
//! The postings find the candidates; counting a common key from its postings would cost a search
//! of a long list per key and candidate.

#[derive(Clone, Debug, Default)]
pub struct Forward {
    /// Block `b`'s keys are `keys[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    keys: Vec<u32>,
}

impl Forward {
    /// Records the next block's keys (sorted, distinct); none for a block that is not evidence.
    pub fn push(&mut self, keys: &[u32]) {
        debug_assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys come sorted and distinct");
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        super::memory::reserve(&mut self.keys, keys.len());
        self.keys.extend_from_slice(keys);
        self.starts.push(self.keys.len() as u32);
    }

    /// Makes room for `blocks` more blocks of `keys` keys in all.
    pub fn reserve(&mut self, blocks: usize, keys: usize) {
        self.starts.reserve(blocks + 1);
        self.keys.reserve_exact(keys);
    }

    /// The keys of `block`.
    pub fn keys(&self, block: u32) -> &[u32] {
        let b = block as usize;
        &self.keys[self.starts[b] as usize..self.starts[b + 1] as usize]
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

/// Where the keys of a block (sorted, distinct) are in a query's keys (sorted, distinct): each
/// found by a binary search of the query's keys past the last one found.
pub fn shared<'a>(block: &'a [u32], query: &'a [u32]) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    block.iter().filter_map(move |&key| {
        from += query[from..].partition_point(|&q| q < key);
        (query.get(from) == Some(&key)).then_some(from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_keeps_its_keys_until_it_is_dropped() {
        let mut forward = Forward::default();
        for keys in [&[1, 5, 9][..], &[], &[7], &[2, 3]] {
            forward.push(keys);
        }
        assert_eq!(forward.keys(0), [1, 5, 9]);
        assert_eq!(forward.keys(1), [] as [u32; 0]);
        let bytes = forward.heap_bytes();
        forward.retain(|block| block != 0);
        assert_eq!(forward.keys(0), [] as [u32; 0], "a dropped block keeps its number, no keys");
        assert_eq!(forward.keys(2), [7]);
        assert_eq!(forward.keys(3), [2, 3]);
        assert!(forward.heap_bytes() < bytes, "the dropped keys' room is given back");
    }

    #[test]
    fn shared_keys_are_found_where_the_query_holds_them() {
        let query = [2, 4, 6, 8, 10, 12];
        assert_eq!(shared(&[1, 4, 5, 12, 13], &query).collect::<Vec<_>>(), [1, 5]);
        assert_eq!(shared(&[2, 3], &query).collect::<Vec<_>>(), [0]);
        assert_eq!(shared(&[], &query).count(), 0);
        assert_eq!(shared(&[4], &[]).count(), 0);
    }
}
