"""On Reuters: the index's reports depend on its log alone (docs/spec.md, "The index").

However the stories are batched, and whether some were added and removed or expired before, the
reports equal those of an index fed the live stories alone, in memory and on SQLite reopened in
between.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import pytest
from shared_data import require

from fingerprint import Document, Index

#: Stories used: enough for stop shingles, merges and clusters, few enough for a fast suite.
STORIES = 3_000
SOURCES = ("wire", "courier", "herald", "globe", "post")


def _stories() -> list[tuple[str, str, str, str]]:
    """(id, text, source, date) of the first stories with a body, spread over five sources."""
    path = require("reuters21578/reuters21578.jsonl")
    found = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if (row.get("body") or "").strip():
                date = datetime.strptime(row["date"].split()[0], "%d-%b-%Y").date().isoformat()
                source = SOURCES[row["newid"] % len(SOURCES)]
                found.append((str(row["newid"]), row["body"], source, date))
            if len(found) == STORIES:
                break
    return found


@pytest.fixture(scope="module")
def stories() -> list[tuple[str, str, str, str]]:
    return _stories()


def _documents(rows: list[tuple[str, str, str, str]]) -> list[Document]:
    return [Document.from_text(text, doc_id=i, source=s, published=d) for i, text, s, d in rows]


def _reports(index: Index, rows: list[tuple[str, str, str, str]]) -> list[dict]:
    return [r.to_dict() for r in index.add_many(_documents(rows))]


def _in_batches(index: Index, rows: list, rng: random.Random) -> list[dict]:
    reports: list[dict] = []
    while len(reports) < len(rows):
        start = len(reports)
        batch = rows[start : start + rng.choice([1, 2, 7, 64, 300])]
        reports += [r.to_dict() for r in index.add_many(_documents(batch))]
    return reports


def test_batching_changes_no_report(stories: list) -> None:
    rows = stories[:1_500]
    together = _reports(Index(), rows)
    one_by_one = Index()
    alone = [one_by_one.add(doc).to_dict() for doc in _documents(rows)]
    batched = _in_batches(Index(merge_at=256), rows, random.Random(7))
    assert any(r["matches"] for r in together), "the stories have copies"
    assert together == alone == batched


@pytest.mark.parametrize("durable", [False, True], ids=["memory", "sqlite"])
def test_removed_stories_leave_no_trace(stories: list, durable: bool, tmp_path: Path) -> None:
    first, rest = stories[: len(stories) // 2], stories[len(stories) // 2 :]
    removed = set(random.Random(3).sample([row[0] for row in first], len(first) // 5))
    path = tmp_path / "index.db" if durable else None
    index = Index(path, merge_at=4_096)
    _reports(index, first)
    for doc_id in sorted(removed):
        assert index.remove(doc_id)
    if durable:
        index.close()
        index = Index(path, merge_at=4_096)
    later = _reports(index, rest)
    kept = [row for row in first if row[0] not in removed]
    never_saw = Index()
    _reports(never_saw, kept)
    assert list(index) == [row[0] for row in kept + rest]
    _assert_same(later, _reports(never_saw, rest))
    index.close()


@pytest.mark.parametrize("durable", [False, True], ids=["memory", "sqlite"])
def test_expired_stories_leave_no_trace(stories: list, durable: bool, tmp_path: Path) -> None:
    first, rest = stories[: len(stories) // 2], stories[len(stories) // 2 :]
    cutoff = sorted(row[3] for row in first)[len(first) // 3]
    path = tmp_path / "index.db" if durable else None
    index = Index(path)
    _reports(index, first)
    kept = [row for row in first if row[3] >= cutoff]
    assert index.expire(cutoff) == len(first) - len(kept) > 0
    if durable:
        index.close()
        index = Index(path)
    later = _reports(index, rest)
    never_saw = Index()
    _reports(never_saw, kept)
    _assert_same(later, _reports(never_saw, rest))
    index.close()


def _assert_same(got: list[dict], expected: list[dict]) -> None:
    differing = [(g["id"], g, e) for g, e in zip(got, expected, strict=True) if g != e]
    assert not differing, f"{len(differing)} of {len(got)} reports differ; first: {differing[0]}"
