//! `fingerprint._core.DocumentSketch` and `segment_text`: the Rust half of documents.

use crate::alignment::{to_python, PyAlignment};
use crate::arguments;
use crate::errors::{bad_value, too_many_pairs};
use crate::room;
use crate::signature::PySignature;
use fingerprint_core::align::repeated_groups;
use fingerprint_core::document::DocumentSketch;
use fingerprint_core::segment::segment;
use fingerprint_core::verdict::compare;
use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::borrow::Cow;

/// The blocks of plain text as `(start, end, kind, text)`, offsets in characters of `text`.
#[pyfunction]
pub fn segment_text(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
) -> PyResult<Vec<(usize, usize, &'static str, String)>> {
    let text = arguments::text("text", text)?;
    let blocks = py.detach(|| segment(&text));
    let mut bytes: Vec<usize> = blocks.iter().flat_map(|b| [b.start, b.end]).collect();
    to_char_offsets(&text, &mut bytes);
    let ends = bytes.chunks_exact(2);
    Ok(blocks
        .into_iter()
        .zip(ends)
        .map(|(b, se)| (se[0], se[1], b.kind.as_str(), b.text))
        .collect())
}

/// Turns byte offsets (ascending) into character offsets, in one pass over the text.
fn to_char_offsets(text: &str, offsets: &mut [usize]) {
    if text.is_ascii() {
        return;
    }
    let mut chars = 0;
    let mut byte = 0;
    for offset in offsets.iter_mut() {
        chars += text[byte..*offset].chars().count();
        byte = *offset;
        *offset = chars;
    }
}

/// The sketches of many documents (each a list of block texts), in one call, over threads.
#[pyfunction]
#[pyo3(signature = (documents, recipe=None, threads=None))]
pub fn sketch_documents(
    py: Python<'_>,
    documents: &Bound<'_, PyAny>,
    recipe: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyDocumentSketch>> {
    let recipe = arguments::recipe(recipe)?;
    let threads = arguments::threads(threads)?;
    let lists: Vec<Bound<'_, PyAny>> = documents.try_iter()?.collect::<PyResult<_>>()?;
    let items: Vec<Vec<Bound<'_, PyAny>>> = lists
        .iter()
        .map(|blocks| blocks.try_iter()?.collect::<PyResult<Vec<_>>>())
        .collect::<PyResult<_>>()?;
    let texts: Vec<Vec<Cow<'_, str>>> = items
        .iter()
        .map(|blocks| blocks.iter().enumerate().map(|(i, b)| arguments::text_at(i, b)).collect())
        .collect::<PyResult<_>>()?;
    let bytes: usize = texts.iter().flatten().map(|t| t.len()).sum();
    room::ensure(bytes.saturating_mul(room::PER_TEXT_BYTE))?;
    let sketches = py.detach(|| DocumentSketch::many(recipe, &texts, threads));
    Ok(sketches.into_iter().map(PyDocumentSketch::wrapping).collect())
}

/// Every block's exact shingle set, from one call; signatures when first asked for.
#[pyclass(name = "DocumentSketch", module = "fingerprint._core", frozen)]
pub struct PyDocumentSketch {
    inner: DocumentSketch,
}

#[pymethods]
impl PyDocumentSketch {
    #[new]
    #[pyo3(signature = (blocks, recipe=None))]
    fn new(
        py: Python<'_>,
        blocks: &Bound<'_, PyAny>,
        recipe: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let recipe = arguments::recipe(recipe)?;
        if blocks.is_instance_of::<PyString>() {
            return Err(crate::errors::wrong_type("blocks", "an iterable of str", blocks));
        }
        let items: Vec<Bound<'_, PyAny>> = blocks.try_iter()?.collect::<PyResult<_>>()?;
        let texts: Vec<Cow<'_, str>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| arguments::text_at(i, item))
            .collect::<PyResult<_>>()?;
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        room::ensure(bytes.saturating_mul(room::PER_TEXT_BYTE))?;
        Ok(Self { inner: py.detach(|| DocumentSketch::new(recipe, &texts)) })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The blocks' shingle sets as bytes, for storing; `DocumentSketch.from_bytes` reads them.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.encode())
    }

    /// A sketch from what `to_bytes` wrote, under `recipe`.
    #[staticmethod]
    #[pyo3(signature = (data, recipe=None))]
    fn from_bytes(
        py: Python<'_>,
        data: &[u8],
        recipe: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let recipe = arguments::recipe(recipe)?;
        let inner = py.detach(|| DocumentSketch::decode(recipe, data));
        inner.map(|inner| Self { inner }).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("data is not a stored document sketch")
        })
    }

    /// Each block's identity: equal for blocks of equal shingle sets, 0 for an empty block.
    #[getter]
    fn block_identities<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        PyArray1::from_slice(py, self.inner.block_identities())
    }

    /// The document's identity: equal for documents whose non-empty blocks are identical, in
    /// the same order; 0 for a document with no non-empty block.
    #[getter]
    fn identity(&self) -> u64 {
        fingerprint_core::index::document_identity(&self.inner)
    }

    /// The block signatures, shape `(blocks, num_perm)`.
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<u32>>> {
        let width = self.inner.recipe().num_perm();
        PyArray1::from_slice(py, self.inner.signatures()).reshape([self.inner.len(), width])
    }

    /// The signature of the whole document.
    #[getter]
    fn signature(&self) -> PySignature {
        PySignature { recipe: self.inner.recipe(), values: self.inner.signature() }
    }

    /// The number of distinct shingles of each block.
    #[getter]
    fn shingle_counts(&self) -> Vec<usize> {
        self.inner.block_shingles().iter().map(Vec::len).collect()
    }

    /// The number of distinct shingles of the whole document.
    #[getter]
    fn size(&self) -> usize {
        self.inner.union().len()
    }

    /// This document (a) compared with `other` (b) under `thresholds` (a `fingerprint.Thresholds`):
    /// `(shared, size_a, size_b, (pairs, coverage_a, coverage_b, verdict))`.
    fn compare(
        &self,
        py: Python<'_>,
        other: &Self,
        thresholds: &Bound<'_, PyAny>,
    ) -> PyResult<(usize, usize, usize, PyAlignment)> {
        self.same_recipe(other)?;
        let (t, _repeated) = crate::alignment::thresholds(thresholds)?;
        room::ensure((self.shingles() + other.shingles()).saturating_mul(room::PER_SHINGLE))?;
        let found = py.detach(|| compare(&self.inner, &other.inner, &t)).map_err(too_many_pairs)?;
        Ok((found.shared, found.size_a, found.size_b, to_python(&found.alignment)))
    }

    /// Groups of near-duplicate blocks (Jaccard at least `threshold`) inside this document.
    fn repeated(&self, py: Python<'_>, threshold: f64) -> PyResult<Vec<Vec<usize>>> {
        if !(0.0..=1.0).contains(&threshold) || threshold == 0.0 {
            return Err(bad_value("threshold", threshold, "must be in (0, 1]"));
        }
        room::ensure(self.shingles().saturating_mul(room::PER_SHINGLE))?;
        Ok(py.detach(|| repeated_groups(self.inner.block_shingles(), threshold)))
    }
}

impl PyDocumentSketch {
    pub fn wrapping(inner: DocumentSketch) -> Self {
        Self { inner }
    }

    /// Shingles in all its blocks (a shingle in two blocks counts twice).
    fn shingles(&self) -> usize {
        self.inner.block_shingles().iter().map(Vec::len).sum()
    }

    pub fn inner(&self) -> &DocumentSketch {
        &self.inner
    }

    fn same_recipe(&self, other: &Self) -> PyResult<()> {
        let (a, b) = (self.inner.recipe(), other.inner.recipe());
        if a == b {
            Ok(())
        } else {
            Err(crate::errors::recipe_mismatch("documents", a, b))
        }
    }
}
