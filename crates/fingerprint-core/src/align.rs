//! Exact overlaps between blocks: which block shares how many shingles with which.
//!
//! Both searches here are prefix filters (AllPairs): each set is ordered rarest element first
//! (held by the fewest blocks of the input), and a pair can reach a threshold only if the
//! smaller set's first few elements meet the other set, so common shingles (boilerplate shared
//! by every paragraph) never make candidates. Every candidate is then counted exactly.

// Keys are shingle hashes and block numbers: a fast hash, not a keyed one.
use rustc_hash::FxHashMap as HashMap;

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

    /// Whether the Jaccard similarity or either containment reaches `least`: the test
    /// `verdict::align` applies to a pair.
    fn reaches(&self, least: f64) -> bool {
        self.jaccard.max(self.a_in_b).max(self.b_in_a) >= least
    }
}

/// At most this many block pairs align in one comparison. Two documents of thousands of blocks
/// that all share text would otherwise return millions of pairs, and memory grows with them
/// (docs/reliability.md); real articles align in at most a few thousand.
pub const MAX_ALIGNED_PAIRS: usize = 1_000_000;

/// More block pairs reach the pair threshold than a comparison may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyPairs {
    pub limit: usize,
}

impl std::fmt::Display for TooManyPairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the two documents align in more than {} block pairs, the limit", self.limit)
    }
}

impl std::error::Error for TooManyPairs {}

/// `overlaps_at_most` with the limit of one comparison, `MAX_ALIGNED_PAIRS`.
pub fn overlaps(
    a: &[Vec<u64>],
    b: &[Vec<u64>],
    least: f64,
) -> Result<Vec<BlockOverlap>, TooManyPairs> {
    overlaps_at_most(a, b, least, MAX_ALIGNED_PAIRS)
}

/// Every pair of blocks, one from `a` and one from `b`, that shares at least one shingle and whose
/// Jaccard similarity or containment either way reaches `least` (the pairs `verdict::align`
/// keeps), ordered by `a` then `b`. Each block is a sorted set of distinct shingle hashes.
///
/// Work: O(S log S) for S shingles in all, plus, for each candidate pair, O(k log(m / k + 2))
/// to count it, where k and m are the sizes of its smaller and larger block. A candidate is a
/// block and a block of the other side at least as large holding one of the smaller block's
/// `k - ceil(least k) + 1` rarest shingles. Memory: O(S) and the pairs returned, at most
/// `limit` (more is an error, found as soon as the pair past the limit is).
///
/// ```
/// use fingerprint_core::align::overlaps_at_most;
/// let a = vec![vec![1, 2, 3, 4], vec![9]];
/// let b = vec![vec![3, 4, 5], vec![7]];
/// let found = overlaps_at_most(&a, &b, 0.5, 10).unwrap();
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].a, found[0].b, found[0].shared), (0, 0, 2));
/// assert_eq!(found[0].jaccard, 0.4);
/// assert!(overlaps_at_most(&a, &b, 0.7, 10).unwrap().is_empty());
/// assert!(overlaps_at_most(&a, &b, 0.5, 0).is_err());
/// ```
pub fn overlaps_at_most(
    a: &[Vec<u64>],
    b: &[Vec<u64>],
    least: f64,
    limit: usize,
) -> Result<Vec<BlockOverlap>, TooManyPairs> {
    let (ranked, ranks) = rarest_first(a.iter().chain(b));
    let (ranked_a, ranked_b) = ranked.split_at(a.len());
    let prefix = |set: &[u32]| prefix_len(set.len(), least);
    // A pair's larger containment is the smaller block's, so the smaller block's prefix meets
    // the larger block: b's blocks no larger than a's are found through their prefixes, and
    // b's larger blocks through a's prefix.
    let mut smallest_first: Vec<usize> = (0..b.len()).collect();
    smallest_first.sort_by_key(|&j| b[j].len());
    let prefixes_b = Owners::of(ranked_b, ranks, &smallest_first, prefix);
    smallest_first.reverse();
    let all_of_b = Owners::of(ranked_b, ranks, &smallest_first, |set| set.len());
    let mut found = Vec::new();
    let mut row = Vec::new();
    let mut in_row = vec![usize::MAX; b.len()];
    for (i, set) in ranked_a.iter().enumerate() {
        let size = set.len();
        let no_larger = set
            .iter()
            .flat_map(|&e| prefixes_b.holding(e).iter().take_while(|&&j| b[j].len() <= size));
        let larger = set[..prefix(set)]
            .iter()
            .flat_map(|&e| all_of_b.holding(e).iter().take_while(|&&j| b[j].len() > size));
        row.clear();
        row.extend(no_larger.chain(larger).filter(|&&j| std::mem::replace(&mut in_row[j], i) != i));
        row.sort_unstable();
        for &j in &row {
            let o = BlockOverlap::new(i, j, shared_count(&a[i], &b[j]), size, b[j].len());
            if o.reaches(least) {
                if found.len() == limit {
                    return Err(TooManyPairs { limit });
                }
                found.push(o);
            }
        }
    }
    Ok(found)
}

/// For each rank, the blocks holding it in part (`part` of a set: its first so many ranks), in
/// the order of `blocks`.
struct Owners {
    starts: Vec<usize>,
    blocks: Vec<usize>,
}

impl Owners {
    fn of(
        sets: &[Vec<u32>],
        ranks: usize,
        blocks: &[usize],
        part: impl Fn(&[u32]) -> usize,
    ) -> Self {
        let mut starts = vec![0; ranks + 1];
        for set in sets {
            for &e in &set[..part(set)] {
                starts[e as usize + 1] += 1;
            }
        }
        for r in 0..ranks {
            starts[r + 1] += starts[r];
        }
        let mut next = starts.clone();
        let mut owners = vec![0; starts[ranks]];
        for &i in blocks {
            for &e in &sets[i][..part(&sets[i])] {
                owners[next[e as usize]] = i;
                next[e as usize] += 1;
            }
        }
        Self { starts, blocks: owners }
    }

    fn holding(&self, e: u32) -> &[usize] {
        &self.blocks[self.starts[e as usize]..self.starts[e as usize + 1]]
    }
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

/// [`intersection_size`], by searching the larger set for each element of the smaller when
/// their sizes differ widely: a short caption against a long paragraph costs the caption's length.
fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (small, mut large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if large.len() < 8 * small.len() {
        return intersection_size(small, large);
    }
    let mut n = 0;
    for h in small {
        match large.binary_search(h) {
            Ok(at) => {
                n += 1;
                large = &large[at + 1..];
            }
            Err(at) => large = &large[at..],
        }
    }
    n
}

/// Each set's elements as ranks in ascending order, rarest first: an element held by fewer sets
/// ranks before one held by more (ties by value). Also the number of distinct elements.
fn rarest_first<'a>(sets: impl Iterator<Item = &'a Vec<u64>> + Clone) -> (Vec<Vec<u32>>, usize) {
    let mut rank: HashMap<u64, u32> = HashMap::default();
    for &h in sets.clone().flatten() {
        *rank.entry(h).or_default() += 1;
    }
    let mut by_rarity: Vec<(u32, u64)> = rank.iter().map(|(&h, &held)| (held, h)).collect();
    by_rarity.sort_unstable();
    for (r, &(_, h)) in by_rarity.iter().enumerate() {
        rank.insert(h, r as u32);
    }
    let ranked = sets
        .map(|set| {
            let mut ranks: Vec<u32> = set.iter().map(|h| rank[h]).collect();
            ranks.sort_unstable();
            ranks
        })
        .collect();
    (ranked, by_rarity.len())
}

/// The fewest shared elements `k` with `k / n` at least `least` (computed as the callers compute
/// their ratios, so the filter is exact in floating point), at least 1; `n + 1` if none is.
fn least_shared(n: usize, least: f64) -> usize {
    let guess = (least * n as f64).ceil();
    let mut k = if guess.is_nan() { n + 1 } else { guess.clamp(1.0, (n + 1) as f64) as usize };
    while k > 1 && (k - 1) as f64 / n as f64 >= least {
        k -= 1;
    }
    while k <= n && (k as f64 / n as f64) < least {
        k += 1;
    }
    k
}

/// How many of a set's first elements (rarest first) a pair reaching `least` must meet: two sets
/// sharing `k` elements share one among each one's first `size - k + 1`.
fn prefix_len(size: usize, least: f64) -> usize {
    (size + 1).saturating_sub(least_shared(size, least))
}

/// Groups of blocks that are near-duplicates of each other (Jaccard at least `threshold`, linked
/// transitively), each group in order, groups ordered by their first block. Singletons are left out.
///
/// Exact unless the search would compare more than `REPEATS_BUDGET_BASE +
/// REPEATS_BUDGET_PER_SHINGLE * S` shingles, for S shingles in all blocks: real text stays far
/// below (docs/reliability.md), crafted blocks that nearly match each other en masse do not.
/// Past it, the groups found so far come back, each a group of true near-duplicates, some
/// split or missing ([`repeats_within`] says whether that happened). Time O(S log S) plus the
/// budget, memory O(S).
///
/// ```
/// use fingerprint_core::align::repeated_groups;
/// let blocks = vec![vec![1, 2], vec![5], vec![1, 2], vec![5], vec![8], vec![]];
/// assert_eq!(repeated_groups(&blocks, 0.8), vec![vec![0, 2], vec![1, 3]]);
/// ```
pub fn repeated_groups(blocks: &[Vec<u64>], threshold: f64) -> Vec<Vec<usize>> {
    let shingles: usize = blocks.iter().map(Vec::len).sum();
    let budget =
        REPEATS_BUDGET_BASE.saturating_add(REPEATS_BUDGET_PER_SHINGLE.saturating_mul(shingles));
    repeats_within(blocks, threshold, budget).groups
}

/// The budget of [`repeated_groups`]: this many shingles compared whatever the input (a few
/// tenths of a second)...
pub const REPEATS_BUDGET_BASE: usize = 1 << 26;
/// ...and this many more per shingle of the input, some 30 times what real text needs.
pub const REPEATS_BUDGET_PER_SHINGLE: usize = 64;

/// Groups of repeated blocks, and what finding them took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeats {
    /// As [`repeated_groups`] gives them.
    pub groups: Vec<Vec<usize>>,
    /// Candidate pairs whose Jaccard similarity was computed.
    pub verified: usize,
    /// Shingles stepped over computing them (both sets' sizes, for each).
    pub compared: usize,
    /// Whether every candidate was verified. If the budget ran out, the rest were not: each group
    /// is still a set of true near-duplicates, but groups may be split or missing.
    pub complete: bool,
}

/// [`repeated_groups`] within a budget of shingles compared.
///
/// Identical blocks are grouped by their sets first. The distinct sets are then taken smallest
/// first; each looks up, through its rarest `|x| - ceil(t |x|) + 1` shingles, the smaller sets
/// indexed under theirs that are large enough to reach `t` (two sets with Jaccard at least `t`
/// share one of those shingles), and is verified against them exactly. The sets indexed under a
/// shingle are kept in runs by their group so far, and a run of the set's own group is passed
/// over whole: linked blocks need no check, so thousands of blocks that all match cost about
/// one check each. Work: O(S log S) for S shingles in all, plus the shingles compared, which
/// stop at `budget` (and one pair); memory O(S). Up to `FEW_BLOCKS` distinct sets, the pairs
/// sharing a prefix shingle in hash order are checked instead, each once, whatever the budget.
///
/// ```
/// use fingerprint_core::align::repeats_within;
/// let same_tail: Vec<Vec<u64>> = (0..1000).map(|i| vec![i, 5000, 5001, 5002, 5003]).collect();
/// let found = repeats_within(&same_tail, 0.6, usize::MAX);
/// assert_eq!(found.groups, vec![(0..1000).collect::<Vec<usize>>()]);
/// assert!(found.complete && found.verified < 1000);
/// ```
pub fn repeats_within(blocks: &[Vec<u64>], threshold: f64, budget: usize) -> Repeats {
    assert!(blocks.len() < NIL as usize, "more than 2^32 - 1 blocks");
    if blocks.iter().filter(|set| !set.is_empty()).nth(1).is_none() {
        // One block with shingles, or none, repeats nothing: most queries of one paragraph.
        return Repeats { groups: Vec::new(), verified: 0, compared: 0, complete: true };
    }
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
    drop(first_of_set);
    if distinct.len() <= FEW_BLOCKS {
        let (verified, compared) = few_repeats(blocks, threshold, &mut parent, &distinct);
        let groups = groups_of(&mut parent);
        return Repeats { groups, verified, compared, complete: true };
    }
    let (ranked, ranks) = rarest_first(distinct.iter().map(|&i| &blocks[i]));
    let mut by_size: Vec<usize> = (0..distinct.len()).collect();
    by_size.sort_by_key(|&d| ranked[d].len());
    let mut search = Search {
        blocks,
        threshold,
        parent,
        postings: vec![Vec::new(); ranks],
        runs: Vec::new(),
        checked_by: vec![NIL; blocks.len()],
        seen_in_scan: vec![(0, 0); blocks.len()],
        scans: 0,
        verified: 0,
        compared: 0,
        budget,
    };
    let mut complete = true;
    for d in by_size {
        let prefix = &ranked[d][..prefix_len(ranked[d].len(), threshold)];
        if !search.look_up(distinct[d], prefix) {
            complete = false;
            break;
        }
        search.index(distinct[d], prefix);
    }
    let groups = groups_of(&mut search.parent);
    Repeats { groups, verified: search.verified, compared: search.compared, complete }
}

/// The groups of more than one block, in order, ordered by their first block (roots are their
/// groups' first blocks).
fn groups_of(parent: &mut [usize]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); parent.len()];
    for i in 0..parent.len() {
        let r = root(parent, i);
        groups[r].push(i);
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// Documents of at most this many distinct blocks (nearly all articles) are searched without
/// ranking their shingles: hashing every shingle costs more than the few pairs it saves, and
/// at most `FEW_BLOCKS - 1` checks per block keep the work linear.
const FEW_BLOCKS: usize = 64;

/// `repeats_within` for at most `FEW_BLOCKS` distinct sets: the pairs sharing a prefix shingle
/// (in hash order, as the sets are sorted), each verified once. Returns (verified, compared).
fn few_repeats(
    blocks: &[Vec<u64>],
    threshold: f64,
    parent: &mut [usize],
    distinct: &[usize],
) -> (usize, usize) {
    let mut prefixes: Vec<(u64, usize)> = Vec::new();
    for (d, &i) in distinct.iter().enumerate() {
        let set = &blocks[i];
        prefixes.extend(set[..prefix_len(set.len(), threshold)].iter().map(|&h| (h, d)));
    }
    prefixes.sort_unstable();
    let mut checked = [0u64; FEW_BLOCKS];
    let (mut verified, mut compared) = (0, 0);
    for holders in prefixes.chunk_by(|x, y| x.0 == y.0) {
        for (n, &(_, a)) in holders.iter().enumerate() {
            for &(_, b) in &holders[n + 1..] {
                if checked[a] & (1 << b) != 0 {
                    continue;
                }
                checked[a] |= 1 << b;
                let (x, y) = (&blocks[distinct[a]], &blocks[distinct[b]]);
                verified += 1;
                compared += x.len() + y.len();
                if jaccard_of(x, y) >= threshold {
                    union(parent, distinct[a], distinct[b]);
                }
            }
        }
    }
    (verified, compared)
}

const NIL: u32 = u32::MAX;

/// Blocks indexed under one shingle that were in one group when last looked at: a linked list
/// of entries in `Search::entries`.
#[derive(Clone, Copy)]
struct Run {
    root: u32,
    head: u32,
    tail: u32,
}

/// An indexed block and the next entry of its run.
struct Entry {
    block: u32,
    next: u32,
}

/// The state of `repeats_within`'s search: the groups so far (union-find), and for each
/// shingle rank, runs of the blocks indexed under it.
struct Search<'a> {
    blocks: &'a [Vec<u64>],
    threshold: f64,
    parent: Vec<usize>,
    postings: Vec<Vec<Run>>,
    runs: Vec<Entry>,
    /// The last block each block was verified against.
    checked_by: Vec<u32>,
    /// For a group's root, the scan that last saw a run of it, and that run's place.
    seen_in_scan: Vec<(usize, usize)>,
    scans: usize,
    verified: usize,
    compared: usize,
    budget: usize,
}

impl Search<'_> {
    /// Links block `x` to the indexed blocks it reaches through `prefix`; false if the budget
    /// ran out first.
    fn look_up(&mut self, x: usize, prefix: &[u32]) -> bool {
        let size = self.blocks[x].len();
        for &e in prefix {
            let mut list = std::mem::take(&mut self.postings[e as usize]);
            self.merge_runs_of_one_group(&mut list);
            let mut r = 0;
            let mut within = true;
            while r < list.len() && within {
                if root(&mut self.parent, list[r].root as usize) != root(&mut self.parent, x) {
                    within = self.check_run(x, size, &mut list[r]);
                }
                if list[r].head == NIL {
                    list.swap_remove(r);
                } else {
                    r += 1;
                }
            }
            self.postings[e as usize] = list;
            if !within {
                return false;
            }
        }
        true
    }

    /// Joins runs whose groups have merged since, so each group is passed over in one step.
    fn merge_runs_of_one_group(&mut self, list: &mut Vec<Run>) {
        self.scans += 1;
        let mut r = 0;
        while r < list.len() {
            let group = root(&mut self.parent, list[r].root as usize);
            list[r].root = group as u32;
            let (scan, at) = self.seen_in_scan[group];
            if scan == self.scans {
                let (from, into) = (list[r], &mut list[at]);
                self.runs[into.tail as usize].next = from.head;
                into.tail = from.tail;
                list.swap_remove(r);
            } else {
                self.seen_in_scan[group] = (self.scans, r);
                r += 1;
            }
        }
    }

    /// Verifies `x` against the run's blocks until one matches (the rest are then in its group),
    /// dropping blocks too small to reach the threshold with `x` or any later (larger) block.
    fn check_run(&mut self, x: usize, size: usize, run: &mut Run) -> bool {
        let (mut before, mut at) = (NIL, run.head);
        while at != NIL {
            let Entry { block: y, next } = self.runs[at as usize];
            let y = y as usize;
            let other = self.blocks[y].len();
            if (other as f64 / size as f64) < self.threshold {
                if before == NIL {
                    run.head = next;
                } else {
                    self.runs[before as usize].next = next;
                }
                if run.tail == at {
                    run.tail = before;
                }
            } else {
                if std::mem::replace(&mut self.checked_by[y], x as u32) != x as u32 {
                    if self.compared >= self.budget {
                        return false;
                    }
                    self.verified += 1;
                    self.compared += size + other;
                    if jaccard_of(&self.blocks[x], &self.blocks[y]) >= self.threshold {
                        union(&mut self.parent, x, y);
                        return true;
                    }
                }
                before = at;
            }
            at = next;
        }
        true
    }

    /// Indexes block `x` under its prefix, in its group's run where that run is the last.
    fn index(&mut self, x: usize, prefix: &[u32]) {
        let group = root(&mut self.parent, x);
        for &e in prefix {
            let entry = self.runs.len() as u32;
            self.runs.push(Entry { block: x as u32, next: NIL });
            let list = &mut self.postings[e as usize];
            match list.last_mut() {
                Some(run) if root(&mut self.parent, run.root as usize) == group => {
                    self.runs[run.tail as usize].next = entry;
                    run.tail = entry;
                }
                _ => list.push(Run { root: group as u32, head: entry, tail: entry }),
            }
        }
    }
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
mod tests;
