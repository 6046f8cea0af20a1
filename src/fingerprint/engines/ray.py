"""`fingerprint dedup` on Ray Data: the stages of `pipeline.py` as Ray Data operations, for
corpora beyond one machine (``pip install "article-fingerprint[ray]"``).

Sketching runs on an actor pool; every shuffle is a hash repartition by key, through disk, so a
worker holds one partition at a time whatever the corpus's size. The
reports equal the in-process `fingerprint dedup`'s, line for line: the same core examines each
document (docs/batch.md).

    import ray.data
    from fingerprint.engines import ray as on_ray

    on_ray.connect("auto")
    rows = ray.data.read_parquet("s3://archive/news/")  # id, text or html, source, published
    on_ray.dedup(rows).write_json("s3://archive/reports/")
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import ray
import ray.data

from fingerprint._core import Policy, Recipe
from fingerprint.arguments import check_positive
from fingerprint.console import Sink
from fingerprint.corpus import BadRecord, FirstSeen, Record, quoted, record_document
from fingerprint.document import Document
from fingerprint.engines import pipeline, stages
from fingerprint.summary import Summary

#: Documents per shuffle partition, at least: a partition's rows (a document's candidates'
#: records included) stay well under Ray's 128 MiB blocks.
DOCUMENTS_PER_PARTITION = 1_000

#: The input of one shuffle map task, at most (Ray's target block size).
SHUFFLE_INPUT_BYTES = 128 * 2**20

#: The size a shuffle's input blocks are joined up to. A map task cuts every block it is given
#: into one piece per partition (a few KB of bookkeeping each): a few large blocks per task keep
#: its pieces about as many as the partitions, where many small ones multiplied them.
SHUFFLE_BLOCK_BYTES = 64 * 2**20


def connect(address: str | None = None, num_cpus: int | None = None) -> None:
    """Joins the Ray cluster at ``address`` (None: starts one in this machine, on ``num_cpus``
    CPUs), quietly: no dashboard, no progress bars, errors only. Sets Ray Data's context for the
    job: rows kept in order, and shuffles through disk."""
    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=None if address else num_cpus,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True
    # Shuffles spill through files, so that a worker holds one partition's rows, not its share of
    # the whole shuffle (measured: 0.66 GB against 1.05 GB at 50,000 documents).
    context.use_disk_based_hash_shuffle = True
    # A shuffle's map task holds its whole input while it partitions it; Ray gathers up to 1 GiB
    # of blocks into one by default. Blocks of at most this many bytes a task bound a worker's
    # memory whatever the corpus (docs/batch.md, "Memory").
    context.shuffle_input_batch_bytes = SHUFFLE_INPUT_BYTES


class RayEngine:
    """`pipeline.Engine` on Ray Data; ``partitions`` per shuffle, and ranges of ``seq`` of
    ``per_range`` documents where rows are shuffled in order."""

    def __init__(self, partitions: int, per_range: int = DOCUMENTS_PER_PARTITION) -> None:
        self.partitions = partitions
        self.per_range = per_range

    def map(self, data: ray.data.Dataset, fn: Callable[[pa.Table], pa.Table]) -> ray.data.Dataset:
        return data.map_batches(fn, batch_format="pyarrow", batch_size=256)

    def pool(self, data: ray.data.Dataset, fn: Callable[[pa.Table], pa.Table]) -> ray.data.Dataset:
        """``map`` on an actor pool as wide as the cluster (the core's sketching)."""
        # The function is the actor class's own: Ray keeps constructor arguments apart.
        actor = type("Stage", (_Apply,), {"fn": staticmethod(fn)})
        pool = ray.data.ActorPoolStrategy(min_size=1, max_size=_cpus())
        return data.map_batches(actor, compute=pool, batch_format="pyarrow", batch_size=256)

    def shuffle(
        self, data: ray.data.Dataset, keys: list[str], fn: Callable[[pa.Table], pa.Table]
    ) -> ray.data.Dataset:
        shuffled = _joined_up(data, SHUFFLE_BLOCK_BYTES).repartition(self.partitions, keys=keys)
        return shuffled.map_batches(fn, batch_format="pyarrow", batch_size=None)

    def shuffle_in_order(
        self, data: ray.data.Dataset, fn: Callable[[pa.Table], pa.Table]
    ) -> ray.data.Dataset:
        """Rows shuffled by ranges of ``seq`` rather than by ``seq``, so that each range's rows
        meet in one call; what ``fn`` makes of them is put in ``seq`` order there, and the
        blocks cut where their ranges change and read in order of their ranges. No row is
        sorted across blocks (a sort's map tasks each split their block by every range: at a
        million documents, a million small objects and 1.9 GB in a worker)."""
        ranged = data.map_batches(partial(_ranged, size=self.per_range), batch_format="pyarrow")
        shuffled = _joined_up(ranged, SHUFFLE_BLOCK_BYTES).repartition(
            self.partitions, keys=["range"]
        )
        made = partial(_made_in_order, fn=fn)
        made = shuffled.map_batches(made, batch_format="pyarrow", batch_size=None)
        return _in_range_order(made.materialize(), self.per_range)

    def union(self, *data: ray.data.Dataset) -> ray.data.Dataset:
        return data[0].union(*data[1:])

    def keep(self, data: ray.data.Dataset) -> ray.data.Dataset:
        return data.materialize()

    def ordered(self, data: ray.data.Dataset) -> Iterator[pa.Table]:
        return data.iter_batches(batch_format="pyarrow", batch_size=None)


def _ranged(table: pa.Table, size: int) -> pa.Table:
    """Rows with their range of ``seq``, ``size`` documents each."""
    if table.num_rows == 0:
        return table  # Ray's empty blocks may have no columns
    return table.append_column("range", _range_of(table, size))


def _range_of(table: pa.Table, size: int) -> pa.Array:
    return pc.divide(table.column("seq"), pa.scalar(size, pa.int64()))


def _made_in_order(table: pa.Table, fn: Callable[[pa.Table], pa.Table]) -> pa.Table:
    """What ``fn`` makes of a partition's rows, in ``seq`` order."""
    if table.num_rows == 0:
        return table
    return fn(table.drop_columns(["range"])).sort_by("seq")


def _in_range_order(data: ray.data.Dataset, size: int) -> ray.data.Dataset:
    """The rows of ``data``, whose blocks are each in ``seq`` order (a range of ``size``
    documents in one partition's blocks), in ``seq`` order: the blocks cut where their range
    changes, the pieces ordered by their first ``seq``."""
    refs = _block_refs(data)
    runs = ray.get([_runs.remote(ref, size) for ref in refs])
    pieces = sorted(
        (first, i, start, end) for i, found in enumerate(runs) for first, start, end in found
    )
    return ray.data.from_arrow_refs(
        [
            refs[i] if len(runs[i]) == 1 else _slice.remote(refs[i], start, end)
            for _, i, start, end in pieces
        ]
    )


@ray.remote
def _runs(table: Any, size: int) -> list[tuple[int, int, int]]:
    """The runs of one range of ``seq`` in a block in ``seq`` order: ``(first seq, start,
    end)`` each (none in an empty block, which may have no columns)."""
    table = _arrow(table)
    if table.num_rows == 0:
        return []
    seqs = table.column("seq").to_numpy()
    starts = np.flatnonzero(np.diff(seqs // size, prepend=-1))
    ends = np.append(starts[1:], len(seqs))
    return [(int(seqs[a]), int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


class _Apply:
    """A stage's function of a batch, as an actor's (``fn``, set by a subclass)."""

    fn: Callable[[pa.Table], pa.Table]

    def __call__(self, table: pa.Table) -> pa.Table:
        return self.fn(table)


def dedup(
    documents: ray.data.Dataset,
    *,
    recipe: Recipe | None = None,
    policy: Policy | None = None,
    skip_bad: bool = False,
    documents_per_partition: int | None = None,
) -> ray.data.Dataset:
    """Reports on ``documents`` (rows of ``id``, ``text`` or ``html``, and optionally
    ``source`` and ``published``, as in a JSON lines corpus), each against every row before it
    in the dataset's order: a dataset of ``seq`` (the row's place), ``id`` and ``report`` (the
    JSON line `fingerprint dedup` writes), in order. A bad row raises `BadRecord` naming it
    (``row 17``), or with ``skip_bad`` is left out. Each shuffle has a partition per
    ``documents_per_partition`` documents (at least two per CPU; by default `partition_size`),
    and the reports come in blocks of at most that many."""
    if documents_per_partition is not None:
        check_positive("documents_per_partition", documents_per_partition)
    numbered = _numbered(documents.materialize(), _rows_and_none)
    parsed = numbered.map_batches(_parsed, batch_format="pyarrow", batch_size=256).materialize()
    good = parsed.map_batches(_good, batch_format="pyarrow").materialize()
    taken = good.select_columns(["seq", "id"]).repartition(_cpus(), keys=["id"])
    repeated = taken.map_batches(_repeated_ids, batch_format="pyarrow", batch_size=None)
    bad = parsed.map_batches(_bad, batch_format="pyarrow").select_columns(["seq", "error"])
    problems = bad.union(repeated).materialize()
    if problems.count() and not skip_bad:
        first = problems.sort("seq").take(1)[0]
        raise BadRecord(f"row {first['seq'] + 1}", first["error"])
    left_out = pa.array([row["seq"] for row in repeated.select_columns(["seq"]).take_all()])
    kept = good.map_batches(partial(_without, seqs=left_out), batch_format="pyarrow")
    reports = run(
        _numbered(kept.materialize(), _rows_and_blocks),
        recipe or Recipe(),
        policy or Policy(),
        documents_per_partition,
    )
    return reports.map_batches(_public, batch_format="pyarrow")


def run(
    documents: ray.data.Dataset,
    recipe: Recipe,
    policy: Policy,
    per_partition: int | None = None,
) -> ray.data.Dataset:
    """The reports on ``documents`` (rows of `stages.DOCUMENTS` and ``blocks_before``)."""
    count = documents.count()
    per_partition = per_partition or partition_size(count)
    partitions = max(2 * _cpus(), math.ceil(count / per_partition))
    return pipeline.dedup(RayEngine(partitions, per_partition), documents, recipe, policy)


def partition_size(documents: int) -> int:
    """Documents per partition for a corpus of ``documents``: 1,000, or the square root of the
    corpus beyond a million. A shuffle's map task holds a piece per partition, a reduce task
    a partition: both then grow as the square root of the corpus, not as the corpus."""
    return max(DOCUMENTS_PER_PARTITION, math.isqrt(documents))


def _cpus() -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _numbered(
    data: ray.data.Dataset, measure: Callable[[pa.Table], tuple[int, int]]
) -> ray.data.Dataset:
    """The rows of ``data`` numbered in order: ``seq`` (from 0) and ``blocks_before``, by the
    rows and blocks that ``measure`` counts in each block before."""
    refs = _block_refs(data)
    sizes = ray.get([_measure.remote(ref, measure) for ref in refs])
    numbered, rows, blocks = [], 0, 0
    for ref, (n, b) in zip(refs, sizes, strict=True):
        numbered.append(_number.remote(ref, rows, blocks))
        rows, blocks = rows + n, blocks + b
    return ray.data.from_arrow_refs(numbered)


def _block_refs(data: ray.data.Dataset) -> list[ray.ObjectRef]:
    """The blocks of a dataset, in order."""
    return [ref for ref, _ in _blocks(data)]


def _blocks(data: ray.data.Dataset) -> Iterator[tuple[ray.ObjectRef, int]]:
    """The blocks of a dataset as it runs, in order, with their sizes in bytes (a bundle's
    slice of one cut by a task)."""
    for bundle in data.iter_internal_ref_bundles():
        for entry, piece in zip(bundle.blocks, bundle.slices, strict=True):
            size, rows = entry.metadata.size_bytes or 0, entry.metadata.num_rows or 0
            if not piece:
                yield entry.ref, size
                continue
            share = (piece.end_offset - piece.start_offset) / rows if rows else 1
            yield _slice.remote(entry.ref, piece.start_offset, piece.end_offset), int(size * share)


def _joined_up(data: ray.data.Dataset, size: int) -> ray.data.Dataset:
    """The rows of ``data``, in order, in blocks joined up to about ``size`` bytes each."""
    joined: list[ray.ObjectRef] = []
    group: list[ray.ObjectRef] = []
    held = 0
    for ref, nbytes in _blocks(data):
        group.append(ref)
        held += nbytes
        if held >= size:
            joined.append(_joined.remote(*group))
            group, held = [], 0
    if group:
        joined.append(_joined.remote(*group))
    return ray.data.from_arrow_refs(joined) if joined else data


@ray.remote
def _joined(*tables: Any) -> pa.Table:
    """Blocks as one (Ray's empty blocks may have no columns)."""
    full = [table for table in map(_arrow, tables) if table.num_columns]
    return pa.concat_tables(full, promote_options="default") if full else _arrow(tables[0])


@ray.remote
def _slice(table: pa.Table, start: int, end: int) -> pa.Table:
    return table.slice(start, end - start)


@ray.remote
def _measure(table: Any, measure: Callable[[pa.Table], tuple[int, int]]) -> tuple[int, int]:
    return measure(_arrow(table))


@ray.remote
def _number(table: Any, first: int, blocks_before: int) -> pa.Table:
    table = _arrow(table)
    if "seq" not in table.column_names:
        return table.append_column(
            "seq", pa.array(range(first, first + table.num_rows), pa.int64())
        )
    sizes = [len(b) for b in table.column("blocks").to_pylist()]
    before = list(itertools.accumulate(sizes, initial=blocks_before))[:-1]
    return table.append_column("blocks_before", pa.array(before, pa.int64()))


def _arrow(table: Any) -> pa.Table:
    return (
        table if isinstance(table, pa.Table) else pa.Table.from_pandas(table, preserve_index=False)
    )


def _rows_and_none(table: pa.Table) -> tuple[int, int]:
    return table.num_rows, 0


def _rows_and_blocks(table: pa.Table) -> tuple[int, int]:
    return table.num_rows, sum(len(b) for b in table.column("blocks").to_pylist())


def _parsed(table: pa.Table) -> pa.Table:
    """Rows as documents (`stages.DOCUMENTS`), or the error that keeps each from being one."""
    out: dict[str, list[Any]] = {
        name: [] for name in ("seq", "id", "source", "published", "blocks", "error")
    }
    for row in table.to_pylist():
        seq = row.pop("seq")
        try:
            document = record_document(row, f"row {seq + 1}")
        except BadRecord as error:
            values = [seq, None, None, None, [], str(error).split(": ", 1)[1]]
        else:
            published = document.published.isoformat() if document.published else None
            values = [seq, document.doc_id, document.source, published, list(document.texts), None]
        for name, value in zip(out, values, strict=True):
            out[name].append(value)
    return pa.table(out, schema=stages.DOCUMENTS.append(pa.field("error", pa.string())))


def _bad(table: pa.Table) -> pa.Table:
    return table.filter(pc.is_valid(table.column("error")))


def _good(table: pa.Table) -> pa.Table:
    return table.filter(pc.is_null(table.column("error"))).drop_columns(["error"])


def _repeated_ids(table: pa.Table) -> pa.Table:
    """The rows whose id an earlier row has (every row of an id is in the table), with why."""
    rows = sorted(zip(table.column("id").to_pylist(), table.column("seq").to_pylist(), strict=True))
    seqs, errors, first = [], [], {}
    for doc_id, seq in rows:
        if doc_id in first:
            seqs.append(seq)
            errors.append(f"duplicate id {quoted(doc_id)} (first at row {first[doc_id] + 1})")
        else:
            first = {doc_id: seq}  # rows come by id: only the id at hand is remembered
    return pa.table({"seq": pa.array(seqs, pa.int64()), "error": pa.array(errors, pa.string())})


def _without(table: pa.Table, seqs: pa.Array) -> pa.Table:
    return table.filter(pc.invert(pc.is_in(table.column("seq"), value_set=seqs)))


def _public(table: pa.Table) -> pa.Table:
    """A report's place, id and JSON line."""
    reports = table.column("report").to_pylist()
    ids = [json.loads(summary)["id"] for summary in table.column("summary").to_pylist()]
    return pa.table(
        {
            "seq": table.column("seq"),
            "id": pa.array(ids, pa.string()),
            "report": pa.array(reports, pa.string()),
        }
    )


class CorpusDedup:
    """The reading loop's batch for ``fingerprint dedup --engine ray``: records read by the
    command (bad ones reported as it reports them) go to the object store in chunks; at the
    end the job runs, and its lines and summary are written as the in-process command writes
    them."""

    def __init__(self, results: Sink, summary: Summary, policy: Policy, chunk: int = 2_000) -> None:
        self.results, self.summary, self.policy, self.chunk = results, summary, policy, chunk
        self.recipe = Recipe()
        self._first_seen = FirstSeen()
        self._waiting: list[Document] = []
        self._chunks: list[ray.ObjectRef] = []
        self._documents = 0
        self._blocks = 0

    def passed_over(self, record: Record) -> bool:
        return False

    def problem(self, record: Record) -> BadRecord | None:
        return self._first_seen.problem(record)

    def append(self, record: Record) -> None:
        self._waiting.append(record.document)
        if len(self._waiting) >= self.chunk:
            self._put()

    def flush(self) -> None:
        """Runs the job on every document read, and writes its lines and summary."""
        self._put()
        if not self._chunks:
            return
        documents = ray.data.from_arrow_refs(self._chunks)
        self._chunks = []
        reports = run(documents, self.recipe, self.policy)
        for line, parts in pipeline.report_lines(RayEngine(1), reports):
            self.results.write(line + "\n")
            links = [(doc_id, stages.date(when)) for _, doc_id, when in parts["links"]]
            furniture = [(count, text) for count, text in parts["furniture"]]
            self.summary.take(
                parts["id"],
                stages.date(parts["published"]),
                parts["source"],
                links,
                parts["origin"],
                furniture,
            )

    def done(self) -> None:
        pass

    def _put(self) -> None:
        if not self._waiting:
            return
        table = pipeline.documents_table(self._waiting, self._documents, self._blocks)
        self._documents += len(self._waiting)
        self._blocks += sum(len(d.blocks) for d in self._waiting)
        self._chunks.append(ray.put(table))
        self._waiting = []
