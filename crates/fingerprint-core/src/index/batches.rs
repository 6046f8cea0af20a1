//! Documents in batches: added together, their postings in one insert (one merge, when they
//! are many: loading an index rather than ingesting news), and examined on several threads (the
//! index only read).

use super::{identity, matches, Examination, Index, Match, Policy, QueryResult};
use crate::batch::map_on_threads;
use crate::document::DocumentSketch;

/// How many documents ahead of the one recorded a batch starts loading their identities' slots.
const IDENTITIES_AHEAD: usize = 8;

/// A document to add: its sketch, source number and evidence flags.
pub type Addition<'a> = (&'a DocumentSketch, u32, &'a [bool]);

/// A document to examine: its sketch, source number, and its own number when it is in the index
/// already (it is not its own match).
pub type Question<'a> = (&'a DocumentSketch, u32, Option<u32>);

impl Index {
    /// Adds documents in order, nothing examined; returns their numbers. The same index as
    /// adding them one by one; a batch of its own, settled at its end.
    pub fn add_many(&mut self, documents: &[Addition<'_>]) -> Vec<u32> {
        let blocks = documents.iter().map(|(sketch, ..)| sketch.len()).sum();
        let keys =
            documents.iter().map(|&(sketch, _, evidence)| evidence_keys(sketch, evidence)).sum();
        self.reserve(documents.len(), blocks, keys);
        let first_block = self.blocks.len() as u32;
        let identities: Vec<u64> =
            documents.iter().map(|d| identity::identity(d.0.block_identities())).collect();
        let numbers = documents
            .iter()
            .zip(&identities)
            .enumerate()
            .map(|(i, (&(sketch, source, evidence), &identity))| {
                // Its slot loading while the documents before it are recorded.
                if let Some(&ahead) = identities.get(i + IDENTITIES_AHEAD) {
                    self.identities.prefetch(ahead);
                }
                self.record(sketch, source, evidence, None, identity)
            })
            .collect();
        self.index_keys(first_block..self.blocks.len() as u32);
        self.settle();
        numbers
    }

    /// Each document examined, as `examine_question` would, on up to `threads` threads.
    pub fn examine_many(
        &self,
        questions: &[Question<'_>],
        policy: &Policy,
        threads: usize,
    ) -> Vec<Examination> {
        map_on_threads(questions, threads, || (), |(), q| self.examine_question(q, policy))
    }

    /// A document examined, nothing added, and not its own match.
    pub fn examine_question(&self, question: &Question<'_>, policy: &Policy) -> Examination {
        let &(sketch, source, itself) = question;
        let seen = self.examine(sketch, source, policy);
        match itself {
            Some(doc) => seen.without(doc),
            None => seen,
        }
    }

    /// The matches a query of `sketch` found, aligned.
    pub(super) fn matches_in(
        &self,
        found: &QueryResult,
        sketch: &DocumentSketch,
        evidence: &[bool],
        policy: &Policy,
    ) -> Vec<Match> {
        let sizes: Vec<u32> = sketch.block_shingles().iter().map(|s| s.len() as u32).collect();
        matches(found, &sizes, evidence, policy)
    }
}

/// At most how many keys a document's evidence blocks hold (their shingles).
fn evidence_keys(sketch: &DocumentSketch, evidence: &[bool]) -> usize {
    let sets = sketch.block_shingles().iter().zip(evidence);
    sets.filter(|(_, &e)| e).map(|(set, _)| set.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Recipe;

    /// One-paragraph documents, each two of 97 sentences: many share one, enough for merges of
    /// the postings.
    fn paragraphs(n: usize) -> Vec<DocumentSketch> {
        let sentence =
            |i: usize| format!("Sentence {i} tells of rain on road {} in town {}.", i % 7, i % 5);
        (0..n)
            .map(|i| {
                let story = format!("{} {}", sentence(i % 97), sentence(i * 31 % 97 + i / 97));
                DocumentSketch::new(Recipe::default(), &[&story])
            })
            .collect()
    }

    #[test]
    fn adding_together_is_adding_one_by_one() {
        let sketches = paragraphs(6_000);
        let evidence = [true];
        let additions: Vec<Addition> = sketches.iter().map(|s| (s, 3, &evidence[..])).collect();
        let (mut together, mut alone) =
            (Index::new(Recipe::default()), Index::new(Recipe::default()));
        together.add_many(&additions[..10]);
        let numbers = together.add_many(&additions[10..]);
        assert_eq!(numbers, (10..6_000).collect::<Vec<u32>>());
        for s in &sketches {
            alone.add(s, 3, &evidence);
        }
        assert_eq!(together.posting_count(), alone.posting_count());
        let policy = Policy::default();
        for s in sketches.iter().step_by(97) {
            assert_eq!(together.examine(s, 3, &policy), alone.examine(s, 3, &policy));
        }
    }

    #[test]
    fn examining_on_threads_is_examining_one_by_one() {
        let sketches = paragraphs(3_000);
        let evidence = [true];
        let mut index = Index::new(Recipe::default());
        index.add_many(&sketches.iter().map(|s| (s, 0, &evidence[..])).collect::<Vec<_>>());
        let questions: Vec<Question> = sketches
            .iter()
            .enumerate()
            .map(|(i, s)| (s, 0, (i % 2 == 0).then_some(i as u32)))
            .collect();
        let policy = Policy::default();
        let one_by_one: Vec<Examination> =
            questions.iter().map(|q| index.examine_question(q, &policy)).collect();
        assert!(one_by_one.iter().any(|m| m.matches.len() > 1), "documents share content");
        assert!(one_by_one[0].matches.iter().all(|m| m.doc != 0), "not its own match");
        for threads in [1, 2, 5] {
            assert_eq!(index.examine_many(&questions, &policy, threads), one_by_one);
        }
    }
}
