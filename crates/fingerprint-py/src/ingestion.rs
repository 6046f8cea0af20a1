//! `fingerprint._core.Ingestion`: a batch examined and added by the index on a thread of its own,
//! its results taken in order as they come, so that Python builds one document's report while
//! the index examines the next ones.

use crate::document::PyDocumentSketch;
use crate::index::{to_python_examination, PyBlockIndex, PyExamination};
use fingerprint_core::index::Examination;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// The results of `BlockIndex.ingest`, in order: `(number, (furniture, evidence, repeated,
/// matches))` for each document. The whole batch goes in whether or not they are read.
#[pyclass(name = "Ingestion", module = "fingerprint._core", frozen)]
pub struct PyIngestion {
    results: Mutex<Receiver<(u32, Examination)>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl PyIngestion {
    /// Starts examining and adding `sketches`, each of its source, in order, under the index's
    /// write lock, held until the last is added.
    pub fn start(
        index: Py<PyBlockIndex>,
        sketches: Vec<Py<PyDocumentSketch>>,
        sources: Vec<u32>,
    ) -> Self {
        let (sender, results) = channel();
        let worker = std::thread::spawn(move || {
            let index = index.get();
            let mut inner = index.write();
            for (sketch, &source) in sketches.iter().zip(&sources) {
                let sketch = sketch.get().inner();
                let seen = inner.examine(sketch, source, index.policy());
                let number = inner.add(sketch, source, &seen.evidence);
                // Nobody reading any more is no reason to stop half way: a batch goes in whole.
                let _ = sender.send((number, seen));
            }
        });
        Self { results: Mutex::new(results), worker: Mutex::new(Some(worker)) }
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

#[pymethods]
impl PyIngestion {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<(u32, PyExamination)>> {
        let next = py.detach(|| self.results.lock().unwrap_or_else(|p| p.into_inner()).recv());
        match next {
            Ok((number, seen)) => Ok(Some((number, to_python_examination(seen)))),
            Err(_) => self.finish(py).map(|()| None),
        }
    }
}
