"""Comparing two articles: exact scores, aligned blocks, and a verdict a person can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fingerprint.alignment import BlockPair, Thresholds
from fingerprint.document import Document


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
    shared, size_a, size_b, (pairs, coverage_a, coverage_b, verdict) = a.sketch.compare(
        b.sketch, thresholds
    )
    return Comparison(
        a=a,
        b=b,
        verdict=verdict,
        jaccard=_ratio(shared, size_a + size_b - shared),
        a_in_b=_ratio(shared, size_a),
        b_in_a=_ratio(shared, size_b),
        coverage_a=coverage_a,
        coverage_b=coverage_b,
        pairs=tuple(pairs),
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


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _blocks_json(doc: Document) -> list[dict[str, Any]]:
    return [
        {"index": b.index, "kind": b.kind, "start": b.start, "end": b.end, "text": b.text}
        for b in doc.blocks
    ]
