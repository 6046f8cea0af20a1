"""Aligning the blocks of two articles: the thresholds, the relations and the verdicts.

The alignment itself runs in the core (`fingerprint_core::verdict`), where both `compare()` (exact
overlaps of two documents) and the corpus index (overlaps with earlier documents found through
the index) align the same way; `BlockPair` is the core's. The thresholds' defaults and the names
of verdicts and relations are the core's too (`fingerprint._core.Policy`), defined there once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from fingerprint import _core
from fingerprint._core import BlockPair, Policy

__all__ = ["VERDICTS", "BlockPair", "Relation", "Thresholds", "Verdict"]

#: The core's defaults, for every parameter that decides a report.
DEFAULTS = Policy()


class _Name(StrEnum):
    """A name the core defines: a string, shown as the plain string it is."""

    def __repr__(self) -> str:
        return repr(self.value)


#: What two articles are to each other, most related first; members are their names as strings.
Verdict = _Name("Verdict", [(name.upper(), name) for name in _core.VERDICTS])
#: How two aligned blocks relate; members are their names as strings.
Relation = _Name("Relation", [(name.upper().replace("-", "_"), name) for name in _core.RELATIONS])

SAME_ARTICLE, A_CONTAINS_B, B_CONTAINS_A, PARTIAL_OVERLAP, UNRELATED = VERDICTS = tuple(Verdict)
#: Verdicts that make one article a copy of the other (or both the same).
COPY_VERDICTS = frozenset(Verdict(name) for name in _core.COPY_VERDICTS)
IDENTICAL, NEAR_DUPLICATE, CONTAINED = tuple(Relation)


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

    pair: float = DEFAULTS.pair
    near_duplicate: float = DEFAULTS.near_duplicate
    same: float = DEFAULTS.same
    contains: float = DEFAULTS.contains
    partial: float = DEFAULTS.partial
    repeated: float = DEFAULTS.repeated

    def __post_init__(self) -> None:
        Policy(**asdict(self))  # the core checks every threshold, naming a wrong one
