"""The subeditor's rewrites (tests/rewriting.py): harder copies that are still copies."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st
from rewriting import rewrite

from fingerprint import shingle_hashes

SENTENCES = [
    f"The {thing} in {town} was {state} on {day} after the council met again."
    for thing, town, state, day in zip(
        ("bridge", "market", "school", "harbour", "library", "station", "museum", "park"),
        ("Leeds", "Hull", "York", "Bath", "Ely", "Derby", "Wells", "Ripon"),
        ("closed", "opened", "sold", "moved", "rebuilt", "flooded", "painted", "shut"),
        ("Monday", "Tuesday", "Friday", "Sunday", "Monday", "Thursday", "Saturday", "Friday"),
        strict=True,
    )
]


def _variant(rng: random.Random) -> str:
    body = [" ".join(rng.sample(SENTENCES, 3)) for _ in range(4)]
    return "\n\n".join(["Council closes the old bridge for good", "By Helen Marsh", *body])


def _shingles(text: str) -> set[int]:
    return set(shingle_hashes(text).tolist())


@given(st.integers(0, 10_000))
def test_a_rewrite_keeps_the_paragraphs_and_byline_and_loses_some_shingles(seed: int) -> None:
    variant = _variant(random.Random(seed))
    rewritten = rewrite(variant, random.Random(seed))
    before, after = variant.split("\n\n"), rewritten.split("\n\n")
    assert len(after) == len(before) and after[1] == before[1]
    assert after[0] != before[0], "the headline is rewritten"
    assert after[2] != before[2], "the lede is rewritten"
    kept = _shingles(variant) & _shingles(rewritten)
    assert 0 < len(kept) < len(_shingles(variant))


def test_a_rewrite_is_seeded() -> None:
    variant = _variant(random.Random(1))
    assert rewrite(variant, random.Random(5)) == rewrite(variant, random.Random(5))
    assert rewrite(variant, random.Random(5)) != rewrite(variant, random.Random(6))
