//! From candidates to matches: document-level shares and the aligned block pairs, with a verdict
//! as `compare` would give (both align in `verdict.rs`).

use super::{Candidate, Policy, QueryResult};
use crate::verdict::{align, Alignment, Overlap, Thresholds, Verdict};

/// An earlier document that shares content with the query.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub doc: u32,
    /// Share of the query's evidence shingles that are in the document.
    pub containment: f64,
    /// Share of the document's evidence shingles that are in the query.
    pub contained: f64,
    pub jaccard: f64,
    /// The aligned blocks, the query as side a; a verdict of at least a partial overlap.
    pub alignment: Alignment,
}

impl Match {
    /// How a match ranks: its containment both ways, how much of the query is in it plus how
    /// much of it is in the query. Containment alone favours long documents that hold a little
    /// of everything, Jaccard short ones (docs/spec.md, I4).
    pub fn score(&self) -> f64 {
        self.containment + self.contained
    }

    /// Whether the match and the query make one story, so that their clusters join: a copy
    /// verdict, and the document it puts inside the other has at least `t.contains` of its
    /// shingles there (both, for the same article). A verdict counts a block half inside another
    /// as wholly aligned, so a verdict alone would let two shared paragraphs chain two stories.
    pub fn same_story(&self, t: &Thresholds) -> bool {
        let inside = match self.alignment.verdict {
            Verdict::SameArticle => self.containment.min(self.contained),
            Verdict::BContainsA => self.containment,
            Verdict::AContainsB => self.contained,
            Verdict::PartialOverlap | Verdict::Unrelated => return false,
        };
        inside >= t.contains
    }
}

/// The matches (by place) that name the query's origin: its copies; else its best match when a
/// whole block was carried over from it (a copy trimmed hard and padded with local paragraphs
/// overlaps only partly, but it is still the wire story's copy).
pub fn origin_links(matches: &[Match]) -> Vec<usize> {
    let copies: Vec<usize> =
        (0..matches.len()).filter(|&i| matches[i].alignment.verdict.is_copy()).collect();
    if !copies.is_empty() {
        return copies;
    }
    let whole = |m: &Match| m.alignment.pairs.iter().any(|p| p.relation.is_whole_block());
    matches.first().filter(|m| whole(m)).map(|_| vec![0]).unwrap_or_default()
}

/// The matches of a query, best first: the candidates sharing enough, ranked by `score`, ties
/// in the candidates' order. `block_sizes` are the query's blocks' distinct shingle counts and
/// `evidence` its evidence flags, as given to the query.
pub fn matches(
    found: &QueryResult,
    block_sizes: &[u32],
    evidence: &[bool],
    policy: &Policy,
) -> Vec<Match> {
    let total = block_sizes.iter().zip(evidence).filter(|(_, &e)| e).map(|(&n, _)| n).sum();
    // Sharing a few phrases is chance, unless they are the whole of one of the two.
    let least = |c: &Candidate| policy.limits.min_shared.min(found.keys).min(c.size);
    let mut matches: Vec<Match> = found
        .candidates
        .iter()
        .filter(|c| c.identical || c.shared_all >= least(c))
        .map(|c| matched(c, found.keys, block_sizes, total, &policy.thresholds))
        .filter(|m| m.containment >= policy.limits.min_containment)
        .collect();
    matches.sort_by(|a, b| b.score().total_cmp(&a.score()));
    matches
}

fn matched(c: &Candidate, keys: u32, block_sizes: &[u32], total: u32, t: &Thresholds) -> Match {
    let (containment, contained, jaccard) = if c.identical {
        // Every block the same: nothing else to weigh, even when all are stop shingles.
        (1.0, 1.0, 1.0)
    } else {
        let share = |n: u32| if n == 0 { 0.0 } else { f64::from(c.shared_all) / f64::from(n) };
        (share(keys), share(c.size), share(keys + c.size - c.shared_all))
    };
    let overlaps = c.pairs.iter().map(|&(a, b, shared, size_b)| Overlap {
        a,
        b,
        shared,
        size_a: block_sizes[a as usize],
        size_b,
    });
    let mut alignment = align(overlaps, total, c.size, (containment, contained), t);
    if alignment.verdict == Verdict::Unrelated {
        // A candidate shares evidence: at the least, the two overlap.
        alignment.verdict = Verdict::PartialOverlap;
    }
    Match { doc: c.doc, containment, contained, jaccard, alignment }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{AlignedPair, Relation};

    fn found(verdict: Verdict, containment: f64, contained: f64, whole: bool) -> Match {
        let relation = if whole { Relation::NearDuplicate } else { Relation::Contained };
        let pair = AlignedPair { a: 0, b: 0, similarity: 0.5, relation, a_in_b: 0.5, b_in_a: 0.5 };
        let alignment = Alignment { pairs: vec![pair], coverage_a: 0.0, coverage_b: 0.0, verdict };
        Match { doc: 0, containment, contained, jaccard: 0.0, alignment }
    }

    #[test]
    fn a_copy_makes_one_story_only_when_the_shingles_agree() {
        let t = Thresholds::default();
        assert!(found(Verdict::BContainsA, 0.6, 0.1, false).same_story(&t));
        assert!(!found(Verdict::BContainsA, 0.4, 0.9, false).same_story(&t));
        assert!(found(Verdict::AContainsB, 0.1, 0.5, false).same_story(&t));
        assert!(!found(Verdict::SameArticle, 0.9, 0.4, false).same_story(&t));
        assert!(!found(Verdict::PartialOverlap, 1.0, 1.0, true).same_story(&t));
    }

    #[test]
    fn the_origin_comes_from_the_copies_else_a_best_match_carrying_a_whole_block() {
        let partial = |whole| found(Verdict::PartialOverlap, 0.3, 0.3, whole);
        let copy = found(Verdict::BContainsA, 0.9, 0.2, false);
        assert_eq!(origin_links(&[partial(true), copy.clone(), copy]), [1, 2]);
        assert_eq!(origin_links(&[partial(true), partial(true)]), [0]);
        assert!(origin_links(&[partial(false), partial(true)]).is_empty());
        assert!(origin_links(&[]).is_empty());
    }
}
