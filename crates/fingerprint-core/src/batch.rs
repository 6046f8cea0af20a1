//! Work on many items at once, spread over threads: signatures of many texts, and any map of
//! a slice in chunks.

use crate::{Recipe, Sketcher};

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
    let pieces: Vec<&[T]> = items.chunks(PIECE).collect();
    let threads = threads.clamp(1, pieces.len().max(1));
    if threads == 1 {
        let mut state = state();
        return items.iter().map(|item| work(&mut state, item)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut state = state();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else { return done };
            done.push((i, piece.iter().map(|item| work(&mut state, item)).collect::<Vec<R>>()));
        }
    };
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(take)).collect();
        handles.into_iter().flat_map(|h| h.join().expect("a piece's work does not panic")).collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().flat_map(|(_, results)| results).collect()
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
}
