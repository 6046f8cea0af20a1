//! Step 4 of the recipe: token hashes, and shingle hashes over windows of them.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// `xxh3_64(utf8(token), seed)`.
pub fn token_hash(token: &str, seed: u64) -> u64 {
    xxh3_64_with_seed(token.as_bytes(), seed)
}

/// `xxh3_64` of the token hashes as consecutive little-endian u64s.
#[cfg(target_endian = "little")]
pub fn shingle_hash(token_hashes: &[u64], seed: u64) -> u64 {
    // In memory, a little-endian machine's u64s already are the bytes the recipe hashes.
    xxh3_64_with_seed(bytemuck::cast_slice(token_hashes), seed)
}

/// `xxh3_64` of the token hashes as consecutive little-endian u64s.
#[cfg(target_endian = "big")]
pub fn shingle_hash(token_hashes: &[u64], seed: u64) -> u64 {
    let bytes: Vec<u8> = token_hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
    xxh3_64_with_seed(&bytes, seed)
}

/// The shingles of a token sequence: windows of `shingle_size` consecutive tokens, in order.
///
/// Fewer tokens than `shingle_size` (but at least one) make one shingle of all of them; no token
/// makes no shingle.
pub fn shingles<T>(tokens: &[T], shingle_size: usize) -> std::slice::Windows<'_, T> {
    // `windows` panics on 0; an empty sequence yields no window of any width.
    tokens.windows(shingle_size.min(tokens.len()).max(1))
}

/// Calls `emit` with the hash of each shingle of the token hashes, in order.
pub fn for_each_shingle_hash(
    token_hashes: &[u64],
    shingle_size: usize,
    seed: u64,
    mut emit: impl FnMut(u64),
) {
    for window in shingles(token_hashes, shingle_size) {
        emit(shingle_hash(window, seed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(n: u64) -> Vec<u64> {
        (0..n).map(|i| i * 7919).collect()
    }

    #[test]
    fn window_counts_follow_the_short_block_rule() {
        let count = |n, k| {
            let mut c = 0;
            for_each_shingle_hash(&hashes(n), k, 0, |_| c += 1);
            c
        };
        assert_eq!(count(0, 3), 0);
        assert_eq!(count(1, 3), 1);
        assert_eq!(count(2, 3), 1);
        assert_eq!(count(3, 3), 1);
        assert_eq!(count(10, 3), 8);
    }

    #[test]
    fn short_blocks_do_not_collide() {
        let one = shingle_hash(&hashes(1), 0);
        let two = shingle_hash(&hashes(2), 0);
        assert_ne!(one, two);
        assert_eq!(shingle_hash(&[token_hash("a", 0)], 0), shingle_hash(&[token_hash("a", 0)], 0));
        assert_ne!(shingle_hash(&[token_hash("a", 0)], 0), shingle_hash(&[token_hash("b", 0)], 0));
    }
}
