"""fingerprint: content fingerprints and near-duplicate detection for article text.

The compiled core (``fingerprint._core``) computes; the modules here compose it.
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
from fingerprint.alignment import BlockPair, Thresholds
from fingerprint.compare import Comparison, compare
from fingerprint.document import Block, Document
from fingerprint.errors import InputError
from fingerprint.findings import Boilerplate, Match, Report
from fingerprint.index import Index

__all__ = [
    "Block",
    "BlockPair",
    "Boilerplate",
    "Comparison",
    "Document",
    "Index",
    "InputError",
    "Match",
    "Recipe",
    "Report",
    "Signature",
    "Thresholds",
    "__version__",
    "compare",
    "shingle_hashes",
    "shingles",
    "sketch",
    "sketch_many",
    "tokens",
]
