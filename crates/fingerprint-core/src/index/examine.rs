//! Examining a document against the index: which of its blocks are its source's furniture,
//! which are evidence, which repeat inside it, and its matches: everything a report holds but
//! the origin, in one pass.

use super::context::{evidence_of, Counts};
use super::matches::origin_links;
use super::{Index, Match, QueryLimits, NO_SOURCE};
use crate::align::repeated_groups;
use crate::document::DocumentSketch;
use crate::verdict::Thresholds;

/// What makes a block evidence, and how documents are compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// A block seen identical in at least this many other documents of the same source is
    /// page furniture.
    pub boilerplate_min: u32,
    /// Blocks with fewer distinct shingles (bylines, datelines, one-line teasers) are not
    /// evidence that two documents share content.
    pub min_evidence_shingles: usize,
    /// Blocks inside one document at least this similar (Jaccard) are repeats.
    pub repeated: f64,
    pub limits: QueryLimits,
    pub thresholds: Thresholds,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            boilerplate_min: 3,
            min_evidence_shingles: 3,
            repeated: 0.8,
            limits: QueryLimits::default(),
            thresholds: Thresholds::default(),
        }
    }
}

/// A document examined against the index.
#[derive(Clone, Debug, PartialEq)]
pub struct Examination {
    /// For each block, how many documents of the same source already carry it.
    pub furniture: Vec<u32>,
    /// For each block, whether it is evidence (indexed and looked up).
    pub evidence: Vec<bool>,
    /// Groups of near-duplicate blocks inside the document.
    pub repeated: Vec<Vec<usize>>,
    /// Earlier documents sharing its evidence, best first.
    pub matches: Vec<Match>,
    /// The matches (by place) that name its origin (`origin_links`).
    pub origin_links: Vec<usize>,
    /// Distinct keys of its evidence blocks: its size, once added (`Index::add_examined`).
    pub keys: u32,
}

impl Examination {
    /// The examination of a document already in the index, as number `doc`: it is not its own
    /// match.
    pub fn without(mut self, doc: u32) -> Self {
        self.matches.retain(|m| m.doc != doc);
        self.origin_links = origin_links(&self.matches);
        self
    }
}

impl Index {
    /// Examines a document of `source` (`NO_SOURCE` for none) against everything indexed.
    pub fn examine(&self, sketch: &DocumentSketch, source: u32, policy: &Policy) -> Examination {
        let repeated = repeats(sketch, policy);
        self.examine_repeating(sketch, source, policy, repeated)
    }

    /// `examine`, the document's groups of repeated blocks found already (`repeats`: they need
    /// no index, so a thread of their own can find them).
    pub fn examine_repeating(
        &self,
        sketch: &DocumentSketch,
        source: u32,
        policy: &Policy,
        repeated: Vec<Vec<usize>>,
    ) -> Examination {
        let furniture = if source == NO_SOURCE {
            vec![0; sketch.len()]
        } else {
            self.furniture_counts(sketch, source)
        };
        self.examine_counted(sketch, furniture, policy, repeated, Counts::Own)
    }

    /// The examination of a document of these furniture counts, its postings and blocks counted
    /// as `counts` says.
    pub(super) fn examine_counted(
        &self,
        sketch: &DocumentSketch,
        furniture: Vec<u32>,
        policy: &Policy,
        repeated: Vec<Vec<usize>>,
        counts: Counts<'_>,
    ) -> Examination {
        let evidence = evidence_of(sketch, &furniture, policy);
        let found = self.query_counted(sketch, &evidence, policy.limits, counts);
        let matches = self.matches_in(&found, sketch, &evidence, policy);
        Examination {
            origin_links: origin_links(&matches),
            matches,
            keys: found.keys,
            repeated,
            furniture,
            evidence,
        }
    }
}

/// The groups of near-duplicate blocks inside a document.
pub fn repeats(sketch: &DocumentSketch, policy: &Policy) -> Vec<Vec<usize>> {
    repeated_groups(sketch.block_shingles(), policy.repeated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Recipe;

    fn sketch(blocks: &[&str]) -> DocumentSketch {
        DocumentSketch::new(Recipe::default(), blocks)
    }

    const FOOTER: &str = "Sign up for our newsletter to get the top stories every day.";

    #[test]
    fn furniture_and_short_blocks_are_not_evidence_unless_nothing_else_is() {
        let mut index = Index::new(Recipe::default());
        let policy = Policy { boilerplate_min: 2, ..Policy::default() };
        for story in ["Rain closed the coast road overnight.", "The mayor opened a new park."] {
            let page = sketch(&[story, FOOTER]);
            let seen = index.examine(&page, 7, &policy);
            index.add(&page, 7, &seen.evidence);
        }
        let page = sketch(&["By Jane", "Snow fell on the hills all day long.", FOOTER]);
        let seen = index.examine(&page, 7, &policy);
        assert_eq!(seen.furniture, [0, 0, 2]);
        assert_eq!(seen.evidence, [false, true, false]);
        assert!(seen.matches.is_empty(), "the footer is no evidence");
        let only_furniture = index.examine(&sketch(&[FOOTER]), 7, &policy);
        assert_eq!(only_furniture.evidence, [true]);
        assert_eq!(only_furniture.matches.len(), 2);
        assert_eq!(index.examine(&page, NO_SOURCE, &policy).furniture, [0, 0, 0]);
    }

    #[test]
    fn adding_as_examined_is_adding() {
        let (mut examined, mut plain) =
            (Index::new(Recipe::default()), Index::new(Recipe::default()));
        let policy = Policy { boilerplate_min: 1, ..Policy::default() };
        let pages = [
            sketch(&["Rain closed the coast road overnight.", FOOTER]),
            sketch(&["Rain closed the coast road overnight, police said.", FOOTER, FOOTER]),
            sketch(&["By Jane", FOOTER, "The mayor opened a new park on the river."]),
        ];
        for page in &pages {
            let seen = examined.examine(page, 7, &policy);
            assert_eq!(examined.add_examined(page, 7, &seen), plain.add(page, 7, &seen.evidence));
        }
        for page in &pages {
            assert_eq!(examined.examine(page, 7, &policy), plain.examine(page, 7, &policy));
        }
    }

    #[test]
    fn repeated_blocks_are_grouped() {
        let index = Index::new(Recipe::default());
        let caption = "A rescue worker carries a child through the flooded street.";
        let page = sketch(&[caption, "The river burst its banks on Monday night.", caption]);
        assert_eq!(index.examine(&page, NO_SOURCE, &Policy::default()).repeated, [vec![0, 2]]);
    }
}
