//! Which overlapping blocks of two articles align, how much of each article they cover, and the
//! verdict that coverage supports (docs/how-it-works.md). `compare` aligns the exact overlaps of
//! two documents; the index aligns the overlaps it finds through its postings; both align here.

use crate::align::{intersection_size, overlaps, BlockOverlap, TooManyPairs};
use crate::document::DocumentSketch;

/// The thresholds behind alignment and verdicts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Two blocks align when their Jaccard similarity, or the containment of either in the
    /// other, reaches it.
    pub pair: f64,
    /// An aligned pair at or above this Jaccard is a near-duplicate; below, one is contained.
    pub near_duplicate: f64,
    /// Both articles have at least this share of their shingles in aligned blocks.
    pub same: f64,
    /// One article has at least this share in aligned blocks.
    pub contains: f64,
    /// Either article has at least this share.
    pub partial: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self { pair: 0.5, near_duplicate: 0.5, same: 0.8, contains: 0.5, partial: 0.1 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Identical,
    NearDuplicate,
    Contained,
}

impl Relation {
    pub const ALL: [Self; 3] = [Self::Identical, Self::NearDuplicate, Self::Contained];

    /// Whether the pair carries a whole block from one article into the other.
    pub fn is_whole_block(self) -> bool {
        matches!(self, Self::Identical | Self::NearDuplicate)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Identical => "identical",
            Self::NearDuplicate => "near-duplicate",
            Self::Contained => "contained",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    SameArticle,
    AContainsB,
    BContainsA,
    PartialOverlap,
    Unrelated,
}

impl Verdict {
    pub const ALL: [Self; 5] = [
        Self::SameArticle,
        Self::AContainsB,
        Self::BContainsA,
        Self::PartialOverlap,
        Self::Unrelated,
    ];

    /// Whether the verdict makes one article a copy of the other (or both the same).
    pub fn is_copy(self) -> bool {
        matches!(self, Self::SameArticle | Self::AContainsB | Self::BContainsA)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::SameArticle => "same_article",
            Self::AContainsB => "a_contains_b",
            Self::BContainsA => "b_contains_a",
            Self::PartialOverlap => "partial_overlap",
            Self::Unrelated => "unrelated",
        }
    }

    /// The verdict that the coverages of two articles by each other support.
    pub fn of(coverage_a: f64, coverage_b: f64, t: &Thresholds) -> Self {
        if coverage_a >= t.same && coverage_b >= t.same {
            return Self::SameArticle;
        }
        // One contains the other when the other lies mostly in aligned blocks and it has more
        // beyond them; two articles half in each other contain neither.
        if coverage_b >= t.contains && coverage_b > coverage_a {
            return Self::AContainsB;
        }
        if coverage_a >= t.contains && coverage_a > coverage_b {
            return Self::BContainsA;
        }
        if coverage_a.max(coverage_b) >= t.partial {
            return Self::PartialOverlap;
        }
        Self::Unrelated
    }
}

/// Block `a` of one article shares `shared` distinct shingles with block `b` of the other;
/// the blocks have `size_a` and `size_b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap {
    pub a: u32,
    pub b: u32,
    pub shared: u32,
    pub size_a: u32,
    pub size_b: u32,
}

/// Two aligned blocks: their Jaccard similarity, relation, and containment each way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlignedPair {
    pub a: u32,
    pub b: u32,
    pub similarity: f64,
    pub relation: Relation,
    pub a_in_b: f64,
    pub b_in_a: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<AlignedPair>,
    pub coverage_a: f64,
    pub coverage_b: f64,
    pub verdict: Verdict,
}

/// Aligns the overlaps (in `(a, b)` order) that reach `t.pair` and decides the verdict. `total_a`
/// and `total_b` are the shingle counts coverage is counted against; `containment` the shares of a's and of b's
/// shingles that are in the other, wherever they stand.
pub fn align(
    overlaps: impl IntoIterator<Item = Overlap>,
    total_a: u32,
    total_b: u32,
    containment: (f64, f64),
    t: &Thresholds,
) -> Alignment {
    let mut pairs: Vec<(AlignedPair, Overlap)> = overlaps
        .into_iter()
        .map(|o| (pair(o, t), o))
        .filter(|(p, _)| p.similarity.max(p.a_in_b).max(p.b_in_a) >= t.pair)
        .collect();
    debug_assert!(pairs.is_sorted_by_key(|(p, _)| (p.a, p.b)), "overlaps come in (a, b) order");
    let covered_a = covered(&pairs, |(p, o)| (p.a, p.a_in_b, o.size_a), t.pair);
    // Side b's blocks in order, each one's pairs in a's order, as they stand in the overlaps;
    // then back to (a, b) order. Sorting in place allocates nothing, unlike a sorted copy.
    pairs.sort_unstable_by_key(|(p, _)| (p.b, p.a));
    let covered_b = covered(&pairs, |(p, o)| (p.b, p.b_in_a, o.size_b), t.pair);
    pairs.sort_unstable_by_key(|(p, _)| (p.a, p.b));
    let coverage_a = ratio(covered_a, total_a);
    let coverage_b = ratio(covered_b, total_b);
    let verdict = if containment.0.min(containment.1) >= t.same {
        // Each holds nearly all of the other: the same article, its paragraphs cut differently.
        Verdict::SameArticle
    } else {
        Verdict::of(coverage_a, coverage_b, t)
    };
    Alignment {
        pairs: pairs.into_iter().map(|(p, _)| p).collect(),
        coverage_a,
        coverage_b,
        verdict,
    }
}

/// Two documents compared exactly: the distinct shingles they share, each one's count, and
/// their aligned blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub shared: usize,
    pub size_a: usize,
    pub size_b: usize,
    pub alignment: Alignment,
}

/// Compares two documents from their exact shingle sets; more aligned block pairs than
/// `MAX_ALIGNED_PAIRS` are an error.
pub fn compare(
    a: &DocumentSketch,
    b: &DocumentSketch,
    t: &Thresholds,
) -> Result<Comparison, TooManyPairs> {
    let found = overlaps(a.block_shingles(), b.block_shingles(), t.pair)?;
    Ok(compare_overlapping(a, b, found, t))
}

/// Compares two documents whose block overlaps were found already (`overlaps`: at least every
/// pair that reaches `t.pair`; the alignment keeps only those).
pub(crate) fn compare_overlapping(
    a: &DocumentSketch,
    b: &DocumentSketch,
    found: Vec<BlockOverlap>,
    t: &Thresholds,
) -> Comparison {
    let (union_a, union_b) = (a.union(), b.union());
    let shared = intersection_size(&union_a, &union_b);
    let share = |n: usize| if n == 0 { 0.0 } else { shared as f64 / n as f64 };
    let containment = (share(union_a.len()), share(union_b.len()));
    let block_size = |d: &DocumentSketch, i: usize| d.shingles(i).len() as u32;
    let found = found.into_iter().map(|o| Overlap {
        a: o.a as u32,
        b: o.b as u32,
        shared: o.shared as u32,
        size_a: block_size(a, o.a),
        size_b: block_size(b, o.b),
    });
    let total = |d: &DocumentSketch| (0..d.len()).map(|i| block_size(d, i)).sum();
    let alignment = align(found, total(a), total(b), containment, t);
    Comparison { shared, size_a: union_a.len(), size_b: union_b.len(), alignment }
}

fn pair(o: Overlap, t: &Thresholds) -> AlignedPair {
    let shared = f64::from(o.shared);
    let similarity = shared / f64::from(o.size_a + o.size_b - o.shared);
    let relation = if similarity == 1.0 {
        Relation::Identical
    } else if similarity >= t.near_duplicate {
        Relation::NearDuplicate
    } else {
        Relation::Contained
    };
    AlignedPair {
        a: o.a,
        b: o.b,
        similarity,
        relation,
        a_in_b: shared / f64::from(o.size_a),
        b_in_a: shared / f64::from(o.size_b),
    }
}

/// The shingles of one side's blocks that lie in their aligned counterparts: blocks whose
/// containment, summed over their pairs, reaches `least`. A long paragraph that merely contains
/// a short one it repeats is aligned, but not covered. `side` gives a pair's `(block,
/// containment, size)`; pairs come grouped by block.
fn covered<T>(pairs: &[T], side: impl Fn(&T) -> (u32, f64, u32), least: f64) -> u32 {
    pairs
        .chunk_by(|x, y| side(x).0 == side(y).0)
        .filter(|run| run.iter().map(|x| side(x).1).sum::<f64>() >= least)
        .map(|run| side(&run[0]).2)
        .sum()
}

fn ratio(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: u32, b: u32, shared: u32, size_a: u32, size_b: u32) -> Overlap {
        Overlap { a, b, shared, size_a, size_b }
    }

    #[test]
    fn a_trimmed_copy_is_contained_and_weak_overlaps_do_not_align() {
        let t = Thresholds::default();
        // a: blocks of 10, 10, 10; b: a's first two blocks, one lightly edited.
        let found = align(
            [overlap(0, 0, 10, 10, 10), overlap(1, 1, 8, 10, 9), overlap(2, 1, 1, 10, 9)],
            30,
            19,
            (0.6, 0.95),
            &t,
        );
        let relations: Vec<_> = found.pairs.iter().map(|p| (p.a, p.b, p.relation)).collect();
        assert_eq!(relations, [(0, 0, Relation::Identical), (1, 1, Relation::NearDuplicate)]);
        assert_eq!((found.coverage_a, found.coverage_b), (20.0 / 30.0, 1.0));
        assert_eq!(found.verdict, Verdict::AContainsB);
    }

    #[test]
    fn a_split_paragraph_is_covered_by_its_two_halves() {
        let t = Thresholds::default();
        let halves = [overlap(0, 0, 5, 10, 6), overlap(0, 1, 5, 10, 6)];
        let found = align(halves, 10, 12, (1.0, 0.8), &t);
        assert_eq!(found.coverage_a, 1.0, "0.5 + 0.5 of block 0 lies in b");
        assert!(found.pairs.iter().all(|p| p.relation == Relation::Contained));
    }

    #[test]
    fn articles_holding_nearly_all_of_each_other_are_the_same_whatever_aligns() {
        let t = Thresholds::default();
        let weak = [overlap(0, 0, 4, 10, 10)];
        assert_eq!(align(weak, 20, 20, (0.0, 0.0), &t).verdict, Verdict::Unrelated);
        assert_eq!(align(weak, 20, 20, (0.9, t.same), &t).verdict, Verdict::SameArticle);
        assert_eq!(align(weak, 20, 20, (0.9, 0.79), &t).verdict, Verdict::Unrelated);
    }

    #[test]
    fn verdicts_mirror() {
        let t = Thresholds::default();
        for (a, b) in [(0.9, 0.85), (0.3, 0.7), (0.6, 0.6), (0.2, 0.05), (0.0, 0.0)] {
            let (one, other) = (Verdict::of(a, b, &t), Verdict::of(b, a, &t));
            let mirrored = match one {
                Verdict::AContainsB => Verdict::BContainsA,
                Verdict::BContainsA => Verdict::AContainsB,
                v => v,
            };
            assert_eq!(other, mirrored, "{a} {b}");
        }
    }
}
