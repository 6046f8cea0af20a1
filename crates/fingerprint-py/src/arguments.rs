//! Reading arguments from Python: texts, recipes, integer parameters, with errors that name them.

use crate::errors::{bad_value, wrong_type};
use crate::recipe::PyRecipe;
use fingerprint_core::Recipe;
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyString};
use std::borrow::Cow;

/// The UTF-8 of the `str` argument `name`. Lone surrogates, which UTF-8 cannot hold, become
/// U+FFFD (a separator).
pub fn text<'a>(name: &str, value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    utf8(value).ok_or_else(|| wrong_type(name, "str", value))
}

/// The UTF-8 of `texts[index]`; the name is only formatted for an error.
pub fn text_at<'a>(index: usize, value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    utf8(value).ok_or_else(|| wrong_type(&format!("texts[{index}]"), "str", value))
}

fn utf8<'a>(value: &'a Bound<'_, PyAny>) -> Option<Cow<'a, str>> {
    let string = value.cast::<PyString>().ok()?;
    Some(match string.to_str() {
        Ok(utf8) => Cow::Borrowed(utf8),
        Err(_) => Cow::Owned(string.to_string_lossy().into_owned()),
    })
}

/// An integer argument, which must lie in `lo..=hi`.
pub fn integer(name: &str, value: &Bound<'_, PyAny>, lo: i128, hi: i128) -> PyResult<i128> {
    if !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(name, "int", value));
    }
    match value.extract::<i128>() {
        Ok(number) if (lo..=hi).contains(&number) => Ok(number),
        _ => Err(bad_value(name, value, &format!("must be between {lo} and {hi}"))),
    }
}

/// `recipe=None` means the default recipe.
pub fn recipe(value: Option<&Bound<'_, PyAny>>) -> PyResult<Recipe> {
    match value {
        None => Ok(Recipe::default()),
        Some(v) if v.is_none() => Ok(Recipe::default()),
        Some(v) => v
            .cast::<PyRecipe>()
            .map(|r| r.get().inner)
            .map_err(|_| wrong_type("recipe", "a fingerprint.Recipe or None", v)),
    }
}

/// `threads=None` means every core the process may use.
pub fn threads(value: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    match value {
        Some(v) if !v.is_none() => {
            let n: i128 = v.extract().map_err(|_| wrong_type("threads", "int or None", v))?;
            if n < 1 {
                return Err(bad_value("threads", n, "must be positive"));
            }
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        }
        _ => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}
