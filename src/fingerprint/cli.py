"""The ``fingerprint`` command: a thin click layer over the library.

Library errors a user can act on (:class:`~fingerprint.errors.InputError`) become one line on
stderr and exit status 1; click itself exits with 2 on wrong usage. Report modules are imported
only by the output that needs them, so the command starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from fingerprint import Document, __version__
from fingerprint import compare as compare_articles
from fingerprint.document import REPEATED_THRESHOLD
from fingerprint.errors import InputError
from fingerprint.reading import STDIN, codec_name, looks_like_html, read_text

HTML_SUFFIXES = frozenset({".html", ".htm"})
# Piped output is wrapped at a fixed width so it is the same on every machine.
PIPED_WIDTH = 100
TERMINAL_WIDTHS = (60, 160)
# Help is wrapped at a fixed width too, so docs/cli.md can quote it verbatim.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "terminal_width": 80}


class _Commands(click.Group):
    """Turns the library's input errors into click's one-line errors (exit 1, no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise click.ClickException(str(error)) from None
        except MemoryError:
            raise click.ClickException("not enough memory for these inputs") from None


def _known_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An unknown encoding is wrong usage (exit 2), caught before any file is read."""
    if value is None:
        return None
    try:
        return codec_name(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


encoding_option = click.option(
    "--encoding",
    metavar="ENC",
    callback=_known_encoding,
    help="Decode input as ENC. Default: UTF-8 (or a byte-order mark), else cp1252/latin-1.",
)


@click.group(cls=_Commands, name="fingerprint", context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="fingerprint")
def main() -> None:
    """Near-duplicate detection for article text: which paragraphs of two articles match, and
    which blocks repeat inside one.

    Files are plain text (paragraphs at blank lines) or HTML (by a .html/.htm suffix or by their
    content). Use - for standard input.
    """


@main.command()
@click.argument("a", type=click.Path(allow_dash=True))
@click.argument("b", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option(
    "--html",
    "html_path",
    metavar="OUT",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML page of the comparison to OUT.",
)
@encoding_option
@click.option(
    "--color/--no-color",
    default=None,
    help="Highlight matching words. Default: only when printing to a terminal.",
)
def compare(
    a: str, b: str, as_json: bool, html_path: Path | None, encoding: str | None, color: bool | None
) -> None:
    """Compare articles A and B paragraph by paragraph.

    Prints the verdict (same article, a contains b, b contains a, partial overlap or unrelated)
    and the scores, then the aligned blocks side by side, the blocks found only in A or only in
    B, and the blocks repeated inside each.

    \b
    Example:
      fingerprint compare wire.txt copy.html --html report.html
    """
    if a == STDIN and b == STDIN:
        raise click.UsageError("only one of A and B can be - (standard input)")
    comparison = compare_articles(_read_document(a, encoding), _read_document(b, encoding))
    names = (_name(a), _name(b))
    if html_path is not None:
        from fingerprint.report.html import comparison_page

        _write(html_path, comparison_page(comparison, names))
    if as_json:
        from fingerprint.report.as_json import comparison_json

        click.echo(comparison_json(comparison, names))
    else:
        from fingerprint.report.terminal import comparison_report

        color = _color(color)
        click.echo(comparison_report(comparison, names, _width(), color), color=color)


@main.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the blocks and groups as JSON.")
@click.option(
    "--threshold",
    metavar="T",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=REPEATED_THRESHOLD,
    show_default=True,
    help="Jaccard similarity of repeats.",
)
@encoding_option
def repeats(file: str, as_json: bool, threshold: float, encoding: str | None) -> None:
    """List the blocks repeated inside one article FILE.

    A photo caption rendered twice, a pull quote: blocks whose shingle sets have at least the
    threshold's Jaccard similarity form a group.
    """
    document = _read_document(file, encoding)
    groups = document.repeated_blocks(threshold)
    if as_json:
        from fingerprint.report.as_json import repeats_json

        click.echo(repeats_json(document, groups, _name(file), threshold))
    else:
        from fingerprint.report.terminal import repeats_report

        click.echo(repeats_report(document, groups, _name(file), threshold, _width()))


def _read_document(source: str, encoding: str | None) -> Document:
    text = read_text(source, encoding)
    if Path(source).suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        return Document.from_html(text, doc_id=_name(source))
    return Document.from_text(text, doc_id=_name(source))


def _name(source: str) -> str:
    return "<stdin>" if source == STDIN else source


def _write(path: Path, page: str) -> None:
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write ({error.strerror or error})") from None


def _color(asked: bool | None) -> bool:
    """Colour when asked, else on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if asked is not None:
        return asked
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _width() -> int:
    if not sys.stdout.isatty():
        return PIPED_WIDTH
    import shutil

    low, high = TERMINAL_WIDTHS
    return min(max(shutil.get_terminal_size().columns, low), high)
