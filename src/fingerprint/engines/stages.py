"""What each stage of a batch dedup does to one batch of rows (an Arrow table), with no engine in
sight: sketching, furniture counts, postings by key, and each document examined against its
candidates alone, by the core (docs/spec.md, "The index"; `fingerprint._core.examine_among`).

Documents are numbered by ``seq``, their place in the corpus; each is examined against every
document before it. A stage that needs every row of a key (a source's block, a shingle key, a
document) is given them together: the engine partitions by that key (`pipeline.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgpack
import numpy as np
import pyarrow as pa

from fingerprint._core import (
    DocumentSketch,
    Policy,
    Recipe,
    choose_candidates,
    evidence_of,
    examine_among,
    posting_keys,
    sketch_documents,
)
from fingerprint.examined import Entry, report_of
from fingerprint.report.printable import json_text
from fingerprint.stores import recipe_from_id

Row = dict[str, Any]

#: A document as it enters: its place in the corpus, id, source, date (ISO 8601) and blocks.
DOCUMENTS = pa.schema(
    [
        ("seq", pa.int64()),
        ("id", pa.string()),
        ("source", pa.string()),
        ("published", pa.string()),
        ("blocks", pa.list_(pa.string())),
    ]
)
#: Rows shuffled to meet others of the same ``seq``: a kind and the row itself (MessagePack).
TAGGED = pa.schema([("seq", pa.int64()), ("tag", pa.string()), ("row", pa.binary())])
#: For a document, one block its source printed before and in how many documents before it.
COUNTED = pa.schema([("seq", pa.int64()), ("block", pa.uint64()), ("count", pa.int64())])
#: What documents post, shuffled by key: shingle keys of evidence blocks, and identities.
#: ``n``: the document's evidence blocks holding the key; ``size``: its distinct evidence keys;
#: ``blocks``: the blocks of the documents before it.
POSTINGS = pa.schema(
    [
        ("kind", pa.int8()),
        ("key", pa.int64()),
        ("seq", pa.int64()),
        ("n", pa.int64()),
        ("size", pa.int64()),
        ("blocks", pa.int64()),
    ]
)
#: What a document (``seq``) learns from its postings: a walked key (``value``: its postings
#: before the document; ``size``: the blocks before it), a holder of a walked key before it
#: (``value``: its seq; ``size``: its size), or an identical document before it (``value``).
FOUND = pa.schema(
    [
        ("what", pa.int8()),
        ("seq", pa.int64()),
        ("key", pa.int64()),
        ("value", pa.int64()),
        ("size", pa.int64()),
    ]
)
#: A document's report line (origin not named yet) and what naming it and the summary need.
REPORTS = pa.schema(
    [
        ("seq", pa.int64()),
        ("report", pa.string()),
        ("links", pa.string()),
        ("copies", pa.string()),
        ("summary", pa.string()),
    ]
)


@dataclass(frozen=True)
class Settings:
    """The recipe and the policy as plain values: a stage's function travels to the engine's
    workers pickled, and the core's objects are not made to be pickled."""

    recipe_id: str
    policy: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, recipe: Recipe, policy: Policy) -> Settings:
        return cls(recipe.id, tuple(policy.to_dict().items()))

    @property
    def recipe(self) -> Recipe:
        return _core_objects(self)[0]

    @property
    def core_policy(self) -> Policy:
        return _core_objects(self)[1]


@functools.cache
def _core_objects(settings: Settings) -> tuple[Recipe, Policy]:
    """The core's recipe and policy, made once per worker."""
    recipe = recipe_from_id(settings.recipe_id)
    assert recipe is not None, f"a recipe id made by Recipe.id: {settings.recipe_id}"
    return recipe, Policy(**dict(settings.policy))


SHINGLE, IDENTITY = 0, 1  # kinds of postings
WALKED, HOLDER, TWIN = 0, 1, 2  # what a document finds by its postings


def sketched(table: pa.Table, settings: Settings) -> pa.Table:
    """Each document with its sketch, its blocks' identities and its identity."""
    sketches = sketch_documents(table.column("blocks").to_pylist(), settings.recipe, threads=1)
    return (
        table.append_column("sketch", pa.array([s.to_bytes() for s in sketches], pa.binary()))
        .append_column(
            "identities", pa.array([s.block_identities.tobytes() for s in sketches], pa.binary())
        )
        .append_column("identity", pa.array([s.identity for s in sketches], pa.uint64()))
    )


def furniture_keys(table: pa.Table) -> pa.Table:
    """One row per document with a source and each distinct non-empty block it holds."""
    sources, blocks, seqs = [], [], []
    columns = (table.column(c).to_pylist() for c in ("seq", "source", "identities"))
    for seq, source, held in zip(*columns, strict=True):
        if source is None:
            continue
        distinct = np.unique(np.frombuffer(held, dtype=np.uint64))
        distinct = distinct[distinct != 0]
        blocks.append(distinct)
        sources += [source] * len(distinct)
        seqs += [seq] * len(distinct)
    block = np.concatenate(blocks) if blocks else np.zeros(0, np.uint64)
    return pa.table(
        {
            "source": pa.array(sources, pa.string()),
            "block": block,
            "seq": pa.array(seqs, pa.int64()),
        }
    )


def furniture_counts(table: pa.Table) -> pa.Table:
    """For each document holding a block its source printed before, in how many documents of
    the source before it (every row of a source's block is in the table)."""
    if table.num_rows == 0:
        return COUNTED.empty_table()
    source = np.unique(np.asarray(table.column("source").to_pylist()), return_inverse=True)[1]
    block, seq = table.column("block").to_numpy(), table.column("seq").to_numpy()
    order = np.lexsort((seq, block, source))
    source, block, seq = source[order], block[order], seq[order]
    rank = np.arange(len(seq)) - group_starts(source, block)
    seen = rank > 0
    return pa.table({"seq": seq[seen], "block": block[seen], "count": rank[seen]}, schema=COUNTED)


def with_evidence(own: Row, counted: list[Row], settings: Settings) -> Row:
    """A document with its furniture counts, evidence flags, and the keys it posts."""
    recipe, policy = settings.recipe, settings.core_policy
    sketch = DocumentSketch.from_bytes(own["sketch"], recipe)
    counts = {row["block"]: row["count"] for row in counted}
    identities = np.frombuffer(own["identities"], dtype=np.uint64).tolist()
    furniture = [counts.get(h, 0) for h in identities]
    evidence = evidence_of(sketch, furniture, policy)
    keys, held = posting_keys(sketch, evidence)
    return {
        **own,
        "furniture": furniture,
        "evidence": bytes(evidence),
        "keys": keys.tobytes(),
        "held": held.tobytes(),
    }


def postings(rows: list[Row]) -> pa.Table:
    """What documents post: a row per shingle key of their evidence blocks (with how many of
    those blocks hold it), and one for a document's identity when it has one."""
    parts: list[tuple[np.ndarray, ...]] = []
    for row in rows:
        keys = np.frombuffer(row["keys"], dtype=np.uint32).astype(np.int64)
        held = np.frombuffer(row["held"], dtype=np.uint32).astype(np.int64)
        kinds, size = np.full(len(keys), SHINGLE, np.int8), len(keys)
        if row["identity"] != 0:
            identity = np.array([row["identity"]], dtype=np.uint64).view(np.int64)
            kinds, keys = np.append(kinds, np.int8(IDENTITY)), np.append(keys, identity)
            held = np.append(held, 1)
        own = np.ones(len(keys), np.int64)
        parts.append((kinds, keys, held, own * row["seq"], own * size, own * row["blocks_before"]))
    if not parts:
        return POSTINGS.empty_table()
    kind, key, n, seq, size, blocks = (np.concatenate(c) for c in zip(*parts, strict=True))
    columns = {"kind": kind, "key": key, "seq": seq, "n": n, "size": size, "blocks": blocks}
    return pa.table(columns, schema=POSTINGS)


def found(table: pa.Table, max_postings: int, max_candidates: int) -> pa.Table:
    """From every posting of some keys, what each document learns: its walked keys (postings
    before it at most ``max_postings``; else a stop shingle for it) with every document before
    it holding them, and its first ``max_candidates`` identical documents before it."""
    if table.num_rows == 0:
        return FOUND.empty_table()
    names = ("kind", "key", "seq", "n", "size", "blocks")
    kind, key, seq, n, size, blocks = (table.column(c).to_numpy() for c in names)
    order = np.lexsort((seq, key, kind))
    kind, key, seq, n, size, blocks = (a[order] for a in (kind, key, seq, n, size, blocks))
    starts = group_starts(kind, key)
    place = np.arange(len(seq)) - starts
    total = np.cumsum(n) - n
    before = total - total[starts]
    walks = (kind == SHINGLE) & (before <= max_postings)
    twins = np.where(kind == IDENTITY, np.minimum(place, max_candidates), 0)
    tables = [_found(WALKED, seq[walks], key[walks], before[walks], blocks[walks])]
    for what, takes in ((HOLDER, np.where(walks, place, 0)), (TWIN, twins)):
        taker = np.repeat(np.arange(len(seq)), takes)
        earlier = starts[taker] + np.arange(len(taker)) - np.repeat(np.cumsum(takes) - takes, takes)
        tables.append(_found(what, seq[taker], key[taker], seq[earlier], size[earlier]))
    return pa.concat_tables(tables)


def _found(what: int, *columns: np.ndarray) -> pa.Table:
    """Rows of `FOUND` of one kind."""
    kind = np.full(len(columns[0]), what, np.int8)
    return pa.table([kind, *columns], schema=FOUND)


def chosen(table: pa.Table, settings: Settings) -> tuple[list[Row], list[Row]]:
    """For each document of the rows `found` gave (every row of it), the candidates the core
    keeps (`choose_candidates`): a request to each, and the document's walked keys."""
    if table.num_rows == 0:
        return [], []
    names = ("what", "seq", "key", "value", "size")
    what, seq, key, value, size = (table.column(c).to_numpy() for c in names)
    order = np.lexsort((value, key, what, seq))
    what, seq, key, value, size = (a[order] for a in (what, seq, key, value, size))
    starts = np.flatnonzero(np.diff(seq, prepend=-1))
    requests: list[Row] = []
    walked: list[Row] = []
    for start, end in zip(starts, np.append(starts[1:], len(seq)), strict=True):
        document = int(seq[start])
        kinds = what[start:end]
        walks, holds, twins = (start + np.flatnonzero(kinds == w) for w in (WALKED, HOLDER, TWIN))
        keys = list(zip(key[walks].tolist(), value[walks].tolist(), strict=True))
        blocks = int(size[walks][0]) if len(walks) else 0
        holders = list(
            zip(key[holds].tolist(), value[holds].tolist(), size[holds].tolist(), strict=True)
        )
        kept = choose_candidates(
            dict(keys), blocks, holders, value[twins].tolist(), settings.core_policy
        )
        requests += [{"by": c, "seq": document} for c in kept]
        walked.append({"seq": document, "walked": keys, "blocks": blocks})
    return requests, walked


def examined(
    own: Row,
    walked: Row,
    candidates: list[Row],
    settings: Settings,
) -> Row:
    """A document examined against its candidates by the core, as the index examines it
    against the whole corpus; its report line with the origin left out (the engine names it
    from the links, in corpus order), and what the summary takes."""
    recipe, policy = settings.recipe, settings.core_policy
    candidates = sorted(candidates, key=lambda c: c["seq"])
    given = [
        (DocumentSketch.from_bytes(c["sketch"], recipe), [e == 1 for e in c["evidence"]])
        for c in candidates
    ]
    sketch = DocumentSketch.from_bytes(own["sketch"], recipe)
    keys = dict(walked["walked"])
    seen = examine_among(sketch, own["furniture"], keys, walked["blocks"], given, policy)
    entries = [Entry(c["id"], c["source"], date(c["published"])) for c in candidates]
    report, joined = report_of(
        seen, own["id"], entries.__getitem__, policy.boilerplate_min, _unnamed
    )
    place = [m.number for m in seen.matches]
    summary = {
        "id": own["id"],
        "source": own["source"],
        "published": own["published"],
        "furniture": [[b.count, own["blocks"][b.block]] for b in report.boilerplate],
    }
    return {
        "seq": own["seq"],
        "report": json_text(report.to_dict()),
        "links": json_text([_link(candidates[place[i]]) for i in seen.origin_links]),
        "copies": json_text([_link(candidates[place[i]]) for i in joined]),
        "summary": json_text(summary),
    }


def tagged(rows: list[Row], tag: str, by: str = "seq") -> pa.Table:
    """Rows to meet others of the same ``by`` value (their ``seq`` from then on)."""
    return pa.table(
        {
            "seq": pa.array([row[by] for row in rows], pa.int64()),
            "tag": pa.array([tag] * len(rows), pa.string()),
            "row": pa.array([msgpack.packb(row) for row in rows], pa.binary()),
        },
        schema=TAGGED,
    )


def gathered(table: pa.Table, meet: Callable[[int, dict[str, list[Row]]], list[Row]]) -> list[Row]:
    """``meet(seq, rows by tag)`` for each ``seq`` of a table of tagged rows (all of each)."""
    by_seq: dict[int, dict[str, list[Row]]] = {}
    columns = (table.column(c).to_pylist() for c in ("seq", "tag", "row"))
    for seq, tag, row in zip(*columns, strict=True):
        by_seq.setdefault(seq, {}).setdefault(tag, []).append(msgpack.unpackb(row))
    return [out for seq in sorted(by_seq) for out in meet(seq, by_seq[seq])]


def group_starts(*keys: np.ndarray) -> np.ndarray:
    """For each row of rows sorted by ``keys``, the place of the first row of its group."""
    change = np.zeros(len(keys[0]), dtype=bool)
    change[:1] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    starts = np.flatnonzero(change)
    return np.repeat(starts, np.diff(np.append(starts, len(change))))


def _link(candidate: Row) -> list[Any]:
    return [candidate["seq"], candidate["id"], candidate["published"]]


def date(value: str | None) -> datetime | None:
    """A date as rows carry it (ISO 8601), read back."""
    return None if value is None else datetime.fromisoformat(value)


def _unnamed(_links: object) -> None:
    """The origin, named later by the engine (it needs the clusters of every document before)."""
    return None
