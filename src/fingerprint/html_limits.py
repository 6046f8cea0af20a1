"""Limits checked before an HTML page goes to the parser: how many elements, and how deep.

The parser's time grows with the number of elements times the depth of their nesting (lexbor
looks through the stack of open elements for each new one): ``<div>`` nested 200,000 deep takes
minutes. No real page comes near either limit; a page past one is an :class:`InputError`. Pages
of up to 10,000 tags parse quickly however they nest, and their depth is not estimated.

The depth is estimated in one pass over the tags, with HTML's rules simplified: void elements,
comments and the content of ``script``, ``style``, ``textarea`` and the like open nothing; an end
tag closes up to its element; ``p``, ``li``, ``dd``, ``dt``, ``option`` and table rows and cells
close an open one as a new one starts, as the parser does. Neither rule reaches through a
``table``, a list, a ``select``, ``svg`` or ``math`` opened later, where the parser stops too.
"""

from __future__ import annotations

import re

from fingerprint.errors import InputError

#: The most elements (start tags) a page may have: real news pages have a few thousand.
MAX_ELEMENTS = 100_000
#: The deepest nesting of elements allowed: real pages stay under a hundred.
MAX_DEPTH = 1_000

# Below this many tags the parser is quick however they nest (10,000 nested: about 0.1 s), and the
# estimate is not made: it would cost as much again as parsing a common page.
_NEVER_SLOW = 10_000
_TAGS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>",
    re.IGNORECASE | re.DOTALL,
)


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_OPENS_NOTHING = _tags(
    "area base br col embed hr img input link meta param source track wbr keygen basefont "
    "bgsound frame html head body"
)
# Elements that stop an implied or explicit close from reaching the elements below them.
_BARRIERS = _tags("table template caption button object marquee applet select ul ol dl")
_FOREIGN = _tags("svg math")
_P_CLOSERS = _tags(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup main menu nav ol p pre section summary "
    "table ul listing search"
)
_CLOSES = {
    **dict.fromkeys(_P_CLOSERS, ("p",)),
    "li": ("li", "p"),
    "dt": ("dt", "dd", "p"),
    "dd": ("dt", "dd", "p"),
    "option": ("option",),
    "optgroup": ("option", "optgroup"),
    "tr": ("tr", "td", "th"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    **dict.fromkeys(["tbody", "thead", "tfoot"], ("tbody", "thead", "tfoot", "tr", "td", "th")),
}


def check_html_limits(
    html: str, max_elements: int = MAX_ELEMENTS, max_depth: int = MAX_DEPTH
) -> None:
    """Raises :class:`InputError` for a page of more than ``max_elements`` elements, or of more
    than 10,000 tags nested deeper than ``max_depth``; reads the page once and stops at the first
    limit passed.

    >>> check_html_limits("<div>" * 20_000 + "Text")
    Traceback (most recent call last):
    ...
    fingerprint.errors.InputError: HTML nested deeper than max_depth (1000)
    >>> check_html_limits("<ul><li>One<li>Two<li>Three</ul>" * 5_000)
    """
    if html.count("<") <= min(_NEVER_SLOW, max_elements):
        return  # too few tags to be slow, however they nest
    _OpenElements(max_depth).read(html, max_elements)


class _OpenElements:
    """The stack of open elements as the parser would roughly keep it."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.names: list[str] = []
        self.where: dict[str, list[int]] = {}  # each open name's places in the stack
        self.barriers: list[int] = []
        self.foreign = 0

    def read(self, html: str, max_elements: int) -> None:
        elements = 0
        for tag in _TAGS.finditer(html):
            raw_text, slash, name, self_closing = tag.groups()
            if name is None and raw_text is None:
                continue  # a comment
            if slash:
                self.close(name.lower())
                continue
            elements += 1
            if elements > max_elements:
                raise InputError(f"HTML with more than max_elements ({max_elements}) elements")
            if raw_text is None:
                self.start(name.lower(), bool(self_closing))

    def start(self, name: str, self_closing: bool) -> None:
        if name in _OPENS_NOTHING or (self_closing and self.foreign):
            return
        closes = _CLOSES.get(name)
        if closes is not None:
            open_ones = [self.where[n][-1] for n in closes if self.reachable(n)]
            if open_ones:
                self.pop_to(min(open_ones))
        self.where.setdefault(name, []).append(len(self.names))
        if name in _BARRIERS:
            self.barriers.append(len(self.names))
        self.foreign += name in _FOREIGN
        self.names.append(name)
        if len(self.names) > self.max_depth:
            raise InputError(f"HTML nested deeper than max_depth ({self.max_depth})")

    def close(self, name: str) -> None:
        if self.reachable(name):
            self.pop_to(self.where[name][-1])

    def reachable(self, name: str) -> bool:
        """Whether an open ``name`` lies at or above the latest barrier."""
        places = self.where.get(name)
        return bool(places) and places[-1] >= (self.barriers[-1] if self.barriers else -1)

    def pop_to(self, place: int) -> None:
        """Closes the element at ``place`` and every element above it."""
        while len(self.names) > place:
            name = self.names.pop()
            self.where[name].pop()
            if self.barriers and self.barriers[-1] == len(self.names):
                self.barriers.pop()
            self.foreign -= name in _FOREIGN
