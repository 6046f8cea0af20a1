"""The command's output: every write flushed at once, so that a full disk, a closed standard
output or a broken pipe is one line of error (exit status 1) where it happens, not a traceback
when Python exits."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import click

STDOUT = "-"


class Sink:
    """A text stream written through: each write flushed, so that a full disk or a closed pipe
    is one line (exit 1) where it happens, not a traceback when Python exits."""

    def __init__(self, file: TextIO | None, name: str) -> None:
        self.file = file
        self.name = name

    def write(self, text: str) -> None:
        if self.file is None:
            raise click.ClickException(f"{self.name}: closed, nothing can be written")
        try:
            self.file.write(text)
            self.file.flush()
        except OSError as error:
            if self.file is sys.stdout:
                # Python flushes standard output again on the way out; let that write go nowhere.
                with suppress(OSError, ValueError):  # not a real file (a test's runner)
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            message = f"{self.name}: cannot write ({error.strerror or error})"
            raise click.ClickException(message) from None


def echo(text: str) -> None:
    """Prints ``text`` and a line end on standard output, or fails in one line."""
    Sink(sys.stdout, "<stdout>").write(text + "\n")


@contextmanager
def open_results(out: Path | None, append: bool = False) -> Iterator[Sink]:
    """Where the JSON lines go: the file ``out`` (emptied first unless ``append``), or standard
    output."""
    if out is None or str(out) == STDOUT:
        yield Sink(sys.stdout, "<stdout>")
        return
    try:
        file = out.open("a" if append else "w", encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{out}: cannot write ({error.strerror or error})") from None
    try:
        yield Sink(file, str(out))
    finally:
        with suppress(OSError):  # each write was flushed: only a failed one leaves bytes behind
            file.close()


def on_terminal() -> bool:
    """Whether standard output is a terminal (and open at all)."""
    return sys.stdout is not None and sys.stdout.isatty()
