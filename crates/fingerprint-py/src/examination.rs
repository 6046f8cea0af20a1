//! `fingerprint._core.Examination`: what the core found about one document, as a typed object.

use crate::index_match::PyIndexMatch;
use fingerprint_core::index::{Examination, Match};
use fingerprint_core::verdict::Thresholds;
use pyo3::prelude::*;

/// A document examined against the index: for each block its furniture count and whether it is
/// evidence, its groups of repeated blocks, its matches (best first) and which of them name its
/// origin.
#[pyclass(name = "Examination", module = "fingerprint._core", frozen)]
pub struct PyExamination {
    /// For each block, how many documents of the same source already carry it.
    #[pyo3(get)]
    furniture: Vec<u32>,
    /// For each block, whether it is evidence.
    #[pyo3(get)]
    evidence: Vec<bool>,
    /// Groups of near-duplicate blocks inside the document.
    #[pyo3(get)]
    repeated: Vec<Vec<usize>>,
    /// Kept in Rust until read: a batch of examinations then makes no Python list per
    /// document, for the cycle collector to walk.
    matches: Vec<Match>,
    thresholds: Thresholds,
    /// The places in `matches` of those that name the document's origin.
    #[pyo3(get)]
    origin_links: Vec<usize>,
}

#[pymethods]
impl PyExamination {
    /// Earlier documents sharing the document's evidence, best first (`IndexMatch`).
    #[getter]
    fn matches(&self) -> Vec<PyIndexMatch> {
        self.matches.iter().map(|m| PyIndexMatch::of(m.clone(), &self.thresholds)).collect()
    }
}

impl PyExamination {
    pub fn of(seen: Examination, thresholds: &Thresholds) -> Self {
        Self {
            furniture: seen.furniture,
            evidence: seen.evidence,
            repeated: seen.repeated,
            matches: seen.matches,
            thresholds: *thresholds,
            origin_links: seen.origin_links,
        }
    }
}
