//! `fingerprint._core.Policy`, and the names of verdicts and relations: the index's and
//! alignment's defaults and names, defined once in the core and read by Python from here.

use crate::errors::bad_value;
use fingerprint_core::index::{Policy, QueryLimits, NO_SOURCE};
use fingerprint_core::verdict::{Relation, Thresholds, Verdict};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};

/// What makes a block evidence, how a query ranks and limits its candidates, and how blocks
/// align: every parameter that decides a report. Each defaults to the core's value.
///
/// >>> from fingerprint._core import Policy
/// >>> Policy().max_postings, Policy(same=0.9).same
/// (16, 0.9)
#[pyclass(name = "Policy", module = "fingerprint._core", frozen)]
#[derive(Clone, Copy)]
pub struct PyPolicy {
    pub inner: Policy,
}

#[pymethods]
impl PyPolicy {
    #[new]
    #[pyo3(signature = (*, boilerplate_min=None, min_evidence_shingles=None, max_postings=None, max_candidates=None, min_containment=None, min_shared=None, repeated=None, pair=None, near_duplicate=None, same=None, contains=None, partial=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        boilerplate_min: Option<&Bound<'_, PyAny>>,
        min_evidence_shingles: Option<&Bound<'_, PyAny>>,
        max_postings: Option<&Bound<'_, PyAny>>,
        max_candidates: Option<&Bound<'_, PyAny>>,
        min_containment: Option<&Bound<'_, PyAny>>,
        min_shared: Option<&Bound<'_, PyAny>>,
        repeated: Option<&Bound<'_, PyAny>>,
        pair: Option<&Bound<'_, PyAny>>,
        near_duplicate: Option<&Bound<'_, PyAny>>,
        same: Option<&Bound<'_, PyAny>>,
        contains: Option<&Bound<'_, PyAny>>,
        partial: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let d = Policy::default();
        let t = d.thresholds;
        let inner = Policy {
            boilerplate_min: count(
                "boilerplate_min",
                boilerplate_min,
                i64::from(d.boilerplate_min),
            )? as u32,
            min_evidence_shingles: count(
                "min_evidence_shingles",
                min_evidence_shingles,
                d.min_evidence_shingles as i64,
            )?,
            repeated: share("repeated", repeated, d.repeated)?,
            limits: QueryLimits {
                max_postings: count("max_postings", max_postings, d.limits.max_postings as i64)?,
                max_candidates: count(
                    "max_candidates",
                    max_candidates,
                    d.limits.max_candidates as i64,
                )?,
                min_containment: share(
                    "min_containment",
                    min_containment,
                    d.limits.min_containment,
                )?,
                min_shared: count("min_shared", min_shared, i64::from(d.limits.min_shared))? as u32,
            },
            thresholds: Thresholds {
                pair: share("pair", pair, t.pair)?,
                near_duplicate: share("near_duplicate", near_duplicate, t.near_duplicate)?,
                same: share("same", same, t.same)?,
                contains: share("contains", contains, t.contains)?,
                partial: share("partial", partial, t.partial)?,
            },
        };
        Ok(Self { inner })
    }

    /// A block seen identical in at least this many other documents of its source is page
    /// furniture.
    #[getter]
    fn boilerplate_min(&self) -> u32 {
        self.inner.boilerplate_min
    }

    /// Blocks with fewer distinct shingles are not evidence.
    #[getter]
    fn min_evidence_shingles(&self) -> usize {
        self.inner.min_evidence_shingles
    }

    /// Shingles held by more blocks than this are stop shingles.
    #[getter]
    fn max_postings(&self) -> usize {
        self.inner.limits.max_postings
    }

    /// Candidate documents a query returns, at most.
    #[getter]
    fn max_candidates(&self) -> usize {
        self.inner.limits.max_candidates
    }

    /// A candidate holding less than this share of the query's evidence is no match.
    #[getter]
    fn min_containment(&self) -> f64 {
        self.inner.limits.min_containment
    }

    /// A match shares at least this many of the query's evidence shingles (or the whole of
    /// either document, when it has fewer).
    #[getter]
    fn min_shared(&self) -> u32 {
        self.inner.limits.min_shared
    }

    /// Blocks inside one document at least this similar (Jaccard) are repeats.
    #[getter]
    fn repeated(&self) -> f64 {
        self.inner.repeated
    }

    /// Two blocks align when their Jaccard, or either's containment in the other, reaches it.
    #[getter]
    fn pair(&self) -> f64 {
        self.inner.thresholds.pair
    }

    /// An aligned pair at or above this Jaccard is a near-duplicate.
    #[getter]
    fn near_duplicate(&self) -> f64 {
        self.inner.thresholds.near_duplicate
    }

    /// Both articles have at least this share in aligned blocks: the same article.
    #[getter]
    fn same(&self) -> f64 {
        self.inner.thresholds.same
    }

    /// One article has at least this share in aligned blocks: the other contains it.
    #[getter]
    fn contains(&self) -> f64 {
        self.inner.thresholds.contains
    }

    /// Either article has at least this share in aligned blocks: a partial overlap.
    #[getter]
    fn partial(&self) -> f64 {
        self.inner.thresholds.partial
    }

    /// Every parameter by name, in the order of the constructor's keywords.
    #[allow(clippy::wrong_self_convention)] // PyO3 methods take &self; `to_dict` is Python's name
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let parameters = PyDict::new(py);
        parameters.set_item("boilerplate_min", self.boilerplate_min())?;
        parameters.set_item("min_evidence_shingles", self.min_evidence_shingles())?;
        parameters.set_item("max_postings", self.max_postings())?;
        parameters.set_item("max_candidates", self.max_candidates())?;
        parameters.set_item("min_containment", self.min_containment())?;
        parameters.set_item("min_shared", self.min_shared())?;
        parameters.set_item("repeated", self.repeated())?;
        parameters.set_item("pair", self.pair())?;
        parameters.set_item("near_duplicate", self.near_duplicate())?;
        parameters.set_item("same", self.same())?;
        parameters.set_item("contains", self.contains())?;
        parameters.set_item("partial", self.partial())?;
        Ok(parameters)
    }
}

/// A positive count (an `int`, not a `bool`), or the default.
fn count(name: &str, value: Option<&Bound<'_, PyAny>>, default: i64) -> PyResult<usize> {
    let Some(value) = value else { return Ok(default as usize) };
    let wrong = || bad_value(name, repr(value), "must be a positive integer");
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong());
    }
    match value.extract::<i64>() {
        Ok(n) if n >= 1 && n <= i64::from(u32::MAX) => Ok(n as usize),
        _ => Err(wrong()),
    }
}

/// A share in (0, 1] (an `int` or a `float`), or the default.
fn share(name: &str, value: Option<&Bound<'_, PyAny>>, default: f64) -> PyResult<f64> {
    let Some(value) = value else { return Ok(default) };
    let number = if value.is_instance_of::<PyBool>() { None } else { value.extract::<f64>().ok() };
    match number {
        Some(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(bad_value(name, repr(value), "must be in (0, 1]")),
    }
}

fn repr(value: &Bound<'_, PyAny>) -> String {
    value.repr().map_or_else(|_| "?".to_owned(), |r| r.to_string())
}

/// The names of the verdicts, most related first.
pub fn verdicts() -> Vec<&'static str> {
    Verdict::ALL.iter().map(|v| v.name()).collect()
}

/// The names of the relations of aligned blocks.
pub fn relations() -> Vec<&'static str> {
    Relation::ALL.iter().map(|r| r.name()).collect()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPolicy>()?;
    m.add("VERDICTS", verdicts())?;
    m.add("RELATIONS", relations())?;
    let copies: Vec<&str> = Verdict::ALL.iter().filter(|v| v.is_copy()).map(|v| v.name()).collect();
    m.add("COPY_VERDICTS", copies)?;
    m.add("NO_SOURCE", NO_SOURCE)?;
    Ok(())
}
