"""Hostile and unlucky inputs to the command and the API: each ends in one line, the documented
exit status, and bounded time and memory (docs/reliability.md lists them with their commands)."""

import json
import os
import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cli_runner import run
from hostile import run_bounded, write

import fingerprint
from fingerprint import Document, Index
from fingerprint.errors import InputError
from fingerprint.reading import MAX_BYTES, read_text

STORY = "Storms hit the coast on Monday night.\n\nThousands of homes lost power, officials said.\n"
TOO_LARGE = "larger than max_bytes ({}); raise it with --max-bytes"


@pytest.fixture
def story(tmp_path):
    return write(tmp_path / "story.txt", STORY)


# Reading: a size limit on every file, device, pipe and line.


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_compare_stops_reading_dev_zero(story):
    done = run_bounded("compare", "/dev/zero", story, seconds=20)
    assert done.returncode == 1
    assert done.stderr == f"Error: /dev/zero: {TOO_LARGE.format(MAX_BYTES)}\n"
    assert done.stdout == ""
    assert done.seconds < 10
    assert done.peak_mb < 400, "reads the limit and a byte, not more"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_standard_input_without_end_is_bounded(story):
    done = run_bounded("compare", "-", story, "--max-bytes", "1M", stdin="/dev/zero", seconds=20)
    assert (done.returncode, done.stderr) == (1, f"Error: <stdin>: {TOO_LARGE.format(1 << 20)}\n")
    assert done.seconds < 10
    assert done.peak_mb < 200


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_corpus_line_without_end_is_bounded():
    done = run_bounded("dedup", "-", "--max-bytes", "1M", stdin="/dev/zero", seconds=20)
    assert done.returncode == 1
    assert done.stderr == f"Error: <stdin>:1: line {TOO_LARGE.format(1 << 20)}\n"
    assert done.seconds < 10
    assert done.peak_mb < 200


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_corpus_device_without_end_is_bounded():
    done = run_bounded("dedup", "/dev/zero", "--max-bytes", "1M", seconds=20)
    assert done.returncode == 1
    assert done.stderr == f"Error: /dev/zero:1: line {TOO_LARGE.format(1 << 20)}\n"
    assert done.seconds < 10
    assert done.peak_mb < 200


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_corpus_from_a_pipe_is_read_as_standard_input_is(tmp_path):
    import threading

    fifo = tmp_path / "corpus.fifo"
    os.mkfifo(fifo)
    line = '{"id": "%s", "text": "Heavy rain fell overnight on the whole coast."}\n'

    def feed() -> None:
        with fifo.open("w") as pipe:
            pipe.write(line % "a" + line % "b")

    writer = threading.Thread(target=feed)
    writer.start()
    done = run("dedup", str(fifo))
    writer.join()
    assert done.exit_code == 0, done.output
    first, second = (json.loads(x) for x in done.stdout.splitlines()[:2])
    assert (first["id"], second["origin"]) == ("a", "a")


def test_max_bytes_lowers_and_raises_the_limit(tmp_path, story):
    article = write(tmp_path / "long.txt", "Rain fell on the coast. " * 100)  # 2,400 bytes
    refused = run("compare", article, story, "--max-bytes", "2K")
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"Error: {article}: {TOO_LARGE.format(2048)}\n",
    )
    assert run("compare", article, story, "--max-bytes", "3K").exit_code == 0
    assert run("repeats", article, "--max-bytes", "2400").exit_code == 0
    assert run("repeats", article, "--max-bytes", "2399").exit_code == 1


@pytest.mark.parametrize("value", ["0", "-5", "1X", "", "5.5M"])
def test_max_bytes_must_be_a_size(story, value):
    done = run("compare", story, story, "--max-bytes", value)
    assert done.exit_code == 2
    assert f"Invalid value for '--max-bytes': {value!r} is not a size in bytes" in done.stderr


def test_a_long_corpus_line_is_a_bad_record(tmp_path):
    lines = [
        {"id": "a", "text": "Rain fell on the coast all night."},
        {"id": "b", "text": "Rain " * 400},
        {"id": "c", "text": "Snow fell in the hills all night."},
    ]
    corpus = write(tmp_path / "corpus.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    stopped = run("dedup", corpus, "--max-bytes", "1K")
    assert stopped.exit_code == 1
    assert stopped.stderr == f"Error: {corpus}:2: line {TOO_LARGE.format(1024)}\n"
    skipped = run("dedup", corpus, "--max-bytes", "1K", "--skip-bad")
    assert skipped.exit_code == 0
    assert f"Warning: {corpus}:2: line {TOO_LARGE.format(1024)} (skipped)\n" in skipped.stderr
    assert [json.loads(line)["id"] for line in skipped.stdout.splitlines()] == ["a", "c"]
    assert "2 documents added, 1 skipped" in skipped.stderr


def test_a_large_file_of_a_directory_is_a_bad_record(tmp_path):
    (tmp_path / "site").mkdir()
    write(tmp_path / "site" / "big.txt", "Rain fell. " * 200)
    write(tmp_path / "site" / "small.txt", "Snow fell in the hills.")
    done = run("dedup", str(tmp_path / "site"), "--max-bytes", "1K", "--skip-bad")
    assert done.exit_code == 0
    big = tmp_path / "site" / "big.txt"
    assert f"Warning: {big}: {TOO_LARGE.format(1024)} (skipped)" in done.stderr


def test_read_text_checks_max_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("twelve bytes", encoding="utf-8")
    assert read_text(path, max_bytes=12) == "twelve bytes"
    with pytest.raises(InputError, match=r"a\.txt: larger than max_bytes \(11\)"):
        read_text(path, max_bytes=11)
    with pytest.raises(ValueError, match=r"^max_bytes \(0\) must be positive$"):
        read_text(path, max_bytes=0)
    with pytest.raises(TypeError, match=r"^max_bytes must be int, not float$"):
        read_text(path, max_bytes=1e6)


# HTML: limits before the parser, and a linear search for offsets.


def test_html_nested_200000_deep_is_refused_quickly(tmp_path, story):
    page = write(tmp_path / "deep.html", "<div>" * 200_000 + "x" + "</div>" * 200_000)
    done = run_bounded("compare", page, story, seconds=30)  # 156 s in the parser before
    assert done.returncode == 1
    assert done.stderr == f"Error: {page}: HTML nested deeper than max_depth (1000)\n"
    assert done.seconds < 10
    assert done.peak_mb < 300


def test_a_million_paragraphs_of_html_are_refused_quickly(tmp_path, story):
    page = write(tmp_path / "many.html", "<html><body>" + "<p>x y z</p>" * 1_000_000)
    done = run_bounded("repeats", page, seconds=30)  # killed at 24 GB before
    assert done.returncode == 1
    assert done.stderr == f"Error: {page}: HTML with more than max_elements (100000) elements\n"
    assert done.seconds < 10
    assert done.peak_mb < 400


def test_many_distinct_attribute_names_are_refused_quickly(tmp_path):
    attributes = (" ".join(f"a{j}_{i}=1" for i in range(256)) for j in range(2000))
    page = write(tmp_path / "names.html", "".join(f"<p {a}>x</p>" for a in attributes))
    done = run_bounded("repeats", page, seconds=30)  # 67 s in the parser before
    assert done.returncode == 1
    names = "more than max_names (20000) distinct tag and attribute names"
    assert done.stderr == f"Error: {page}: HTML with {names}\n"
    assert done.seconds < 10
    assert done.peak_mb < 300


def test_numeric_references_are_located_in_linear_time(tmp_path):
    """40,000 paragraphs written as numeric character references took 41-64 s in the offset
    search (every text node searched the whole page for characters written otherwise)."""
    paragraphs = [
        "".join(f"&#{0x4E00 + (i * 31 + k * 7) % 20000};" for k in range(10)) for i in range(40_000)
    ]
    page = write(
        tmp_path / "cjk.html",
        "<html><head><title>中文</title></head><body>"
        + "".join(f"<p>{p}</p>\n" for p in paragraphs),
    )
    done = run_bounded("repeats", page, "--json", seconds=60)
    assert done.returncode == 0, done.stderr
    blocks = json.loads(done.stdout)["blocks"]
    assert len(blocks) == 40_001
    html = (tmp_path / "cjk.html").read_text(encoding="utf-8")
    last = blocks[-1]
    assert html[last["start"] : last["end"]] == paragraphs[-1], "offsets still exact"
    assert done.seconds < 15
    assert done.peak_mb < 500


# One line, no traceback: JSON nested deep, dates at the ends of the range.


@pytest.fixture
def deep_corpus(tmp_path):
    deep = '{"id": "deep", "text": "x", "extra": ' + "[" * 1000 + "]" * 1000 + "}"
    fine = json.dumps({"id": "fine", "text": "Rain fell on the coast all night."})
    return write(tmp_path / "deep.jsonl", deep + "\n" + fine + "\n")


def test_json_nested_1000_deep_is_a_bad_record(deep_corpus):
    done = run_bounded("dedup", deep_corpus, seconds=20)
    assert done.returncode == 1
    assert done.stderr == f"Error: {deep_corpus}:1: not valid JSON: nested too deeply\n"
    assert done.seconds < 10


def test_json_nested_1000_deep_is_skipped(deep_corpus):
    done = run_bounded("dedup", deep_corpus, "--skip-bad", seconds=20)
    assert done.returncode == 0
    warning = f"Warning: {deep_corpus}:1: not valid JSON: nested too deeply (skipped)\n"
    assert done.stderr.startswith(warning + "1 document added, 1 skipped\n")
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["fine"]


def test_an_integer_too_long_to_read_is_a_bad_record(tmp_path):
    corpus = write(tmp_path / "c.jsonl", '{"id": ' + "7" * 5000 + ', "text": "x"}\n')
    done = run("dedup", corpus)
    assert done.exit_code == 1
    assert done.stderr == f"Error: {corpus}:1: not valid JSON: a number of more than 4300 digits\n"


@pytest.mark.parametrize("published", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_published_out_of_range_in_utc(tmp_path, published):
    line = json.dumps({"id": "a", "text": "Rain fell.", "published": published})
    corpus = write(tmp_path / "c.jsonl", line + "\n")
    done = run("dedup", corpus)
    assert done.exit_code == 1
    assert done.stderr == f'Error: {corpus}:1: "published" ("{published}") is out of range in UTC\n'
    with pytest.raises(ValueError, match=re.escape(f"published ('{published}') is out of range")):
        Document.from_text("Rain fell.", published=published)
    with pytest.raises(ValueError, match="out of range in UTC"):
        Index().expire(published)
    expired = run("index", "expire", "--before", published, "--db", str(tmp_path / "x.db"))
    assert expired.exit_code == 2
    assert f"Invalid value for '--before': '{published}' is out of range in UTC" in expired.stderr


def test_a_datetime_out_of_range_in_utc():
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValueError, match=r"^published \('0001-01-01T00:00:00\+01:00'\) is out"):
        Document.from_text("Rain fell.", published=early)
    late = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert Document.from_text("Rain.", published=late).published == datetime(9999, 12, 31, 23, 59)


def test_dates_at_the_ends_of_the_range_without_offsets_are_accepted(tmp_path):
    lines = [
        {"id": "a", "text": "Rain fell on the coast all night.", "published": "0001-01-01"},
        {"id": "b", "text": "Rain fell on the coast all night.", "published": "9999-12-31T23:59"},
    ]
    corpus = write(tmp_path / "c.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    done = run("dedup", corpus)
    assert done.exit_code == 0, done.stderr
    assert "  a <- b" in done.stderr


# Output that cannot be written, input that is not there.

FULL = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
NO_SPACE = "cannot write (No space left on device)"


@FULL
@pytest.mark.parametrize("command", [["compare"], ["compare", "--json"], ["repeats"]])
def test_standard_output_on_a_full_disk(story, command):
    files = [story, story] if command[0] == "compare" else [story]
    done = run_bounded(command[0], *files, *command[1:], stdout="/dev/full", seconds=20)
    assert (done.returncode, done.stderr) == (1, f"Error: <stdout>: {NO_SPACE}\n")


@FULL
def test_dedup_lines_on_a_full_disk(tmp_path):
    corpus = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": "Rain fell."}) + "\n")
    to_stdout = run_bounded("dedup", corpus, stdout="/dev/full", seconds=20)
    assert (to_stdout.returncode, to_stdout.stderr) == (1, f"Error: <stdout>: {NO_SPACE}\n")
    to_out = run_bounded("dedup", corpus, "--out", "/dev/full", seconds=20)
    assert (to_out.returncode, to_out.stderr) == (1, f"Error: /dev/full: {NO_SPACE}\n")
    page = run_bounded("compare", corpus, corpus, "--html", "/dev/full", seconds=20)
    assert (page.returncode, page.stderr) == (1, f"Error: /dev/full: {NO_SPACE}\n")


@pytest.mark.parametrize("command", [["compare", "-", "STORY"], ["repeats", "-"], ["dedup", "-"]])
def test_standard_input_closed(story, command):
    args = [story if arg == "STORY" else arg for arg in command]
    done = run_bounded(*args, shell_redirect="<&-", seconds=20)
    assert (done.returncode, done.stderr) == (1, "Error: <stdin>: standard input is closed\n")


@pytest.mark.parametrize("command", [["compare", "STORY", "STORY"], ["repeats", "STORY"]])
def test_standard_output_closed(story, command):
    args = [story if arg == "STORY" else arg for arg in command]
    done = run_bounded(*args, shell_redirect=">&-", seconds=20)
    assert (done.returncode, done.stderr) == (
        1,
        "Error: <stdout>: closed, nothing can be written\n",
    )


# Terminal output: control characters from the data are shown, never obeyed.

HOSTILE = "Rain fell \x1b]0;owned\x07 on the \x1b[31mcoast\x1b[0m all night \u202eand day\x9b2J."


def test_compare_shows_control_characters_as_escapes(tmp_path):
    a = write(tmp_path / "a.txt", HOSTILE + "\n\nOnly here, a paragraph of its own \x1b[2J.\n")
    b = write(tmp_path / "b\x1b[5mname.txt", HOSTILE + "\n")
    for color in ("--color", "--no-color"):
        done = run("compare", a, b, color)
        assert done.exit_code == 0
        assert "\x07" not in done.stdout and "\x9b" not in done.stdout
        assert "\u202e" not in done.stdout and "\x1b]" not in done.stdout
        assert "\x1b[31m" not in done.stdout and "\x1b[2J" not in done.stdout
        assert "\x1b[5m" not in done.stdout
        assert "\\x1b]0;owned\\x07" in done.stdout and "\\u202e" in done.stdout
        assert "b\\x1b[5mname.txt" in done.stdout
    plain = run("compare", a, b, "--no-color").stdout
    assert "\x1b" not in plain
    assert "[1] Only here, a paragraph of its own \\x1b[2J." in plain


def test_repeats_shows_control_characters_as_escapes(tmp_path):
    page = write(tmp_path / "a.txt", f"{HOSTILE}\n\nStory.\n\n{HOSTILE}\n")
    done = run("repeats", page)
    assert done.exit_code == 0
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\x9b" not in done.stdout
    assert "\\x1b[31mcoast\\x1b[0m" in done.stdout


def test_dedup_summary_and_warnings_show_control_characters_as_escapes(tmp_path):
    footer = "Follow us \x1b]52;c;cm0gLXJmIH4=\x07 on every network for the news of the day."
    source = "site\x1b[2J"
    records = [
        {
            "id": f"p{i}\x1b[8m",
            "source": source,
            "text": f"Story {i} of the day, all new.\n\n{footer}",
        }
        for i in range(5)
    ]
    records.append({"id": "copy\x9b", "text": records[0]["text"]})
    records.append({"id": "p1\x1b[8m", "text": "A duplicate id."})
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    corpus = write(tmp_path / "c.jsonl", lines)
    done = run("dedup", corpus, "--skip-bad")
    assert done.exit_code == 0
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr and "\x9b" not in done.stderr
    assert '"p1\\u001b[8m"' in done.stderr, "the warning names the id, as JSON escapes it"
    assert "copy\\x9b" in done.stderr, "the cluster names the copy, escaped"
    assert "  site\\x1b[2J" in done.stderr, "the furniture's source, escaped"
    assert "Follow us \\x1b]52;c;cm0gLXJmIH4=\\x07 on every" in done.stderr
    assert "\\u001b" in done.stdout and "\x1b" not in done.stdout, "JSON escapes them itself"


# compare: a limit on the aligned pairs of one comparison.


def test_documents_aligning_in_millions_of_pairs_are_refused_in_one_line(tmp_path):
    # Two shingles a paragraph, one of them shared by all: each of the 1,500 x 1,500 pairs
    # holds half of each block and aligns, 2.25 million pairs (9 million took 988 MB before).
    a = write(tmp_path / "a.txt", "\n\n".join(f"a{i} and more words" for i in range(1500)))
    b = write(tmp_path / "b.txt", "\n\n".join(f"b{i} and more words" for i in range(1500)))
    done = run_bounded("compare", a, b, seconds=60)
    assert done.returncode == 1
    assert done.stderr == (
        "Error: the two documents align in more than 1000000 block pairs, the limit "
        "(docs/reliability.md)\n"
    )
    assert done.peak_mb < 400


def test_the_api_raises_input_error_past_the_limit_of_aligned_pairs():
    def side(name: str) -> str:
        return "\n\n".join(f"{name}{i} and more words" for i in range(1100))

    with pytest.raises(InputError, match="align in more than 1000000 block pairs"):
        fingerprint.compare(side("a"), side("b"))
    assert fingerprint.compare(side("a")[:5_000], side("b")[:5_000]).pairs, "under it: pairs"


# Under a memory limit: one line, never an abort of the core.


@pytest.fixture(scope="module")
def twenty_megabytes(tmp_path_factory) -> str:
    """100,000 paragraphs of 30 words out of 50,000: 2.8 million shingles, 20 MB."""
    rng = random.Random(1)
    words = [f"w{i}" for i in range(50_000)]
    paragraphs = (" ".join(rng.choices(words, k=30)) for _ in range(100_000))
    return write(tmp_path_factory.mktemp("big") / "big.txt", "\n\n".join(paragraphs))


@pytest.mark.parametrize("command", ["repeats", "compare"])
def test_under_a_memory_limit_the_core_fails_in_one_line(twenty_megabytes, command):
    args = [twenty_megabytes] * (2 if command == "compare" else 1)
    outcomes = set()
    for megabytes in (150, 200, 250, 300, 400):
        done = run_bounded(command, *args, seconds=60, address_space=megabytes << 20)
        if done.returncode != 0:  # 134 was an abort: "memory allocation of N bytes failed"
            assert (done.returncode, done.stderr) == (
                1,
                "Error: not enough memory for these inputs\n",
            ), megabytes
        outcomes.add(done.returncode)
    assert 1 in outcomes, "some limit is too low for the work"


@pytest.fixture(scope="module")
def seventy_megabytes(tmp_path_factory) -> str:
    """A JSON lines corpus of 40,000 documents of six 40-word paragraphs: 73 MB."""
    rng = random.Random(2)
    words = [f"w{i}" for i in range(200_000)]
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as lines:
        for i in range(40_000):
            text = "\n\n".join(" ".join(rng.choices(words, k=40)) for _ in range(6))
            lines.write(json.dumps({"id": str(i), "text": text}) + "\n")
    return str(path)


def test_an_index_growing_past_a_memory_limit_fails_in_one_line(seventy_megabytes):
    # It needs about 400 MB of address space; it aborted at 200-300 MB (exit 134) before.
    for megabytes in (200, 300):
        cap = megabytes << 20
        done = run_bounded(
            "dedup", seventy_megabytes, "--out", os.devnull, seconds=60, address_space=cap
        )
        assert (done.returncode, done.stderr.splitlines()[-1]) == (
            1,
            "Error: not enough memory for these inputs",
        ), megabytes
