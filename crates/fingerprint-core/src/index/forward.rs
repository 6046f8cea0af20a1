//! Each evidence block's keys: what a candidate shares with a query, counted exactly block by
//! block, stop shingles included, by looking its blocks' keys up among the query's (sorted). The postings
//! find the candidates; counting a common key from its postings would cost a search of a long
//! list per key and candidate.

#[derive(Clone, Debug, Default)]
pub struct Forward {
    /// Block `b`'s keys are `keys[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    keys: Vec<u32>,
}

impl Forward {
    /// Records the next block's keys; none for a block that is not evidence.
    pub fn push(&mut self, keys: impl ExactSizeIterator<Item = u32>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        super::memory::reserve(&mut self.keys, keys.len());
        self.keys.extend(keys);
        self.starts.push(self.keys.len() as u32);
    }

    /// The keys of `block`.
    pub fn keys(&self, block: u32) -> &[u32] {
        let b = block as usize;
        &self.keys[self.starts[b] as usize..self.starts[b + 1] as usize]
    }

    /// Starts loading the keys of `block`.
    pub fn prefetch(&self, block: u32) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_keeps_its_keys_until_it_is_dropped() {
        let mut forward = Forward::default();
        for keys in [&[5, 1, 9][..], &[], &[7], &[2, 3]] {
            forward.push(keys.iter().copied());
        }
        assert_eq!(forward.keys(0), [5, 1, 9]);
        assert_eq!(forward.keys(1), [] as [u32; 0]);
        let bytes = forward.heap_bytes();
        forward.retain(|block| block != 0);
        assert_eq!(forward.keys(0), [] as [u32; 0], "a dropped block keeps its number, no keys");
        assert_eq!(forward.keys(2), [7]);
        assert_eq!(forward.keys(3), [2, 3]);
        assert!(forward.heap_bytes() < bytes, "the dropped keys' room is given back");
    }
}
