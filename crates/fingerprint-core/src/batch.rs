//! Work on many items at once, spread over threads: signatures of many texts, and any map of
//! a slice in chunks.

use crate::{Recipe, Sketcher};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Fewer texts than this per thread are not worth a thread's start-up.
const MIN_TEXTS_PER_THREAD: usize = 64;

/// Writes the signature of `texts[i]` into row `i` of `out` (`texts.len() * num_perm` values,
/// row-major), on up to `threads` threads.
///
/// ```
/// use fingerprint_core::{sketch_many, Recipe, Sketcher};
/// let texts = ["one fish two fish", "red fish blue fish"];
/// let mut out = vec![0u32; 2 * 128];
/// sketch_many(Recipe::default(), &texts, 2, &mut out);
/// assert_eq!(out[128..], Sketcher::new(Recipe::default()).sketch(texts[1])[..]);
/// ```
pub fn sketch_many<T: AsRef<str> + Sync>(
    recipe: Recipe,
    texts: &[T],
    threads: usize,
    out: &mut [u32],
) {
    let width = recipe.num_perm();
    assert_eq!(out.len(), texts.len() * width, "out must hold one row per text");
    let threads = threads.clamp(1, texts.len().div_ceil(MIN_TEXTS_PER_THREAD).max(1));
    let rows_per_thread = texts.len().div_ceil(threads).max(1);
    let sketch_rows = |texts: &[T], out: &mut [u32]| {
        let mut sketcher = Sketcher::new(recipe);
        for (text, row) in texts.iter().zip(out.chunks_exact_mut(width)) {
            sketcher.sketch_into(text.as_ref(), row);
        }
    };
    if threads == 1 {
        sketch_rows(texts, out);
        return;
    }
    std::thread::scope(|scope| {
        let chunks = texts.chunks(rows_per_thread).zip(out.chunks_mut(rows_per_thread * width));
        for (texts, out) in chunks {
            scope.spawn(move || sketch_rows(texts, out));
        }
    });
}

/// Pieces a thread takes at a time from `map_on_threads`: small enough that threads finish
/// together when one is slowed (this machine's other tenants), large enough that taking one costs
/// nothing.
const PIECE: usize = 64;

/// `work` over each of `items`, in the items' order, on up to `threads` threads that each take the
/// next piece of items not yet taken. Each thread makes its own `state` once (a sketcher's
/// buffers, say) and works with it; one thread, or one piece, runs here.
pub fn map_on_threads<T: Sync, R: Send, S>(
    items: &[T],
    threads: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    if threads.clamp(1, items.len().div_ceil(PIECE).max(1)) == 1 {
        let mut state = state();
        return items.iter().map(|item| work(&mut state, item)).collect();
    }
    stream_on_threads(items, threads, state, work, |pieces| pieces.flatten().collect())
}

/// The results of each piece of `items`, as `map_on_threads` makes them, handed to `take` on
/// this thread in the items' order as soon as a piece and all before it are done, while the
/// threads go on with the next (always on threads of their own, so that `take`'s work overlaps
/// theirs).
pub fn stream_on_threads<T: Sync, R: Send, S, X>(
    items: &[T],
    threads: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    take: impl FnOnce(&mut InOrder<R>) -> X,
) -> X {
    let pieces: Vec<&[T]> = items.chunks(PIECE).collect();
    let threads = threads.clamp(1, pieces.len().max(1));
    let next = AtomicUsize::new(0);
    let (done, arriving) = sync_channel(4 * threads);
    let run = |done: SyncSender<(usize, Vec<R>)>| {
        let mut state = state();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else { return };
            let results = piece.iter().map(|item| work(&mut state, item)).collect();
            if done.send((i, results)).is_err() {
                return; // nobody takes them any more
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done = done.clone();
            scope.spawn(move || run(done));
        }
        // Each thread holds its own sender: should one fail, the pieces stop coming when the
        // others end, and the scope passes its panic on, rather than waiting for good.
        drop(done);
        let mut in_order =
            InOrder { arriving, early: BTreeMap::new(), due: 0, pieces: pieces.len() };
        let taken = take(&mut in_order);
        drop(in_order); // threads waiting to hand a piece over stop
        taken
    })
}

/// Pieces' results in order, from threads that finish them in any order.
pub struct InOrder<R> {
    arriving: Receiver<(usize, Vec<R>)>,
    early: BTreeMap<usize, Vec<R>>,
    due: usize,
    pieces: usize,
}

impl<R> Iterator for InOrder<R> {
    type Item = Vec<R>;

    /// Waits for the next piece's results; None when all are taken.
    fn next(&mut self) -> Option<Vec<R>> {
        if self.due == self.pieces {
            return None;
        }
        loop {
            if let Some(results) = self.early.remove(&self.due) {
                self.due += 1;
                return Some(results);
            }
            let (i, results) = self.arriving.recv().ok()?;
            self.early.insert(i, results);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_mapped_on_threads_keep_their_order_and_each_thread_its_state() {
        let items: Vec<u32> = (0..1_001).collect();
        // The state counts the items its thread has done: 1, 2, 3... within each thread.
        let counted = |done: &mut u32, x: &u32| {
            *done += 1;
            (x * 2, *done)
        };
        for threads in [1, 2, 3, 7, 5_000] {
            let found = map_on_threads(&items, threads, || 0, counted);
            let doubled: Vec<u32> = found.iter().map(|&(x, _)| x).collect();
            assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
            // Sixteen pieces of 64: a state made per piece would make sixteen.
            let states = found.iter().filter(|&&(_, done)| done == 1).count();
            assert!((1..=threads.min(16)).contains(&states), "{states} states, {threads} threads");
        }
        assert!(map_on_threads(&[] as &[u32], 4, || 0, counted).is_empty());
    }

    #[test]
    fn streamed_pieces_come_in_order_and_taking_fewer_stops_the_threads() {
        let items: Vec<u32> = (0..1_001).collect();
        let pieces: Vec<Vec<u32>> =
            stream_on_threads(&items, 3, || (), |(), &x| x + 1, |pieces| pieces.collect());
        assert_eq!(pieces.len(), 16, "pieces of 64");
        assert_eq!(pieces.concat(), (1..=1_001).collect::<Vec<u32>>());
        let first = stream_on_threads(&items, 2, || (), |(), &x| x, |pieces| pieces.next());
        assert_eq!(first, Some((0..64).collect()));
        let failing = std::panic::catch_unwind(|| {
            let work = |(): &mut (), &x: &u32| if x == 500 { panic!("item 500") } else { x };
            stream_on_threads(&items, 2, || (), work, |pieces| pieces.count())
        });
        assert!(failing.is_err(), "a failed piece fails the call rather than hang it");
    }
}
