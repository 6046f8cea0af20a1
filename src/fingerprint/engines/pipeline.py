"""Batch dedup as stages any engine can run: the same reports as `fingerprint dedup` in one
process, each document examined against every document before it in corpus order.

1. Sketch each document (the core, on the engine's workers).
2. Furniture: rows of a source's block meet; each document learns, per block, how many documents
   of its source before it hold it; the core then says which of its blocks are evidence.
3. Postings: rows of a shingle key (or of a document identity) meet, in corpus order; each
   document learns its walked keys (postings before it, at most ``max_postings``) and its
   candidates (the documents before it holding a walked key, and its first identical ones).
4. Each candidate's record goes to the documents that asked for it.
5. Each document meets its record, walked keys and candidates, and the core examines it
   (`examine_among`): the same function, ranking and verdicts as the index.
6. Origins: the copy links, in corpus order, join clusters (a union-find on the driver, over
   linked documents only); each report's origin is named.

An engine gives `map`, `pool` (a map on long-lived workers), `shuffle` (every row of a key to
one call), `shuffle_in_order` (every row of a ``seq`` to one call, what the calls make kept in
``seq`` order), `union`, `keep` (materialise) and `ordered` (read on the driver, in the order
kept).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Protocol, TypeVar

import msgpack
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fingerprint._core import Policy, Recipe
from fingerprint.clusters import Clusters
from fingerprint.document import Document
from fingerprint.engines import stages
from fingerprint.engines.stages import Row
from fingerprint.examined import Age, age, origin_among
from fingerprint.report.printable import json_text

Data = TypeVar("Data")

#: A document none of whose keys is walked and that has no identical document before it.
NOTHING_WALKED: Row = {"walked": [], "blocks": 0}

#: What a candidate's record carries to the documents that asked for it.
CANDIDATE_FIELDS = ("seq", "id", "source", "published", "sketch", "evidence")


class Engine(Protocol[Data]):
    def map(self, data: Data, fn: Callable[[pa.Table], pa.Table]) -> Data: ...
    def pool(self, data: Data, fn: Callable[[pa.Table], pa.Table]) -> Data: ...
    def shuffle(self, data: Data, keys: list[str], fn: Callable[[pa.Table], pa.Table]) -> Data: ...
    def union(self, *data: Data) -> Data: ...
    def keep(self, data: Data) -> Data: ...
    def shuffle_in_order(self, data: Data, fn: Callable[[pa.Table], pa.Table]) -> Data: ...
    def ordered(self, data: Data) -> Iterator[pa.Table]: ...


def dedup(engine: Engine[Data], documents: Data, recipe: Recipe, policy: Policy) -> Data:
    """Reports on ``documents`` (rows of `stages.DOCUMENTS` plus ``blocks_before``, the blocks
    of the documents before each), as rows of ``seq``, ``report`` (its JSON line), ``links``
    and ``summary``."""
    settings = stages.Settings.of(recipe, policy)
    sketches = engine.keep(engine.pool(documents, partial(stages.sketched, settings=settings)))
    counted = engine.shuffle(
        engine.map(sketches, stages.furniture_keys), ["source", "block"], stages.furniture_counts
    )
    evidence = engine.keep(
        engine.shuffle(
            engine.union(engine.map(sketches, _tag("own")), engine.map(counted, _tag("counted"))),
            ["seq"],
            partial(_meet, partial(_with_evidence, settings=settings)),
        )
    )
    del sketches, counted  # each stage's kept rows go once the next stage is kept
    found = engine.shuffle(
        engine.map(evidence, _postings),
        ["kind", "key"],
        partial(
            stages.found,
            max_postings=policy.max_postings,
            max_candidates=policy.max_candidates,
        ),
    )
    chosen = engine.keep(engine.shuffle(found, ["seq"], partial(_choose, settings=settings)))
    asked = engine.shuffle(
        engine.union(engine.map(evidence, _records), engine.map(chosen, _only("request"))),
        ["seq"],
        partial(_meet, _answer),
    )
    reports = engine.keep(
        engine.shuffle_in_order(
            engine.union(evidence, engine.map(chosen, _only("walked")), asked),
            partial(_meet, partial(_examine, settings=settings), schema=stages.REPORTS),
        )
    )
    del evidence, chosen, asked
    # The linked reports, read in order a block at a time: the driver keeps only the clusters.
    linked = (row for t in engine.ordered(engine.map(reports, _linked)) for row in t.to_pylist())
    origins = origins_table(name_origins(linked))
    return engine.map(reports, partial(_named, origins=origins))


def name_origins(linked: Iterable[Row]) -> dict[int, str]:
    """Each linked document's origin, from the reports with links or copies, in ``seq`` order:
    the oldest of it and of its linked documents' clusters, as the index names it."""
    named: dict[int, tuple[Age, str]] = {}  # every document linked, with its age and id
    clusters = Clusters(age=lambda n: named[n][0])
    origins: dict[int, str] = {}
    for row in linked:
        seq, links, copies = row["seq"], json.loads(row["links"]), json.loads(row["copies"])
        for other, other_id, when in links + copies:
            named[other] = (age(stages.date(when), other), other_id)
        named[seq] = (age(stages.date(row["published"]), seq), row["id"])
        if links:
            linked_seqs = [other for other, *_ in links]
            origins[seq] = origin_among(clusters, linked_seqs, named[seq], named.__getitem__)
        for other, *_ in copies:
            clusters.join(seq, other)
    return origins


def origins_table(origins: dict[int, str]) -> pa.Table:
    """Origins as a table in ``seq`` order: what every naming task is given. An Arrow table
    travels in the object store's shared memory, where a dict would be built again in each task
    (700,000 entries at a million documents)."""
    seqs = sorted(origins)
    return pa.table(
        {
            "seq": pa.array(seqs, pa.int64()),
            "origin": pa.array([origins[s] for s in seqs], pa.string()),
        }
    )


def _tag(tag: str) -> Callable[[pa.Table], pa.Table]:
    return lambda table: stages.tagged(table.to_pylist(), tag)


def _meet(
    meet: Callable[[int, dict[str, list[Row]]], list[Row]],
    table: pa.Table,
    schema: pa.Schema | None = None,
) -> pa.Table:
    """The rows ``meet`` makes of each ``seq``'s tagged rows: tagged again, or of ``schema``."""
    rows = stages.gathered(table, meet)
    if schema is not None:
        return pa.Table.from_pylist(rows, schema=schema)
    by_tag: dict[str, list[Row]] = {}
    for row in rows:
        by_tag.setdefault(row.pop("_tag"), []).append(row)
    tables = [stages.tagged(r, tag) for tag, r in by_tag.items()]
    return pa.concat_tables(tables) if tables else stages.TAGGED.empty_table()


def _with_evidence(seq: int, rows: dict[str, list[Row]], settings: stages.Settings) -> list[Row]:
    (own,) = rows["own"]
    return [{**stages.with_evidence(own, rows.get("counted", []), settings), "_tag": "own"}]


def _rows(table: pa.Table) -> list[Row]:
    return [msgpack.unpackb(row) for row in table.column("row").to_pylist()]


def _postings(table: pa.Table) -> pa.Table:
    return stages.postings(_rows(table))


def _records(table: pa.Table) -> pa.Table:
    """Each document's record as a candidate."""
    records = [{name: row[name] for name in CANDIDATE_FIELDS} for row in _rows(table)]
    return stages.tagged(records, "record")


def _choose(table: pa.Table, settings: stages.Settings) -> pa.Table:
    """Requests for the candidates each document keeps (by the candidate's seq), and each
    document's walked keys."""
    requests, walked = stages.chosen(table, settings)
    return pa.concat_tables(
        [stages.tagged(requests, "request", by="by"), stages.tagged(walked, "walked")]
    )


def _only(tag: str) -> Callable[[pa.Table], pa.Table]:
    return lambda table: table.filter(pc.equal(table.column("tag"), tag))


def _answer(seq: int, rows: dict[str, list[Row]]) -> list[Row]:
    """A candidate's record, to each document that asked for it (once each)."""
    if "request" not in rows:
        return []
    (record,) = rows["record"]
    askers = sorted({request["seq"] for request in rows["request"]})
    return [{"_tag": "candidate", "seq": asker, "record": record} for asker in askers]


def _examine(seq: int, rows: dict[str, list[Row]], settings: stages.Settings) -> list[Row]:
    (own,) = rows["own"]
    (walked,) = rows.get("walked", [NOTHING_WALKED])
    candidates = [row["record"] for row in rows.get("candidate", [])]
    return [stages.examined(own, walked, candidates, settings)]


def _linked(table: pa.Table) -> pa.Table:
    """The reports whose links or copies name other documents."""
    keep = pc.or_(
        pc.not_equal(table.column("links"), "[]"), pc.not_equal(table.column("copies"), "[]")
    )
    kept = table.filter(keep)
    summaries = [json.loads(s) for s in kept.column("summary").to_pylist()]
    return (
        kept.select(["seq", "links", "copies"])
        .append_column("id", pa.array([s["id"] for s in summaries], pa.string()))
        .append_column("published", pa.array([s["published"] for s in summaries], pa.string()))
    )


def _named(table: pa.Table, origins: pa.Table) -> pa.Table:
    """The reports with their origins named (``origins``: `origins_table`)."""
    if table.num_rows == 0:
        return table
    seqs = table.column("seq").to_numpy()
    known = origins.column("seq").to_numpy()
    # Only the origins within the table's range of seq are looked at.
    start = int(np.searchsorted(known, seqs.min(), side="left"))
    end = int(np.searchsorted(known, seqs.max(), side="right"))
    near = origins.slice(start, end - start)
    places = pc.index_in(table.column("seq"), value_set=near.column("seq")).to_pylist()
    named = near.column("origin").to_pylist()
    reports = table.column("report").to_pylist()
    for i, place in enumerate(places):
        if place is not None:
            report: dict[str, Any] = json.loads(reports[i])
            report["origin"] = named[place]
            reports[i] = json_text(report)
    return table.set_column(
        table.schema.get_field_index("report"), "report", pa.array(reports, pa.string())
    )


def documents_table(documents: list[Document], first: int, blocks_before: int) -> pa.Table:
    """Documents read in corpus order as rows of `stages.DOCUMENTS`, numbered from ``first``,
    with the blocks before each (``blocks_before`` before the first)."""
    sizes = [len(d.blocks) for d in documents]
    before = list(itertools.accumulate(sizes, initial=blocks_before))[:-1]
    return pa.table(
        {
            "seq": pa.array(range(first, first + len(documents)), pa.int64()),
            "id": [d.doc_id for d in documents],
            "source": pa.array([d.source for d in documents], pa.string()),
            "published": pa.array(
                [d.published.isoformat() if d.published else None for d in documents], pa.string()
            ),
            "blocks": pa.array([list(d.texts) for d in documents], pa.list_(pa.string())),
            "blocks_before": pa.array(before, pa.int64()),
        }
    )


def report_lines(engine: Engine[Data], reports: Data) -> Iterator[tuple[str, Row]]:
    """Each report's JSON line and its summary's parts, in corpus order."""
    for table in engine.ordered(reports):
        columns = (table.column(c).to_pylist() for c in ("report", "links", "summary"))
        for report, links, summary in zip(*columns, strict=True):
            origin = json.loads(report)["origin"]
            yield report, {**json.loads(summary), "links": json.loads(links), "origin": origin}
