//! The prefix filters against all pairs (and `overlaps` against the code it replaced, kept here as
//! a slow reference), on generated blocks; and the inputs that made the old code quadratic.

use super::*;
use crate::document::DocumentSketch;
use crate::verdict::{compare, compare_overlapping, Thresholds};
use crate::Recipe;
use std::time::{Duration, Instant};

/// xorshift64: a fixed-seed generator, so every run tests the same inputs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sorted(mut set: Vec<u64>) -> Vec<u64> {
    set.sort_unstable();
    set.dedup();
    set
}

/// Blocks as a page makes them: fresh ones over a small vocabulary (so near-duplicates at every
/// level occur), copies and near-copies of earlier ones, empty and one-shingle blocks, and
/// blocks sharing a common tail; fewer than `most`.
fn page(random: &mut Random, most: u64, universe: u64) -> Vec<Vec<u64>> {
    let n = random.below(most);
    let tail: Vec<u64> = (0..1 + random.below(6)).map(|k| 1000 + k).collect();
    let mut blocks: Vec<Vec<u64>> = Vec::new();
    for _ in 0..n {
        let block = match (random.below(8), blocks.len()) {
            (0, _) => Vec::new(),
            (1, _) => vec![random.below(universe)],
            (2, n) if n > 0 => blocks[random.below(n as u64) as usize].clone(),
            (3 | 4, n) if n > 0 => {
                let mut near = blocks[random.below(n as u64) as usize].clone();
                match random.below(3) {
                    0 if !near.is_empty() => {
                        near.remove(random.below(near.len() as u64) as usize);
                    }
                    1 if !near.is_empty() => {
                        let at = random.below(near.len() as u64) as usize;
                        near[at] = random.below(universe);
                    }
                    _ => near.push(random.below(universe)),
                }
                near
            }
            (5, _) => {
                let mut own: Vec<u64> =
                    (0..random.below(4)).map(|_| random.below(universe)).collect();
                own.extend(&tail);
                own
            }
            _ => (0..1 + random.below(12)).map(|_| random.below(universe)).collect(),
        };
        blocks.push(sorted(block));
    }
    blocks
}

/// The groups of all pairs that share a shingle and reach the threshold.
fn all_pairs_groups(blocks: &[Vec<u64>], threshold: f64) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..blocks.len()).collect();
    for i in 0..blocks.len() {
        for j in i + 1..blocks.len() {
            let shared = intersection_size(&blocks[i], &blocks[j]);
            if shared > 0 && jaccard_of(&blocks[i], &blocks[j]) >= threshold {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for i in 0..blocks.len() {
        let r = root(&mut parent, i);
        groups[r].push(i);
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// `overlaps` as it was: every pair sharing a shingle, counted through the owners of each.
fn overlaps_before(a: &[Vec<u64>], b: &[Vec<u64>]) -> Vec<BlockOverlap> {
    let mut owners: HashMap<u64, Vec<usize>> = HashMap::default();
    for (j, block) in b.iter().enumerate() {
        for &h in block {
            owners.entry(h).or_default().push(j);
        }
    }
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

const THRESHOLDS: [f64; 8] = [0.0, 0.1, 0.3, 0.5, 2.0 / 3.0, 0.8, 0.9, 1.0];

#[test]
fn repeated_groups_are_those_of_all_pairs() {
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for case in 0..300 {
        let universe = [4, 12, 40, 1000][case % 4];
        let blocks = page(&mut random, 120, universe);
        for threshold in THRESHOLDS {
            let found = repeats_within(&blocks, threshold, usize::MAX);
            let expected = all_pairs_groups(&blocks, threshold);
            assert!(found.complete);
            assert_eq!(found.groups, expected, "case {case}, threshold {threshold}: {blocks:?}");
            assert_eq!(repeated_groups(&blocks, threshold), expected);
        }
    }
}

#[test]
fn overlaps_are_those_of_the_code_before_that_reach_the_threshold() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for case in 0..300 {
        let universe = [4, 12, 40, 1000][case % 4];
        let a = page(&mut random, 60, universe);
        let mut b = page(&mut random, 60, universe);
        // Some of b copied or edited from a, as a syndicated copy is.
        for block in &a {
            if random.below(3) != 0 {
                continue;
            }
            let mut copy = block.clone();
            if random.below(2) == 0 {
                copy.push(random.below(universe));
            }
            b.push(sorted(copy));
        }
        let before = overlaps_before(&a, &b);
        for least in THRESHOLDS.into_iter().chain([f64::NAN, -1.0, 1.5]) {
            let expected: Vec<_> = before.iter().copied().filter(|o| o.reaches(least)).collect();
            assert_eq!(overlaps(&a, &b, least).unwrap(), expected, "case {case}, least {least}");
        }
        let (doc_a, doc_b) = (
            DocumentSketch::from_sets(Recipe::default(), a),
            DocumentSketch::from_sets(Recipe::default(), b),
        );
        for pair in THRESHOLDS {
            let t = Thresholds { pair, ..Thresholds::default() };
            // Every overlap aligned, as before the filter: the alignment keeps the same pairs.
            let every = compare_overlapping(&doc_a, &doc_b, before.clone(), &t);
            assert_eq!(compare(&doc_a, &doc_b, &t).unwrap(), every, "case {case}");
        }
    }
}

#[test]
fn least_shared_is_the_fewest_that_reach_the_threshold() {
    for n in 1..200 {
        for least in THRESHOLDS.into_iter().chain([0.7, 0.55, 1e-9, -0.5, 1.01, f64::NAN]) {
            let k = least_shared(n, least);
            let reaches = |k: usize| k as f64 / n as f64 >= least;
            assert!((1..=n + 1).contains(&k));
            assert!(k == n + 1 || reaches(k), "{n} {least}");
            assert!(k == 1 || !reaches(k - 1), "{n} {least}");
        }
    }
}

/// `n` sets of a shingle of their own and `tail` shingles every set holds.
fn own_and_shared(random: &mut Random, n: usize, tail: u64) -> Vec<Vec<u64>> {
    let shared: Vec<u64> = (0..tail).map(|_| random.next()).collect();
    (0..n).map(|_| sorted([vec![random.next()], shared.clone()].concat())).collect()
}

#[test]
fn blocks_sharing_their_last_words_check_no_pairs() {
    // `w1 and more words`, `w2 and more words`...: one shingle of their own, one shared. Half
    // the shared shingles hash first, which made 2.4 billion pairs before.
    let blocks = own_and_shared(&mut Random(7), 99_000, 1);
    let found = repeats_within(&blocks, 0.8, 10_000_000);
    assert_eq!((found.groups.len(), found.verified), (0, 0));
}

#[test]
fn blocks_that_all_match_check_one_pair_each() {
    // One shingle of their own and 20 in common: every pair reaches 0.8, so all are one group,
    // found with one check per block rather than one per pair.
    let blocks = own_and_shared(&mut Random(8), 99_000, 20);
    let found = repeats_within(&blocks, 0.8, 10_000_000);
    assert_eq!(found.groups, vec![(0..99_000).collect::<Vec<_>>()]);
    assert!(found.complete);
    assert!(found.verified < 99_000, "{} pairs checked", found.verified);
}

#[test]
fn short_paragraphs_sharing_words_check_few_pairs() {
    // `vP vQ and more words` for P and Q under 400: 160,000 paragraphs (4 MB), each with a
    // shingle shared by all, one shared by about 400, and one by about 1.
    let mut random = Random(9);
    let common = random.next();
    let middle: Vec<u64> = (0..400).map(|_| random.next()).collect();
    let first: Vec<u64> = (0..160_000).map(|_| random.next()).collect();
    let blocks: Vec<Vec<u64>> = (0..160_000)
        .map(|_| {
            let (p, q) = (random.below(400) as usize, random.below(400) as usize);
            sorted(vec![first[p * 400 + q], middle[q], common])
        })
        .collect();
    let found = repeats_within(&blocks, 0.8, 10_000_000);
    assert!(found.complete);
    assert!(found.verified == 0, "{} pairs checked", found.verified);
    assert_eq!(found.groups, repeated_groups(&blocks, 0.8));
}

#[test]
fn near_misses_stop_at_the_budget_and_what_is_found_is_true() {
    // Sets of 10 out of 30 shingles: every shingle is common, pairs share about 3, and few
    // reach 0.5; the prefixes cannot keep the candidates down.
    let mut random = Random(10);
    let blocks: Vec<Vec<u64>> =
        (0..20_000).map(|_| sorted((0..10).map(|_| random.below(30)).collect())).collect();
    let budget = 1_000_000;
    let start = Instant::now();
    let found = repeats_within(&blocks, 0.5, budget);
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert!(!found.complete);
    assert!(found.compared <= budget + 20, "{}", found.compared);
    // Every group found lies within one group of the full search.
    let full = repeats_within(&blocks, 0.5, usize::MAX);
    let mut group_of = vec![usize::MAX; blocks.len()];
    for (g, group) in full.groups.iter().enumerate() {
        group.iter().for_each(|&i| group_of[i] = g);
    }
    for group in &found.groups {
        assert!(group
            .iter()
            .all(|&i| group_of[i] == group_of[group[0]] && group_of[i] != usize::MAX));
    }
}

#[test]
fn paragraphs_sharing_one_shingle_are_not_counted_as_pairs() {
    // 3,000 paragraphs a side, each of two shingles of its own and `and more words`: no pair
    // reaches 0.5, and none is counted (9 million were before).
    let mut random = Random(11);
    let common = random.next();
    let mut side = || -> Vec<Vec<u64>> {
        (0..3000).map(|_| sorted(vec![random.next(), random.next(), common])).collect()
    };
    let (a, b) = (side(), side());
    let start = Instant::now();
    assert!(overlaps(&a, &b, 0.5).unwrap().is_empty());
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
}

#[test]
fn paragraphs_half_shared_all_align() {
    // With one shingle of their own and one in common, every pair holds half of each: all
    // reach the pair threshold, so they are all returned, as before.
    let mut random = Random(12);
    let (a, b) = (own_and_shared(&mut random, 300, 1), own_and_shared(&mut random, 300, 0));
    let b: Vec<Vec<u64>> =
        b.into_iter().map(|own| sorted([own, a[0][..].to_vec()].concat())).collect();
    let found = overlaps(&a, &b, 0.5).unwrap();
    let expected: Vec<_> = overlaps_before(&a, &b).into_iter().filter(|o| o.reaches(0.5)).collect();
    assert!(found.len() >= 300 * 299);
    assert_eq!(found, expected);
    let limit = found.len() - 1;
    assert_eq!(overlaps_at_most(&a, &b, 0.5, limit), Err(TooManyPairs { limit }));
    assert_eq!(overlaps_at_most(&a, &b, 0.5, found.len()), Ok(found));
}

#[test]
fn containment_goes_both_ways() {
    let a = vec![vec![1, 2, 3, 4, 5, 6]];
    let b = vec![vec![1, 2, 3], vec![4, 5, 6, 7]];
    let found = overlaps(&a, &b, 0.5).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].b_in_a, 1.0);
    assert_eq!(found[0].a_in_b, 0.5);
    assert_eq!(found[1].shared, 3);
}

#[test]
fn intersection_of_sorted_sets() {
    assert_eq!(intersection_size(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
    assert_eq!(intersection_size(&[], &[1]), 0);
    let large: Vec<u64> = (0..1000).map(|x| 3 * x).collect();
    assert_eq!(shared_count(&[0, 4, 9, 2997, 3000], &large), 3);
    assert_eq!(shared_count(&large, &[0, 4, 9, 2997, 3000]), 3);
}
