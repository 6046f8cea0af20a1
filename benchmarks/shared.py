"""The shared index on Redis: ingest by 1, 2 and 4 processes, memory on the server, catch-up.

In one run, against one redis-server this script starts on a free loopback port in a temporary
folder (append-only file on, fsync once a second, as the tests run it; automatic rewrites off, so
that no fork lands in one job's run and not another's), stopped at the end:

- Ingest: the 19,779 Reuters-21578 stories (corpora.py), shuffled with a fixed seed and dealt in
  turn to 1, 2 or 4 worker processes. Each worker opens `Index(url, namespace=...)` itself, loads
  its share, says it is ready and waits; on a common signal every worker builds
  `Document.from_text(body, doc_id=newid, source="reuters", published=date)` for 256 stories at a
  time and calls `add_many` on them. Stories/s: all stories over the time from the signal to the
  last worker's end. Batch latency: p50 and p99 of every `add_many` call of the run (the wait for
  another worker's lock included), all workers pooled. CPU: the workers' process time (every
  replica replays every batch) and the server's (INFO cpu). Each run starts on an emptied database
  (FLUSHDB), in a namespace of its own. After each run, a check: the namespace holds every story,
  and every report the workers got is the one an in-process `Index()` gives when fed the stories
  in the shared order (`list(index)`).
- datasketch in the same run: `MinHashLSH(threshold=0.5, num_perm=128)` with Redis storage on the
  same server, on the first 2,000 stories of the same order (500 with --quick). Per story, its
  paragraphs (`corpora.split_paragraphs`) as word 3-shingles, `MinHash.bulk`, then per paragraph
  `query` and `insert` (key "newid:i"), as benchmarks/index.py does in memory. One process. The
  ratio is ours with 1 worker on all of Reuters over datasketch's stories/s on its subset.
- Redis memory per story: the growth of `used_memory` (INFO memory) over each run, divided by
  its stories; ours also by key (MEMORY USAGE of each of the namespace's keys).
- Catch-up of a fresh worker: a namespace filled by one process (`add_many` of 2,000 documents
  at a time) with all of Reuters, and with 200,000 documents of the synthetic stream grown from
  Reuters (synthetic.py, as benchmarks/scale.py; not with --quick); then, in a fresh process each
  time, the seconds of `Index(url, namespace=...)` and `len(index)` (the latest snapshot, which
  the store writes by itself as the index grows, and the log's tail after it).

The ingest runs and datasketch's are interleaved in a rotating order, --repeat times (3; 1 with
--quick); figures are medians over the runs. Writes benchmarks/results/shared.json (machine,
every run) and shared.md (the table), and prints the table.

    python benchmarks/shared.py            # full run: 3 repeats and 200k catch-up, about 4 minutes
    python benchmarks/shared.py --quick    # 1 run, datasketch on 500 stories, no 200k: 40 s
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import corpora
import redis
import synthetic
from datasketch import MinHash, MinHashLSH
from publish import log, machine, met_cell, write
from signatures import shingles

import fingerprint
from fingerprint import Document, Index, Report

WORKERS = (1, 2, 4)
BATCH = 256  # stories per add_many of an ingest worker
FILL_BATCH = 2_000  # documents per add_many when filling a namespace for catch-up
SEED = 17  # the order the stories are dealt in
SOURCE = "reuters"
NUM_PERM = 128
THRESHOLD = 0.5
DATASKETCH_STORIES = 2_000
QUICK_DATASKETCH_STORIES = 500
SYNTHETIC = 200_000
REQUIRED_RATIO = 50
REQUIRED_BYTES = 4_000  # a story on the server
REQUIRED_CATCH_UP = 10.0  # seconds at 200k documents
#: Like tests/redis_server.py: every write in the append-only file, synced once a second.
REDIS_CONFIG = ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]
#: A rewrite forks the server at a moment that would fall in one job's run and not another's.
NO_REWRITE = ["--auto-aof-rewrite-percentage", "0"]


class RedisServer:
    """A redis-server on a free loopback port, its files in ``folder``, for a `with` block."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.client = redis.Redis(port=self.port)

    def __enter__(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("error: redis-server is not installed (apt-get install redis-server)")
        where = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        self.process = subprocess.Popen(
            [binary, *where, *REDIS_CONFIG, *NO_REWRITE], stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on {self.port}") from None
                time.sleep(0.02)

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)

    def empty(self) -> int:
        """Empties the database; returns the memory the server uses then."""
        self.client.flushdb()
        return self.used_memory()

    def used_memory(self) -> int:
        return int(self.client.info("memory")["used_memory"])

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (its main thread and the others, not its children)."""
        cpu = self.client.info("cpu")
        return float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])

    def version(self) -> str:
        return str(self.client.info("server")["redis_version"])

    def keys_memory(self) -> dict[str, int]:
        """MEMORY USAGE of every key, by name (a namespace's snapshots summed as one)."""
        found: dict[str, int] = {}
        for key in self.client.scan_iter(count=1000):
            name = key.decode().rsplit("}:", 1)[-1]
            name = "snapshot:N" if name.startswith("snapshot:") else name
            found[name] = found.get(name, 0) + (self.client.memory_usage(key, samples=0) or 0)
        return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The stories, and what each process makes of them.


def shuffled_stories(data: Path) -> list[corpora.Story]:
    """Reuters in the benchmark's fixed order: the same in every process."""
    stories = corpora.reuters_stories(data)
    random.Random(SEED).shuffle(stories)
    return stories


def documents(stories: list[corpora.Story]) -> list[Document]:
    return [
        Document.from_text(s.body, doc_id=s.newid, source=SOURCE, published=s.date) for s in stories
    ]


def digest(report: Report) -> str:
    """A report in a few bytes, to compare one worker's reports with the in-process index's."""
    return hashlib.sha1(repr(report).encode()).hexdigest()[:16]


# Ingest: one worker process (python benchmarks/shared.py --worker K ...).


def worker(args: argparse.Namespace) -> dict:
    """Adds this worker's share of the stories when told to; its timings."""
    share = shuffled_stories(args.data)[args.worker :: args.workers]
    index = Index(args.url, namespace=args.namespace)
    print("ready", flush=True)
    if sys.stdin.readline() != "go\n":  # the common start, or the benchmark gave up
        sys.exit("the benchmark stopped before the start")
    started, cpu = time.monotonic(), time.process_time()
    latencies, reports = [], []
    for first in range(0, len(share), BATCH):
        batch = documents(share[first : first + BATCH])
        called = time.perf_counter()
        reports += index.add_many(batch)
        latencies.append(time.perf_counter() - called)
    ended, cpu = time.monotonic(), time.process_time() - cpu
    index.close()
    digests = {r.doc_id: digest(r) for r in reports}
    Path(args.digests).write_text(json.dumps(digests), encoding="utf-8")
    return {"started": started, "ended": ended, "cpu_seconds": cpu, "latencies": latencies}


def ingest_run(server: RedisServer, workers: int, run: int, folder: Path, data: Path) -> dict:
    """All of Reuters added by ``workers`` processes started together; timings and memory."""
    namespace = f"ingest-{workers}-{run}"
    before, server_cpu = server.empty(), server.cpu_seconds()
    digests = [folder / f"digests-{namespace}-{k}.json" for k in range(workers)]
    base = [sys.executable, __file__, "--data", str(data), "--url", server.url]
    base += ["--namespace", namespace, "--workers", str(workers)]
    processes = [
        subprocess.Popen(
            [*base, "--worker", str(k), "--digests", str(digests[k])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(workers)
    ]
    if not all(process.stdout.readline().strip() == "ready" for process in processes):
        for process in processes:
            process.kill()
        raise RuntimeError(f"a worker of {workers} did not start (its stderr is above)")
    start = time.monotonic()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    said = [_last_json(process) for process in processes]
    seconds = max(s["ended"] for s in said) - start
    latencies = [x for s in said for x in s["latencies"]]
    stories = len(corpora.reuters_stories(data))
    found = {
        "workers": workers,
        "documents": stories,
        "seconds": seconds,
        "stories_per_second": stories / seconds,
        "batches": len(latencies),
        "batch_p50_ms": _quantile(latencies, 50) * 1e3,
        "batch_p99_ms": _quantile(latencies, 99) * 1e3,
        "worker_seconds": [s["ended"] - s["started"] for s in said],
        # Every replica replays every batch, and a worker waiting for the lock polls the server.
        "worker_cpu_seconds": [s["cpu_seconds"] for s in said],
        "server_cpu_seconds": server.cpu_seconds() - server_cpu,
        "cpu_seconds": sum(s["cpu_seconds"] for s in said),
        "used_memory_growth": server.used_memory() - before,
        "keys_memory": server.keys_memory(),
    }
    found["bytes_per_story"] = found["used_memory_growth"] / stories
    found["check"] = check_reports(server.url, namespace, digests, data)
    return found


def _last_json(process: subprocess.Popen[str]) -> dict:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def _quantile(values: list[float], percent: int) -> float:
    """The percent-th percentile, within the values (p99 of 78 batches lies below the slowest)."""
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def check_reports(url: str, namespace: str, digests: list[Path], data: Path) -> dict:
    """Whether the namespace holds every story, and whether each worker's report is the one an
    in-process index gives, fed the stories in the shared order."""
    shared = Index(url, namespace=namespace)
    order = list(shared)
    shared.close()
    by_id = {s.newid: s for s in corpora.reuters_stories(data)}
    got: dict[str, str] = {}
    for path in digests:
        got |= json.loads(path.read_text(encoding="utf-8"))
    reference = Index()
    differing = []
    for first in range(0, len(order), FILL_BATCH):
        batch = documents([by_id[doc_id] for doc_id in order[first : first + FILL_BATCH]])
        reports = reference.add_many(batch)
        differing += [r.doc_id for r in reports if got.get(r.doc_id) != digest(r)]
    return {
        "documents": len(order),
        "expected": len(by_id),
        "distinct": len(set(order)),
        "reports_differing": len(differing),
        "first_differing": differing[:5],
    }


# datasketch (python benchmarks/shared.py --datasketch N --port P --basename B).


def datasketch_job(args: argparse.Namespace) -> dict:
    """Seconds for datasketch with Redis storage to check and insert every paragraph."""
    stories = shuffled_stories(args.data)[: args.datasketch]
    lsh = MinHashLSH(
        threshold=THRESHOLD,
        num_perm=NUM_PERM,
        storage_config={
            "type": "redis",
            "redis": {"host": "127.0.0.1", "port": args.port},
            "basename": args.basename.encode(),
        },
    )
    paragraphs = 0
    started = time.perf_counter()
    for story in stories:
        texts = corpora.split_paragraphs(story.body)
        minhashes = MinHash.bulk(
            ([s.encode() for s in shingles(p)] for p in texts), num_perm=NUM_PERM
        )
        for i, minhash in enumerate(minhashes):
            lsh.query(minhash)
            lsh.insert(f"{story.newid}:{i}", minhash)
        paragraphs += len(texts)
    return {"seconds": time.perf_counter() - started, "paragraphs": paragraphs}


def datasketch_run(server: RedisServer, run: int, stories: int, data: Path) -> dict:
    before = server.empty()
    command = [sys.executable, __file__, "--data", str(data), "--port", str(server.port)]
    command += ["--datasketch", str(stories), "--basename", f"datasketch-{run}:"]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    growth = server.used_memory() - before
    return found | {
        "stories": stories,
        "stories_per_second": stories / found["seconds"],
        "used_memory_growth": growth,
        "bytes_per_story": growth / stories,
        "keys": server.client.dbsize(),
    }


# Catch-up: a namespace filled by one process, then opened by fresh ones.


def fill(args: argparse.Namespace) -> dict:
    """Adds all of Reuters (size 0) or ``size`` synthetic documents, in big batches."""
    index = Index(args.url, namespace=args.namespace)
    started = time.perf_counter()
    added = 0
    for batch in _fill_batches(args.data, args.fill):
        index.add_many(batch)
        added += len(batch)
    seconds = time.perf_counter() - started
    documents_there = len(index)
    index.close()
    return {"seconds": seconds, "added": added, "documents": documents_there}


def _fill_batches(data: Path, size: int) -> Iterator[list[Document]]:
    if size == 0:
        stories = corpora.reuters_stories(data)
        for first in range(0, len(stories), FILL_BATCH):
            yield documents(stories[first : first + FILL_BATCH])
        return
    bodies = [corpora.split_paragraphs(a) for a in corpora.reuters_articles(data)]
    stream = list(synthetic.stream([b for b in bodies if b], size))
    for first in range(0, size, FILL_BATCH):
        yield [
            Document.from_text(d.text, doc_id=d.doc_id, source=d.source, published=d.published)
            for d in stream[first : first + FILL_BATCH]
        ]


def catch_up(args: argparse.Namespace) -> dict:
    """Seconds for a new process to open the shared index and count it."""
    started = time.perf_counter()
    index = Index(args.url, namespace=args.namespace)
    count = len(index)
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": seconds, "documents": count}


def catch_up_size(server: RedisServer, size: int, repeat: int, data: Path) -> dict:
    """One namespace filled with ``size`` documents (0: Reuters); fresh workers open it."""
    namespace = f"catch-up-{size or 'reuters'}"
    before = server.empty()
    base = [sys.executable, __file__, "--data", str(data), "--url", server.url]
    base += ["--namespace", namespace]
    filled = _run_json([*base, "--fill", str(size)])
    growth = server.used_memory() - before
    log(f"filled {filled['documents']:,} documents in {filled['seconds']:.1f} s")
    snapshot = _snapshot_state(server, namespace)
    opens = [_run_json([*base, "--catch-up"]) for _ in range(repeat)]
    for opened in opens:
        if opened["documents"] != filled["documents"]:
            log(f"catch-up counted {opened['documents']:,}, not {filled['documents']:,}")
    seconds = [o["seconds"] for o in opens]
    return {
        "corpus": "synthetic" if size else "reuters",
        "documents": filled["documents"],
        "fill": filled,
        "fill_stories_per_second": filled["added"] / filled["seconds"],
        "used_memory_growth": growth,
        "bytes_per_document": growth / filled["documents"],
        "keys_memory": server.keys_memory(),
        "snapshot": snapshot,
        "opens": opens,
        "seconds": seconds,
        "median_seconds": statistics.median(seconds),
    }


def _snapshot_state(server: RedisServer, namespace: str) -> dict:
    """Where the latest snapshot is in the log, and how much log a new worker reads after it."""
    prefix = f"fingerprint:{{{namespace}}}:"
    op, added = server.client.hmget(prefix + "snapshot", "n", "added")
    head = int(server.client.hget(prefix + "head", "n") or 0)
    return {
        "snapshot_op": int(op or 0),
        "head_op": head,
        "log_entries": server.client.xlen(prefix + "log"),
        "documents_after_snapshot": int(added or 0),
    }


def _run_json(command: list[str]) -> dict:
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# The benchmark.


def benchmark(args: argparse.Namespace) -> dict:
    loads = {"start": _load_average()}
    ds_stories = QUICK_DATASKETCH_STORIES if args.quick else DATASKETCH_STORIES
    with tempfile.TemporaryDirectory(prefix="fingerprint-shared-") as name:
        folder = Path(name)
        with RedisServer(folder) as server:
            jobs = [str(w) for w in WORKERS] + ["datasketch"]
            runs: dict[str, list[dict]] = {job: [] for job in jobs}
            for run in range(args.repeat):
                for job in jobs[run % len(jobs) :] + jobs[: run % len(jobs)]:
                    if job == "datasketch":
                        found = datasketch_run(server, run, ds_stories, args.data)
                    else:
                        found = ingest_run(server, int(job), run, folder, args.data)
                    runs[job].append(found)
                    log(f"run {run + 1}/{args.repeat} {job}: {_said(found)}")
            loads["after_ingest"] = _load_average()
            sizes = (0,) if args.quick else (0, SYNTHETIC)
            catch_ups = [catch_up_size(server, size, args.repeat, args.data) for size in sizes]
            version = server.version()
    loads["end"] = _load_average()
    return {
        "benchmark": "shared",
        "command": "python " + shlex.join(sys.argv),
        "machine": machine(fingerprint) | {"redis_server": version, "load_average": loads},
        "settings": {
            "quick": args.quick,
            "repeat": args.repeat,
            "batch": BATCH,
            "fill_batch": FILL_BATCH,
            "seed": SEED,
            "datasketch_stories": ds_stories,
            "num_perm": NUM_PERM,
            "threshold": THRESHOLD,
            "redis_config": REDIS_CONFIG + NO_REWRITE,
        },
        "ingest": {job: summary(found) for job, found in runs.items()},
        "catch_up": catch_ups,
    }


def summary(runs: list[dict]) -> dict:
    """Every run, and the medians of its figures."""
    figures = ("stories_per_second", "batch_p50_ms", "batch_p99_ms", "bytes_per_story")
    figures += ("cpu_seconds", "server_cpu_seconds")
    medians = {
        f"median_{f}": statistics.median(r[f] for r in runs) for f in figures if f in runs[0]
    }
    return {"runs": runs} | medians


def _said(found: dict) -> str:
    said = f"{found['stories_per_second']:,.0f} stories/s, {found['bytes_per_story']:,.0f} B/story"
    if "check" in found:
        check = found["check"]
        said += (
            f", p50 {found['batch_p50_ms']:.1f} ms, p99 {found['batch_p99_ms']:.1f} ms; "
            f"{check['documents']:,} documents, {check['reports_differing']} reports differ"
        )
    return said


def _load_average() -> list[float]:
    try:
        return list(os.getloadavg())
    except OSError:
        return []


# Report.


def table(results: dict) -> str:
    ingest, info, settings = results["ingest"], results["machine"], results["settings"]
    ours, ds = ingest["1"], ingest["datasketch"]
    ratio = ours["median_stories_per_second"] / ds["median_stories_per_second"]
    bytes_ours, bytes_ds = ours["median_bytes_per_story"], ds["median_bytes_per_story"]
    rows = [
        (
            "ingest, 1 worker, stories/s",
            f"{ours['median_stories_per_second']:,.0f}",
            f"{ds['median_stories_per_second']:,.1f}",
            f">= {REQUIRED_RATIO}x datasketch",
            f"{ratio:,.0f}x",
            ratio >= REQUIRED_RATIO,
        )
    ]
    for workers in WORKERS[1:]:
        found = ingest[str(workers)]
        rows.append(
            (
                f"ingest, {workers} workers together, stories/s",
                f"{found['median_stories_per_second']:,.0f}",
                "",
                "",
                f"{found['median_stories_per_second'] / ours['median_stories_per_second']:.2f}x "
                "1 worker",
                None,
            )
        )
    latencies = " / ".join(
        f"{ingest[str(w)]['median_batch_p50_ms']:.0f}, {ingest[str(w)]['median_batch_p99_ms']:.0f}"
        for w in WORKERS
    )
    cpu = " / ".join(
        f"{found['median_cpu_seconds']:.1f} + {found['median_server_cpu_seconds']:.1f}"
        for found in (ingest[str(w)] for w in WORKERS)
    )
    rows += [
        (
            f"`add_many` of {BATCH} stories, p50, p99 ms (1 / 2 / 4 workers)",
            latencies,
            "",
            "",
            "",
            None,
        ),
        ("CPU s of a run, all workers + redis-server (1 / 2 / 4 workers)", cpu, "", "", "", None),
        (
            "Redis memory per story, bytes (growth of `used_memory`)",
            f"{bytes_ours:,.0f}",
            f"{bytes_ds:,.0f}",
            f"<= {REQUIRED_BYTES:,}",
            f"{bytes_ds / bytes_ours:.0f}x less",
            bytes_ours <= REQUIRED_BYTES,
        ),
    ]
    for found in results["catch_up"]:
        met = (
            found["median_seconds"] < REQUIRED_CATCH_UP if found["corpus"] == "synthetic" else None
        )
        rows.append(
            (
                f"catch-up of a fresh worker, {found['documents']:,} documents "
                f"({found['corpus']}), s",
                f"{found['median_seconds']:.2f}",
                "",
                f"< {REQUIRED_CATCH_UP:g} at 200k" if met is not None else "",
                "",
                met,
            )
        )
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    loads = info["load_average"]
    lines = [
        f"The shared index (`Index('redis://...', namespace=...)`) on one local redis-server "
        f"{info['redis_server']} (append-only file, fsync every second), Reuters-21578 "
        f"(19,779 stories) shuffled and dealt to the workers; median of {settings['repeat']} "
        f"runs. {info['cpu']}, {info['usable_cpus']} usable CPUs, Python {info['python']}, "
        f"{versions}. Load average at start {_load(loads['start'])}, at end {_load(loads['end'])}.",
        "",
        "| | fingerprint | datasketch | required | ratio | met |",
        "|---|---:|---:|---|---:|---|",
    ]
    for label, ours_cell, ds_cell, required, ratio_cell, met in rows:
        mark = met_cell(met)
        lines.append(f"| {label} | {ours_cell} | {ds_cell} | {required} | {ratio_cell} | {mark} |")
    lines += ["", *memory_table(results), "", *notes(results)]
    return "\n".join(lines) + "\n"


def memory_table(results: dict) -> list[str]:
    """Our keys' share of the server's memory, per document, after each fill."""
    columns = [("Reuters, ingest by 1 worker", results["ingest"]["1"]["runs"][-1])]
    columns += [(f"{c['documents']:,} ({c['corpus']}), filled", c) for c in results["catch_up"]]
    names = sorted({name for _, found in columns for name in found["keys_memory"]})
    lines = [
        "Bytes per document on the server: each key's MEMORY USAGE, and `used_memory` growth.",
        "",
        "| key | " + " | ".join(label for label, _ in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name in names:
        cells = [
            f"{found['keys_memory'].get(name, 0) / found['documents']:,.0f}" for _, found in columns
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = [f"{found['used_memory_growth'] / found['documents']:,.0f}" for _, found in columns]
    lines.append("| `used_memory` growth | " + " | ".join(cells) + " |")
    return lines


def notes(results: dict) -> list[str]:
    settings = results["settings"]
    ds_runs = results["ingest"]["datasketch"]["runs"]
    checks = [r["check"] for job in map(str, WORKERS) for r in results["ingest"][job]["runs"]]
    differing = sum(c["reports_differing"] for c in checks)
    wrong = sum(c["documents"] != c["expected"] or c["distinct"] != c["expected"] for c in checks)
    snapshots = "; ".join(
        f"{c['documents']:,}: snapshot at op {c['snapshot']['snapshot_op']:,} of "
        f"{c['snapshot']['head_op']:,}, {c['snapshot']['documents_after_snapshot']:,} documents "
        f"in the log after it; filled at {c['fill_stories_per_second']:,.0f} documents/s"
        for c in results["catch_up"]
    )
    return [
        f"Ingest: each worker its own process, `add_many` of {settings['batch']} stories at a time "
        "(Documents built in the timed region); stories/s = 19,779 / (common start to the last "
        "worker's end); batch latency over every `add_many` call of a run, the lock wait "
        f"included. After each run: {len(checks)} runs checked, {wrong} with a wrong count, "
        f"{differing} reports differing from an in-process `Index()` fed the shared order. "
        f"datasketch: `MinHashLSH(threshold={settings['threshold']}, "
        f"num_perm={settings['num_perm']})` with Redis storage, one process, "
        f"{settings['datasketch_stories']:,} stories ({ds_runs[-1]['paragraphs']:,} paragraphs) "
        "query then insert per paragraph; its memory after them "
        f"({ds_runs[-1]['keys']:,} keys). Catch-up: a fresh process's `Index(url, namespace=...)` "
        f"then `len(index)`, namespaces filled by one process in batches of "
        f"{settings['fill_batch']:,} ({snapshots}).",
        "",
        f"`{results['command']}`",
    ]


def _load(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values) if values else "?"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help="1 run, datasketch on 500 stories, no 200k catch-up"
    )
    # The parts that run in processes of their own.
    for hidden, kind in (
        ("--worker", int),
        ("--workers", int),
        ("--url", str),
        ("--namespace", str),
        ("--digests", str),
        ("--datasketch", int),
        ("--port", int),
        ("--basename", str),
        ("--fill", int),
    ):
        parser.add_argument(hidden, type=kind, help=argparse.SUPPRESS)
    parser.add_argument("--catch-up", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeat = args.repeat or (1 if args.quick else 3)
    return args


def main() -> None:
    args = parse_args()
    part = None  # the benchmark itself, unless this process is one of its parts
    if args.worker is not None:
        part = worker
    elif args.datasketch:
        part = datasketch_job
    elif args.fill is not None:
        part = fill
    elif args.catch_up:
        part = catch_up
    try:
        if part is not None:
            print(json.dumps(part(args)))
            return
        results = benchmark(args)
    except corpora.CorpusMissing as error:
        sys.exit(f"error: {error}")
    stem = "shared.quick" if args.quick else "shared"
    markdown = table(results)
    write(stem, results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
