//! The module's functions: raw text to tokens, shingles and signatures.

use crate::arguments;
use crate::errors::wrong_type;
use crate::signature::PySignature;
use fingerprint_core::shingle::shingles as token_shingles;
use fingerprint_core::{Recipe, Sketcher};
use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

/// The MinHash signature of `text` under `recipe` (the default recipe when None).
///
/// >>> import fingerprint
/// >>> sig = fingerprint.sketch("Security forces say they've killed dozens of protesters.")
/// >>> sig
/// Signature(num_perm=128, recipe='v1-k3-p128-s0')
/// >>> fingerprint.sketch(b"bytes")
/// Traceback (most recent call last):
/// ...
/// TypeError: text must be str, not bytes
#[pyfunction]
#[pyo3(signature = (text, recipe=None))]
pub fn sketch(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    recipe: Option<&Bound<'_, PyAny>>,
) -> PyResult<PySignature> {
    let recipe = arguments::recipe(recipe)?;
    let text = arguments::text("text", text)?;
    let values = py.detach(|| Sketcher::new(recipe).sketch(&text));
    Ok(PySignature { recipe, values })
}

/// The signatures of many texts, as one `numpy.ndarray` of shape `(len(texts), num_perm)`.
///
/// One call into Rust for the whole batch; the Python lock is released and the texts are spread
/// over `threads` threads (all cores when None). Row `i` equals `sketch(texts[i]).hashvalues`.
///
/// >>> import fingerprint
/// >>> rows = fingerprint.sketch_many(["first paragraph", "second paragraph"], threads=2)
/// >>> rows.shape, rows.dtype.name
/// ((2, 128), 'uint32')
/// >>> bool((rows[1] == fingerprint.sketch("second paragraph").hashvalues).all())
/// True
#[pyfunction]
#[pyo3(signature = (texts, recipe=None, threads=None))]
pub fn sketch_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    recipe: Option<&Bound<'py, PyAny>>,
    threads: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyArray2<u32>>> {
    let recipe = arguments::recipe(recipe)?;
    let threads = arguments::threads(threads)?;
    if texts.is_instance_of::<PyString>() {
        return Err(wrong_type("texts", "an iterable of str", texts));
    }
    let items: Vec<Bound<'py, PyAny>> = texts
        .try_iter()
        .map_err(|_| wrong_type("texts", "an iterable of str", texts))?
        .collect::<PyResult<_>>()?;
    let width = recipe.num_perm();
    // A Rust allocation, not numpy's: numpy asks for huge pages on large arrays, and faulting
    // those in can stall for compaction in a process with a fragmented heap.
    let mut out = vec![0u32; items.len() * width];
    crate::batch::sketch_rows(py, recipe, threads, &items, &mut out)?;
    PyArray1::from_vec(py, out).reshape([items.len(), width])
}

/// The tokens of `text`: normalized words, as the recipe sees them.
///
/// >>> import fingerprint
/// >>> fingerprint.tokens("They’ve met Nazarbayev's aides -- in ALMATY.")
/// ["they've", 'met', "nazarbayev's", 'aides', 'in', 'almaty']
#[pyfunction]
pub fn tokens(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let text = arguments::text("text", text)?;
    Ok(py.detach(|| fingerprint_core::tokens(&text)))
}

/// The shingles of `text`, as tuples of `shingle_size` tokens, in order.
///
/// >>> import fingerprint
/// >>> fingerprint.shingles("one two three four")
/// [('one', 'two', 'three'), ('two', 'three', 'four')]
/// >>> fingerprint.shingles("Breaking news")
/// [('breaking', 'news')]
#[pyfunction]
#[pyo3(signature = (text, recipe=None))]
pub fn shingles<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    recipe: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyTuple>>> {
    let recipe: Recipe = arguments::recipe(recipe)?;
    let text = arguments::text("text", text)?;
    let tokens = py.detach(|| fingerprint_core::tokens(&text));
    token_shingles(&tokens, recipe.shingle_size()).map(|w| PyTuple::new(py, w)).collect()
}

/// The 64-bit hashes of the shingles of `text`, in order, as a `numpy.ndarray` of `uint64`.
///
/// >>> import fingerprint
/// >>> fingerprint.shingle_hashes("one two three four").shape
/// (2,)
#[pyfunction]
#[pyo3(signature = (text, recipe=None))]
pub fn shingle_hashes<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    recipe: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    let recipe = arguments::recipe(recipe)?;
    let text = arguments::text("text", text)?;
    let hashes = py.detach(|| Sketcher::new(recipe).shingle_hashes(&text));
    Ok(PyArray1::from_vec(py, hashes))
}
