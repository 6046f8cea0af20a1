"""What every benchmark writes: the machine it ran on, its results as JSON and markdown, and its
progress."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine(fingerprint) -> dict:
    """The machine and the versions of everything measured."""
    return {
        "cpu": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable_cpus(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {
            "fingerprint": fingerprint.__version__,
            **{name: _version(name) for name in ("rensa", "datasketch", "numpy")},
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what platform knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def write(stem: str, results: dict, markdown: str) -> None:
    """Writes ``results/<stem>.json`` and ``results/<stem>.md``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, default=str) + "\n"
    (RESULTS / f"{stem}.json").write_text(text, encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(markdown, encoding="utf-8")


def met_cell(met: bool | None) -> str:
    """A table's "met" cell: empty where nothing is required, else yes or a bold no."""
    return "" if met is None else ("yes" if met else "**no**")


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def log(message: str) -> None:
    """Progress for whoever watches a benchmark run, on stderr (stdout holds the table)."""
    print(message, file=sys.stderr, flush=True)
