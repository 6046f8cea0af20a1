"""The durable store of an index: one SQLite database, written one transaction per batch.

SQLite is a real embedded database: a committed transaction survives the process being killed
(write-ahead log), several processes may read while one writes, and a second writer waits for
the write lock (and gives a clear error if it waits too long) instead of corrupting anything. The
database holds each document's metadata and its blocks' shingle sets; the in-memory index is
rebuilt from them on open, and brought up to date with what other processes wrote before every
read and inside every write.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from fingerprint._core import SEGMENTATION_VERSION, Recipe

#: Seconds a writer waits for another process's write transaction to finish.
LOCK_TIMEOUT = 30.0
FORMAT = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL UNIQUE,
    source TEXT,
    published TEXT,
    evidence BLOB NOT NULL,
    sketch BLOB NOT NULL,
    copies TEXT NOT NULL
);
"""

Row = tuple[tuple[str, str | None, datetime | None], bytes, bytes, list[str]]
#: Documents loaded into memory together: the index takes each chunk in one call.
LOAD_CHUNK = 4096


def stored_recipe(path: Path) -> Recipe | None:
    """The recipe of the index database at ``path``, or None when there is none yet."""
    if not path.is_file():
        return None
    try:
        # `closing`: a connection's own `with` only ends a transaction, and one left open until
        # collected keeps the index's last writer from checkpointing its log on close.
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            (recipe_id,) = db.execute("SELECT value FROM meta WHERE key = 'recipe'").fetchone()
    except (sqlite3.DatabaseError, TypeError):
        return None  # not an index database: opening it says so
    found = re.fullmatch(r"v(\d+)-k(\d+)-p(\d+)-s(\d+)", recipe_id)
    if not found:
        return None
    version, shingle_size, num_perm, seed = map(int, found.groups())
    return Recipe(shingle_size, num_perm, seed, version=version)


class SqliteStore:
    """An index's documents in a SQLite database at ``path``, under one recipe."""

    def __init__(self, path: Path, recipe: Recipe, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        try:
            self._db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._open(recipe)
        except sqlite3.DatabaseError as error:
            raise ValueError(f"{path}: not an index database ({error})") from None
        self._last_seq = 0
        self._known: set[str] = set()
        self._data_version: int | None = None

    def sync(
        self, load: Callable[[list[Row]], None], unload: Callable[[Iterable[str]], None]
    ) -> None:
        """Calls ``load`` with the documents other connections added since the last sync, a few
        thousand at a time in the order they were added, and ``unload`` with the ids they
        removed."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return
        first = self._data_version is None
        self._data_version = version
        if not first:
            present = {doc_id for (doc_id,) in self._db.execute("SELECT doc_id FROM documents")}
            gone = self._known - present
            unload(gone)
            self._known -= gone
        rows = self._db.execute(
            "SELECT seq, doc_id, source, published, sketch, evidence, copies FROM documents "
            "WHERE seq > ? ORDER BY seq",
            (self._last_seq,),
        )
        while chunk := rows.fetchmany(LOAD_CHUNK):
            load([_row(*found) for found in chunk])
            self._known.update(found[1] for found in chunk)
            self._last_seq = chunk[-1][0]

    @contextlib.contextmanager
    def writing(
        self, load: Callable[[list[Row]], None], unload: Callable[[Iterable[str]], None]
    ) -> Iterator[None]:
        """A write transaction with this process up to date; committed when the block ends."""
        with self._transaction():
            self.sync(load, unload)
            yield

    def append(self, rows: list[Row]) -> None:
        """Writes documents (inside ``writing``)."""
        self._db.executemany(
            "INSERT INTO documents (doc_id, source, published, evidence, sketch, copies) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e[0], e[1], e[2].isoformat() if e[2] else None, ev, sk, json.dumps(copies))
                for e, sk, ev, copies in rows
            ],
        )
        self._last_seq = self._db.execute("SELECT max(seq) FROM documents").fetchone()[0] or 0
        self._known.update(e[0] for e, *_ in rows)

    def remove(self, doc_ids: list[str]) -> None:
        """Deletes documents (inside ``writing``); SQLite reuses the pages they held."""
        self._db.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in doc_ids])
        self._known.difference_update(doc_ids)

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                raise TimeoutError(
                    f"{self.path}: another process held the index's write lock for "
                    f"{self.timeout:g} s; try again when it has finished"
                ) from None
            raise
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _open(self, recipe: Recipe) -> None:
        """Creates the tables in a new database (under the write lock), or checks an existing
        one's kind and recipe (a read, so opening never waits for a writer)."""
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            with self._transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
                if not dict(self._db.execute("SELECT key, value FROM meta")):
                    rows = [
                        ("recipe", recipe.id),
                        ("format", FORMAT),
                        ("segmentation", str(SEGMENTATION_VERSION)),
                    ]
                    self._db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        if not {"meta", "documents"} <= tables:
            raise ValueError(f"{self.path}: not an index database (it holds other tables)")
        stored = dict(self._db.execute("SELECT key, value FROM meta"))
        if stored.get("format") != FORMAT:
            raise ValueError(f"{self.path}: not an index database of format {FORMAT}")
        if stored.get("recipe") != recipe.id:
            raise ValueError(
                f"{self.path} holds an index of recipe {stored.get('recipe')}; "
                f"this index uses recipe {recipe.id}"
            )
        # Databases made before the row existed were cut by version 1.
        segmentation = stored.get("segmentation", "1")
        if segmentation != str(SEGMENTATION_VERSION):
            raise ValueError(
                f"{self.path} holds documents cut into blocks by segmentation version "
                f"{segmentation}; this version of fingerprint cuts by version "
                f"{SEGMENTATION_VERSION}: index the documents again"
            )


def _row(
    seq: int,
    doc_id: str,
    source: str | None,
    published: str | None,
    sketch: bytes,
    evidence: bytes,
    copies: str,
) -> Row:
    """A stored document as the index loads it."""
    entry = (doc_id, source, datetime.fromisoformat(published) if published else None)
    return (entry, sketch, evidence, json.loads(copies))
