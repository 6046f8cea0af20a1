"""A worker process of the shared index, for the tests with several processes.

``python shared_worker.py URL NAMESPACE STORIES BATCH LEASE PAUSE`` opens the shared index,
prints ``ready``, waits for a line on stdin, then adds the stories of the JSON file STORIES (a list
of ``[id, text, source, published]``) in batches of BATCH, PAUSE seconds apart, printing each
report as a JSON line once its batch has returned, flushed at once: a printed report is an
acknowledged add.
"""

from __future__ import annotations

import json
import sys
import time


def main(url: str, namespace: str, stories: str, batch: int, lease: float, pause: float) -> None:
    from fingerprint import Document, Index

    with open(stories, encoding="utf-8") as file:
        rows = json.load(file)
    index = Index(url, namespace=namespace, lease=lease, lock_timeout=60)
    print("ready", flush=True)
    sys.stdin.readline()
    for first in range(0, len(rows), batch):
        docs = [
            Document.from_text(text, doc_id=doc_id, source=source, published=published)
            for doc_id, text, source, published in rows[first : first + batch]
        ]
        reports = index.add_many(docs)
        sys.stdout.write("".join(json.dumps(r.to_dict()) + "\n" for r in reports))
        sys.stdout.flush()
        time.sleep(pause)
    index.close()


if __name__ == "__main__":
    url, namespace, stories, batch, lease, pause = sys.argv[1:7]
    main(url, namespace, stories, int(batch), float(lease), float(pause))
