"""Text from the data made safe for a terminal: controls shown as escapes, the rest untouched."""

import doctest
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fingerprint.report.printable
from fingerprint.report.printable import printable


def test_module_examples_run():
    result = doctest.testmod(fingerprint.report.printable)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("code", [*range(0x20), *range(0x7F, 0xA0)])
def test_every_control_character_is_an_escape(code):
    shown = printable(f"a{chr(code)}b")
    assert shown == f"a\\x{code:02x}b"
    assert all(unicodedata.category(char) != "Cc" for char in shown)


@pytest.mark.parametrize("code", [0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2069])
def test_bidirectional_controls_are_escapes(code):
    assert printable(f"abc{chr(code)}def") == f"abc\\u{code:04x}def"


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII, with punctuation: 3% & <tags>!",
        "Zürich, Ελλάδα, Москва, 東京, مرحبا",
        "A family emoji \U0001f468\u200d\U0001f469\u200d\U0001f467 and a non-breaking\u00a0space",
        "",
    ],
)
def test_other_text_is_left_as_it_is(text):
    assert printable(text) == text


def test_escapes_are_not_escaped_again():
    once = printable("\x1b[31mred\x1b[0m")
    assert once == "\\x1b[31mred\\x1b[0m"
    assert printable(once) == once


@given(st.text())
def test_json_text_reads_back_as_it_was_and_shows_nothing_a_terminal_obeys(text):
    from fingerprint.report.printable import json_text

    written = json_text({"text": text})
    assert json.loads(written) == {"text": text}
    obeyed = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x2028, 0x2029]}
    obeyed |= {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
    assert not set(written) & obeyed


def test_dedup_json_lines_escape_what_a_terminal_obeys(tmp_path, monkeypatch):
    from cli_runner import run

    monkeypatch.chdir(tmp_path)
    text = "Storm \x9b31m hits \u202eeciffo the coast overnight, officials said."
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "a\x85", "text": text}) + "\n")
    done = run("dedup", "c.jsonl")
    assert done.exit_code == 0, done.output
    line = done.stdout.splitlines()[0]
    assert "\x9b" not in line and "\u202e" not in line and "\x85" not in line
    assert json.loads(line)["id"] == "a\x85"
