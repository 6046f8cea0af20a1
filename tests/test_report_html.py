"""The HTML report, rendered by headless Chromium: what a person opening the page sees."""

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli import COPY, WIRE

from fingerprint import Document, compare
from fingerprint.cli import main
from fingerprint.report.html import comparison_page

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Text that is markup only if the report forgot to escape it.
HOSTILE = 'Shares of "A&B" rose <5% <img src=x onerror="document.title=\'pwned\'"> on Monday.'


@pytest.fixture(scope="module")
def browser():
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        pytest.skip("no Chromium binary found (CI installs it: apt-get install -y chromium)")
    return found


@pytest.fixture(scope="module")
def comparison():
    return compare(Document.from_text(WIRE + "\n" + HOSTILE), Document.from_text(COPY + HOSTILE))


@pytest.fixture(scope="module")
def page(comparison, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(comparison_page(comparison, ("wire.txt", "copy.txt")), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(browser, page, tmp_path_factory):
    """The page's DOM after Chromium loaded it and ran its script."""
    profile = tmp_path_factory.mktemp("profile")
    dom = headless(browser, profile, "--dump-dom", page.as_uri()).stdout
    collector = DomCollector()
    collector.feed(dom)
    return collector


def headless(browser, profile, *args):
    # --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


class DomCollector(HTMLParser):
    """What the page shows: its title and verdict, each block's text and marks, ids and links."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images = set(), [], 0
        self.blocks = {}  # id -> {"text": str, "marks": [str], "counterparts": [id]}
        self.title = self.verdict = ""
        self._block = self._capture = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.add(attrs.get("id"))
        self.images += tag == "img"
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "article" and "block" in attrs.get("class", ""):
            self._block = attrs["id"]
            counterparts = attrs.get("data-counterparts", "").split()
            self.blocks[self._block] = {"text": "", "marks": [], "counterparts": counterparts}
        elif tag == "p" and attrs.get("class") == "text" and self._block:
            self._capture = "text"
        elif tag == "mark" and self._capture == "text":
            self._capture = "mark"
            self.blocks[self._block]["marks"].append("")
        elif tag in ("title", "h1"):
            self._capture = tag

    def handle_endtag(self, tag):
        if tag == "mark" and self._capture == "mark":
            self._capture = "text"
        elif tag in ("p", "title", "h1"):
            self._capture = None

    def handle_data(self, data):
        if self._capture in ("text", "mark"):
            self.blocks[self._block]["text"] += data
        if self._capture == "mark":
            self.blocks[self._block]["marks"][-1] += data
        elif self._capture == "title":
            self.title += data
        elif self._capture == "h1":
            self.verdict += data


def test_the_verdict_and_title_are_at_the_top(rendered):
    assert rendered.verdict == "a contains b"
    assert rendered.title == "fingerprint: wire.txt vs copy.txt"


def test_both_articles_show_every_block_as_text(rendered, comparison):
    for side, doc in (("a", comparison.a), ("b", comparison.b)):
        for block in doc.blocks:
            assert rendered.blocks[f"{side}-{block.index}"]["text"] == block.text
    assert rendered.images == 0, "article text must be escaped, not become markup"


def test_matching_spans_are_marked_in_aligned_blocks_only(rendered, comparison):
    first = rendered.blocks["a-1"]
    assert first["marks"] == [
        "A powerful storm struck the northern coast on Monday, "
        "cutting power to thousands of homes and closing the"
    ]
    assert first["text"].endswith(" main harbour road.")
    aligned = {f"a-{p.a}" for p in comparison.pairs} | {f"b-{p.b}" for p in comparison.pairs}
    for block_id, block in rendered.blocks.items():
        assert bool(block["marks"]) == (block_id in aligned), block_id
    assert HOSTILE in rendered.blocks["a-7"]["marks"]


def test_matching_blocks_link_to_each_other(rendered, comparison):
    for pair in comparison.pairs:
        assert f"b-{pair.b}" in rendered.blocks[f"a-{pair.a}"]["counterparts"]
        assert f"a-{pair.a}" in rendered.blocks[f"b-{pair.b}"]["counterparts"]
    assert rendered.links, "aligned and repeated blocks have links"
    assert set(rendered.links) <= rendered.ids
    for block in rendered.blocks.values():
        assert set(block["counterparts"]) <= rendered.ids


def test_the_page_renders_to_a_screenshot(browser, page, tmp_path):
    shot = tmp_path / "report.png"
    headless(
        browser,
        tmp_path / "profile",
        "--window-size=1280,900",
        f"--screenshot={shot}",
        page.as_uri() + "#b-1",
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_command_writes_the_page_beside_its_usual_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("wire.txt").write_text(WIRE, encoding="utf-8")
    Path("copy.txt").write_text(COPY, encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "wire.txt", "copy.txt", "--html", "out.html"])
    assert result.exit_code == 0 and result.stdout.startswith("a contains b: ")
    expected = comparison_page(compare(WIRE, COPY), ("wire.txt", "copy.txt"))
    assert Path("out.html").read_text(encoding="utf-8") == expected
