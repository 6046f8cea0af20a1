//! The room a query works in, kept by each thread from query to query. A query makes a dozen
//! buffers (its keys, the scores of the documents it finds, the stamps of its exact counting),
//! and glibc's malloc and free took about a tenth of a query's time in profiles; kept, a
//! one-block query measured about 3% faster (the rest of malloc's share is the matches'
//! own vectors, which a query returns).

use super::block_keys::KeyPlaces;
use super::{key, postings, Scores};
use crate::document::DocumentSketch;
use std::cell::RefCell;

/// A query's buffers, left empty between queries.
#[derive(Default)]
pub struct Scratch {
    pub keys: QueryKeys,
    /// `(key, block)` values while the keys are gathered.
    keyed: Vec<u64>,
    pub scores: Scores,
    pub counting: Counting,
}

/// What exact counting of a query's candidates reuses.
#[derive(Default)]
pub struct Counting {
    pub places: KeyPlaces,
    /// For each query key, the last candidate that counted it (plus one).
    pub in_doc: Vec<u32>,
    /// For each query block, the keys it shares with the candidate block at hand.
    pub per_query_block: Vec<u32>,
    /// The query blocks with a count.
    pub touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `work` in this thread's scratch room (a query does not query again inside).
pub fn with_scratch<R>(work: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with_borrow_mut(work)
}

impl Scratch {
    /// Gathers the distinct keys of `sketch`'s evidence blocks into `keys`.
    pub fn gather_keys(&mut self, sketch: &DocumentSketch, evidence: &[bool]) {
        // Each (key, block) as one value, so that sorting compares one integer, not a pair.
        let keyed = &mut self.keyed;
        keyed.clear();
        for (i, set) in sketch.block_shingles().iter().enumerate() {
            if evidence[i] {
                keyed.extend(set.iter().map(|&h| postings::entry(key(h), i as u32)));
            }
        }
        keyed.sort_unstable();
        keyed.dedup();
        let grouped = &mut self.keys;
        grouped.keys.clear();
        grouped.starts.clear();
        grouped.blocks.clear();
        for (key, block) in keyed.iter().map(|&e| ((e >> 32) as u32, e as u32)) {
            if grouped.keys.last() != Some(&key) {
                grouped.keys.push(key);
                grouped.starts.push(grouped.blocks.len() as u32);
            }
            grouped.blocks.push(block);
        }
        grouped.starts.push(grouped.blocks.len() as u32);
    }
}

impl Counting {
    /// Ready for a query of `keys` and `blocks` blocks.
    pub fn reset(&mut self, keys: &[u32], blocks: usize) {
        self.places.fill(keys);
        self.in_doc.clear();
        self.in_doc.resize(keys.len(), 0);
        self.per_query_block.clear();
        self.per_query_block.resize(blocks, 0);
        self.touched.clear();
    }
}

/// The distinct keys of a query's evidence blocks, and for each the query blocks that hold it.
#[derive(Default)]
pub struct QueryKeys {
    pub keys: Vec<u32>,
    /// Key `k`'s blocks are `blocks[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    blocks: Vec<u32>,
}

impl QueryKeys {
    pub fn blocks(&self, k: usize) -> &[u32] {
        &self.blocks[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}
