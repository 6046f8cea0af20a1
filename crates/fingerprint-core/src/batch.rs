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

/// `work` over `items` cut into up to `threads` chunks of about equal size, each on its own
/// thread, the results in the items' order. One thread, or one item, runs here.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return work(items);
    }
    let per_thread = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(per_thread).map(|chunk| scope.spawn(move || work(chunk))).collect();
        handles.into_iter().flat_map(|h| h.join().expect("a chunk's work does not panic")).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_mapped_on_threads_keep_the_items_order() {
        let items: Vec<u32> = (0..1_001).collect();
        let double = |chunk: &[u32]| chunk.iter().map(|x| x * 2).collect::<Vec<_>>();
        for threads in [1, 2, 3, 7, 5_000] {
            assert_eq!(map_chunks(&items, threads, double), double(&items));
        }
        assert!(map_chunks(&[] as &[u32], 4, double).is_empty());
    }
}
