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
/// Documents handed from thread to thread together: one at a time, the thread waiting for the
/// next is woken (a system call) for each.
const HANDED_TOGETHER: usize = 16;

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
    results: Mutex<Results>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

/// The results as they come, a few documents at a time, and those of the last few not taken yet.
struct Results {
    coming: Receiver<Vec<Done>>,
    taken: std::vec::IntoIter<Done>,
}

impl Results {
    fn next(&mut self) -> Option<Done> {
        self.taken.next().or_else(|| {
            self.taken = self.coming.recv().ok()?.into_iter();
            self.taken.next()
        })
    }
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
        let (sender, coming) = channel();
        let threaded = sources.len() >= MIN_THREADED;
        let run = move || {
            let index = index.get();
            let mut inner = index.write();
            let mut done = Vec::with_capacity(HANDED_TOGETHER);
            for_each_sketch(&items, recipe, |i, made| {
                let sketch = match (&made, &items[i]) {
                    (Some(sketch), _) => sketch,
                    (None, Item::Sketched(given)) => given.get().inner(),
                    (None, Item::Texts(_) | Item::Text(_)) => unreachable!("texts are sketched"),
                };
                let seen = inner.examine(sketch, sources[i], index.policy());
                let number = inner.add_examined(sketch, sources[i], &seen);
                done.push((number, seen, made));
                if i + 1 == items.len() {
                    inner.settle();
                }
                if done.len() == HANDED_TOGETHER || i + 1 == items.len() {
                    // Nobody reading any more is no reason to stop half way: a batch goes in
                    // whole.
                    let _ = sender.send(std::mem::take(&mut done));
                }
            });
        };
        let worker = if threaded {
            Some(std::thread::spawn(run))
        } else {
            py.detach(run);
            None
        };
        let results = Results { coming, taken: Vec::new().into_iter() };
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
    let (ahead, sketches) = sync_channel(SKETCHED_AHEAD / HANDED_TOGETHER);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut sketcher = Sketcher::new(recipe);
            for chunk in items.chunks(HANDED_TOGETHER) {
                let made: Vec<_> = chunk.iter().map(|item| sketch(&mut sketcher, item)).collect();
                if ahead.send(made).is_err() {
                    break;
                }
            }
        });
        for (i, made) in sketches.iter().flatten().enumerate() {
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
        let next = py.detach(|| self.results.lock().unwrap_or_else(|p| p.into_inner()).next());
        match next {
            Some((number, seen, made)) => Ok(Some((
                number,
                to_python_examination(seen),
                made.map(PyDocumentSketch::wrapping),
            ))),
            None => self.finish(py).map(|()| None),
        }
    }
}
