//! `fingerprint._core`: thin PyO3 bindings over `fingerprint-core`.
//!
//! Whole texts and whole batches cross the boundary in one call; the work runs with the Python
//! lock released.

mod alignment;
mod among;
mod arguments;
mod batch;
mod document;
mod errors;
mod examination;
mod index;
mod index_match;
mod ingestion;
mod policy;
mod recipe;
mod room;
mod signature;
mod sketching;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SEGMENTATION_VERSION", fingerprint_core::segment::SEGMENTATION_VERSION)?;
    m.add_class::<recipe::PyRecipe>()?;
    m.add_class::<signature::PySignature>()?;
    m.add_class::<document::PyDocumentSketch>()?;
    m.add_class::<alignment::PyBlockPair>()?;
    m.add_function(wrap_pyfunction!(document::segment_text, m)?)?;
    m.add_function(wrap_pyfunction!(document::sketch_documents, m)?)?;
    m.add_class::<index::PyBlockIndex>()?;
    m.add_class::<index_match::PyIndexMatch>()?;
    m.add_class::<ingestion::PyIngestion>()?;
    m.add_class::<examination::PyExamination>()?;
    policy::register(m)?;
    m.add_function(wrap_pyfunction!(among::evidence_of, m)?)?;
    m.add_function(wrap_pyfunction!(among::posting_keys, m)?)?;
    m.add_function(wrap_pyfunction!(among::examine_among, m)?)?;
    m.add_function(wrap_pyfunction!(among::choose_candidates, m)?)?;
    m.add_function(wrap_pyfunction!(sketching::sketch, m)?)?;
    m.add_function(wrap_pyfunction!(sketching::sketch_many, m)?)?;
    m.add_function(wrap_pyfunction!(sketching::tokens, m)?)?;
    m.add_function(wrap_pyfunction!(sketching::shingles, m)?)?;
    m.add_function(wrap_pyfunction!(sketching::shingle_hashes, m)?)?;
    Ok(())
}
