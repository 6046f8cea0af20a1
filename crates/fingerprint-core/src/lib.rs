//! Content fingerprints of article text, by recipe v1 (`docs/spec.md`).
//!
//! Text goes through [`normalize`], [`tokenize`] and [`shingle`] to 64-bit shingle hashes, which
//! [`minhash`] turns into a signature of `num_perm` 32-bit values. [`Sketcher`] runs the whole
//! pipeline with reused buffers; [`sketch_many`] runs it over a batch on several threads.

pub mod align;
pub mod batch;
pub mod document;
pub mod index;
pub mod minhash;
pub mod normalize;
pub mod recipe;
pub mod segment;
pub mod shingle;
pub mod sketcher;
pub mod tokenize;
pub mod verdict;

pub use batch::sketch_many;
pub use minhash::{is_empty, jaccard, Permutations, EMPTY_VALUE};
pub use recipe::{Recipe, RecipeError};
pub use sketcher::Sketcher;
pub use tokenize::tokens;
