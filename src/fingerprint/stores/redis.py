"""The shared index: one index for any number of processes on any number of machines, kept on a
Redis server as an ordered log of operations and the documents' records.

Each process keeps the whole index in memory as a replica (the core's postings are six bytes
each; a Redis key costs tens) and follows the log. A write takes the index's lock (a key with a
lease, so that a writer killed mid-batch holds the others back no longer than the lease),
catches up with the log, examines and adds its batch in memory, and commits it in one script
that appends to the log only if the writer was up to date. So the log's order is the order in
which every report was made, and every replica replays it to the same index. A new replica loads
the latest snapshot (the live documents' ids at one point of the log, their records beside
them) and the log's tail; snapshots are written as the index grows, and the log and the records
of removed documents are trimmed behind them. docs/shared-index.md has the keys, the formats
and what survives which failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from fingerprint._core import SEGMENTATION_VERSION, Recipe
from fingerprint.errors import StoreError, StoreIOError
from fingerprint.stores import Replica, Row, recipe_from_id
from fingerprint.stores import redis_scripts as scripts
from fingerprint.stores.records import (
    pack,
    pack_record,
    unpack,
    unpack_ids,
    unpack_ops,
    unpack_record,
)

#: Bumped when the keys or their formats change.
FORMAT = "1"
#: Log entries read at a time, and records fetched in one command.
READ_ENTRIES = 256
READ_RECORDS = 2000
#: A snapshot is written once this many documents, or a quarter of the index, were added since
#: the last one: its cost (every live id) is spread over that many adds.
SNAPSHOT_EVERY = 10_000
#: Connection failures are retried with backoff for about this many seconds, then reported.
RETRY_SECONDS = 10.0
_RETRY = Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=14)
#: A namespace is a short name: it goes into every key, between braces (a Redis Cluster hash
#: tag, so that one index's keys live on one node).
_NAMESPACE_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:"
)


class _Keys:
    """The names of one index's keys."""

    def __init__(self, namespace: str) -> None:
        prefix = f"fingerprint:{{{namespace}}}:"
        self.meta = prefix + "meta"
        self.head = prefix + "head"
        self.log = prefix + "log"
        self.ids = prefix + "ids"
        self.docs = prefix + "docs"
        self.graves = prefix + "graves"
        self.lock = prefix + "lock"
        self.held = prefix + "held"
        self.snapshot = prefix + "snapshot"

    def snapshot_at(self, op: int) -> str:
        return f"{self.snapshot}:{op}"


class _Behind(Exception):
    """The replica is behind a trimmed log (or its snapshot went): it loads the index anew."""


def exists(url: str, namespace: str | None = None) -> bool:
    """Whether the server at ``url`` holds an index under ``namespace`` (or the URL's #name)."""
    url, namespace = split_namespace(url, namespace)
    _check_namespace(namespace)
    with redis.Redis.from_url(url, retry=_RETRY, retry_on_error=[redis.ConnectionError]) as client:
        try:
            return bool(client.exists(_Keys(namespace).meta))
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreIOError(f"{_without_password(url)}: cannot read ({error})") from None


def split_namespace(url: str, namespace: str | None) -> tuple[str, str]:
    """The URL without its #fragment, and the namespace: ``namespace``, or the fragment, or
    "fingerprint"; a fragment and a ``namespace`` that differ are refused."""
    url, _, fragment = url.partition("#")
    if fragment and namespace is not None and fragment != namespace:
        raise ValueError(f"namespace ({namespace!r}) differs from the URL's #{fragment}")
    if namespace is None:
        namespace = fragment or "fingerprint"
    return url, namespace


class RedisStore:
    """An index shared on the Redis server at ``url``, under ``namespace`` (None: the URL's
    #fragment, or "fingerprint").

    ``recipe`` None takes the one the server holds (the default recipe for a new index).
    ``policy``: the index's parameters, kept on the server with the recipe; every process must
    use the same ones, since what a document records when added depends on them.
    ``timeout``: seconds a write waits for another process's write. ``lease``: seconds a writer
    may hold the lock; a writer that dies holding it holds the others back that long at most.
    """

    #: Processes of many machines share it: each sketches its batch before taking the lock.
    shared = True

    def __init__(
        self,
        url: str,
        recipe: Recipe | None,
        policy: str,
        namespace: str | None = None,
        *,
        timeout: float = 30.0,
        lease: float = 10.0,
    ) -> None:
        url, namespace = split_namespace(url, namespace)
        _check_namespace(namespace)
        if not (isinstance(lease, int | float) and lease > 0):
            raise ValueError(f"lease ({lease!r}) must be a positive number of seconds")
        self.path = f"{_without_password(url)}#{namespace}"
        self.timeout = timeout
        self.lease = lease
        self._keys = _Keys(namespace)
        try:
            self._redis = redis.Redis.from_url(
                url,
                retry=_RETRY,
                retry_on_error=[redis.ConnectionError, redis.TimeoutError],
                socket_timeout=RETRY_SECONDS,
                socket_connect_timeout=RETRY_SECONDS,
            )
        except ValueError as error:
            raise ValueError(f"url ({url!r}): {error}") from None
        self._scripts = {
            name: self._redis.register_script(getattr(scripts, name))
            for name in ("OPEN", "READ", "COMMIT", "RELEASE", "PUBLISH")
        }
        with self._errors("open"):
            self.recipe, self._epoch = self._open(recipe, policy)
        # Where the replica is in the log, and the live documents with the ops that added them.
        self._op, self._tag = 0, ""
        self._added: dict[str, int] = {}
        self._fresh = True
        # The write under way: its lock token, nesting, changes and held report lines.
        self._token = ""
        self._depth = 0
        self._changes: list[tuple[str, str, bytes]] = []
        self._ops: list[list[Any]] = []
        self._held: tuple[str, bytes] | None = None

    # -- following the log -------------------------------------------------------------------

    def sync(self, replica: Replica) -> None:
        """Brings ``replica`` up to date with the log: the latest snapshot first when it is new
        or fell behind a trimmed log, then every entry after it."""
        with self._errors("read"):
            for _ in range(3):
                try:
                    if self._fresh:
                        self._load_snapshot(replica)
                    self._follow(replica)
                    return
                except _Behind:
                    replica.reset()
                    self._op, self._tag, self._added, self._fresh = 0, "", {}, True
            raise StoreError(f"{self.path}: the log was trimmed faster than it could be read")

    def _load_snapshot(self, replica: Replica) -> None:
        op, tag, key = self._redis.hmget(self._keys.snapshot, "n", "tag", "key")
        self._fresh = False
        if op is None:
            return
        if key is None:
            raise StoreError(f"{self.path}: snapshot: its key is missing")
        where = f"{self.path}: snapshot {key.decode(errors='replace')}"
        op = _number(where, op)
        blob = self._redis.get(key)
        if blob is None:
            raise _Behind  # replaced while being read
        value = unpack(where, blob)
        if not (isinstance(value, list) and len(value) == 3 and value[0] == op):
            raise StoreError(f"{where}: not [op, tag, ids] for op {op}")
        live = unpack_ids(where, value[2])
        for first in range(0, len(live), READ_RECORDS * 4):
            self._load(replica, live[first : first + READ_RECORDS * 4])
        self._op, self._tag = op, _text(where, tag)

    def _follow(self, replica: Replica) -> None:
        while True:
            epoch, (op, tag), entries = self._scripts["READ"](
                keys=[self._keys.meta, self._keys.head, self._keys.log],
                args=[f"{self._op + 1}-0", READ_ENTRIES],
            )
            head = f"{self.path}: head"
            self._check_head(epoch, _number(head, op or b"0"), _text(head, tag or b""))
            waiting: list[tuple[str, int]] = []  # added, loaded together: one fetch for all
            for entry_id, fields in entries:
                self._apply(replica, entry_id.decode(), _fields(fields), waiting)
            self._load(replica, waiting)
            if len(entries) < READ_ENTRIES:
                return

    def _check_head(self, epoch: bytes | None, op: int, tag: str) -> None:
        """Refuses to go on when the server no longer holds what this replica followed."""
        if epoch != self._epoch.encode():
            raise StoreError(
                f"{self.path}: the index was deleted or made anew on the server; open it again"
            )
        if op < self._op or (op == self._op and tag != self._tag):
            raise StoreError(
                f"{self.path}: the server's log ends at operation {op}, before this process's "
                f"{self._op}: the server lost acknowledged writes (see docs/shared-index.md, "
                "persistence); open the index again"
            )

    def _apply(
        self,
        replica: Replica,
        entry_id: str,
        fields: dict[bytes, bytes],
        waiting: list[tuple[str, int]],
    ) -> None:
        """Follows one log entry: its adds join ``waiting``, loaded before any removal."""
        op = _number(f"{self.path}: log entry {entry_id}", entry_id.split("-")[0])
        where = f"{self.path}: log entry {op}"
        if op != self._op + 1:
            raise _Behind  # the entries between were trimmed
        if _text(where, fields.get(b"prev")) != self._tag:
            raise StoreError(f"{where} does not follow the entry this process read before it")
        for kind, ids in unpack_ops(where, fields.get(b"ops")):
            if kind == "add":
                waiting.extend((doc_id, op) for doc_id in ids)
            else:
                self._load(replica, waiting)
                waiting.clear()
                gone = [doc_id for doc_id, added in ids if self._added.get(doc_id) == added]
                for doc_id in gone:
                    del self._added[doc_id]
                replica.unload(gone)
        self._op, self._tag = op, _text(where, fields.get(b"tag"))

    def _load(self, replica: Replica, live: list[tuple[str, int]]) -> None:
        """Fetches the records of documents and loads them, in order."""
        if not live:
            return
        fields = [f"{op}:{doc_id}" for doc_id, op in live]
        pipeline = self._redis.pipeline(transaction=False)
        for first in range(0, len(fields), READ_RECORDS):
            pipeline.hmget(self._keys.docs, fields[first : first + READ_RECORDS])
        found = [record for chunk in pipeline.execute() for record in chunk]
        if any(record is None for record in found):
            raise _Behind  # removed and trimmed since this process read the log
        where = f"{self.path}: record"
        rows = [unpack_record(f"{where} {f}", r) for f, r in zip(fields, found, strict=True)]
        try:
            replica.load(rows)
        except ValueError as error:  # a sketch the core refuses, or flags that do not fit it
            raise StoreError(f"{where}s {fields[0]} to {fields[-1]}: {error}") from None
        for doc_id, op in live:
            self._added[doc_id] = op

    # -- writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, replica: Replica) -> Iterator[None]:
        """The lock held and ``replica`` up to date; what is appended and removed inside is
        committed as one log entry when the block ends (inside ``transaction``, with it)."""
        with self.transaction(replica):
            self.sync(replica)
            yield

    @contextlib.contextmanager
    def transaction(self, replica: Replica | None = None) -> Iterator[None]:
        """One log entry made of every write inside, and ``hold_reports``: committed together
        when the outermost block ends, nothing of it when it raises. While it waits for the
        lock, ``replica`` follows the log."""
        if self._depth == 0:
            self._lock(replica)
        self._depth += 1
        due = False
        try:
            yield
            if self._depth == 1:
                due = self._commit()
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._changes, self._ops, self._held = [], [], None
                self._unlock()
        if due:
            with contextlib.suppress(StoreIOError):  # the next writer writes one instead
                self.snapshot()

    def append(self, rows: list[Row]) -> None:
        """Adds documents (inside ``writing``)."""
        self._ops.append(["add", [doc_id for (doc_id, *_), *_ in rows]])
        self._changes.extend(("a", row[0][0], pack_record(row)) for row in rows)

    def remove(self, doc_ids: list[str]) -> None:
        """Removes documents (inside ``writing``)."""
        self._ops.append(["remove", [[doc_id, self._added[doc_id]] for doc_id in doc_ids]])
        self._changes.extend(("r", doc_id, b"") for doc_id in doc_ids)

    def revise(self, facts: list[tuple[str, bytes, list[str]]]) -> None:
        """Rewrites what documents recorded when they were added, ``(doc_id, evidence,
        copies)``, after a removal changed it (inside ``writing``, with the removal)."""
        fields = [f"{self._added[doc_id]}:{doc_id}" for doc_id, _, _ in facts]
        with self._errors("read"):
            found = self._redis.hmget(self._keys.docs, fields) if fields else []
        for field, record, (doc_id, evidence, copies) in zip(fields, found, facts, strict=True):
            entry, sketch, _, _ = unpack_record(f"{self.path}: record {field}", record)
            self._changes.append(("u", doc_id, pack_record((entry, sketch, evidence, copies))))

    def _lock(self, replica: Replica | None) -> None:
        """Takes the write lock. Waiting, the replica follows the log, so that what it must
        still catch up with once it holds the lock (which the others wait for) is little."""
        token = os.urandom(12).hex()
        deadline = time.monotonic() + self.timeout
        with self._errors("lock"):
            while not self._redis.set(
                self._keys.lock, token, nx=True, px=max(1, round(self.lease * 1000))
            ):
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{self.path}: another process held the index's write lock for "
                        f"{self.timeout:g} s; try again when it has finished"
                    )
                if replica is not None:
                    self.sync(replica)
                time.sleep(random.uniform(0.0005, 0.002))
        self._token = token

    def _unlock(self) -> None:
        if self._token:  # not released by a commit
            with contextlib.suppress(redis.RedisError):
                self._scripts["RELEASE"](keys=[self._keys.lock], args=[self._token])
        self._token = ""

    def _commit(self) -> bool:
        """Commits the write under way; returns whether a snapshot is due."""
        if not self._changes and self._held is None:
            return False
        tag = os.urandom(8).hex()
        path, value = self._held or ("", b"")
        args: list[Any] = [self._epoch, self._op, self._tag, tag, self._token, pack(self._ops)]
        args += [path, value]
        for change in self._changes:
            args.extend(change)
        k = self._keys
        with self._errors("write"):
            answer = self._scripts["COMMIT"](
                keys=[k.meta, k.head, k.log, k.ids, k.docs, k.graves, k.lock, k.held, k.snapshot],
                args=args,
            )
        outcome = answer[0].decode()
        if outcome == "taken":
            raise ValueError(f"doc_id ({answer[1].decode()!r}) is already in the index")
        if outcome == "reset":
            self._check_head(None, 0, "")
        if outcome == "behind":
            raise TimeoutError(
                f"{self.path}: this write took longer than its lease ({self.lease:g} s) and "
                "another process wrote meanwhile; nothing of it was written"
            )
        self._op, self._tag, self._token = int(answer[1]), tag, ""
        for kind, doc_id, _ in self._changes:
            if kind == "a":
                self._added[doc_id] = self._op
            elif kind == "r":
                self._added.pop(doc_id, None)
        return outcome == "ok" and int(answer[2]) >= max(SNAPSHOT_EVERY, int(answer[3]) // 4)

    def snapshot(self) -> None:
        """Writes a snapshot of the index at this replica's point of the log, and trims the log
        behind the one before it. Done by itself as the index grows."""
        key = self._keys.snapshot_at(self._op)
        blob = pack([self._op, self._tag, [[d, op] for d, op in self._added.items()]])
        with self._errors("write"):
            self._redis.set(key, blob)
            self._scripts["PUBLISH"](
                keys=[self._keys.snapshot, self._keys.log, self._keys.docs, self._keys.graves, key],
                args=[self._op, self._tag],
            )

    # -- report lines held until written ----------------------------------------------------

    def hold_reports(self, path: str, offset: int, lines: str) -> None:
        """Has report lines for the file ``path``, from byte ``offset`` on, committed with the
        documents of the transaction (see the SQLite store's)."""
        self._held = (path, pack([offset, lines]))

    def held_reports(self, path: str) -> tuple[int, str] | None:
        with self._errors("read"):
            found = self._redis.hget(self._keys.held, path)
        if found is None:
            return None
        value = unpack(f"{self.path}: held reports {path!r}", found)
        if not (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], int)
            and isinstance(value[1], str)
        ):
            raise StoreError(f"{self.path}: held reports {path!r}: not [offset, lines]")
        return value[0], value[1]

    def release_reports(self, path: str) -> None:
        with self._errors("write"):
            self._redis.hdel(self._keys.held, path)

    def close(self) -> None:
        self._redis.close()

    # -- inside ------------------------------------------------------------------------------

    def _open(self, recipe: Recipe | None, policy: str) -> tuple[Recipe, str]:
        """The index's recipe and epoch; creates the index when the server has none."""
        wanted = recipe if recipe is not None else Recipe()
        new = {
            "format": FORMAT,
            "recipe": wanted.id,
            "segmentation": str(SEGMENTATION_VERSION),
            "policy": policy,
            "epoch": os.urandom(8).hex(),
        }
        flat = self._scripts["OPEN"](
            keys=[self._keys.meta], args=[x for kv in new.items() for x in kv]
        )
        meta = {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}
        if meta.get("format") != FORMAT:
            raise StoreError(f"{self.path}: not a shared index of format {FORMAT}")
        stored = recipe_from_id(meta.get("recipe", ""))
        if stored is None or (recipe is not None and stored != recipe):
            raise StoreError(
                f"{self.path} holds an index of recipe {meta.get('recipe')}; this index uses "
                f"recipe {wanted.id}"
            )
        if meta.get("segmentation") != str(SEGMENTATION_VERSION):
            raise StoreError(
                f"{self.path} holds documents cut into blocks by segmentation version "
                f"{meta.get('segmentation')}; this version of fingerprint cuts by version "
                f"{SEGMENTATION_VERSION}: index the documents again"
            )
        if meta.get("policy") != policy:
            raise StoreError(f"{self.path}: {_policy_difference(meta.get('policy', ''), policy)}")
        return stored, meta["epoch"]

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """The server's and the connection's errors as the store's, naming the index."""
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreIOError(f"{self.path}: cannot {doing} ({error})") from None
        except redis.ResponseError as error:  # out of memory, a read-only replica, a wrong type
            raise StoreIOError(f"{self.path}: the server refused to {doing} ({error})") from None


def _check_namespace(namespace: object) -> None:
    if not (
        isinstance(namespace, str)
        and 0 < len(namespace) <= 100
        and set(namespace) <= _NAMESPACE_CHARACTERS
    ):
        raise ValueError(
            f"namespace ({namespace!r}) must be 1 to 100 letters, digits or any of _ . - :"
        )


def _without_password(url: str) -> str:
    """The URL to name in messages: a password never goes into a message or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _fields(flat: list[bytes]) -> dict[bytes, bytes]:
    """A log entry's fields, as a script returns them: field, value, field, value..."""
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _policy_difference(stored: str, asked: str) -> str:
    """What differs between the parameters an index is shared with and those a process asked
    for, parameter by parameter."""
    try:
        there = json.loads(stored)
        here = json.loads(asked)
        differing = [
            f"{k} is {there[k]!r} there, {here[k]!r} here"
            if k in there
            else f"{k} is not set there (an index made by an older version), {here[k]!r} here"
            for k in here
            if there.get(k) != here[k]
        ]
    except (ValueError, TypeError, AttributeError):
        return f"the index's parameters are unreadable ({stored!r})"
    return (
        "the index is shared with other parameters: "
        + "; ".join(differing)
        + " (every process must use the same ones)"
    )


def _number(where: str, raw: object) -> int:
    """An operation number the server answered, checked."""
    try:
        value = int(raw)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise StoreError(f"{where}: {raw!r} is not an operation number")
    return value


def _text(where: str, raw: object) -> str:
    """A tag or a name the server answered, checked."""
    if not isinstance(raw, bytes):
        raise StoreError(f"{where}: a tag is missing")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise StoreError(f"{where}: {raw!r} is not a tag") from None
