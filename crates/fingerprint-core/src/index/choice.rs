//! Which candidates a query keeps: each document holding walked keys scores one and the key's
//! weight per key, and the best by weight (then by the share of it that is shared, then by age)
//! are kept after the identical documents. The index scores the documents its postings name; a
//! batch engine the holders it shuffled by key (`choose`); both rank here.

use super::context::Context;
use super::{Candidate, QueryLimits};
use rustc_hash::FxHashMap;

/// A walked key's weight, by its live postings among `total_blocks` live blocks: rarer keys
/// weigh more.
pub(super) fn weight(total_blocks: usize, postings: usize) -> f64 {
    (1.0 + total_blocks.max(1) as f64 / postings.max(1) as f64).ln()
}

/// The `n` best candidates, best first: by weight, then by the share of the candidate that is
/// shared, then by age (numbered first).
pub(super) fn best(mut ranked: Vec<Candidate>, n: usize) -> Vec<Candidate> {
    let order = |a: &Candidate, b: &Candidate| {
        let contained = |c: &Candidate| c.shared as f64 / c.size.max(1) as f64;
        b.weight
            .total_cmp(&a.weight)
            .then(contained(b).total_cmp(&contained(a)))
            .then(a.doc.cmp(&b.doc))
    };
    if ranked.len() > n && n > 0 {
        ranked.select_nth_unstable_by(n - 1, order);
    }
    ranked.truncate(n);
    ranked.sort_unstable_by(order);
    ranked
}

/// A scored document as a candidate, before its shares are counted exactly.
pub(super) fn candidate(doc: u32, shared: u32, weight: f64, size: u32) -> Candidate {
    Candidate { doc, shared, shared_all: shared, weight, size, pairs: Vec::new(), identical: false }
}

/// The candidates a document's examination keeps, from its context and, for each of its walked
/// keys, the documents before it holding the key in an evidence block: `holders`, each
/// `(key, document, its size)`, sorted by key then document; `twins`, its first identical
/// documents. The twins, then the best others; documents by the numbers given.
pub fn choose(
    context: &Context,
    holders: &[(u32, u32, u32)],
    twins: &[u32],
    limits: QueryLimits,
) -> Vec<u32> {
    let mut scores: FxHashMap<u32, (u32, f64, u32)> = FxHashMap::default();
    for &(key, doc, size) in holders {
        let postings = context.walked.get(&key).copied().unwrap_or(0) as usize;
        let score = scores.entry(doc).or_insert((0, 0.0, size));
        *score = (score.0 + 1, score.1 + weight(context.blocks, postings), size);
    }
    let least = limits.min_containment * context.walked.len() as f64;
    let others: Vec<Candidate> = scores
        .into_iter()
        .filter(|&(doc, (shared, ..))| f64::from(shared) >= least && !twins.contains(&doc))
        .map(|(doc, (shared, weight, size))| candidate(doc, shared, weight, size))
        .collect();
    let n = limits.max_candidates - twins.len();
    twins.iter().copied().chain(best(others, n).into_iter().map(|c| c.doc)).collect()
}
