"""How the index grows: a synthetic stream from Reuters (`synthetic.py`) at 20k, 200k, 1M and 2M
documents, in memory and on SQLite.

For each size, in a fresh process: ingest with reports (`Index.add_many` in batches of 10,000),
stories a second; query latency of 1,000 documents of the stream queried one at a time (p50, p99);
resident memory growth per indexed block; then the same stream into a SQLite index: file size per
document and the time to reopen it. Writes `results/scale.json`, `results/scale.md` and
`docs/scale.png`.

    python benchmarks/scale.py                # 20k, 200k, 1M, 2M (about 40 minutes)
    python benchmarks/scale.py --quick        # 20k and 50k (a minute or two)
    python benchmarks/scale.py --sizes 20000  # chosen sizes, added to the rows of earlier runs
    python benchmarks/scale.py --sizes 2000000 --stores sqlite
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpora
import publish
import synthetic

import fingerprint
from fingerprint import Document, Index

BATCH = 10_000
QUERIES = 1_000
SIZES = (20_000, 200_000, 1_000_000, 2_000_000)
QUICK = (20_000, 50_000)
STORES = ("memory", "sqlite")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--quick", action="store_true", help="20k and 50k documents")
    parser.add_argument("--stores", nargs="+", choices=STORES, default=STORES)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, in this process
    parser.add_argument("--store", choices=("memory", "sqlite"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.data, args.one, args.store)))
        return
    sizes = args.sizes or (QUICK if args.quick else SIZES)
    rows = []
    for size in sizes:
        for store in args.stores:
            publish.log(f"{size:,} documents, {store}")
            rows.append(_in_fresh_process(args.data, size, store))
    if args.sizes:  # chosen sizes join the rows of earlier runs (sizes run one at a time)
        done = {(r["documents"], r["store"]) for r in rows}
        rows += [r for r in _earlier_rows() if (r["documents"], r["store"]) not in done]
    rows.sort(key=lambda r: (r["documents"], r["store"]))
    results = {"machine": publish.machine(fingerprint), "rows": rows}
    markdown = table(results)
    publish.write("scale", results, markdown)
    plot(rows, corpora.REPO / "docs" / "scale.png")
    print(markdown)


def _earlier_rows() -> list[dict]:
    path = publish.RESULTS / "scale.json"
    return json.loads(path.read_text(encoding="utf-8"))["rows"] if path.is_file() else []


def _in_fresh_process(data: Path, size: int, store: str) -> dict:
    command = [sys.executable, __file__, "--data", str(data), "--one", str(size)]
    done = subprocess.run([*command, "--store", store], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def measure(data: Path, size: int, store: str) -> dict:
    stories = [corpora.split_paragraphs(a) for a in corpora.reuters_articles(data)]
    stories = [s for s in stories if s]
    stream = list(synthetic.stream(stories, size))
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name, "index.db") if store == "sqlite" else None
    before = _rss()
    index = Index(path)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        index.add_many(_documents(stream[start : start + BATCH]))
    ingest = time.perf_counter() - started
    stats = index.stats()
    row = {
        "documents": size,
        "store": store,
        "blocks": stats["blocks"],
        "postings": stats["postings"],
        "ingest_s": ingest,
        "stories_per_s": size / ingest,
        "rss_bytes_per_block": (_rss() - before) / stats["blocks"],
        "heap_bytes_per_block": stats["bytes_per_block"],
    }
    latencies = []
    for doc in _documents(stream[:: max(size // QUERIES, 1)][:QUERIES]):
        started = time.perf_counter()
        index.query(doc)
        latencies.append(time.perf_counter() - started)
    quantiles = statistics.quantiles(latencies, n=100)
    row["query_p50_ms"], row["query_p99_ms"] = quantiles[49] * 1e3, quantiles[98] * 1e3
    if path is not None:
        index.close()
        row["file_bytes_per_document"] = path.stat().st_size / size
        started = time.perf_counter()
        Index(path).close()
        row["reopen_s"] = time.perf_counter() - started
    folder.cleanup()
    return row


def _documents(part: list[synthetic.SyntheticDocument]) -> list[Document]:
    return [
        Document.from_text(d.text, doc_id=d.doc_id, source=d.source, published=d.published)
        for d in part
    ]


def _rss() -> int:
    """Resident memory now, in bytes (Linux)."""
    with open("/proc/self/statm", encoding="utf-8") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def table(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Synthetic stream from Reuters (`benchmarks/synthetic.py`); {m['cpu']}, "
        f"{m['usable_cpus']} usable CPUs, Python {m['python']}, fingerprint "
        f"{m['versions']['fingerprint']}. Ingest with reports in batches of {BATCH:,}; "
        f"{QUERIES:,} queries one at a time.",
        "",
        "| documents | store | blocks | stories/s | query p50 ms | query p99 ms | RSS B/block "
        "| file B/doc | reopen s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["rows"]:
        file = f"{r['file_bytes_per_document']:,.0f}" if "file_bytes_per_document" in r else ""
        reopen = f"{r['reopen_s']:.1f}" if "reopen_s" in r else ""
        lines.append(
            f"| {r['documents']:,} | {r['store']} | {r['blocks']:,} | {r['stories_per_s']:,.0f} "
            f"| {r['query_p50_ms']:.3f} | {r['query_p99_ms']:.3f} "
            f"| {r['rss_bytes_per_block']:,.0f} | {file} | {reopen} |"
        )
    return "\n".join(lines) + "\n\n`python benchmarks/scale.py`\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    memory = [r for r in rows if r["store"] == "memory"]
    sizes = [r["documents"] for r in memory]
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    panels = [
        ("stories/s (ingest with reports)", [r["stories_per_s"] for r in memory]),
        ("query ms (p50, p99)", None),
        ("resident bytes per block", [r["rss_bytes_per_block"] for r in memory]),
    ]
    for axis, (title, values) in zip(axes, panels, strict=True):
        if values is None:
            axis.plot(sizes, [r["query_p50_ms"] for r in memory], "o-", label="p50")
            axis.plot(sizes, [r["query_p99_ms"] for r in memory], "s-", label="p99")
            axis.legend()
        else:
            axis.plot(sizes, values, "o-")
        axis.set_xscale("log")
        axis.set_title(title)
        axis.set_xlabel("documents in the index")
        axis.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
