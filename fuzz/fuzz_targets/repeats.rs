//! `repeated_groups` on blocks built from the input, checked against a brute-force search.
//!
//! The first byte picks the threshold (1/20 to 20/20); the rest is cut into blocks at 0xFF, each
//! byte of a block one shingle out of 64 (so that blocks share shingles often), each set sorted
//! and distinct as a document's are. Up to 96 blocks, the groups must be exactly the connected
//! components (of two or more) of the pairs of non-empty blocks whose Jaccard reaches the
//! threshold; larger inputs are only run.
#![no_main]

use fingerprint_core::align::repeated_groups;
use libfuzzer_sys::fuzz_target;

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn brute_force(blocks: &[Vec<u64>], threshold: f64) -> Vec<Vec<usize>> {
    let n = blocks.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&blocks[i], &blocks[j]);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let shared = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            let jaccard = shared as f64 / (a.len() + b.len() - shared) as f64;
            if jaccard >= threshold {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = root(&mut parent, i);
        groups[r].push(i);
    }
    groups.retain(|g| g.len() > 1);
    groups
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let threshold = f64::from(first % 20 + 1) / 20.0;
    let blocks: Vec<Vec<u64>> = rest
        .split(|&b| b == 0xFF)
        .map(|block| {
            let mut set: Vec<u64> = block
                .iter()
                .map(|&b| u64::from(b % 64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    let groups = repeated_groups(&blocks, threshold);
    for group in &groups {
        assert!(group.len() > 1, "a singleton group: {groups:?}");
        assert!(group.windows(2).all(|w| w[0] < w[1]), "a group out of order: {groups:?}");
        assert!(group.iter().all(|&i| i < blocks.len() && !blocks[i].is_empty()));
    }
    if blocks.len() <= 96 {
        assert_eq!(groups, brute_force(&blocks, threshold), "blocks {blocks:?} at {threshold}");
    }
});
