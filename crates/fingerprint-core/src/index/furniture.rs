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
        for_each_distinct(block_hashes, |h| *self.counts.entry(key(source, h)).or_default() += 1);
    }

    /// Makes room for `blocks` more blocks (at most that many new entries).
    pub fn reserve(&mut self, blocks: usize) {
        self.counts.reserve(blocks);
    }

    /// Forgets one document's blocks.
    pub fn remove(&mut self, source: u32, block_hashes: &[u64]) {
        for_each_distinct(block_hashes, |h| {
            if let Some(count) = self.counts.get_mut(&key(source, h)) {
                *count -= 1;
                if *count == 0 {
                    self.counts.remove(&key(source, h));
                }
            }
        });
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

/// Calls `f` with each distinct hash of one document's blocks (0, a block without shingles, left
/// out). A document of one block, or of a few, needs no room of its own for them: adding a
/// corpus of paragraphs spent more in allocating that room than in counting.
fn for_each_distinct(hashes: &[u64], mut f: impl FnMut(u64)) {
    const FEW: usize = 32;
    let mut few = [0u64; FEW];
    let mut many = Vec::new();
    let distinct = if hashes.len() <= FEW {
        few[..hashes.len()].copy_from_slice(hashes);
        &mut few[..hashes.len()]
    } else {
        many.extend_from_slice(hashes);
        &mut many[..]
    };
    distinct.sort_unstable();
    let mut last = 0;
    for &h in distinct.iter() {
        if h != last {
            f(h);
            last = h;
        }
    }
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
