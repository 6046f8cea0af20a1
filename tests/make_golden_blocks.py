"""Writes the golden vectors of segmentation and of a document's stored encoding
(`tests/data/golden/segmentation_v1.jsonl`, `tests/data/golden/stored_v1.jsonl`).

Unlike the recipe's vectors, these come from the core itself: they pin what segmentation version 1
cuts and how a stored document is encoded, so that a change to either shows in `cargo test` and
pytest (and raises `SEGMENTATION_VERSION` or the store's format). Run from the repository root:
``python tests/make_golden_blocks.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from fingerprint._core import SEGMENTATION_VERSION, DocumentSketch, Recipe, segment_text

GOLDEN = Path(__file__).parent / "data" / "golden"

TEXTS = {
    "empty": "",
    "one line": "A storm hit the coast on Monday.",
    "blank lines": "Storm hits coast\n\nHeavy rain fell overnight.\n\n\n  Power was cut.  ",
    "hard wrapped": (
        "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought\n"
        "since early January and improving prospects.\n\n"
        "The next paragraph starts here and is\nshort."
    ),
    "caption twice": "Headline\n\nA caption here.\n\nThe story goes on.\n\nA caption here.",
    "wide lines": "x " * 70 + "\n" + "y " * 70 + "\n",
    "crlf and tabs": "First para\r\n\r\nSecond\tpara with\ttabs\r\n",
    "unicode": "Привет мир.\n\n北京今天下雨。\n\nThey\u2019ve met Nazarbayev's aides — again…",
    "punctuation only": "—\n\n* * *\n\nReuters",
}


def main() -> None:
    segments = [
        {"name": name, "version": SEGMENTATION_VERSION, "text": text, "blocks": segment_text(text)}
        for name, text in TEXTS.items()
    ]
    stored = []
    for name, text in TEXTS.items():
        blocks = [b[3] for b in segment_text(text)]
        sketch = DocumentSketch(blocks, Recipe())
        stored.append(
            {
                "name": name,
                "recipe": Recipe().id,
                "blocks": blocks,
                "encoding": sketch.to_bytes().hex(),
            }
        )
    for file, cases in (("segmentation_v1.jsonl", segments), ("stored_v1.jsonl", stored)):
        lines = [json.dumps(case, ensure_ascii=False) for case in cases]
        (GOLDEN / file).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
