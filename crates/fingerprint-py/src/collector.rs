//! Python's cycle collector, paused while a call makes many result objects.
//!
//! A batch query makes a list of matches per query: a hundred thousand tracked objects, which
//! start the collector every 700, and every so often it walks every object the process holds.
//! None of these objects can form a cycle. Paused for the call, the collector runs once after it
//! instead (measured on Reuters' paragraphs: `query_many` about 13% faster on two threads, more in
//! a process holding more objects). Python's `Index.add_many` pauses it the same way, around the
//! reports it makes (`_collector_paused` in `index.py`).

use pyo3::Python;

/// Keeps the collector paused until dropped, if it was running.
pub struct CollectorPaused {
    was_running: bool,
}

impl CollectorPaused {
    pub fn new(_py: Python<'_>) -> Self {
        // SAFETY: the Python token proves the interpreter lock is held.
        let was_running = unsafe { pyo3::ffi::PyGC_Disable() } != 0;
        Self { was_running }
    }
}

impl Drop for CollectorPaused {
    fn drop(&mut self) {
        if self.was_running {
            // SAFETY: made with the lock held, and dropped in the same call, which holds it
            // again whenever it is not waiting on the core.
            unsafe {
                pyo3::ffi::PyGC_Enable();
            }
        }
    }
}
