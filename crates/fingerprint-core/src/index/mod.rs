//! The corpus index: every evidence block's shingles, for finding the earlier documents that share
//! content with a new one, block by block, ranked by how much of the new document they hold.
//!
//! Documents are numbered in the order they are added; blocks likewise, across documents. Removed
//! documents leave dead numbers behind, and their postings go at the next reclaim; until then they
//! are counted apart (`dead_postings`), so that what a query reports depends only on the live
//! documents (docs/spec.md, "The index").

mod batches;
mod block_keys;
mod chains;
mod choice;
mod context;
mod examine;
mod furniture;
mod identity;
mod matches;
mod memory;
mod packed;
mod postings;
mod radix;
mod replay;
mod scratch;
mod unposted;

pub use batches::{Addition, Question};
pub use choice::choose;
pub use context::{evidence_of, examine_among, posting_keys, Context};
pub use examine::{repeats, Examination, Policy};
pub use furniture::Furniture;
pub use identity::Identities;
pub use matches::{matches, origin_links, Match};
pub use postings::Postings;
pub use replay::Reexamined;

use memory::prefetch;

use crate::document::DocumentSketch;
use crate::Recipe;
use block_keys::BlockKeys;
use context::Counts;
use rustc_hash::FxHashMap;
use scratch::{Counting, QueryKeys, Scratch};
use unposted::Unposted;

/// A document's identity: equal for documents whose non-empty blocks are identical, in the same
/// order; 0 for a document without one (its twins are found by it).
pub fn document_identity(sketch: &DocumentSketch) -> u64 {
    identity::identity(sketch.block_identities())
}

/// The source number of documents that have no source: they share no furniture, so their
/// blocks are not counted.
pub const NO_SOURCE: u32 = u32::MAX;

/// One indexed block: its number of distinct shingles and its identity hash. (Its document is
/// kept apart, in `Index::block_doc`: a query reads that for every posting, so it stays small
/// enough to sit in cache.)
#[derive(Clone, Copy, Debug)]
struct BlockRecord {
    size: u32,
    /// Whether the block was indexed as evidence when its document was added.
    evidence: bool,
    hash: u64,
}

/// One indexed document: its blocks, distinct shingles of its evidence blocks, and source.
#[derive(Clone, Copy, Debug)]
struct DocRecord {
    first_block: u32,
    blocks: u32,
    size: u32,
    source: u32,
}

/// How a query weighs and limits its evidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueryLimits {
    /// Shingles held by more blocks than this are stop shingles: too common to be evidence.
    pub max_postings: usize,
    /// Candidate documents returned, best first.
    pub max_candidates: usize,
    /// Candidates holding less than this share of the query's evidence shingles (not counting
    /// stop shingles) are left out, and so are matches holding less of them (counting stop
    /// shingles): sharing a phrase or two is not a match.
    pub min_containment: f64,
    /// A match shares at least this many of the query's evidence shingles (stop shingles
    /// included), or all of the query's or of its own when either has fewer: a few shared
    /// phrases are chance, not a copy.
    pub min_shared: u32,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self { max_postings: 16, max_candidates: 10, min_containment: 0.1, min_shared: 8 }
    }
}

/// An earlier document that shares shingles with the query, and which blocks share how many.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub doc: u32,
    /// Distinct query shingles found in the document, stop shingles left out (they rank none).
    pub shared: u32,
    /// The same, stop shingles counted: exact.
    pub shared_all: u32,
    /// The same, each shingle weighted by its rarity (inverse document frequency).
    pub weight: f64,
    /// The document's number of distinct evidence shingles.
    pub size: u32,
    /// `(query block, candidate block within its document, shared shingles, candidate block size)`.
    pub pairs: Vec<(u32, u32, u32, u32)>,
    /// Whether its blocks are the query's, all identical, in the same order.
    pub identical: bool,
}

/// What a query found: the query's own evidence size and the candidates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResult {
    /// Distinct evidence shingles of the query that are not stop shingles.
    pub size: u32,
    /// Distinct evidence shingles of the query, stop shingles included.
    pub keys: u32,
    /// Their total weight.
    pub weight: f64,
    pub candidates: Vec<Candidate>,
}

/// Per document: distinct keys it holds, their weight, and the last key counted (plus one), so
/// that a key held by several of its blocks counts once.
type Scores = FxHashMap<u32, (u32, f64, u32)>;

/// The in-memory corpus index.
#[derive(Clone, Debug)]
pub struct Index {
    recipe: Recipe,
    postings: Postings,
    /// Each block's keys, for exact shares.
    block_keys: BlockKeys,
    blocks: Vec<BlockRecord>,
    block_doc: Vec<u32>,
    /// Whether each document is still in the index (read per posting, like `block_doc`).
    doc_alive: Vec<bool>,
    docs: Vec<DocRecord>,
    furniture: Furniture,
    identities: Identities,
    alive_docs: usize,
    alive_blocks: usize,
    dead_blocks: usize,
    /// Per key, the postings of removed documents still held: a key's live postings are its
    /// postings less these, for stop shingles and weights.
    dead_postings: FxHashMap<u32, u32>,
    /// The keys of non-empty blocks that are not evidence: a removal can make them evidence
    /// when their document is examined again (`replay.rs`).
    unposted: Unposted,
}

impl Index {
    pub fn new(recipe: Recipe) -> Self {
        Self {
            recipe,
            postings: Postings::new(),
            block_keys: BlockKeys::default(),
            blocks: Vec::new(),
            block_doc: Vec::new(),
            doc_alive: Vec::new(),
            docs: Vec::new(),
            furniture: Furniture::default(),
            identities: Identities::default(),
            alive_docs: 0,
            alive_blocks: 0,
            dead_blocks: 0,
            dead_postings: FxHashMap::default(),
            unposted: Unposted::default(),
        }
    }

    /// An index whose postings merge from `min_merge_at` recent ones on (by default 65,536): a
    /// small number makes merges frequent, for tests.
    pub fn merging_at(recipe: Recipe, min_merge_at: usize) -> Self {
        Self { postings: Postings::merging_at(min_merge_at), ..Self::new(recipe) }
    }

    pub fn recipe(&self) -> Recipe {
        self.recipe
    }

    /// Documents in the index (removed ones not counted).
    pub fn len(&self) -> usize {
        self.alive_docs
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Blocks in the index (removed ones not counted).
    pub fn block_count(&self) -> usize {
        self.alive_blocks
    }

    pub fn posting_count(&self) -> usize {
        self.postings.len()
    }

    /// Bytes held on the heap by the index's own structures.
    pub fn heap_bytes(&self) -> usize {
        self.postings.heap_bytes()
            + self.block_keys.heap_bytes()
            + self.blocks.capacity() * std::mem::size_of::<BlockRecord>()
            + self.block_doc.capacity() * 4
            + self.doc_alive.capacity()
            + self.docs.capacity() * std::mem::size_of::<DocRecord>()
            + self.furniture.heap_bytes()
            + self.identities.heap_bytes()
            + self.unposted.heap_bytes()
    }

    /// For each block of `sketch`, how many documents of `source` already carry an identical one.
    pub fn furniture_counts(&self, sketch: &DocumentSketch, source: u32) -> Vec<u32> {
        self.furniture.counts(source, sketch.block_identities())
    }

    /// Adds a document; only the blocks where `evidence` is true are indexed for matching.
    /// Returns the document's number.
    pub fn add(&mut self, sketch: &DocumentSketch, source: u32, evidence: &[bool]) -> u32 {
        self.add_sized(sketch, source, evidence, None)
    }

    /// Adds a document just examined (against this index as it is), as its examination found
    /// it: the blocks it found evidence indexed, the size it counted.
    pub fn add_examined(
        &mut self,
        sketch: &DocumentSketch,
        source: u32,
        seen: &Examination,
    ) -> u32 {
        self.add_sized(sketch, source, &seen.evidence, Some(seen.keys))
    }

    /// Adds a document of `size` distinct evidence keys (None: count them).
    fn add_sized(
        &mut self,
        sketch: &DocumentSketch,
        source: u32,
        evidence: &[bool],
        size: Option<u32>,
    ) -> u32 {
        let first_block = self.blocks.len() as u32;
        let identity = identity::identity(sketch.block_identities());
        let doc = self.record(sketch, source, evidence, size, identity);
        self.index_keys(first_block..self.blocks.len() as u32);
        doc
    }

    /// Gives back the room kept for more documents: adding keeps what the next ones will need,
    /// and whoever adds a batch, one by one or together, settles the index at its end.
    pub fn settle(&mut self) {
        self.postings.settle();
    }

    /// Records a document of `size` distinct evidence keys (None: count them) and identity
    /// `identity` (of its block hashes, `identity::identity`), all but its postings (`index_keys`
    /// adds those: one document's, or a batch's together).
    fn record(
        &mut self,
        sketch: &DocumentSketch,
        source: u32,
        evidence: &[bool],
        size: Option<u32>,
        identity: u64,
    ) -> u32 {
        self.check(sketch, evidence);
        let doc = self.docs.len() as u32;
        let first_block = self.blocks.len() as u32;
        let hashes = sketch.block_identities();
        for (i, set) in sketch.block_shingles().iter().enumerate() {
            self.blocks.push(BlockRecord {
                size: set.len() as u32,
                evidence: evidence[i],
                hash: hashes[i],
            });
            self.block_doc.push(doc);
            let keys = set.iter().map(|&h| key(h));
            if evidence[i] {
                self.block_keys.push(keys);
            } else {
                self.block_keys.push(std::iter::empty());
                if !set.is_empty() {
                    self.unposted.push(self.blocks.len() as u32 - 1, keys);
                }
            }
        }
        let blocks = sketch.len() as u32;
        let range = first_block..first_block + blocks;
        let size = size.unwrap_or_else(|| self.block_keys.distinct_keys(range));
        self.docs.push(DocRecord { first_block, blocks, size, source });
        self.doc_alive.push(true);
        self.identities.add(doc, identity);
        if source != NO_SOURCE {
            self.furniture.add(source, hashes);
        }
        self.alive_docs += 1;
        self.alive_blocks += sketch.len();
        doc
    }

    /// Posts the keys of `blocks` (recorded already, in order, newer than any posted).
    fn index_keys(&mut self, blocks: std::ops::Range<u32>) {
        let block_keys = &self.block_keys;
        let postings = || {
            let keys = |b: u32| block_keys.keys(b).iter().map(move |&key| postings::entry(key, b));
            blocks.clone().flat_map(keys)
        };
        self.postings.insert_many(block_keys.key_count(blocks.clone()), postings);
    }

    /// Makes room for `documents` more documents of `blocks` blocks and `keys` evidence keys
    /// in all, so that a batch moves nothing while it goes in.
    fn reserve(&mut self, documents: usize, blocks: usize, keys: usize) {
        self.blocks.reserve(blocks);
        memory::huge_pages(&self.blocks);
        self.block_doc.reserve(blocks);
        self.block_keys.reserve(blocks, keys);
        self.docs.reserve(documents);
        self.doc_alive.reserve(documents);
        self.identities.reserve(documents);
        self.furniture.reserve(blocks);
    }

    /// Removes a document: queries stop finding it, and its postings go at the next merge.
    /// Returns whether it was there.
    pub fn remove(&mut self, doc: u32) -> bool {
        if !self.is_live(doc) {
            return false;
        }
        self.doc_alive[doc as usize] = false;
        let record = self.docs[doc as usize];
        let range = record.first_block as usize..(record.first_block + record.blocks) as usize;
        let hashes: Vec<u64> = self.blocks[range].iter().map(|b| b.hash).collect();
        if record.source != NO_SOURCE {
            self.furniture.remove(record.source, &hashes);
        }
        for block in record.first_block..record.first_block + record.blocks {
            for &key in self.block_keys.keys(block) {
                *self.dead_postings.entry(key).or_default() += 1;
            }
        }
        self.alive_docs -= 1;
        self.alive_blocks -= record.blocks as usize;
        self.dead_blocks += record.blocks as usize;
        if self.dead_blocks > self.alive_blocks / 4 {
            self.reclaim();
        }
        true
    }

    /// Drops the postings of removed documents now.
    pub fn reclaim(&mut self) {
        let (block_doc, alive) = (&self.block_doc, &self.doc_alive);
        let keep = |b: u32| alive[block_doc[b as usize] as usize];
        self.postings.merge(keep);
        self.block_keys.retain(keep);
        self.unposted.retain(keep);
        self.dead_blocks = 0;
        self.dead_postings.clear();
    }

    /// The earlier documents that share evidence shingles with `sketch`, best first (by weight,
    /// then by the share of the candidate that is shared, then by age).
    pub fn query(
        &self,
        sketch: &DocumentSketch,
        evidence: &[bool],
        limits: QueryLimits,
    ) -> QueryResult {
        self.query_counted(sketch, evidence, limits, Counts::Own)
    }

    /// `query`, its postings and blocks counted as `counts` says.
    fn query_counted(
        &self,
        sketch: &DocumentSketch,
        evidence: &[bool],
        limits: QueryLimits,
        counts: Counts<'_>,
    ) -> QueryResult {
        self.check(sketch, evidence);
        scratch::with_scratch(|scratch| self.query_in(sketch, evidence, limits, counts, scratch))
    }

    fn query_in(
        &self,
        sketch: &DocumentSketch,
        evidence: &[bool],
        limits: QueryLimits,
        counts: Counts<'_>,
        scratch: &mut Scratch,
    ) -> QueryResult {
        scratch.gather_keys(sketch, evidence);
        let founds = self.postings.get_many(&scratch.keys.keys);
        let mut result = QueryResult { keys: founds.len() as u32, ..QueryResult::default() };
        let keys = &scratch.keys.keys;
        let (total_blocks, live): (usize, Box<dyn Fn(usize) -> Option<usize>>) = match counts {
            Counts::Own => {
                let live = |k: usize| {
                    let live = founds[k].len() - self.dead_postings_of(keys[k]);
                    (live <= limits.max_postings).then_some(live)
                };
                (self.alive_blocks, Box::new(live))
            }
            Counts::Given(context) => {
                let live = |k: usize| context.walked.get(&keys[k]).map(|&n| n as usize);
                (context.blocks, Box::new(live))
            }
        };
        self.walk(&founds, total_blocks, live, &mut result, &mut scratch.scores);
        let query_hashes = sketch.block_identities();
        // Identical documents come first, oldest first, whatever they share of the evidence.
        let twins =
            self.identities.of(identity::identity(query_hashes), limits.max_candidates, |doc| {
                self.doc_alive[doc as usize]
            });
        let least = limits.min_containment * f64::from(result.size);
        // Removed documents' postings stay until the next merge: they are dropped here, once per
        // document rather than once per posting.
        let wanted = |&(doc, score): &(u32, (u32, f64, u32))| {
            f64::from(score.0) >= least && self.doc_alive[doc as usize] && !twins.contains(&doc)
        };
        let n = limits.max_candidates - twins.len();
        let rest = self.best(scratch.scores.drain().filter(wanted), n);
        let twins = twins.into_iter().map(|doc| Candidate {
            doc,
            shared: result.size,
            shared_all: result.size,
            weight: result.weight,
            size: self.docs[doc as usize].size,
            pairs: Vec::new(),
            identical: true,
        });
        result.candidates = twins.chain(rest).collect();
        let Scratch { keys, counting, .. } = scratch;
        self.count_shares(&mut result.candidates, keys, query_hashes, evidence, counting);
        self.discount_furniture(&mut result.candidates, query_hashes, evidence);
        result
    }

    /// Postings of removed documents that `key` still holds.
    fn dead_postings_of(&self, key: u32) -> usize {
        if self.dead_postings.is_empty() {
            return 0;
        }
        self.dead_postings.get(&key).copied().unwrap_or(0) as usize
    }

    /// Walks the postings of every key but the stop shingles, scoring the documents that hold
    /// them; counts the keys walked, and their weight, into `result`. What the best documents
    /// share, stop shingles included, is counted later. `founds[k]` are the postings of key `k`;
    /// `live(k)` its live postings in the corpus, None for a stop shingle (held by more than
    /// `max_postings` live blocks); `total_blocks` the corpus's live blocks.
    fn walk(
        &self,
        founds: &[postings::Found<'_>],
        total_blocks: usize,
        live: Box<dyn Fn(usize) -> Option<usize> + '_>,
        result: &mut QueryResult,
        scores: &mut Scores,
    ) {
        let walked = |k: usize| live(k).is_some();
        // The postings' blocks are scattered: their documents all start loading before any is
        // read, and so do the records of the documents scored.
        let walked_keys = || founds.iter().enumerate().filter(|&(k, _)| walked(k));
        for block in walked_keys().flat_map(|(_, found)| found.blocks()) {
            prefetch(self.block_doc.as_ptr().wrapping_add(block as usize));
        }
        for (k, found) in walked_keys() {
            let idf = choice::weight(total_blocks, live(k).unwrap_or(0));
            result.size += 1;
            result.weight += idf;
            let stamp = k as u32 + 1;
            for block in found.blocks() {
                let doc = self.block_doc[block as usize];
                let score = scores.entry(doc).or_insert_with(|| {
                    prefetch(self.docs.as_ptr().wrapping_add(doc as usize));
                    (0, 0.0, 0)
                });
                if score.2 != stamp {
                    *score = (score.0 + 1, score.1 + idf, stamp);
                }
            }
        }
    }

    /// The `n` best of the documents scored, best first.
    fn best(
        &self,
        scores: impl Iterator<Item = (u32, (u32, f64, u32))>,
        n: usize,
    ) -> Vec<Candidate> {
        let scored = scores.map(|(doc, (shared, weight, _))| {
            choice::candidate(doc, shared, weight, self.docs[doc as usize].size)
        });
        choice::best(scored.collect(), n)
    }

    /// Leaves out of each candidate's size its evidence blocks that the query holds as furniture
    /// (blocks its source has printed since): they are evidence neither way now.
    fn discount_furniture(
        &self,
        candidates: &mut [Candidate],
        query_hashes: &[u64],
        evidence: &[bool],
    ) {
        let furniture: rustc_hash::FxHashSet<u64> = query_hashes
            .iter()
            .zip(evidence)
            .filter(|&(&h, &e)| !e && h != 0)
            .map(|(&h, _)| h)
            .collect();
        if furniture.is_empty() {
            return;
        }
        for candidate in candidates {
            let record = self.docs[candidate.doc as usize];
            let range = record.first_block as usize..(record.first_block + record.blocks) as usize;
            let furniture_size: u32 = self.blocks[range]
                .iter()
                .filter(|b| b.evidence && furniture.contains(&b.hash))
                .map(|b| b.size)
                .sum();
            // Never below what it shares: a furniture block's shingles may stand elsewhere too.
            candidate.size =
                candidate.size.saturating_sub(furniture_size).max(candidate.shared_all);
        }
    }

    /// Pairs each evidence block of the query with the same block of its identical document:
    /// they hold the same non-empty blocks in the same order (empty ones may stand apart).
    fn pair_twin(&self, twin: &mut Candidate, query_hashes: &[u64], evidence: &[bool]) {
        let record = self.docs[twin.doc as usize];
        let theirs = (0..record.blocks)
            .filter(|&b| self.blocks[(record.first_block + b) as usize].hash != 0);
        let ours = (0..query_hashes.len()).filter(|&i| query_hashes[i] != 0);
        for (i, b) in ours.zip(theirs).filter(|&(i, _)| evidence[i]) {
            let size = self.blocks[(record.first_block + b) as usize].size;
            twin.pairs.push((i as u32, b, size, size));
        }
    }

    /// Counts exactly what each best candidate shares with the query, stop shingles included:
    /// its distinct keys in all, and block by block, its block pairs. An identical document
    /// pairs each evidence block with its own.
    fn count_shares(
        &self,
        candidates: &mut [Candidate],
        keys: &QueryKeys,
        query_hashes: &[u64],
        evidence: &[bool],
        counting: &mut Counting,
    ) {
        if candidates.is_empty() {
            return;
        }
        let blocks = |c: &Candidate| {
            let record = self.docs[c.doc as usize];
            record.first_block..record.first_block + record.blocks
        };
        for b in candidates.iter().flat_map(blocks) {
            self.block_keys.prefetch_start(b);
            prefetch(self.blocks.as_ptr().wrapping_add(b as usize));
        }
        candidates.iter().flat_map(blocks).for_each(|b| self.block_keys.prefetch_keys(b));
        counting.reset(&keys.keys, evidence.len());
        let Counting { places, in_doc, per_query_block, touched } = counting;
        for (n, candidate) in candidates.iter_mut().enumerate() {
            let record = self.docs[candidate.doc as usize];
            if candidate.identical {
                self.pair_twin(candidate, query_hashes, evidence);
                continue;
            }
            let doc_stamp = n as u32 + 1;
            candidate.shared_all = 0;
            for local in 0..record.blocks {
                let block = record.first_block + local;
                for k in places.shared(self.block_keys.keys(block)) {
                    if in_doc[k] != doc_stamp {
                        in_doc[k] = doc_stamp;
                        candidate.shared_all += 1;
                    }
                    for &q in keys.blocks(k) {
                        if per_query_block[q as usize] == 0 {
                            touched.push(q);
                        }
                        per_query_block[q as usize] += 1;
                    }
                }
                let size = self.blocks[block as usize].size;
                for q in touched.drain(..) {
                    let shared = std::mem::take(&mut per_query_block[q as usize]);
                    candidate.pairs.push((q, local, shared, size));
                }
            }
            candidate.pairs.sort_unstable();
        }
    }

    fn check(&self, sketch: &DocumentSketch, evidence: &[bool]) {
        assert_eq!(sketch.recipe(), self.recipe, "the sketch's recipe must be the index's");
        assert_eq!(evidence.len(), sketch.len(), "one evidence flag per block");
    }
}

/// A shingle's key: the top 32 bits of its hash, so that a block's keys (of its sorted hashes)
/// come sorted.
fn key(hash: u64) -> u32 {
    (hash >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(blocks: &[&str]) -> DocumentSketch {
        DocumentSketch::new(Recipe::default(), blocks)
    }

    const STORY: [&str; 3] = [
        "The central bank raised its main interest rate by half a point on Tuesday.",
        "Officials said inflation had stayed above target for eleven months in a row.",
        "The bank will meet again in six weeks to review its policy.",
    ];

    #[test]
    fn a_trimmed_copy_finds_its_original_block_by_block() {
        let mut index = Index::new(Recipe::default());
        let original = sketch(&STORY);
        index.add(&original, 0, &[true; 3]);
        index.add(&sketch(&["Snow closed the mountain pass on Monday morning."]), 0, &[true]);
        let copy = sketch(&["By a reporter", STORY[1]]);
        let found = index.query(&copy, &[false, true], QueryLimits::default());
        assert_eq!(found.candidates.len(), 1);
        let best = &found.candidates[0];
        assert_eq!(best.doc, 0);
        assert_eq!(best.shared, found.size);
        let novel = sketch(&[STORY[1], "An entirely new paragraph about something else today."]);
        let found = index.query(&novel, &[true, true], QueryLimits::default());
        assert!(found.candidates[0].shared < found.size, "unseen shingles count in the size");
        assert_eq!(best.pairs, vec![(1, 1, best.shared, best.shared)]);
    }

    #[test]
    fn identical_blocks_share_all_their_shingles_even_the_stop_shingles() {
        let template = "Qtly div five cts vs five cts prior pay April one record March two";
        let mut index = Index::new(Recipe::default());
        for company in ["Acme Corp", "Bolt Inc", "Cord Ltd"] {
            index.add(&sketch(&[&format!("{company} said {template}")]), 0, &[true]);
        }
        let notice = format!("Dune Holdings said {template}");
        let original = index.add(&sketch(&[&notice]), 0, &[true]);
        // The template's shingles are in four blocks: stop shingles at max_postings 2.
        let limits = QueryLimits { max_postings: 2, ..QueryLimits::default() };
        let found = index.query(&sketch(&[&notice]), &[true], limits);
        let best = &found.candidates[0];
        let size = sketch(&[&notice]).shingles(0).len() as u32;
        assert_eq!(best.doc, original);
        assert!(best.shared < size, "stop shingles are not counted at document level");
        assert_eq!(best.pairs, vec![(0, 0, size, size)], "the identical block shares them all");
    }

    #[test]
    fn identical_documents_come_first_oldest_first_even_made_of_stop_shingles() {
        let notice = ["Qtly div five cts vs five cts prior", "Pay April one record March two"];
        let mut index = Index::new(Recipe::default());
        let unlike =
            index.add(&sketch(&[notice[0], "Pay May one record April two"]), 0, &[true; 2]);
        let first = index.add(&sketch(&notice), 0, &[true; 2]);
        let second = index.add(&sketch(&notice), 0, &[true; 2]);
        let limits = QueryLimits { max_postings: 1, max_candidates: 1, ..QueryLimits::default() };
        let found = index.query(&sketch(&notice), &[true; 2], limits);
        assert_eq!(found.size, 0, "every shingle is a stop shingle at max_postings 1");
        let ids: Vec<(u32, bool)> = found.candidates.iter().map(|c| (c.doc, c.identical)).collect();
        assert_eq!(ids, [(first, true)]);
        let sizes =
            [sketch(&notice).shingles(0).len() as u32, sketch(&notice).shingles(1).len() as u32];
        assert_eq!(
            found.candidates[0].pairs,
            [(0, 0, sizes[0], sizes[0]), (1, 1, sizes[1], sizes[1])]
        );
        index.remove(first);
        let found = index.query(&sketch(&notice), &[true; 2], QueryLimits::default());
        let ids: Vec<(u32, bool)> = found.candidates.iter().map(|c| (c.doc, c.identical)).collect();
        assert_eq!(ids, [(second, true), (unlike, false)]);
    }

    #[test]
    fn removed_documents_are_not_found_and_their_postings_go() {
        let mut index = Index::new(Recipe::default());
        let doc = index.add(&sketch(&STORY), 0, &[true; 3]);
        let postings = index.posting_count();
        assert!(index.remove(doc));
        assert!(!index.remove(doc));
        assert!(index
            .query(&sketch(&STORY), &[true; 3], QueryLimits::default())
            .candidates
            .is_empty());
        index.reclaim();
        assert!(index.posting_count() < postings);
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn furniture_is_counted_per_source() {
        let mut index = Index::new(Recipe::default());
        let page = sketch(&["Search Trends", STORY[0]]);
        index.add(&page, 7, &[false, true]);
        index.add(&sketch(&["Search Trends", STORY[1]]), 7, &[false, true]);
        assert_eq!(index.furniture_counts(&page, 7), [2, 1]);
        assert_eq!(index.furniture_counts(&page, 8), [0, 0]);
    }
}
