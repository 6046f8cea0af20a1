"""The speed of `fingerprint.compare` on two real ~1,000-word articles.

Articles: the two Reuters-21578 bodies (see corpora.py) whose word counts are nearest 1,000, A and
B, as they are (hard-wrapped wire copy, cut into blocks by `Document.from_text`). Three cases:

- identical: A against a fresh copy of A (every block aligns);
- trimmed copy: A against its first 60% of paragraphs (a syndicated copy's shape);
- unrelated: A against B (what most comparisons in an index look like).

Each case is timed from texts (`compare(text_a, text_b)`: segmentation, shingling and sketching of
both included) and from pre-built Documents (`compare(doc_a, doc_b)`: alignment, scores, verdict and
repeated blocks only). Also timed: building one Document (`Document.from_text(A).sketch`). Calls run
one at a time, the cases and modes interleaved in a rotating order; each number is the median of
--runs calls (p10 and p90 beside it), after a warm-up.

Writes benchmarks/results/compare.json (machine, inputs, every summary) and
benchmarks/results/compare.md (the table), and prints the table.

    python benchmarks/compare.py             # 2,000 calls per measurement
    python benchmarks/compare.py --quick     # 200 calls, writes compare.quick.*
"""

from __future__ import annotations

import argparse
import gc
import json
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import corpora
from publish import machine, write

import fingerprint
from fingerprint import Document, compare

TARGET_WORDS = 1000
TRIM_SHARE = 0.6
WARMUP = 50
TARGET_MS = 1.0  # the bound for comparing two 1,000-word articles in the library


def nearest_articles(data_dir: Path, count: int = 2) -> list[str]:
    """The `count` Reuters bodies whose word counts are nearest TARGET_WORDS, nearest first."""
    bodies = corpora.reuters_articles(data_dir)
    return sorted(bodies, key=lambda body: abs(len(body.split()) - TARGET_WORDS))[:count]


def trimmed(body: str, share: float) -> str:
    """The first `share` of a wire story's paragraphs, as wire text."""
    paragraphs = corpora.PARAGRAPH_BREAK.split(body)
    return "\n".join(paragraphs[: max(1, round(share * len(paragraphs)))])


def cases(a: str, b: str) -> dict[str, tuple[str, str]]:
    """The text pairs to compare, by case name."""
    return {
        "identical": (a, "".join(list(a))),  # an equal string, not the same object
        "trimmed copy": (a, trimmed(a, TRIM_SHARE)),
        "unrelated": (a, b),
    }


def calls(pairs: dict[str, tuple[str, str]]) -> dict[str, Callable[[], object]]:
    """Every timed call, by "case / mode" name."""
    timed: dict[str, Callable[[], object]] = {"build one Document": lambda: _build(pairs)}
    for name, (text_a, text_b) in pairs.items():
        doc_a, doc_b = Document.from_text(text_a), Document.from_text(text_b)
        doc_a.sketch, doc_b.sketch  # noqa: B018  (built once, outside the timing)
        timed[f"{name} / texts"] = lambda x=text_a, y=text_b: compare(x, y)
        timed[f"{name} / documents"] = lambda x=doc_a, y=doc_b: compare(x, y)
    return timed


def _build(pairs: dict[str, tuple[str, str]]) -> object:
    """One Document built and sketched from the first article's text."""
    return Document.from_text(pairs["identical"][0]).sketch


def measure(timed: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Per-call seconds of each call, `runs` each, interleaved in a rotating order."""
    names = list(timed)
    for name in names:
        for _ in range(WARMUP):
            timed[name]()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    for run in range(runs):
        for name in names[run % len(names) :] + names[: run % len(names)]:
            start = time.perf_counter()
            timed[name]()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def summarize(seconds: list[float]) -> dict[str, float]:
    """Median, p10 and p90 of per-call times, in milliseconds."""
    deciles = statistics.quantiles(seconds, n=10)
    return {
        "median_ms": statistics.median(seconds) * 1e3,
        "p10_ms": deciles[0] * 1e3,
        "p90_ms": deciles[-1] * 1e3,
        "runs": len(seconds),
    }


def describe(pairs: dict[str, tuple[str, str]]) -> dict[str, dict]:
    """Words, blocks, aligned pairs and verdict of each case, from one comparison."""
    described = {}
    for name, (text_a, text_b) in pairs.items():
        result = compare(text_a, text_b)
        described[name] = {
            "words": [len(text_a.split()), len(text_b.split())],
            "blocks": [len(result.a), len(result.b)],
            "aligned_pairs": len(result.pairs),
            "verdict": result.verdict,
        }
    return described


def table(results: dict) -> str:
    """The markdown table and its caption."""
    info, inputs = results["machine"], results["inputs"]
    lines = [
        f"`fingerprint.compare` on two real Reuters-21578 articles of {inputs['words'][0]:,} and "
        f"{inputs['words'][1]:,} words (NEWIDs {inputs['newids'][0]} and {inputs['newids'][1]}); "
        f"median of {results['runs']:,} calls, one at a time. {info['cpu']}, Python "
        f"{info['python']}, fingerprint {info['versions']['fingerprint']}.",
        "",
        "| case | blocks (a, b) | aligned pairs | verdict | from texts, ms | from Documents, ms |",
        "|---|---:|---:|---|---:|---:|",
    ]
    timings = results["timings"]
    for name, about in results["cases"].items():
        texts, docs = timings[f"{name} / texts"], timings[f"{name} / documents"]
        lines.append(
            f"| {name} | {about['blocks'][0]}, {about['blocks'][1]} | {about['aligned_pairs']} | "
            f"{about['verdict']} | {_cell(texts)} | {_cell(docs)} |"
        )
    build = timings["build one Document"]
    lines += [
        "",
        f"Building one Document from the 1,000-word text (segmentation, shingles, block and "
        f"document signatures): {_cell(build)} ms. Cells: median (p10-p90). "
        f"Target: under {TARGET_MS:g} ms per comparison.",
        "",
        f"`{results['command']}`",
    ]
    return "\n".join(lines) + "\n"


def _cell(summary: dict[str, float]) -> str:
    """A median with its p10-p90 range."""
    return f"{summary['median_ms']:.3f} ({summary['p10_ms']:.3f}-{summary['p90_ms']:.3f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--runs", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--quick", action="store_true", help="200 calls, compare.quick.*")
    args = parser.parse_args(argv)
    runs = 200 if args.quick else args.runs
    a, b = nearest_articles(args.data)
    pairs = cases(a, b)
    results = {
        "machine": machine(fingerprint),
        "command": shlex.join(["python", "benchmarks/compare.py", *sys.argv[1:]]),
        "runs": runs,
        "inputs": {"words": [len(a.split()), len(b.split())], "newids": _newids(args.data, a, b)},
        "cases": describe(pairs),
        "timings": {k: summarize(v) for k, v in measure(calls(pairs), runs).items()},
    }
    stem = "compare.quick" if args.quick else "compare"
    markdown = table(results)
    write(stem, results, markdown)
    print(markdown, end="")
    return 0


def _newids(data_dir: Path, *bodies: str) -> list[int]:
    """The Reuters NEWIDs of the given bodies."""
    wanted = {body: None for body in bodies}
    with (Path(data_dir) / corpora.REUTERS).open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("body") in wanted and wanted[row["body"]] is None:
                wanted[row["body"]] = row["newid"]
    return [wanted[body] for body in bodies]


if __name__ == "__main__":
    sys.exit(main())
