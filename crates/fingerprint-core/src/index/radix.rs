//! Sorting a merge's postings, entries `key << 32 | block`, by key: a radix sort, linear in the
//! entries where a comparison sort of a merge's half million takes about twenty comparisons each.
//!
//! One pass places the entries by their key's top bits into buckets of about a thousand, small
//! enough for the cache; each bucket is then sorted by the rest of its keys' bits, in passes from
//! the lowest digit up, through a bucket-sized spare. Every pass is as wide as its input, at most:
//! a pass costs its entries twice and its digit's values once, and passes of a fixed 2,048
//! values spent most of a small merge's time clearing and summing counts for buckets of a few
//! dozen entries (measured in the core: adding one block at a time about 12% faster for it).
//!
//! Entries of one key keep their order (they come in block order, as merged postings must be):
//! every pass is stable.

/// Entries in one bucket of the first pass, about, at most (its bits are chosen for this).
const BUCKET: usize = 1024;
/// The widest pass: 2,048 places being filled at once still fit in the cache.
const MAX_BITS: u32 = 11;
/// Buckets up to this many entries are sorted by insertion, without passes of their own.
const SMALL: usize = 32;

/// The `len` entries that `entries` makes (the same each time it is called), sorted by key,
/// equal keys keeping their order. Only the sorted entries take room the size of the whole:
/// fresh memory costs this machine a page fault and a page cleared by the kernel.
pub fn sorted_by_key<I: Iterator<Item = u64>>(len: usize, entries: impl Fn() -> I) -> Vec<u64> {
    let mut sorted = Vec::with_capacity(len);
    super::memory::huge_pages(&sorted);
    sorted.resize(len, 0);
    let top = bits_for(len / BUCKET).min(MAX_BITS);
    let mut starts = Vec::new();
    let first = Digit { shift: 32 - top, bits: top };
    let buckets = scatter(entries, &mut sorted, first, &mut starts);
    let (mut spare, mut counts) = (Vec::new(), Vec::new());
    for bucket in buckets.windows(2) {
        sort_bucket(&mut sorted[bucket[0]..bucket[1]], 32 - top, &mut spare, &mut counts);
    }
    sorted
}

/// The fewest bits that number `n` things (0 for one or none).
fn bits_for(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// Some bits of an entry's key: `bits` of them, above its lowest `shift`.
#[derive(Clone, Copy)]
struct Digit {
    shift: u32,
    bits: u32,
}

impl Digit {
    fn of(self, entry: u64) -> usize {
        ((entry >> 32 >> self.shift) & ((1 << self.bits) - 1)) as usize
    }
}

/// Sorts one bucket by the lowest `bits` bits of its keys (the others are all alike), through
/// `spare` (`counts` is room for the passes' counts).
pub fn sort_bucket(bucket: &mut [u64], bits: u32, spare: &mut Vec<u64>, counts: &mut Vec<usize>) {
    if bucket.len() <= SMALL {
        insertion_sort(bucket);
        return;
    }
    let passes = bits.div_ceil(bits_for(bucket.len()).min(MAX_BITS));
    let width = bits.div_ceil(passes);
    spare.clear();
    spare.resize(bucket.len(), 0);
    let (mut from, mut to): (&mut [u64], &mut [u64]) = (bucket, spare);
    for pass in 0..passes {
        let shift = pass * width;
        let digit = Digit { shift, bits: width.min(bits - shift) };
        scatter(|| from.iter().copied(), to, digit, counts);
        std::mem::swap(&mut from, &mut to);
    }
    if passes % 2 == 1 {
        // The last pass wrote the spare.
        to.copy_from_slice(from);
    }
}

/// Moves the entries `from` makes (the same each time it is called) into `to`, in order of
/// `digit`, keeping the order of entries with equal digits; returns where each digit's entries
/// start in `to`, and the end (in `counts`, whose room it reuses).
fn scatter<'a, I: Iterator<Item = u64>>(
    from: impl Fn() -> I,
    to: &mut [u64],
    digit: Digit,
    counts: &'a mut Vec<usize>,
) -> &'a [usize] {
    counts.clear();
    counts.resize((1 << digit.bits) + 1, 0);
    // Internal iteration (`for_each`): entries made by chained and nested iterators come
    // about twice as fast as through `next`.
    from().for_each(|e| counts[digit.of(e) + 1] += 1);
    for d in 1..counts.len() {
        counts[d] += counts[d - 1];
    }
    debug_assert_eq!(counts[counts.len() - 1], to.len(), "as many entries as room");
    // Each digit's next place, in the count of the digit before; once all are placed, the
    // counts are where each digit starts again.
    from().for_each(|e| {
        let next = &mut counts[digit.of(e)];
        to[*next] = e;
        *next += 1;
    });
    counts.rotate_right(1);
    counts[0] = 0;
    counts
}

fn insertion_sort(entries: &mut [u64]) {
    for i in 1..entries.len() {
        let entry = entries[i];
        let mut at = i;
        while at > 0 && entries[at - 1] > entry {
            entries[at] = entries[at - 1];
            at -= 1;
        }
        entries[at] = entry;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: u32, block: u32) -> u64 {
        u64::from(key) << 32 | u64::from(block)
    }

    fn sorts_like_a_comparison_sort(entries: &[u64]) {
        let mut expected = entries.to_vec();
        expected.sort_unstable();
        assert_eq!(sorted_by_key(entries.len(), || entries.iter().copied()), expected);
    }

    #[test]
    fn orders_by_key_and_keeps_block_order_within_a_key_at_every_size() {
        // Blocks ascending, keys repeating and spread over all 32 bits.
        for len in [0, 1, 2, SMALL, SMALL + 1, 1_000, 5_000, 50_000, 70_000, 3_000_000] {
            let keys = (len as u32 / 3).max(1);
            let entries: Vec<u64> =
                (0..len as u32).map(|b| entry((b % keys).wrapping_mul(2_654_435_761), b)).collect();
            sorts_like_a_comparison_sort(&entries);
        }
    }

    #[test]
    fn keys_alike_in_their_top_bits_or_all_equal_sort_too() {
        // A shingle held by thousands of blocks; keys differing only in their low bits.
        let one_key: Vec<u64> = (0..10_000).map(|b| entry(0xDEAD_BEEF, b)).collect();
        sorts_like_a_comparison_sort(&one_key);
        let low_bits: Vec<u64> =
            (0..10_000).map(|b| entry(0xABCD_0000 | (b * 7 % 251), b)).collect();
        sorts_like_a_comparison_sort(&low_bits);
        let mixed: Vec<u64> = (0..60_000u32)
            .map(|b| entry(if b % 3 == 0 { 42 } else { b.wrapping_mul(40_503) }, b))
            .collect();
        sorts_like_a_comparison_sort(&mixed);
    }

    #[test]
    fn digits_and_bits() {
        assert_eq!([0, 1, 2, 3, 4, 5, 1024, 1025].map(bits_for), [0, 0, 1, 2, 2, 3, 10, 11]);
        let e = entry(0b1011 << 28 | 0b110, 9);
        assert_eq!(Digit { shift: 28, bits: 4 }.of(e), 0b1011);
        assert_eq!(Digit { shift: 1, bits: 2 }.of(e), 0b11);
        assert_eq!(Digit { shift: 32, bits: 0 }.of(e), 0);
    }
}
