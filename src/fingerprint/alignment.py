"""Aligning the blocks of two articles: the thresholds, the relations and the verdicts.

The alignment itself runs in the core (`fingerprint_core::verdict`), where both `compare()` (exact
overlaps of two documents) and the corpus index (overlaps with earlier documents found through
the index) align the same way; `BlockPair` is the core's.
"""

from __future__ import annotations

from dataclasses import dataclass

from fingerprint._core import BlockPair
from fingerprint.document import REPEATED_THRESHOLD

__all__ = ["VERDICTS", "BlockPair", "Thresholds"]

SAME_ARTICLE = "same_article"
A_CONTAINS_B = "a_contains_b"
B_CONTAINS_A = "b_contains_a"
PARTIAL_OVERLAP = "partial_overlap"
UNRELATED = "unrelated"
VERDICTS = (SAME_ARTICLE, A_CONTAINS_B, B_CONTAINS_A, PARTIAL_OVERLAP, UNRELATED)

IDENTICAL = "identical"
NEAR_DUPLICATE = "near-duplicate"
CONTAINED = "contained"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The thresholds behind alignment and verdicts (docs/how-it-works.md explains each).

    ``pair``: two blocks align when their Jaccard similarity, or the containment of either in the
    other, reaches it. ``near_duplicate``: an aligned pair at or above this Jaccard is a
    near-duplicate, below it one block is contained in the other. ``same``: both articles have
    at least this share of their shingles in aligned blocks. ``contains``: one side has at least
    this share in aligned blocks. ``partial``: either side has at least this share.
    ``repeated``: Jaccard at which blocks inside one article are repeats.

    >>> from fingerprint import Thresholds
    >>> Thresholds(same=0.9).contains
    0.5
    >>> Thresholds(pair=0)
    Traceback (most recent call last):
    ...
    ValueError: pair (0) must be in (0, 1]
    """

    pair: float = 0.5
    near_duplicate: float = 0.5
    same: float = 0.8
    contains: float = 0.5
    partial: float = 0.1
    repeated: float = REPEATED_THRESHOLD

    def __post_init__(self) -> None:
        for name in ("pair", "near_duplicate", "same", "contains", "partial", "repeated"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} ({value!r}) must be in (0, 1]")
