"""Reading a corpus into documents: a JSON lines file, standard input, or a directory of articles.

Every record is checked as it is read, so a bad one is reported by its place (``corpus.jsonl:17``
or a file's path) before it can join a batch of documents, and the caller decides whether to stop
or to skip it. JSON lines are read line by line, never whole, so a corpus of any size streams.

A JSON line is an object with ``id`` (a string or an integer), ``text`` or ``html`` (a string),
and optionally ``source`` (a string) and ``published`` (an ISO 8601 date or time); other keys are
ignored, and ``null`` counts as absent. In a directory, each ``.txt``, ``.html`` or ``.htm`` file
is a document whose id is its path relative to the directory and whose source is the top-level
directory it is under (none for files at the top).

>>> lines = ['{"id": "a", "text": "Rain fell."}', '', '{"id": "b", "html": "<p>Sun.</p>"}']
>>> [(r.where, r.document.doc_id) for r in read_json_lines(lines, "corpus.jsonl")]
[('corpus.jsonl:1', 'a'), ('corpus.jsonl:3', 'b')]
>>> list(read_json_lines(['{"id": "c", "text": 7}'], "corpus.jsonl"))
Traceback (most recent call last):
...
fingerprint.corpus.BadRecord: corpus.jsonl:1: "text" must be a string, not number
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from fingerprint.document import Document, _parse_published
from fingerprint.errors import InputError
from fingerprint.reading import (
    MAX_BYTES,
    STDIN,
    check_max_bytes,
    looks_like_html,
    read_text,
    stdin_bytes,
    too_large,
)
from fingerprint.report.printable import json_text

ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "boolean"}
_JSON_TYPES.update({list: "array", dict: "object", type(None): "null"})


class BadRecord(InputError):
    """A record of a corpus that cannot be a document; the message starts with its place.

    >>> str(BadRecord("corpus.jsonl:17", 'missing "text" or "html"'))
    'corpus.jsonl:17: missing "text" or "html"'
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus and where it came from (``corpus.jsonl:17``, ``site/a.txt``)."""

    where: str
    document: Document


class FirstSeen:
    """Where each id of a corpus was first read: a later record with the same id is bad."""

    def __init__(self) -> None:
        self.places: dict[str, str] = {}

    def problem(self, record: Record) -> BadRecord | None:
        """Why the record's id is taken already, if it is (else it is taken now)."""
        doc_id = record.document.doc_id
        if doc_id is None:
            return None
        if doc_id in self.places:
            first = self.places[doc_id]
            return BadRecord(record.where, f"duplicate id {quoted(doc_id)} (first at {first})")
        self.places[doc_id] = record.where
        return None


def raise_bad(error: BadRecord) -> None:
    """The default for a bad record: stop."""
    raise error


class Corpus:
    """A corpus to read: a JSON lines file, ``-`` for JSON lines on standard input, or a directory.

    ``position`` and ``total`` measure how far reading has gone, for a progress bar: bytes of a
    file, files of a directory, records of standard input (whose total is unknown). A line, or a
    file of a directory, longer than ``max_bytes`` is a bad record.
    """

    def __init__(
        self, source: str, encoding: str | None = None, max_bytes: int = MAX_BYTES
    ) -> None:
        self.source = source
        self.name = "<stdin>" if source == STDIN else source
        self.encoding = encoding
        self.max_bytes = check_max_bytes(max_bytes)
        self.position = 0
        self.total: int | None = None
        self._files: list[Path] | None = None
        path = Path(source)
        if source != STDIN and path.is_dir():
            self._files = article_files(path)
            self.total = len(self._files)
            return
        if source != STDIN:
            if not path.exists():
                raise InputError(f"{source}: not found")
            if path.is_file():
                self.total = path.stat().st_size
            # else a pipe or a device (`<(zcat corpus.jsonl.gz)`): read as standard input is
        if encoding is not None and not _splits_at_newline_bytes(encoding):
            raise InputError(f"{self.name}: JSON lines cannot be read as {encoding}; use UTF-8")

    def records(self, on_bad: Callable[[BadRecord], None] = raise_bad) -> Iterator[Record]:
        """The corpus's documents in order; a bad record goes to ``on_bad`` (which may raise)."""
        if self._files is not None:
            yield from self._directory(self._files, on_bad)
        elif self.source == STDIN:
            yield from self._lines(stdin_bytes(), on_bad)
        else:
            with Path(self.source).open("rb") as file:
                yield from self._lines(file, on_bad)

    def _lines(self, file: BinaryIO, on_bad: Callable[[BadRecord], None]) -> Iterator[Record]:
        lines = _decoded_lines(file, self.encoding or "utf-8", self.max_bytes, self._advance)
        for record in read_json_lines(lines, self.name, on_bad):
            if self.total is None:  # standard input: progress in records
                self.position += 1
            yield record

    def _advance(self, size: int) -> None:
        if self.total is not None:
            self.position += size

    def _directory(
        self, files: list[Path], on_bad: Callable[[BadRecord], None]
    ) -> Iterator[Record]:
        root = Path(self.source)
        for path in files:
            self.position += 1
            try:
                document = article_document(path, root, self.encoding, self.max_bytes)
                yield Record(str(path), document)
            except InputError as error:
                on_bad(BadRecord(str(path), str(error).removeprefix(f"{path}: ")))


def read_json_lines(
    lines: Iterable[str | InputError], name: str, on_bad: Callable[[BadRecord], None] = raise_bad
) -> Iterator[Record]:
    """Documents from JSON lines (or the errors met decoding them); blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            if isinstance(line, InputError):
                raise BadRecord(where, str(line))
            if line.strip():
                yield Record(where, json_document(line, where))
        except BadRecord as error:
            on_bad(error)


def json_document(line: str, where: str) -> Document:
    """The document of one JSON line, or a :class:`BadRecord` saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadRecord(where, f"not valid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:  # arrays or objects nested about a thousand deep
        raise BadRecord(where, "not valid JSON: nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        digits = sys.get_int_max_str_digits()
        raise BadRecord(where, f"not valid JSON: a number of more than {digits} digits") from None
    if not isinstance(record, dict):
        raise BadRecord(where, f"not a JSON object: {_json_type(record)}")
    return record_document(record, where)


def record_document(record: dict[str, Any], where: str) -> Document:
    """The document of one record (a JSON object's fields, or a dataset's row), or a
    :class:`BadRecord` saying what is wrong with it."""
    doc_id = _doc_id(record, where)
    source = _optional_string(record, "source", where)
    source = source if source is None else _unicode(source, "source", where)
    published = _published(record, where)
    text, html = _optional_string(record, "text", where), _optional_string(record, "html", where)
    if text is not None and html is not None:
        raise BadRecord(where, 'has both "text" and "html"; give one')
    if html is not None:
        return Document.from_html(html, doc_id=doc_id, source=source, published=published)
    if text is not None:
        return Document.from_text(text, doc_id=doc_id, source=source, published=published)
    raise BadRecord(where, 'missing "text" or "html"')


def article_files(root: Path) -> list[Path]:
    """The article files under ``root``, sorted; hidden files and directories are left out."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        ]
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def article_document(
    path: Path, root: Path, encoding: str | None, max_bytes: int = MAX_BYTES
) -> Document:
    """One file of a directory corpus: id its relative path, source its top-level directory."""
    text = read_text(path, encoding, max_bytes)
    parts = path.relative_to(root).parts
    doc_id = "/".join(parts)
    source = parts[0] if len(parts) > 1 else None
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        return Document.from_html(text, doc_id=doc_id, source=source)
    return Document.from_text(text, doc_id=doc_id, source=source)


def _decoded_lines(
    file: BinaryIO, codec: str, max_bytes: int, advance: Callable[[int], None]
) -> Iterator[str | InputError]:
    """Each line of a binary stream, decoded, or the error that decoding it met; a line is read
    only up to ``max_bytes``, and the rest of a longer one passed over without keeping it."""
    for number, raw in enumerate(iter(lambda: file.readline(max_bytes + 1), b"")):
        advance(len(raw))
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            yield too_large("line", max_bytes)
            while raw and not raw.endswith(b"\n"):  # only when reading goes on (--skip-bad)
                raw = file.readline(max_bytes)
                advance(len(raw))
            continue
        line = raw[3:] if number == 0 and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            yield str(line, codec).rstrip("\r\n")
        except UnicodeDecodeError as error:
            byte = error.object[error.start]
            yield InputError(
                f"cannot decode as {codec} (byte 0x{byte:02x} at column {error.start + 1})"
            )


def _splits_at_newline_bytes(encoding: str) -> bool:
    """Whether lines of this encoding end in the byte 0x0a, as JSON lines are split (UTF-16 and
    UTF-32 lines do not)."""
    one, two = "\n".encode(encoding), "\n\n".encode(encoding)
    return one.endswith(b"\n") and len(two) - len(one) == 1


def _doc_id(record: dict[str, Any], where: str) -> str:
    doc_id = record.get("id")
    if doc_id is None:
        raise BadRecord(where, 'missing "id"')
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        raise BadRecord(where, f'"id" must be a string or an integer, not {_json_type(doc_id)}')
    if doc_id == "":
        raise BadRecord(where, '"id" is empty')
    return _unicode(str(doc_id), "id", where)


def _optional_string(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRecord(where, f'"{key}" must be a string, not {_json_type(value)}')
    return value


def _unicode(value: str, key: str, where: str) -> str:
    """A value that can be written out as UTF-8: JSON's \\ud800 escapes can make one that cannot."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        surrogate = f"\\u{ord(value[error.start]):04x}"
        raise BadRecord(where, f'"{key}" has a lone surrogate ({surrogate})') from None
    return value


def _published(record: dict[str, Any], where: str) -> str | None:
    """The publication time as given (documents take times with an offset as UTC), checked."""
    value = _optional_string(record, "published", where)
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        problem = f'"published" ({quoted(value)}) is not an ISO 8601 date or time'
        raise BadRecord(where, problem) from None
    try:
        _parse_published(value)
    except ValueError:  # year 1 or 9999 moved out of range by its offset
        raise BadRecord(where, f'"published" ({quoted(value)}) is out of range in UTC') from None
    return value


def quoted(value: str) -> str:
    """A value in a message, quoted as JSON writes it.

    >>> print(quoted("wire-7"))
    "wire-7"
    """
    return json_text(value)


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)
