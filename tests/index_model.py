"""A plain-Python model of the corpus index, written from docs/spec.md ("The index") alone.

Slow and direct: every query recounts everything from the live documents, in the order they were
added. The real `Index` (in memory or on SQLite) must give the same reports whatever the
batching, the merges or the removals behind it (tests/test_index_model.py). Shingle sets come
from the recipe (`fingerprint.shingle_hashes`, checked bit for bit by tests/reference.py).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fingerprint import Document, shingle_hashes
from fingerprint.document import _parse_published

BOILERPLATE_MIN = 3
MIN_EVIDENCE_SHINGLES = 3
MAX_POSTINGS = 16
MAX_CANDIDATES = 10
MIN_CONTAINMENT = 0.1
MIN_SHARED = 8
# Thresholds (spec: alignment and verdicts).
PAIR, NEAR_DUPLICATE, SAME, CONTAINS, PARTIAL = 0.5, 0.5, 0.8, 0.5, 0.1
COPY_VERDICTS = ("same_article", "a_contains_b", "b_contains_a")


@dataclass
class Stored:
    """A live document as the index keeps it: its evidence, size and links are what it was found
    to have against the live documents before it (spec I6: decided anew after a removal)."""

    doc: Document
    number: int
    blocks: list[frozenset[int]]
    evidence: list[bool]
    size: int
    links: list[int] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        assert self.doc.doc_id is not None
        return self.doc.doc_id

    @property
    def source(self) -> str | None:
        return self.doc.source

    @property
    def published(self) -> datetime | None:
        return self.doc.published

    def keys(self, b: int) -> set[int]:
        return {h >> 32 for h in self.blocks[b]} if self.evidence[b] else set()

    def nonempty(self) -> list[frozenset[int]]:
        return [s for s in self.blocks if s]


class IndexModel:
    def __init__(self, boilerplate_min: int = BOILERPLATE_MIN, max_postings: int = MAX_POSTINGS):
        self.boilerplate_min = boilerplate_min
        self.max_postings = max_postings
        self.live: list[Stored] = []
        self.added = 0

    # -- the operations ------------------------------------------------------------------------

    def add(self, doc: Document) -> dict[str, Any]:
        assert doc.doc_id is not None and all(s.doc_id != doc.doc_id for s in self.live)
        blocks = _blocks(doc)
        evidence, report, links = self._examine(doc, blocks)
        self.live.append(self._stored(doc, self.added, blocks, evidence, links))
        self.added += 1
        return report

    def _stored(
        self,
        doc: Document,
        number: int,
        blocks: list[frozenset[int]],
        evidence: list[bool],
        links: list[str],
    ) -> Stored:
        """A document as stored after the live ones, found to have ``evidence`` and ``links``."""
        keys = set().union(
            *[{h >> 32 for h in s} for s, e in zip(blocks, evidence, strict=True) if e]
        )
        stored = Stored(doc, number, blocks, evidence, len(keys))
        stored.links = [s.number for s in self.live if s.doc_id in links]
        return stored

    def _replay(self) -> None:
        """Every live document stored anew, in order, against the live ones before it: as if the
        removed documents had never been added."""
        documents, self.live = self.live, []
        for s in documents:
            evidence, _, links = self._examine(s.doc, s.blocks)
            self.live.append(self._stored(s.doc, s.number, s.blocks, evidence, links))

    def query(self, doc: Document) -> dict[str, Any]:
        return self._examine(doc, _blocks(doc))[1]

    def remove(self, doc_id: str) -> bool:
        kept = [s for s in self.live if s.doc_id != doc_id]
        removed = len(kept) < len(self.live)
        self.live = kept
        self._replay()
        return removed

    def expire(self, before: str) -> int:
        cutoff = _parse_published(before)
        assert cutoff is not None
        kept = [s for s in self.live if s.published is None or s.published >= cutoff]
        removed = len(self.live) - len(kept)
        self.live = kept
        self._replay()
        return removed

    def ids(self) -> list[str]:
        return [s.doc_id for s in self.live]

    # -- examining a document ------------------------------------------------------------------

    def _examine(
        self, doc: Document, blocks: list[frozenset[int]]
    ) -> tuple[list[bool], dict[str, Any], list[str]]:
        furniture = [self._furniture_count(doc.source, s) for s in blocks]
        eligible = [len(s) >= MIN_EVIDENCE_SHINGLES for s in blocks]
        evidence = [
            e and c < self.boilerplate_min for e, c in zip(eligible, furniture, strict=True)
        ]
        if not any(evidence):
            evidence = eligible
        matches = [m for m in self._matches(blocks, evidence) if m["id"] != doc.doc_id]
        same_story = [m["id"] for m in matches if _same_story(m)]
        report = {
            "id": doc.doc_id,
            "repeated": doc.repeated_blocks(),
            "boilerplate": [
                {"block": i, "count": c}
                for i, c in enumerate(furniture)
                if c >= self.boilerplate_min
            ],
            "matches": matches,
            "origin": self._origin(doc, matches),
        }
        return evidence, report, same_story

    def _furniture_count(self, source: str | None, block: frozenset[int]) -> int:
        if source is None or not block:
            return 0
        return sum(1 for s in self.live if s.source == source and block in s.blocks)

    def _matches(self, blocks: list[frozenset[int]], evidence: list[bool]) -> list[dict]:
        query_keys: dict[int, set[int]] = {}  # key -> the query's evidence blocks holding it
        for i, s in enumerate(blocks):
            if evidence[i]:
                for h in s:
                    query_keys.setdefault(h >> 32, set()).add(i)
        keys = sorted(query_keys)
        total_blocks = max(sum(len(s.blocks) for s in self.live), 1)
        postings = {k: 0 for k in keys}
        for s in self.live:
            for b in range(len(s.blocks)):
                for k in s.keys(b) & postings.keys():
                    postings[k] += 1
        size, weight = 0, 0.0
        scores: dict[int, list] = {}  # live position -> [keys shared, weight]
        for k in keys:
            if postings[k] > self.max_postings:
                continue  # a stop shingle
            idf = math.log(1.0 + total_blocks / max(postings[k], 1))
            size += 1
            weight += idf
            for at, s in enumerate(self.live):
                if any(k in s.keys(b) for b in range(len(s.blocks))):
                    score = scores.setdefault(at, [0, 0.0])
                    score[0] += 1
                    score[1] += idf
        mine = [s for s in blocks if s]
        twins = [at for at, s in enumerate(self.live) if mine and s.nonempty() == mine]
        twins = twins[:MAX_CANDIDATES]
        least = MIN_CONTAINMENT * size
        others = [(at, n, w) for at, (n, w) in scores.items() if n >= least and at not in twins]
        others.sort(key=lambda c: (-c[2], -c[1] / max(self.live[c[0]].size, 1), c[0]))
        others = others[: MAX_CANDIDATES - len(twins)]
        furniture = {s for s, e in zip(blocks, evidence, strict=True) if not e and s}
        sizes = [len(s) for s in blocks]
        total_a = sum(n for n, e in zip(sizes, evidence, strict=True) if e)
        found = []
        for at in twins:
            s = self.live[at]
            # The same non-empty blocks in the same order: the i-th of each pair up.
            ours = [i for i, b in enumerate(blocks) if b]
            theirs = [j for j, b in enumerate(s.blocks) if b]
            pairs = [
                (i, j, len(s.blocks[j]), len(s.blocks[j]))
                for i, j in zip(ours, theirs, strict=True)
                if evidence[i]
            ]
            doc_size = self._discounted(s, furniture, size)
            found.append(self._match(s, (1.0, 1.0, 1.0), pairs, sizes, total_a, doc_size))
        for at, _, _ in others:
            s = self.live[at]
            held = set().union(*[s.keys(b) for b in range(len(s.blocks))])
            shared_all = len(held & query_keys.keys())
            pairs = []
            for q in range(len(blocks)):
                for b in range(len(s.blocks)):
                    n = sum(1 for k in s.keys(b) if q in query_keys.get(k, ()))
                    if n:
                        pairs.append((q, b, n, len(s.blocks[b])))
            doc_size = self._discounted(s, furniture, shared_all)
            if shared_all < min(MIN_SHARED, len(keys), doc_size):
                continue  # a few shared phrases are chance, unless the whole of one side
            if _share(shared_all, len(keys)) < MIN_CONTAINMENT:
                continue
            shares = (
                _share(shared_all, len(keys)),
                _share(shared_all, doc_size),
                _share(shared_all, len(keys) + doc_size - shared_all),
            )
            found.append(self._match(s, shares, pairs, sizes, total_a, doc_size))
        # Best first: containment both ways; ties keep the candidates' order (stable sort).
        return sorted(found, key=lambda m: -(m["containment"] + m["contained"]))

    def _discounted(self, s: Stored, furniture: set[frozenset[int]], least: int) -> int:
        """The document's size less its evidence blocks the query holds as furniture."""
        dropped = sum(
            len(b) for b, e in zip(s.blocks, s.evidence, strict=True) if e and b in furniture
        )
        return max(max(s.size - dropped, 0), least) if furniture else s.size

    def _match(self, s, shares, pairs, sizes, total_a, total_b) -> dict[str, Any]:
        aligned, verdict = _align(pairs, sizes, total_a, total_b, shares[:2])
        return {
            "id": s.doc_id,
            "source": s.source,
            "published": s.published.isoformat() if s.published else None,
            "containment": shares[0],
            "contained": shares[1],
            "jaccard": shares[2],
            "verdict": "partial_overlap" if verdict == "unrelated" else verdict,
            "pairs": aligned,
        }

    def _origin(self, doc: Document, matches: list[dict]) -> str | None:
        copies = [m for m in matches if m["verdict"] in COPY_VERDICTS]
        links = copies
        if not copies and matches:
            whole = any(
                p["relation"] in ("identical", "near-duplicate") for p in matches[0]["pairs"]
            )
            links = [matches[0]] if whole else []
        if not links:
            return None
        by_id = {s.doc_id: s for s in self.live}
        cluster = self._clusters()
        members = [s for m in links for s in cluster[by_id[m["id"]].number]]
        ages = [(_age(s.published, s.number), s.doc_id) for s in members]
        return min([*ages, (_age(doc.published, self.added), doc.doc_id)])[1]

    def _clusters(self) -> dict[int, list[Stored]]:
        """Each live document's cluster: the components of the links between live documents."""
        by_number = {s.number: s for s in self.live}
        cluster = {n: [s] for n, s in by_number.items()}
        for s in self.live:
            for other in s.links:
                if other in by_number and cluster[other] is not cluster[s.number]:
                    joined = cluster[other] + cluster[s.number]
                    for member in joined:
                        cluster[member.number] = joined
        return cluster


def _blocks(doc: Document) -> list[frozenset[int]]:
    return [frozenset(int(h) for h in shingle_hashes(t, doc.recipe)) for t in doc.texts]


def _share(n: int, whole: int) -> float:
    return 0.0 if whole == 0 else n / whole


def _same_story(m: dict[str, Any]) -> bool:
    inside = {
        "same_article": min(m["containment"], m["contained"]),
        "b_contains_a": m["containment"],
        "a_contains_b": m["contained"],
    }
    return inside.get(m["verdict"], 0.0) >= CONTAINS


def _age(published: datetime | None, number: int) -> tuple[bool, datetime, int]:
    return (published is None, published or datetime.min, number)


def _align(pairs, sizes, total_a, total_b, containment) -> tuple[list[dict], str]:
    """Aligned block pairs and the verdict (spec: alignment and verdicts)."""
    aligned = []
    for a, b, shared, size_b in sorted(pairs):
        size_a = sizes[a]
        similarity = shared / (size_a + size_b - shared)
        a_in_b, b_in_a = shared / size_a, shared / size_b
        if max(similarity, a_in_b, b_in_a) >= PAIR:
            relation = (
                "identical"
                if similarity == 1.0
                else "near-duplicate"
                if similarity >= NEAR_DUPLICATE
                else "contained"
            )
            aligned.append((a, b, similarity, relation, a_in_b, b_in_a, size_a, size_b))
    covered_a = _covered(aligned, lambda p: (p[0], p[4], p[6]))
    covered_b = _covered(sorted(aligned, key=lambda p: (p[1], p[0])), lambda p: (p[1], p[5], p[7]))
    coverage_a = _share(covered_a, total_a)
    coverage_b = _share(covered_b, total_b)
    if min(containment) >= SAME or (coverage_a >= SAME and coverage_b >= SAME):
        verdict = "same_article"
    elif coverage_b >= CONTAINS and coverage_b > coverage_a:
        verdict = "a_contains_b"
    elif coverage_a >= CONTAINS and coverage_a > coverage_b:
        verdict = "b_contains_a"
    elif max(coverage_a, coverage_b) >= PARTIAL:
        verdict = "partial_overlap"
    else:
        verdict = "unrelated"
    shown = [{"a": p[0], "b": p[1], "similarity": p[2], "relation": p[3]} for p in aligned]
    return shown, verdict


def _covered(pairs, side) -> int:
    """Shingles of one side's blocks whose containment, summed over their pairs, reaches PAIR."""
    total = 0
    for _, run in itertools.groupby(pairs, key=lambda p: side(p)[0]):
        run = list(run)
        if sum(side(p)[1] for p in run) >= PAIR:
            total += side(run[0])[2]
    return total
