//! `fingerprint._core.IndexMatch`: an earlier document a query matched, by the core's number. One
//! object per match, its block pairs made only when read: a query returns several matches, and a
//! tuple of numbers, pairs and verdict for each cost a dozen Python objects per match.

use crate::alignment::PyBlockPair;
use fingerprint_core::index::Match;
use fingerprint_core::verdict::Thresholds;
use pyo3::prelude::*;

/// An earlier document sharing evidence with the query, as the core numbered it.
#[pyclass(name = "IndexMatch", module = "fingerprint._core", frozen)]
pub struct PyIndexMatch {
    inner: Match,
    same_story: bool,
}

impl PyIndexMatch {
    /// A match, judged under the index's thresholds.
    pub fn of(inner: Match, thresholds: &Thresholds) -> Self {
        Self { same_story: inner.same_story(thresholds), inner }
    }
}

#[pymethods]
impl PyIndexMatch {
    /// The document's number in the index.
    #[getter]
    fn number(&self) -> u32 {
        self.inner.doc
    }

    /// Share of the query's evidence shingles that are in the document.
    #[getter]
    fn containment(&self) -> f64 {
        self.inner.containment
    }

    /// Share of the document's evidence shingles that are in the query.
    #[getter]
    fn contained(&self) -> f64 {
        self.inner.contained
    }

    #[getter]
    fn jaccard(&self) -> f64 {
        self.inner.jaccard
    }

    /// The aligned block pairs, the query as side ``a``.
    #[getter]
    fn pairs(&self) -> Vec<PyBlockPair> {
        self.inner.alignment.pairs.iter().map(PyBlockPair::from).collect()
    }

    /// Whether the match and the query make one story, so that their clusters join
    /// (`Match::same_story` in the core).
    #[getter]
    fn same_story(&self) -> bool {
        self.same_story
    }

    /// The verdict, as `compare` gives it.
    #[getter]
    fn verdict(&self) -> &'static str {
        self.inner.alignment.verdict.name()
    }

    fn __repr__(&self) -> String {
        let m = &self.inner;
        format!(
            "IndexMatch(number={}, containment={:.3}, contained={:.3}, jaccard={:.3}, verdict='{}')",
            m.doc,
            m.containment,
            m.contained,
            m.jaccard,
            m.alignment.verdict.name()
        )
    }
}
