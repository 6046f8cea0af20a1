//! Many texts to signatures, with reading the Python strings overlapped with sketching them.
//!
//! Reading a `str` needs the Python lock; sketching does not. So this thread reads the texts
//! chunk by chunk while worker threads sketch the chunks already read, and then releases the
//! lock and sketches alongside them.

use crate::arguments;
use fingerprint_core::{Recipe, Sketcher};
use pyo3::prelude::*;
use std::borrow::Cow;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;

/// Texts per chunk handed to a worker.
const CHUNK: usize = 1024;

type Chunk<'a> = (Vec<Cow<'a, str>>, &'a mut [u32]);

/// Writes the signature of `items[i]` (each a `str`) into row `i` of `out`, on `threads` threads.
pub fn sketch_rows<'a>(
    py: Python<'_>,
    recipe: Recipe,
    threads: usize,
    items: &'a [Bound<'_, PyAny>],
    out: &'a mut [u32],
) -> PyResult<()> {
    let width = recipe.num_perm();
    let workers = threads.min(items.len().div_ceil(CHUNK)).saturating_sub(1);
    if workers == 0 {
        let texts = items.iter().enumerate().map(|(i, t)| arguments::text_at(i, t));
        let texts = texts.collect::<PyResult<Vec<_>>>()?;
        py.detach(|| fingerprint_core::sketch_many(recipe, &texts, 1, out));
        return Ok(());
    }
    let (sender, receiver) = channel::<Chunk<'a>>();
    let receiver = Mutex::new(receiver);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| sketch_chunks(recipe, &receiver));
        }
        let mut read = Ok(());
        let chunks = items.chunks(CHUNK).zip(out.chunks_mut(CHUNK * width));
        for (n, (texts, rows)) in chunks.enumerate() {
            let first = n * CHUNK;
            let texts = texts.iter().enumerate().map(|(i, t)| arguments::text_at(first + i, t));
            match texts.collect::<PyResult<Vec<_>>>() {
                Ok(texts) => sender.send((texts, rows)).expect("workers outlive the sender"),
                Err(error) => {
                    read = Err(error);
                    break;
                }
            }
        }
        drop(sender);
        py.detach(|| sketch_chunks(recipe, &receiver));
        read
    })
}

/// Sketches chunks until the channel closes.
fn sketch_chunks(recipe: Recipe, receiver: &Mutex<Receiver<Chunk<'_>>>) {
    let mut sketcher = Sketcher::new(recipe);
    loop {
        let next = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok((texts, rows)) = next else { return };
        for (text, row) in texts.iter().zip(rows.chunks_exact_mut(recipe.num_perm())) {
            sketcher.sketch_into(text, row);
        }
    }
}
