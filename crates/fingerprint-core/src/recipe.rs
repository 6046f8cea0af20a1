//! The recipe: every parameter that changes a fingerprint, named and versioned.

use std::fmt;

/// The parameters of a fingerprint (`docs/spec.md`). Signatures compare only under equal recipes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Recipe {
    shingle_size: usize,
    num_perm: usize,
    seed: u64,
}

/// A recipe parameter out of its range; the message names the parameter and echoes the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecipeError {
    Version(u64),
    ShingleSize(usize),
    NumPerm(usize),
}

impl Recipe {
    /// The recipe version this build implements.
    pub const VERSION: u32 = 1;
    pub const MAX_SHINGLE_SIZE: usize = 64;
    pub const MAX_NUM_PERM: usize = 8192;

    pub fn new(shingle_size: usize, num_perm: usize, seed: u64) -> Result<Self, RecipeError> {
        if !(1..=Self::MAX_SHINGLE_SIZE).contains(&shingle_size) {
            return Err(RecipeError::ShingleSize(shingle_size));
        }
        if !(1..=Self::MAX_NUM_PERM).contains(&num_perm) {
            return Err(RecipeError::NumPerm(num_perm));
        }
        Ok(Self { shingle_size, num_perm, seed })
    }

    /// Checks a requested version against the one this build implements.
    pub fn check_version(version: u64) -> Result<(), RecipeError> {
        if version == u64::from(Self::VERSION) {
            Ok(())
        } else {
            Err(RecipeError::Version(version))
        }
    }

    pub fn shingle_size(&self) -> usize {
        self.shingle_size
    }

    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The short form stored with indexes, e.g. `v1-k3-p128-s0`.
    pub fn id(&self) -> String {
        format!("v{}-k{}-p{}-s{}", Self::VERSION, self.shingle_size, self.num_perm, self.seed)
    }
}

impl Default for Recipe {
    fn default() -> Self {
        Self { shingle_size: 3, num_perm: 128, seed: 0 }
    }
}

impl fmt::Display for Recipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Recipe(version={}, shingle_size={}, num_perm={}, seed={})",
            Self::VERSION,
            self.shingle_size,
            self.num_perm,
            self.seed
        )
    }
}

impl fmt::Display for RecipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version(v) => {
                write!(
                    f,
                    "version ({v}) is not supported: this build implements version {}",
                    Recipe::VERSION
                )
            }
            Self::ShingleSize(v) => {
                write!(f, "shingle_size ({v}) must be between 1 and {}", Recipe::MAX_SHINGLE_SIZE)
            }
            Self::NumPerm(v) => {
                write!(f, "num_perm ({v}) must be between 1 and {}", Recipe::MAX_NUM_PERM)
            }
        }
    }
}

impl std::error::Error for RecipeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_k3_p128_s0() {
        assert_eq!(Recipe::default().id(), "v1-k3-p128-s0");
        assert_eq!(Recipe::new(3, 128, 0).unwrap(), Recipe::default());
    }

    #[test]
    fn out_of_range_parameters_are_named() {
        assert_eq!(
            Recipe::new(0, 128, 0).unwrap_err().to_string(),
            "shingle_size (0) must be between 1 and 64"
        );
        assert_eq!(
            Recipe::new(3, 0, 0).unwrap_err().to_string(),
            "num_perm (0) must be between 1 and 8192"
        );
        assert!(Recipe::check_version(2).unwrap_err().to_string().starts_with("version (2)"));
    }
}
