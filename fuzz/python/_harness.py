"""What the atheris targets share: instrumenting the package, temporary files, and running.

Each target is ``python fuzz/python/fuzz_<target>.py [corpus dir] [libFuzzer flags]`` (``fuzz/run``
passes them). An exception the API documents (``ValueError`` and its subclass ``InputError``,
``TypeError``) is a correct answer to a hostile input; anything else propagates, and atheris
reports it as a crash with the input that caused it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["fingerprint"]):
    import fingerprint
    import fingerprint.cli
    import fingerprint.corpus
    import fingerprint.html
    import fingerprint.reading
    import fingerprint.report.as_json
    import fingerprint.report.terminal  # noqa: F401

#: Raised by the API on purpose for bad input (InputError is a ValueError).
DOCUMENTED = (ValueError, TypeError)

_DIR = Path(tempfile.mkdtemp(prefix="fingerprint-fuzz-"))


def temp_file(data: bytes, name: str = "input.txt") -> Path:
    """``data`` written to a file of this run's own temporary directory (reused each input)."""
    path = _DIR / name
    path.write_bytes(data)
    return path


def run(test_one_input: Callable[[bytes], None]) -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


def environment() -> None:
    """No colour and a fixed width, whatever the terminal the fuzzer runs in."""
    os.environ["NO_COLOR"] = "1"
    os.environ["COLUMNS"] = "80"
