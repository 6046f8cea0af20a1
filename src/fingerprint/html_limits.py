"""Limits checked before an HTML page goes to the parser: how many elements, how deep, and how
many distinct tag and attribute names.

The parser's time grows with the number of elements times the depth of their nesting (lexbor
looks through the stack of open elements for each new one): ``<div>`` nested 200,000 deep takes
minutes. It also grows faster than the number of distinct names it has met (2,000 tags of 256
attributes each, all named differently: 67 s). No real page comes near any of the limits; a page
past one is an :class:`InputError`. Pages of up to 10,000 tags and 128 KiB parse quickly however
they are made, and are not read for the limits.

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
#: The most distinct tag and attribute names a page may use: real pages use a few hundred.
MAX_NAMES = 20_000

# Below this many tags and characters the parser is quick however they are made (10,000 nested:
# about 0.1 s; 40,000 distinct names, 0.2 s), and the page is not read for the limits: that would
# cost as much again as parsing a common page.
_NEVER_SLOW_TAGS = 10_000
_NEVER_SLOW_CHARS = 128 * 1024
# A tag or a comment left open runs to the end of the page (as the parser reads it), so that no
# match reads the rest of the page again from every "<" of it.
_TAGS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b([^>]*)"
    r"(?:>.*?(?:</\1\s*>|\Z)|\Z)"
    r"|<(/?)([A-Za-z][^\s/>]*)([^>]*?)(/?)(?:>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_ATTRIBUTE_NAME = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


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
    html: str,
    max_elements: int = MAX_ELEMENTS,
    max_depth: int = MAX_DEPTH,
    max_names: int = MAX_NAMES,
) -> None:
    """Raises :class:`InputError` for a page of more than ``max_elements`` elements, nested
    deeper than ``max_depth`` or with more than ``max_names`` distinct tag and attribute names
    (pages of up to 10,000 tags and 128 KiB pass unread); reads the page once and stops at the
    first limit passed.

    >>> check_html_limits("<div>" * 20_000 + "Text")
    Traceback (most recent call last):
    ...
    fingerprint.errors.InputError: HTML nested deeper than max_depth (1000)
    >>> check_html_limits("<ul><li>One<li>Two<li>Three</ul>" * 5_000)
    """
    small = len(html) <= _NEVER_SLOW_CHARS and html.count("<") <= _NEVER_SLOW_TAGS
    if small and max_elements >= _NEVER_SLOW_TAGS:
        return  # too small to be slow, however it is made
    _OpenElements(max_depth).read(html, max_elements, max_names)


class _OpenElements:
    """The stack of open elements as the parser would roughly keep it."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.names: list[str] = []
        self.where: dict[str, list[int]] = {}  # each open name's places in the stack
        self.barriers: list[int] = []
        self.foreign = 0

    def read(self, html: str, max_elements: int, max_names: int) -> None:
        elements = 0
        names: set[str] = set()
        for tag in _TAGS.finditer(html):
            raw_text, raw_attributes, slash, name, attributes, self_closing = tag.groups()
            if name is None and raw_text is None:
                continue  # a comment
            if slash:
                self.close(name.lower())
                continue
            elements += 1
            if elements > max_elements:
                raise InputError(f"HTML with more than max_elements ({max_elements}) elements")
            attributes = attributes if raw_text is None else raw_attributes
            names.add((name or raw_text).lower())
            if attributes:
                names.update(found.lower() for found in _ATTRIBUTE_NAME.findall(attributes))
            if len(names) > max_names:
                problem = f"more than max_names ({max_names}) distinct tag and attribute names"
                raise InputError(f"HTML with {problem}")
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
