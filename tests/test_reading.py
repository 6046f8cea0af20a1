"""Reading files as text: BOMs, UTF-8, detected cp1252/latin-1, explicit encodings, and errors."""

import io
import json
import pathlib
import random
import sys

import pytest
from shared_data import require

from fingerprint.errors import InputError
from fingerprint.reading import looks_like_html, read_text

RUSSIAN = "Президент России заявил, что правительство примет новые меры. "
NEWS = "The chancellor said the \u201cbudget\u201d would cost \u00a35bn \u2013 more than planned."


def write(tmp_path, data: bytes, name: str = "a.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(source, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        read_text(source, **kwargs)
    message = str(caught.value)
    assert "\n" not in message, "an input error is one line"
    return message


def test_utf8_stays_utf8(tmp_path):
    text = "Caf\u00e9 prices rose 3% in M\u00fcnchen \u2014 \u201cquite a lot\u201d, \u65e5\u672c."
    assert read_text(write(tmp_path, text.encode("utf-8"))) == text


def test_str_and_path_sources_agree(tmp_path):
    path = write(tmp_path, b"Plain ASCII.\n")
    assert read_text(str(path)) == read_text(path) == "Plain ASCII.\n"


def test_line_ends_are_kept_so_offsets_index_the_file(tmp_path):
    assert read_text(write(tmp_path, b"One.\r\n\r\nTwo.\r\n")) == "One.\r\n\r\nTwo.\r\n"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_bom_decides_and_is_removed(tmp_path, codec):
    data = NEWS.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_text(write(tmp_path, data)) == NEWS


def test_a_bom_wins_over_the_encoding_asked_for(tmp_path):
    assert read_text(write(tmp_path, NEWS.encode("utf-8-sig")), encoding="latin-1") == NEWS


def test_cp1252_is_detected_with_its_curly_quotes_and_pound_sign(tmp_path):
    assert read_text(write(tmp_path, NEWS.encode("cp1252"))) == NEWS


def test_latin1_pound_sign_is_detected(tmp_path):
    text = "Profits rose to \u00a35m at the caf\u00e9 chain last year."
    assert read_text(write(tmp_path, text.encode("latin-1"))) == text


def test_the_encoding_asked_for_is_used(tmp_path):
    assert read_text(write(tmp_path, RUSSIAN.encode("cp1251")), encoding="cp1251") == RUSSIAN


def test_an_encoding_that_does_not_fit_names_the_byte(tmp_path):
    path = write(tmp_path, b"abc \x81 def")
    message = error_of(path, encoding="cp1252")
    assert message == f"{path}: cannot decode as cp1252 (byte 0x81 at offset 4)"


def test_an_unknown_encoding_is_a_wrong_argument_named_with_its_value(tmp_path):
    path = write(tmp_path, b"text")
    with pytest.raises(ValueError, match=r"encoding \('klingon-8'\) is not a known encoding"):
        read_text(path, encoding="klingon-8")


def test_a_codec_that_is_not_for_text_is_refused(tmp_path):
    path = write(tmp_path, b"text")
    with pytest.raises(ValueError, match=r"encoding \('base64'\) is not a text encoding"):
        read_text(path, encoding="base64")


def test_another_legacy_encoding_is_refused_with_a_suggestion(tmp_path):
    path = write(tmp_path, (RUSSIAN * 3).encode("cp1251"))
    expected = f"{path}: cannot decode as utf-8 (byte 0xcf at offset 0); try --encoding "
    assert error_of(path).startswith(expected)


def test_nul_bytes_are_binary(tmp_path):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert error_of(path) == f"{path}: binary data, not text"


def test_noise_without_nul_bytes_is_binary(tmp_path):
    noise = random.Random(0).randbytes(4000).replace(b"\x00", b"\x01")
    path = write(tmp_path, noise)
    assert error_of(path) == f"{path}: binary data, not text"


def test_utf16_without_a_bom_needs_the_encoding_named(tmp_path):
    path = write(tmp_path, NEWS.encode("utf-16-le"))
    assert error_of(path) == f"{path}: binary data, not text"
    assert read_text(path, encoding="utf-16-le") == NEWS


def test_missing_file(tmp_path):
    path = tmp_path / "a.txt"
    assert error_of(path) == f"{path}: not found"


def test_directory(tmp_path):
    assert error_of(tmp_path) == f"{tmp_path}: is a directory, not a file"


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, b"secret")

    def refuse(self, *args, **kwargs):  # a chmod 000 file is readable when the tests run as root
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    assert error_of(path) == f"{path}: permission denied"


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


def stdin_of(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data))


def test_stdin_is_read_as_bytes_and_decoded(monkeypatch):
    monkeypatch.setattr(sys, "stdin", stdin_of(NEWS.encode("cp1252")))
    assert read_text("-") == NEWS


def test_stdin_errors_name_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", stdin_of(b"\x00\x01\x02"))
    assert error_of("-") == "<stdin>: binary data, not text"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>",
        "  <html lang=en><title>x</title>",
        "<div class='story'><p>One.</p><p>Two.</p></div>",
        "\ufeff<BODY>text</BODY>",
    ],
)
def test_html_is_recognised(text):
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Storm hits coast\n\nRain fell all night.",
        "COMPOSER CHALLENGED OVER `DISAPPROVAL' AT CONCERT<\nBy Stephen Howard, PA News<\n",
        "Use the <b> tag sparingly, said the style guide.",
        "",
    ],
)
def test_plain_text_is_not_html(text):
    assert not looks_like_html(text)


def test_every_bbc_article_decodes_without_replacement_characters():
    root = require("bbc_news/bbc")
    paths = sorted(root.glob("*/*.txt"))
    assert len(paths) > 2000
    pounds = 0
    for path in paths:
        text = read_text(path)
        assert "\ufffd" not in text, path
        assert not any("\x80" <= char <= "\x9f" for char in text), f"{path}: C1 control characters"
        pounds += text.count("\u00a3")
    assert pounds > 1000
    # The one latin-1 file in the corpus (a pound sign as byte 0xa3) is detected, not mangled.
    assert "a \u00a315.8m" in read_text(root / "sport" / "199.txt")


def test_meter_files_decode_as_cp1252(tmp_path):
    """METER ships latin-1 bytes (kept here decoded as latin-1): written back, they must read with
    their pound signs and accents, and their cp1252 quotes (0x93, 0x94) as curly quotes."""
    lines = require("meter/meter_docs.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    legacy = [doc for doc in docs if not doc["text"].isascii()]
    assert len(legacy) > 200
    curly = 0
    for number, doc in enumerate(legacy):
        data = doc["text"].encode("latin-1")
        text = read_text(write(tmp_path, data, f"{number}.txt"))
        assert text.count("\u00a3") == data.count(b"\xa3"), doc["id"]
        assert text.count("\u00e9") == data.count(b"\xe9"), doc["id"]
        assert not any("\x80" <= char <= "\x9f" for char in text), doc["id"]
        curly += text.count("\u201c") + text.count("\u201d")
    assert curly >= 2
