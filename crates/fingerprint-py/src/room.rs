//! Room for a large piece of work, asked for before it starts. Under a memory limit (`ulimit -v`),
//! an allocation that fails midway aborts the whole process; a reservation that fails first is a
//! `MemoryError`, which the command prints as one line (docs/reliability.md).

use pyo3::exceptions::PyMemoryError;
use pyo3::PyResult;

/// Work needing less is not checked: it cannot exhaust memory alone.
const CHECKED_FROM: usize = 8 << 20;

/// Working bytes per byte of text sketched (shingle sets and signatures; about 1.5 measured).
pub const PER_TEXT_BYTE: usize = 4;

/// Working bytes per shingle of the repeated-block search and of a comparison's block search
/// (about 48 measured on 2.8 million shingles).
pub const PER_SHINGLE: usize = 64;

/// A `MemoryError` unless `bytes` can be had now (they are given back at once).
pub fn ensure(bytes: usize) -> PyResult<()> {
    if bytes < CHECKED_FROM || available(bytes) {
        return Ok(());
    }
    Err(PyMemoryError::new_err(format!("not enough memory: {} MiB needed", bytes >> 20)))
}

/// Whether `bytes` of address space can be mapped now. Mapped straight from the kernel, never
/// touched and unmapped at once: the process's allocator is left as it was.
#[cfg(unix)]
fn available(bytes: usize) -> bool {
    use libc::{mmap, munmap, MAP_ANONYMOUS, MAP_FAILED, MAP_NORESERVE, MAP_PRIVATE, PROT_NONE};
    let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing, unmapped at
    // once; nothing reads or writes it.
    unsafe {
        let at = mmap(std::ptr::null_mut(), bytes, PROT_NONE, flags, -1, 0);
        if at == MAP_FAILED {
            return false;
        }
        munmap(at, bytes);
    }
    true
}

#[cfg(not(unix))]
fn available(bytes: usize) -> bool {
    Vec::<u8>::new().try_reserve_exact(bytes).is_ok()
}
