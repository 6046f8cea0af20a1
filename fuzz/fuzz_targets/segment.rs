//! `segment` on arbitrary UTF-8: no panic, and every block is an in-order range of the input
//! on character boundaries.
#![no_main]

use fingerprint_core::segment::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut previous_end = 0;
    for block in segment(text) {
        assert!(block.start <= block.end, "block ends before it starts: {block:?}");
        assert!(block.end <= text.len(), "block past the end of the input: {block:?}");
        assert!(block.start >= previous_end, "blocks out of order or overlapping: {block:?}");
        assert!(text.is_char_boundary(block.start) && text.is_char_boundary(block.end));
        previous_end = block.end;
    }
});
