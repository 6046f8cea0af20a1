"""Aligning the blocks of two articles, and the verdict their aligned blocks support.

Both `compare()` (exact overlaps of two documents) and the corpus index (overlaps with earlier
documents found through the index) align the same way, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fingerprint.document import REPEATED_THRESHOLD

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


@dataclass(frozen=True, slots=True)
class BlockPair:
    """Block ``a`` of the first article aligned with block ``b`` of the second.

    ``similarity`` is the exact Jaccard similarity of their shingle sets; ``a_in_b`` and ``b_in_a``
    are the containments. ``relation`` is identical, near-duplicate, or contained.

    >>> import fingerprint
    >>> merged = "The storm hit the coast at dawn. Rain fell for six hours on the town."
    >>> split = "The storm hit the coast at dawn.\\n\\nRain fell for six hours on the town."
    >>> [(p.a, p.b, p.relation, p.b_in_a) for p in fingerprint.compare(merged, split).pairs]
    [(0, 0, 'contained', 1.0), (0, 1, 'contained', 1.0)]
    """

    a: int
    b: int
    similarity: float
    relation: str
    a_in_b: float
    b_in_a: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """The aligned block pairs of two articles, how much of each they cover, and the verdict."""

    pairs: tuple[BlockPair, ...]
    coverage_a: float
    coverage_b: float
    verdict: str


#: One overlap of two blocks: ``(a, b, shared, jaccard, a_in_b, b_in_a)``.
Overlap = tuple[int, int, int, float, float, float]


def align(
    overlaps: Iterable[Overlap],
    sizes_a: Sequence[int] | Mapping[int, int],
    sizes_b: Sequence[int] | Mapping[int, int],
    total_a: int,
    total_b: int,
    thresholds: Thresholds,
    containment: tuple[float, float] = (0.0, 0.0),
) -> Alignment:
    """Aligns blocks whose overlap reaches ``thresholds.pair`` and decides the verdict.

    ``sizes_a[i]`` is the number of distinct shingles of block ``i`` of a, ``total_a`` the
    number the coverage of a is counted against; likewise for b. ``containment``: the shares of
    a's and of b's shingles that are in the other, wherever they stand.
    """
    pairs = tuple(_pair(o, thresholds) for o in overlaps if max(o[3:]) >= thresholds.pair)
    covered_a = _covered(pairs, "a", "a_in_b", thresholds.pair)
    covered_b = _covered(pairs, "b", "b_in_a", thresholds.pair)
    coverage_a = _ratio(sum(sizes_a[i] for i in covered_a), total_a)
    coverage_b = _ratio(sum(sizes_b[j] for j in covered_b), total_b)
    if min(containment) >= thresholds.same:
        # Each holds nearly all of the other: the same article, its paragraphs cut differently.
        return Alignment(pairs, coverage_a, coverage_b, SAME_ARTICLE)
    return Alignment(pairs, coverage_a, coverage_b, verdict(coverage_a, coverage_b, thresholds))


def _pair(overlap: Overlap, t: Thresholds) -> BlockPair:
    i, j, _shared, jaccard, a_in_b, b_in_a = overlap
    if jaccard == 1.0:
        relation = IDENTICAL
    elif jaccard >= t.near_duplicate:
        relation = NEAR_DUPLICATE
    else:
        relation = CONTAINED
    return BlockPair(i, j, jaccard, relation, a_in_b, b_in_a)


def _covered(pairs: tuple[BlockPair, ...], side: str, containment: str, least: float) -> set[int]:
    """The blocks of one side that lie in their aligned counterparts: their containment, summed
    over their pairs, reaches `least`. A long paragraph that merely contains a short one it
    repeats is aligned, but not covered."""
    inside: dict[int, float] = {}
    for pair in pairs:
        block = getattr(pair, side)
        inside[block] = inside.get(block, 0.0) + getattr(pair, containment)
    return {block for block, share in inside.items() if share >= least}


def verdict(coverage_a: float, coverage_b: float, t: Thresholds) -> str:
    """The verdict that the coverages of two articles by each other support."""
    if coverage_a >= t.same and coverage_b >= t.same:
        return SAME_ARTICLE
    # One contains the other when the other lies mostly in aligned blocks and it has more
    # beyond them; two articles half in each other contain neither.
    if coverage_b >= t.contains and coverage_b > coverage_a:
        return A_CONTAINS_B
    if coverage_a >= t.contains and coverage_a > coverage_b:
        return B_CONTAINS_A
    if max(coverage_a, coverage_b) >= t.partial:
        return PARTIAL_OVERLAP
    return UNRELATED


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
