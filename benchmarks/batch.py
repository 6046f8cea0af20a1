"""Batch dedup in one process against Ray (`fingerprint dedup --engine ray`) on 1 and 2 CPUs: the
same lines from each (checked), documents a second, peak resident memory of the driver and of
the busiest Ray worker, and the bytes each shuffle moves.

Corpora: Reuters-21578 (19,779 stories over five sources and a month) and the synthetic stream of
`synthetic.py` grown from it. Each run is a fresh process: the command itself in one process; on
Ray, Ray started on the CPUs given, then the command's own path (`CorpusDedup`), with each
shuffle's input measured (Arrow bytes) by a counter actor. Worker memory (private, outside the
object store) is sampled every 0.5 s.

    python benchmarks/batch.py --quick                  # Reuters only (about 5 minutes)
    python benchmarks/batch.py --synthetic 1000000      # Reuters, then 1M synthetic documents
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpora
import publish
import synthetic

import fingerprint
import fingerprint.cli

ENGINES = ("process", "ray-1", "ray-2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--quick", action="store_true", help="Reuters only, one round")
    parser.add_argument("--synthetic", type=int, nargs="*", default=[], help="synthetic sizes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of Reuters (median)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=ENGINES)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # engine, corpus: this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return
    folder = tempfile.TemporaryDirectory()
    corpus_files = {"Reuters": write_reuters(args.data, Path(folder.name, "reuters.jsonl"))}
    for size in args.synthetic:
        path = Path(folder.name, f"synthetic-{size}.jsonl")
        corpus_files[f"synthetic {size:,}"] = write_synthetic(args.data, size, path)
    rows = []
    for name, path in corpus_files.items():
        rounds = 1 if args.quick or name != "Reuters" else args.rounds
        for engine in args.engines:
            publish.log(f"{name}: {engine}, {rounds} round(s)")
            runs = [in_fresh_process(engine, path) for _ in range(rounds)]
            rows.append(summarise(name, engine, runs))
        digests = {row["lines_sha256"] for row in rows if row["corpus"] == name}
        assert len(digests) == 1, f"{name}: the engines wrote different lines"
    results = {"machine": publish.machine(fingerprint), "rows": rows}
    markdown = table(rows)
    publish.write("batch.quick" if args.quick else "batch", results, markdown)
    print(markdown)


def write_reuters(data: Path, path: Path) -> Path:
    """Reuters as a JSON lines corpus: five sources by NEWID, dates as published."""
    sources = ("wire", "courier", "herald", "globe", "post")
    with path.open("w", encoding="utf-8") as out:
        for story in corpora.reuters_stories(data):
            published = story.date.date().isoformat() if story.date else None
            source = sources[int(story.newid) % len(sources)]
            row = {"id": story.newid, "text": story.body, "source": source, "published": published}
            out.write(json.dumps(row) + "\n")
    return path


def write_synthetic(data: Path, size: int, path: Path) -> Path:
    stories = [corpora.split_paragraphs(a) for a in corpora.reuters_articles(data)]
    with path.open("w", encoding="utf-8") as out:
        for d in synthetic.stream([s for s in stories if s], size):
            row = {"id": d.doc_id, "text": d.text, "source": d.source, "published": d.published}
            out.write(json.dumps(row) + "\n")
    return path


def in_fresh_process(engine: str, corpus: Path) -> dict:
    command = [sys.executable, __file__, "--one", engine, str(corpus)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} on {corpus} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def run_one(engine: str, corpus: str) -> dict:
    """One run in this process: seconds, documents, memory, and the lines' digest."""
    out = Path(tempfile.mkdtemp(), "results.jsonl")
    sampler = WorkerMemory()
    started = time.perf_counter()
    if engine == "process":
        code = fingerprint.cli.main(["dedup", corpus, "--out", str(out)], standalone_mode=False)
        shuffles: dict[str, int] = {}
    else:
        code, shuffles = run_on_ray(corpus, out, cpus=int(engine.split("-")[1]), sampler=sampler)
    seconds = time.perf_counter() - started
    sampler.stop()
    assert code in (None, 0), f"the command exited {code}"
    lines = out.read_bytes()
    return {
        "seconds": seconds,
        "documents": lines.count(b"\n"),
        "driver_peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "driver_private_peak_bytes": sampler.driver_peak,
        "worker_peak_bytes": sampler.peak,
        "worker_peak_process": sampler.peak_process,
        "worker_peak_by_task": sampler.busiest(),
        "shuffle_bytes": shuffles,
        "lines_sha256": hashlib.sha256(lines).hexdigest(),
    }


def run_on_ray(corpus: str, out: Path, cpus: int, sampler: WorkerMemory) -> tuple[int, dict]:
    """The command's Ray path on a Ray of ``cpus`` CPUs, each shuffle's input metered."""
    import ray

    from fingerprint.engines import ray as on_ray

    on_ray.connect(num_cpus=cpus)
    sampler.start()
    meter = _meter_shuffles(ray, on_ray.RayEngine)
    code = fingerprint.cli.main(
        ["dedup", corpus, "--out", str(out), "--engine", "ray"], standalone_mode=False
    )
    return code, ray.get(meter.totals.remote())


def _meter_shuffles(ray, engine: type):  # type: ignore[no-untyped-def]
    """A counter actor that each shuffle of ``engine`` (patched here) tells the Arrow bytes of
    each partition it is given, by stage (the shuffles in the order they are made)."""

    @ray.remote(num_cpus=0)
    class Meter:
        def __init__(self) -> None:
            self.bytes: dict[str, int] = {}

        def add(self, stage: str, size: int) -> None:
            self.bytes[stage] = self.bytes.get(stage, 0) + size

        def totals(self) -> dict[str, int]:
            return self.bytes

    shuffle, shuffle_in_order, made = engine.shuffle, engine.shuffle_in_order, []

    def metered(keys, fn):  # type: ignore[no-untyped-def]
        made.append(keys)
        stage = f"{len(made)}: {'+'.join(keys)}"

        def measured(table):  # type: ignore[no-untyped-def]
            ray.get_actor("shuffle-meter").add.remote(stage, table.nbytes)
            return fn(table)

        return measured

    engine.shuffle = lambda self, data, keys, fn: shuffle(self, data, keys, metered(keys, fn))
    engine.shuffle_in_order = lambda self, data, fn: shuffle_in_order(
        self, data, metered(["seq range"], fn)
    )
    return Meter.options(name="shuffle-meter").remote()


class WorkerMemory:
    """The peak private memory of any one Ray worker process, sampled every 0.5 s, and the kind
    of process (`ray::<task or actor>`) that had it; and each kind's own peak. Private memory is
    resident memory no other process maps, less the object store's pages (`/dev/shm`): a process
    that alone maps part of the store (a spilling worker does) would count that part as its own
    otherwise, though the store is bounded by its own size and spills to disk beyond it. An idle
    worker is named by the task it ran last (``IDLE after ...``): what a task leaves behind shows
    there."""

    def __init__(self) -> None:
        self.peak = 0
        self.peak_process = ""
        self.by_task: dict[str, int] = {}
        self.driver_peak = 0  # the driver's own private memory, sampled alike
        self._last: dict[str, str] = {}  # pid: the task it ran last
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def _sample(self) -> None:
        driver = str(os.getpid())
        while not self._done.wait(0.5):
            self.driver_peak = max(self.driver_peak, private_bytes(driver))
            for pid in filter(str.isdigit, os.listdir("/proc")):
                with contextlib.suppress(OSError):
                    name = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
                    if name.startswith("ray::"):
                        self._take(pid, name, private_bytes(pid))

    def _take(self, pid: str, name: str, own: int) -> None:
        if name == "ray::IDLE":
            name = f"ray::IDLE after {self._last.get(pid, 'nothing').removeprefix('ray::')}"
        else:
            self._last[pid] = name
        self.by_task[name] = max(own, self.by_task.get(name, 0))
        if own > self.peak:
            self.peak, self.peak_process = own, name

    def busiest(self, kinds: int = 8) -> dict[str, int]:
        """The ``kinds`` kinds of process with the highest peaks, and their peaks."""
        return dict(sorted(self.by_task.items(), key=lambda kind: -kind[1])[:kinds])


def private_bytes(pid: str) -> int:
    """Resident pages only process ``pid`` maps, outside shared memory files (`/dev/shm`)."""
    total, shared_file = 0, False
    with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as smaps:
        for line in smaps:
            field = line.split(maxsplit=6)
            if field[0].endswith(":"):
                if field[0] in ("Private_Clean:", "Private_Dirty:") and not shared_file:
                    total += int(field[1]) * 1024
            else:  # a mapping's first line: its address range, ..., its path
                shared_file = len(field) > 5 and field[5].startswith("/dev/shm/")
    return total


def summarise(corpus: str, engine: str, runs: list[dict]) -> dict:
    seconds = statistics.median(run["seconds"] for run in runs)
    documents = runs[0]["documents"]
    busiest = max(runs, key=lambda run: run["worker_peak_bytes"])
    return {
        "corpus": corpus,
        "engine": engine,
        "rounds": len(runs),
        "documents": documents,
        "seconds": seconds,
        "documents_per_s": documents / seconds,
        "driver_peak_mb": max(run["driver_peak_bytes"] for run in runs) / 2**20,
        "driver_private_peak_mb": max(run.get("driver_private_peak_bytes", 0) for run in runs)
        / 2**20,
        "worker_peak_mb": max(run["worker_peak_bytes"] for run in runs) / 2**20,
        "worker_peak_process": busiest["worker_peak_process"],
        "worker_peak_by_task_mb": {
            kind: size / 2**20 for kind, size in busiest.get("worker_peak_by_task", {}).items()
        },
        "shuffle_mb": sum(runs[0]["shuffle_bytes"].values()) / 2**20,
        "shuffle_bytes": runs[0]["shuffle_bytes"],
        "lines_sha256": runs[0]["lines_sha256"],
    }


def table(rows: list[dict]) -> str:
    head = "| corpus | engine | documents | seconds | documents/s | driver peak MB |"
    lines = [
        head + " busiest worker's private peak MB | shuffled MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        kind = r.get("worker_peak_process", "").removeprefix("ray::")  # not kept before
        worker = f"{r['worker_peak_mb']:,.0f}" + (f" ({kind})" if kind else "")
        worker = worker if r["engine"] != "process" else "-"
        shuffled = f"{r['shuffle_mb']:,.0f}" if r["engine"] != "process" else "-"
        lines.append(
            f"| {r['corpus']} | {r['engine']} | {r['documents']:,} | {r['seconds']:,.1f} | "
            f"{r['documents_per_s']:,.0f} | {r['driver_peak_mb']:,.0f} | {worker} | {shuffled} |"
        )
    return "\n".join(lines + busiest_kinds(rows))


def busiest_kinds(rows: list[dict]) -> list[str]:
    """Under the table, each Ray run's driver's private peak, and its kinds of worker with the
    highest private peaks."""
    lines = []
    for r in rows:
        kinds = r.get("worker_peak_by_task_mb", {})
        if kinds:
            peaks = "; ".join(f"{k.removeprefix('ray::')} {mb:,.0f}" for k, mb in kinds.items())
            driver = f"driver {r.get('driver_private_peak_mb', 0):,.0f}"
            lines.append(f"- {r['corpus']}, {r['engine']}, private peak MB: {driver}; {peaks}")
    return ["", *lines] if lines else []


if __name__ == "__main__":
    main()
