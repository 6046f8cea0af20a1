//! Per-source counts of identical blocks: how many documents of a source carry each block.
//!
//! Page furniture (teaser links, "Search Trends", bylines, footers) recurs verbatim across one
//! source's articles; counting identical blocks per source finds it without scanning postings.

use rustc_hash::FxHashMap;

#[derive(Clone, Debug, Default)]
pub struct Furniture {
    /// Keyed by the block hash mixed with its source (`key`): sixteen bytes an entry, where a
    /// `(source, hash)` key takes twenty-four.
    counts: FxHashMap<u64, u32>,
}

impl Furniture {
    /// For each block hash, the number of documents of `source` seen with that block.
    pub fn counts(&self, source: u32, block_hashes: &[u64]) -> Vec<u32> {
        block_hashes
            .iter()
            .map(|&h| self.counts.get(&key(source, h)).copied().unwrap_or(0))
            .collect()
    }

    /// Counts one document's blocks (each distinct block once).
    pub fn add(&mut self, source: u32, block_hashes: &[u64]) {
        for h in distinct(block_hashes) {
            *self.counts.entry(key(source, h)).or_default() += 1;
        }
    }

    /// Makes room for `blocks` more blocks (at most that many new entries).
    pub fn reserve(&mut self, blocks: usize) {
        self.counts.reserve(blocks);
    }

    /// Forgets one document's blocks.
    pub fn remove(&mut self, source: u32, block_hashes: &[u64]) {
        for h in distinct(block_hashes) {
            if let Some(count) = self.counts.get_mut(&key(source, h)) {
                *count -= 1;
                if *count == 0 {
                    self.counts.remove(&key(source, h));
                }
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        // hashbrown: key, value and one control byte per slot.
        self.counts.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
    }
}

/// A block hash of one source: the hash plus a large odd multiple of the source, so that the same
/// block of two sources counts apart (block hashes are 64-bit: keys of different blocks meet
/// about once in 2^64 pairs).
fn key(source: u32, hash: u64) -> u64 {
    hash.wrapping_add(u64::from(source).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The distinct hashes of one document's blocks (0, a block without shingles, left out).
fn distinct(hashes: &[u64]) -> Vec<u64> {
    let mut distinct: Vec<u64> = hashes.iter().copied().filter(|&h| h != 0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct
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
