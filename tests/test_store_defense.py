"""A database that is edited, damaged, not ours or not a file: refused with the file and the row
named, and never changed (issue 19, "stores that defend themselves")."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest
from cli_runner import run
from index_worker import article

from fingerprint import Document, Index, Recipe
from fingerprint.errors import StoreError
from fingerprint.stores.sqlite import checksum, document_checksum


def made(path: Path, count: int = 3) -> Path:
    with Index(path) as index:
        index.add_many(Document.from_text(article(f"d{i}"), doc_id=f"d{i}") for i in range(count))
    return path


def execute(path: Path, sql: str, *args: object) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(sql, args)


def refused(path: Path) -> str:
    with pytest.raises(StoreError) as error:
        Index(path)
    return str(error.value)


def test_an_edited_meta_row_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = made(tmp_path / "news.db")
    execute(path, "UPDATE meta SET value = 'v1-k4-p128-s0' WHERE key = 'recipe'")
    assert (
        refused(path)
        == f"{path}: row 'recipe' of meta: checksum does not match (edited or damaged)"
    )


def test_an_edited_sketch_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = made(tmp_path / "news.db")
    with contextlib.closing(sqlite3.connect(path)) as db:
        (sketch,) = db.execute("SELECT sketch FROM documents WHERE seq = 2").fetchone()
    # One hash of d1's sketch changed: without the checksum, d1 would answer for other text.
    execute(path, "UPDATE documents SET sketch = ? WHERE seq = 2", bytes(4) + sketch[4:])
    message = f"{path}: row 2 of documents: checksum does not match (edited or damaged)"
    assert refused(path) == message


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("sketch", "text, not bytes"),
        ("sketch", b"\xff\xfe not UTF-8"),
        ("doc_id", b"bytes, not text"),
        ("evidence", "text"),
        ("checksum", "zero"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path, column: str, value: object) -> None:
    path = made(tmp_path / "news.db")
    if column == "sketch" and isinstance(value, bytes):  # text that is not UTF-8
        execute(path, "UPDATE documents SET sketch = CAST(? AS TEXT) WHERE seq = 3", value)
    else:
        execute(path, f"UPDATE documents SET {column} = ? WHERE seq = 3", value)
    assert refused(path) == f"{path}: row 3 of documents: wrong types"


def test_a_row_of_the_wrong_shape_is_refused_even_with_its_checksum(tmp_path: Path) -> None:
    path = made(tmp_path / "news.db")
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        row = db.execute(
            "SELECT seq, doc_id, source, published, evidence, sketch, copies FROM documents "
            "WHERE seq = 1"
        ).fetchone()
        forged = (*row[:4], row[4] + b"\x01", *row[5:])  # one evidence flag too many
        db.execute(
            "UPDATE documents SET evidence = ?, checksum = ? WHERE seq = 1",
            (forged[4], document_checksum(*forged)),
        )
    message = f"{path}: row 1 of documents: the sketch and the evidence flags do not agree"
    assert refused(path) == message
    result = run("index", "stats", "--db", str(path))
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


def test_copies_that_are_not_a_list_of_ids_are_refused(tmp_path: Path) -> None:
    path = made(tmp_path / "news.db")
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        row = list(db.execute("SELECT * FROM documents WHERE seq = 1").fetchone()[:7])
        row[6] = '{"a": 1}'
        db.execute(
            "UPDATE documents SET copies = ?, checksum = ? WHERE seq = 1",
            (row[6], document_checksum(row[0], *row[1:4], row[4], row[5], row[6])),
        )
    assert refused(path) == f"{path}: row 1 of documents: copies is not a list of ids"


def test_a_damaged_file_is_one_line_naming_it(tmp_path: Path, monkeypatch) -> None:
    path = made(tmp_path / "news.db", count=200)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\x5a" * 4096  # a few KB overwritten
    path.write_bytes(bytes(data))
    message = f"{path}: damaged (database disk image is malformed)"
    assert refused(path) == message
    monkeypatch.chdir(tmp_path)
    result = run("index", "add", "-", "--db", "news.db", input='{"id": "x", "text": "A b c."}\n')
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: news.db: damaged (database disk image is malformed)\n",
    )


def test_a_database_of_format_1_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE documents (seq INTEGER PRIMARY KEY, doc_id TEXT)")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("recipe", Recipe().id), ("format", "1")])
    before = path.read_bytes()
    assert refused(path) == (
        f"{path}: an index database of format 1, made by an earlier version of fingerprint; "
        "this one reads format 2 only: index the documents again"
    )
    assert path.read_bytes() == before


def test_a_foreign_database_is_left_exactly_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO documents (body) VALUES ('mine')")
    before = path.read_bytes()
    assert refused(path) == f"{path}: not an index database (it holds other tables)"
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["app.db"]  # no -wal, no -shm, no -journal left
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.parametrize("kind", ["device", "directory", "fifo"])
def test_nothing_is_created_next_to_a_path_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        path = Path("/dev/null")
        journal = Path("/dev/null-journal")
        assert not journal.exists()
    else:
        path = tmp_path / "news.db"
        path.mkdir() if kind == "directory" else os.mkfifo(path)
        journal = tmp_path / "news.db-journal"
    assert refused(path) == f"{path}: not a regular file, so not an index database"
    assert not journal.exists() and not Path(f"{path}-wal").exists()
    result = run("index", "add", "-", "--db", str(path), input='{"id": "x", "text": "A b c."}\n')
    if kind == "directory":  # click's usage error
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (
            2,
            f"Error: Invalid value for '--db': File '{path}' is a directory.",
        )
    else:
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: {path}: not a regular file, so not an index database\n",
        )
    assert not journal.exists()


def test_a_checksum_covers_every_field_and_where_it_ends() -> None:
    fields = (1, "a", None, "2024-01-01", b"\x01", b"\x00" * 4, "[]")
    assert document_checksum(*fields) == checksum(*fields)
    moved = (1, "a", "", "2024-01-01", b"\x01", b"\x00" * 4, "[]")
    shifted = (1, "ab", None, "024-01-01", b"\x01", b"\x00" * 4, "[]")
    assert len({checksum(*fields), checksum(*moved), checksum(*shifted)}) == 3
