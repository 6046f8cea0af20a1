"""The blocks of an HTML page, in document order, with their offsets in the page's source.

Parsing is lexbor's (through selectolax), an HTML5 parser that copes with the broken markup of real
news pages. Rules:

- Dropped with everything inside: comments, ``head`` (except ``title``), ``script``, ``style``,
  ``noscript``, ``template``, ``nav``, ``svg``, ``math``, ``iframe``, ``object``, ``embed``,
  ``canvas`` and form controls (``select``, ``option``, ``button``, ``input``, ``textarea``...).
- Each block-level element (``p``, ``div``, ``li``, ``td``, ``h1``...) is a block; inline
  elements (``a``, ``span``, ``em``...) are part of the text of the block around them. Text that
  sits directly in a container between two child blocks is a block of its own, so
  ``<div>Intro<p>Para</p>tail</div>`` gives "Intro", "Para", "tail".
- ``<br>`` is a space: one block is one paragraph of running text.
- Text is entity-unescaped, its whitespace (``&nbsp;`` included) collapsed to single spaces and
  stripped; empty blocks are dropped.
- Kinds: ``title``, ``heading`` (h1-h6), ``caption`` (``figcaption``, table ``caption``, and any
  element whose class contains "caption"), ``list_item`` (li, dt, dd), ``quote`` (blockquote),
  ``preformatted`` (pre), ``table_cell`` (td, th), ``paragraph`` for the rest. A plain container
  inside a heading, caption, list item, quote or preformatted block takes that kind
  (``<li><p>x</p></li>`` is a list item); inside a table cell it stays a paragraph, since layout
  tables hold whole articles.

lexbor does not report source positions, so each text node is found again in the source, moving
forward: ``html[start:end]`` spans the block's text from its first to its last non-blank character
(entities still escaped). A text node that the parser moved or merged (stray end tags, text inside
``<table>``) is placed approximately, never out of order.
"""

from __future__ import annotations

import re
from html import unescape
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

from fingerprint.html_limits import MAX_DEPTH, MAX_ELEMENTS, check_html_limits

_NOT_TEXT = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed"}
_FORM_CONTROLS = {"select", "option", "optgroup", "datalist", "button", "input", "textarea"}
_DROPPED = frozenset({"nav", "canvas"} | _NOT_TEXT | _FORM_CONTROLS)
_KIND_OF_TAG = {
    "title": "title",
    **dict.fromkeys(["h1", "h2", "h3", "h4", "h5", "h6"], "heading"),
    **dict.fromkeys(["figcaption", "caption"], "caption"),
    **dict.fromkeys(["li", "dt", "dd"], "list_item"),
    "blockquote": "quote",
    **dict.fromkeys(["pre", "listing", "xmp", "plaintext"], "preformatted"),
    **dict.fromkeys(["td", "th"], "table_cell"),
}
_SECTIONING = {"html", "body", "main", "article", "section", "header", "footer", "aside", "search"}
_GROUPING = {"p", "div", "center", "address", "figure", "hgroup", "details", "summary", "dialog"}
_LISTS_TABLES_FORMS = {"ul", "ol", "dl", "menu", "table", "thead", "tbody", "tfoot", "tr", "form"}
_PARAGRAPH_TAGS = frozenset(_SECTIONING | _GROUPING | _LISTS_TABLES_FORMS | {"fieldset", "legend"})
_BLOCK_TAGS = _PARAGRAPH_TAGS | _KIND_OF_TAG.keys()
# Kinds that a plain container nested inside keeps (table_cell and title do not pass on).
_INHERITED_KINDS = frozenset(["heading", "caption", "list_item", "quote", "preformatted"])


class RawBlock(NamedTuple):
    """One block of a page: its text, its kind, and its place in the source, ``html[start:end]``."""

    text: str
    kind: str
    start: int
    end: int


def html_blocks(
    html: str, max_elements: int = MAX_ELEMENTS, max_depth: int = MAX_DEPTH
) -> list[RawBlock]:
    """The blocks of an HTML page, in document order.

    A page of more than ``max_elements`` elements, nested deeper than ``max_depth``, or with more
    than 20,000 distinct tag and attribute names, is an :class:`~fingerprint.errors.InputError`
    (see :mod:`fingerprint.html_limits`).

    >>> page = "<h1>Storm&nbsp;hits</h1><div>By <b>A. Reporter</b><p>Rain &amp; wind.</p></div>"
    >>> for block in html_blocks(page):
    ...     print(block.kind, repr(block.text), repr(page[block.start : block.end]))
    heading 'Storm hits' 'Storm&nbsp;hits'
    paragraph 'By A. Reporter' 'By <b>A. Reporter'
    paragraph 'Rain & wind.' 'Rain &amp; wind.'
    """
    check_html_limits(html, max_elements, max_depth)
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return []
    caption_ids = {node.mem_id for node in tree.css('[class*="caption" i]')}
    builder = _BlockBuilder(_SourceLocator(html), caption_ids)
    builder.walk(root)
    return builder.blocks


class _OpenBlock:
    """A block element being read: its kind, its text so far and the source span of that text."""

    __slots__ = ("end", "kind", "pieces", "start")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.pieces: list[str] = []
        self.start = -1
        self.end = -1


# What the walk does with a node: read it, skip its text (dropped elements), or end its block.
_ENTER, _PASS_OVER, _CLOSE = range(3)


class _BlockBuilder:
    """Walks the tree once, in document order, emitting a block whenever block text ends."""

    def __init__(self, locator: _SourceLocator, caption_ids: set[int]) -> None:
        self.locator = locator
        self.caption_ids = caption_ids
        self.blocks: list[RawBlock] = []
        self.open_blocks: list[_OpenBlock] = []

    def walk(self, root: LexborNode) -> None:
        # An explicit stack: real pages nest deeper than Python's recursion limit allows.
        stack: list[tuple[LexborNode, int]] = [(root, _ENTER)]
        while stack:
            node, action = stack.pop()
            if action == _CLOSE:
                self.close_block()
            elif action == _PASS_OVER:
                self.pass_over(node)
            elif node.is_text_node:
                self.add_text(node.text_content or "")
            elif node.is_element_node:
                self.enter_element(node, stack)
            elif node.is_comment_node:
                self.locator.pass_comment(node.comment_content or "")

    def enter_element(self, node: LexborNode, stack: list[tuple[LexborNode, int]]) -> None:
        tag = node.tag or ""
        if tag in _DROPPED:
            self.pass_over(node)
            return
        if tag == "br":
            self.add_text(" ")
            return
        if tag in _BLOCK_TAGS or node.mem_id in self.caption_ids:
            self.open_block(self.kind_of(tag, node))
            stack.append((node, _CLOSE))
        children = list(node.iter(include_text=True))
        if tag == "head":  # only the title of the head is text
            stack.extend(
                (child, _ENTER if child.tag == "title" else _PASS_OVER)
                for child in reversed(children)
            )
        else:
            stack.extend((child, _ENTER) for child in reversed(children))

    def pass_over(self, node: LexborNode) -> None:
        """Moves the source cursor past a dropped element's text, which later text could match."""
        for inner in node.traverse(include_text=True):
            if inner.is_text_node:
                text = inner.text_content
                if text and not text.isspace():
                    self.locator.pass_text(text)
            elif inner.is_comment_node:
                self.locator.pass_comment(inner.comment_content or "")

    def kind_of(self, tag: str, node: LexborNode) -> str:
        if node.mem_id in self.caption_ids:
            return "caption"
        kind = _KIND_OF_TAG.get(tag)
        if kind is not None:
            return kind
        outer = self.open_blocks[-1].kind if self.open_blocks else "paragraph"
        return outer if outer in _INHERITED_KINDS else "paragraph"

    def open_block(self, kind: str) -> None:
        if self.open_blocks:  # text before this child block is a block of its own
            self.emit(self.open_blocks[-1])
        self.open_blocks.append(_OpenBlock(kind))

    def close_block(self) -> None:
        self.emit(self.open_blocks.pop())

    def add_text(self, text: str) -> None:
        if not self.open_blocks:
            return
        block = self.open_blocks[-1]
        block.pieces.append(text)
        if text.isspace() or not text:
            return  # spacing between inline elements; nothing to locate
        start, end = self.locator.locate(text)
        if block.start < 0:
            block.start = start
        block.end = end

    def emit(self, block: _OpenBlock) -> None:
        if not block.pieces:
            return
        text = " ".join("".join(block.pieces).split())
        if text:
            self.blocks.append(RawBlock(text, block.kind, block.start, block.end))
        block.pieces.clear()
        block.start = block.end = -1


# A run of characters that stand for themselves in HTML source (no entity, quote, markup or line
# end could have produced them), used to find a text node in the source.
_LITERAL_RUN = re.compile(r"[!#-%(-;=?-~][ !#-%(-;=?-~]*")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_MAX_ANCHOR_CHARS = 48
_MAX_CANDIDATES = 32
_MAX_ALIGNMENTS = 8
# Blank space (&nbsp; too) and markup: tags, comments, and elements whose content is not text.
_BLANKS_AND_MARKUP = re.compile(
    r"(?:\s+|&nbsp;?|&#0*160;|&#x0*a0;|<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|xmp|iframe|noscript|noembed|noframes)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<[A-Za-z/!?][^>]*>?)*",
    re.IGNORECASE | re.DOTALL,
)
# Searches far ahead (for text the parser moved) may read this many times the page in all; past
# that, a text node not found near the cursor gets an empty span. Near is where a node's source
# can be from where the visible text resumes: its characters, each as a long entity at most.
_SEARCH_BUDGET_PER_CHAR = 8
_SEARCH_BUDGET_MIN = 1 << 20
_NEAR_CHARS = 256
_NEAR_PER_CHAR = 12
_RUN_END = re.compile(r"(?:\s|&nbsp;?|&#0*160;|&#x0*a0;)*(?:<|\Z)", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


class _SourceLocator:
    """Finds text nodes in the page source, in document order, from a cursor that only moves on."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.cursor = 0
        # What a search far ahead may still read: a node that is not where it is expected costs
        # one such search, and a page of them would otherwise read the page once per node.
        self.budget = max(_SEARCH_BUDGET_PER_CHAR * len(html), _SEARCH_BUDGET_MIN)
        # Searches that depend only on the cursor, kept while it stays: (cursor, result).
        self._visible: tuple[int, int] = (-1, 0)
        self._runs: tuple[int, list[int]] = (-1, [])
        self._comment = -2  # the first "<!--" from the cursor on (-1: none; -2: not looked for)

    def locate(self, text: str) -> tuple[int, int]:
        """The source span of a text node, trimmed of blank space at both ends."""
        anchor, offset = _anchor(text)
        visible_from = self._visible_from()
        near = visible_from + _NEAR_CHARS + _NEAR_PER_CHAR * len(text)
        span = self._exact_span(text, anchor, offset, near)
        if span is not None and span[0] > visible_from:
            # Unclaimed text comes first: a dropped element (nav), or the start of this very node
            # if the parser merged it across markup (a stray end tag). Only a full match says so.
            span = _align(self.html, text, visible_from) or span
        if span is None:  # written as entities, or merged across markup
            span = _align(self.html, text, visible_from)
        if span is None:  # moved by the parser: search further on
            span = self._exact_span(text, anchor, offset)
        if span is None:  # moved and merged: walk the source from nearby runs of text
            span = self._aligned_span(text, anchor)
        if span is None:
            return self.cursor, self.cursor  # not found: an empty span, still in document order
        return self._advance(*span)

    def pass_text(self, text: str) -> None:
        """Moves the cursor past dropped text if it is found as it is (no slow search for it)."""
        anchor, offset = _anchor(text)
        span = self._exact_span(text, anchor, offset)
        if span is not None:
            self.cursor = max(self.cursor, span[1])

    def pass_comment(self, content: str) -> None:
        """Moves the cursor past a comment, whose content may look like later text."""
        if self._comment == -2 or -1 < self._comment < self.cursor:
            self._comment = self.html.find("<!--", self.cursor)  # read once for many comments
        opening = self._comment
        closing = self._find("-->", opening + 4) if opening >= 0 else -1
        # lexbor strips comment content; a bogus comment (<?xml ...?>) is not found and not passed.
        if closing >= 0 and self.html[opening + 4 : closing].strip() == content.strip():
            self.cursor = closing + 3

    def _exact_span(
        self, text: str, anchor: str, offset: int, before: int | None = None
    ) -> tuple[int, int] | None:
        """The first place after the cursor (and ``before`` a place, if given) where the source
        holds exactly this text node."""
        position = self._find(anchor, self.cursor, before)
        for _ in range(_MAX_CANDIDATES):
            if position < 0:
                return None
            span = self._exact_span_at(text, anchor, offset, position)
            if span is not None:
                return span
            position = self._find(anchor, position + 1, before)
        return None

    def _find(self, needle: str, start: int, before: int | None = None) -> int:
        """``html.find``, up to ``before`` if given, else as far as the budget left allows."""
        if before is not None:
            return self.html.find(needle, start, before)
        end = min(len(self.html), start + self.budget)
        position = self.html.find(needle, start, end)
        self.budget -= (end if position < 0 else position + len(needle)) - start
        return position

    def _visible_from(self) -> int:
        """Where the text after the cursor starts, past blank space and markup."""
        if self._visible[0] != self.cursor:
            found = _BLANKS_AND_MARKUP.match(self.html, self.cursor).end()
            self._visible = (self.cursor, found)
        return self._visible[1]

    def _exact_span_at(
        self, text: str, anchor: str, offset: int, position: int
    ) -> tuple[int, int] | None:
        # A text node's source runs from just after one piece of markup to just before the next.
        html = self.html
        start = position - offset
        literal_start = start >= self.cursor and html[start:position] == text[:offset]
        if not (literal_start and (start == 0 or html[start - 1] == ">")):
            start = html.rfind(">", self.cursor, position) + 1
            if start == 0 and self.cursor > 0:
                return None
        after_anchor = position + len(anchor)
        rest = text[offset + len(anchor) :]
        if html.startswith(rest, after_anchor):
            end = after_anchor + len(rest)
        else:
            tag = _TAG_START.search(html, after_anchor)
            end = tag.start() if tag else len(html)
        if end < len(html) and html[end] != "<":
            return None
        if not _same_text(html[start:end], text):
            return None
        return start, end

    def _aligned_span(self, text: str, anchor: str) -> tuple[int, int] | None:
        """The text matched through markup from one of the next few runs of text in the source, or
        from one of the first few runs that hold its anchor."""
        for begin in self._next_text_runs() + self._anchor_runs(anchor):
            span = _align(self.html, text, begin)
            if span is not None:
                return span
        return None

    def _next_text_runs(self) -> list[int]:
        if self._runs[0] == self.cursor:
            return self._runs[1]
        runs, position = [], self.cursor
        while len(runs) < _MAX_ALIGNMENTS and position < len(self.html):
            position = _BLANKS_AND_MARKUP.match(self.html, position).end()
            runs.append(position)
            tag = _TAG_START.search(self.html, position + 1)
            position = tag.start() if tag else len(self.html)
        self._runs = (self.cursor, runs)
        return runs

    def _anchor_runs(self, anchor: str) -> list[int]:
        runs, position = [], self._find(anchor, self.cursor)
        while position >= 0 and len(runs) < _MAX_ALIGNMENTS:
            runs.append(self.html.rfind(">", self.cursor, position) + 1 or self.cursor)
            position = self._find(anchor, position + 1)
        return runs

    def _advance(self, start: int, end: int) -> tuple[int, int]:
        self.cursor = max(self.cursor, end)
        raw = self.html[start:end]
        stripped = raw.strip()
        if not stripped:
            return start, end
        leading = len(raw) - len(raw.lstrip())
        return start + leading, start + leading + len(stripped)


def _anchor(text: str) -> tuple[str, int]:
    """A piece of the text that appears verbatim in the source, and where it starts in the text."""
    match = _LITERAL_RUN.search(text)
    if match is not None:
        return match.group()[:_MAX_ANCHOR_CHARS], match.start()
    stripped = text.lstrip()  # no ASCII at all: hope the characters themselves are in the source
    offset = len(text) - len(stripped)
    return stripped.rstrip()[:_MAX_ANCHOR_CHARS], offset


def _same_text(raw: str, text: str) -> bool:
    if raw == text:
        return True
    decoded = unescape(raw) if "&" in raw else raw
    if "\r" in decoded:  # the parser turns CRLF and lone CR into LF
        decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
    # The parser also drops the newline that follows <pre>.
    return decoded == text or (decoded[:1] == "\n" and decoded[1:] == text)


def _align(html: str, text: str, begin: int) -> tuple[int, int] | None:
    """The span of ``text`` in the source from ``begin``, matching its non-blank characters through
    markup and entities; None unless all of them match."""
    target = "".join(text.split())
    matched, start, i = 0, -1, begin
    while matched < len(target) and i < len(html):
        char = html[i]
        if char in "<&" or char.isspace():
            skipped = _BLANKS_AND_MARKUP.match(html, i).end()
            if skipped > i:
                i = skipped
                continue
        entity = _ENTITY.match(html, i) if char == "&" else None
        piece = "".join(unescape(entity.group()).split()) if entity else char
        if not target.startswith(piece, matched):
            return None
        if piece and start < 0:
            start = i
        matched += len(piece)
        i = entity.end() if entity else i + 1
    if matched < len(target) or not _RUN_END.match(html, i):
        return None  # all of the text, up to the end of a run of text: not a prefix of other text
    return start, i
