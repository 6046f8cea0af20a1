//! `tokens` on arbitrary UTF-8: no panic, no empty token, and the same tokens twice.
#![no_main]

use fingerprint_core::tokens;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = tokens(text);
    assert!(found.iter().all(|t| !t.is_empty()), "an empty token in {found:?}");
    assert_eq!(found, tokens(text), "tokens differ between two calls");
});
