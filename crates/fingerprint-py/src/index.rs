//! `fingerprint._core.BlockIndex`: the Rust corpus index, shared safely between Python threads.

use crate::alignment::{to_python, PyAlignment};
use crate::document::PyDocumentSketch;
use crate::errors::{bad_value, recipe_mismatch};
use fingerprint_core::index::{matches, Index, QueryLimits};
use fingerprint_core::verdict::Thresholds;
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use std::sync::RwLock;

/// One match: `(doc, containment, contained, jaccard, (pairs, coverage_a, coverage_b, verdict))`.
type PyMatch = (u32, f64, f64, f64, PyAlignment);

/// The in-memory corpus index of evidence blocks. Reads run in parallel, writes one at a time,
/// all with the Python lock released.
#[pyclass(name = "BlockIndex", module = "fingerprint._core", frozen)]
pub struct PyBlockIndex {
    inner: RwLock<Index>,
    limits: QueryLimits,
    thresholds: Thresholds,
}

#[pymethods]
impl PyBlockIndex {
    /// An empty index. Queries rank at most `max_candidates` documents, skip shingles held by
    /// more than `max_postings` blocks, leave out documents holding less than `min_containment`
    /// of the query, and align under `thresholds` (a `fingerprint.Thresholds`; None: defaults).
    #[new]
    #[pyo3(signature = (recipe=None, thresholds=None, max_postings=16, max_candidates=10, min_containment=0.0))]
    fn new(
        recipe: Option<&Bound<'_, PyAny>>,
        thresholds: Option<&Bound<'_, PyAny>>,
        max_postings: usize,
        max_candidates: usize,
        min_containment: f64,
    ) -> PyResult<Self> {
        let recipe = crate::arguments::recipe(recipe)?;
        let thresholds = match thresholds {
            Some(t) if !t.is_none() => crate::alignment::thresholds(t)?,
            _ => Thresholds::default(),
        };
        let limits = QueryLimits { max_postings, max_candidates, min_containment };
        Ok(Self { inner: RwLock::new(Index::new(recipe)), limits, thresholds })
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

    /// The earlier documents sharing evidence shingles with the sketch, best first (identical
    /// ones first), each aligned with it.
    fn query(
        &self,
        py: Python<'_>,
        sketch: &PyDocumentSketch,
        evidence: Vec<bool>,
    ) -> PyResult<Vec<PyMatch>> {
        self.check(sketch, &evidence)?;
        let found = py.detach(|| {
            let found = self.read().query(sketch.inner(), &evidence, self.limits);
            let sizes: Vec<u32> =
                sketch.inner().block_shingles().iter().map(|s| s.len() as u32).collect();
            matches(&found, &sizes, &evidence, &self.thresholds)
        });
        Ok(found
            .iter()
            .map(|m| (m.doc, m.containment, m.contained, m.jaccard, to_python(&m.alignment)))
            .collect())
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
