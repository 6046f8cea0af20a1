"""atheris: ``Document.from_html`` (and ``html_blocks``) on arbitrary text.

Beyond not crashing: every block's ``start:end`` is a range of the page.
"""

from __future__ import annotations

import atheris
from _harness import DOCUMENTED, run

from fingerprint import Document
from fingerprint.html import html_blocks


def test_one_input(data: bytes) -> None:
    page = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    try:
        Document.from_html(page)
        blocks = html_blocks(page)
    except DOCUMENTED:
        return
    for block in blocks:
        assert 0 <= block.start <= block.end <= len(page), (block, len(page))


if __name__ == "__main__":
    run(test_one_input)
