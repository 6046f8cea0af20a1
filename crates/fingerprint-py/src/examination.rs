//! `fingerprint._core.Examination`: what the core found about one document, as a typed object.

use crate::index_match::PyIndexMatch;
use fingerprint_core::index::Examination;
use fingerprint_core::verdict::Thresholds;
use pyo3::prelude::*;
use pyo3::types::PyList;

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
    matches: Py<PyList>,
    /// The places in `matches` of those that name the document's origin.
    #[pyo3(get)]
    origin_links: Vec<usize>,
}

#[pymethods]
impl PyExamination {
    /// Earlier documents sharing the document's evidence, best first (`IndexMatch`).
    #[getter]
    fn matches(&self, py: Python<'_>) -> Py<PyList> {
        self.matches.clone_ref(py)
    }
}

impl PyExamination {
    pub fn of(py: Python<'_>, seen: Examination, thresholds: &Thresholds) -> PyResult<Self> {
        let matches = seen.matches.into_iter().map(|m| PyIndexMatch::of(m, thresholds));
        let matches =
            PyList::new(py, matches.map(|m| Py::new(py, m)).collect::<PyResult<Vec<_>>>()?)?;
        Ok(Self {
            furniture: seen.furniture,
            evidence: seen.evidence,
            repeated: seen.repeated,
            matches: matches.unbind(),
            origin_links: seen.origin_links,
        })
    }
}
