//! `fingerprint._core.Ingestion`: a batch examined and added by the index on threads of its own,
//! its results taken in order as they come. One thread cuts and sketches the documents given as
//! texts, one
//! examines and adds them in order, and Python builds each document's report meanwhile: the three
//! overlap.

use crate::document::PyDocumentSketch;
use crate::examination::PyExamination;
use crate::index::PyBlockIndex;
use fingerprint_core::document::DocumentSketch;
use fingerprint_core::index::{repeats, Examination, Policy};
use fingerprint_core::segment::segment;
use fingerprint_core::verdict::Thresholds;
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

impl Item {
    /// Bytes of text still to sketch (none for a sketch given).
    pub fn text_bytes(&self) -> usize {
        match self {
            Item::Sketched(_) => 0,
            Item::Texts(texts) => texts.iter().map(String::len).sum(),
            Item::Text(text) => text.len(),
        }
    }
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
    /// The index's thresholds, for judging its matches.
    thresholds: Thresholds,
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
        let thresholds = index.get().policy().thresholds;
        let run = move || {
            let index = index.get();
            let mut inner = index.write();
            let mut done = Vec::with_capacity(HANDED_TOGETHER);
            let policy = index.policy();
            for_each_prepared(&items, recipe, policy, |i, Prepared { made, repeated }| {
                let sketch = sketch_of(&made, &items[i]);
                let seen = inner.examine_repeating(sketch, sources[i], policy, repeated);
                let number = inner.add_examined(sketch, sources[i], &seen);
                done.push((number, seen, made));
                if done.len() == HANDED_TOGETHER {
                    // Nobody reading any more is no reason to stop half way: a batch goes in
                    // whole.
                    let _ = sender.send(std::mem::take(&mut done));
                }
            });
            inner.settle();
            if !done.is_empty() {
                let _ = sender.send(done);
            }
        };
        let worker = if threaded {
            Some(std::thread::spawn(run))
        } else {
            py.detach(run);
            None
        };
        let results = Results { coming, taken: Vec::new().into_iter() };
        Self { results: Mutex::new(results), worker: Mutex::new(worker), thresholds }
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

/// A document made ready for the index: its sketch if it was made here (None if it was given),
/// and its groups of repeated blocks, which need no index.
struct Prepared {
    made: Option<DocumentSketch>,
    repeated: Vec<Vec<usize>>,
}

/// The sketch of `item`: `made` here, or given.
fn sketch_of<'a>(made: &'a Option<DocumentSketch>, item: &'a Item) -> &'a DocumentSketch {
    match (made, item) {
        (Some(sketch), _) => sketch,
        (None, Item::Sketched(given)) => given.get().inner(),
        (None, Item::Texts(_) | Item::Text(_)) => unreachable!("texts are sketched"),
    }
}

/// Calls `work` with each item's number and the item made ready, in order; a thread of its own
/// makes them ready ahead when there are many (the thread that examines and adds is the one the
/// others wait for: it does only what needs the index).
fn for_each_prepared(
    items: &[Item],
    recipe: Recipe,
    policy: &Policy,
    mut work: impl FnMut(usize, Prepared),
) {
    let prepare = |sketcher: &mut Sketcher, item: &Item| {
        let made = match item {
            Item::Texts(blocks) => Some(DocumentSketch::with(sketcher, blocks)),
            Item::Text(text) => {
                let blocks: Vec<String> = segment(text).into_iter().map(|b| b.text).collect();
                Some(DocumentSketch::with(sketcher, &blocks))
            }
            Item::Sketched(_) => None,
        };
        let sketch = sketch_of(&made, item);
        // Its blocks' identities are made once, when first asked for: here, not on the thread
        // that holds the index.
        sketch.block_identities();
        let repeated = repeats(sketch, policy);
        Prepared { made, repeated }
    };
    if items.len() < MIN_THREADED {
        let mut sketcher = Sketcher::new(recipe);
        items.iter().enumerate().for_each(|(i, item)| work(i, prepare(&mut sketcher, item)));
        return;
    }
    let (ahead, prepared) = sync_channel(SKETCHED_AHEAD / HANDED_TOGETHER);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut sketcher = Sketcher::new(recipe);
            for chunk in items.chunks(HANDED_TOGETHER) {
                let ready: Vec<_> = chunk.iter().map(|item| prepare(&mut sketcher, item)).collect();
                if ahead.send(ready).is_err() {
                    break;
                }
            }
        });
        for (i, ready) in prepared.iter().flatten().enumerate() {
            work(i, ready);
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
                PyExamination::of(seen, &self.thresholds),
                made.map(PyDocumentSketch::wrapping),
            ))),
            None => self.finish(py).map(|()| None),
        }
    }
}
