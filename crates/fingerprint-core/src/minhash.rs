//! Step 5 of the recipe: MinHash by `num_perm` 32-bit affine permutations, and Jaccard estimates.

/// Every value of the empty signature (the signature of a set with no shingle).
pub const EMPTY_VALUE: u32 = u32::MAX;

/// The permutations `h_i(x) = a_i * x + b_i mod 2^32` of one recipe, drawn from SplitMix64.
#[derive(Clone, Debug)]
pub struct Permutations {
    a: Vec<u32>,
    b: Vec<u32>,
    update: UpdateFn,
}

type UpdateFn = fn(&[u32], &[u32], &mut [u32], &[u32]);

/// SplitMix64, the generator of the permutation parameters.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Permutations {
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        let (mut a, mut b) = (Vec::with_capacity(num_perm), Vec::with_capacity(num_perm));
        for _ in 0..num_perm {
            a.push(rng.next() as u32 | 1);
            b.push(rng.next() as u32);
        }
        Self { a, b, update: best_update() }
    }

    pub fn len(&self) -> usize {
        self.a.len()
    }

    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }

    /// The parameters `(a_i, b_i)`, for inspection and tests.
    pub fn params(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.a.iter().copied().zip(self.b.iter().copied())
    }

    /// Lowers `mins[i]` to `h_i(x)` for every `x` in `xs`: adds the shingles to a signature.
    pub fn update(&self, mins: &mut [u32], xs: &[u32]) {
        assert_eq!(mins.len(), self.a.len(), "signature length must equal num_perm");
        (self.update)(&self.a, &self.b, mins, xs);
    }
}

/// Permutations per block of the inner loop: the block's minima stay in vector registers while
/// every shingle passes through them.
const LANES: usize = 32;

#[inline(always)]
fn update_portable(a: &[u32], b: &[u32], mins: &mut [u32], xs: &[u32]) {
    let mut blocks = mins.chunks_exact_mut(LANES);
    let (mut a_blocks, mut b_blocks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    for ((m, a), b) in blocks.by_ref().zip(a_blocks.by_ref()).zip(b_blocks.by_ref()) {
        let mut acc: [u32; LANES] = m.try_into().expect("block of LANES");
        let a: &[u32; LANES] = a.try_into().expect("block of LANES");
        let b: &[u32; LANES] = b.try_into().expect("block of LANES");
        for &x in xs {
            for j in 0..LANES {
                acc[j] = acc[j].min(a[j].wrapping_mul(x).wrapping_add(b[j]));
            }
        }
        m.copy_from_slice(&acc);
    }
    let tail = blocks.into_remainder();
    let (a, b) = (a_blocks.remainder(), b_blocks.remainder());
    for &x in xs {
        for ((m, &a), &b) in tail.iter_mut().zip(a).zip(b) {
            *m = (*m).min(a.wrapping_mul(x).wrapping_add(b));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn update_avx2(a: &[u32], b: &[u32], mins: &mut [u32], xs: &[u32]) {
    update_portable(a, b, mins, xs);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn update_avx512(a: &[u32], b: &[u32], mins: &mut [u32], xs: &[u32]) {
    update_portable(a, b, mins, xs);
}

/// The same loop compiled for the widest vectors this CPU has, chosen once per `Permutations`.
fn best_update() -> UpdateFn {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: only called after the CPU reported AVX-512F.
            return |a, b, m, x| unsafe { update_avx512(a, b, m, x) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: only called after the CPU reported AVX2.
            return |a, b, m, x| unsafe { update_avx2(a, b, m, x) };
        }
    }
    |a, b, m, x| update_portable(a, b, m, x)
}

/// Whether a signature is the empty signature (of a set with no shingle).
pub fn is_empty(signature: &[u32]) -> bool {
    signature.iter().all(|&v| v == EMPTY_VALUE)
}

/// The fraction of equal positions: an unbiased estimate of the Jaccard similarity of the two
/// shingle sets. An empty signature matches nothing, not even another empty one.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "signatures must have the same length");
    if a.is_empty() || is_empty(a) || is_empty(b) {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_are_odd_and_prefixes_agree() {
        let p128 = Permutations::new(128, 7);
        let p64 = Permutations::new(64, 7);
        assert!(p128.params().all(|(a, _)| a % 2 == 1));
        assert!(p128.params().take(64).eq(p64.params()));
    }

    #[test]
    fn vectorized_update_equals_the_scalar_definition() {
        for num_perm in [1, 31, 32, 33, 128, 200] {
            let perms = Permutations::new(num_perm, 99);
            let xs: Vec<u32> = (0..50u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
            let mut mins = vec![EMPTY_VALUE; num_perm];
            perms.update(&mut mins, &xs);
            let expected: Vec<u32> = perms
                .params()
                .map(|(a, b)| xs.iter().map(|&x| a.wrapping_mul(x).wrapping_add(b)).min().unwrap())
                .collect();
            assert_eq!(mins, expected);
        }
    }

    #[test]
    fn empty_signatures_match_nothing() {
        let empty = vec![EMPTY_VALUE; 4];
        assert_eq!(jaccard(&empty, &empty), 0.0);
        assert_eq!(jaccard(&[1, 2, 3, 4], &[1, 2, 0, 0]), 0.5);
    }
}
