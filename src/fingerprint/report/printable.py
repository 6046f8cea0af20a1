"""Text from the data made safe to print on a terminal.

An article, an id or a file name can hold control characters: escape sequences that set a
terminal's title, colours or clipboard (``\\x1b]0;...\\x07``, ``\\x1b[31m``), the C1 controls that
some terminals obey as well, and the bidirectional overrides that make a line read otherwise than
it is stored. Each is shown as its escape (``\\x1b``, ``\\u202e``), visible and inert. JSON output
(`json_text`) escapes the same characters the way JSON does, so that it reads back unchanged.
"""

from __future__ import annotations

import re
from typing import Any

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


# What JSON leaves raw but a terminal may obey: DEL and the C1 controls, the bidirectional marks,
# and the line and paragraph separators (line ends to some readers). C0 controls JSON escapes.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON: text not ASCII-escaped (articles stay readable), but every character a
    terminal may obey escaped as ``\\uXXXX``, which any JSON reader reads back as it was.

    >>> json_text({"text": "Storm\\x9b31m \\u202eeciffo"})
    '{"text": "Storm\\\\u009b31m \\\\u202eeciffo"}'
    >>> json_text(["Zürich", "東京"])
    '["Zürich", "東京"]'
    """
    import json  # here: `fingerprint compare` prints to the terminal without it

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _RAW_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
