//! The core's pieces for engines that examine a corpus in stages (`fingerprint.engines.ray`):
//! which blocks are evidence, the keys a document posts, its identity, and a document examined
//! against its candidates alone, given its context (`fingerprint_core::index::examine_among`).

use crate::document::PyDocumentSketch;
use crate::errors::{bad_value, recipe_mismatch};
use crate::examination::PyExamination;
use crate::policy::PyPolicy;
use fingerprint_core::index::{self, Addition, Context, Policy, NO_SOURCE};
use numpy::PyArray1;
use pyo3::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// An array of keys, or of counts of keys.
type Keys<'py> = Bound<'py, PyArray1<u32>>;

/// Which blocks of `sketch` are evidence, given each block's furniture count (documents of its
/// source before it carrying the block) under `policy` (None: the core's defaults).
#[pyfunction]
#[pyo3(signature = (sketch, furniture, policy=None))]
pub fn evidence_of(
    sketch: &PyDocumentSketch,
    furniture: Vec<u32>,
    policy: Option<PyRef<'_, PyPolicy>>,
) -> PyResult<Vec<bool>> {
    one_per_block("furniture", furniture.len(), sketch)?;
    Ok(index::evidence_of(sketch.inner(), &furniture, &policy_or_default(policy)))
}

/// The keys `sketch` posts with these evidence flags, in key order, and for each the number of
/// evidence blocks holding it: two arrays.
#[pyfunction]
pub fn posting_keys<'py>(
    py: Python<'py>,
    sketch: &PyDocumentSketch,
    evidence: Vec<bool>,
) -> PyResult<(Keys<'py>, Keys<'py>)> {
    one_per_block("evidence", evidence.len(), sketch)?;
    let (keys, counts): (Vec<u32>, Vec<u32>) =
        index::posting_keys(sketch.inner(), &evidence).into_iter().unzip();
    Ok((PyArray1::from_vec(py, keys), PyArray1::from_vec(py, counts)))
}

/// `sketch` examined as the index examines a document against every document before it, from
/// its context alone: `furniture`, one count per block; `walked`, each key of its evidence
/// blocks that is not a stop shingle with its postings before it (a key left out is a stop
/// shingle); `blocks`, the blocks before it; `candidates`, `(sketch, evidence)` of every
/// document before it holding a walked key in an evidence block and of its first identical
/// ones, in the order they were added. A match's number is its place in `candidates`.
#[pyfunction]
#[pyo3(signature = (sketch, furniture, walked, blocks, candidates, policy=None))]
pub fn examine_among(
    py: Python<'_>,
    sketch: &PyDocumentSketch,
    furniture: Vec<u32>,
    walked: HashMap<u32, u32>,
    blocks: usize,
    candidates: Vec<(PyRef<'_, PyDocumentSketch>, Vec<bool>)>,
    policy: Option<PyRef<'_, PyPolicy>>,
) -> PyResult<PyExamination> {
    one_per_block("furniture", furniture.len(), sketch)?;
    for (i, (candidate, evidence)) in candidates.iter().enumerate() {
        if candidate.inner().recipe() != sketch.inner().recipe() {
            return Err(recipe_mismatch(
                "candidate",
                candidate.inner().recipe(),
                sketch.inner().recipe(),
            ));
        }
        if evidence.len() != candidate.inner().len() {
            let rule = format!("must give one flag per block of candidate {i}");
            return Err(bad_value("evidence", evidence.len(), &rule));
        }
    }
    let policy = policy_or_default(policy);
    let walked: FxHashMap<u32, u32> = walked.into_iter().collect();
    let context = Context { furniture, walked, blocks };
    let additions: Vec<Addition> =
        candidates.iter().map(|(s, e)| (s.inner(), NO_SOURCE, e.as_slice())).collect();
    let seen = py.detach(|| index::examine_among(sketch.inner(), &context, &additions, &policy));
    Ok(PyExamination::of(seen, &policy.thresholds))
}

/// The candidates a document's examination keeps (`examine_among` needs no others): its
/// `twins` (its first identical documents before it), then the best of `holders`, each
/// `(key, document, its size)` for a walked key and a document before it holding the key in an
/// evidence block; `walked` and `blocks` as for `examine_among`. Documents are numbered as
/// given.
#[pyfunction]
#[pyo3(signature = (walked, blocks, holders, twins, policy=None))]
pub fn choose_candidates(
    py: Python<'_>,
    walked: HashMap<u32, u32>,
    blocks: usize,
    mut holders: Vec<(u32, u32, u32)>,
    twins: Vec<u32>,
    policy: Option<PyRef<'_, PyPolicy>>,
) -> PyResult<Vec<u32>> {
    let limits = policy_or_default(policy).limits;
    if twins.len() > limits.max_candidates {
        let rule = format!("must be at most max_candidates ({})", limits.max_candidates);
        return Err(bad_value("twins", twins.len(), &rule));
    }
    let context = Context { furniture: Vec::new(), walked: walked.into_iter().collect(), blocks };
    Ok(py.detach(|| {
        holders.sort_unstable();
        holders.dedup();
        index::choose(&context, &holders, &twins, limits)
    }))
}

fn policy_or_default(policy: Option<PyRef<'_, PyPolicy>>) -> Policy {
    policy.map_or_else(Policy::default, |p| p.inner)
}

fn one_per_block(name: &str, given: usize, sketch: &PyDocumentSketch) -> PyResult<()> {
    if given == sketch.inner().len() {
        return Ok(());
    }
    let rule = format!("must give one per block ({})", sketch.inner().len());
    Err(bad_value(name, given, &rule))
}
