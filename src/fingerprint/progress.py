"""How a run over a corpus goes: a progress bar while it runs.

The bar is click's (the command already depends on click, and its bar hides itself when
standard error is not a terminal).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from fingerprint.report.printable import printable
from fingerprint.summary import plural

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar as ClickBar

REDRAW_SECONDS = 0.1


class ProgressBar:
    """A bar on standard error, drawn only when it is a terminal; ``note`` prints above it."""

    def __init__(self, bar: ClickBar[int] | None) -> None:
        self._bar = bar
        self._position = self._drawn = 0
        self._drawn_at = 0.0
        self.documents = 0

    def advance(self, position: int, documents: int = 1) -> None:
        """Moves the bar to ``position`` (bytes, files or records) after ``documents`` more."""
        self.documents += documents
        self._position = position
        # Redrawn a few times a second at most: a terminal write per document would slow a run.
        if time.monotonic() - self._drawn_at >= REDRAW_SECONDS:
            self.draw()

    def draw(self) -> None:
        if self._bar is not None:
            self._bar.update(self._position - self._drawn, self.documents)
            self._drawn, self._drawn_at = self._position, time.monotonic()

    def note(self, message: str) -> None:
        """Prints a line on standard error, clearing the bar's line first when it is drawn."""
        if self._bar is not None:
            click.echo("\r\x1b[K", err=True, nl=False)
        click.echo(printable(message), err=True)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[ProgressBar]:
    """A progress bar of ``total`` steps (unknown when None), off unless stderr is a terminal."""
    if not sys.stderr.isatty():
        yield ProgressBar(None)
        return
    with click.progressbar(
        # Standard input's length is unknown: an iterable without one makes a bar without an end.
        (step for step in ()) if total is None else None,
        length=total,
        label=label,
        file=sys.stderr,
        item_show_func=lambda n: plural(n or 0, "document"),
    ) as bar:
        progress = ProgressBar(bar)
        yield progress
        progress.draw()
