//! `fingerprint.Recipe`: the named, versioned parameters of a fingerprint.

use crate::arguments::integer;
use crate::errors::recipe_error;
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use pyo3::types::PyType;

/// The parameters that make a fingerprint: recipe version, shingle size, permutations and seed.
///
/// Signatures compare only under equal recipes, and stored indexes refuse a different one.
/// `docs/spec.md` specifies version 1 bit for bit.
///
/// >>> from fingerprint import Recipe
/// >>> Recipe()
/// Recipe(version=1, shingle_size=3, num_perm=128, seed=0)
/// >>> Recipe(num_perm=64).id
/// 'v1-k3-p64-s0'
/// >>> Recipe(num_perm=0)
/// Traceback (most recent call last):
/// ...
/// ValueError: num_perm (0) must be between 1 and 8192
#[pyclass(name = "Recipe", module = "fingerprint", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyRecipe {
    pub inner: Recipe,
}

#[pymethods]
impl PyRecipe {
    #[new]
    #[pyo3(signature = (shingle_size=None, num_perm=None, seed=None, *, version=None))]
    fn new(
        shingle_size: Option<&Bound<'_, PyAny>>,
        num_perm: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let default = Recipe::default();
        let read = |name, value: Option<&Bound<'_, PyAny>>, lo, hi, default: i128| match value {
            Some(v) => integer(name, v, lo, hi),
            None => Ok(default),
        };
        let version = read("version", version, i128::MIN, i128::MAX, Recipe::VERSION.into())?;
        Recipe::check_version(u64::try_from(version).unwrap_or(u64::MAX)).map_err(recipe_error)?;
        let max_k = Recipe::MAX_SHINGLE_SIZE as i128;
        let max_p = Recipe::MAX_NUM_PERM as i128;
        let k = read("shingle_size", shingle_size, 1, max_k, default.shingle_size() as i128)?;
        let p = read("num_perm", num_perm, 1, max_p, default.num_perm() as i128)?;
        let s = read("seed", seed, 0, u64::MAX.into(), default.seed().into())?;
        let inner = Recipe::new(k as usize, p as usize, s as u64).map_err(recipe_error)?;
        Ok(Self { inner })
    }

    /// The recipe version: what normalization, tokenizer, hashes and permutations mean.
    #[getter]
    fn version(&self) -> u32 {
        Recipe::VERSION
    }

    /// Consecutive tokens per shingle.
    #[getter]
    fn shingle_size(&self) -> usize {
        self.inner.shingle_size()
    }

    /// Values per signature.
    #[getter]
    fn num_perm(&self) -> usize {
        self.inner.num_perm()
    }

    /// The seed of every hash and permutation.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// The short form stored with indexes, e.g. `v1-k3-p128-s0`.
    #[getter]
    fn id(&self) -> String {
        self.inner.id()
    }

    fn __repr__(&self) -> String {
        self.inner.to_string()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (usize, usize, u64)) {
        let r = slf.get().inner;
        (slf.get_type(), (r.shingle_size(), r.num_perm(), r.seed()))
    }
}
