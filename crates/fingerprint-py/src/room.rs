//! Room for a large piece of work, asked for before it starts. Under a memory limit (`ulimit -v`),
//! an allocation that fails midway aborts the whole process; a reservation that fails first is a
//! `MemoryError`, which the command prints as one line (docs/reliability.md).

use pyo3::exceptions::PyMemoryError;
use pyo3::PyResult;

/// Work needing less is not checked: it cannot exhaust memory alone.
const CHECKED_FROM: usize = 64 << 20;

/// Working bytes per byte of text sketched (shingle sets and signatures; about 1.5 measured).
pub const PER_TEXT_BYTE: usize = 4;

/// Working bytes per shingle of the repeated-block search and of a comparison's block search
/// (about 48 measured on 2.8 million shingles).
pub const PER_SHINGLE: usize = 64;

/// A `MemoryError` unless `bytes` can be had now (they are given back at once).
pub fn ensure(bytes: usize) -> PyResult<()> {
    if bytes < CHECKED_FROM {
        return Ok(());
    }
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(bytes).map_err(|_| {
        PyMemoryError::new_err(format!("not enough memory: {} MiB needed", bytes >> 20))
    })
}
