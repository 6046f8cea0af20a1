"""The corpus index on all of Reuters-21578: ingest speed, block insert and query, memory, disk.

In one run, on the 19,779 Reuters-21578 stories (see corpora.py):

- Ingest in memory: fingerprint `Index().add_many` of every story from raw text (Documents built
  in the timed region; source "reuters", published = date), against the same job done with
  datasketch: Python tokenization of every paragraph (~107k, `corpora.split_paragraphs`),
  `MinHash.bulk`, then per paragraph `MinHashLSH.query` and `insert` (threshold 0.5, 128
  permutations): each paragraph checked against all before it, as `add_many` does.
- Block insert and query: rensa `RMinHashLSH` (16 bands x 8 rows) with precomputed `RMinHash`es of
  every paragraph, timing only `insert` of all, then `query` of each; ours at the block level,
  `fingerprint._core.BlockIndex` with precomputed sketches of each paragraph as a one-block
  document, timing only `add_many([sketch], ...)` of each, then `examine` of each. Also ours
  per article (each story's blocks, rates per block). Then the same in one call each: rensa
  `insert_many` and `query_all`, ours `add_many` and `examine_many` (on every core, and on one
  thread).
- Memory per indexed block: `Index.stats()["bytes_per_block"]` (heap bytes of the Rust index)
  after ingesting Reuters, and the growth of the process's resident memory per block over the
  ingest; rensa and datasketch measured the same way (growth per inserted paragraph, signatures
  precomputed before the first reading). Each in a fresh process.
- On disk: the same ingest into `Index(path=...)` (SQLite), `add_many` of 1,000 stories at a time,
  against the same batches in memory; then reopening the whole index, `Index(path)`.

Each timing is the median of --repeat runs (the jobs interleaved in a rotating order); memory is
measured once. Writes benchmarks/results/index.json (machine, every run) and
benchmarks/results/index.md (the table), and prints the table.

    python benchmarks/index.py             # full run: 5 repeats, about five minutes
    python benchmarks/index.py --quick     # 2,000 stories, 1 repeat, writes index.quick.*
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import corpora
from datasketch import MinHash, MinHashLSH
from publish import log, machine, met_cell, write
from rensa import RMinHashLSH
from signatures import rensa_update, shingles

import fingerprint
from fingerprint import Document, Index
from fingerprint._core import BlockIndex, sketch_documents

NUM_PERM = 128
THRESHOLD = 0.5
NUM_BANDS = 16  # x 8 rows
BATCH = 1000  # stories per add_many on disk (and in the in-memory comparison)
QUICK_STORIES = 2000
SOURCE = "reuters"
ONE_BLOCK = [True]
#: The source numbers of a block-level call: one document, of source 0.
ONE_SOURCE = [0]


class Work:
    """The Reuters stories and paragraphs, and whatever the timed jobs precompute."""

    def __init__(self, data: Path, stories: int | None) -> None:
        self.stories = corpora.reuters_stories(data)[:stories]
        self.paragraphs = [p for s in self.stories for p in corpora.split_paragraphs(s.body)]

    def documents(self, stories: list[corpora.Story]) -> list[Document]:
        return [
            Document.from_text(s.body, doc_id=s.newid, source=SOURCE, published=s.date)
            for s in stories
        ]


# Ingest: whole corpus, checked and indexed.


def ingest_fingerprint(work: Work) -> dict:
    index = Index()
    index.add_many(work.documents(work.stories))
    return {"blocks": index.stats()["blocks"]}


def ingest_datasketch(work: Work) -> dict:
    minhashes = MinHash.bulk(
        ([s.encode() for s in shingles(p)] for p in work.paragraphs), num_perm=NUM_PERM
    )
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for key, minhash in enumerate(minhashes):
        lsh.query(minhash)
        lsh.insert(key, minhash)
    return {}


def ingest_batches(work: Work, path: Path | None) -> dict:
    index = Index(path=path)
    for start in range(0, len(work.stories), BATCH):
        index.add_many(work.documents(work.stories[start : start + BATCH]))
    index.close()
    return {}


def reopen(path: Path) -> dict:
    index = Index(path=path)
    documents = len(index)
    index.close()
    return {"documents": documents}


# Block level: insert all, then query each, with inputs precomputed.


class Blocks:
    """Precomputed inputs of the block-level jobs."""

    def __init__(self, work: Work) -> None:
        self.paragraph_sketches = sketch_documents([[p] for p in work.paragraphs])
        docs = work.documents(work.stories)
        self.article_sketches = sketch_documents([[b.text for b in d.blocks] for d in docs])
        self.article_evidence = [[True] * len(s) for s in self.article_sketches]
        self.article_blocks = sum(map(len, self.article_sketches))
        self.rensa = rensa_update(work.paragraphs)


def paragraphs_one_by_one(blocks: Blocks) -> dict[str, dict[str, float]]:
    index = BlockIndex()
    add, examine = index.add_many, index.examine
    start = time.perf_counter()
    for sketch in blocks.paragraph_sketches:
        add([sketch], ONE_SOURCE, [ONE_BLOCK])
    middle = time.perf_counter()
    for sketch in blocks.paragraph_sketches:
        examine(sketch, 0)
    return {"fingerprint_paragraphs": _spans(start, middle, time.perf_counter())}


def articles_one_by_one(blocks: Blocks) -> dict[str, dict[str, float]]:
    index = BlockIndex()
    add, examine = index.add_many, index.examine
    pairs = list(zip(blocks.article_sketches, blocks.article_evidence, strict=True))
    start = time.perf_counter()
    for sketch, evidence in pairs:
        add([sketch], ONE_SOURCE, [evidence])
    middle = time.perf_counter()
    for sketch, _ in pairs:
        examine(sketch, 0)
    return {"fingerprint_articles": _spans(start, middle, time.perf_counter())}


def rensa_one_by_one(blocks: Blocks) -> dict[str, dict[str, float]]:
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
    insert, lookup = lsh.insert, lsh.query
    start = time.perf_counter()
    for key, minhash in enumerate(blocks.rensa):
        insert(key, minhash)
    middle = time.perf_counter()
    for minhash in blocks.rensa:
        lookup(minhash)
    return {"rensa": _spans(start, middle, time.perf_counter())}


def paragraphs_in_one_call(blocks: Blocks) -> dict[str, dict[str, float]]:
    """Ours queried on every core and on one thread."""
    sketches = blocks.paragraph_sketches
    evidence = [ONE_BLOCK] * len(sketches)
    index = BlockIndex()
    start = time.perf_counter()
    sources, exclude = [0] * len(sketches), [None] * len(sketches)
    index.add_many(sketches, sources, evidence)
    middle = time.perf_counter()
    index.examine_many(sketches, sources, exclude)
    end = time.perf_counter()
    index.examine_many(sketches, sources, exclude, threads=1)
    return {
        "fingerprint_batch": _spans(start, middle, end),
        "fingerprint_batch_one_thread": {"query": time.perf_counter() - end},
    }


def rensa_in_one_call(blocks: Blocks) -> dict[str, dict[str, float]]:
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
    start = time.perf_counter()
    lsh.insert_many(blocks.rensa)
    middle = time.perf_counter()
    lsh.query_all(blocks.rensa)
    return {"rensa_batch": _spans(start, middle, time.perf_counter())}


BLOCK_JOBS = (
    paragraphs_one_by_one,
    articles_one_by_one,
    rensa_one_by_one,
    paragraphs_in_one_call,
    rensa_in_one_call,
)


def time_block_jobs(blocks: Blocks, run: int) -> dict[str, dict[str, float]]:
    """Seconds to insert all and to query each, per tool (a fresh index each time), the jobs in
    an order that rotates from run to run, as `measure` does: no tool always runs after the
    same one, in a process whose memory the one before has just freed."""
    turn = run % len(BLOCK_JOBS)
    found: dict[str, dict[str, float]] = {}
    for job in BLOCK_JOBS[turn:] + BLOCK_JOBS[:turn]:
        gc.collect()
        found |= job(blocks)
    return found


def _spans(start: float, middle: float, end: float) -> dict[str, float]:
    return {"insert": middle - start, "query": end - middle}


# Memory: each probe runs in a fresh process (python benchmarks/index.py --probe NAME).


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def probe(name: str, data: Path, stories: int | None) -> dict:
    """The growth of resident memory over building one index, inputs prepared before."""
    work = Work(data, stories)
    if name == "fingerprint_index":
        # Stories go in as the ingest benchmark's batches; Documents and reports are dropped.
        batches = [work.stories[i : i + BATCH] for i in range(0, len(work.stories), BATCH)]
        index = Index()
        before = _settled_rss()
        for batch in batches:
            index.add_many(work.documents(batch))
        after = _settled_rss()
        stats = index.stats()
        return _growth(before, after, stats["blocks"]) | {
            "heap_bytes": stats["bytes"],
            "heap_bytes_per_block": stats["bytes_per_block"],
            "per_paragraph": (after - before) / len(work.paragraphs),
        }
    if name == "fingerprint_blocks":
        sketches = sketch_documents([[p] for p in work.paragraphs])
        index = BlockIndex()
        before = _settled_rss()
        for sketch in sketches:
            index.add_many([sketch], ONE_SOURCE, [ONE_BLOCK])
        after = _settled_rss()
        return _growth(before, after, len(sketches)) | {"heap_bytes": index.stats()[3]}
    if name == "rensa":
        minhashes = rensa_update(work.paragraphs)
        lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
        before = _settled_rss()
        for key, minhash in enumerate(minhashes):
            lsh.insert(key, minhash)
        after = _settled_rss()
        return _growth(before, after, len(minhashes))
    if name == "datasketch":
        minhashes = MinHash.bulk(
            ([s.encode() for s in shingles(p)] for p in work.paragraphs), num_perm=NUM_PERM
        )
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        before = _settled_rss()
        for key, minhash in enumerate(minhashes):
            lsh.insert(key, minhash)
        after = _settled_rss()
        return _growth(before, after, len(minhashes))
    raise ValueError(f"probe ({name!r}) must be one of {PROBES}")


PROBES = ("fingerprint_index", "fingerprint_blocks", "rensa", "datasketch")


def _settled_rss() -> int:
    """Resident memory with garbage collected and free heap pages handed back, so that memory
    freed before a probe starts is not counted as if its tool had given it back."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc only
    return rss_bytes()


def _growth(before: int, after: int, blocks: int) -> dict:
    return {
        "rss_before": before,
        "rss_after": after,
        "blocks": blocks,
        "rss_per_block": (after - before) / blocks,
    }


def run_probe(name: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--probe", name, "--data", str(args.data)]
    if args.quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


# Timing.


def measure(jobs: dict[str, Callable[[], dict]], repeat: int) -> dict[str, dict]:
    """Seconds per run of each job, interleaved in a rotating order; and what the job said."""
    names = list(jobs)
    runs: dict[str, dict] = {name: {"seconds": [], "said": None} for name in names}
    for run in range(repeat):
        order = names[run % len(names) :] + names[: run % len(names)]
        for name in order:
            gc.collect()
            start = time.perf_counter()
            said = jobs[name]()
            runs[name]["seconds"].append(time.perf_counter() - start)
            runs[name]["said"] = said
            log(f"run {run + 1}/{repeat} {name}: {runs[name]['seconds'][-1]:.2f} s")
    for found in runs.values():
        found["median_seconds"] = statistics.median(found["seconds"])
    return runs


def median_of(runs: list[dict[str, dict[str, float]]], tool: str, part: str) -> float:
    return statistics.median(run[tool][part] for run in runs)


def load_average() -> list[float]:
    try:
        return list(os.getloadavg())
    except OSError:
        return []


def benchmark(args: argparse.Namespace) -> dict:
    stories = QUICK_STORIES if args.quick else None
    work = Work(args.data, stories)
    docs, paragraphs = len(work.stories), len(work.paragraphs)
    log(f"{docs:,} stories, {paragraphs:,} paragraphs; load average {load_average()}")
    loads = {"start": load_average()}

    ingest = measure(
        {
            "fingerprint": lambda: ingest_fingerprint(work),
            "datasketch": lambda: ingest_datasketch(work),
        },
        args.repeat,
    )
    blocks_in_index = ingest["fingerprint"]["said"]["blocks"]

    log("block level: precomputing sketches and rensa signatures")
    blocks = Blocks(work)
    block_runs = []
    for run in range(args.repeat):
        gc.collect()
        block_runs.append(time_block_jobs(blocks, run))
        log(f"run {run + 1}/{args.repeat} block level: {block_runs[-1]}")
    loads["after_blocks"] = load_average()
    article_blocks = blocks.article_blocks
    del blocks
    gc.collect()

    with tempfile.TemporaryDirectory(prefix="fingerprint-bench-") as folder:
        paths = iter(Path(folder) / f"db{i}.sqlite" for i in range(args.repeat))
        last: list[Path] = []

        def on_disk() -> dict:
            last.append(next(paths))
            return ingest_batches(work, last[-1])

        store = measure(
            {"disk": on_disk, "memory": lambda: ingest_batches(work, None)}, args.repeat
        )
        database_bytes = last[-1].stat().st_size
        reopened = measure({"reopen": lambda: reopen(last[-1])}, args.repeat)
    loads["after_disk"] = load_average()

    log("memory probes")
    memory = {name: run_probe(name, args) for name in PROBES}
    loads["end"] = load_average()

    rate = {name: docs / found["median_seconds"] for name, found in ingest.items()}
    block = {
        tool: {
            f"{verb}_per_second": count / median_of(block_runs, tool, part)
            for verb, part in (("inserts", "insert"), ("queries", "query"))
            if part in block_runs[0][tool]
        }
        | {"blocks": count}
        for tool, count in (
            ("fingerprint_paragraphs", paragraphs),
            ("fingerprint_articles", article_blocks),
            ("rensa", paragraphs),
            ("fingerprint_batch", paragraphs),
            ("fingerprint_batch_one_thread", paragraphs),
            ("rensa_batch", paragraphs),
        )
    }
    return {
        "benchmark": "index",
        "command": "python " + shlex.join(sys.argv),
        "machine": machine(fingerprint) | {"load_average": loads},
        "settings": {
            "repeat": args.repeat,
            "quick": args.quick,
            "num_perm": NUM_PERM,
            "threshold": THRESHOLD,
            "num_bands": NUM_BANDS,
            "batch": BATCH,
        },
        "corpus": {"stories": docs, "paragraphs": paragraphs, "index_blocks": blocks_in_index},
        "ingest": {
            "runs": ingest,
            "fingerprint_docs_per_second": rate["fingerprint"],
            "fingerprint_paragraphs_per_second": paragraphs * rate["fingerprint"] / docs,
            "fingerprint_blocks_per_second": blocks_in_index * rate["fingerprint"] / docs,
            "fingerprint_us_per_paragraph": 1e6 / (paragraphs * rate["fingerprint"] / docs),
            "datasketch_docs_per_second": rate["datasketch"],
            "datasketch_paragraphs_per_second": paragraphs * rate["datasketch"] / docs,
            "datasketch_us_per_paragraph": 1e6 / (paragraphs * rate["datasketch"] / docs),
            "speedup": rate["fingerprint"] / rate["datasketch"],
        },
        "blocks": {"runs": block_runs, "rates": block},
        "memory": memory,
        "store": {
            "runs": store,
            "disk_docs_per_second": docs / store["disk"]["median_seconds"],
            "memory_docs_per_second": docs / store["memory"]["median_seconds"],
            "disk_vs_memory": store["memory"]["median_seconds"] / store["disk"]["median_seconds"],
            "disk_vs_one_batch_memory": ingest["fingerprint"]["median_seconds"]
            / store["disk"]["median_seconds"],
            "database_bytes": database_bytes,
            "reopen": reopened["reopen"],
        },
    }


# Report.


def table(results: dict) -> str:
    info, corpus = results["machine"], results["corpus"]
    ingest, rates, memory, store = (
        results["ingest"],
        results["blocks"]["rates"],
        results["memory"],
        results["store"],
    )
    ours, articles, rensa = (
        rates["fingerprint_paragraphs"],
        rates["fingerprint_articles"],
        rates["rensa"],
    )
    batch, batch_one, rensa_batch = (
        rates["fingerprint_batch"],
        rates["fingerprint_batch_one_thread"],
        rates["rensa_batch"],
    )
    index_memory = memory["fingerprint_index"]
    reopen_seconds = store["reopen"]["median_seconds"]
    rows = [
        (
            "ingest in memory, docs/s (paragraphs/s)",
            f"{ingest['fingerprint_docs_per_second']:,.0f} "
            f"({ingest['fingerprint_paragraphs_per_second']:,.0f})",
            "",
            f"{ingest['datasketch_docs_per_second']:,.0f} "
            f"({ingest['datasketch_paragraphs_per_second']:,.0f})",
            ">= 20x datasketch",
            f"{ingest['speedup']:.1f}x",
            ingest["speedup"] >= 20,
        ),
        (
            "ingest, µs per paragraph (context)",
            f"{ingest['fingerprint_us_per_paragraph']:.1f}",
            "",
            f"{ingest['datasketch_us_per_paragraph']:.1f}",
            "",
            "",
            None,
        ),
        (
            "block insert, one call per block, inserts/s (one-block documents; per article in "
            "brackets)",
            f"{ours['inserts_per_second']:,.0f} ({articles['inserts_per_second']:,.0f})",
            f"{rensa['inserts_per_second']:,.0f}",
            "",
            ">= 2x rensa",
            f"{ours['inserts_per_second'] / rensa['inserts_per_second']:.2f}x",
            ours["inserts_per_second"] >= 2 * rensa["inserts_per_second"],
        ),
        (
            "block query, one call per block, queries/s (per article, blocks/s, in brackets)",
            f"{ours['queries_per_second']:,.0f} ({articles['queries_per_second']:,.0f})",
            f"{rensa['queries_per_second']:,.0f}",
            "",
            ">= 1x rensa",
            f"{ours['queries_per_second'] / rensa['queries_per_second']:.2f}x",
            ours["queries_per_second"] >= rensa["queries_per_second"],
        ),
        (
            "block insert in one call, inserts/s (`add_many`; rensa `insert_many`)",
            f"{batch['inserts_per_second']:,.0f}",
            f"{rensa_batch['inserts_per_second']:,.0f}",
            "",
            ">= 2x rensa",
            f"{batch['inserts_per_second'] / rensa_batch['inserts_per_second']:.2f}x",
            batch["inserts_per_second"] >= 2 * rensa_batch["inserts_per_second"],
        ),
        (
            f"block query in one call, queries/s (`examine_many` on {info['usable_cpus']} "
            "threads, on one in brackets; rensa `query_all`)",
            f"{batch['queries_per_second']:,.0f} ({batch_one['queries_per_second']:,.0f})",
            f"{rensa_batch['queries_per_second']:,.0f}",
            "",
            ">= 1x rensa",
            f"{batch['queries_per_second'] / rensa_batch['queries_per_second']:.2f}x",
            batch["queries_per_second"] >= rensa_batch["queries_per_second"],
        ),
        (
            "memory per block: heap of the Rust index (`stats()`), bytes",
            f"{index_memory['heap_bytes_per_block']:.0f}",
            "",
            "",
            "<= 400",
            "",
            index_memory["heap_bytes_per_block"] <= 400,
        ),
        (
            "memory per block: RSS growth, bytes (Index; BlockIndex of one-block documents in "
            "brackets)",
            f"{index_memory['rss_per_block']:.0f} "
            f"({memory['fingerprint_blocks']['rss_per_block']:.0f})",
            f"{memory['rensa']['rss_per_block']:.0f}",
            f"{memory['datasketch']['rss_per_block']:.0f}",
            "<= 400",
            "",
            index_memory["rss_per_block"] <= 400,
        ),
        (
            f"on disk (SQLite), add_many of {BATCH:,} stories: docs/s",
            f"{store['disk_docs_per_second']:,.0f} (in memory, same batches: "
            f"{store['memory_docs_per_second']:,.0f})",
            "",
            "",
            ">= 1/3 of in memory",
            f"{store['disk_vs_memory']:.2f}",
            store["disk_vs_memory"] >= 1 / 3,
        ),
        (
            f"reopen the whole index ({store['reopen']['said']['documents']:,} documents, "
            f"{store['database_bytes'] / 1e6:.0f} MB), s",
            f"{reopen_seconds:.2f}",
            "",
            "",
            "< 2",
            "",
            reopen_seconds < 2,
        ),
    ]
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    loads = info["load_average"]
    lines = [
        f"The corpus index on Reuters-21578: {corpus['stories']:,} stories, "
        f"{corpus['paragraphs']:,} paragraphs ({corpus['index_blocks']:,} blocks as "
        f"`Document.from_text` cuts them); median of {results['settings']['repeat']} runs. "
        f"{info['cpu']}, {info['usable_cpus']} usable CPUs, Python {info['python']}, {versions}. "
        f"Load average at start {_load(loads['start'])}, at end {_load(loads['end'])}.",
        "",
        "| | fingerprint | rensa | datasketch | required | ratio | met |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for label, ours_cell, rensa_cell, ds_cell, required, ratio, met in rows:
        mark = met_cell(met)
        lines.append(
            f"| {label} | {ours_cell} | {rensa_cell} | {ds_cell} | {required} | {ratio} | {mark} |"
        )
    lines += [
        "",
        "Ingest: fingerprint `Index().add_many` from raw text (report for every story: furniture, "
        "matches with aligned blocks and verdicts, origin); datasketch: Python tokenization, "
        f"`MinHash.bulk`, then `MinHashLSH(threshold={THRESHOLD}, num_perm={NUM_PERM})` query and "
        "insert per paragraph. Block level: inputs precomputed, only insert/add and query timed; "
        f"rensa `RMinHashLSH` {NUM_BANDS} bands x {NUM_PERM // NUM_BANDS} rows; ours "
        "`fingerprint._core.BlockIndex` (exact shingle postings, candidates ranked with aligned "
        "block pairs); in one call, the same inputs as one list (ours: postings sorted and "
        "merged together, queries spread over threads; rensa's batch calls are one thread). "
        "Memory: growth of resident memory while building the index, inputs "
        "prepared before, each tool in a fresh process.",
        "",
        f"`{results['command']}`",
    ]
    return "\n".join(lines) + "\n"


def _load(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values) if values else "?"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing (default 5)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_STORIES:,} stories, 1 run")
    parser.add_argument("--probe", choices=PROBES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeat = args.repeat or (1 if args.quick else 5)
    return args


def main() -> None:
    args = parse_args()
    stories = QUICK_STORIES if args.quick else None
    try:
        if args.probe:
            print(json.dumps(probe(args.probe, args.data, stories)))
            return
        results = benchmark(args)
    except corpora.CorpusMissing as error:
        sys.exit(f"error: {error}")
    stem = "index.quick" if args.quick else "index"
    markdown = table(results)
    write(stem, results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
