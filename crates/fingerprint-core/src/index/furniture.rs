//! Per-source counts of identical blocks: how many documents of a source carry each block.
//!
//! Page furniture (teaser links, "Search Trends", bylines, footers) recurs verbatim across one
//! source's articles; counting identical blocks per source finds it without scanning postings.

use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Clone, Debug, Default)]
pub struct Furniture {
    counts: FxHashMap<(u32, u64), u32>,
}

impl Furniture {
    /// For each block hash, the number of documents of `source` seen with that block.
    pub fn counts(&self, source: u32, block_hashes: &[u64]) -> Vec<u32> {
        block_hashes.iter().map(|&h| self.counts.get(&(source, h)).copied().unwrap_or(0)).collect()
    }

    /// Counts one document's blocks (each distinct block once).
    pub fn add(&mut self, source: u32, block_hashes: &[u64]) {
        for h in distinct(block_hashes) {
            *self.counts.entry((source, h)).or_default() += 1;
        }
    }

    /// Forgets one document's blocks.
    pub fn remove(&mut self, source: u32, block_hashes: &[u64]) {
        for h in distinct(block_hashes) {
            if let Some(count) = self.counts.get_mut(&(source, h)) {
                *count -= 1;
                if *count == 0 {
                    self.counts.remove(&(source, h));
                }
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        // hashbrown: key, value and one control byte per slot.
        self.counts.capacity() * (std::mem::size_of::<((u32, u64), u32)>() + 1)
    }
}

fn distinct(hashes: &[u64]) -> FxHashSet<u64> {
    hashes.iter().copied().filter(|&h| h != 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences_and_forgets() {
        let mut f = Furniture::default();
        f.add(1, &[10, 10, 20]);
        f.add(1, &[10]);
        f.add(2, &[10]);
        assert_eq!(f.counts(1, &[10, 20, 30]), [2, 1, 0]);
        f.remove(1, &[10, 20]);
        assert_eq!(f.counts(1, &[10, 20]), [1, 0]);
        assert_eq!(f.counts(2, &[10]), [1]);
    }
}
