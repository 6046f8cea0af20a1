//! `verdict::compare` of two documents built from the input: the bytes before the first NUL are
//! article a, the rest article b (the halves when there is no NUL), each read as UTF-8 (lossily)
//! and cut into blocks by `segment`. Checked: the counts and coverages are in range, aligned
//! pairs name real blocks, and comparing b with a gives the same figures swapped.
#![no_main]

use fingerprint_core::document::DocumentSketch;
use fingerprint_core::segment::segment;
use fingerprint_core::verdict::{compare, Thresholds};
use fingerprint_core::Recipe;
use libfuzzer_sys::fuzz_target;

fn document(bytes: &[u8]) -> DocumentSketch {
    let text = String::from_utf8_lossy(bytes);
    let blocks: Vec<String> = segment(&text).into_iter().map(|b| b.text).collect();
    DocumentSketch::new(Recipe::default(), &blocks)
}

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => data.split_at(data.len() / 2),
    };
    let (a, b) = (document(a), document(b));
    let t = Thresholds::default();
    let (ab, ba) = match (compare(&a, &b, &t), compare(&b, &a, &t)) {
        (Ok(ab), Ok(ba)) => (ab, ba),
        // Past the limit of aligned pairs one way, past it the other way too.
        (Err(_), Err(_)) => return,
        (ab, ba) => panic!("one way within the limit, not the other: {ab:?} {ba:?}"),
    };
    assert!(ab.shared <= ab.size_a.min(ab.size_b), "{ab:?}");
    assert_eq!((ab.size_a, ab.size_b), (a.union().len(), b.union().len()));
    let al = &ab.alignment;
    assert!((0.0..=1.0).contains(&al.coverage_a) && (0.0..=1.0).contains(&al.coverage_b));
    for p in &al.pairs {
        assert!((p.a as usize) < a.len() && (p.b as usize) < b.len(), "{p:?}");
        for x in [p.similarity, p.a_in_b, p.b_in_a] {
            assert!((0.0..=1.0).contains(&x), "{p:?}");
        }
    }
    assert_eq!((ba.shared, ba.size_a, ba.size_b), (ab.shared, ab.size_b, ab.size_a));
    assert_eq!(ba.alignment.pairs.len(), al.pairs.len());
    assert_eq!((ba.alignment.coverage_a, ba.alignment.coverage_b), (al.coverage_b, al.coverage_a));
});
