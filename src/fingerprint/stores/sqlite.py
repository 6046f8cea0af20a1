"""The durable store of an index: one SQLite database, written one transaction per batch.

SQLite is a real embedded database: a committed transaction survives the process being killed
(write-ahead log), several processes may read while one writes, and a second writer waits for
the write lock (and gives a clear error if it waits too long) instead of corrupting anything. The
database holds each document's metadata and its blocks' shingle sets; the in-memory index is
rebuilt from them on open, and brought up to date with what other processes wrote before every
read and inside every write.

The store defends itself: every row carries a CRC-32 of its contents, checked with its types and
shape whenever it is read, so an edited or damaged database is refused with the file and the row
named (`StoreError`); a file that is not an index database of this format is opened read-only and
left as it was; a write that fails (a full disk, a read-only file, an I/O error) raises
`StoreIOError` and changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import struct
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from urllib.request import pathname2url

from fingerprint._core import SEGMENTATION_VERSION, Recipe
from fingerprint.errors import StoreError, StoreIOError
from fingerprint.stores import Replica, Row, recipe_from_id

#: Seconds a writer waits for another process's write transaction to finish.
LOCK_TIMEOUT = 30.0
#: Format 2 added the rows' checksums and the report lines held until written (`held_reports`).
FORMAT = "2"
#: How a commit reaches the disk: "normal" (WAL, synchronous=NORMAL) survives the process being
#: killed; "full" (synchronous=FULL) also survives the machine losing power, at an fsync a commit.
DURABILITY = {"normal": "NORMAL", "full": "FULL"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL UNIQUE,
    source TEXT,
    published TEXT,
    evidence BLOB NOT NULL,
    sketch BLOB NOT NULL,
    copies TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS held_reports (
    path TEXT PRIMARY KEY,
    offset INTEGER NOT NULL,
    lines TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
"""
TABLES = frozenset({"meta", "documents", "held_reports"})

#: Documents loaded into memory together: the index takes each chunk in one call.
LOAD_CHUNK = 4096
# SQLite's primary result codes for a damaged file, and for faults of the disk or the file.
_DAMAGED = {11: "damaged", 26: "not an index database"}  # SQLITE_CORRUPT, SQLITE_NOTADB
_FAULTS = frozenset({8, 10, 13, 14})  # SQLITE_READONLY, _IOERR, _FULL, _CANTOPEN
_BLOCK_LENGTH = struct.Struct("<I")


def stored_recipe(path: Path) -> Recipe | None:
    """The recipe of the index database at ``path``, or None when there is none yet."""
    if not path.is_file():
        return None
    try:
        with _read_only(path) as db:
            (recipe_id,) = db.execute("SELECT value FROM meta WHERE key = 'recipe'").fetchone()
    except (sqlite3.DatabaseError, TypeError):
        return None  # not an index database: opening it says so
    return recipe_from_id(recipe_id)


def checksum(*fields: str | int | bytes | None) -> int:
    """The CRC-32 of a row's fields, each tagged with its type and length, so that no edit of a
    field, nor a value moved from one field to the next, keeps it."""
    crc, head = 0, []
    for field in fields:
        if isinstance(field, bytes):
            crc = zlib.crc32(field, crc)
            head.append(f"b{len(field)}")
        elif isinstance(field, str):
            head.append(f"t{len(field)}:{field}")
        else:
            head.append(f"i{field}" if field is not None else "n")
    return zlib.crc32("|".join(head).encode("utf-8", "surrogatepass"), crc)


def document_checksum(
    seq: int,
    doc_id: str,
    source: str | None,
    published: str | None,
    evidence: bytes,
    sketch: bytes,
    copies: str,
) -> int:
    """``checksum`` of a row of documents, in one line: it runs for every document opened."""
    source_ = "n" if source is None else f"t{len(source)}:{source}"
    published_ = "n" if published is None else f"t{len(published)}:{published}"
    head = (
        f"i{seq}|t{len(doc_id)}:{doc_id}|{source_}|{published_}|b{len(evidence)}|b{len(sketch)}"
        f"|t{len(copies)}:{copies}"
    )
    crc = zlib.crc32(sketch, zlib.crc32(evidence))
    return zlib.crc32(head.encode("utf-8", "surrogatepass"), crc)


class SqliteStore:
    """An index's documents in a SQLite database at ``path``, under one recipe.

    ``durability``: "normal" (a committed write survives the process being killed) or "full"
    (it also survives a power cut; each commit waits for the disk).
    """

    #: Processes of one machine share it: each sketches inside its write.
    shared = False

    def __init__(
        self,
        path: Path,
        recipe: Recipe,
        timeout: float = LOCK_TIMEOUT,
        *,
        durability: str = "normal",
    ) -> None:
        if durability not in DURABILITY:
            raise ValueError(f"durability ({durability!r}) must be 'normal' or 'full'")
        self.path = path
        self.recipe = recipe
        self.timeout = timeout
        self.durability = durability
        self._last_seq = 0
        self._known: set[str] = set()
        self._data_version: int | None = None
        # After a failed write: the ids to load again, and a check of every id at the next sync.
        self._reload: set[str] = set()
        self._stale = False
        self._depth = 0
        # Per open transaction and savepoint: the ids it added and removed, its first own seq.
        self._journal: list[_Changes] = []
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: not a regular file, so not an index database")
        new = not path.exists() or path.stat().st_size == 0
        if not new:
            # Checked read-only first: a database that is not ours is never changed.
            with self._errors("open"), _read_only(path) as db:
                _check(path, db, recipe)
        with self._errors("open"):
            self._db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        self._db.text_factory = _text
        try:
            with self._errors("open"):
                self._db.execute("PRAGMA journal_mode=WAL")
                self.set_durability(durability)
                if new:
                    self._create(recipe)
                _check(path, self._db, recipe)
        except BaseException:
            self._db.close()
            raise

    def set_durability(self, durability: str) -> None:
        """Changes how commits reach the disk from now on ("normal" or "full")."""
        if durability not in DURABILITY:
            raise ValueError(f"durability ({durability!r}) must be 'normal' or 'full'")
        self._db.execute(f"PRAGMA synchronous={DURABILITY[durability]}")
        self.durability = durability

    def sync(self, replica: Replica) -> None:
        """Loads into ``replica`` the documents other connections added since the last sync, a
        few thousand at a time in the order they were added, and unloads the ids they removed."""
        with self._errors("read"):
            self._sync(replica.load, replica.unload)

    def _sync(self, load: Callable[[list[Row]], None], unload: Callable[[list[str]], None]) -> None:
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version and not self._stale:
            return
        first = self._data_version is None
        self._data_version = version
        if not first:
            present = {doc_id for (doc_id,) in self._db.execute("SELECT doc_id FROM documents")}
            gone = self._known - present
            unload(sorted(gone))
            self._known -= gone
        self._stale = False
        columns = "seq, doc_id, source, published, sketch, evidence, copies, checksum"
        if self._reload:
            marks = ",".join("?" * len(self._reload))
            again = self._db.execute(
                f"SELECT {columns} FROM documents WHERE seq <= ? AND doc_id IN ({marks}) "
                "ORDER BY seq",
                (self._last_seq, *self._reload),
            ).fetchall()
            self._reload = set()
            if again:
                self._load(load, again)
                self._known.update(found[1] for found in again)
        rows = self._db.execute(
            f"SELECT {columns} FROM documents WHERE seq > ? ORDER BY seq", (self._last_seq,)
        )
        while chunk := rows.fetchmany(LOAD_CHUNK):
            self._load(load, chunk)
            self._known.update(found[1] for found in chunk)
            self._last_seq = chunk[-1][0]

    @contextlib.contextmanager
    def writing(self, replica: Replica) -> Iterator[None]:
        """A write transaction with ``replica`` up to date; committed when the block ends
        (inside ``transaction``, it commits with it)."""
        with self.transaction():
            self.sync(replica)
            yield

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around several writes: the index's and ``hold_reports``. Each
        ``writing`` inside it is a savepoint; all are committed together when the block ends."""
        savepoint = f"level{self._depth}"
        with self._errors("write"):
            if self._depth:
                self._db.execute(f"SAVEPOINT {savepoint}")
            else:
                self._begin()
        self._depth += 1
        self._journal.append(_Changes())
        try:
            yield
            with self._errors("write"):
                if self._depth > 1:
                    self._db.execute(f"RELEASE {savepoint}")
                else:
                    self._db.execute("COMMIT")
        except BaseException:
            self._abandon(savepoint if self._depth > 1 else None)
            raise
        finally:
            self._depth -= 1
            changes = self._journal.pop()
            if self._journal:  # what a savepoint did belongs to the transaction around it
                self._journal[-1].take(changes)

    def append(self, rows: list[Row]) -> None:
        """Writes documents (inside ``writing``)."""
        with self._errors("write"):
            (last,) = self._db.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'documents'"
            ).fetchone() or (0,)
            records = []
            for seq, ((doc_id, source, published), sketch, evidence, copies) in enumerate(
                rows, start=last + 1
            ):
                fields = (
                    seq,
                    doc_id,
                    source,
                    published.isoformat() if published else None,
                    evidence,
                    sketch,
                    json.dumps(copies),
                )
                records.append((*fields, document_checksum(*fields)))
            self._db.executemany(
                "INSERT INTO documents (seq, doc_id, source, published, evidence, sketch, copies, "
                "checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                records,
            )
        if records:
            self._last_seq = records[-1][0]
            self._journal[-1].take(_Changes({r[1] for r in records}, set(), records[0][0]))
        self._known.update(r[1] for r in records)

    def remove(self, doc_ids: list[str]) -> None:
        """Deletes documents (inside ``writing``); SQLite reuses the pages they held."""
        with self._errors("write"):
            self._db.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in doc_ids])
        self._known.difference_update(doc_ids)
        self._journal[-1].removed.update(doc_ids)

    def revise(self, facts: list[tuple[str, bytes, list[str]]]) -> None:
        """Rewrites what documents recorded when they were added, ``(doc_id, evidence,
        copies)``, after a removal changed it (inside ``writing``, with the removal)."""
        with self._errors("write"):
            for doc_id, evidence, copies in facts:
                seq, source, published, sketch = self._db.execute(
                    "SELECT seq, source, published, sketch FROM documents WHERE doc_id = ?",
                    (doc_id,),
                ).fetchone()
                links = json.dumps(copies)
                fields = (seq, doc_id, source, published, evidence, sketch, links)
                self._db.execute(
                    "UPDATE documents SET evidence = ?, copies = ?, checksum = ? WHERE seq = ?",
                    (evidence, links, document_checksum(*fields), seq),
                )

    # -- report lines held until written -------------------------------------------------------

    def hold_reports(self, path: str, offset: int, lines: str) -> None:
        """Records, inside the transaction that adds their documents, report lines that are to
        be written to the file ``path`` from byte ``offset`` on; they replace the lines held for
        that file before, which the caller has written by then."""
        with self._errors("write"):
            self._db.execute(
                "INSERT OR REPLACE INTO held_reports VALUES (?, ?, ?, ?)",
                (path, offset, lines, checksum(path, offset, lines)),
            )

    def held_reports(self, path: str) -> tuple[int, str] | None:
        """The report lines held for the file ``path`` and the offset they go to, when a run
        writing to it stopped before it was done; None when none are held."""
        with self._errors("read"):
            found = self._db.execute(
                "SELECT path, offset, lines, checksum FROM held_reports WHERE path = ?", (path,)
            ).fetchone()
        if found is None:
            return None
        _, offset, lines, stored = found
        if not (isinstance(offset, int) and isinstance(lines, str) and isinstance(stored, int)):
            raise StoreError(f"{self.path}: row {path!r} of held_reports: wrong types")
        if checksum(path, offset, lines) != stored:
            raise StoreError(
                f"{self.path}: row {path!r} of held_reports: checksum does not match "
                "(edited or damaged)"
            )
        return offset, lines

    def release_reports(self, path: str) -> None:
        """Forgets the report lines held for ``path``: they are all written."""
        with self.transaction(), self._errors("write"):
            self._db.execute("DELETE FROM held_reports WHERE path = ?", (path,))

    def close(self) -> None:
        self._db.close()

    # -- inside --------------------------------------------------------------------------------

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF == 5:  # SQLITE_BUSY
                raise TimeoutError(
                    f"{self.path}: another process held the index's write lock for "
                    f"{self.timeout:g} s; try again when it has finished"
                ) from None
            raise

    def _abandon(self, savepoint: str | None) -> None:
        """Rolls back what failed, and has the next sync bring the index in memory back to what
        the database holds (a failed commit leaves the index holding what it wrote)."""
        changes = self._journal[-1]
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            if savepoint is not None:
                self._db.execute(f"ROLLBACK TO {savepoint}")
                self._db.execute(f"RELEASE {savepoint}")
            elif self._db.in_transaction:
                self._db.execute("ROLLBACK")
        if changes.added or changes.removed:
            self._known |= changes.added
            self._reload |= changes.removed
            if changes.first_seq is not None:
                self._last_seq = min(self._last_seq, changes.first_seq - 1)
            self._stale = True

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """SQLite's errors as the store's: a damaged file, a fault of the disk."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise _translated(self.path, error, doing) from None

    def _create(self, recipe: Recipe) -> None:
        """Creates the tables in a new database, under the write lock (another process may be
        creating it too)."""
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            if not self._db.execute("SELECT count(*) FROM meta").fetchone()[0]:
                rows = [
                    ("recipe", recipe.id),
                    ("format", FORMAT),
                    ("segmentation", str(SEGMENTATION_VERSION)),
                ]
                self._db.executemany(
                    "INSERT INTO meta VALUES (?, ?, ?)",
                    [(key, value, checksum(key, value)) for key, value in rows],
                )

    def _load(self, load: Callable[[list[Row]], None], found: list[tuple]) -> None:
        """Loads rows, each checked here for its checksum and types; the core checks the
        sketches' lengths, and a row it refuses is found again here to be named."""
        rows = [self._row(*row) for row in found]
        try:
            load(rows)
        except ValueError as error:
            for (seq, *_), (_, sketch, evidence, _) in zip(found, rows, strict=True):
                if _block_count(sketch) != len(evidence):
                    raise StoreError(
                        f"{self.path}: row {seq} of documents: the sketch and the evidence "
                        "flags do not agree"
                    ) from None
            raise StoreError(f"{self.path}: rows of documents refused ({error})") from None

    def _row(
        self,
        seq: int,
        doc_id: str,
        source: str | None,
        published: str | None,
        sketch: bytes,
        evidence: bytes,
        copies: str,
        stored: int,
    ) -> Row:
        """A stored document as the index loads it, its checksum, types and shape checked."""
        fields = (seq, doc_id, source, published, evidence, sketch, copies)
        types = (int, str, (str, type(None)), (str, type(None)), bytes, bytes, str)
        if not isinstance(stored, int) or not all(map(isinstance, fields, types)):
            raise StoreError(f"{self.path}: row {seq!r} of documents: wrong types")
        if document_checksum(*fields) != stored:
            raise StoreError(
                f"{self.path}: row {seq} of documents: checksum does not match (edited or damaged)"
            )
        try:
            when = datetime.fromisoformat(published) if published else None
            links = json.loads(copies)
        except ValueError as error:
            raise StoreError(f"{self.path}: row {seq} of documents: {error}") from None
        if not (isinstance(links, list) and all(isinstance(link, str) for link in links)):
            raise StoreError(f"{self.path}: row {seq} of documents: copies is not a list of ids")
        if evidence.translate(None, b"\0\1"):
            raise StoreError(f"{self.path}: row {seq} of documents: evidence flags not 0 or 1")
        return ((doc_id, source, when), sketch, evidence, links)


class _Changes:
    """What a transaction or savepoint wrote: ids added and removed, its first document's seq."""

    def __init__(
        self,
        added: set[str] | None = None,
        removed: set[str] | None = None,
        first: int | None = None,
    ) -> None:
        self.added = added or set()
        self.removed = removed or set()
        self.first_seq = first

    def take(self, other: _Changes) -> None:
        self.added |= other.added
        self.removed |= other.removed
        if other.first_seq is not None:
            self.first_seq = min(self.first_seq or other.first_seq, other.first_seq)


def _check(path: Path, db: sqlite3.Connection, recipe: Recipe) -> None:
    """Refuses a database that is not an index database of this format, recipe and
    segmentation, or whose meta rows were edited."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" not in tables or "documents" not in tables:
        raise StoreError(f"{path}: not an index database (it holds other tables)")
    try:
        format_row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.OperationalError:
        raise StoreError(f"{path}: not an index database (it holds other tables)") from None
    stored_format = format_row[0] if format_row else None
    if stored_format != FORMAT:
        if stored_format == "1":
            raise StoreError(
                f"{path}: an index database of format 1, made by an earlier version of "
                f"fingerprint; this one reads format {FORMAT} only: index the documents again"
            )
        raise StoreError(f"{path}: not an index database of format {FORMAT}")
    if not tables >= TABLES:
        raise StoreError(f"{path}: not an index database of format {FORMAT} (a table is missing)")
    meta: dict[str, str] = {}
    for key, value, stored in db.execute("SELECT key, value, checksum FROM meta"):
        if not (isinstance(key, str) and isinstance(value, str) and isinstance(stored, int)):
            raise StoreError(f"{path}: row {key!r} of meta: wrong types")
        if checksum(key, value) != stored:
            raise StoreError(
                f"{path}: row {key!r} of meta: checksum does not match (edited or damaged)"
            )
        meta[key] = value
    for key in ("recipe", "segmentation"):
        if key not in meta:
            raise StoreError(f"{path}: row {key!r} of meta is missing")
    if meta["recipe"] != recipe.id:
        raise StoreError(
            f"{path} holds an index of recipe {meta['recipe']}; this index uses recipe {recipe.id}"
        )
    if meta["segmentation"] != str(SEGMENTATION_VERSION):
        raise StoreError(
            f"{path} holds documents cut into blocks by segmentation version "
            f"{meta['segmentation']}; this version of fingerprint cuts by version "
            f"{SEGMENTATION_VERSION}: index the documents again"
        )


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``path``, closed at the end (a connection's own ``with`` only
    ends a transaction, and one left open keeps the last writer from checkpointing on close)."""
    uri = f"file:{pathname2url(str(path.absolute()))}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        db.text_factory = _text
        yield db


def _translated(path: Path, error: sqlite3.DatabaseError, doing: str) -> Exception:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in _DAMAGED:
        return StoreError(f"{path}: {_DAMAGED[code]} ({error})")
    if code in _FAULTS:
        return StoreIOError(f"{path}: cannot {doing} ({error})")
    if code == 5:  # SQLITE_BUSY outside BEGIN: a lock held while opening or reading
        return TimeoutError(f"{path}: the database stayed locked by another process ({error})")
    return StoreError(f"{path}: {error}")


def _text(data: bytes) -> str:
    """Stored text; bytes that are not UTF-8 are kept as escapes, which no checksum matches,
    rather than failing the whole read."""
    return data.decode("utf-8", "surrogateescape")


def _block_count(sketch: bytes) -> int:
    """The blocks in a stored sketch (a u32 length and that many u64 hashes each), or -1 when
    the lengths do not add up to the bytes."""
    count, at, end = 0, 0, len(sketch)
    while at + 4 <= end:
        at += 4 + 8 * _BLOCK_LENGTH.unpack_from(sketch, at)[0]
        count += 1
    return count if at == end else -1
