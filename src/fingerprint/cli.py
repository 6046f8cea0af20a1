"""The ``fingerprint`` command: a thin click layer over the library.

Library errors a user can act on (:class:`~fingerprint.errors.InputError`) become one line on
stderr and exit status 1, and so does output that cannot be written (a full disk, a closed
standard output); click itself exits with 2 on wrong usage. Report modules are imported only by
the output that needs them, so the command starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fingerprint import Document, __version__
from fingerprint import compare as compare_articles
from fingerprint._core import Policy
from fingerprint.console import STDOUT, Sink, echo, on_terminal, open_results
from fingerprint.document import REPEATED_THRESHOLD
from fingerprint.errors import InputError
from fingerprint.reading import MAX_BYTES, STDIN, codec_name, looks_like_html, read_text
from fingerprint.report.printable import printable

#: The core's defaults, shown as the options' defaults.
DEFAULTS = Policy()

if TYPE_CHECKING:  # the corpus commands import these when they run, so compare starts fast
    from fingerprint.corpus import BadRecord, Corpus, Record
    from fingerprint.findings import Report
    from fingerprint.index import Index
    from fingerprint.progress import ProgressBar
    from fingerprint.stores.redis import RedisStore
    from fingerprint.stores.sqlite import SqliteStore
    from fingerprint.summary import Summary

HTML_SUFFIXES = frozenset({".html", ".htm"})
# Piped output is wrapped at a fixed width so it is the same on every machine.
PIPED_WIDTH = 100
TERMINAL_WIDTHS = (60, 160)
# Help is wrapped at a fixed width too, so docs/cli.md can quote it verbatim.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "terminal_width": 80}
# Documents go into the index this many at a time: one call into Rust sketches a batch, and with
# --db one transaction writes it.
BATCH_SIZE = 256
#: Where --db keeps an index: a SQLite file, or a shared index's Redis URL.
Database = Path | str


class _Commands(click.Group):
    """Turns the library's input errors into click's one-line errors (exit 1, no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:  # its message can quote the data: a file name, an id
            raise click.ClickException(printable(str(error))) from None
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


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


class _ByteSize(click.ParamType):
    """A number of bytes, with an optional K, M or G (binary multiples): ``200M``."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B")
        digits, unit = (text[:-1], text[-1]) if text[-1:] in _UNITS.keys() - {""} else (text, "")
        if not (digits.isascii() and digits.isdigit()) or int(digits) < 1:
            self.fail(f"{value!r} is not a size in bytes above 0 (e.g. 1000000, 500K, 200M, 2G)")
        return int(digits) * _UNITS[unit]


def _max_bytes_option(what: str) -> Callable[..., Any]:
    return click.option(
        "--max-bytes",
        metavar="N",
        type=_ByteSize(),
        default=MAX_BYTES,
        help=f"Refuse {what} larger than N bytes (K, M, G allowed). Default: 64M.",
    )


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date or time for --before, checked before the database opens."""
    from datetime import datetime

    from fingerprint.document import _parse_published

    try:
        if value is not None:
            datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from None
    try:
        _parse_published(value)  # year 1 or 9999 moved out of range by its offset
    except ValueError:
        raise click.BadParameter(f"{value!r} is out of range in UTC") from None
    return value


def _corpus_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that reads a corpus into an index."""
    options = [
        click.argument("corpus", type=click.Path(allow_dash=True)),
        click.option(
            "--out",
            metavar="RESULTS",
            type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
            help="Write the JSON lines to RESULTS (the summary then goes to standard "
            "output). Default: standard output (the summary to standard error).",
        ),
        click.option(
            "--skip-bad",
            is_flag=True,
            help="Skip bad lines and files with a warning instead of stopping at the first.",
        ),
        click.option(
            "--encoding",
            metavar="ENC",
            callback=_known_encoding,
            help="Decode input as ENC. Default: UTF-8; files of a directory as in compare.",
        ),
        _max_bytes_option("a line, or a file of a directory,"),
        click.option(
            "--boilerplate-min",
            metavar="N",
            type=click.IntRange(min=1),
            default=DEFAULTS.boilerplate_min,
            show_default=True,
            help="A block seen in N other documents of a source is furniture.",
        ),
        click.option(
            "--min-containment",
            metavar="C",
            type=click.FloatRange(0.0, 1.0, min_open=True),
            default=DEFAULTS.min_containment,
            show_default=True,
            help="Report an earlier document holding at least this share of a new one.",
        ),
        click.option(
            "--min-shared",
            metavar="N",
            type=click.IntRange(min=1),
            default=DEFAULTS.min_shared,
            show_default=True,
            help="...and sharing at least N shingles with it (or all of either's).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _writing_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the commands that add a corpus to a database."""
    options = [
        click.option(
            "--durability",
            type=click.Choice(["normal", "full"]),
            default="normal",
            show_default=True,
            help="normal: what is added survives the command being killed; full: a power cut "
            "too (each batch waits for the disk).",
        ),
        click.option(
            "--resume",
            is_flag=True,
            help="Go on with a run that stopped (killed, a full disk): finish the JSON lines it "
            "left unwritten in RESULTS, add to RESULTS, and pass over documents already in the "
            "index. Needs --db and --out.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class _Database(click.ParamType):
    """Where an index is kept: a SQLite file's path, or a shared index's Redis URL (the
    namespace after a #, as in redis://host:6379/0#news)."""

    name = "database"
    _file = click.Path(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from fingerprint.stores import is_redis_url

        if is_redis_url(value):
            return value
        return self._file.convert(value, param, ctx)


def _db_option(must_exist: bool) -> Callable[..., Any]:
    made = "made by `index add` or `dedup --db`" if must_exist else "created when missing"
    return click.option(
        "--db",
        metavar="PATH|URL",
        required=True,
        type=_Database(),
        help=f"The index database at PATH ({made}), or the shared index at a Redis URL "
        "(redis://host:port/db#namespace).",
    )


@click.group(cls=_Commands, name="fingerprint", context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="fingerprint")
def main() -> None:
    """Near-duplicate detection for article text: which paragraphs of two articles match, which
    blocks repeat inside one, and which articles of a corpus are copies or carry page furniture.

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
@_max_bytes_option("a file")
@click.option(
    "--color/--no-color",
    default=None,
    help="Highlight matching words. Default: only when printing to a terminal.",
)
def compare(
    a: str,
    b: str,
    as_json: bool,
    html_path: Path | None,
    encoding: str | None,
    max_bytes: int,
    color: bool | None,
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
    comparison = compare_articles(
        _read_document(a, encoding, max_bytes), _read_document(b, encoding, max_bytes)
    )
    names = (_name(a), _name(b))
    if html_path is not None:
        from fingerprint.report.html import comparison_page

        _write(html_path, comparison_page(comparison, names))
    if as_json:
        from fingerprint.report.as_json import comparison_json

        echo(comparison_json(comparison, names))
    else:
        from fingerprint.report.terminal import comparison_report

        color = _color(color)
        echo(comparison_report(comparison, names, _width(), color))


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
@_max_bytes_option("a file")
def repeats(
    file: str, as_json: bool, threshold: float, encoding: str | None, max_bytes: int
) -> None:
    """List the blocks repeated inside one article FILE.

    A photo caption rendered twice, a pull quote: blocks whose shingle sets have at least the
    threshold's Jaccard similarity form a group.
    """
    document = _read_document(file, encoding, max_bytes)
    groups = document.repeated_blocks(threshold)
    if as_json:
        from fingerprint.report.as_json import repeats_json

        echo(repeats_json(document, groups, _name(file), threshold))
    else:
        from fingerprint.report.terminal import repeats_report

        echo(repeats_report(document, groups, _name(file), threshold, _width()))


@main.command()
@click.option(
    "--db",
    metavar="PATH|URL",
    type=_Database(),
    help="Keep the index in a SQLite database at PATH (created when missing, added to when "
    "not), or share it at a Redis URL (redis://host:port/db#namespace). Default: in memory.",
)
@_corpus_options
@_writing_options
@click.option(
    "--engine",
    type=click.Choice(["process", "ray"]),
    default="process",
    show_default=True,
    help="Run in this process, or as a Ray Data job (pip install "
    "'article-fingerprint[ray]'): the same lines either way.",
)
@click.option(
    "--ray-address",
    metavar="ADDR",
    help="With --engine ray, the cluster to run on (auto, or ray://host:10001). Default: Ray "
    "started on this machine.",
)
def dedup(
    corpus: str, db: Database | None, engine: str, ray_address: str | None, **options: Any
) -> None:
    """Find copies, page furniture and origins in a CORPUS of articles.

    CORPUS is a JSON lines file (one object a line: id, text or html, and optionally source and
    published), a directory of .txt and .html files, or - for JSON lines on standard input.
    Each document is checked against all before it, then added to the index.

    Writes one JSON line per document: its repeated blocks, its furniture, the earlier documents
    it matches and its origin. Then a summary: the clusters of copies, largest first, and each
    source's most frequent furniture.

    \b
    Example:
      fingerprint dedup corpus.jsonl --out results.jsonl
    """
    if engine == "ray":
        if db is not None or options["resume"]:
            raise click.UsageError("--engine ray keeps no database: leave out --db and --resume")
        _dedup_on_ray(corpus, ray_address, **options)
        return
    if ray_address is not None:
        raise click.UsageError("--ray-address needs --engine ray")
    if options["resume"] and db is None:
        raise click.UsageError("--resume needs --db: without it nothing of a run is kept")
    _ingest(corpus, db, must_exist=False, insert=True, **options)


@main.group(name="index")
def index_commands() -> None:
    """Keep a corpus's index in a database, to add to and query later.

    The database (SQLite) holds every document added, survives crashes, and may be read by
    several processes while one writes. A Redis URL instead shares one index between processes
    on many machines. Every subcommand names it with --db PATH or --db URL.
    """


@index_commands.command(name="add")
@_db_option(must_exist=False)
@_corpus_options
@_writing_options
def index_add(corpus: str, db: Database, **options: Any) -> None:
    """Add a CORPUS to the index, reporting on each document as dedup does.

    A document whose id is already in the index is a bad record (with --resume, it is passed
    over). With --out, a run that stops (killed, a full disk) can be resumed with --resume: every
    document it added gets its JSON line in RESULTS exactly once.
    """
    _ingest(corpus, db, must_exist=False, insert=True, **options)


@index_commands.command(name="query")
@_db_option(must_exist=True)
@_corpus_options
def index_query(corpus: str, db: Database, **options: Any) -> None:
    """Check each document of a CORPUS against the index, adding nothing.

    Writes the JSON lines and the summary of dedup. Ids need not be unique.
    """
    _ingest(corpus, db, must_exist=True, insert=False, **options)


@index_commands.command(name="remove")
@click.argument("doc_ids", metavar="ID...", nargs=-1, required=True)
@_db_option(must_exist=True)
def index_remove(doc_ids: tuple[str, ...], db: Database) -> None:
    """Remove the documents with these ids from the index.

    Ids that are not in the index are named in an error (exit status 1) after the others are
    removed.
    """
    from fingerprint.summary import plural

    with _opened_index(db, must_exist=True) as index:
        missing = [doc_id for doc_id in doc_ids if not index.remove(doc_id)]
    echo(f"removed {plural(len(doc_ids) - len(missing), 'document')}")
    if missing:
        raise InputError(f"{db}: not in the index: {', '.join(missing)}")


@index_commands.command(name="expire")
@click.option(
    "--before",
    metavar="DATE",
    required=True,
    callback=_iso_date,
    help="Remove documents published before DATE (ISO 8601, e.g. 2024-05-01).",
)
@_db_option(must_exist=True)
def index_expire(before: str, db: Database) -> None:
    """Remove the documents published before a date.

    Documents without a publication date stay. Times without an offset are UTC.
    """
    from fingerprint.summary import plural

    with _opened_index(db, must_exist=True) as index:
        removed = index.expire(before)
    echo(f"removed {plural(removed, 'document')} published before {before}")


@index_commands.command(name="stats")
@_db_option(must_exist=True)
def index_stats(db: Database) -> None:
    """Print the index's numbers as JSON.

    Documents, blocks, postings, bytes of memory, sources, the recipe and the path.
    """
    import json

    with _opened_index(db, must_exist=True) as index:
        echo(json.dumps(index.stats(), indent=2))


def _ingest(
    corpus: str,
    db: Database | None,
    *,
    must_exist: bool,
    insert: bool,
    out: Path | None,
    skip_bad: bool,
    encoding: str | None,
    max_bytes: int,
    boilerplate_min: int,
    min_containment: float,
    min_shared: int,
    durability: str = "normal",
    resume: bool = False,
) -> None:
    """Reads a corpus in batches into the index (or only queries it), writing a JSON line per
    document, then prints the summary."""
    from fingerprint.corpus import Corpus
    from fingerprint.progress import progress_bar
    from fingerprint.summary import Summary

    _refuse_out_as_corpus(corpus, out)
    held = _held_path(db, out) if insert else None
    if resume and held is None:
        raise click.UsageError("--resume needs --out naming a file (RESULTS)")
    reading = Corpus(corpus, encoding, max_bytes)
    summary = Summary("added" if insert else "queried")
    policy = {
        "boilerplate_min": boilerplate_min,
        "min_containment": min_containment,
        "min_shared": min_shared,
    }
    with _opened_index(db, must_exist, policy, durability) as index:
        store = index.store  # report lines are held in it until written
        left = _left_by_a_stopped_run(store, held, out, resume) if store and held else None
        with (
            open_results(out, append=resume) as results,
            progress_bar(reading.name, reading.total) as bar,
        ):
            batch = _Batch(index, insert, results, summary, resume)
            if store and held and out:
                batch.hold_in(store, held, _finish(results, out, left), durability == "full")
            _run(reading, batch, skip_bad, bar)
    _print_summary(summary, out)


def _dedup_on_ray(
    corpus: str,
    address: str | None,
    *,
    out: Path | None,
    skip_bad: bool,
    encoding: str | None,
    max_bytes: int,
    boilerplate_min: int,
    min_containment: float,
    min_shared: int,
    **_: object,  # --durability and --resume: of a database, which a Ray job keeps none of
) -> None:
    """`dedup` as a Ray Data job: the corpus read here, as the command reads it, and its
    documents deduplicated on the cluster; the same lines and summary."""
    from fingerprint._core import Policy
    from fingerprint.corpus import Corpus
    from fingerprint.progress import progress_bar
    from fingerprint.summary import Summary

    try:
        from fingerprint.engines import ray as on_ray
    except ImportError:
        raise click.ClickException(
            "--engine ray needs Ray: pip install 'article-fingerprint[ray]'"
        ) from None
    _refuse_out_as_corpus(corpus, out)
    reading = Corpus(corpus, encoding, max_bytes)
    summary = Summary("added")
    policy = Policy(
        boilerplate_min=boilerplate_min, min_containment=min_containment, min_shared=min_shared
    )
    on_ray.connect(address)
    with open_results(out) as results, progress_bar(reading.name, reading.total) as bar:
        _run(reading, on_ray.CorpusDedup(results, summary, policy), skip_bad, bar)
    _print_summary(summary, out)


def _refuse_out_as_corpus(corpus: str, out: Path | None) -> None:
    if out is not None and corpus != STDIN and Path(corpus).resolve() == out.resolve():
        raise click.UsageError("--out cannot be the corpus itself")


def _print_summary(summary: Summary, out: Path | None) -> None:
    """The summary after the JSON lines: on standard error when they went to standard output."""
    if out is None or str(out) == STDIN:
        click.echo(summary.render(), err=True)
    else:
        echo(summary.render())


def _run(reading: Corpus, batch: _Batch, skip_bad: bool, bar: ProgressBar) -> None:
    """Feeds the corpus to the batch. A bad record stops the run after the good records before
    it are in the index, or is skipped with a warning."""
    from fingerprint.corpus import raise_bad

    def skip(error: BadRecord) -> None:
        batch.summary.skipped += 1
        bar.note(f"Warning: {error} (skipped)")

    on_bad = skip if skip_bad else raise_bad
    # Closed when the run stops early, which closes the corpus file at once.
    try:
        with closing(reading.records(on_bad)) as records:
            for record in records:
                if batch.passed_over(record):
                    continue
                problem = batch.problem(record)
                if problem is not None:
                    on_bad(problem)
                    continue
                batch.append(record)
                bar.advance(reading.position)
    except InputError:
        batch.flush()
        batch.done()
        raise
    batch.flush()
    batch.done()


class _Batch:
    """Documents waiting to go into the index together, and where their reports go."""

    def __init__(
        self, index: Index, insert: bool, results: Sink, summary: Summary, resume: bool = False
    ) -> None:
        self.index = index
        self.insert = insert
        self.results = results
        self.summary = summary
        self.resume = resume
        self.records: list[Record] = []
        from fingerprint.corpus import FirstSeen

        self._first_seen = FirstSeen()
        self._store: SqliteStore | RedisStore | None = None
        self._held = ""
        self._offset = 0
        self._fsync = False

    def hold_in(self, store: SqliteStore | RedisStore, held: str, offset: int, fsync: bool) -> None:
        """Has each batch's report lines held in the database, committed with its documents,
        until they are written to the results file (whose length is ``offset`` now)."""
        self._store, self._held, self._offset, self._fsync = store, held, offset, fsync

    def passed_over(self, record: Record) -> bool:
        """Whether a resumed run passes the record over: an earlier run added it."""
        doc_id = record.document.doc_id
        return self.resume and doc_id is not None and doc_id in self.index

    def problem(self, record: Record) -> BadRecord | None:
        """Why the record cannot be added: its id is already in the corpus or the index."""
        from fingerprint.corpus import BadRecord, quoted

        doc_id = record.document.doc_id
        if not self.insert or doc_id is None:
            return None
        if doc_id in self.index and doc_id not in self._first_seen.places:
            return BadRecord(record.where, f"id {quoted(doc_id)} is already in the index")
        return self._first_seen.problem(record)

    def append(self, record: Record) -> None:
        self.records.append(record)
        if len(self.records) >= BATCH_SIZE:
            self.flush()

    def _under_index_recipe(self, document: Document) -> Document:
        """The document as the index fingerprints it: a database keeps the recipe it was made
        with, which need not be the default one the corpus is read with."""
        if document.recipe == self.index.recipe:
            return document
        return Document(
            document.blocks, document.doc_id, document.source, document.published, self.index.recipe
        )

    def flush(self) -> None:
        """Adds (or queries) the waiting documents and writes their reports."""
        from fingerprint.report.printable import json_text

        documents = [self._under_index_recipe(record.document) for record in self.records]
        self.records = []
        if not documents:
            return

        def lines(reports: list[Report]) -> str:
            return "".join(json_text(r.to_dict()) + "\n" for r in reports)

        if self._store is not None:
            # The lines are committed with the documents, and written after: a run killed
            # between the two finishes them when resumed (`_finish`).
            with self._store.transaction():
                reports = self.index.add_many(documents)
                text = lines(reports)
                self._store.hold_reports(self._held, self._offset, text)
        elif self.insert:
            reports = self.index.add_many(documents)
            text = lines(reports)
        else:
            reports = [self.index.query(document) for document in documents]
            text = lines(reports)
        for document, report in zip(documents, reports, strict=True):
            self.summary.count(document, report)
        self.results.write(text)
        self._offset += len(text.encode("utf-8"))
        if self._fsync and self.results.file is not None:
            os.fsync(self.results.file.fileno())

    def done(self) -> None:
        """Every line is written: the database holds none for the results file any more."""
        if self._store is not None:
            self._store.release_reports(self._held)


def _held_path(db: Database | None, out: Path | None) -> str | None:
    """The key under which a run's report lines are held in the database: the results file's
    absolute path, when there is a database and the results go to a file that can be cut back
    (a regular file, or a new one)."""
    if db is None or out is None or str(out) == STDOUT or (out.exists() and not out.is_file()):
        return None
    return str(out.resolve())


def _left_by_a_stopped_run(
    store: SqliteStore | RedisStore, held: str, out: Path, resume: bool
) -> tuple[int, str] | None:
    """The lines a stopped run left unwritten and where they go; refused unless resuming."""
    left = store.held_reports(held)
    if left is not None and not resume:
        raise InputError(
            f"{store.path}: a run writing {out} stopped before writing the lines of what it "
            "added; run it again with --resume to finish them and go on"
        )
    return left


def _finish(results: Sink, out: Path, left: tuple[int, str] | None) -> int:
    """Writes the lines a stopped run left, from where they go (cutting off what it wrote of
    them); returns the results file's length."""
    assert results.file is not None
    length = os.fstat(results.file.fileno()).st_size
    if left is None:
        return length
    offset, lines = left
    if length < offset:
        raise InputError(
            f"{out}: {length} bytes, shorter than the {offset} the stopped run had written; "
            "it was changed since"
        )
    results.file.truncate(offset)
    results.write(lines)
    return offset + len(lines.encode("utf-8"))


@contextmanager
def _opened_index(
    db: Database | None,
    must_exist: bool,
    policy: dict[str, Any] | None = None,
    durability: str = "normal",
) -> Iterator[Index]:
    """The index, in memory or in the database at ``db``, with the `policy` options given
    (`Index`'s keywords); database errors are input errors."""
    import sqlite3

    from fingerprint.errors import StoreIOError
    from fingerprint.index import Index

    if isinstance(db, Path) and must_exist and not db.exists():
        raise InputError(f"{db}: not found")
    if isinstance(db, str) and must_exist:
        from fingerprint.stores.redis import exists

        if not exists(db):
            raise InputError(f"{db}: no index there (made by `index add` or `dedup --db`)")
    try:
        index = Index(db, durability=durability, **(policy or {}))
    except (ValueError, TimeoutError, StoreIOError) as error:
        raise InputError(str(error)) from None
    try:
        yield index
    except (TimeoutError, StoreIOError) as error:  # their messages name the database
        raise InputError(str(error)) from None
    except sqlite3.Error as error:  # a full disk, a database made read-only
        raise InputError(f"{db}: {error}") from None
    finally:
        index.close()


def _read_document(source: str, encoding: str | None, max_bytes: int) -> Document:
    text = read_text(source, encoding, max_bytes)
    try:
        if Path(source).suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
            return Document.from_html(text, doc_id=_name(source))
        return Document.from_text(text, doc_id=_name(source))
    except InputError as error:  # HTML beyond the parser's limits: name the file
        raise InputError(f"{_name(source)}: {error}") from None


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
    return on_terminal() and not os.environ.get("NO_COLOR")


def _width() -> int:
    if not on_terminal():
        return PIPED_WIDTH
    import shutil

    low, high = TERMINAL_WIDTHS
    return min(max(shutil.get_terminal_size().columns, low), high)
