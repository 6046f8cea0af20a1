//! The sketch of a document: each block's exact shingle set, and its signature when asked for.

use crate::minhash::EMPTY_VALUE;
use crate::{Recipe, Sketcher};
use std::sync::OnceLock;

/// Every block's distinct shingle hashes (sorted) and MinHash signature, under one recipe. The
/// signatures are computed the first time they are asked for: comparing and indexing need only
/// the shingle sets.
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
    signatures: OnceLock<Vec<u32>>,
    identities: OnceLock<Vec<u64>>,
}

impl DocumentSketch {
    pub fn new<T: AsRef<str>>(recipe: Recipe, blocks: &[T]) -> Self {
        Self::with(&mut Sketcher::new(recipe), blocks)
    }

    /// The sketch of `blocks` by `sketcher`, whose buffers are reused.
    pub fn with<T: AsRef<str>>(sketcher: &mut Sketcher, blocks: &[T]) -> Self {
        let shingles = blocks
            .iter()
            .map(|text| {
                let mut set = sketcher.shingle_hashes(text.as_ref());
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        Self::from_sets(sketcher.recipe(), shingles)
    }

    /// A sketch from blocks' shingle sets (sorted, distinct), as [`DocumentSketch::shingles`]
    /// gave them.
    pub fn from_sets(recipe: Recipe, shingles: Vec<Vec<u64>>) -> Self {
        Self { recipe, shingles, signatures: OnceLock::new(), identities: OnceLock::new() }
    }

    /// A sketch of these shingle sets whose blocks' identities are given rather than computed:
    /// the index's stand-in for a document it keeps only the keys of (`index/replay.rs`).
    pub(crate) fn with_identities(
        recipe: Recipe,
        shingles: Vec<Vec<u64>>,
        identities: Vec<u64>,
    ) -> Self {
        debug_assert_eq!(shingles.len(), identities.len());
        Self {
            recipe,
            shingles,
            signatures: OnceLock::new(),
            identities: OnceLock::from(identities),
        }
    }

    /// The blocks' shingle sets as bytes: for each block, its length and its hashes, all as
    /// little-endian integers (u32 length, u64 hashes). [`DocumentSketch::decode`] reads them.
    pub fn encode(&self) -> Vec<u8> {
        let total: usize = self.shingles.iter().map(|s| 4 + 8 * s.len()).sum();
        let mut out = Vec::with_capacity(total);
        for set in &self.shingles {
            out.extend_from_slice(&(set.len() as u32).to_le_bytes());
            for h in set {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
        out
    }

    /// Reads what [`DocumentSketch::encode`] wrote; `None` if the bytes are not such a record.
    pub fn decode(recipe: Recipe, mut bytes: &[u8]) -> Option<Self> {
        let mut shingles = Vec::new();
        while !bytes.is_empty() {
            let (len, rest) = bytes.split_first_chunk::<4>()?;
            let len = u32::from_le_bytes(*len) as usize;
            let body = rest.get(..len.checked_mul(8)?)?;
            shingles.push(
                body.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect(),
            );
            bytes = &rest[len * 8..];
        }
        Some(Self::from_sets(recipe, shingles))
    }

    /// The sketches of many documents, each a list of block texts, on up to `threads` threads.
    pub fn many<T: AsRef<str> + Sync>(
        recipe: Recipe,
        documents: &[Vec<T>],
        threads: usize,
    ) -> Vec<Self> {
        let sketcher = || Sketcher::new(recipe);
        crate::batch::map_on_threads(documents, threads, sketcher, |sketcher, blocks| {
            Self::with(sketcher, blocks)
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

    /// Each block's identity: the hash of its distinct shingles (0 for a block with none), so
    /// that identical blocks are found by one lookup. Computed once, when first asked for.
    pub fn block_identities(&self) -> &[u64] {
        self.identities.get_or_init(|| {
            let seed = self.recipe.seed();
            let identity = |set: &Vec<u64>| {
                if set.is_empty() {
                    0
                } else {
                    crate::shingle::shingle_hash(set, seed).max(1)
                }
            };
            self.shingles.iter().map(identity).collect()
        })
    }

    /// The block signatures, row-major: `len() * num_perm` values.
    pub fn signatures(&self) -> &[u32] {
        self.signatures.get_or_init(|| {
            let mut sketcher = Sketcher::new(self.recipe);
            let width = self.recipe.num_perm();
            let mut signatures = vec![EMPTY_VALUE; self.shingles.len() * width];
            for (set, row) in self.shingles.iter().zip(signatures.chunks_exact_mut(width)) {
                sketcher.sketch_shingles_into(set, row);
            }
            signatures
        })
    }

    /// The signature of the whole document: the MinHash of the union of its blocks' shingles,
    /// which is the element-wise minimum of the block signatures.
    pub fn signature(&self) -> Vec<u32> {
        let width = self.recipe.num_perm();
        let mut out = vec![EMPTY_VALUE; width];
        for row in self.signatures().chunks_exact(width) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_rejects_truncation() {
        let doc = DocumentSketch::new(Recipe::default(), &["one two three four", "", "five"]);
        let bytes = doc.encode();
        let back = DocumentSketch::decode(Recipe::default(), &bytes).expect("decodes");
        assert_eq!(back.block_shingles(), doc.block_shingles());
        assert_eq!(back.signatures(), doc.signatures());
        assert!(DocumentSketch::decode(Recipe::default(), &bytes[..bytes.len() - 1]).is_none());
    }
}
