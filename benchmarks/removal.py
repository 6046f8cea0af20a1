"""What a removal costs, now that it is as if the document had never been added: every live
document added after the first one removed is examined again (docs/spec.md, I6).

On the 19,779 Reuters stories (five sources by NEWID, dates over a month), in memory and on
SQLite: the index holding all of them, then each of

- removing the newest story (nothing comes after it: nothing is examined again);
- removing the story in the middle (half the index examined again);
- removing the oldest story (the whole index examined again);
- expiring the oldest week (one pass, however many it removes);

timed alone, on a fresh copy of the index each time (median of --repeat), beside adding the
whole corpus, the cost it compares with.

    python benchmarks/removal.py --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import corpora
import publish

import fingerprint
from fingerprint import Document, Index

SOURCES = ("wire", "courier", "herald", "globe", "post")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stories", type=int, default=None, help="the first N stories only")
    args = parser.parse_args()
    stories = corpora.reuters_stories(args.data)[: args.stories]
    documents = [
        Document.from_text(
            s.body, doc_id=s.newid, source=SOURCES[int(s.newid) % 5], published=s.date
        )
        for s in stories
    ]
    dated = sorted(d.published for d in documents if d.published)
    week = (dated[0] + timedelta(days=7)).isoformat()
    oldest = min(documents, key=lambda d: (d.published is None, d.published or dated[0]))
    cases: dict[str, Callable[[Index], object]] = {
        "add the corpus": lambda index: None,
        "remove the newest": lambda index: index.remove(documents[-1].doc_id),
        "remove the middle one": lambda index: index.remove(documents[len(documents) // 2].doc_id),
        "remove the oldest": lambda index: index.remove(oldest.doc_id),
        "expire the oldest week": lambda index: index.expire(week),
    }
    rows = []
    folder = Path(tempfile.mkdtemp())
    for where in ("memory", "sqlite"):
        for case, act in cases.items():
            seconds = [timed(documents, where, case, act, folder) for _ in range(args.repeat)]
            rows.append({"where": where, "case": case, "seconds": statistics.median(seconds)})
            publish.log(f"{where}: {case}: {rows[-1]['seconds']:.3f} s")
    shutil.rmtree(folder)
    markdown = table(rows, len(documents))
    publish.write("removal", {"machine": publish.machine(fingerprint), "rows": rows}, markdown)
    print(markdown)


def timed(
    documents: list[Document],
    where: str,
    case: str,
    act: Callable[[Index], object],
    folder: Path,
) -> float:
    """Seconds ``act`` takes on an index holding ``documents`` (adding them, for the add case)."""
    path = folder / "removal.db"
    path.unlink(missing_ok=True)
    index = Index(path if where == "sqlite" else None)
    started = time.perf_counter()
    index.add_many(documents)
    added = time.perf_counter()
    act(index)
    done = time.perf_counter()
    index.close()
    return added - started if case == "add the corpus" else done - added


def table(rows: list[dict], stories: int) -> str:
    lines = [
        f"| on {stories:,} Reuters stories | in memory, s | on SQLite, s |",
        "|---|---:|---:|",
    ]
    cases = dict.fromkeys(row["case"] for row in rows)
    for case in cases:
        cells = [f"{r['seconds']:.3f}" for r in rows if r["case"] == case]
        lines.append(f"| {case} | {' | '.join(cells)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
