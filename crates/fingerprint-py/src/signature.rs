//! `fingerprint.Signature`: the MinHash signature of one text, with the recipe that made it.

use crate::arguments;
use crate::errors::bad_value;
use crate::recipe::PyRecipe;
use fingerprint_core::{jaccard, Recipe};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyImportError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyType;

/// The MinHash signature of a text: `num_perm` unsigned 32-bit values and the recipe that made them.
///
/// >>> import fingerprint
/// >>> a = fingerprint.sketch("The quick brown fox jumps over the lazy dog.")
/// >>> b = fingerprint.sketch("The quick brown fox jumped over the lazy dog!")
/// >>> len(a), a.hashvalues.dtype.name
/// (128, 'uint32')
/// >>> 0.3 < a.jaccard(b) < 0.7
/// True
/// >>> a == fingerprint.sketch("the QUICK brown fox -- jumps over the lazy dog")
/// True
/// >>> fingerprint.sketch("").jaccard(fingerprint.sketch(""))
/// 0.0
#[pyclass(name = "Signature", module = "fingerprint", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PySignature {
    pub recipe: Recipe,
    pub values: Vec<u32>,
}

#[pymethods]
impl PySignature {
    /// A signature from stored values (as `hashvalues` gave them) and their recipe.
    #[new]
    #[pyo3(signature = (hashvalues, recipe=None))]
    fn new(hashvalues: &Bound<'_, PyAny>, recipe: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let recipe = arguments::recipe(recipe)?;
        let values: Vec<u32> = match hashvalues.extract::<PyReadonlyArray1<'_, u32>>() {
            Ok(array) => array.as_slice()?.to_vec(),
            Err(_) => hashvalues.extract().map_err(|_| {
                crate::errors::wrong_type("hashvalues", "a sequence of uint32 values", hashvalues)
            })?,
        };
        if values.len() != recipe.num_perm() {
            let rule = format!("must hold num_perm ({}) values", recipe.num_perm());
            return Err(bad_value("len(hashvalues)", values.len(), &rule));
        }
        Ok(Self { recipe, values })
    }

    /// The recipe that made this signature.
    #[getter]
    fn recipe(&self) -> PyRecipe {
        PyRecipe { inner: self.recipe }
    }

    /// The values, as a new `numpy.ndarray` of `uint32`.
    #[getter]
    fn hashvalues<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, &self.values)
    }

    /// Whether this is the signature of a text with no token, which matches nothing.
    #[getter]
    fn is_empty(&self) -> bool {
        fingerprint_core::is_empty(&self.values)
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets, from 0.0 to 1.0.
    ///
    /// Raises `ValueError` when the two signatures were made by different recipes.
    fn jaccard(&self, other: &Bound<'_, PyAny>) -> PyResult<f64> {
        let other = other
            .cast::<PySignature>()
            .map_err(|_| crate::errors::wrong_type("other", "a fingerprint.Signature", other))?
            .get();
        if self.recipe != other.recipe {
            return Err(crate::errors::recipe_mismatch("signatures", self.recipe, other.recipe));
        }
        Ok(jaccard(&self.values, &other.values))
    }

    /// This signature as a datasketch `LeanMinHash`, for datasketch's `MinHashLSH` and friends.
    ///
    /// Our permutations are datasketch's "affine32" kind (`a * x + b mod 2^32`), so the values go
    /// across unchanged. Compare them only with other `to_datasketch()` signatures of the same
    /// recipe: datasketch's own sketches of the same text hash it differently. The empty
    /// signature cannot be converted: in datasketch it would match every other empty signature.
    fn to_datasketch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if fingerprint_core::is_empty(&self.values) {
            return Err(PyValueError::new_err(
                "the empty signature (of a text with no token) has no datasketch equivalent: \
                 it would match every other empty signature",
            ));
        }
        let datasketch = py.import("datasketch").map_err(|_| {
            PyImportError::new_err("to_datasketch() needs datasketch: pip install datasketch")
        })?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("seed", self.recipe.seed())?;
        kwargs.set_item("hashvalues", self.hashvalues(py))?;
        kwargs.set_item("scheme", "affine32")?;
        datasketch.getattr("LeanMinHash")?.call((), Some(&kwargs))
    }

    fn __len__(&self) -> usize {
        self.values.len()
    }

    fn __repr__(&self) -> String {
        format!("Signature(num_perm={}, recipe='{}')", self.values.len(), self.recipe.id())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, PyType>, (Bound<'py, PyArray1<u32>>, PyRecipe)) {
        let this = slf.get();
        (slf.get_type(), (this.hashvalues(slf.py()), this.recipe()))
    }
}
