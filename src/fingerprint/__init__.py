"""fingerprint: content fingerprints and near-duplicate detection for article text.

The compiled core (``fingerprint._core``) does the work; this package re-exports it.
"""

from fingerprint._core import (
    Recipe,
    Signature,
    __version__,
    shingle_hashes,
    shingles,
    sketch,
    sketch_many,
    tokens,
)

__all__ = [
    "Recipe",
    "Signature",
    "__version__",
    "shingle_hashes",
    "shingles",
    "sketch",
    "sketch_many",
    "tokens",
]
