//! The index as if some of its documents had never been added. What a document records when it
//! is added (which of its blocks are evidence, its size, the matches that link it) is decided
//! against the documents before it; so removing one of those examines every live document after
//! it again, in order, as adding them anew would (docs/spec.md, "The index", I6).

use super::{Addition, Examination, Index, Policy};
use crate::document::DocumentSketch;
use rustc_hash::FxHashSet;

/// A live document added after the first one removed, examined again.
#[derive(Clone, Debug, PartialEq)]
pub struct Reexamined {
    /// Its number in the index it came from (its new number is its place among the live ones).
    pub was: u32,
    pub examination: Examination,
    /// Whether its evidence blocks differ from those it had.
    pub evidence_changed: bool,
}

/// How many documents before the first removed one go in together.
const BATCH: usize = 1024;

impl Index {
    /// This index without the documents `removed`, as if they had never been added, its live
    /// documents numbered anew in order: those before the first removed one as they were
    /// recorded, and every one after it examined again against those before it (returned, in
    /// order, with their examinations; their groups of repeated blocks are not looked for).
    pub fn without(&self, removed: &[u32], policy: &Policy) -> (Index, Vec<Reexamined>) {
        let gone: FxHashSet<u32> = removed.iter().copied().filter(|&d| self.is_live(d)).collect();
        let first = gone.iter().copied().min().unwrap_or(self.docs.len() as u32);
        let live = |&d: &u32| self.is_live(d) && !gone.contains(&d);
        let mut fresh = Index { postings: self.postings.emptied(), ..Index::new(self.recipe) };
        let kept: Vec<u32> = (0..first).filter(live).collect();
        for batch in kept.chunks(BATCH) {
            let standing: Vec<(DocumentSketch, u32, Vec<bool>)> = batch
                .iter()
                .map(|&d| (self.standing(d), self.docs[d as usize].source, self.evidence(d)))
                .collect();
            let additions: Vec<Addition<'_>> =
                standing.iter().map(|(s, source, e)| (s, *source, e.as_slice())).collect();
            fresh.add_many(&additions);
        }
        let again = (first..self.docs.len() as u32)
            .filter(live)
            .map(|d| {
                let (sketch, source) = (self.standing(d), self.docs[d as usize].source);
                let seen = fresh.examine_repeating(&sketch, source, policy, Vec::new());
                fresh.add_examined(&sketch, source, &seen);
                let evidence_changed = seen.evidence != self.evidence(d);
                Reexamined { was: d, examination: seen, evidence_changed }
            })
            .collect();
        fresh.settle();
        (fresh, again)
    }

    /// Whether document `doc` is in the index.
    pub fn is_live(&self, doc: u32) -> bool {
        self.doc_alive.get(doc as usize).copied().unwrap_or(false)
    }

    /// Which blocks of `doc` are evidence.
    fn evidence(&self, doc: u32) -> Vec<bool> {
        self.block_range(doc).map(|b| self.blocks[b as usize].evidence).collect()
    }

    fn block_range(&self, doc: u32) -> std::ops::Range<u32> {
        let record = self.docs[doc as usize];
        record.first_block..record.first_block + record.blocks
    }

    /// A sketch that stands for live document `doc`, made of what the index keeps of it: each
    /// of its blocks' keys as a hash whose top bits are the key (no other bits are read), as
    /// many hashes as the block had shingles (two may have had one key), and its blocks'
    /// identities as recorded.
    fn standing(&self, doc: u32) -> DocumentSketch {
        let (mut shingles, mut identities) = (Vec::new(), Vec::new());
        for b in self.block_range(doc) {
            let block = self.blocks[b as usize];
            let keys = self.unposted.get(b).unwrap_or_else(|| self.block_keys.keys(b));
            let mut hashes: Vec<u64> = keys.iter().map(|&k| u64::from(k) << 32).collect();
            let last = hashes.last().copied();
            debug_assert!(last.is_some() || block.size == 0, "a live block keeps its keys");
            let more = (block.size as usize).saturating_sub(hashes.len()) as u64;
            hashes.extend((1..=more).filter_map(|low| last.map(|h| h | low)));
            shingles.push(hashes);
            identities.push(block.hash);
        }
        DocumentSketch::with_identities(self.recipe, shingles, identities)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{QueryLimits, NO_SOURCE};
    use crate::Recipe;

    const FOOTER: &str = "Sign up for our newsletter to get the top stories every day.";
    const WIRE: [&str; 3] = [
        "The central bank raised its main interest rate by half a point on Tuesday.",
        "Officials said inflation had stayed above the target for a third year running.",
        "Markets had expected the move after weeks of warnings from the governor.",
    ];

    /// Pages of three sources and none: wire paragraphs copied and trimmed, local paragraphs,
    /// each source's footer (furniture from the second page on), twins.
    fn pages() -> Vec<(DocumentSketch, u32)> {
        let local = |i: usize| format!("Local paragraph {i} tells of the council meeting today.");
        (0..36)
            .map(|i| {
                let mut blocks: Vec<String> =
                    WIRE.iter().take(i % 4).map(|s| s.to_string()).collect();
                if i % 5 != 0 {
                    blocks.push(local(i % 6));
                }
                blocks.push(format!("{FOOTER} Source {}.", i % 3));
                let source = if i % 7 == 0 { NO_SOURCE } else { (i % 3) as u32 };
                (DocumentSketch::new(Recipe::default(), &blocks), source)
            })
            .collect()
    }

    fn policy() -> Policy {
        let limits = QueryLimits { max_postings: 4, max_candidates: 2, ..QueryLimits::default() };
        Policy { boilerplate_min: 2, limits, ..Policy::default() }
    }

    /// An index of `pages` added one by one, as examined; the examinations.
    fn ingested(pages: &[&(DocumentSketch, u32)]) -> (Index, Vec<Examination>) {
        let mut index = Index::merging_at(Recipe::default(), 16);
        let seen = pages
            .iter()
            .map(|(sketch, source)| {
                let seen = index.examine_repeating(sketch, *source, &policy(), Vec::new());
                index.add_examined(sketch, *source, &seen);
                seen
            })
            .collect();
        (index, seen)
    }

    #[test]
    fn an_index_without_documents_is_one_that_never_had_them() {
        let pages = pages();
        let all: Vec<_> = pages.iter().collect();
        let (index, _) = ingested(&all);
        let removed_sets: [&[u32]; 5] = [&[0, 1, 2], &[4, 9, 30], &[35], &[], &[3, 3, 99]];
        let mut recorded_facts_differ = 0;
        for removed in removed_sets {
            let stays = |d: usize| !removed.contains(&(d as u32));
            let kept: Vec<_> = (0..all.len()).filter(|&d| stays(d)).map(|d| all[d]).collect();
            let (never, seen) = ingested(&kept);
            let (without, again) = index.without(removed, &policy());
            let first = removed.iter().map(|&d| d as usize).filter(|&d| d < all.len()).min();
            let after: Vec<u32> = (first.unwrap_or(all.len())..all.len())
                .filter(|&d| stays(d))
                .map(|d| d as u32)
                .collect();
            let was: Vec<u32> = again.iter().map(|r| r.was).collect();
            assert_eq!(was, after, "every live document after the first removed, in order");
            for (r, seen) in again.iter().zip(&seen[kept.len() - again.len()..]) {
                assert_eq!(&r.examination, seen, "examined again as if never had ({removed:?})");
            }
            assert_eq!(without.len(), never.len());
            let mut only_removed = index.clone();
            removed.iter().for_each(|&d| _ = only_removed.remove(d));
            for (sketch, source) in &pages {
                let probe = |index: &Index| index.examine(sketch, *source, &policy());
                assert_eq!(probe(&without), probe(&never), "queried alike ({removed:?})");
                recorded_facts_differ += usize::from(probe(&only_removed) != probe(&never));
            }
        }
        assert!(recorded_facts_differ > 0, "removing alone would keep what was recorded");
        let changed = index.without(&[0, 1], &policy()).1;
        assert!(changed.iter().any(|r| r.evidence_changed), "a footer is evidence again");
    }

    #[test]
    fn a_stand_in_sketch_is_what_the_index_reads_of_the_document() {
        let pages = pages();
        let (index, _) = ingested(&pages.iter().collect::<Vec<_>>());
        for (d, (sketch, _)) in pages.iter().enumerate() {
            let standing = index.standing(d as u32);
            assert_eq!(standing.block_identities(), sketch.block_identities());
            let sizes =
                |s: &DocumentSketch| s.block_shingles().iter().map(Vec::len).collect::<Vec<_>>();
            assert_eq!(sizes(&standing), sizes(sketch));
            let keys = |s: &DocumentSketch| super::super::posting_keys(s, &vec![true; s.len()]);
            assert_eq!(keys(&standing), keys(sketch));
        }
    }
}
