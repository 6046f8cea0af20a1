"""What the shared index keeps on the Redis server, in MessagePack (https://msgpack.org): a
documented binary format that any language reads, decoded here with every type and length
checked. Nothing is pickled, so nothing a server returns can run code. docs/shared-index.md
describes each value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgpack

from fingerprint.errors import StoreError
from fingerprint.stores import Row


def pack(value: object) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


def unpack(where: str, data: object) -> Any:
    """A stored MessagePack value; anything else is a `StoreError` naming ``where``."""
    if not isinstance(data, bytes):
        raise StoreError(f"{where}: missing or not bytes")
    try:
        return msgpack.unpackb(data, raw=False, strict_map_key=True)
    except (ValueError, msgpack.UnpackException) as error:
        raise StoreError(f"{where}: not a MessagePack value ({error})") from None


def pack_record(row: Row) -> bytes:
    """A document's record: ``[doc_id, source, published, evidence, sketch, copies]``."""
    (doc_id, source, published), sketch, evidence, copies = row
    when = published.isoformat() if published is not None else None
    return pack([doc_id, source, when, evidence, sketch, copies])


def unpack_record(where: str, data: object) -> Row:
    """A document's record, its fields' types and values checked."""
    value = unpack(where, data)
    if not (isinstance(value, list) and len(value) == 6):
        raise StoreError(f"{where}: a record is a list of 6 fields")
    doc_id, source, when, evidence, sketch, copies = value
    if not (
        type(doc_id) is str
        and (source is None or type(source) is str)
        and (when is None or type(when) is str)
        and type(evidence) is bytes
        and type(sketch) is bytes
        and type(copies) is list
    ):
        raise StoreError(f"{where}: a field of the record has the wrong type")
    if any(type(link) is not str for link in copies):
        raise StoreError(f"{where}: copies is not a list of ids")
    if evidence.translate(None, b"\0\1"):
        raise StoreError(f"{where}: evidence flags not 0 or 1")
    try:
        published = datetime.fromisoformat(when) if when is not None else None
    except ValueError as error:
        raise StoreError(f"{where}: {error}") from None
    return ((doc_id, source, published), sketch, evidence, copies)


def unpack_ids(where: str, value: object) -> list[tuple[str, int]]:
    """A list of ``[doc_id, op]`` pairs: documents and the operations that added them."""
    if not isinstance(value, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], int)
        and pair[1] > 0
        for pair in value
    ):
        raise StoreError(f"{where}: not a list of [doc_id, operation] pairs")
    return [(doc_id, op) for doc_id, op in value]


def unpack_ops(where: str, data: object) -> list[tuple[str, list[Any]]]:
    """A log entry's operations: ``["add", [doc_id, ...]]`` and ``["remove", [[doc_id, op],
    ...]]``, in order."""
    value = unpack(where, data)
    if not isinstance(value, list):
        raise StoreError(f"{where}: operations are a list")
    ops: list[tuple[str, list[Any]]] = []
    for op in value:
        if not (isinstance(op, list) and len(op) == 2 and op[0] in ("add", "remove")):
            raise StoreError(f"{where}: an operation is ['add', ids] or ['remove', pairs]")
        kind, ids = op
        if kind == "add":
            if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
                raise StoreError(f"{where}: an add names a list of ids")
            ops.append((kind, ids))
        else:
            ops.append((kind, unpack_ids(where, ids)))
    return ops
