"""Documents: an article cut into blocks (paragraphs, headings, captions), sketched in one call."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from fingerprint._core import DocumentSketch, Policy, Recipe, Signature, segment_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Blocks whose shingle sets have at least this Jaccard similarity are repeats of each other.
REPEATED_THRESHOLD = Policy().repeated


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document: where it is in the input, what kind it is, and its text.

    ``start`` and ``end`` are character offsets into the original input (the text or the HTML).
    For hard-wrapped plain text, ``text`` has the wrapped lines rejoined with single spaces.

    >>> from fingerprint import Document
    >>> text = "Storm hits coast\\n\\nHeavy rain fell overnight."
    >>> block = Document.from_text(text).blocks[1]
    >>> block
    Block(index=1, text='Heavy rain fell overnight.', kind='paragraph', start=18, end=44)
    >>> text[block.start:block.end] == block.text
    True
    """

    index: int
    text: str
    kind: str
    start: int
    end: int


class Document:
    """An article as blocks, with the exact shingle sets and signatures of all of them.

    >>> from fingerprint import Document
    >>> text = "Headline\\n\\nA caption here.\\n\\nThe story.\\n\\nA caption here."
    >>> doc = Document.from_text(text)
    >>> [(b.kind, b.text) for b in doc.blocks][:2]
    [('heading', 'Headline'), ('paragraph', 'A caption here.')]
    >>> doc.repeated_blocks()
    [[1, 3]]
    """

    def __init__(
        self,
        blocks: Sequence[Block],
        doc_id: str | None = None,
        source: str | None = None,
        published: datetime | date | str | None = None,
        recipe: Recipe | None = None,
    ) -> None:
        self._blocks: tuple[Block, ...] | None = tuple(blocks)
        # (start, end, kind, text) of each block, when cut from a text: Blocks are made from
        # them only when asked for, which ingestion, wanting reports, seldom does.
        self._cut_list: list[tuple[int, int, str, str]] | None = [
            (b.start, b.end, b.kind, b.text) for b in self._blocks
        ]
        # A plain text not cut yet: the index cuts and sketches it on a thread of its own, and
        # it is cut here only when its blocks are asked for.
        self._text: str | None = None
        self.doc_id = doc_id
        self.source = source
        self.published = _parse_published(published)
        self.recipe = recipe if recipe is not None else Recipe()
        self._repeated: dict[float, list[list[int]]] = {}

    @classmethod
    def from_text(
        cls,
        text: str,
        doc_id: str | None = None,
        source: str | None = None,
        published: datetime | date | str | None = None,
        recipe: Recipe | None = None,
    ) -> Document:
        """Cut plain text into blocks: paragraphs at blank lines, hard-wrapped lines rejoined.

        The text is cut when its blocks are first needed: `Index.add_many` cuts and sketches
        its documents' texts on threads of its own.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        document = cls._cut(None, doc_id, source, published, recipe)
        document._text = text
        return document

    @classmethod
    def from_html(
        cls,
        html: str,
        doc_id: str | None = None,
        source: str | None = None,
        published: datetime | date | str | None = None,
        recipe: Recipe | None = None,
    ) -> Document:
        """Cut an HTML page into blocks: block-level elements, captions, headings, list items."""
        from fingerprint.html import html_blocks  # the parser loads only when HTML is read

        cuts = [(raw.start, raw.end, raw.kind, raw.text) for raw in html_blocks(html)]
        return cls._cut(cuts, doc_id, source, published, recipe)

    @classmethod
    def _cut(
        cls,
        cuts: list[tuple[int, int, str, str]] | None,
        doc_id: str | None,
        source: str | None,
        published: datetime | date | str | None,
        recipe: Recipe | None,
    ) -> Document:
        document = cls((), doc_id, source, published, recipe)
        document._blocks, document._cut_list = None, cuts
        return document

    @property
    def _cuts(self) -> list[tuple[int, int, str, str]]:
        if self._cut_list is None:
            self._cut_list = segment_text(self._text)
        return self._cut_list

    def _sketch_input(self) -> DocumentSketch | str | list[str]:
        """What the core sketches this document from: its sketch if made, its text if not cut
        yet, else its blocks' texts."""
        sketch = self.__dict__.get("sketch")  # the cached property, if made
        if sketch is not None:
            return sketch
        return self._text if self._cut_list is None else self.texts

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks, in order."""
        if self._blocks is None:
            self._blocks = tuple(
                Block(i, text, kind, start, end)
                for i, (start, end, kind, text) in enumerate(self._cuts)
            )
        return self._blocks

    @property
    def texts(self) -> list[str]:
        """The blocks' texts, in order."""
        return [cut[3] for cut in self._cuts]

    @cached_property
    def sketch(self) -> DocumentSketch:
        """Every block's exact shingle set and signature, from one call into Rust."""
        return DocumentSketch(self.texts, self.recipe)

    @property
    def signature(self) -> Signature:
        """The MinHash signature of the whole document (the union of its blocks' shingles)."""
        return self.sketch.signature

    @property
    def block_signatures(self) -> npt.NDArray[np.uint32]:
        """The blocks' signatures, one row per block."""
        return self.sketch.signatures

    def repeated_blocks(self, threshold: float = REPEATED_THRESHOLD) -> list[list[int]]:
        """Groups of near-duplicate blocks inside this document, as lists of block indexes.

        Two blocks are repeats when the Jaccard similarity of their shingle sets is at least
        ``threshold``: a caption the page rendered twice, a pull quote.
        """
        # Cached: every comparison of this document asks again.
        if threshold not in self._repeated:
            self._repeated[threshold] = self.sketch.repeated(threshold)
        return [list(group) for group in self._repeated[threshold]]

    def __len__(self) -> int:
        return len(self._cuts)

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def __repr__(self) -> str:
        name = f"{self.doc_id!r}, " if self.doc_id is not None else ""
        return f"Document({name}{len(self)} blocks)"


def _parse_published(value: datetime | date | str | None) -> datetime | None:
    """`published` as a naive UTC datetime: ISO 8601 strings and dates are accepted, times with
    an offset are converted to UTC, and times without one are taken as UTC."""
    if isinstance(value, datetime):
        try:
            return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        except OverflowError:  # an offset that moves year 1 or year 9999 out of the range
            raise ValueError(f"published ({value.isoformat()!r}) is out of range in UTC") from None
    if value is None:
        return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"published ({value!r}) must be an ISO 8601 date or time") from None
        return _parse_published(parsed)
    kind = type(value).__name__
    raise TypeError(f"published must be a datetime, date, ISO string or None, not {kind}")
