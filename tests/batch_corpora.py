"""Corpora that batch dedup is checked on, as documents in corpus order: Reuters stories spread
over five sources and a month, BBC articles by category, and the syndication generator's
originals each followed later by its variant."""

from __future__ import annotations

import json
import random
from datetime import datetime

from shared_data import require
from syndication import syndicated_pairs

from fingerprint import Document
from fingerprint.reading import read_text

SOURCES = ("wire", "courier", "herald", "globe", "post")


def reuters(count: int) -> list[Document]:
    """The first ``count`` Reuters stories with a body."""
    found: list[Document] = []
    with require("reuters21578/reuters21578.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if (row.get("body") or "").strip():
                date = datetime.strptime(row["date"].split()[0], "%d-%b-%Y").date().isoformat()
                source = SOURCES[row["newid"] % len(SOURCES)]
                found.append(
                    Document.from_text(
                        row["body"], doc_id=str(row["newid"]), source=source, published=date
                    )
                )
            if len(found) == count:
                break
    return found


def bbc(count: int) -> list[Document]:
    """The first ``count`` BBC articles of each category in turn; the category is the source."""
    root = require("bbc_news/bbc")
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    files = [sorted(folder.glob("*.txt")) for folder in folders]
    documents = []
    for i in range(count):
        folder, names = folders[i % len(folders)], files[i % len(folders)]
        path = names[i // len(folders)]
        documents.append(
            Document.from_text(
                read_text(path), doc_id=f"{folder.name}/{path.name}", source=folder.name
            )
        )
    return documents


def syndicated(count: int, seed: int = 0) -> list[Document]:
    """``count`` originals and their variants: each variant a few documents after its original,
    from another source, the whole shuffled by a fixed seed."""
    pairs = syndicated_pairs(require("bbc_news/bbc"), count, seed)
    rng = random.Random(seed)
    placed: list[tuple[int, Document]] = []
    for i, pair in enumerate(pairs):
        original = Document.from_text(pair.original, doc_id=f"original-{i}", source="wire")
        variant = Document.from_text(pair.variant, doc_id=f"variant-{i}", source=f"outlet-{i % 4}")
        placed += [(2 * i, original), (2 * (i + rng.randint(0, 3)) + 1, variant)]
    return [document for _, document in sorted(placed, key=lambda p: p[0])]
