"""Text from the data made safe to print on a terminal.

An article, an id or a file name can hold control characters: escape sequences that set a
terminal's title, colours or clipboard (``\\x1b]0;...\\x07``, ``\\x1b[31m``), the C1 controls that
some terminals obey as well, and the bidirectional overrides that make a line read otherwise than
it is stored. Each is shown as its escape (``\\x1b``, ``\\u202e``), visible and inert. JSON output
needs none of this: it escapes them itself.
"""

from __future__ import annotations

# C0 and C1 controls and DEL; tab and line ends too, since a block or a name is one line here.
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]
# Bidirectional embeddings, overrides and isolates, and the Arabic letter mark.
_BIDI = [0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {code: f"\\x{code:02x}" for code in _CONTROLS} | {
    code: f"\\u{code:04x}" for code in _BIDI
}


def printable(text: str) -> str:
    """``text`` with every control character shown as its escape.

    >>> printable("Storm \\x1b]0;owned\\x07hits\\x1b[31m coast\\u202e")
    'Storm \\\\x1b]0;owned\\\\x07hits\\\\x1b[31m coast\\\\u202e'
    >>> printable("Zürich, 東京 — plain text is left as it is")
    'Zürich, 東京 — plain text is left as it is'
    """
    if text.isprintable():  # the common case, and a fast check
        return text
    return text.translate(_ESCAPES)
