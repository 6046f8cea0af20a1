"""The corpus index for ingestion: every incoming article checked against everything seen before.

Evidence is block-level: the index keeps every shingle of every evidence block (blocks that are
neither page furniture nor short), and a query finds the earlier documents whose blocks share
shingles with the new one's, ranked by how much of the new document they hold (rare shingles
weigh more). Copies are trimmed and rewritten, so containment, not whole-document similarity, is
the signal: docs/how-it-works.md.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fingerprint._core import (
    NO_SOURCE,
    BlockIndex,
    DocumentSketch,
    Examination,
    Policy,
    Recipe,
    sketch_documents,
)
from fingerprint.alignment import DEFAULTS, Thresholds
from fingerprint.arguments import check_positive
from fingerprint.clusters import Clusters
from fingerprint.document import Document, _parse_published
from fingerprint.examined import Age, Entry, age, origin_among, report_of
from fingerprint.findings import Match, Report
from fingerprint.stores import Replica, Row, is_redis_url, policy_id

if TYPE_CHECKING:
    from fingerprint.stores.redis import RedisStore
    from fingerprint.stores.sqlite import SqliteStore


class Index:
    """Near-duplicate blocks, per-source page furniture and earlier copies of every document.

    In memory when ``path`` is None; shared by every process that opens it when ``path`` is a
    Redis URL (``redis://host:port/db``; docs/shared-index.md), under ``namespace`` (or the
    URL's ``#name``; "fingerprint" by default); otherwise durable in a SQLite database at
    ``path``. A stored index is reloaded when opened again, under the recipe stored with it
    when ``recipe`` is None.
    ``boilerplate_min``: a block seen identical in at least this many other documents of the same
    source is page furniture. ``min_containment``: an earlier document is a match when at least
    this share of the new document's evidence shingles is in it, and it shares at least
    ``min_shared`` of them (or the whole of either document, when it has fewer).
    ``lock_timeout``: seconds a write waits for another process's write to finish.
    ``lease``: seconds a process may hold a shared index's write lock (one that dies holding it
    holds the others back that long at most).
    ``durability``: "normal" (an acknowledged add survives the process being killed) or "full"
    (it survives a power cut too, each commit synced to disk): docs/reliability.md.
    ``merge_at``: the core merges its recent postings from this many on (None: its default);
    reports never depend on it, and tests make it small so that merges come often.

    >>> from fingerprint import Document, Index
    >>> index = Index()
    >>> wire = "A storm hit the coast on Monday.\\n\\nHeavy rain fell overnight on the whole coast."
    >>> _ = index.add(Document.from_text(wire, doc_id="wire", published="2024-05-01"))
    >>> copy = Document.from_text("Heavy rain fell overnight on the whole coast.", doc_id="copy")
    >>> report = index.add(copy)
    >>> [(m.doc_id, m.containment, m.verdict) for m in report.matches], report.origin
    ([('wire', 1.0, 'b_contains_a')], 'wire')
    """

    def __init__(
        self,
        path: str | Path | None = None,
        recipe: Recipe | None = None,
        *,
        boilerplate_min: int = DEFAULTS.boilerplate_min,
        min_containment: float = DEFAULTS.min_containment,
        min_shared: int = DEFAULTS.min_shared,
        max_candidates: int = DEFAULTS.max_candidates,
        max_postings: int = DEFAULTS.max_postings,
        thresholds: Thresholds | None = None,
        lock_timeout: float = 30.0,
        durability: str = "normal",
        merge_at: int | None = None,
        namespace: str | None = None,
        lease: float = 10.0,
    ) -> None:
        thresholds = thresholds or Thresholds()
        if not isinstance(thresholds, Thresholds):
            raise TypeError(f"thresholds must be Thresholds, not {type(thresholds).__name__}")
        if durability not in ("normal", "full"):
            raise ValueError(f"durability ({durability!r}) must be 'normal' or 'full'")
        # The core checks every other parameter, naming a wrong one.
        self.policy = Policy(
            boilerplate_min=boilerplate_min,
            max_postings=max_postings,
            max_candidates=max_candidates,
            min_containment=min_containment,
            min_shared=min_shared,
            **asdict(thresholds),
        )
        if merge_at is not None:
            check_positive("merge_at", merge_at)
        self._store = _open_store(
            path, recipe, self.policy, namespace, lock_timeout, lease, durability
        )
        self.recipe = self._store.recipe if self._store else (recipe or Recipe())
        self.boilerplate_min = boilerplate_min
        self.min_containment = min_containment
        self.min_shared = min_shared
        self.max_candidates = max_candidates
        self.max_postings = max_postings
        self.thresholds = thresholds
        self._lock = threading.RLock()
        self._merge_at = merge_at
        self._core = BlockIndex(self.recipe, self.policy, merge_at)
        self._entries: list[Entry | None] = []
        self._numbers: dict[str, int] = {}
        self._sources: dict[str | None, int] = {}
        self._clusters = Clusters(age=self._age_of)
        self._next_id = 0
        self._replica = Replica(self._load_rows, self._unload, self._reset)
        if self._store:
            self._sync()

    # -- reading -------------------------------------------------------------------------------

    def query(self, doc: Document | str) -> Report:
        """The report ``add`` would give, without adding the document. A document already in
        the index is not its own match."""
        document = self._document(doc)
        with self._lock:
            self._sync()
            source, itself = self._question(document)
            seen = self._core.examine(document.sketch, source, itself)
            return self._report(document, document.doc_id or "", seen)[0]

    def query_many(
        self, docs: Iterable[Document | str], threads: int | None = None
    ) -> list[Report]:
        """The report ``query`` gives for each document, nothing added, the documents examined on
        ``threads`` threads (None: every core).

        >>> index = Index()
        >>> _ = index.add("Heavy rain fell overnight on the whole coast, officials said.")
        >>> [len(r.matches) for r in index.query_many(["Heavy rain fell overnight.", "Snow."])]
        [1, 0]
        """
        documents = [self._document(doc) for doc in docs]
        with self._lock:
            self._sync()
            questions = [self._question(d) for d in documents]
            sketches = [d.sketch for d in documents]
            sources, itselves = [q[0] for q in questions], [q[1] for q in questions]
            seen = self._core.examine_many(sketches, sources, itselves, threads)
            return [
                self._report(d, d.doc_id or "", s)[0] for d, s in zip(documents, seen, strict=True)
            ]

    def __len__(self) -> int:
        with self._lock:
            self._sync()
            return len(self._numbers)

    def __iter__(self) -> Iterator[str]:
        """The ids of the documents in the index, in the order they were added."""
        with self._lock:
            self._sync()
            return iter([entry.doc_id for entry in self._entries if entry is not None])

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            self._sync()
            return doc_id in self._numbers

    @property
    def store(self) -> SqliteStore | RedisStore | None:
        """Where the index is kept beyond this process (None in memory). Its ``transaction()``
        groups writes with ``hold_reports(path, offset, lines)``, report lines committed with
        their documents until written (``held_reports(path)``, ``release_reports(path)``), as
        ``fingerprint index add --out`` does."""
        return self._store

    def stats(self) -> dict[str, Any]:
        """Documents, blocks, postings, memory held, sources, recipe and path."""
        with self._lock:
            self._sync()
            documents, blocks, postings, heap = self._core.stats()
            return {
                "documents": documents,
                "blocks": blocks,
                "postings": postings,
                "bytes": heap,
                "bytes_per_block": heap / blocks if blocks else 0.0,
                "sources": len(self._sources),
                "recipe": self.recipe.id,
                "path": str(self._store.path) if self._store else None,
            }

    # -- writing -------------------------------------------------------------------------------

    def add(self, doc: Document | str) -> Report:
        """Checks a document against everything seen before, then adds it. Returns the report.

        With a path, the document is on disk when ``add`` returns.
        """
        return self.add_many([doc])[0]

    def add_many(self, docs: Iterable[Document | str]) -> list[Report]:
        """Adds documents in order, each checked against all before it (the batch included).

        The batch goes into Rust in one call; with a path, the whole batch is written in one
        transaction before this returns.
        """
        documents = [self._document(doc) for doc in docs]
        if self._store and self._store.shared:
            _sketch(documents, self.recipe)  # before taking the lock that other processes wait for
        with self._lock, self._writing():
            ids = self._new_ids(documents)
            sources = [self._source_number(d.source) for d in documents]
            # The core sketches, examines and adds on threads of its own; each report is built
            # here as its document's results come, while the core goes on with the next ones.
            done = self._core.ingest([d._sketch_input() for d in documents], sources)
            numbers: list[int] = []
            try:
                reports, rows = [], []
                for document, doc_id, (number, seen, sketch) in zip(
                    documents, ids, done, strict=True
                ):
                    numbers.append(number)
                    if sketch is not None:
                        document.__dict__["sketch"] = sketch  # primes Document.sketch
                    report, copies = self._report(document, doc_id, seen)
                    entry = Entry(doc_id, document.source, document.published)
                    self._remember(number, entry, copies)
                    reports.append(report)
                    if self._store:
                        evidence = bytes(seen.evidence)
                        rows.append((entry, document.sketch.to_bytes(), evidence, copies))
                if self._store:
                    self._store.append(rows)
            except BaseException:
                # The core added the whole batch: all of it goes.
                numbers.extend(number for number, *_ in done)
                for number in numbers:
                    self._forget(number)
                raise
            return reports

    def remove(self, doc_id: str) -> bool:
        """Removes a document, as if it had never been added; returns whether it was there.
        Every document added after it is examined again (docs/spec.md, I6)."""
        return self._remove(lambda: [doc_id]) == 1

    def expire(self, before: datetime | date | str) -> int:
        """Removes every document published before ``before``, as ``remove`` does, in one pass;
        returns how many."""
        cutoff = _parse_published(before)

        def old() -> list[str]:
            return [
                entry.doc_id
                for entry in self._entries
                if entry and entry.published and cutoff and entry.published < cutoff
            ]

        return self._remove(old)

    def close(self) -> None:
        """Closes the database, if any."""
        if self._store:
            self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- inside --------------------------------------------------------------------------------

    def _report(
        self, document: Document, doc_id: str, seen: Examination
    ) -> tuple[Report, list[str]]:
        """The report on a document the core examined, and the ids of the documents whose
        clusters it joins (the core says which matches make one story with it, and which name
        its origin)."""

        def origin(links: list[Match]) -> str | None:
            return self._origin(links, document.published, doc_id)

        report, joined = report_of(seen, doc_id, self._entry, self.policy.boilerplate_min, origin)
        return report, [report.matches[i].doc_id for i in joined]

    def _question(self, document: Document) -> tuple[int, int | None]:
        """For examining a document without adding it: its source's number (NO_SOURCE for a
        source the index has not seen), and its own number if it is in the index."""
        known = self._sources.get(document.source) if document.source is not None else None
        itself = self._numbers.get(document.doc_id) if document.doc_id is not None else None
        return NO_SOURCE if known is None else known, itself

    def _source_number(self, source: str | None) -> int:
        """The core's number for a source; documents without one share no furniture."""
        if source is None:
            return NO_SOURCE
        return self._sources.setdefault(source, len(self._sources))

    def _entry(self, number: int) -> Entry:
        entry = self._entries[number]
        assert entry is not None, "the core returns live documents only"
        return entry

    def _origin(self, links: list[Match], published: datetime | None, doc_id: str) -> str | None:
        """The earliest-published document among the new one and the clusters of the documents
        it links to; unknown dates count as later than any known, and ties go to the first added."""
        itself = (age(published, len(self._entries)), doc_id)
        linked = (self._numbers[m.doc_id] for m in links)
        return origin_among(self._clusters, linked, itself, self._named)

    def _named(self, number: int) -> tuple[Age, str]:
        return self._age_of(number), self._doc_id(number)

    def _age_of(self, number: int) -> Age:
        """A document's age for origin."""
        entry = self._entries[number]
        assert entry is not None, "clusters hold documents still there"
        return age(entry.published, number)

    def _doc_id(self, number: int) -> str:
        entry = self._entries[number]
        assert entry is not None, "clusters give documents still there"
        return entry.doc_id

    def _new_ids(self, documents: list[Document]) -> list[str]:
        """The batch's ids, new ones for documents without one; refuses ids already taken, so
        that a batch with one goes in not at all."""
        ids: list[str] = []
        taken: set[str] = set()
        for document in documents:
            doc_id = document.doc_id
            if doc_id is None:
                while str(self._next_id) in self._numbers or str(self._next_id) in taken:
                    self._next_id += 1
                doc_id = str(self._next_id)
            if doc_id in self._numbers or doc_id in taken:
                raise ValueError(f"doc_id ({doc_id!r}) is already in the index")
            taken.add(doc_id)
            ids.append(doc_id)
        return ids

    def _remember(self, number: int, entry: Entry, copies: list[str]) -> None:
        """Records a document the core numbered, and the clusters of copies it joins."""
        assert number == len(self._entries), "the core numbers documents in order"
        self._entries.append(entry)
        self._numbers[entry.doc_id] = number
        for other in copies:
            if other in self._numbers:
                self._clusters.join(number, self._numbers[other])

    def _remove(self, chosen: Callable[[], list[str]]) -> int:
        """Removes the documents whose ids ``chosen`` gives (asked with the index up to date),
        from the store first; returns how many."""
        with self._lock:
            with self._writing():
                numbers = [self._numbers[d] for d in chosen() if d in self._numbers]
                if not numbers:
                    return 0
                without = self._without(numbers)
                if self._store:
                    self._store.remove([self._doc_id(n) for n in numbers])
                    self._store.revise(without.revised)
            self._install(without)  # once the store has committed the removal
            return len(numbers)

    def _without(self, numbers: list[int]) -> Without:
        """The index less the documents ``numbers``, as if they had never been added: made
        aside, installed by ``_install``. Documents after the first of them are examined again
        by the core; their clusters follow their new copy links."""
        first = min(numbers)
        removed = set(numbers)
        live = [n for n, e in enumerate(self._entries) if e is not None and n not in removed]
        if not any(n > first for n in live):  # nothing recorded after them depends on them
            return Without(numbers)
        core, again = self._core.without(numbers)
        entries = [self._entry(n) for n in live]
        renumbered = {n: i for i, n in enumerate(live)}
        made = self._clusters.links()
        links = {
            renumbered[a]: [renumbered[b] for b in others if b in renumbered]
            for a, others in made.items()
            if a in renumbered and a < first
        }
        revised = []
        for was, seen, evidence_changed in again:
            copies = [m.number for m in seen.matches if m.same_story]
            links[renumbered[was]] = copies
            old = {renumbered[b] for b in made.get(was, []) if b in renumbered}
            if evidence_changed or old != set(copies):
                ids = [entries[c].doc_id for c in copies]
                revised.append((entries[renumbered[was]].doc_id, bytes(seen.evidence), ids))
        return Without(numbers, core, entries, links, revised)

    def _install(self, without: Without) -> None:
        """Makes the index the one ``_without`` made."""
        if without.core is None:
            for number in without.numbers:
                self._forget(number)
            return
        self._core = without.core
        self._entries = list(without.entries)
        self._numbers = {entry.doc_id: n for n, entry in enumerate(self._entries)}
        self._clusters = Clusters.of_links(without.links, age=self._age_of)

    def _forget(self, number: int) -> None:
        """Removes a document from the core and, if it was remembered, from the rest."""
        self._core.remove(number)
        while len(self._entries) <= number:  # numbered by the core, never remembered
            self._entries.append(None)
        entry = self._entries[number]
        if entry is not None:
            self._numbers.pop(entry.doc_id, None)
            self._entries[number] = None
            self._clusters.remove(number)

    def _document(self, doc: Document | str) -> Document:
        if isinstance(doc, str):
            doc = Document.from_text(doc, recipe=self.recipe)
        elif not isinstance(doc, Document):
            raise TypeError(f"doc must be a Document or str, not {type(doc).__name__}")
        if doc.recipe != self.recipe:
            raise ValueError(
                f"a document of recipe {doc.recipe.id} cannot go in an index of {self.recipe.id}"
            )
        return doc

    # -- the store -----------------------------------------------------------------------------

    def _sync(self) -> None:
        """Takes in what other processes wrote to the database since this one last looked."""
        if self._store:
            self._store.sync(self._replica)

    def _load_rows(self, rows: list[Row]) -> None:
        """Puts stored documents in the core index, in one call, and remembers them."""
        # Removed and added again by another process:
        self._unload(doc_id for (doc_id, *_), *_ in rows)
        entries = [Entry(*entry) for entry, *_ in rows]
        numbers = self._core.add_many(
            [DocumentSketch.from_bytes(sketch, self.recipe) for _, sketch, _, _ in rows],
            [self._source_number(entry.source) for entry in entries],
            [[bool(e) for e in evidence] for _, _, evidence, _ in rows],
        )
        for number, entry, (*_, copies) in zip(numbers, entries, rows, strict=True):
            self._remember(number, entry, copies)

    def _unload(self, doc_ids: Iterable[str]) -> None:
        numbers = [self._numbers[doc_id] for doc_id in doc_ids if doc_id in self._numbers]
        if numbers:
            self._install(self._without(numbers))

    def _writing(self) -> contextlib.AbstractContextManager[object]:
        """One write transaction, holding the database's write lock, with the index up to date."""
        if not self._store:
            return contextlib.nullcontext()
        return self._store.writing(self._replica)

    def _reset(self) -> None:
        """Empties the index in memory, for the store to load it anew."""
        self._core = BlockIndex(self.recipe, self.policy, self._merge_at)
        self._entries, self._numbers, self._sources = [], {}, {}
        self._clusters = Clusters(age=self._age_of)


@dataclass(frozen=True)
class Without:
    """An index less some documents, made aside until the store has committed their removal:
    ``core`` None when no live document came after them (they are removed in place); else the
    new core, the live documents' entries and copy links by their new numbers, and the stored
    records to revise, ``(doc_id, evidence, copies)`` of the documents examined again whose
    evidence or copies changed."""

    numbers: list[int]
    core: BlockIndex | None = None
    entries: list[Entry] = field(default_factory=list)
    links: dict[int, list[int]] = field(default_factory=dict)
    revised: list[tuple[str, bytes, list[str]]] = field(default_factory=list)


def _open_store(
    path: str | Path | None,
    recipe: Recipe | None,
    policy: Policy,
    namespace: str | None,
    timeout: float,
    lease: float,
    durability: str,
) -> SqliteStore | RedisStore | None:
    """The store at ``path``: a shared index for a Redis URL, else a SQLite database."""
    if path is None:
        return None
    if is_redis_url(path):
        from fingerprint.stores.redis import RedisStore

        assert isinstance(path, str)
        return RedisStore(path, recipe, policy_id(policy), namespace, timeout=timeout, lease=lease)
    from fingerprint.stores.sqlite import SqliteStore, stored_recipe

    if recipe is None:
        recipe = stored_recipe(Path(path)) or Recipe()
    return SqliteStore(Path(path), recipe, timeout=timeout, durability=durability)


def _sketch(documents: list[Document], recipe: Recipe) -> None:
    """Sketches the documents not sketched yet, in one call on every core."""
    waiting = [d for d in documents if "sketch" not in d.__dict__]
    sketches = sketch_documents([d.texts for d in waiting], recipe)
    for document, sketch in zip(waiting, sketches, strict=True):
        document.__dict__["sketch"] = sketch  # primes Document.sketch
