"""This checkout's index against another build of fingerprint, side by side on one host.

A change must not make ingest or query slower. The other build is installed in its own
environment (for example a virtualenv with `pip install <checkout of the commit before>`);
each round runs one probe process per build, in alternating order, and each probe times, on all
19,779 Reuters-21578 stories (source "reuters", published = date):

- ingest: `Index().add_many` of every story, Documents built from raw text in the timed region
  (as benchmarks/index.py's ingest);
- query: `Index.query` of every story, one after another, against the full index (`query`, not
  `query_many`, so that builds from before `query_many` can be measured too);
- sketch: `fingerprint.sketch_many` of every paragraph (~107k) on one thread (as
  benchmarks/signatures.py's "fingerprint, 1 thread").

Reports the median of the rounds per build and the ratio (this build's time over the other's).
Writes benchmarks/results/<stem>.json and .md (stem: before_after unless --stem says).

    python benchmarks/before_after.py --before /tmp/before-venv/bin/python --rounds 5
    python benchmarks/before_after.py --before ... --stem before_after.issue19  # another name
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpora
from publish import log, machine, write

import fingerprint

JOBS = ("ingest", "query", "sketch")


def probe(data: Path) -> dict:
    """One build's timings, in this process."""
    from fingerprint import Document, Index, sketch_many

    paragraphs = corpora.load_reuters(data).paragraphs
    start = time.perf_counter()
    sketch_many(paragraphs, threads=1)
    sketch = time.perf_counter() - start
    stories = corpora.reuters_stories(data)
    start = time.perf_counter()
    docs = [
        Document.from_text(s.body, doc_id=s.newid, source="reuters", published=s.date)
        for s in stories
    ]
    index = Index()
    index.add_many(docs)
    ingest = time.perf_counter() - start
    start = time.perf_counter()
    for doc in docs:
        index.query(doc)
    query = time.perf_counter() - start
    return {"ingest": ingest, "query": query, "sketch": sketch, "stories": len(docs)}


def run_probe(python: str, data: Path) -> dict:
    here = Path(__file__).resolve()
    command = [python, str(here), "--probe", "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=here.parent)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--before", help="the other build's Python interpreter")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stem", default="before_after", help="results file name")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.data)))
        return
    if not args.before:
        parser.error("--before PYTHON is required")
    builds = {"before": args.before, "after": sys.executable}
    runs: dict[str, list[dict]] = {name: [] for name in builds}
    for round_ in range(args.rounds):
        order = list(builds) if round_ % 2 == 0 else list(reversed(builds))
        for name in order:
            runs[name].append(run_probe(builds[name], args.data))
            log(f"round {round_ + 1} {name}: {runs[name][-1]}")
    medians = {
        name: {job: statistics.median(r[job] for r in results) for job in JOBS}
        for name, results in runs.items()
    }
    ratios = {job: medians["after"][job] / medians["before"][job] for job in JOBS}
    results = {
        "benchmark": "before_after",
        "command": "python " + shlex.join(sys.argv),
        "machine": machine(fingerprint),
        "builds": builds,
        "runs": runs,
        "medians": medians,
        "time_after_over_before": ratios,
    }
    lines = [
        f"This build against {args.before}, {args.rounds} rounds, medians (seconds), Reuters "
        f"{runs['after'][0]['stories']:,} stories.",
        "",
        "| job | before | after | after / before |",
        "|---|---|---|---|",
        *(
            f"| {job} | {medians['before'][job]:.2f} | {medians['after'][job]:.2f} | "
            f"{ratios[job]:.3f} |"
            for job in JOBS
        ),
        "",
        f"`{results['command']}`",
    ]
    markdown = "\n".join(lines) + "\n"
    write(args.stem, results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
