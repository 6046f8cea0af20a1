"""A subprocess that writes to an on-disk index, for the crash and concurrency tests.

``python index_worker.py PATH PREFIX COUNT BATCH [--wait]`` opens the index at PATH and adds the
documents ``PREFIX-0`` .. ``PREFIX-(COUNT-1)`` in batches of BATCH (``add`` when BATCH is 1, else
``add_many``), printing each id once its batch has returned, flushed at once: a printed id is an
acknowledged add. With ``--wait`` it prints ``ready`` once the index is open and starts adding
when a line arrives on stdin, so that several workers start together.
"""

from __future__ import annotations

import random
import sys
import time

WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ra", "si", "tu") for b in range(400)]


def article(doc_id: str, paragraphs: int = 3, words: int = 24) -> str:
    """A text of its own for ``doc_id``: the same id always gives the same text."""
    rng = random.Random(doc_id)
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(words)) + "." for _ in range(paragraphs)
    )


def main(path: str, prefix: str, count: int, batch: int, wait: bool = False) -> None:
    from fingerprint import Document, Index

    index = Index(path)
    if wait:
        print("ready", flush=True)
        sys.stdin.readline()
    ids = [f"{prefix}-{i}" for i in range(count)]
    for first in range(0, len(ids), batch):
        chunk = ids[first : first + batch]
        docs = [Document.from_text(article(d), doc_id=d, source=prefix) for d in chunk]
        if batch == 1:
            index.add(docs[0])
        else:
            index.add_many(docs)
        sys.stdout.write("".join(f"{d}\n" for d in chunk))
        sys.stdout.flush()
        if wait:
            # Racing another writer: give it a turn at the lock between writes, or a
            # fast writer may finish before the other's first retry.
            time.sleep(0.002)
    index.close()


if __name__ == "__main__":
    path, prefix, count, batch, *flags = sys.argv[1:]
    main(path, prefix, int(count), int(batch), wait="--wait" in flags)
