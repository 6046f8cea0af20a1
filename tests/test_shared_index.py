"""The shared index on a real redis-server: many processes, one index, the reports of one log.

Every report a process gets must equal what an index in memory gives when fed the same documents
in the shared order (`list(index)`), whatever the processes, their batches, a process killed
mid-batch, or the server restarted under load; and what the server holds is checked as it is read.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from shared_data import DATA

import fingerprint.stores.redis as redis_store
from fingerprint import Document, Index, Recipe
from fingerprint.errors import StoreError, StoreIOError
from fingerprint.stores.records import pack

HERE = Path(__file__).parent
WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ra", "si", "tu") for b in range(60)]
SOURCES = ("wire", "courier", "herald")


def generated(count: int, seed: int = 0) -> list[list[str]]:
    """``[id, text, source, published]`` of stories that share paragraphs: copies, trimmed
    copies and merged stories, so that reports hold matches, furniture and origins."""
    rng = random.Random(seed)
    pool = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))) for _ in range(count)]
    rows = []
    for i in range(count):
        paragraphs = rng.sample(pool, rng.randint(1, 5))
        if rng.random() < 0.3:
            paragraphs.append(f"Subscribe to the {SOURCES[i % 3]} newsletter for daily news now")
        day = rng.randint(1, 28)
        rows.append([f"g{i}", "\n\n".join(paragraphs), SOURCES[i % 3], f"2024-03-{day:02d}"])
    return rows


def reuters(count: int) -> list[list[str]]:
    path = DATA / "reuters21578" / "reuters21578.jsonl"
    if not path.exists():
        pytest.skip(f"real corpus not found at {path}")
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if (row.get("body") or "").strip():
                rows.append([str(row["newid"]), row["body"], SOURCES[row["newid"] % 3], None])
            if len(rows) == count:
                return rows
    return rows


def documents(rows: list[list[str]]) -> list[Document]:
    return [Document.from_text(t, doc_id=i, source=s, published=p) for i, t, s, p in rows]


def replayed(order: list[str], rows: list[list[str]]) -> dict[str, dict]:
    """The reports of an index in memory fed ``rows`` in the order ``order``."""
    by_id = {row[0]: row for row in rows}
    reports = Index().add_many(documents([by_id[doc_id] for doc_id in order]))
    return {r.doc_id: r.to_dict() for r in reports}


# -- one process, two replicas -----------------------------------------------------------------


def test_two_replicas_give_the_reports_of_one_index(shared_index):
    rows = generated(300)
    first, second = Index(**shared_index), Index(**shared_index)
    reports = {}
    rng = random.Random(1)
    at = 0
    while at < len(rows):
        size = rng.choice([1, 5, 40])
        index = rng.choice([first, second])
        reports.update(
            {r.doc_id: r.to_dict() for r in index.add_many(documents(rows[at : at + size]))}
        )
        at += size
    assert list(first) == list(second) == [row[0] for row in rows]
    assert reports == replayed(list(first), rows)
    assert any(report["matches"] for report in reports.values())
    assert len(second) == 300 and "g7" in second and first.stats()["documents"] == 300


def test_removals_and_expiry_reach_every_replica(shared_index):
    rows = generated(120, seed=2)
    first, second = Index(**shared_index), Index(**shared_index)
    first.add_many(documents(rows[:60]))
    assert second.remove("g3") and not first.remove("g3")
    expired = first.expire("2024-03-10")
    assert expired > 0
    live = [row for row in rows[:60] if row[0] != "g3" and row[3] >= "2024-03-10"]
    assert list(second) == [row[0] for row in live]
    later = [r.to_dict() for r in second.add_many(documents(rows[60:]))]
    memory = Index()  # the same operations in one process
    memory.add_many(documents(rows[:60]))
    memory.remove("g3")
    memory.expire("2024-03-10")
    assert later == [r.to_dict() for r in memory.add_many(documents(rows[60:]))]
    for probe in documents(rows[:10]):
        assert first.query(probe).to_dict() == memory.query(probe).to_dict()


def test_a_new_replica_loads_a_snapshot_and_the_log_after_it(shared_index, monkeypatch):
    monkeypatch.setattr(redis_store, "SNAPSHOT_EVERY", 20)
    rows = generated(200, seed=3)
    writer = Index(**shared_index)
    idle = Index(**shared_index)  # opened early, then left behind while the log is trimmed
    for first in range(0, 200, 10):
        writer.add_many(documents(rows[first : first + 10]))
        if first % 30 == 0:
            writer.remove(rows[first][0])
    client = redis.Redis.from_url(shared_index["path"])
    keys = redis_store._Keys(shared_index["namespace"])
    assert int(client.hget(keys.snapshot, "n")) > 0
    assert client.xlen(keys.log) < int(client.hget(keys.head, "n"))  # trimmed behind it
    assert client.zcard(keys.graves) < 7  # records of removed documents dropped with it
    fresh = Index(**shared_index)
    assert list(fresh) == list(writer) == list(idle)
    probe = documents(generated(30, seed=4))
    assert [fresh.query(d).to_dict() for d in probe] == [writer.query(d).to_dict() for d in probe]
    assert [idle.query(d).to_dict() for d in probe] == [writer.query(d).to_dict() for d in probe]


# -- refusals ----------------------------------------------------------------------------------


def test_an_id_taken_by_another_process_is_refused(shared_index):
    first, second = Index(**shared_index), Index(**shared_index)
    first.add(Document.from_text("one story of the wire", doc_id="a"))
    with pytest.raises(ValueError, match=r"doc_id \('a'\) is already in the index"):
        second.add_many(
            [Document.from_text("another", doc_id="b"), Document.from_text("x", doc_id="a")]
        )
    assert list(first) == ["a"]  # nothing of the batch went in
    second.add(Document.from_text("another", doc_id="b"))
    assert list(first) == ["a", "b"]


def test_another_recipe_or_other_parameters_are_refused(shared_index):
    Index(**shared_index).add("a story")
    with pytest.raises(
        StoreError, match="holds an index of recipe v1-k3-p128-s0; this index uses recipe v1-k4"
    ):
        Index(**shared_index, recipe=Recipe(shingle_size=4))
    with pytest.raises(StoreError, match=r"min_containment is 0.1 there, 0.3 here"):
        Index(**shared_index, min_containment=0.3)
    assert Index(shared_index["path"] + "#" + shared_index["namespace"]).recipe == Recipe()


def test_an_index_made_before_a_parameter_existed_names_it(shared_index):
    Index(**shared_index)
    client = redis.Redis.from_url(shared_index["path"])
    meta = redis_store._Keys(shared_index["namespace"]).meta
    older = json.loads(client.hget(meta, "policy"))
    del older["min_shared"]
    client.hset(meta, "policy", json.dumps(older))
    with pytest.raises(
        StoreError, match=r"min_shared is not set there \(an index made by an older"
    ):
        Index(**shared_index)


def test_another_segmentation_is_refused(shared_index):
    Index(**shared_index)
    client = redis.Redis.from_url(shared_index["path"])
    client.hset(redis_store._Keys(shared_index["namespace"]).meta, "segmentation", "0")
    with pytest.raises(StoreError, match="segmentation version 0"):
        Index(**shared_index)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (b"\xc1", "not a MessagePack value"),
        (pack([1, 2]), "a record is a list of 6 fields"),
        (pack(["a", None, None, b"\x02", b"", []]), "evidence flags not 0 or 1"),
        (pack(["a", None, "not a date", b"", b"", []]), "Invalid isoformat"),
        # what a pickling client would have stored: refused, never unpickled
        (b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94.", "not a MessagePack value"),
    ],
)
def test_a_bad_record_on_the_server_is_refused_by_name(shared_index, edit, message):
    Index(**shared_index).add(Document.from_text("a story of the wire service", doc_id="a"))
    client = redis.Redis.from_url(shared_index["path"])
    client.hset(redis_store._Keys(shared_index["namespace"]).docs, "1:a", edit)
    with pytest.raises(StoreError, match=f"record 1:a: .*{message}"):
        Index(**shared_index)


def test_a_server_that_lost_writes_is_refused_not_followed(shared_index):
    index = Index(**shared_index)
    for i in range(3):
        index.add(Document.from_text(f"story number {i} of the day", doc_id=f"s{i}"))
    client = redis.Redis.from_url(shared_index["path"])
    keys = redis_store._Keys(shared_index["namespace"])
    ((_, fields),) = client.xrange(keys.log, "3-0", "3-0")
    client.xdel(keys.log, "3-0")
    client.hset(keys.head, mapping={"n": 2, "tag": fields[b"prev"]})
    with pytest.raises(
        StoreError, match="the server's log ends at operation 2, before this process's 3"
    ):
        index.add("one more")
    client.flushdb()
    with pytest.raises(StoreError, match="deleted or made anew on the server"):
        len(index)


def test_an_unreachable_server_is_one_clear_error(monkeypatch):
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    from redis_server import free_port

    monkeypatch.setattr(redis_store, "_RETRY", Retry(NoBackoff(), 1))
    url = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    with pytest.raises(StoreIOError, match=rf"^{url}#fingerprint: cannot open \(.*onnect"):
        Index(url)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("namespace", ["", "a b", "x" * 101, "{tag}"])
def test_a_bad_namespace_is_named(namespace):
    with pytest.raises(ValueError, match=r"namespace \("):
        Index("redis://127.0.0.1:1/0", namespace=namespace)


# -- many processes ----------------------------------------------------------------------------


def _workers(shared_index, tmp_path, parts, batch, lease=10.0, pause=0.0):
    """Worker processes, one per part of the corpus, started together; each waits ``pause``
    seconds after each batch."""
    processes = []
    for number, part in enumerate(parts):
        stories = tmp_path / f"stories{number}.json"
        stories.write_text(json.dumps(part))
        command = [
            sys.executable,
            str(HERE / "shared_worker.py"),
            shared_index["path"],
            shared_index["namespace"],
            str(stories),
            str(batch),
            str(lease),
            str(pause),
        ]
        processes.append(
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        )
    for process in processes:
        assert process.stdout.readline() == "ready\n"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    return processes


def _acknowledged(process) -> dict[str, dict]:
    """The reports a worker printed until it ended; it must end well."""
    with process.stdin, process.stdout:
        reports = {report["id"]: report for report in map(json.loads, process.stdout)}
    assert process.wait(120) == 0
    return reports


@pytest.mark.parametrize("corpus", ["generated", "reuters"])
def test_four_processes_adding_at_once_give_the_reports_of_the_shared_order(
    shared_index, tmp_path, corpus
):
    rows = generated(800, seed=5) if corpus == "generated" else reuters(1600)
    random.Random(6).shuffle(rows)
    processes = _workers(shared_index, tmp_path, [rows[i::4] for i in range(4)], batch=25)
    reports = {}
    for process in processes:
        reports.update(_acknowledged(process))
    order = list(Index(**shared_index))
    assert sorted(order) == sorted(row[0] for row in rows)
    assert order != [row[0] for row in rows]  # the processes' batches did interleave
    assert reports == replayed(order, rows)


def test_a_process_killed_mid_batch_loses_nothing_acknowledged_and_holds_no_one_back(
    shared_index, tmp_path
):
    rows = generated(900, seed=7)
    processes = _workers(
        shared_index, tmp_path, [rows[i::3] for i in range(3)], batch=30, lease=1.0, pause=0.02
    )
    victim = processes[1]
    acknowledged = [json.loads(victim.stdout.readline()) for _ in range(45)]
    assert victim.poll() is None  # mid-run: 8 of its 10 batches still to come
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    victim.stdin.close()
    victim.stdout.close()
    started = time.monotonic()
    reports = {r["id"]: r for r in acknowledged}
    for process in (processes[0], processes[2]):
        reports.update(_acknowledged(process))
    assert time.monotonic() - started < 60
    order = list(Index(**shared_index))
    assert set(reports) <= set(order)  # every acknowledged add is there
    assert len(order) == len(set(order))
    assert {row[0] for row in rows[0::3] + rows[2::3]} <= set(order)
    assert reports == {k: v for k, v in replayed(order, rows).items() if k in reports}


def test_the_server_restarted_under_load(shared_index, redis_server, tmp_path):
    rows = generated(600, seed=8)
    # 60 batches at least 20 ms apart: the server goes down with 50 of them still to come.
    (process,) = _workers(shared_index, tmp_path, [rows], batch=10, pause=0.02)
    acknowledged = [json.loads(process.stdout.readline()) for _ in range(100)]
    redis_server.stop(kill=True)  # kill -9: the append-only file holds every acknowledged write
    time.sleep(0.5)
    redis_server.start()
    reports = {r["id"]: r for r in acknowledged}
    after = _acknowledged(process)
    assert len(after) >= 400  # most of the batches went in after the restart
    reports.update(after)
    order = list(Index(**shared_index))
    assert order == [row[0] for row in rows]
    assert reports == replayed(order, rows)


def test_a_lock_left_by_a_dead_process_holds_the_others_back_for_its_lease_only(shared_index):
    index = Index(**shared_index)
    index.add("a first story")
    client = redis.Redis.from_url(shared_index["path"])
    client.set(redis_store._Keys(shared_index["namespace"]).lock, "dead", px=700)
    started = time.monotonic()
    index.add("a second story")
    assert 0.5 < time.monotonic() - started < 5
    assert len(index) == 2


def test_a_lock_held_past_the_timeout_is_one_clear_error(shared_index):
    index = Index(**shared_index, lock_timeout=0.2)
    client = redis.Redis.from_url(shared_index["path"])
    client.set(redis_store._Keys(shared_index["namespace"]).lock, "busy", px=5000)
    with pytest.raises(TimeoutError, match=r"held the index's write lock for 0\.2 s"):
        index.add("a story")
    assert len(index) == 0


def test_a_commit_sent_again_after_a_lost_reply_goes_in_once(shared_index, monkeypatch):
    """The client resends a command whose reply the connection lost; the commit knows its own
    entry and answers as if it had gone in now."""
    index = Index(**shared_index)
    store = index._store
    commit = store._scripts["COMMIT"]
    answers = []

    def sent_twice(**arguments):
        answers.append(commit(**arguments)[0])
        answers.append(commit(**arguments)[0])
        return commit(**arguments)

    monkeypatch.setitem(store._scripts, "COMMIT", sent_twice)
    report = index.add(Document.from_text("a story sent twice", doc_id="a"))
    assert answers == [b"ok", b"done"]
    monkeypatch.undo()
    assert report.doc_id == "a"
    assert list(Index(**shared_index)) == ["a"]
    index.add(Document.from_text("the next story", doc_id="b"))
    assert list(Index(**shared_index)) == ["a", "b"]


def _edit_head(client, keys):
    client.hset(keys.head, "n", "many")


def _edit_entry(client, keys):
    ((_, fields),) = client.xrange(keys.log, "1-0", "1-0")
    client.delete(keys.log)
    client.xadd(keys.log, {"prev": "", "ops": fields[b"ops"]}, id="1-0")


def _edit_snapshot(client, keys):
    client.hset(keys.snapshot, mapping={"n": "-3", "tag": "x", "key": "k"})


def _edit_sketch(client, keys):
    client.hset(keys.docs, "1:a", pack(["a", None, None, b"\x01\x01\x01", b"", []]))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit_head, r"head: b'many' is not an operation number"),
        (_edit_entry, r"log entry 1: a tag is missing"),
        (_edit_snapshot, r"snapshot k: b'-3' is not an operation number"),
        (_edit_sketch, r"records 1:a to 1:a: "),
    ],
)
def test_a_server_answer_this_version_did_not_write_is_one_clear_error(shared_index, edit, message):
    Index(**shared_index).add(Document.from_text("a story of the wire service", doc_id="a"))
    client = redis.Redis.from_url(shared_index["path"])
    edit(client, redis_store._Keys(shared_index["namespace"]))
    with pytest.raises(StoreError, match=message):
        len(Index(**shared_index))
