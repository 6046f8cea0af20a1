"""The limits checked before HTML goes to the parser, and the offset search's linear time."""

import doctest
import re
import time
from pathlib import Path

import pytest
from shared_data import require

import fingerprint.html_limits
from fingerprint import Document
from fingerprint.errors import InputError
from fingerprint.html import html_blocks
from fingerprint.html_limits import MAX_DEPTH, MAX_ELEMENTS, MAX_NAMES, check_html_limits

TOO_DEEP = f"HTML nested deeper than max_depth ({MAX_DEPTH})"
TOO_MANY = f"HTML with more than max_elements ({MAX_ELEMENTS}) elements"


def test_module_examples_run():
    result = doctest.testmod(fingerprint.html_limits)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    "unit",
    [
        "<div>",  # the plain case
        "<div/>",  # a self-closing slash does not close an HTML element
        "<ul><li>x",  # nested lists: a list item does not close one outside its list
        "<table><tr><td>x",  # nested tables
        "<div><table></div>",  # an end tag does not reach through a table
        "<b id=x>",  # formatting elements left open
        "<span></p>",  # an end tag for nothing open closes nothing
        "<select><option>",
    ],
)
def test_deep_nesting_is_refused(unit):
    with pytest.raises(InputError, match=f"^{re.escape(TOO_DEEP)}$"):
        check_html_limits("<html><body>" + unit * 20_000)


@pytest.mark.parametrize(
    "unit",
    [
        "<p>Paragraph",  # paragraphs close each other
        "<li>Item",  # so do list items, rows and cells
        "<tr><td>a<td>b<th>c",
        "<dt>Term<dd>Definition",
        "<div>Text</div>",
        "<p>Para<div>Block</div>",  # a block closes the paragraph around it
        "<img src=x><br><hr><input>",  # void elements
        "<!-- <div> -->",  # markup in comments and scripts opens nothing
        "<script>document.write('<div>')</script>",
        '<svg><path d="M0"/><circle r="1"/></svg>',  # self-closing in SVG
        "<b>bold</b><i>italic</i>",
        "<option>One<option>Two",
    ],
)
def test_long_flat_pages_pass(unit):
    page = "<html><body><ul><table><select>" + unit * (MAX_ELEMENTS // 8)
    check_html_limits(page)


def test_too_many_elements_are_refused():
    page = "<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 1)
    with pytest.raises(InputError, match=r"more than max_elements \(100000\) elements$"):
        check_html_limits(page)
    check_html_limits(page, max_elements=MAX_ELEMENTS + 10)


@pytest.mark.parametrize(
    "page",
    [
        "".join("<p " + " ".join(f"a{j}_{i}=1" for i in range(256)) + ">x</p>" for j in range(100)),
        "".join(f"<x{j}>t</x{j}>" for j in range(20_001)),  # custom elements
        "<p " + " ".join(f"bare{i}" for i in range(20_001)) + ">",  # attributes without values
    ],
)
def test_too_many_distinct_names_are_refused(page):
    """lexbor's time grows faster than the distinct names it meets: 67 s for 512,000."""
    with pytest.raises(InputError, match=re.escape(f"more than max_names ({MAX_NAMES}) distinct")):
        check_html_limits(page)


def test_names_inside_values_and_repeated_names_do_not_count():
    value = " ".join(f"word{i}" for i in range(30_000))
    page = f"<img alt=\"{value}\" title='{value}'>" + '<p class="x" id=y data-a>t</p>' * 30_000
    check_html_limits(page)


def test_limits_can_be_set():
    with pytest.raises(InputError, match=r"max_depth \(50\)"):
        html_blocks("<div>" * 20_000, max_depth=50)
    with pytest.raises(InputError, match=r"max_elements \(10\)"):
        html_blocks("<p>x" * 11, max_elements=10)


def test_small_pages_are_not_scanned_and_parse_fast():
    """Below 10,000 tags the estimate is skipped: the parser is quick however they nest."""
    page = "<div>" * 9_000 + "Deep text" + "</div>" * 900
    started = time.perf_counter()
    blocks = html_blocks(page)
    assert time.perf_counter() - started < 2
    assert [block.text for block in blocks] == ["Deep text"]


def test_the_check_is_fast_at_the_limit():
    page = "<html><body>" + "<p>A short paragraph, <b>bold</b> and <a href=x>a link</a>." * 33_000
    started = time.perf_counter()
    check_html_limits(page)
    assert time.perf_counter() - started < 2


def test_api_errors_name_the_limit():
    with pytest.raises(InputError, match=re.escape(TOO_MANY)):
        Document.from_html("<p>x</p>" * (MAX_ELEMENTS + 1))


def test_real_pages_pass_well_within_the_limits():
    pages = sorted(require("l3s_gn1/original").glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8", errors="replace")
        check_html_limits(html, max_elements=MAX_ELEMENTS, max_depth=100, max_names=1000)
        # Small pages pass unread; the scanner itself reads them all the same.
        fingerprint.html_limits._OpenElements(100).read(html, MAX_ELEMENTS, 1000)


def test_text_in_entities_is_found_in_linear_time():
    """Text nodes written as numeric references are not verbatim in the source: each one used to
    search the rest of the page for its characters (41-64 s for 40,000 paragraphs)."""
    paragraphs = [
        "".join(f"&#{0x4E00 + (i * 13 + k) % 9000};" for k in range(8)) for i in range(20_000)
    ]
    page = "<title>中文</title>" + "".join(f"<p>{p}</p>\n" for p in paragraphs)
    started = time.perf_counter()
    blocks = html_blocks(page)
    assert time.perf_counter() - started < 5
    assert len(blocks) == 20_001
    assert all(page[b.start : b.end] == p for b, p in zip(blocks[1:], paragraphs, strict=True))


def test_comments_not_in_the_source_are_passed_in_linear_time():
    """Bogus comments (``<!x>``) are comments to the parser but not ``<!--`` in the source: each
    one searched the rest of the page for one (9 s for 40,000)."""
    page = "<title>中文</title>" + "<!x><p>Paragraph</p>" * 40_000
    started = time.perf_counter()
    blocks = html_blocks(page)
    assert time.perf_counter() - started < 5
    assert len(blocks) == 40_001
    last = blocks[-1]
    assert page[last.start : last.end] == "Paragraph" and last.end == len(page) - len("</p>")


def test_text_the_parser_moved_far_is_still_found(tmp_path):
    """The far search stays for pages that need it: text before a table's rows is moved out of
    the table by the parser, and its source lies after the cursor."""
    page = "<p>Intro</p><table>Moved text<tr><td>Cell</td></tr></table><p>End</p>"
    found = {block.text: page[block.start : block.end] for block in html_blocks(page)}
    assert found == {"Intro": "Intro", "Moved text": "Moved text", "Cell": "Cell", "End": "End"}


def test_limits_are_documented():
    reliability = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"
    text = reliability.read_text(encoding="utf-8")
    assert f"{MAX_ELEMENTS:,}" in text and f"{MAX_DEPTH:,}" in text
