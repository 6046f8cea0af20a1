//! `fingerprint._core.BlockIndex`: the Rust corpus index, shared safely between Python threads.

use crate::document::PyDocumentSketch;
use crate::errors::{bad_value, recipe_mismatch};
use crate::index_match::PyIndexMatch;
use fingerprint_core::document::DocumentSketch;
use fingerprint_core::index::{matches, Examination, Index, Policy, QueryLimits};
use fingerprint_core::verdict::Thresholds;
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use std::sync::RwLock;

/// A document examined: `(furniture, evidence, repeated, matches)`.
type PyExamination = (Vec<u32>, Vec<bool>, Vec<Vec<usize>>, Vec<PyIndexMatch>);

fn to_python_examination(seen: Examination) -> PyExamination {
    let matches = seen.matches.into_iter().map(PyIndexMatch::from).collect();
    (seen.furniture, seen.evidence, seen.repeated, matches)
}

/// The in-memory corpus index of evidence blocks. Reads run in parallel, writes one at a time,
/// all with the Python lock released.
#[pyclass(name = "BlockIndex", module = "fingerprint._core", frozen)]
pub struct PyBlockIndex {
    inner: RwLock<Index>,
    policy: Policy,
}

#[pymethods]
impl PyBlockIndex {
    /// An empty index. A block seen identical in `boilerplate_min` other documents of its source
    /// is furniture; blocks with fewer than `min_evidence_shingles` distinct shingles are not
    /// evidence. Queries rank at most `max_candidates` documents, find none by shingles held by
    /// more than `max_postings` blocks, leave out documents holding less than `min_containment`
    /// of the query (None: a tenth, as `Index`), and align under `thresholds` (a
    /// `fingerprint.Thresholds`; None: defaults).
    #[new]
    #[pyo3(signature = (recipe=None, thresholds=None, boilerplate_min=3, min_evidence_shingles=3, max_postings=16, max_candidates=10, min_containment=None))]
    fn new(
        recipe: Option<&Bound<'_, PyAny>>,
        thresholds: Option<&Bound<'_, PyAny>>,
        boilerplate_min: u32,
        min_evidence_shingles: usize,
        max_postings: usize,
        max_candidates: usize,
        min_containment: Option<f64>,
    ) -> PyResult<Self> {
        let recipe = crate::arguments::recipe(recipe)?;
        let (thresholds, repeated) = match thresholds {
            Some(t) if !t.is_none() => crate::alignment::thresholds(t)?,
            _ => (Thresholds::default(), Policy::default().repeated),
        };
        let policy = Policy {
            boilerplate_min,
            min_evidence_shingles,
            repeated,
            limits: QueryLimits {
                max_postings,
                max_candidates,
                min_containment: min_containment.unwrap_or(QueryLimits::default().min_containment),
            },
            thresholds,
        };
        Ok(Self { inner: RwLock::new(Index::new(recipe)), policy })
    }

    /// A document of source number `source` examined against the index, nothing added:
    /// `(furniture, evidence, repeated, matches)`.
    fn examine(
        &self,
        py: Python<'_>,
        sketch: &PyDocumentSketch,
        source: u32,
    ) -> PyResult<PyExamination> {
        self.check_recipe(sketch)?;
        let seen = py.detach(|| self.read().examine(sketch.inner(), source, &self.policy));
        Ok(to_python_examination(seen))
    }

    /// Examines and adds documents in order, each against all before it, under one write lock:
    /// for each, `(number, (furniture, evidence, repeated, matches))`.
    fn add_many(
        &self,
        py: Python<'_>,
        sketches: Vec<PyRef<'_, PyDocumentSketch>>,
        sources: Vec<u32>,
    ) -> PyResult<Vec<(u32, PyExamination)>> {
        if sources.len() != sketches.len() {
            let rule = format!("must hold one source per sketch ({})", sketches.len());
            return Err(bad_value("len(sources)", sources.len(), &rule));
        }
        for sketch in &sketches {
            self.check_recipe(sketch)?;
        }
        let inner: Vec<&DocumentSketch> = sketches.iter().map(|s| s.inner()).collect();
        let done = py.detach(|| {
            let mut index = self.write();
            let examined = inner.iter().zip(&sources).map(|(sketch, &source)| {
                let seen = index.examine(sketch, source, &self.policy);
                (index.add(sketch, source, &seen.evidence), seen)
            });
            examined.collect::<Vec<_>>()
        });
        Ok(done.into_iter().map(|(number, seen)| (number, to_python_examination(seen))).collect())
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
    ) -> PyResult<Vec<PyIndexMatch>> {
        self.check(sketch, &evidence)?;
        let found = py.detach(|| {
            let found = self.read().query(sketch.inner(), &evidence, self.policy.limits);
            let sizes: Vec<u32> =
                sketch.inner().block_shingles().iter().map(|s| s.len() as u32).collect();
            matches(&found, &sizes, &evidence, &self.policy.thresholds)
        });
        Ok(found.into_iter().map(PyIndexMatch::from).collect())
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

    fn check_recipe(&self, sketch: &PyDocumentSketch) -> PyResult<()> {
        let (ours, theirs): (Recipe, Recipe) = (self.read().recipe(), sketch.inner().recipe());
        if ours != theirs {
            return Err(recipe_mismatch("an index and a document", ours, theirs));
        }
        Ok(())
    }

    fn check(&self, sketch: &PyDocumentSketch, evidence: &[bool]) -> PyResult<()> {
        self.check_recipe(sketch)?;
        if evidence.len() != sketch.inner().len() {
            let rule = format!("must hold one flag per block ({})", sketch.inner().len());
            return Err(bad_value("len(evidence)", evidence.len(), &rule));
        }
        Ok(())
    }
}
