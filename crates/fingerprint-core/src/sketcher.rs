//! The whole pipeline, raw text to signature, with buffers reused from one text to the next.

use crate::minhash::{Permutations, EMPTY_VALUE};
use crate::shingle::{for_each_shingle_hash, token_hash};
use crate::tokenize::for_each_token;
use crate::Recipe;

/// Turns raw text into shingle hashes and signatures under one recipe.
///
/// ```
/// use fingerprint_core::{jaccard, Recipe, Sketcher};
/// let mut sketcher = Sketcher::new(Recipe::default());
/// let a = sketcher.sketch("The quick brown fox jumps over the lazy dog");
/// let b = sketcher.sketch("the quick brown fox jumps over the lazy cat");
/// assert_eq!(a.len(), 128);
/// assert!(jaccard(&a, &b) > 0.5 && jaccard(&a, &b) < 1.0);
/// ```
#[derive(Clone, Debug)]
pub struct Sketcher {
    recipe: Recipe,
    permutations: Permutations,
    token_buf: String,
    token_hashes: Vec<u64>,
    shingle_keys: Vec<u32>,
}

impl Sketcher {
    pub fn new(recipe: Recipe) -> Self {
        Self {
            recipe,
            permutations: Permutations::new(recipe.num_perm(), recipe.seed()),
            token_buf: String::new(),
            token_hashes: Vec::new(),
            shingle_keys: Vec::new(),
        }
    }

    pub fn recipe(&self) -> Recipe {
        self.recipe
    }

    /// Calls `emit` with the hash of each shingle of `text`, in order (duplicates included).
    pub fn for_each_shingle_hash(&mut self, text: &str, emit: impl FnMut(u64)) {
        let seed = self.recipe.seed();
        let hashes = &mut self.token_hashes;
        hashes.clear();
        for_each_token(text, &mut self.token_buf, |t| hashes.push(token_hash(t, seed)));
        for_each_shingle_hash(hashes, self.recipe.shingle_size(), seed, emit);
    }

    /// The shingle hashes of `text`, in order.
    pub fn shingle_hashes(&mut self, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        self.for_each_shingle_hash(text, |h| out.push(h));
        out
    }

    /// Writes the signature of `text` into `out`, which must hold `num_perm` values.
    pub fn sketch_into(&mut self, text: &str, out: &mut [u32]) {
        let mut keys = std::mem::take(&mut self.shingle_keys);
        keys.clear();
        self.for_each_shingle_hash(text, |h| keys.push(h as u32));
        out.fill(EMPTY_VALUE);
        self.permutations.update(out, &keys);
        self.shingle_keys = keys;
    }

    /// Writes the signature of a set of shingle hashes into `out` (`num_perm` values).
    pub fn sketch_shingles_into(&mut self, shingle_hashes: &[u64], out: &mut [u32]) {
        self.shingle_keys.clear();
        self.shingle_keys.extend(shingle_hashes.iter().map(|&h| h as u32));
        out.fill(EMPTY_VALUE);
        self.permutations.update(out, &self.shingle_keys);
    }

    /// The signature of `text`.
    pub fn sketch(&mut self, text: &str) -> Vec<u32> {
        let mut out = vec![EMPTY_VALUE; self.recipe.num_perm()];
        self.sketch_into(text, &mut out);
        out
    }
}
