//! `fingerprint._core.Ingestion`: a batch examined and added by the index on threads of its own,
//! its results taken in order as they come. One thread cuts and sketches the documents given as
//! texts, one
//! examines and adds them in order, and Python builds each document's report meanwhile: the three
//! overlap.

use crate::document::PyDocumentSketch;
use crate::index::{to_python_examination, PyBlockIndex, PyExamination};
use fingerprint_core::document::DocumentSketch;
use fingerprint_core::index::Examination;
use fingerprint_core::segment::segment;
use fingerprint_core::{Recipe, Sketcher};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// Batches smaller than this are done at once, on the calling thread: starting threads would
/// cost more than the overlap gains.
const MIN_THREADED: usize = 64;
/// Sketches made ahead of the document being examined, at most.
const SKETCHED_AHEAD: usize = 256;

/// A document to ingest: sketched already, its blocks' texts, or a plain text to cut into
/// blocks as `segment_text` does.
pub enum Item {
    Sketched(Py<PyDocumentSketch>),
    Texts(Vec<String>),
    Text(String),
}

/// What the index found for one document, and its sketch if it was made here.
type Done = (u32, Examination, Option<DocumentSketch>);

/// The results of `BlockIndex.ingest`, in order: `(number, (furniture, evidence, repeated,
/// matches), sketch)` for each document, the sketch None when one was given. The whole batch
/// goes in whether or not they are read.
#[pyclass(name = "Ingestion", module = "fingerprint._core", frozen)]
pub struct PyIngestion {
    results: Mutex<Receiver<Done>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl PyIngestion {
    /// Starts examining and adding `items`, each of its source, in order, under the index's
    /// write lock, held until the last is added.
    pub fn start(
        py: Python<'_>,
        index: Py<PyBlockIndex>,
        items: Vec<Item>,
        sources: Vec<u32>,
        recipe: Recipe,
    ) -> Self {
        let (sender, results) = channel();
        let threaded = sources.len() >= MIN_THREADED;
        let run = move || {
            let index = index.get();
            let mut inner = index.write();
            for_each_sketch(&items, recipe, |i, made| {
                let sketch = match (&made, &items[i]) {
                    (Some(sketch), _) => sketch,
                    (None, Item::Sketched(given)) => given.get().inner(),
                    (None, Item::Texts(_) | Item::Text(_)) => unreachable!("texts are sketched"),
                };
                let seen = inner.examine(sketch, sources[i], index.policy());
                let number = inner.add_examined(sketch, sources[i], &seen);
                // Nobody reading any more is no reason to stop half way: a batch goes in whole.
                let _ = sender.send((number, seen, made));
            });
        };
        let worker = if threaded {
            Some(std::thread::spawn(run))
        } else {
            py.detach(run);
            None
        };
        Self { results: Mutex::new(results), worker: Mutex::new(worker) }
    }

    /// Waits for the worker to end; an error if it failed.
    fn finish(&self, py: Python<'_>) -> PyResult<()> {
        let worker = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        match worker.map(|w| py.detach(|| w.join())) {
            Some(Err(_)) => Err(PyRuntimeError::new_err("the index failed while adding a batch")),
            _ => Ok(()),
        }
    }
}

/// Calls `work` with each item's number and its sketch if it is made of texts (None if it was
/// sketched already), in order; a thread of its own sketches ahead when there are many.
fn for_each_sketch(
    items: &[Item],
    recipe: Recipe,
    mut work: impl FnMut(usize, Option<DocumentSketch>),
) {
    let sketch = |sketcher: &mut Sketcher, item: &Item| match item {
        Item::Texts(blocks) => Some(DocumentSketch::with(sketcher, blocks)),
        Item::Text(text) => {
            let blocks: Vec<String> = segment(text).into_iter().map(|b| b.text).collect();
            Some(DocumentSketch::with(sketcher, &blocks))
        }
        Item::Sketched(_) => None,
    };
    if items.len() < MIN_THREADED {
        let mut sketcher = Sketcher::new(recipe);
        items.iter().enumerate().for_each(|(i, item)| work(i, sketch(&mut sketcher, item)));
        return;
    }
    let (ahead, sketches) = sync_channel(SKETCHED_AHEAD);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut sketcher = Sketcher::new(recipe);
            for item in items {
                if ahead.send(sketch(&mut sketcher, item)).is_err() {
                    break;
                }
            }
        });
        for (i, made) in sketches.iter().enumerate() {
            work(i, made);
        }
    });
}

#[pymethods]
impl PyIngestion {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(
        &self,
        py: Python<'_>,
    ) -> PyResult<Option<(u32, PyExamination, Option<PyDocumentSketch>)>> {
        let next = py.detach(|| self.results.lock().unwrap_or_else(|p| p.into_inner()).recv());
        match next {
            Ok((number, seen, made)) => Ok(Some((
                number,
                to_python_examination(seen),
                made.map(PyDocumentSketch::wrapping),
            ))),
            Err(_) => self.finish(py).map(|()| None),
        }
    }
}
