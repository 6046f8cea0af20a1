"""Faults while writing the index (issue 19): kill -9 during `index add --out` and its resumption,
a full disk, an I/O error, a read-only database, kill -9 during checkpoints. Each: one clear line
(CLI) or a documented exception (API), the store consistent, nothing acknowledged lost."""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import installed_script, run
from index_worker import article

import fingerprint.console
from fingerprint import Document, Index
from fingerprint.errors import StoreIOError

WORKER = Path(__file__).with_name("index_worker.py")
COUNT = 1500


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """corpus.jsonl: COUNT documents, every tenth a trimmed copy of the one before, so that
    reports carry matches."""
    monkeypatch.chdir(tmp_path)
    records = []
    for i in range(COUNT):
        text = article(f"c{i - 1}", paragraphs=2) if i % 10 == 9 else article(f"c{i}")
        records.append(json.dumps({"id": f"c{i}", "source": f"s{i % 3}", "text": text}))
    Path("corpus.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return tmp_path


def clean_run(out: str = "clean.jsonl") -> str:
    done = run("index", "add", "corpus.jsonl", "--db", "clean.db", "--out", out)
    assert done.exit_code == 0, done.output
    return Path(out).read_text(encoding="utf-8")


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def stored_ids(path: str) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return [d for (d,) in db.execute("SELECT doc_id FROM documents ORDER BY seq")]


# -- reports after a crash ---------------------------------------------------------------------


def test_lines_left_unwritten_are_finished_by_resume(corpus: Path, monkeypatch) -> None:
    """The third batch is committed, then half its lines are written and the disk fails: the run
    stops in one line; a plain rerun is refused; --resume cuts the half line, writes the batch's
    lines and goes on. The result is the uninterrupted run's, byte for byte."""
    expected = clean_run()
    real_write, writes = fingerprint.console.Sink.write, []

    def failing(self, text: str) -> None:
        writes.append(text)
        if len(writes) == 3:
            self.file.write(text[: len(text) // 2])
            self.file.flush()
            raise fingerprint.console.click.ClickException("r.jsonl: cannot write (disk full)")
        real_write(self, text)

    monkeypatch.setattr(fingerprint.console.Sink, "write", failing)
    stopped = run("index", "add", "corpus.jsonl", "--db", "news.db", "--out", "r.jsonl")
    assert (stopped.exit_code, stopped.stderr) == (1, "Error: r.jsonl: cannot write (disk full)\n")
    monkeypatch.setattr(fingerprint.console.Sink, "write", real_write)
    assert len(stored_ids("news.db")) == 3 * 256
    assert not Path("r.jsonl").read_text().endswith("\n")

    again = run("index", "add", "corpus.jsonl", "--db", "news.db", "--out", "r.jsonl")
    assert (again.exit_code, again.stderr) == (
        1,
        "Error: news.db: a run writing r.jsonl stopped before writing the lines of what it "
        "added; run it again with --resume to finish them and go on\n",
    )
    resumed = run("index", "add", "corpus.jsonl", "--db", "news.db", "--out", "r.jsonl", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stdout.startswith(f"{COUNT - 3 * 256} documents added\n")
    assert Path("r.jsonl").read_text(encoding="utf-8") == expected
    with contextlib.closing(sqlite3.connect("news.db")) as db:
        assert db.execute("SELECT count(*) FROM held_reports").fetchone()[0] == 0


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2])
def test_kill_9_during_index_add_then_resume_gives_each_line_once(corpus: Path, delay) -> None:
    expected = clean_run()
    args = [installed_script(), "index", "add", "corpus.jsonl", "--db", "news.db"]
    with subprocess.Popen([*args, "--out", "r.jsonl"], stderr=subprocess.PIPE) as child:
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
    assert integrity(Path("news.db")) == "ok"
    resumed = subprocess.run([*args, "--out", "r.jsonl", "--resume"], capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    assert Path("r.jsonl").read_text(encoding="utf-8") == expected
    assert stored_ids("news.db") == [f"c{i}" for i in range(COUNT)]


def test_resume_needs_a_database_and_a_results_file(corpus: Path) -> None:
    no_db = run("dedup", "corpus.jsonl", "--out", "r.jsonl", "--resume")
    assert (no_db.exit_code, no_db.stderr.splitlines()[-1]) == (
        2,
        "Error: --resume needs --db: without it nothing of a run is kept",
    )
    no_out = run("index", "add", "corpus.jsonl", "--db", "news.db", "--resume")
    assert (no_out.exit_code, no_out.stderr.splitlines()[-1]) == (
        2,
        "Error: --resume needs --out naming a file (RESULTS)",
    )


# -- a full disk, an I/O error, a read-only database -------------------------------------------


def test_a_full_database_raises_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    index = Index(path)
    index.add_many(Document.from_text(article(f"a{i}"), doc_id=f"a{i}") for i in range(20))
    pages = index._store._db.execute("PRAGMA page_count").fetchone()[0]
    index._store._db.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's disk full
    batch = [Document.from_text(article(f"b{i}", paragraphs=8), doc_id=f"b{i}") for i in range(50)]
    with pytest.raises(StoreIOError) as error:
        index.add_many(batch)
    assert str(error.value) == f"{path}: cannot write (database or disk is full)"
    assert len(index) == 20 and "b0" not in index
    assert index.query(batch[0]).matches == ()
    assert [m.doc_id for m in index.query(article("a3")).matches] == ["a3"]
    index._store._db.execute("PRAGMA max_page_count = 1073741823")
    index.add_many(batch)
    index.close()
    assert integrity(path) == "ok"
    with Index(path) as index:
        assert len(index) == 70
        assert [m.doc_id for m in index.query(article("b7", paragraphs=8)).matches] == ["b7"]


def test_a_failed_commit_leaves_the_index_following_the_database(tmp_path: Path) -> None:
    """The commit itself fails (the rows went in): the index in memory, which took the batch,
    drops it at its next call."""
    path = tmp_path / "news.db"
    index = Index(path)
    index.add(Document.from_text(article("a"), doc_id="a"))
    store, commit_fails = index._store, [True]
    real = store._db

    class FailingCommit:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql == "COMMIT" and commit_fails[0]:
                commit_fails[0] = False
                error = sqlite3.OperationalError("disk I/O error")
                error.sqlite_errorcode = 10  # SQLITE_IOERR
                raise error
            return real.execute(sql, *args)

    store._db = FailingCommit()
    with pytest.raises(StoreIOError) as error:
        index.add(Document.from_text(article("b"), doc_id="b"))
    assert str(error.value) == f"{path}: cannot write (disk I/O error)"
    assert "b" not in index and len(index) == 1
    assert index.query(article("b")).matches == ()
    assert index.remove("a") and list(index) == []
    store._db = real
    index.close()
    assert stored_ids(str(path)) == []


def limited(size: int):
    """For a child process: files it writes may not grow past ``size`` bytes (EFBIG, which SQLite
    reports as an I/O error), and SIGXFSZ does not kill it."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def test_an_io_error_during_index_add_is_one_line_and_loses_nothing(corpus: Path) -> None:
    args = [installed_script(), "index", "add", "corpus.jsonl", "--db", "news.db"]
    failed = subprocess.run(
        [*args, "--out", "r.jsonl"], capture_output=True, text=True, preexec_fn=limited(600_000)
    )
    assert (failed.returncode, failed.stderr) == (
        1,
        "Error: news.db: cannot write (disk I/O error)\n",
    )
    assert integrity(Path("news.db")) == "ok"
    added = stored_ids("news.db")
    assert 0 < len(added) < COUNT and len(added) % 256 == 0
    lines = [json.loads(line)["id"] for line in Path("r.jsonl").read_text().splitlines()]
    assert lines == added  # every committed document reported, nothing more
    resumed = subprocess.run([*args, "--out", "r.jsonl", "--resume"], capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    assert Path("r.jsonl").read_text(encoding="utf-8") == clean_run()


@contextlib.contextmanager
def small_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (needs root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)])
    if mounted.returncode != 0:
        pytest.skip("mount -t tmpfs is not allowed here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def test_a_full_disk_during_index_add_is_one_line_and_loses_nothing(corpus: Path) -> None:
    with small_filesystem(corpus / "small", "1M") as small:
        db, out = small / "news.db", corpus / "r.jsonl"
        args = [installed_script(), "index", "add", "corpus.jsonl", "--db", str(db)]
        failed = subprocess.run([*args, "--out", str(out)], capture_output=True, text=True)
        assert (failed.returncode, failed.stderr) == (
            1,
            f"Error: {db}: cannot write (database or disk is full)\n",
        )
        assert integrity(db) == "ok"
        added = stored_ids(str(db))
        assert 0 < len(added) < COUNT
        assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == added
        with Index(db) as index:
            assert len(index) == len(added)


def test_a_database_on_a_read_only_filesystem_is_one_line(corpus: Path) -> None:
    """SQLite cannot open a database in WAL mode where it cannot make the shared-memory file
    beside it, even to read: refused in one line, the file as it was."""
    with small_filesystem(corpus / "ro", "32M") as ro:
        db = ro / "news.db"
        added = run("index", "add", "corpus.jsonl", "--db", str(db))
        assert added.exit_code == 0, added.output
        before = db.read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        Path("more.jsonl").write_text('{"id": "x", "text": "One more story."}\n')
        for args in (["index", "stats"], ["index", "add", "more.jsonl"]):
            refused = run(*args, "--db", str(db))
            assert (refused.exit_code, refused.stderr) == (
                1,
                f"Error: {db}: cannot open (unable to open database file)\n",
            )
        assert db.read_bytes() == before


# -- kill -9 during checkpoints ----------------------------------------------------------------

CHECKPOINTER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
print("ready", flush=True)
while True:
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""


def test_kill_9_during_checkpoints_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    rng = random.Random(19)
    acknowledged: list[str] = []
    for round in range(3):
        checkpointer = subprocess.Popen(
            [sys.executable, "-c", CHECKPOINTER, str(path)], stdout=subprocess.PIPE, text=True
        )
        writer = subprocess.Popen(
            [sys.executable, str(WORKER), str(path), f"r{round}", "100000", "8"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert checkpointer.stdout is not None and writer.stdout is not None
        assert checkpointer.stdout.readline() == "ready\n"
        deadline = time.monotonic() + rng.uniform(0.3, 0.8)
        while time.monotonic() < deadline:
            acknowledged.append(writer.stdout.readline().strip())
        for child in (writer, checkpointer):
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            child.stdout.close()  # type: ignore[union-attr]
        assert integrity(path) == "ok"
    with Index(path) as index:
        assert all(doc_id in index for doc_id in acknowledged)
        assert len(index) >= len(acknowledged) > 100
