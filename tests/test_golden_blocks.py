"""Segmentation version 1 and a stored document's encoding, against their committed golden vectors
(`tests/make_golden_blocks.py` wrote them; `crates/fingerprint-core/tests/golden.rs` checks them
too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fingerprint._core import SEGMENTATION_VERSION, DocumentSketch, Recipe, segment_text

GOLDEN = Path(__file__).parent / "data" / "golden"


def _cases(name: str) -> list[dict]:
    lines = (GOLDEN / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("case", _cases("segmentation_v1.jsonl"), ids=lambda c: c["name"])
def test_segmentation_cuts_as_version_1(case: dict) -> None:
    assert case["version"] == SEGMENTATION_VERSION
    assert [list(block) for block in segment_text(case["text"])] == case["blocks"]


@pytest.mark.parametrize("case", _cases("stored_v1.jsonl"), ids=lambda c: c["name"])
def test_a_stored_document_encodes_as_committed(case: dict) -> None:
    recipe = Recipe()
    assert case["recipe"] == recipe.id
    encoding = bytes.fromhex(case["encoding"])
    sketch = DocumentSketch(case["blocks"], recipe)
    assert sketch.to_bytes() == encoding
    decoded = DocumentSketch.from_bytes(encoding, recipe)
    assert decoded.shingle_counts == sketch.shingle_counts
    assert (decoded.signatures == sketch.signatures).all()
