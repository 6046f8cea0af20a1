//! The sketch of a document: each block's exact shingle set and signature, from one pass.

use crate::minhash::EMPTY_VALUE;
use crate::{Recipe, Sketcher};

/// Every block's distinct shingle hashes (sorted) and MinHash signature, under one recipe.
///
/// ```
/// use fingerprint_core::{document::DocumentSketch, Recipe};
/// let doc = DocumentSketch::new(Recipe::default(), &["one two three four", "five six"]);
/// assert_eq!(doc.len(), 2);
/// assert_eq!(doc.shingles(0).len(), 2);
/// assert_eq!(doc.signature().len(), 128);
/// ```
#[derive(Clone, Debug)]
pub struct DocumentSketch {
    recipe: Recipe,
    shingles: Vec<Vec<u64>>,
    signatures: Vec<u32>,
}

impl DocumentSketch {
    pub fn new<T: AsRef<str>>(recipe: Recipe, blocks: &[T]) -> Self {
        let mut sketcher = Sketcher::new(recipe);
        let width = recipe.num_perm();
        let mut signatures = vec![EMPTY_VALUE; blocks.len() * width];
        let mut shingles = Vec::with_capacity(blocks.len());
        for (text, row) in blocks.iter().zip(signatures.chunks_exact_mut(width)) {
            let mut set = sketcher.shingle_hashes(text.as_ref());
            sketcher.sketch_shingles_into(&set, row);
            set.sort_unstable();
            set.dedup();
            shingles.push(set);
        }
        Self { recipe, shingles, signatures }
    }

    /// The sketches of many documents, each a list of block texts, on up to `threads` threads.
    pub fn many<T: AsRef<str> + Sync>(
        recipe: Recipe,
        documents: &[Vec<T>],
        threads: usize,
    ) -> Vec<Self> {
        let threads = threads.clamp(1, documents.len().max(1));
        let per_thread = documents.len().div_ceil(threads).max(1);
        if threads == 1 {
            return documents.iter().map(|blocks| Self::new(recipe, blocks)).collect();
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = documents
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk.iter().map(|b| Self::new(recipe, b)).collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("sketching does not panic")).collect()
        })
    }

    pub fn recipe(&self) -> Recipe {
        self.recipe
    }

    /// The number of blocks.
    pub fn len(&self) -> usize {
        self.shingles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }

    /// The distinct shingle hashes of block `i`, sorted.
    pub fn shingles(&self, i: usize) -> &[u64] {
        &self.shingles[i]
    }

    /// Every block's shingle set.
    pub fn block_shingles(&self) -> &[Vec<u64>] {
        &self.shingles
    }

    /// The block signatures, row-major: `len() * num_perm` values.
    pub fn signatures(&self) -> &[u32] {
        &self.signatures
    }

    /// The signature of the whole document: the MinHash of the union of its blocks' shingles,
    /// which is the element-wise minimum of the block signatures.
    pub fn signature(&self) -> Vec<u32> {
        let width = self.recipe.num_perm();
        let mut out = vec![EMPTY_VALUE; width];
        for row in self.signatures.chunks_exact(width) {
            for (m, &v) in out.iter_mut().zip(row) {
                *m = (*m).min(v);
            }
        }
        out
    }

    /// The distinct shingle hashes of the whole document, sorted.
    pub fn union(&self) -> Vec<u64> {
        let mut all: Vec<u64> = self.shingles.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}
