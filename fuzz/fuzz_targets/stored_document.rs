//! `DocumentSketch::decode` on arbitrary bytes: no panic, and what decodes encodes back to the
//! same bytes.
#![no_main]

use fingerprint_core::{document::DocumentSketch, Recipe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some(doc) = DocumentSketch::decode(Recipe::default(), bytes) {
        assert_eq!(doc.encode(), bytes, "decode then encode changed the bytes");
        let blocks: usize = doc.block_shingles().iter().map(|s| 4 + 8 * s.len()).sum();
        assert_eq!(blocks, bytes.len());
    }
});
