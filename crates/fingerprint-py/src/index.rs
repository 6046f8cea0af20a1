//! `fingerprint._core.BlockIndex`: the Rust corpus index, shared safely between Python threads.

use crate::arguments;
use crate::document::PyDocumentSketch;
use crate::errors::{bad_value, recipe_mismatch, wrong_type};
use crate::examination::PyExamination;
use crate::ingestion::{Item, PyIngestion};
use crate::policy::PyPolicy;
use crate::room;
use fingerprint_core::batch::stream_on_threads;
use fingerprint_core::index::{Addition, Index, Policy, Question};
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::sync::{RwLock, RwLockReadGuard};

/// The in-memory corpus index of evidence blocks. Reads run in parallel, writes one at a time,
/// all with the Python lock released.
#[pyclass(name = "BlockIndex", module = "fingerprint._core", frozen)]
pub struct PyBlockIndex {
    inner: RwLock<Index>,
    /// The index's recipe, kept outside the lock: every sketch given is checked against it.
    recipe: Recipe,
    policy: Policy,
}

#[pymethods]
impl PyBlockIndex {
    /// An empty index under `policy` (a `Policy`; None: the core's defaults). `merge_at`:
    /// recent postings are merged from this many on (None: 65,536); small, merges come often, for
    /// tests.
    #[new]
    #[pyo3(signature = (recipe=None, policy=None, merge_at=None))]
    fn new(
        recipe: Option<&Bound<'_, PyAny>>,
        policy: Option<PyRef<'_, PyPolicy>>,
        merge_at: Option<usize>,
    ) -> PyResult<Self> {
        let recipe = crate::arguments::recipe(recipe)?;
        let policy = policy.map_or_else(Policy::default, |p| p.inner);
        let index = match merge_at {
            Some(n) => Index::merging_at(recipe, n),
            None => Index::new(recipe),
        };
        Ok(Self { inner: RwLock::new(index), recipe, policy })
    }

    /// The index's policy.
    #[getter(policy)]
    fn py_policy(&self) -> PyPolicy {
        PyPolicy { inner: self.policy }
    }

    /// A document of source number `source` examined against the index, nothing added; when it
    /// is in the index already as number `exclude`, it is not its own match.
    #[pyo3(signature = (sketch, source, exclude=None))]
    fn examine(
        &self,
        py: Python<'_>,
        sketch: &PyDocumentSketch,
        source: u32,
        exclude: Option<u32>,
    ) -> PyResult<PyExamination> {
        self.check_recipe(sketch)?;
        let question = (sketch.inner(), source, exclude);
        let seen = py.detach(|| self.read().examine_question(&question, &self.policy));
        Ok(PyExamination::of(seen, &self.policy.thresholds))
    }

    /// Examines and adds documents in order, each against all before it, under one write lock,
    /// on threads of the index's own: each document a `DocumentSketch`, a plain text (cut as
    /// `segment_text` cuts it) or its blocks' texts, sketched there ahead of the one examined. Their results come in order from the
    /// `Ingestion` returned, as soon as each is ready.
    fn ingest(
        slf: &Bound<'_, Self>,
        documents: Vec<Bound<'_, PyAny>>,
        sources: Vec<u32>,
    ) -> PyResult<PyIngestion> {
        same_length("sources", &sources, &documents)?;
        let index = slf.get();
        let items = documents
            .iter()
            .enumerate()
            .map(|(i, document)| index.item(i, document))
            .collect::<PyResult<Vec<Item>>>()?;
        let text_bytes: usize = items.iter().map(Item::text_bytes).sum();
        index.ensure_room_to_grow(text_bytes)?;
        Ok(PyIngestion::start(slf.py(), slf.clone().unbind(), items, sources, index.recipe))
    }

    /// Adds documents in order, nothing examined, their postings together (loading an index):
    /// the same index as adding them one by one. Returns their numbers.
    fn add_many(
        &self,
        py: Python<'_>,
        sketches: Vec<PyRef<'_, PyDocumentSketch>>,
        sources: Vec<u32>,
        evidence: Vec<Vec<bool>>,
    ) -> PyResult<Vec<u32>> {
        same_length("sources", &sources, &sketches)?;
        same_length("evidence", &evidence, &sketches)?;
        for (sketch, flags) in sketches.iter().zip(&evidence) {
            self.check(sketch, flags)?;
        }
        self.ensure_room_to_grow(0)?;
        let additions: Vec<Addition> = sketches
            .iter()
            .zip(&sources)
            .zip(&evidence)
            .map(|((sketch, &source), flags)| (sketch.inner(), source, flags.as_slice()))
            .collect();
        Ok(py.detach(|| self.write().add_many(&additions)))
    }

    /// Documents examined as `examine` would, nothing added, on `threads` threads (None: every
    /// core): each a sketch, its source number, and its own number if it is in the index
    /// (`exclude`, None for none).
    #[pyo3(signature = (sketches, sources, exclude, threads=None))]
    fn examine_many<'py>(
        &self,
        py: Python<'py>,
        sketches: Vec<PyRef<'_, PyDocumentSketch>>,
        sources: Vec<u32>,
        exclude: Vec<Option<u32>>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let threads = crate::arguments::threads(threads)?;
        same_length("sources", &sources, &sketches)?;
        same_length("exclude", &exclude, &sketches)?;
        for sketch in &sketches {
            self.check_recipe(sketch)?;
        }
        let questions: Vec<Question> = sketches
            .iter()
            .zip(sources.iter().zip(&exclude))
            .map(|(s, (&source, &itself))| (s.inner(), source, itself))
            .collect();
        let answers = PyList::empty(py);
        // Threads take pieces as they go, and hand each piece here, where its examinations become
        // Python objects, in order, while the threads examine the next pieces. Each thread reads
        // the index under a read lock of its own.
        let read = || self.read();
        let answer = |index: &mut RwLockReadGuard<Index>, question: &Question| {
            index.examine_question(question, &self.policy)
        };
        stream_on_threads(&questions, threads, read, answer, |pieces| -> PyResult<()> {
            while let Some(piece) = py.detach(|| pieces.next()) {
                for seen in piece {
                    answers.append(PyExamination::of(seen, &self.policy.thresholds))?;
                }
            }
            Ok(())
        })?;
        Ok(answers)
    }

    /// Removes a document by number; returns whether it was there.
    fn remove(&self, py: Python<'_>, doc: u32) -> bool {
        py.detach(|| self.write().remove(doc))
    }

    /// This index without the documents numbered `removed`, as if they had never been added,
    /// its live documents numbered anew in order; and each live document after the first
    /// removed one, examined again: `(its number here, its examination, whether its evidence
    /// blocks changed)`, in order. This index is left as it was.
    fn without(
        &self,
        py: Python<'_>,
        removed: Vec<u32>,
    ) -> (Self, Vec<(u32, PyExamination, bool)>) {
        let (index, again) = py.detach(|| self.read().without(&removed, &self.policy));
        let thresholds = &self.policy.thresholds;
        let again = again
            .into_iter()
            .map(|r| (r.was, PyExamination::of(r.examination, thresholds), r.evidence_changed))
            .collect();
        let fresh = Self { inner: RwLock::new(index), recipe: self.recipe, policy: self.policy };
        (fresh, again)
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
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// A `MemoryError` unless there is room for the index to grow by a batch of `text_bytes` of
    /// text: its next merge or regrown table may ask for half its size at once
    /// (docs/reliability.md). Asked before a batch starts, so that it goes in whole or not at all.
    fn ensure_room_to_grow(&self, text_bytes: usize) -> PyResult<()> {
        let index_bytes = self.read().heap_bytes();
        room::ensure(index_bytes / 2 + text_bytes.saturating_mul(room::PER_TEXT_BYTE))
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check_recipe(&self, sketch: &PyDocumentSketch) -> PyResult<()> {
        let (ours, theirs): (Recipe, Recipe) = (self.recipe, sketch.inner().recipe());
        if ours != theirs {
            return Err(recipe_mismatch("an index and a document", ours, theirs));
        }
        Ok(())
    }

    /// Document `i` of a batch to ingest: a sketch of the index's recipe, a plain text, or a
    /// list of block texts.
    fn item(&self, i: usize, document: &Bound<'_, PyAny>) -> PyResult<Item> {
        if let Ok(sketch) = document.cast::<PyDocumentSketch>() {
            self.check_recipe(sketch.get())?;
            return Ok(Item::Sketched(sketch.clone().unbind()));
        }
        if document.is_instance_of::<PyString>() {
            return Ok(Item::Text(arguments::text_at(i, document)?.into_owned()));
        }
        let expected = "DocumentSketch, str or list";
        let blocks: Vec<Bound<'_, PyAny>> = document
            .try_iter()
            .map_err(|_| wrong_type(&format!("documents[{i}]"), expected, document))?
            .collect::<PyResult<_>>()?;
        let texts = blocks.iter().enumerate().map(|(b, text)| arguments::text_at(b, text));
        Ok(Item::Texts(texts.map(|t| t.map(|t| t.into_owned())).collect::<PyResult<_>>()?))
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

/// Refuses a list of per-sketch arguments that is not one per sketch.
fn same_length<T, U>(name: &str, list: &[T], sketches: &[U]) -> PyResult<()> {
    if list.len() == sketches.len() {
        return Ok(());
    }
    let rule = format!("must hold one item per sketch ({})", sketches.len());
    Err(bad_value(&format!("len({name})"), list.len(), &rule))
}
