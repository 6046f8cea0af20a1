"""atheris: ``fingerprint.reading.read_text`` on a file of arbitrary bytes.

The first byte picks the encoding asked for (none, so detection runs, most of the time), the
second a ``max_bytes`` (small ones too, to reach the size limit); the rest is the file.
"""

from __future__ import annotations

from _harness import DOCUMENTED, run, temp_file

from fingerprint.reading import looks_like_html, read_text

ENCODINGS = [None] * 8 + [
    "utf-8",
    "cp1252",
    "latin-1",
    "utf-16",
    "utf-32",
    "utf-8-sig",
    "shift_jis",
    "ascii",
]


def test_one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    encoding = ENCODINGS[data[0] % len(ENCODINGS)]
    max_bytes = 1 + data[1] * 16 if data[1] < 32 else 64 * 1024 * 1024
    path = temp_file(data[2:])
    try:
        text = read_text(path, encoding, max_bytes)
    except DOCUMENTED:
        return
    assert isinstance(text, str)
    looks_like_html(text)


if __name__ == "__main__":
    run(test_one_input)
