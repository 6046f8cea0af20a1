"""The `fingerprint` command, invoked: exact output, JSON schemas, exit codes, docs that match."""

import doctest
import json
import random
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import docs, installed_script, run

# A wire story and a trimmed copy: one paragraph edited, two merged, one added by the outlet.
# docs/cli.md shows the same two files and the exact output below.
WIRE = """\
Storm hits coast

A powerful storm struck the northern coast on Monday, cutting power to thousands of homes and \
closing the main harbour road.

Officials said the winds reached 120 km/h at their peak, tearing roofs from houses in three \
villages.

Emergency crews worked through the night to clear fallen trees from the railway line.

Photo: waves break over the harbour wall.

The weather service expects calmer conditions by Wednesday.

Photo: waves break over the harbour wall.
"""
COPY = """\
A powerful storm struck the northern coast on Monday, cutting power to thousands of homes and \
closing the harbour road.

Officials said the winds reached 120 km/h at their peak, tearing roofs from houses in three \
villages. Emergency crews worked through the night to clear fallen trees from the railway line.

Local councillor Jane Smith said the town hall would open as a shelter.
"""

COMPARE_OUTPUT = """\
a contains b: jaccard 0.59, a_in_b 0.75, b_in_a 0.75
a: wire.txt (7 blocks, coverage 0.73)
b: copy.txt (3 blocks, coverage 0.81)

Aligned blocks: 3 pairs

a[1] ~ b[0]  near-duplicate, similarity 0.76
[1] A powerful storm struck the northern coast   | [0] A powerful storm struck the northern coast
    on Monday, cutting power to thousands of     |     on Monday, cutting power to thousands of
    homes and closing the main harbour road.     |     homes and closing the harbour road.

a[2] ~ b[1]  near-duplicate, similarity 0.53
a[3] ~ b[1]  contained (a in b), similarity 0.40
[2] Officials said the winds reached 120 km/h at | [1] Officials said the winds reached 120 km/h at
    their peak, tearing roofs from houses in     |     their peak, tearing roofs from houses in
    three villages.                              |     three villages. Emergency crews worked
                                                 |     through the night to clear fallen trees from
[3] Emergency crews worked through the night to  |     the railway line.
    clear fallen trees from the railway line.    |

Only in a: 4 blocks
  [0] heading: Storm hits coast
  [4] Photo: waves break over the harbour wall.
  [5] The weather service expects calmer conditions by Wednesday.
  [6] Photo: waves break over the harbour wall.

Only in b: 1 block
  [2] Local councillor Jane Smith said the town hall would open as a shelter.

Repeated in a: 1 group
  blocks 4, 6: Photo: waves break over the harbour wall.

Repeated in b: 0 groups
"""

REPEATS_OUTPUT = """\
wire.txt: 1 group of repeated blocks among 7 blocks (threshold 0.80)

Group 1: blocks 4, 6
  [4] Photo: waves break over the harbour wall.
  [6] Photo: waves break over the harbour wall.
"""

COMPARISON_KEYS = [
    "files",
    "verdict",
    "jaccard",
    "containment",
    "coverage",
    "blocks",
    "pairs",
    "only_a",
    "only_b",
    "repeated",
]
BLOCK_KEYS = ["index", "kind", "start", "end", "text"]
PAIR_KEYS = ["a", "b", "similarity", "relation", "a_in_b", "b_in_a"]
VERDICTS = {"same_article", "a_contains_b", "b_contains_a", "partial_overlap", "unrelated"}
RELATIONS = {"identical", "near-duplicate", "contained"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def articles(tmp_path, monkeypatch):
    """wire.txt and copy.txt in the working directory, so outputs name them as a user typed them."""
    monkeypatch.chdir(tmp_path)
    Path("wire.txt").write_text(WIRE, encoding="utf-8")
    Path("copy.txt").write_text(COPY, encoding="utf-8")
    return tmp_path


def ok(*args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_compare_prints_the_exact_report(articles):
    assert ok("compare", "wire.txt", "copy.txt") == COMPARE_OUTPUT


def test_color_highlights_matching_words_and_nothing_else(articles):
    colored = ok("compare", "wire.txt", "copy.txt", "--color")
    assert "\x1b[32m\x1b[1mhomes and closing the\x1b[0m main harbour road." in colored
    assert ANSI.sub("", colored) == COMPARE_OUTPUT
    assert ok("compare", "wire.txt", "copy.txt", "--no-color") == COMPARE_OUTPUT


def test_standard_input_stands_for_either_file(articles):
    from_stdin = ok("compare", "wire.txt", "-", input=COPY)
    assert from_stdin == COMPARE_OUTPUT.replace("b: copy.txt", "b: <stdin>")
    as_json = json.loads(ok("compare", "-", "copy.txt", "--json", input=WIRE))
    assert as_json["files"] == {"a": "<stdin>", "b": "copy.txt"}


def test_compare_json_follows_the_documented_schema(articles):
    report = json.loads(ok("compare", "wire.txt", "copy.txt", "--json"))
    assert list(report) == COMPARISON_KEYS
    assert report["files"] == {"a": "wire.txt", "b": "copy.txt"}
    assert report["verdict"] in VERDICTS
    assert list(report["containment"]) == ["a_in_b", "b_in_a"]
    assert list(report["coverage"]) == ["a", "b"]
    for score in (report["jaccard"], *report["containment"].values(), *report["coverage"].values()):
        assert isinstance(score, float) and 0.0 <= score <= 1.0
    for side, text in (("a", WIRE), ("b", COPY)):
        check_blocks(report["blocks"][side], text)
    assert report["pairs"], "the fixture has aligned blocks"
    for pair in report["pairs"]:
        assert list(pair) == PAIR_KEYS and pair["relation"] in RELATIONS
        assert 0 <= pair["a"] < len(report["blocks"]["a"])
        assert 0 <= pair["b"] < len(report["blocks"]["b"])
    aligned_a = {pair["a"] for pair in report["pairs"]}
    assert sorted(aligned_a | set(report["only_a"])) == list(range(len(report["blocks"]["a"])))
    assert not aligned_a & set(report["only_a"])
    assert report["repeated"] == {"a": [[4, 6]], "b": []}


def check_blocks(blocks, text):
    assert [block["index"] for block in blocks] == list(range(len(blocks)))
    for block in blocks:
        assert list(block) == BLOCK_KEYS
        assert isinstance(block["kind"], str) and isinstance(block["text"], str)
        assert text[block["start"] : block["end"]] == block["text"]


def test_repeats_prints_each_group_with_its_blocks(articles):
    assert ok("repeats", "wire.txt") == REPEATS_OUTPUT
    assert (
        ok("repeats", "copy.txt")
        == "copy.txt: no repeated blocks among 3 blocks (threshold 0.80)\n"
    )


def test_repeats_json_has_the_blocks_of_compare_and_the_groups(articles):
    report = json.loads(ok("repeats", "wire.txt", "--json", "--threshold", "0.9"))
    assert list(report) == ["file", "threshold", "blocks", "groups"]
    assert report["threshold"] == 0.9 and report["groups"] == [[4, 6]]
    compared = json.loads(ok("compare", "wire.txt", "copy.txt", "--json"))
    assert report["blocks"] == compared["blocks"]["a"]


def test_html_input_is_read_as_html(articles):
    page = "<html><body><h1>Storm hits coast</h1>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in WIRE.split("\n\n")[1:4]
    )
    Path("wire.htm").write_text(page, encoding="utf-8")
    report = json.loads(ok("compare", "wire.htm", "wire.txt", "--json"))
    assert report["blocks"]["a"][0]["kind"] == "heading"
    assert [p["relation"] for p in report["pairs"][:4]] == ["identical"] * 4


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["compare"],
        ["compare", "wire.txt"],
        ["compare", "-", "-"],
        ["compare", "wire.txt", "copy.txt", "--no-such-option"],
        ["repeats", "wire.txt", "--threshold", "0"],
        ["repeats", "wire.txt", "--threshold", "many"],
        ["repeats", "wire.txt", "--encoding", "klingon"],
        ["no-such-command"],
    ],
)
def test_wrong_usage_exits_2(articles, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, ["missing.txt"], "Error: missing.txt: not found"),
        (None, ["."], "Error: .: is a directory, not a file"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ["bad.txt"], "Error: bad.txt: binary data, not text"),
        (
            "Caf\u00e9 society".encode("cp1252"),
            ["bad.txt", "--encoding", "utf-8"],
            "Error: bad.txt: cannot decode as utf-8 (byte 0xe9 at offset 3)",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(articles, content, args, message):
    if content is not None:
        Path("bad.txt").write_bytes(content)
    for command in (["compare", "wire.txt", *args], ["repeats", *args]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_an_html_report_that_cannot_be_written_is_exit_1(articles):
    result = run("compare", "wire.txt", "copy.txt", "--html", "no/such/dir/report.html")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no/such/dir/report.html: cannot write")


def test_report_examples_run():
    import fingerprint.report.matches

    assert doctest.testmod(fingerprint.report.matches).failed == 0


def test_version():
    from fingerprint import __version__

    assert ok("--version") == f"fingerprint, version {__version__}\n"


@pytest.mark.parametrize(
    "command", [[], ["compare"], ["repeats"]], ids=["main", "compare", "repeats"]
)
def test_docs_quote_every_help_verbatim(command):
    """docs/cli.md cannot drift: each command's --help appears there as it is."""
    help_text = ok(*command, "--help")
    assert f"```text\n$ fingerprint {' '.join([*command, '--help'])}\n{help_text}```" in docs(), (
        f"docs/cli.md must quote `fingerprint {' '.join(command)} --help` verbatim:\n{help_text}"
    )


def test_docs_show_the_real_output_of_their_examples(articles):
    text = docs()
    assert WIRE in text and COPY in text
    for args in (
        ["compare", "wire.txt", "copy.txt"],
        ["compare", "wire.txt", "copy.txt", "--json"],
        ["repeats", "wire.txt"],
        ["repeats", "wire.txt", "--json"],
    ):
        output = ok(*args)
        assert f"$ fingerprint {' '.join(args)}\n{output}```" in text, f"{args}:\n{output}"


def test_the_installed_command_runs(articles):
    script = installed_script()
    done = subprocess.run([script, "compare", "wire.txt", "copy.txt"], capture_output=True)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode() == COMPARE_OUTPUT
    missing = subprocess.run([script, "repeats", "missing.txt"], capture_output=True, text=True)
    assert (missing.returncode, missing.stderr) == (1, "Error: missing.txt: not found\n")


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run(
        [sys.executable, "-m", "fingerprint", "repeats", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == ok("repeats", "--help")


def test_compare_imports_only_what_plain_text_needs(articles):
    code = (
        "import sys; from fingerprint.cli import main\n"
        "try: main(['compare', 'wire.txt', 'copy.txt'])\n"
        "except SystemExit: print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    modules = set(done.stderr.split())
    assert "fingerprint.report.terminal" in modules
    assert not modules & {
        "json",
        "numpy",
        "selectolax",
        "charset_normalizer",
        "fingerprint.report.as_json",
        "fingerprint.report.html",
        "fingerprint.html",
        # the corpus commands' own modules and storage
        "fingerprint.corpus",
        "fingerprint.progress",
        "fingerprint.summary",
        "sqlite3",
    }


def test_a_100_mb_file_gives_a_result(tmp_path):
    """A 100 MB article, allowed by --max-bytes, is read once and compared, without crashing.

    Its words are long (200 letters), so it holds ~500,000 shingles instead of the ~17 million of
    100 MB of ordinary prose: every per-byte step (reading, decoding, segmenting, tokenizing)
    sees the full 100 MB, while the per-shingle steps stay quick enough for every test run.
    """
    big = tmp_path / "big.txt"
    write_large_article(big, 100_000_000)
    small = tmp_path / "small.txt"
    small.write_text(WIRE, encoding="utf-8")
    done = subprocess.run(
        [installed_script(), "compare", str(small), str(big), "--json", "--max-bytes", "128M"],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["verdict"] == "unrelated"
    assert report["blocks"]["b"][-1]["end"] > 99_000_000


def write_large_article(path, size):
    """Paragraphs of 40 words drawn from 5,000 made-up words of 200 letters, the same every run."""
    rng = random.Random(0)
    pool = ["".join(rng.choices(string.ascii_lowercase, k=200)) for _ in range(5000)]
    written = 0
    with path.open("w", encoding="ascii") as file:
        while written < size:
            written += file.write(" ".join(rng.choices(pool, k=40)) + "\n\n")
