"""The core's index as `fingerprint._core.BlockIndex`: numbered documents, `IndexMatch` results."""

from __future__ import annotations

import pytest

from fingerprint import BlockPair
from fingerprint._core import BlockIndex, IndexMatch, sketch_documents

STORY = [
    "The central bank raised its main interest rate by half a point on Tuesday morning.",
    "Officials said inflation had stayed above target for eleven months in a row now.",
]
# Shares the story's first four words, nothing else.
WEAK = (
    "The central bank raised hopes among farmers that the long drought in the north would "
    "finally end this spring after three dry years and two failed harvests."
)


def test_a_query_returns_numbered_matches_with_pairs_made_on_reading() -> None:
    index = BlockIndex()
    story, unrelated, copy = sketch_documents(
        [STORY, ["Snow closed the mountain pass overnight again."], STORY]
    )
    assert index.add(story, 0, [True, True]) == 0
    assert index.add(unrelated, 0, [True]) == 1
    [found] = index.query(copy, [True, True])
    assert isinstance(found, IndexMatch)
    assert (found.number, found.containment, found.contained, found.jaccard) == (0, 1.0, 1.0, 1.0)
    assert found.verdict == "same_article"
    assert [(p.a, p.b, p.relation) for p in found.pairs] == [
        (0, 0, "identical"),
        (1, 1, "identical"),
    ]
    assert all(isinstance(p, BlockPair) for p in found.pairs)
    assert "number=0" in repr(found) and "same_article" in repr(found)


def test_by_default_a_shared_phrase_is_not_a_match() -> None:
    story, weak = sketch_documents([[" ".join(STORY)], [WEAK]])
    strict, loose = BlockIndex(), BlockIndex(min_containment=1e-9)
    for index in (strict, loose):
        index.add(story, 0, [True])
    assert strict.query(weak, [True]) == []
    [found] = loose.query(weak, [True])
    assert 0.0 < found.containment < 0.1


def test_evidence_flags_must_match_the_blocks() -> None:
    [story] = sketch_documents([STORY])
    with pytest.raises(ValueError, match=r"len\(evidence\) \(1\)"):
        BlockIndex().add(story, 0, [True])
