"""Comparisons and repeated blocks as JSON, in the stable schema of docs/cli.md."""

from __future__ import annotations

from typing import Any

from fingerprint.compare import Comparison
from fingerprint.document import Block, Document
from fingerprint.report.printable import json_text


def comparison_json(comparison: Comparison, names: tuple[str, str]) -> str:
    """The comparison's ``to_dict()``, after the names of the two files it compared."""
    return _dumps({"files": {"a": names[0], "b": names[1]}, **comparison.to_dict()})


def repeats_json(document: Document, groups: list[list[int]], name: str, threshold: float) -> str:
    """The blocks of one file (shaped as in ``compare --json``) and its groups of repeats."""
    return _dumps(
        {
            "file": name,
            "threshold": threshold,
            "blocks": [_block(block) for block in document.blocks],
            "groups": groups,
        }
    )


def _block(block: Block) -> dict[str, Any]:
    return {
        "index": block.index,
        "kind": block.kind,
        "start": block.start,
        "end": block.end,
        "text": block.text,
    }


def _dumps(value: dict[str, Any]) -> str:
    # Keys keep the order they were built in.
    return json_text(value, indent=2)
