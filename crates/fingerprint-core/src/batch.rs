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

/// Pieces a thread takes at a time from `map_chunks`: small enough that threads finish together
/// when one is slowed (this machine's other tenants), large enough that taking one costs nothing.
const PIECE: usize = 64;

/// `work` over `items` cut into pieces, on up to `threads` threads that each take the next piece
/// not yet taken, the results in the items' order. One thread, or one piece, runs here.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let pieces: Vec<&[T]> = items.chunks(PIECE).collect();
    let threads = threads.clamp(1, pieces.len().max(1));
    if threads == 1 {
        return work(items);
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else { return done };
            done.push((i, work(piece)));
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
    fn pieces_mapped_on_threads_keep_the_items_order() {
        let items: Vec<u32> = (0..1_001).collect();
        let double = |chunk: &[u32]| chunk.iter().map(|x| x * 2).collect::<Vec<_>>();
        for threads in [1, 2, 3, 7, 5_000] {
            assert_eq!(map_chunks(&items, threads, double), double(&items));
        }
        assert!(map_chunks(&[] as &[u32], 4, double).is_empty());
    }
}
