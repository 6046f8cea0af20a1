//! How the index asks the machine for memory: cache lines loaded ahead of use, and huge pages
//! for large tables read at random. Nothing here changes the process's allocator.

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

/// Makes room in `v` for `more` elements, growing it by an eighth when it is full: a vector that
/// doubles may hold twice the room it uses, for good when it only ever grows.
pub fn reserve<T>(v: &mut Vec<T>, more: usize) {
    if v.len() + more > v.capacity() {
        v.reserve_exact(more.max(v.len() / 8));
    }
}
