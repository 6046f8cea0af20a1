//! Core errors as Python exceptions: one place that decides which exception a failure raises.

use fingerprint_core::align::TooManyPairs;
use fingerprint_core::{Recipe, RecipeError};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A recipe parameter out of range is a `ValueError` naming the parameter and its value.
pub fn recipe_error(err: RecipeError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// An argument of the wrong type: `text must be str, not int`.
pub fn wrong_type(name: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    let actual = value.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
    PyTypeError::new_err(format!("{name} must be {expected}, not {actual}"))
}

/// An argument of the right type but a wrong value: `threads (0) must be positive`.
pub fn bad_value(name: &str, value: impl std::fmt::Display, rule: &str) -> PyErr {
    PyValueError::new_err(format!("{name} ({value}) {rule}"))
}

/// Two things made by different recipes cannot be compared: the message names both recipes.
pub fn recipe_mismatch(what: &str, a: Recipe, b: Recipe) -> PyErr {
    PyValueError::new_err(format!(
        "{what} of different recipes cannot be compared: {} and {}",
        a.id(),
        b.id()
    ))
}

/// A comparison past its limit of aligned pairs: `fingerprint.errors.InputError` (the inputs,
/// not the call, are at fault), one line like the other input limits.
pub fn too_many_pairs(err: TooManyPairs) -> PyErr {
    let message = format!("{err} (docs/reliability.md)");
    Python::attach(|py| {
        py.import("fingerprint.errors")
            .and_then(|errors| errors.getattr("InputError"))
            .and_then(|class| class.call1((message.clone(),)))
            .map_or_else(|_| PyValueError::new_err(message.clone()), PyErr::from_value)
    })
}
