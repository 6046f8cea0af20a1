"""Comparing two articles: exact scores, aligned blocks, and a verdict a person can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fingerprint.document import REPEATED_THRESHOLD, Document

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


@dataclass(frozen=True)
class Comparison:
    """What two articles share: scores, aligned blocks, blocks with no counterpart, and a verdict.

    >>> import fingerprint
    >>> wire = "Para one is about the storm that hit the coast.\\n\\nPara two is about the damage."
    >>> copy = "Para one is about the storm that hit the coast."
    >>> result = fingerprint.compare(wire, copy)
    >>> result.verdict, round(result.b_in_a, 2)
    ('a_contains_b', 1.0)
    >>> [(p.a, p.b, p.relation) for p in result.pairs], result.only_a
    ([(0, 0, 'identical')], (1,))
    """

    a: Document
    b: Document
    verdict: str
    jaccard: float
    a_in_b: float
    b_in_a: float
    coverage_a: float
    coverage_b: float
    pairs: tuple[BlockPair, ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]
    repeated_a: list[list[int]]
    repeated_b: list[list[int]]
    thresholds: Thresholds = field(default_factory=Thresholds)

    def to_dict(self) -> dict[str, Any]:
        """The comparison in the stable JSON schema of docs/cli.md."""
        return {
            "verdict": self.verdict,
            "jaccard": self.jaccard,
            "containment": {"a_in_b": self.a_in_b, "b_in_a": self.b_in_a},
            "coverage": {"a": self.coverage_a, "b": self.coverage_b},
            "blocks": {"a": _blocks_json(self.a), "b": _blocks_json(self.b)},
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "similarity": p.similarity,
                    "relation": p.relation,
                    "a_in_b": p.a_in_b,
                    "b_in_a": p.b_in_a,
                }
                for p in self.pairs
            ],
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
            "repeated": {"a": self.repeated_a, "b": self.repeated_b},
        }


def compare(
    a: Document | str, b: Document | str, thresholds: Thresholds | None = None
) -> Comparison:
    """Compare two articles (documents, or plain texts cut into blocks) block by block.

    Scores are exact: the Jaccard similarity of the two articles' shingle sets and the containment
    of each in the other. Blocks align when they share enough shingles; the verdict weighs how much
    of each article (in shingles) lies in aligned blocks, so edits inside a copied paragraph do not
    hide the copy.

    >>> import fingerprint
    >>> story = "Rain fell on the town all night."
    >>> fingerprint.compare(story, "Markets rose on Monday.").verdict
    'unrelated'
    >>> fingerprint.compare(story, "rain FELL on the town, all night!").verdict
    'same_article'
    """
    thresholds = thresholds or Thresholds()
    a, b = _as_document(a, "a"), _as_document(b, "b")
    pairs = _aligned_pairs(a, b, thresholds)
    shared = a.sketch.intersection(b.sketch)
    size_a, size_b = a.sketch.size, b.sketch.size
    coverage_a = _coverage(a, _covered(pairs, "a", "a_in_b", thresholds.pair))
    coverage_b = _coverage(b, _covered(pairs, "b", "b_in_a", thresholds.pair))
    return Comparison(
        a=a,
        b=b,
        verdict=_verdict(coverage_a, coverage_b, thresholds),
        jaccard=_ratio(shared, size_a + size_b - shared),
        a_in_b=_ratio(shared, size_a),
        b_in_a=_ratio(shared, size_b),
        coverage_a=coverage_a,
        coverage_b=coverage_b,
        pairs=pairs,
        only_a=tuple(sorted(set(range(len(a))) - {p.a for p in pairs})),
        only_b=tuple(sorted(set(range(len(b))) - {p.b for p in pairs})),
        repeated_a=a.repeated_blocks(thresholds.repeated),
        repeated_b=b.repeated_blocks(thresholds.repeated),
        thresholds=thresholds,
    )


def _as_document(value: Document | str, name: str) -> Document:
    if isinstance(value, Document):
        return value
    if isinstance(value, str):
        return Document.from_text(value)
    raise TypeError(f"{name} must be a Document or str, not {type(value).__name__}")


def _aligned_pairs(a: Document, b: Document, t: Thresholds) -> tuple[BlockPair, ...]:
    pairs = []
    for i, j, _shared, jaccard, a_in_b, b_in_a in a.sketch.overlaps(b.sketch):
        if max(jaccard, a_in_b, b_in_a) < t.pair:
            continue
        if jaccard == 1.0:
            relation = IDENTICAL
        elif jaccard >= t.near_duplicate:
            relation = NEAR_DUPLICATE
        else:
            relation = CONTAINED
        pairs.append(BlockPair(i, j, jaccard, relation, a_in_b, b_in_a))
    return tuple(pairs)


def _covered(pairs: tuple[BlockPair, ...], side: str, containment: str, least: float) -> set[int]:
    """The blocks of one side that lie in their aligned counterparts: their containment, summed
    over their pairs, reaches `least`. A long paragraph that merely contains a short one it
    repeats is aligned, but not covered."""
    inside: dict[int, float] = {}
    for pair in pairs:
        block = getattr(pair, side)
        inside[block] = inside.get(block, 0.0) + getattr(pair, containment)
    return {block for block, share in inside.items() if share >= least}


def _coverage(doc: Document, aligned: set[int]) -> float:
    """The share of the document's shingles (counted per block) that lie in aligned blocks."""
    counts = doc.sketch.shingle_counts
    return _ratio(sum(counts[i] for i in aligned), sum(counts))


def _verdict(coverage_a: float, coverage_b: float, t: Thresholds) -> str:
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


def _blocks_json(doc: Document) -> list[dict[str, Any]]:
    return [
        {"index": b.index, "kind": b.kind, "start": b.start, "end": b.end, "text": b.text}
        for b in doc.blocks
    ]
