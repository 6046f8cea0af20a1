"""Reading article files as text: bytes read once, then decoded by BOM, by choice, or by detection.

Decoding order: a byte-order mark decides; else the ``encoding`` asked for; else strict UTF-8; else
charset-normalizer picks between cp1252 and latin-1, the single-byte encodings of older Western news
text (BBC, METER). Anything else (binary data, another legacy encoding) is an :class:`InputError`
that says what to try. Line ends are kept as they are, so offsets index the file's own text.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from fingerprint.errors import InputError

STDIN = "-"
#: The most bytes read from one file or from standard input, unless the caller asks for more: far
#: beyond any article, and a stream without an end (``/dev/zero``) stops here, not at memory's end.
MAX_BYTES = 64 * 1024 * 1024

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Text has no NUL bytes (UTF-16 without a BOM is the exception, and needs an explicit encoding).
_BINARY_PROBE_BYTES = 8192
# The only guesses made once UTF-8 fails; cp1252 wins when both fit, since its 0x80-0x9f are the
# curly quotes and dashes that latin-1 would turn into control characters.
_LATIN_ENCODINGS = ["cp1252", "latin_1"]
# Detection looks at this much around the first non-UTF-8 byte: enough to judge, and a 100 MB file
# is not decoded again inside charset-normalizer.
_DETECTION_SAMPLE_BYTES = 1 << 20

_HTML_PROBE_CHARS = 4096
_HTML_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|article|section|"
    r"header|footer|meta|title|script|style|img|figure|figcaption)\b[^<>]*>",
    re.IGNORECASE,
)


def read_text(source: str | Path, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The text of a file, or of standard input when ``source`` is ``"-"``.

    Raises :class:`InputError` with a one-line message for a missing file, a directory, binary
    data, bytes that no accepted encoding decodes, more than ``max_bytes`` bytes, or a closed
    standard input; ``ValueError`` for an unknown ``encoding`` or a ``max_bytes`` below 1.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes("Profits rose to \\u00a35m.".encode("cp1252"))
    >>> read_text(path)
    'Profits rose to £5m.'
    """
    name = "<stdin>" if source == STDIN else str(source)
    if encoding is not None:
        encoding = codec_name(encoding)
    check_max_bytes(max_bytes)
    try:
        return _decode(_read_bytes(source, name, max_bytes), name, encoding)
    except MemoryError:
        raise InputError(f"{name}: too large to fit in memory") from None


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML page or fragment rather than plain text, from its first few KB.

    >>> looks_like_html("<!DOCTYPE html><title>x</title>"), looks_like_html("<p>One</p><p>Two</p>")
    (True, True)
    >>> looks_like_html("Shares fell 3% <sic> on Monday.\\n\\nAnalysts said...")
    False
    """
    head = text[:_HTML_PROBE_CHARS]
    if _HTML_DOCUMENT.search(head):
        return True
    # One tag-like word in plain text is not a page; two real tags are at least a fragment.
    return len(_HTML_TAG.findall(head)) >= 2


def check_max_bytes(max_bytes: int) -> int:
    """``max_bytes``, if it is a whole number of bytes above zero."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise TypeError(f"max_bytes must be int, not {type(max_bytes).__name__}")
    if max_bytes < 1:
        raise ValueError(f"max_bytes ({max_bytes}) must be positive")
    return max_bytes


def too_large(what: str, max_bytes: int) -> InputError:
    """The error for an input (``"a.txt:"``, ``"line"``) longer than the limit, saying how to
    raise it."""
    return InputError(f"{what} larger than max_bytes ({max_bytes}); raise it with --max-bytes")


def stdin_bytes() -> BinaryIO:
    """Standard input as bytes; an :class:`InputError` when the process was started without it."""
    if sys.stdin is None:
        raise InputError("<stdin>: standard input is closed")
    return sys.stdin.buffer


def codec_name(encoding: str) -> str:
    """The codec for `encoding`; a wrong name is the caller's argument, not the file's fault."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"encoding ({encoding!r}) is not a known encoding") from None
    try:
        str(b"\n", codec)  # empty input would not be checked
    except LookupError:  # base64, rot13, zlib...: codecs, but not for text
        raise ValueError(f"encoding ({encoding!r}) is not a text encoding") from None
    except UnicodeError:  # a text encoding that needs more than one byte
        pass
    return codec


def _read_bytes(source: str | Path, name: str, max_bytes: int) -> bytes:
    try:
        if source == STDIN:
            data = stdin_bytes().read(max_bytes + 1)
        else:
            with Path(source).open("rb") as file:
                status = os.fstat(file.fileno())
                if not stat.S_ISREG(status.st_mode):  # a device or a pipe: read up to the limit
                    data = file.read(max_bytes + 1)
                elif status.st_size > max_bytes:  # refused before it is read
                    raise too_large(f"{name}:", max_bytes)
                else:
                    data = file.read()
    except FileNotFoundError:
        raise InputError(f"{name}: not found") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror or error})") from None
    if len(data) > max_bytes:  # a device, a pipe, or a file that grew while it was read
        raise too_large(f"{name}:", max_bytes)
    return data


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, bom_encoding, name, skip=len(bom))
    if encoding is not None:
        return _decode_as(data, encoding, name)
    if data.find(b"\0", 0, _BINARY_PROBE_BYTES) != -1:
        raise InputError(f"{name}: binary data, not text")
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError as error:
        return _decode_latin(data, name, error)


def _decode_as(data: bytes, encoding: str, name: str, skip: int = 0) -> str:
    # A memoryview slice skips the BOM without copying the bytes.
    try:
        return str(memoryview(data)[skip:], encoding)
    except UnicodeDecodeError as error:
        where = _where(error, skip)
        raise InputError(f"{name}: cannot decode as {encoding} ({where})") from None
    except UnicodeError as error:  # codecs such as idna fail without a byte position
        raise InputError(f"{name}: cannot decode as {encoding} ({error})") from None


def _decode_latin(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> str:
    from charset_normalizer import from_bytes  # only files that are not UTF-8 pay for the import

    low = max(0, utf8_error.start - _DETECTION_SAMPLE_BYTES // 2)
    sample = data[low : low + _DETECTION_SAMPLE_BYTES]
    if from_bytes(sample, cp_isolation=_LATIN_ENCODINGS).best() is None:
        guess = from_bytes(sample).best()
        if guess is None:
            raise InputError(f"{name}: binary data, not text")
        where = _where(utf8_error, 0)
        raise InputError(
            f"{name}: cannot decode as utf-8 ({where}); try --encoding {guess.encoding}"
        )
    try:
        return str(data, "cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in cp1252
        return str(data, "latin-1")


def _where(error: UnicodeDecodeError, skip: int) -> str:
    return f"byte 0x{error.object[error.start]:02x} at offset {error.start + skip}"
