//! `fingerprint._core.BlockIndex`: the Rust corpus index, shared safely between Python threads.

use crate::document::PyDocumentSketch;
use crate::errors::{bad_value, recipe_mismatch};
use fingerprint_core::index::{Index, QueryLimits};
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use std::sync::RwLock;

/// One candidate: `(doc, shared, weight, size, pairs, identical)`, pairs as
/// `(query block, candidate block, shared, candidate block size)`.
type Candidate = (u32, u32, f64, u32, Vec<(u32, u32, u32, u32)>, bool);

/// The in-memory corpus index of evidence blocks. Reads run in parallel, writes one at a time,
/// all with the Python lock released.
#[pyclass(name = "BlockIndex", module = "fingerprint._core", frozen)]
pub struct PyBlockIndex {
    inner: RwLock<Index>,
}

#[pymethods]
impl PyBlockIndex {
    #[new]
    #[pyo3(signature = (recipe=None))]
    fn new(recipe: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let recipe = crate::arguments::recipe(recipe)?;
        Ok(Self { inner: RwLock::new(Index::new(recipe)) })
    }

    /// Adds a document's sketch; only blocks flagged in `evidence` are indexed for matching.
    /// Returns the document's number.
    fn add(
        &self,
        py: Python<'_>,
        sketch: &PyDocumentSketch,
        source: u32,
        evidence: Vec<bool>,
    ) -> PyResult<u32> {
        self.check(sketch, &evidence)?;
        Ok(py.detach(|| self.write().add(sketch.inner(), source, &evidence)))
    }

    /// Earlier documents sharing evidence shingles with the sketch, best first:
    /// `(size, weight, candidates)`.
    #[pyo3(signature = (sketch, evidence, max_postings=64, max_candidates=10, min_containment=0.0))]
    fn query(
        &self,
        py: Python<'_>,
        sketch: &PyDocumentSketch,
        evidence: Vec<bool>,
        max_postings: usize,
        max_candidates: usize,
        min_containment: f64,
    ) -> PyResult<(u32, f64, Vec<Candidate>)> {
        self.check(sketch, &evidence)?;
        let limits = QueryLimits { max_postings, max_candidates, min_containment };
        let found = py.detach(|| self.read().query(sketch.inner(), &evidence, limits));
        let candidates = found
            .candidates
            .into_iter()
            .map(|c| (c.doc, c.shared, c.weight, c.size, c.pairs, c.identical))
            .collect();
        Ok((found.size, found.weight, candidates))
    }

    /// For each block, how many documents of `source` already carry an identical block.
    fn furniture_counts(&self, py: Python<'_>, sketch: &PyDocumentSketch, source: u32) -> Vec<u32> {
        py.detach(|| self.read().furniture_counts(sketch.inner(), source))
    }

    /// Removes a document by number; returns whether it was there.
    fn remove(&self, py: Python<'_>, doc: u32) -> bool {
        py.detach(|| self.write().remove(doc))
    }

    /// Drops the postings of removed documents now.
    fn reclaim(&self, py: Python<'_>) {
        py.detach(|| self.write().reclaim());
    }

    fn __len__(&self) -> usize {
        self.read().len()
    }

    /// `{documents, blocks, postings, heap_bytes}`.
    fn stats(&self) -> (usize, usize, usize, usize) {
        let index = self.read();
        (index.len(), index.block_count(), index.posting_count(), index.heap_bytes())
    }
}

impl PyBlockIndex {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check(&self, sketch: &PyDocumentSketch, evidence: &[bool]) -> PyResult<()> {
        let (ours, theirs): (Recipe, Recipe) = (self.read().recipe(), sketch.inner().recipe());
        if ours != theirs {
            return Err(recipe_mismatch("an index and a document", ours, theirs));
        }
        if evidence.len() != sketch.inner().len() {
            let rule = format!("must hold one flag per block ({})", sketch.inner().len());
            return Err(bad_value("len(evidence)", evidence.len(), &rule));
        }
        Ok(())
    }
}
