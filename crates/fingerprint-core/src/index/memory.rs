//! How the index asks the machine for memory: cache lines loaded ahead of use, huge pages for
//! large tables read at random, and freed pages handed back.

/// Asks the processor to start loading `at`'s cache line; a hint, never a fault.
#[inline(always)]
pub fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch does not access memory; any address is allowed, even a dangling one.
    unsafe {
        std::arch::x86_64::_mm_prefetch(at.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Asks for the memory under `v`'s room to be backed by huge pages: random lookups into a large
/// table then miss the TLB far less often. A hint; best given before the room is first written.
pub fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = v.as_ptr() as usize;
        let end = start + v.capacity() * std::mem::size_of::<T>();
        let (first, last) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
        if last > first {
            // SAFETY: madvise with MADV_HUGEPAGE changes no contents, only how pages are backed,
            // and the range lies inside the vector's allocation.
            unsafe {
                libc::madvise(first as *mut libc::c_void, last - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Hands the pages of freed memory back to the system. A merge frees the old run and the arena;
/// glibc's malloc keeps such room inside the heap, where the process holds it for good (measured:
/// about 150 bytes per block more resident memory than the index uses, benchmarks/index.py).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages; it touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes room in `v` for `more` elements, growing it by an eighth when it is full: a vector that
/// doubles may hold twice the room it uses, for good when it only ever grows.
pub fn reserve<T>(v: &mut Vec<T>, more: usize) {
    if v.len() + more > v.capacity() {
        v.reserve_exact(more.max(v.len() / 8));
    }
}

/// Keeps glibc's malloc from serving large allocations from its heaps. By default, freeing a large
/// mapped block (a merge frees the run of postings it replaces) raises the size below which malloc
/// serves from its heaps, up to 32 MB; the index's long-lived arrays then grow inside the heaps of
/// the threads that ingest (one per thread), where the room they leave behind stays resident
/// (measured: about 130 bytes per block of resident memory, `benchmarks/index.py`). Fixed at
/// glibc's default, 128 KiB, every large allocation is mapped on its own and given back whole when
/// freed (measured: no slower). A process-wide setting, made once, by the first index.
pub fn map_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only changes malloc's policy for allocations made from now on.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        });
    }
}
