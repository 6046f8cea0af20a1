//! The merged postings, six bytes each: ordered by key then block, found through a directory of
//! the keys' top bits.
//!
//! Keys are hash values, so the directory's buckets are even. A posting's bucket already says its
//! key's top bits (at least 16 of the 32), so only the low 16 are kept, beside the block number:
//! two bytes and four, in two arrays, where a `key << 32 | block` entry would take eight.

/// Postings per directory bucket, on average: a short binary search after the directory.
const POSTINGS_PER_BUCKET: usize = 4;
/// The directory has at least 2^16 buckets, so that a key's low 16 bits are all the posting keeps.
const MIN_BITS: u32 = 16;
const MAX_BITS: u32 = 24;

#[derive(Clone, Debug)]
pub struct Packed {
    /// Buckets are keyed by the top `bits` bits of a key.
    bits: u32,
    /// Bucket `b`'s postings are `directory[b]..directory[b + 1]`.
    directory: Vec<u32>,
    /// The low 16 bits of each posting's key.
    low: Vec<u16>,
    blocks: Vec<u32>,
}

impl Default for Packed {
    fn default() -> Self {
        Self::pack([], 0)
    }
}

impl Packed {
    /// Packs entries `key << 32 | block`, which must come in order, at most `most` of them.
    /// They go straight into place: no list of eight-byte entries is ever held.
    pub fn pack(entries: impl IntoIterator<Item = u64>, most: usize) -> Self {
        let buckets = (most / POSTINGS_PER_BUCKET).max(1);
        let bits = (usize::BITS - buckets.leading_zeros()).clamp(MIN_BITS, MAX_BITS);
        let mut packed = Self {
            bits,
            directory: vec![0u32; (1 << bits) + 1],
            low: Vec::with_capacity(most),
            blocks: Vec::with_capacity(most),
        };
        for e in entries {
            packed.directory[bucket_of(key_of(e), bits) + 1] += 1;
            packed.low.push(key_of(e) as u16);
            packed.blocks.push(e as u32);
        }
        for b in 1..packed.directory.len() {
            packed.directory[b] += packed.directory[b - 1];
        }
        if packed.blocks.len() < most / 8 * 7 {
            // Many were dropped (removed documents): give the room back.
            packed.low.shrink_to_fit();
            packed.blocks.shrink_to_fit();
        }
        packed
    }

    /// Every posting as `key << 32 | block`, in order.
    pub fn entries(&self) -> impl Iterator<Item = u64> + '_ {
        let shift = 32 - self.bits;
        self.directory.windows(2).enumerate().flat_map(move |(bucket, range)| {
            (range[0] as usize..range[1] as usize).map(move |i| {
                let key = ((bucket as u32) << shift) | u32::from(self.low[i]);
                (u64::from(key) << 32) | u64::from(self.blocks[i])
            })
        })
    }

    /// The blocks that hold `key`.
    pub fn get(&self, key: u32) -> &[u32] {
        let (lo, hi) = self.bucket(key);
        let low = &self.low[lo..hi];
        let wanted = key as u16;
        let first = low.partition_point(|&l| l < wanted);
        let last = first + low[first..].partition_point(|&l| l == wanted);
        &self.blocks[lo + first..lo + last]
    }

    /// Starts loading the directory entry of `key`.
    pub fn prefetch_directory(&self, key: u32) {
        super::prefetch(&self.directory[bucket_of(key, self.bits)]);
    }

    /// Starts loading the postings of `key`'s bucket (best after `prefetch_directory`).
    pub fn prefetch_bucket(&self, key: u32) {
        let (lo, hi) = self.bucket(key);
        // A bucket holds a few postings: its first and last lines cover it.
        for i in [lo, hi.saturating_sub(1)] {
            super::prefetch(self.low.as_ptr().wrapping_add(i));
            super::prefetch(self.blocks.as_ptr().wrapping_add(i));
        }
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        self.directory.capacity() * 4 + self.low.capacity() * 2 + self.blocks.capacity() * 4
    }

    fn bucket(&self, key: u32) -> (usize, usize) {
        let b = bucket_of(key, self.bits);
        (self.directory[b] as usize, self.directory[b + 1] as usize)
    }
}

fn key_of(entry: u64) -> u32 {
    (entry >> 32) as u32
}

fn bucket_of(key: u32, bits: u32) -> usize {
    (key >> (32 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_every_posting_and_finds_each_key() {
        let mut entries: Vec<u64> = (0..300_000u64)
            .map(|i| ((i % 70_001).wrapping_mul(2_654_435_761) & 0xFFFF_FFFF) << 32 | i)
            .collect();
        entries.sort_unstable();
        let packed = Packed::pack(entries.iter().copied(), entries.len());
        assert!(packed.bits > MIN_BITS, "a large run uses more than the least directory");
        assert_eq!(packed.entries().collect::<Vec<_>>(), entries);
        let key = (5u64.wrapping_mul(2_654_435_761) & 0xFFFF_FFFF) as u32;
        assert_eq!(packed.get(key), [5, 70_006, 140_007, 210_008, 280_009]);
        assert_eq!(packed.get(key ^ 1), [] as [u32; 0]);
        assert!(Packed::default().get(key).is_empty());
    }
}
