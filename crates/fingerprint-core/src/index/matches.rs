//! From candidates to matches: document-level shares and the aligned block pairs, with a verdict
//! as `compare` would give (both align in `verdict.rs`).

use super::{Candidate, QueryResult};
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

/// The matches of a query, best first. `block_sizes` are the query's blocks' distinct shingle
/// counts and `evidence` its evidence flags, as given to the query.
pub fn matches(
    found: &QueryResult,
    block_sizes: &[u32],
    evidence: &[bool],
    t: &Thresholds,
) -> Vec<Match> {
    let total = block_sizes.iter().zip(evidence).filter(|(_, &e)| e).map(|(&n, _)| n).sum();
    found.candidates.iter().map(|c| matched(c, found.keys, block_sizes, total, t)).collect()
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
