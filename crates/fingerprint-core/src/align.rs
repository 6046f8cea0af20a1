//! Exact overlaps between blocks: which block shares how many shingles with which.

// Keys are shingle hashes and block numbers: a fast hash, not a keyed one.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How much two blocks share, from their exact shingle sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockOverlap {
    pub a: usize,
    pub b: usize,
    /// Shingles the two blocks share.
    pub shared: usize,
    pub jaccard: f64,
    /// Share of block `a`'s shingles found in block `b`.
    pub a_in_b: f64,
    /// Share of block `b`'s shingles found in block `a`.
    pub b_in_a: f64,
}

impl BlockOverlap {
    fn new(a: usize, b: usize, shared: usize, size_a: usize, size_b: usize) -> Self {
        let union = size_a + size_b - shared;
        Self {
            a,
            b,
            shared,
            jaccard: shared as f64 / union as f64,
            a_in_b: shared as f64 / size_a as f64,
            b_in_a: shared as f64 / size_b as f64,
        }
    }
}

/// Every pair of blocks, one from `a` and one from `b`, that shares at least one shingle, ordered
/// by `a` then `b`. Each block is a sorted set of distinct shingle hashes.
///
/// ```
/// use fingerprint_core::align::overlaps;
/// let a = vec![vec![1, 2, 3, 4], vec![9]];
/// let b = vec![vec![3, 4, 5], vec![7]];
/// let found = overlaps(&a, &b);
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].a, found[0].b, found[0].shared), (0, 0, 2));
/// assert_eq!(found[0].jaccard, 0.4);
/// ```
pub fn overlaps(a: &[Vec<u64>], b: &[Vec<u64>]) -> Vec<BlockOverlap> {
    let owners = owners_of(b);
    let mut found = Vec::new();
    let mut shared: HashMap<usize, usize> = HashMap::default();
    for (i, block) in a.iter().enumerate() {
        shared.clear();
        for h in block {
            for &j in owners.get(h).map_or(&[][..], Vec::as_slice) {
                *shared.entry(j).or_default() += 1;
            }
        }
        let mut row: Vec<_> = shared.iter().map(|(&j, &n)| (j, n)).collect();
        row.sort_unstable();
        found.extend(
            row.into_iter().map(|(j, n)| BlockOverlap::new(i, j, n, block.len(), b[j].len())),
        );
    }
    found
}

/// For each shingle, the blocks that hold it.
fn owners_of(blocks: &[Vec<u64>]) -> HashMap<u64, Vec<usize>> {
    let mut owners: HashMap<u64, Vec<usize>> = HashMap::default();
    for (j, block) in blocks.iter().enumerate() {
        for &h in block {
            owners.entry(h).or_default().push(j);
        }
    }
    owners
}

/// The number of elements two sorted sets share.
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Groups of blocks that are near-duplicates of each other (Jaccard at least `threshold`, linked
/// transitively), each group in order, groups ordered by their first block. Singletons are left out.
///
/// Identical blocks are grouped by their sets first; the distinct sets are then paired by prefix
/// filtering (two sets with Jaccard at least `t` share one of the first `|x| - ceil(t |x|) + 1`
/// elements of each in sorted order), so only a fraction of each set is indexed and every
/// candidate pair is verified exactly.
///
/// ```
/// use fingerprint_core::align::repeated_groups;
/// let blocks = vec![vec![1, 2], vec![5], vec![1, 2], vec![5], vec![8], vec![]];
/// assert_eq!(repeated_groups(&blocks, 0.8), vec![vec![0, 2], vec![1, 3]]);
/// ```
pub fn repeated_groups(blocks: &[Vec<u64>], threshold: f64) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..blocks.len()).collect();
    let mut first_of_set: HashMap<&[u64], usize> = HashMap::default();
    let mut distinct: Vec<usize> = Vec::new();
    for (i, set) in blocks.iter().enumerate().filter(|(_, set)| !set.is_empty()) {
        match first_of_set.get(set.as_slice()) {
            Some(&first) => union(&mut parent, first, i),
            None => {
                first_of_set.insert(set, i);
                distinct.push(i);
            }
        }
    }
    // `(shingle, block)` for each prefix shingle, sorted: the blocks sharing one are a run.
    let mut prefixes: Vec<(u64, usize)> = Vec::new();
    for &i in &distinct {
        let set = &blocks[i];
        let prefix = set.len() + 1 - ((threshold * set.len() as f64).ceil() as usize).max(1);
        prefixes.extend(set[..prefix].iter().map(|&h| (h, i)));
    }
    prefixes.sort_unstable();
    let mut checked: HashSet<(usize, usize)> = HashSet::default();
    for holders in prefixes.chunk_by(|x, y| x.0 == y.0) {
        for (n, &(_, i)) in holders.iter().enumerate() {
            for &(_, j) in &holders[n + 1..] {
                if checked.insert((i, j)) && jaccard_of(&blocks[i], &blocks[j]) >= threshold {
                    union(&mut parent, i, j);
                }
            }
        }
    }
    // Roots are their groups' first blocks, so groups come out in order of their first block.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for i in 0..blocks.len() {
        let r = root(&mut parent, i);
        groups[r].push(i);
    }
    groups.retain(|g| g.len() > 1);
    groups
}

fn jaccard_of(a: &[u64], b: &[u64]) -> f64 {
    let shared = intersection_size(a, b);
    shared as f64 / (a.len() + b.len() - shared) as f64
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (root(parent, a), root(parent, b));
    parent[ra.max(rb)] = ra.min(rb);
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_goes_both_ways() {
        let a = vec![vec![1, 2, 3, 4, 5, 6]];
        let b = vec![vec![1, 2, 3], vec![4, 5, 6, 7]];
        let found = overlaps(&a, &b);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].b_in_a, 1.0);
        assert_eq!(found[0].a_in_b, 0.5);
        assert_eq!(found[1].shared, 3);
    }

    #[test]
    fn prefix_filtering_finds_what_all_pairs_find() {
        // Blocks drawn from a small universe, so near-duplicates at every level occur.
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            state >> 33
        };
        let blocks: Vec<Vec<u64>> = (0..300)
            .map(|_| {
                let mut set: Vec<u64> = (0..1 + next() % 8).map(|_| next() % 12).collect();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        for threshold in [0.3, 0.5, 0.8, 1.0] {
            let mut parent: Vec<usize> = (0..blocks.len()).collect();
            for i in 0..blocks.len() {
                for j in i + 1..blocks.len() {
                    if jaccard_of(&blocks[i], &blocks[j]) >= threshold {
                        union(&mut parent, i, j);
                    }
                }
            }
            let mut expected: HashMap<usize, Vec<usize>> = HashMap::default();
            for i in 0..blocks.len() {
                let r = root(&mut parent, i);
                expected.entry(r).or_default().push(i);
            }
            let mut expected: Vec<Vec<usize>> =
                expected.into_values().filter(|g| g.len() > 1).collect();
            expected.sort_unstable();
            assert_eq!(repeated_groups(&blocks, threshold), expected, "threshold {threshold}");
        }
    }

    #[test]
    fn intersection_of_sorted_sets() {
        assert_eq!(intersection_size(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(intersection_size(&[], &[1]), 0);
    }
}
