"""The index on disk (SQLite): reopening, the stored recipe, crashes, several processes, space."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from index_worker import article

from fingerprint import Document, Index, Recipe
from fingerprint._core import SEGMENTATION_VERSION
from fingerprint.errors import StoreError
from fingerprint.stores.sqlite import checksum

WORKER = Path(__file__).with_name("index_worker.py")
STORY = [
    "The city council voted on Tuesday to close the old harbour bridge for two years of repairs.",
    "Engineers found cracks in three of the steel supports during an inspection last spring.",
    "Traffic will be diverted through the northern ring road, adding ten minutes to most journeys.",
    "Local shop owners said they feared losing customers while the works went on.",
]
FOOTER = "Sign up for our morning newsletter to get the top stories in your inbox every day."


def doc(text: str, doc_id: str, **kwargs: object) -> Document:
    return Document.from_text(text, doc_id=doc_id, **kwargs)  # type: ignore[arg-type]


def join(*blocks: str) -> str:
    return "\n\n".join(blocks)


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def worker(path: Path, prefix: str, count: int, batch: int, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(path), prefix, str(count), str(batch), *flags],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def matched(index: Index, text: str) -> list[str]:
    return [m.doc_id for m in index.query(doc(text, "probe")).matches]


# -- reopening ---------------------------------------------------------------------------------


def fill(index: Index) -> None:
    index.add(doc(join(*STORY), "wire", source="pa", published="2024-01-01"))
    index.add(doc(join(*STORY[:3]), "copy", source="paper", published="2024-01-02"))
    index.add_many(
        doc(join(FOOTER, article(f"s{i}")), f"site{i}", source="site", published=date(2024, 2, i))
        for i in range(1, 5)
    )
    index.add(doc(join(*STORY[2:]), "late copy", source="blog"))


PROBES = [
    doc(join(*STORY[:2]), "p1", published="2024-03-01"),
    doc(join(FOOTER, article("s9")), "p2", source="site"),
    doc(join(FOOTER, article("s2")), "p3", source="site"),
    doc(article("nothing like it"), "p4"),
]


def _counts(stats: dict) -> dict:
    return {name: value for name, value in stats.items() if "bytes" not in name}


def test_reopening_restores_everything(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path, boilerplate_min=3) as index:
        fill(index)
        reports = [index.query(p) for p in PROBES]
        size, stats = len(index), index.stats()
    assert reports[0].origin == "wire"
    assert reports[1].boilerplate and reports[2].matches
    with Index(path, boilerplate_min=3) as index:
        assert [index.query(p) for p in PROBES] == reports
        assert len(index) == size == 7
        # All but the heap's size, which depends on how the structures grew.
        assert _counts(index.stats()) == _counts(stats)
        assert stats["path"] == str(path)
        # It goes on from where it was: the next copy joins the stored cluster.
        assert index.add(doc(join(*STORY[1:3]), "another", published="2024-05-01")).origin == "wire"


def test_an_in_memory_index_and_a_reopened_one_agree(tmp_path: Path) -> None:
    memory = Index()
    fill(memory)
    with Index(tmp_path / "index.db") as index:
        fill(index)
    with Index(tmp_path / "index.db") as index:
        assert [index.query(p) for p in PROBES] == [memory.query(p) for p in PROBES]


def test_the_recipe_is_stored_and_another_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    other = Recipe(shingle_size=4)
    with pytest.raises(ValueError) as error:
        Index(path, recipe=other)
    message = str(error.value)
    assert str(path) in message
    assert Recipe().id in message and other.id in message
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["recipe"] == Recipe().id
    with Index(tmp_path / "k4.db", recipe=other) as index:
        index.add(Document.from_text(join(*STORY), doc_id="a", recipe=other))
    with Index(tmp_path / "k4.db", recipe=other) as index:
        assert "a" in index
        assert index.stats()["recipe"] == other.id


def test_the_segmentation_version_is_stored_and_another_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add(Document.from_text(join(*STORY), doc_id="a"))
    with contextlib.closing(sqlite3.connect(path)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        assert meta["segmentation"] == str(SEGMENTATION_VERSION)
        with db:  # as a later version would write it, checksum and all
            db.execute(
                "UPDATE meta SET value = '0', checksum = ? WHERE key = 'segmentation'",
                (checksum("segmentation", "0"),),
            )
    with pytest.raises(StoreError) as error:
        Index(path)
    assert str(error.value) == (
        f"{path} holds documents cut into blocks by segmentation version 0; this version of "
        "fingerprint cuts by version 1: index the documents again"
    )
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'segmentation'")
    with pytest.raises(StoreError) as error:
        Index(path)
    assert str(error.value) == f"{path}: row 'segmentation' of meta is missing"


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(ValueError, match="not an index database") as error:
        Index(path)
    assert str(path) in str(error.value)
    assert path.read_bytes() == b"these are my notes, not a database\n" * 200


def test_a_database_of_another_kind_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
        db.commit()
    with pytest.raises(ValueError, match=str(path)):
        Index(path)


# -- a crash -----------------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 4])
def test_every_acknowledged_add_survives_kill_9(tmp_path: Path, batch: int) -> None:
    path = tmp_path / "index.db"
    acknowledged = []
    with worker(path, "k", 100_000, batch) as child:
        assert child.stdout is not None and child.stderr is not None
        try:
            while len(acknowledged) < 300:
                line = child.stdout.readline()
                assert line, f"the worker stopped early: {child.stderr.read()}"
                acknowledged.append(line.strip())
        finally:
            os.kill(child.pid, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    assert integrity(path) == "ok"
    with Index(path) as index:
        assert all(doc_id in index for doc_id in acknowledged)
        # Batches commit whole and in order: what is there is the first n documents.
        count = len(index)
        assert count >= 300
        assert count % batch == 0
        assert all(f"k-{i}" in index for i in range(count))
        assert f"k-{count}" not in index
        assert matched(index, article("k-7")) == ["k-7"]
        assert matched(index, article(f"k-{count - 1}")) == [f"k-{count - 1}"]
        index.add(doc(article("after"), "after"))
        assert matched(index, article("after")) == ["after"]
    with Index(path) as index:
        assert len(index) == count + 1
    assert integrity(path) == "ok"


# -- several processes -------------------------------------------------------------------------


def test_two_writing_processes_both_get_everything_in(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    with worker(path, "w1", 150, 1, "--wait") as w1, worker(path, "w2", 150, 3, "--wait") as w2:
        writers = {"w1": w1, "w2": w2}
        for child in writers.values():
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in writers.values():
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = {name: child.communicate(timeout=60) for name, child in writers.items()}
    for name, child in writers.items():
        assert child.returncode == 0, outputs[name][1]
        assert outputs[name][0].split() == [f"{name}-{i}" for i in range(150)]
    assert integrity(path) == "ok"
    with contextlib.closing(sqlite3.connect(path)) as db:
        order = [
            w for (w,) in db.execute("SELECT substr(doc_id, 1, 2) FROM documents ORDER BY seq")
        ]
    assert sum(a != b for a, b in itertools.pairwise(order)) > 2, "the writers did not overlap"
    with Index(path) as index:
        assert len(index) == 300 == index.stats()["documents"]
        assert all(f"{w}-{i}" in index for w in writers for i in range(150))
        assert index.stats()["sources"] == 2
        assert matched(index, article("w1-149")) == ["w1-149"]
        assert matched(index, article("w2-0")) == ["w2-0"]


def test_a_reader_sees_what_a_writer_process_commits(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    reader = Index(path)
    seen = 0
    with worker(path, "r", 200, 1) as child:
        assert child.stdout is not None and child.stderr is not None
        for line in child.stdout:
            assert line.strip() in reader  # acknowledged by the writer: the reader has it now
            assert len(reader) >= seen
            seen = len(reader)
        assert child.wait(timeout=60) == 0, child.stderr.read()
    assert len(reader) == 200
    assert matched(reader, article("r-150")) == ["r-150"]
    reader.close()


def test_a_reader_sees_removals_and_replacements_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    writer, reader = Index(path), Index(path)
    writer.add(doc(join(*STORY), "story"))
    writer.add(doc(article("kept"), "kept"))
    assert matched(reader, join(*STORY)) == ["story"]
    writer.remove("story")
    assert matched(reader, join(*STORY)) == []
    assert "story" not in reader and len(reader) == 1
    # An updated article: the same id, new text. The reader must forget the old text.
    writer.add(doc(join(*STORY[:2]), "kept2"))
    writer.remove("kept")
    writer.add(doc(article("kept, updated"), "kept"))
    assert matched(reader, article("kept")) == []
    assert matched(reader, article("kept, updated")) == ["kept"]
    assert len(reader) == 2 == reader.stats()["documents"]
    writer.close()
    reader.close()


def test_a_writer_waits_for_the_lock_and_then_writes(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = Index(path)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    started = time.monotonic()
    release.start()
    index.add(doc(join(*STORY), "a"))
    assert time.monotonic() - started >= 0.4
    release.join()
    holder.close()
    index.close()
    with Index(path) as index:
        assert "a" in index


def test_a_writer_that_cannot_get_the_lock_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # Opening only reads, so it does not wait for the writer; writing does.
        index = Index(path, lock_timeout=0.2)
        with pytest.raises(TimeoutError, match="write lock") as error:
            index.add(Document.from_text("A story about the harbour and its ships.", doc_id="a"))
        assert str(path) in str(error.value)
        assert "a" not in index
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    index.add(Document.from_text("A story about the harbour and its ships.", doc_id="a"))
    index.close()
    with Index(path) as index:
        assert "a" in index


def test_removal_and_expiry_last_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add_many(
            doc(article(f"d{day}"), f"d{day}", published=date(2024, 4, day)) for day in range(1, 9)
        )
        index.add(doc(join(*STORY), "undated"))
        assert index.remove("d7")
        assert index.expire(before="2024-04-04") == 3
    with Index(path) as index:
        assert sorted(i for i in [f"d{d}" for d in range(1, 9)] if i in index) == [
            "d4",
            "d5",
            "d6",
            "d8",
        ]
        assert "undated" in index and len(index) == 5
        for gone in ("d1", "d3", "d7"):
            assert matched(index, article(gone)) == []
        assert matched(index, article("d8")) == ["d8"]
        assert index.expire(before="2024-04-04") == 0
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_unnamed_documents_get_new_ids_after_removal_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        first = [index.add(article(f"unnamed {i}")).doc_id for i in range(3)]
        index.remove(first[0])
    with Index(path) as index:
        later = index.add(article("unnamed 3")).doc_id
        assert later not in first[1:]
        assert len(index) == 3
        assert matched(index, article("unnamed 1")) == [first[1]]


def test_adding_and_removing_reuses_space(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add_many(doc(article(f"base{i}"), f"base{i}") for i in range(20))
    sizes = []
    for cycle in range(6):
        with Index(path) as index:
            ids = [f"c{cycle}-{i}" for i in range(100)]
            index.add_many(doc(article(i, paragraphs=4), i) for i in ids)
            for i in ids:
                index.remove(i)
            assert len(index) == 20
        sizes.append(path.stat().st_size)
    # One cycle's documents take most of the file: without reuse it would grow 6-fold.
    assert sizes[-1] <= sizes[0] * 1.25, sizes
    assert integrity(path) == "ok"


def test_an_index_opened_without_a_recipe_takes_the_stored_one(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    recipe = Recipe(shingle_size=2, num_perm=64, seed=9)
    with Index(path, recipe) as index:
        index.add(Document.from_text("A story about the harbour.", doc_id="a", recipe=recipe))
    with Index(path) as index:
        assert index.recipe == recipe
        assert "a" in index


def test_durability_reaches_the_store_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    with Index(tmp_path / "full.db", durability="full") as index:
        assert index._store.durability == "full"
    with pytest.raises(ValueError, match=r"durability \('always'\) must be 'normal' or 'full'"):
        Index(tmp_path / "other.db", durability="always")
    with pytest.raises(ValueError, match=r"durability \('off'\)"):
        Index(durability="off")
    with pytest.raises(TypeError, match=r"thresholds must be Thresholds, not dict"):
        Index(thresholds={"same": 0.9})
