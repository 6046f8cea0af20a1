//! A document examined against a few candidates alone, given what the rest of the corpus says
//! about it. A batch engine that shuffles postings by key learns, for each document, its walked
//! keys and their postings, its furniture counts and the blocks before it, without holding the
//! corpus; with those, the same examination as `Index::examine` runs on the candidates alone.

use super::{Addition, Examination, Index, Policy};
use crate::document::DocumentSketch;
use rustc_hash::FxHashMap;

/// What the live documents before a document say about it, beyond its candidates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// For each of its blocks, how many documents of its source before it carry it.
    pub furniture: Vec<u32>,
    /// The keys of its evidence blocks that are not stop shingles, each with its postings (live
    /// evidence blocks before it holding the key). A key left out is a stop shingle.
    pub walked: FxHashMap<u32, u32>,
    /// Live blocks before it, empty and non-evidence blocks included.
    pub blocks: usize,
}

/// Where a query's counts of postings and blocks come from.
#[derive(Clone, Copy)]
pub(super) enum Counts<'a> {
    /// The index queried: it holds the whole corpus.
    Own,
    /// A context given: the index holds only the candidates.
    Given(&'a Context),
}

/// `sketch` examined as `Index::examine` examines it against the whole corpus, from its context
/// and its candidates alone: every document before it holding one of its walked keys in an
/// evidence block, and its first `max_candidates` identical documents, in the order they were
/// added. A match's `doc` is its candidate's place in `candidates`.
pub fn examine_among(
    sketch: &DocumentSketch,
    context: &Context,
    candidates: &[Addition<'_>],
    policy: &Policy,
) -> Examination {
    let mut index = Index::new(sketch.recipe());
    index.add_many(candidates);
    let repeated = super::repeats(sketch, policy);
    index.examine_counted(
        sketch,
        context.furniture.clone(),
        policy,
        repeated,
        Counts::Given(context),
    )
}

/// Which blocks of a document are evidence, given their furniture counts: blocks of at least
/// `min_evidence_shingles` shingles seen fewer than `boilerplate_min` times in its source; if
/// none is, every block of enough shingles (a page made only of blocks its source printed
/// before is a repeat of an earlier page, not a page of furniture).
pub fn evidence_of(sketch: &DocumentSketch, furniture: &[u32], policy: &Policy) -> Vec<bool> {
    let eligible: Vec<bool> = sketch
        .block_shingles()
        .iter()
        .map(|set| set.len() >= policy.min_evidence_shingles)
        .collect();
    let evidence: Vec<bool> = eligible
        .iter()
        .zip(furniture)
        .map(|(&e, &seen)| e && seen < policy.boilerplate_min)
        .collect();
    if evidence.contains(&true) {
        evidence
    } else {
        eligible
    }
}

/// The keys a document posts: each key of its evidence blocks with the number of those blocks
/// holding it, in key order.
pub fn posting_keys(sketch: &DocumentSketch, evidence: &[bool]) -> Vec<(u32, u32)> {
    let mut keys: Vec<u32> = Vec::new();
    for (set, _) in sketch.block_shingles().iter().zip(evidence).filter(|(_, &e)| e) {
        let mut block: Vec<u32> = set.iter().map(|&h| super::key(h)).collect();
        block.dedup(); // a block's hashes are sorted, so its keys come sorted
        keys.extend(block);
    }
    keys.sort_unstable();
    let mut counted: Vec<(u32, u32)> = Vec::new();
    for key in keys {
        match counted.last_mut() {
            Some((last, n)) if *last == key => *n += 1,
            _ => counted.push((key, 1)),
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::NO_SOURCE;
    use crate::Recipe;

    const WIRE: [&str; 3] = [
        "The central bank raised its main interest rate by half a point on Tuesday.",
        "Officials said inflation had stayed above the target for a third year running.",
        "Markets had expected the move after weeks of warnings from the governor.",
    ];
    const FOOTER: &str = "Sign up for our newsletter to get the top stories every day.";

    /// Pages of a few sources: wire paragraphs copied, trimmed and mixed with local ones, a
    /// footer per source, twins.
    fn pages() -> Vec<(DocumentSketch, u32)> {
        let local =
            |i: usize| format!("Local paragraph {i} tells of the council meeting on road {i}.");
        (0..40)
            .map(|i| {
                let mut blocks: Vec<String> = Vec::new();
                if i % 3 != 0 {
                    blocks.extend(WIRE.iter().take(1 + i % 3).map(|s| s.to_string()));
                }
                if i % 5 != 0 {
                    blocks.push(local(i % 7));
                }
                if i % 2 == 0 {
                    blocks.push(FOOTER.to_string());
                }
                let source = if i % 4 == 0 { NO_SOURCE } else { (i % 3) as u32 };
                (DocumentSketch::new(Recipe::default(), &blocks), source)
            })
            .collect()
    }

    /// What the whole index knows of a document, as a batch engine would learn it.
    fn context_and_candidates(
        index: &Index,
        sketch: &DocumentSketch,
        source: u32,
        policy: &Policy,
        earlier: &[(DocumentSketch, u32, Vec<bool>)],
    ) -> (Context, Vec<usize>) {
        let furniture = if source == NO_SOURCE {
            vec![0; sketch.len()]
        } else {
            index.furniture_counts(sketch, source)
        };
        let evidence = evidence_of(sketch, &furniture, policy);
        let mut walked = FxHashMap::default();
        let mut candidates = Vec::new();
        for (key, _) in posting_keys(sketch, &evidence) {
            let holders: Vec<usize> = (0..earlier.len())
                .filter(|&d| posting_keys(&earlier[d].0, &earlier[d].2).iter().any(|p| p.0 == key))
                .collect();
            let postings: u32 = holders
                .iter()
                .map(|&d| {
                    posting_keys(&earlier[d].0, &earlier[d].2)
                        .iter()
                        .find(|p| p.0 == key)
                        .unwrap()
                        .1
                })
                .sum();
            if postings as usize <= policy.limits.max_postings {
                walked.insert(key, postings);
                candidates.extend(holders);
            }
        }
        let identity = super::super::identity::identity(sketch.block_identities());
        let twins = (0..earlier.len()).filter(|&d| {
            identity != 0
                && super::super::identity::identity(earlier[d].0.block_identities()) == identity
        });
        candidates.extend(twins.take(policy.limits.max_candidates));
        candidates.sort_unstable();
        candidates.dedup();
        let blocks = earlier.iter().map(|d| d.0.len()).sum();
        (Context { furniture, walked, blocks }, candidates)
    }

    #[test]
    fn examining_among_candidates_is_examining_against_the_corpus() {
        let policy = Policy {
            boilerplate_min: 2,
            limits: super::super::QueryLimits {
                max_postings: 4,
                max_candidates: 3,
                ..Default::default()
            },
            ..Policy::default()
        };
        let mut index = Index::new(Recipe::default());
        let mut earlier: Vec<(DocumentSketch, u32, Vec<bool>)> = Vec::new();
        let (mut matched, mut fewer) = (0, 0);
        for (sketch, source) in pages() {
            let whole = index.examine(&sketch, source, &policy);
            let (context, places) =
                context_and_candidates(&index, &sketch, source, &policy, &earlier);
            let chosen = chosen(&context, &sketch, &places, &earlier, &policy);
            fewer += usize::from(chosen.len() < places.len());
            for among in [places, chosen] {
                let additions: Vec<Addition> = among
                    .iter()
                    .map(|&d| (&earlier[d].0, NO_SOURCE, earlier[d].2.as_slice()))
                    .collect();
                let mut alone = examine_among(&sketch, &context, &additions, &policy);
                for m in &mut alone.matches {
                    m.doc = among[m.doc as usize] as u32;
                }
                assert_eq!(alone, whole);
            }
            matched += usize::from(!whole.matches.is_empty());
            index.add_examined(&sketch, source, &whole);
            earlier.push((sketch, source, whole.evidence));
        }
        assert!(matched > 20, "the pages match each other ({matched})");
        assert!(fewer > 5, "the choice leaves candidates out ({fewer})");
    }

    /// The candidates `choose` keeps of `places`, from the holders of the walked keys.
    fn chosen(
        context: &Context,
        sketch: &DocumentSketch,
        places: &[usize],
        earlier: &[(DocumentSketch, u32, Vec<bool>)],
        policy: &Policy,
    ) -> Vec<usize> {
        let mut holders = Vec::new();
        for &key in context.walked.keys() {
            for &d in places {
                let keys = posting_keys(&earlier[d].0, &earlier[d].2);
                if keys.iter().any(|p| p.0 == key) {
                    holders.push((key, d as u32, keys.len() as u32));
                }
            }
        }
        holders.sort_unstable();
        let identity = super::super::document_identity(sketch);
        let twins: Vec<u32> = places
            .iter()
            .filter(|&&d| {
                identity != 0 && super::super::document_identity(&earlier[d].0) == identity
            })
            .take(policy.limits.max_candidates)
            .map(|&d| d as u32)
            .collect();
        let mut chosen: Vec<usize> = super::super::choose(context, &holders, &twins, policy.limits)
            .into_iter()
            .map(|d| d as usize)
            .collect();
        chosen.sort_unstable();
        chosen
    }

    #[test]
    fn posting_keys_count_the_evidence_blocks_holding_each_key() {
        let sketch = DocumentSketch::new(Recipe::default(), &[WIRE[0], WIRE[0], WIRE[1]]);
        let keys = posting_keys(&sketch, &[true, true, false]);
        assert!(keys.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(keys.iter().all(|&(_, n)| n == 2));
        assert_eq!(posting_keys(&sketch, &[false, false, false]), []);
    }
}
