"""The real index against the model of docs/spec.md ("The index"), on generated operation sequences.

Random sequences of add, add_many (random batch sizes), remove, expire and query over generated
corpora: shared paragraphs, near-copies, trimmed copies, templated notices whose shingles are all
common, per-source furniture, short and empty blocks, identical documents and equal dates. Every
report of the index, in memory, on SQLite (reopened now and then) or shared on Redis (through two
replicas in turn, and new ones), must equal the model's, and so must its documents in order.
Merges are made frequent (`merge_at`), and forced at random.

Sequences per run follow the hypothesis profile (tests/conftest.py): "ci" by default, "deep" for
the deep run (HYPOTHESIS_PROFILE=deep; docs/spec.md says how it was run).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from generated_corpora import DATES, SOURCES, documents, paragraphs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from index_model import IndexModel

import fingerprint.stores.redis as redis_store
from fingerprint import Document, Index


def _reports(reports: list) -> list[dict]:
    return [r.to_dict() for r in reports]


class IndexAgainstModel(RuleBasedStateMachine):
    """One index (in memory, or on SQLite) and the model, given the same operations."""

    durable = False

    def __init__(self) -> None:
        super().__init__()
        self.model = IndexModel(boilerplate_min=2, max_postings=4)
        self.folder = TemporaryDirectory() if self.durable else None
        self.path = Path(self.folder.name, "index.db") if self.folder else None
        self.index = self._open()
        self.added = 0
        self.written: dict[str, str] = {}

    def _open(self) -> Index:
        return Index(self.path, boilerplate_min=2, max_postings=4, merge_at=64)

    @initialize(pool=st.lists(paragraphs, min_size=4, max_size=10, unique=True))
    def start(self, pool: list[str]) -> None:
        self.pool = pool

    def _document(self, data: st.DataObject) -> Document:
        body, source, published = data.draw(documents(self.pool))
        return self._made("\n\n".join(body), source, published)

    def _made(self, text: str, source: str | None, published: str | None) -> Document:
        self.added += 1
        doc_id = f"d{self.added}"
        self.written[doc_id] = text
        return Document.from_text(text, doc_id=doc_id, source=source, published=published)

    @rule(data=st.data())
    def add(self, data: st.DataObject) -> None:
        doc = self._document(data)
        assert self.index.add(doc).to_dict() == self.model.add(doc)

    @rule(data=st.data(), size=st.integers(1, 12))
    def add_many(self, data: st.DataObject, size: int) -> None:
        docs = [self._document(data) for _ in range(size)]
        reports = self.index.add_many(docs)
        assert _reports(reports) == [self.model.add(d) for d in docs]

    @precondition(lambda self: self.model.live)
    @rule(data=st.data())
    def add_again(self, data: st.DataObject) -> None:
        """The text of a live document again, under a new id, maybe from another source."""
        twin = data.draw(st.sampled_from(self.model.ids()))
        source, published = data.draw(st.sampled_from(SOURCES)), data.draw(st.sampled_from(DATES))
        doc = self._made(self.written[twin], source, published)
        assert self.index.add(doc).to_dict() == self.model.add(doc)

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        doc = self._document(data)
        assert self.index.query(doc).to_dict() == self.model.query(doc)

    @precondition(lambda self: self.model.live)
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        doc_id = data.draw(st.sampled_from(self.model.ids()))
        assert self.index.remove(doc_id) is self.model.remove(doc_id) is True

    @rule()
    def remove_unknown(self) -> None:
        assert self.index.remove("never-added") is self.model.remove("never-added") is False

    @rule(before=st.sampled_from(DATES[1:]))
    def expire(self, before: str) -> None:
        assert self.index.expire(before) == self.model.expire(before)

    @rule()
    def reclaim(self) -> None:
        """A merge now, dropping removed documents' postings."""
        self.index._core.reclaim()

    @precondition(lambda self: self.durable)
    @rule()
    def reopen(self) -> None:
        self.index.close()
        self.index = self._open()

    @invariant()
    def same_documents(self) -> None:
        assert list(self.index) == self.model.ids()
        assert len(self.index) == len(self.model.live)

    def teardown(self) -> None:
        self.index.close()
        if self.folder:
            self.folder.cleanup()


class DurableIndexAgainstModel(IndexAgainstModel):
    durable = True


class SharedIndexAgainstModel(IndexAgainstModel):
    """A shared index on Redis, written and read through two replicas in turn; reopening starts a
    new replica from the latest snapshot and the log (snapshots made frequent)."""

    durable = True
    url = ""  # the test server's, set by `_shared`
    namespaces = itertools.count()

    def __init__(self) -> None:
        self.namespace = f"model-{next(self.namespaces)}"
        super().__init__()
        self.other = self._open()

    def _open(self) -> Index:
        return Index(
            self.url, namespace=self.namespace, boilerplate_min=2, max_postings=4, merge_at=64
        )

    @rule()
    def switch(self) -> None:
        """The next operations through the other replica."""
        self.index, self.other = self.other, self.index

    def teardown(self) -> None:
        self.other.close()
        super().teardown()


@pytest.fixture
def _shared(redis_server, monkeypatch):
    monkeypatch.setattr(SharedIndexAgainstModel, "url", redis_server.url)
    monkeypatch.setattr(redis_store, "SNAPSHOT_EVERY", 8)


TestIndexAgainstModel = IndexAgainstModel.TestCase
TestIndexAgainstModel.settings = settings(stateful_step_count=30)
TestDurableIndexAgainstModel = DurableIndexAgainstModel.TestCase
# On SQLite a sequence costs several times more: a quarter as many.
TestDurableIndexAgainstModel.settings = settings(
    stateful_step_count=20, max_examples=max(settings.default.max_examples // 4, 10)
)
TestSharedIndexAgainstModel = pytest.mark.usefixtures("_shared")(SharedIndexAgainstModel.TestCase)
TestSharedIndexAgainstModel.settings = settings(
    stateful_step_count=20, max_examples=max(settings.default.max_examples // 4, 10)
)
