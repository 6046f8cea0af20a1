//! `fingerprint.BlockPair`, and alignments handed to Python: the aligned pairs, the coverages
//! and the verdict, computed by `fingerprint_core::verdict`.

use crate::errors::bad_value;
use fingerprint_core::verdict::{AlignedPair, Alignment, Relation, Thresholds};
use pyo3::prelude::*;
use pyo3::types::PyFloat;

/// Block ``a`` of the first article aligned with block ``b`` of the second.
///
/// ``similarity`` is the Jaccard similarity of their shingle sets; ``a_in_b`` and ``b_in_a``
/// are the containments. ``relation`` is identical, near-duplicate, or contained.
///
/// >>> import fingerprint
/// >>> merged = "The storm hit the coast at dawn. Rain fell for six hours on the town."
/// >>> split = "The storm hit the coast at dawn.\n\nRain fell for six hours on the town."
/// >>> [(p.a, p.b, p.relation, p.b_in_a) for p in fingerprint.compare(merged, split).pairs]
/// [(0, 0, 'contained', 1.0), (0, 1, 'contained', 1.0)]
#[pyclass(name = "BlockPair", module = "fingerprint", frozen)]
#[derive(Clone, Copy)]
pub struct PyBlockPair {
    #[pyo3(get)]
    a: u32,
    #[pyo3(get)]
    b: u32,
    #[pyo3(get)]
    similarity: f64,
    relation: Relation,
    #[pyo3(get)]
    a_in_b: f64,
    #[pyo3(get)]
    b_in_a: f64,
}

#[pymethods]
impl PyBlockPair {
    #[new]
    fn new(
        a: u32,
        b: u32,
        similarity: f64,
        relation: &str,
        a_in_b: f64,
        b_in_a: f64,
    ) -> PyResult<Self> {
        let relation = [Relation::Identical, Relation::NearDuplicate, Relation::Contained]
            .into_iter()
            .find(|r| r.name() == relation)
            .ok_or_else(|| {
                bad_value(
                    "relation",
                    format!("{relation:?}"),
                    "must be identical, near-duplicate or contained",
                )
            })?;
        Ok(Self { a, b, similarity, relation, a_in_b, b_in_a })
    }

    #[getter]
    fn relation(&self) -> &'static str {
        self.relation.name()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let float = |x: f64| PyFloat::new(py, x).repr().map(|r| r.to_string());
        Ok(format!(
            "BlockPair(a={}, b={}, similarity={}, relation='{}', a_in_b={}, b_in_a={})",
            self.a,
            self.b,
            float(self.similarity)?,
            self.relation.name(),
            float(self.a_in_b)?,
            float(self.b_in_a)?
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| self.key() == o.get().key())
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.key().into_pyobject(py)?.hash()
    }

    /// Pickling: the arguments that make the pair again.
    fn __getnewargs__(&self) -> (u32, u32, f64, &'static str, f64, f64) {
        self.key()
    }
}

impl PyBlockPair {
    fn key(&self) -> (u32, u32, f64, &'static str, f64, f64) {
        (self.a, self.b, self.similarity, self.relation.name(), self.a_in_b, self.b_in_a)
    }
}

impl From<&AlignedPair> for PyBlockPair {
    fn from(p: &AlignedPair) -> Self {
        Self {
            a: p.a,
            b: p.b,
            similarity: p.similarity,
            relation: p.relation,
            a_in_b: p.a_in_b,
            b_in_a: p.b_in_a,
        }
    }
}

/// An alignment for Python: `(pairs, coverage_a, coverage_b, verdict)`.
pub type PyAlignment = (Vec<PyBlockPair>, f64, f64, &'static str);

pub fn to_python(alignment: &Alignment) -> PyAlignment {
    let pairs = alignment.pairs.iter().map(PyBlockPair::from).collect();
    (pairs, alignment.coverage_a, alignment.coverage_b, alignment.verdict.name())
}

/// The thresholds of a `fingerprint.Thresholds` (any object with its attributes), and its
/// `repeated` threshold.
pub fn thresholds(value: &Bound<'_, PyAny>) -> PyResult<(Thresholds, f64)> {
    let get = |name: &str| value.getattr(name)?.extract::<f64>();
    let thresholds = Thresholds {
        pair: get("pair")?,
        near_duplicate: get("near_duplicate")?,
        same: get("same")?,
        contains: get("contains")?,
        partial: get("partial")?,
    };
    Ok((thresholds, get("repeated")?))
}
