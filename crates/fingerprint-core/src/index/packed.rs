//! The merged postings, six bytes each: ordered by key then block, found through a directory of
//! the keys' top bits.
//!
//! Keys are hash values, so the directory's buckets are even. A posting's bucket already says its
//! key's top bits (at least 16 of the 32), so only the low 16 are kept, beside the block number:
//! six bytes together, where a `key << 32 | block` entry would take eight, and a bucket's few
//! postings mostly share one cache line.

/// Postings per directory bucket, at most on average (at least half): a short search after the
/// directory, and a directory of half a byte to a byte per posting.
const POSTINGS_PER_BUCKET: usize = 8;
/// The directory has at least 2^16 buckets, so that a key's low 16 bits are all the posting keeps.
const MIN_BITS: u32 = 16;
const MAX_BITS: u32 = 24;

#[derive(Clone, Debug)]
pub struct Packed {
    /// Buckets are keyed by the top `bits` bits of a key.
    bits: u32,
    /// Bucket `b`'s postings are `directory[b]..directory[b + 1]`.
    directory: Vec<u32>,
    postings: Vec<Posting>,
}

/// A merged posting: the low 16 bits of its key, and its block number in two halves (so that
/// a posting is six bytes, two-byte aligned).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Posting([u16; 3]);

impl Posting {
    fn new(low: u16, block: u32) -> Self {
        Self([low, block as u16, (block >> 16) as u16])
    }

    fn low(self) -> u16 {
        self.0[0]
    }

    pub fn block(self) -> u32 {
        u32::from(self.0[1]) | u32::from(self.0[2]) << 16
    }

    /// An entry `key << 32 | block` of a batch being built, as a posting holds it until its part
    /// is sorted: its key's bits below the part's, and its block's distance from the batch's
    /// `first`.
    fn holding(entry: u64, first: u32) -> Self {
        let rest = u64::from(key_of(entry)) & ((1 << (32 - PART_BITS)) - 1);
        let held = rest | u64::from(entry as u32 - first) << (32 - PART_BITS);
        Self([held as u16, (held >> 16) as u16, (held >> 32) as u16])
    }

    /// The entry it holds, of part `part` of a batch whose blocks start at `first`.
    fn held(self, part: usize, first: u32) -> u64 {
        let held = u64::from(self.0[0]) | u64::from(self.0[1]) << 16 | u64::from(self.0[2]) << 32;
        let rest = held & ((1 << (32 - PART_BITS)) - 1);
        let key = (part as u64) << (32 - PART_BITS) | rest;
        key << 32 | u64::from(first + (held >> (32 - PART_BITS)) as u32)
    }
}

impl Default for Packed {
    fn default() -> Self {
        let bits = directory_bits(0);
        Self { bits, directory: vec![0; (1 << bits) + 1], postings: Vec::new() }
    }
}

/// Bits of a key by which `build` first places a batch: 2,048 parts being filled at once still
/// fit in the cache, and the part's postings then sort in it.
const PART_BITS: u32 = 11;
/// While a batch is built, a posting holds its key's other bits and its block's distance from the
/// batch's first block in its six bytes.
const DISTANCE_BITS: u32 = 48 - (32 - PART_BITS);

impl Packed {
    /// Packs the `len` entries `key << 32 | block` that `entries` makes (the same each time it is
    /// called, blocks in order), leaving out those of blocks `keep` rejects. They are placed by
    /// their keys' top bits straight into the run's own room, each held meanwhile in its six
    /// bytes (its key's other bits, its block's distance from the batch's first); then each part
    /// is sorted in the cache and written back as postings. So a run packed from none takes no
    /// room beside its own, where sorting the batch first took eight bytes a posting of fresh
    /// memory (a page fault and a page cleared by the kernel each). None when the batch's blocks
    /// span too many for six bytes.
    pub fn build<I: Iterator<Item = u64>>(
        len: usize,
        entries: impl Fn() -> I,
        keep: impl Fn(u32) -> bool,
    ) -> Option<Self> {
        let kept = || entries().filter(|&e| keep(e as u32));
        let (starts, first) = parts_of(kept())?;
        let mut postings = Vec::with_capacity(starts[starts.len() - 1]);
        super::memory::huge_pages(&postings);
        postings.resize(starts[starts.len() - 1], Posting([0; 3]));
        let mut next = starts.clone();
        kept().for_each(|e| {
            postings[next[part_of(e)]] = Posting::holding(e, first);
            next[part_of(e)] += 1;
        });
        let bits = directory_bits(len);
        let directory = sort_parts(&mut postings, &starts, first, bits);
        Some(Self { bits, directory, postings })
    }

    /// Packs entries `key << 32 | block`, which must come in order.
    #[cfg(test)]
    pub fn pack(entries: &[u64]) -> Self {
        let mut packed = Self::default();
        packed.absorb(entries, |_| true);
        packed
    }

    /// Adds `fresh` entries `key << 32 | block` (in order) and drops the postings of blocks
    /// `keep` rejects, in place: the run grows at its end and is
    /// merged from the back, so that its memory is used again rather than a whole new run
    /// written (merges a quarter apart wrote about five times the final run in fresh memory over
    /// an ingest, and fresh memory costs a page fault and a page cleared by the kernel each:
    /// measured in the core, an ingest of Reuters about 3% faster).
    pub fn absorb(&mut self, fresh: &[u64], keep: impl Fn(u32) -> bool) {
        let most = self.postings.len() + fresh.len();
        let bits = directory_bits(most);
        let mut directory = vec![0u32; (1 << bits) + 1];
        super::memory::huge_pages(&directory);
        self.postings.reserve_exact(fresh.len());
        super::memory::huge_pages(&self.postings);
        self.postings.resize(most, Posting::new(0, 0));
        // Written from the back: the posting written is never before one not read yet.
        let mut at = most;
        let mut place = |postings: &mut [Posting], entry: u64| {
            if keep(entry as u32) {
                at -= 1;
                postings[at] = Posting::new(key_of(entry) as u16, entry as u32);
                directory[bucket_of(key_of(entry), bits)] += 1;
            }
        };
        let mut fresh = fresh.iter().rev().copied().peekable();
        let shift = 32 - self.bits;
        for bucket in (0..self.directory.len() - 1).rev() {
            let top = (bucket as u64) << (shift + 32);
            let range = self.directory[bucket] as usize..self.directory[bucket + 1] as usize;
            for i in range.rev() {
                let posting = self.postings[i];
                let old = top | u64::from(posting.low()) << 32 | u64::from(posting.block());
                while let Some(new) = fresh.next_if(|&new| new > old) {
                    place(&mut self.postings, new);
                }
                place(&mut self.postings, old);
            }
        }
        fresh.for_each(|new| place(&mut self.postings, new));
        if at > 0 {
            // Those dropped (removed documents) left room at the front.
            self.postings.copy_within(at.., 0);
            self.postings.truncate(most - at);
            if self.postings.len() < most / 8 * 7 {
                self.postings.shrink_to_fit();
            }
        }
        // Counts into starts.
        let mut start = 0;
        for count in &mut directory {
            (*count, start) = (start, start + *count);
        }
        (self.bits, self.directory) = (bits, directory);
    }

    /// The postings of `key` (their blocks: `Posting::block`).
    pub fn get(&self, key: u32) -> &[Posting] {
        let (lo, hi) = self.bucket(key);
        let bucket = &self.postings[lo..hi];
        let wanted = key as u16;
        let first = bucket.partition_point(|p| p.low() < wanted);
        let last = first + bucket[first..].partition_point(|p| p.low() == wanted);
        &bucket[first..last]
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
            super::prefetch(self.postings.as_ptr().wrapping_add(i));
        }
    }

    pub fn len(&self) -> usize {
        self.postings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        self.directory.capacity() * 4 + self.postings.capacity() * std::mem::size_of::<Posting>()
    }

    fn bucket(&self, key: u32) -> (usize, usize) {
        let b = bucket_of(key, self.bits);
        (self.directory[b] as usize, self.directory[b + 1] as usize)
    }
}

/// Where each part of a batch starts, and its first block: None when its blocks span too many
/// for a posting to hold their distance from the first.
fn parts_of(entries: impl Iterator<Item = u64>) -> Option<(Vec<usize>, u32)> {
    let mut starts = vec![0usize; (1 << PART_BITS) + 1];
    let (mut first, mut last) = (u32::MAX, 0);
    entries.for_each(|e| {
        starts[part_of(e) + 1] += 1;
        (first, last) = (first.min(e as u32), last.max(e as u32));
    });
    if first <= last && last - first >= 1 << DISTANCE_BITS {
        return None;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    Some((starts, first))
}

/// The part of a batch an entry goes to: its key's top bits.
fn part_of(entry: u64) -> usize {
    (key_of(entry) >> (32 - PART_BITS)) as usize
}

/// Sorts each part of a batch being built (`starts`, blocks from `first`) in the cache, writing
/// its postings back as postings; returns the run's directory of `bits` bits.
fn sort_parts(postings: &mut [Posting], starts: &[usize], first: u32, bits: u32) -> Vec<u32> {
    let mut directory = vec![0u32; (1 << bits) + 1];
    super::memory::huge_pages(&directory);
    let (mut entries, mut spare, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    for (p, range) in starts.windows(2).enumerate() {
        let part = &mut postings[range[0]..range[1]];
        entries.clear();
        entries.extend(part.iter().map(|held| held.held(p, first)));
        super::radix::sort_bucket(&mut entries, 32 - PART_BITS, &mut spare, &mut counts);
        for (posting, &e) in part.iter_mut().zip(&entries) {
            *posting = Posting::new(key_of(e) as u16, e as u32);
            directory[bucket_of(key_of(e), bits) + 1] += 1;
        }
    }
    for b in 1..directory.len() {
        directory[b] += directory[b - 1];
    }
    directory
}

/// Bits of the directory of a run of `postings`: buckets of half to all of the aimed postings.
fn directory_bits(postings: usize) -> u32 {
    let buckets = (postings / POSTINGS_PER_BUCKET).max(1);
    (usize::BITS - buckets.leading_zeros()).clamp(MIN_BITS, MAX_BITS)
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

    fn blocks_of(packed: &Packed, key: u32) -> Vec<u32> {
        packed.get(key).iter().map(|p| p.block()).collect()
    }

    #[test]
    fn building_from_none_is_absorbing_into_none() {
        let key = |i: u64| ((i * i) % 90_001).wrapping_mul(2_654_435_761) & 0xFFFF_FFFF;
        for len in [0u64, 1, 3_000, 300_000] {
            let entries: Vec<u64> = (0..len).map(|i| key(i) << 32 | (1_000_000 + i / 3)).collect();
            let built =
                Packed::build(entries.len(), || entries.iter().copied(), |b| !b.is_multiple_of(7));
            let built = built.expect("the batch's blocks fit");
            let kept: Vec<u64> =
                entries.iter().copied().filter(|&e| !(e as u32).is_multiple_of(7)).collect();
            let mut sorted = kept.clone();
            sorted.sort_unstable();
            let mut absorbed = Packed::default();
            absorbed.absorb(&sorted, |_| true);
            // The directory's size comes from the batch asked for, before any was left out.
            let bits = directory_bits(entries.len());
            assert_eq!(built.bits, bits);
            assert_eq!(built.postings, absorbed.postings, "{len} entries");
            for &e in kept.iter().step_by(101) {
                assert_eq!(built.get(key_of(e)), absorbed.get(key_of(e)));
            }
        }
        let far = [5u64 << 32, 6u64 << 32 | (1 << DISTANCE_BITS)];
        assert!(Packed::build(2, || far.iter().copied(), |_| true).is_none());
    }

    #[test]
    fn absorbing_in_place_is_packing_all_together() {
        let key = |i: u64| (i % 90_001).wrapping_mul(2_654_435_761) & 0xFFFF_FFFF;
        let mut old: Vec<u64> = (0..200_000u64).map(|b| key(b) << 32 | b).collect();
        let mut fresh: Vec<u64> = (200_000..700_000u64).map(|b| key(b * 7) << 32 | b).collect();
        old.sort_unstable();
        fresh.sort_unstable();
        let mut all: Vec<u64> = old.iter().chain(&fresh).copied().collect();
        all.sort_unstable();
        let mut absorbed = Packed::pack(&old);
        absorbed.absorb(&fresh, |_| true);
        let together = Packed::pack(&all);
        assert!(together.bits > Packed::pack(&old).bits, "the directory grew");
        assert_eq!((absorbed.bits, &absorbed.directory), (together.bits, &together.directory));
        assert_eq!(absorbed.postings, together.postings);
    }

    #[test]
    fn packing_keeps_every_posting_and_finds_each_key() {
        let mut entries: Vec<u64> = (0..300_000u64)
            .map(|i| ((i % 70_001).wrapping_mul(2_654_435_761) & 0xFFFF_FFFF) << 32 | i)
            .collect();
        entries.sort_unstable();
        let (old, fresh): (Vec<u64>, Vec<u64>) = entries.iter().partition(|&&e| e % 3 != 0);
        let mut packed = Packed::pack(&old);
        packed.absorb(&fresh, |block| !block.is_multiple_of(5));
        assert_eq!(packed.bits, MIN_BITS, "a small run uses the least directory");
        let bits = directory_bits(POSTINGS_PER_BUCKET << 20);
        assert_eq!(bits, 21, "a large run's buckets hold half to all of the aimed postings");
        let kept: Vec<u64> =
            entries.iter().copied().filter(|&e| !(e as u32).is_multiple_of(5)).collect();
        let blocks: Vec<u32> = kept.iter().map(|&e| e as u32).collect();
        let packed_blocks: Vec<u32> = packed.postings.iter().map(|p| p.block()).collect();
        assert_eq!(packed_blocks, blocks, "every kept posting, in order");
        for &e in kept.iter().step_by(997) {
            let key = (e >> 32) as u32;
            let held: Vec<u32> =
                kept.iter().filter(|&&k| (k >> 32) as u32 == key).map(|&k| k as u32).collect();
            assert_eq!(blocks_of(&packed, key), held);
        }
        let key = (5u64.wrapping_mul(2_654_435_761) & 0xFFFF_FFFF) as u32;
        assert_eq!(blocks_of(&packed, key), [70_006, 140_007, 210_008, 280_009], "5 was dropped");
        assert_eq!(blocks_of(&packed, key ^ 1), [] as [u32; 0]);
        assert!(Packed::default().get(key).is_empty());
    }
}
