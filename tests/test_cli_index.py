"""`fingerprint dedup` and `fingerprint index`: corpora in, exact JSON lines and summaries out,
bad lines named by number, and nothing lost in the database when a run stops."""

import doctest
import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import click
import pytest
from cli_runner import docs, installed_script, run

import fingerprint.corpus
import fingerprint.progress
import fingerprint.summary
from fingerprint import Index, Recipe
from fingerprint.cli import main

# A wire story; four pages of the Gazette, each with the same newsletter teaser and "Search
# Trends" footer, one of them a trimmed copy of the wire story; the Herald's HTML copy of it.
# docs/cli.md shows this corpus and the exact output below.
WIRE = [
    "Storm hits coast",
    "A powerful storm struck the northern coast on Monday, cutting power to thousands of homes "
    "and closing the main harbour road.",
    "Officials said the winds reached 120 km/h at their peak, tearing roofs from houses in three "
    "villages.",
    "Emergency crews worked through the night to clear fallen trees from the railway line.",
    "Photo: waves break over the harbour wall.",
    "The weather service expects calmer conditions by Wednesday.",
    "Photo: waves break over the harbour wall.",
]
NEWSLETTER = "Get the Gazette newsletter"
TRENDS = "Search Trends: storm, harbour"


def gazette(*paragraphs):
    return "\n\n".join([NEWSLETTER, *paragraphs, TRENDS])


CORPUS = [
    {
        "id": "wire-storm",
        "source": "wire",
        "published": "2024-05-01T06:00:00",
        "text": "\n\n".join(WIRE),
    },
    {
        "id": "gazette-rates",
        "source": "gazette",
        "published": "2024-05-01",
        "text": gazette(
            "The central bank raised its main interest rate by a quarter point on Tuesday, the "
            "third rise this year.",
            "Mortgage lenders said monthly repayments would climb for about two million "
            "households.",
        ),
    },
    {
        "id": "gazette-derby",
        "source": "gazette",
        "published": "2024-05-02",
        "text": gazette(
            "United came from two goals down to beat City in the last minute of the derby on "
            "Saturday evening.",
            "The manager praised the young striker who scored twice after coming on as a "
            "substitute.",
        ),
    },
    {
        "id": "gazette-garden",
        "source": "gazette",
        "published": "2024-05-02",
        "text": gazette(
            "The botanical garden reopened its glasshouse after a two year restoration paid for "
            "by local donors.",
            "Visitors can see more than four hundred species of tropical plants from next weekend.",
        ),
    },
    {
        "id": "gazette-storm",
        "source": "gazette",
        "published": "2024-05-02",
        "text": gazette(
            WIRE[1].replace("the main harbour road", "the harbour road"), f"{WIRE[2]} {WIRE[3]}"
        ),
    },
    {
        "id": "herald-storm",
        "source": "herald",
        # 07:00 UTC: after the wire story, though the local date and hour are later.
        "published": "2024-05-01T09:00:00+02:00",
        "html": "<h1>Coast battered</h1>" + "".join(f"<p>{p}</p>" for p in WIRE[1:3]),
    },
]
CORPUS_JSONL = "".join(json.dumps(record) + "\n" for record in CORPUS)

NEAR, SAME, INSIDE = "near-duplicate", "same_article", "b_contains_a"
# Per line: id, repeated, boilerplate (block, count), matches, origin. A match: id, verdict,
# containment, contained, jaccard (to 4 places), aligned pairs (a, b, relation).
REPORTS = [
    ("wire-storm", [[4, 6]], [], [], None),
    ("gazette-rates", [], [], [], None),
    ("gazette-derby", [], [], [], None),
    ("gazette-garden", [], [], [], None),
    (
        "gazette-storm",
        [],
        [(0, 3), (3, 3)],
        [
            (
                "wire-storm",
                SAME,
                0.9167,
                0.7586,
                0.7097,
                [(1, 1, NEAR), (2, 2, NEAR), (2, 3, "contained")],
            )
        ],
        "wire-storm",
    ),
    (
        "herald-storm",
        [],
        [],
        [
            ("wire-storm", INSIDE, 1.0, 0.6034, 0.6034, [(1, 1), (2, 2)]),
            ("gazette-storm", SAME, 0.9143, 0.6667, 0.6275, [(1, 1, NEAR), (2, 2, NEAR)]),
        ],
        "wire-storm",
    ),
]
SUMMARY = """\
6 documents added

1 cluster of copies, largest first (origin <- copies):
  wire-storm <- herald-storm, gazette-storm

Page furniture, most frequent blocks per source (documents holding each):
  gazette
      4  Get the Gazette newsletter
      4  Search Trends: storm, harbour
"""
REPORT_KEYS = ["id", "repeated", "boilerplate", "matches", "origin"]
MATCH_KEYS = ["id", "source", "published", "containment", "contained", "jaccard", "verdict"]
PAIR_KEYS = ["a", "b", "similarity", "relation"]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """corpus.jsonl in the working directory, so messages name it as a user typed it."""
    monkeypatch.chdir(tmp_path)
    Path("corpus.jsonl").write_text(CORPUS_JSONL, encoding="utf-8")
    return tmp_path


def ok(*args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result


def reports(output):
    return [json.loads(line) for line in output.splitlines()]


def project(report):
    """A report as in REPORTS: exact ids, blocks and verdicts, scores to 4 places."""
    assert list(report) == REPORT_KEYS
    return (
        report["id"],
        report["repeated"],
        [(b["block"], b["count"]) for b in report["boilerplate"]],
        [project_match(match) for match in report["matches"]],
        report["origin"],
    )


def project_match(match):
    assert list(match) == [*MATCH_KEYS, "pairs"]
    assert all(list(pair) == PAIR_KEYS for pair in match["pairs"])
    scores = [round(match[key], 4) for key in ("containment", "contained", "jaccard")]
    pairs = [
        (p["a"], p["b"]) if p["relation"] == "identical" else (p["a"], p["b"], p["relation"])
        for p in match["pairs"]
    ]
    return (match["id"], match["verdict"], *scores, pairs)


# -- dedup ----------------------------------------------------------------------------------------


def test_dedup_writes_a_report_per_document_then_the_summary(corpus):
    result = ok("dedup", "corpus.jsonl")
    assert [project(report) for report in reports(result.stdout)] == REPORTS
    assert result.stderr == SUMMARY


def test_matches_name_the_earlier_document_and_its_source_and_date(corpus):
    herald = reports(ok("dedup", "corpus.jsonl").stdout)[5]
    wire, copy = herald["matches"]
    assert (wire["source"], wire["published"]) == ("wire", "2024-05-01T06:00:00")
    assert (copy["source"], copy["published"]) == ("gazette", "2024-05-02T00:00:00")
    assert [p["similarity"] for p in wire["pairs"]] == [1.0, 1.0]


def test_out_takes_the_json_lines_and_the_summary_goes_to_stdout(corpus):
    result = ok("dedup", "corpus.jsonl", "--out", "results.jsonl")
    assert (result.stdout, result.stderr) == (SUMMARY, "")
    lines = Path("results.jsonl").read_text(encoding="utf-8")
    assert lines == ok("dedup", "corpus.jsonl").stdout


def test_index_options_change_what_is_found(corpus):
    strict = reports(ok("dedup", "corpus.jsonl", "--boilerplate-min", "2").stdout)
    assert [[(b["block"], b["count"]) for b in r["boilerplate"]] for r in strict] == [
        [],
        [],
        [],
        [(0, 2), (3, 2)],
        [(0, 3), (3, 3)],
        [],
    ]
    only_copies = reports(ok("dedup", "corpus.jsonl", "--min-containment", "0.95").stdout)
    assert [[m["id"] for m in r["matches"]] for r in only_copies] == [
        [],
        [],
        [],
        [],
        [],
        ["wire-storm"],
    ]
    found = [len(r["matches"]) for r in reports(ok("dedup", "corpus.jsonl").stdout)]
    fewer = reports(ok("dedup", "corpus.jsonl", "--min-shared", "10000").stdout)
    assert sum(found) > sum(len(r["matches"]) for r in fewer)


def test_the_summary_shortens_long_furniture_and_counts_the_pages_holding_it(corpus):
    teaser = "Read more: " + " ".join(f"headline number {i} of the day," for i in range(12))
    pages = [
        {"id": f"p{i}", "source": "site", "text": f"{teaser}\n\nStory {i}: {story}"}
        for i, story in enumerate(["Rain fell all night.", "Markets rose.", "A team won."])
    ]
    Path("pages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pages), "utf-8")
    summary = ok("dedup", "pages.jsonl", "--boilerplate-min", "1").stderr
    assert summary.endswith(
        "  site\n      3  Read more: headline number 0 of the day, headline number 1 of the ...\n"
    )


def test_undated_copies_have_the_first_added_as_origin(corpus):
    story = "Heavy rain fell overnight on the whole coast, flooding roads and closing schools."
    lines = [{"id": "z-first", "text": story}, {"id": "a-second", "text": story}]
    Path("undated.jsonl").write_text("".join(json.dumps(d) + "\n" for d in lines), "utf-8")
    result = ok("dedup", "undated.jsonl")
    assert [r["origin"] for r in reports(result.stdout)] == [None, "z-first"]
    assert "  z-first <- a-second\n" in result.stderr


def test_standard_input_is_json_lines(corpus):
    result = ok("dedup", "-", input=CORPUS_JSONL)
    assert [project(report) for report in reports(result.stdout)] == REPORTS
    assert result.stderr == SUMMARY
    bad = run("dedup", "-", input=CORPUS_JSONL + "{}\n")
    assert (bad.exit_code, bad.stderr) == (1, 'Error: <stdin>:7: missing "id"\n')


def test_a_directory_is_a_corpus_of_files(corpus):
    """Ids are paths in the directory, sources the top-level directories; other files are left."""
    files = {
        "wire-storm.txt": CORPUS[0]["text"],
        "gazette/rates.txt": CORPUS[1]["text"],
        "gazette/2024/storm.TXT": CORPUS[4]["text"],
        "herald/storm.html": CORPUS[5]["html"],
        "herald/notes.md": "Not an article.",
        "herald/.draft.txt": CORPUS[5]["html"],
        ".cache/copy.txt": CORPUS[0]["text"],
    }
    for name, text in files.items():
        Path("site", name).parent.mkdir(parents=True, exist_ok=True)
        Path("site", name).write_text(text, encoding="utf-8")
    lines = reports(ok("dedup", "site").stdout)
    assert [r["id"] for r in lines] == [
        "gazette/2024/storm.TXT",
        "gazette/rates.txt",
        "herald/storm.html",
        "wire-storm.txt",
    ]
    assert [(m["id"], m["source"], m["published"]) for m in lines[3]["matches"]] == [
        ("gazette/2024/storm.TXT", "gazette", None),
        ("herald/storm.html", "herald", None),
    ]
    assert lines[3]["repeated"] == [[4, 6]] and lines[3]["origin"] == "gazette/2024/storm.TXT"


def test_an_unreadable_file_in_a_directory_stops_or_is_skipped(corpus):
    Path("site").mkdir()
    Path("site/a.txt").write_text(CORPUS[0]["text"], encoding="utf-8")
    Path("site/b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    stopped = run("dedup", "site")
    assert (stopped.exit_code, stopped.stderr) == (1, "Error: site/b.txt: binary data, not text\n")
    assert [r["id"] for r in reports(stopped.stdout)] == ["a.txt"]
    skipped = ok("dedup", "site", "--skip-bad")
    assert skipped.stderr.startswith(
        "Warning: site/b.txt: binary data, not text (skipped)\n1 document added, 1 skipped\n"
    )


# -- bad lines ------------------------------------------------------------------------------------

BAD_LINES = [
    (b'{"id": "late-1", "text": 5}', '"text" must be a string, not number'),
    (b'{"id": "late-1", "text": "t", "html": "<p>t</p>"}', 'has both "text" and "html"; give one'),
    (b'{"id": "late-1"}', 'missing "text" or "html"'),
    (b'{"id": "late-1", "text": null, "html": null}', 'missing "text" or "html"'),
    (b'{"text": "A story without an id."}', 'missing "id"'),
    (b'{"id": ["late-1"], "text": "t"}', '"id" must be a string or an integer, not array'),
    (b'{"id": "", "text": "t"}', '"id" is empty'),
    (b'{"id": "late-1", "text": "t", "source": 3}', '"source" must be a string, not number'),
    (
        b'{"id": "late-1", "text": "t", "published": "May 1"}',
        '"published" ("May 1") is not an ISO 8601 date or time',
    ),
    (
        b'{"id": "late-1", "text": "unterminated}',
        "not valid JSON: Unterminated string starting at (column 26)",
    ),
    (b'{"id": "late-1", "text": "a"', "not valid JSON: Expecting ',' delimiter (column 29)"),
    (b"[1, 2]", "not a JSON object: array"),
    (b'{"id": "late-\\ud800", "text": "t"}', '"id" has a lone surrogate (\\ud800)'),
    (b'{"id": "late-1", "text": "Caf\xe9"}', "cannot decode as utf-8 (byte 0xe9 at column 30)"),
    (b'{"id": "wire-storm", "text": "t"}', 'duplicate id "wire-storm" (first at corpus.jsonl:1)'),
]
LATE = {"id": "late-2", "text": "Fire crews rescued a cat from the town hall roof on Friday."}


def corpus_with(bad_line):
    """The corpus, then the bad line (line 7), then one more good line."""
    Path("corpus.jsonl").write_bytes(
        CORPUS_JSONL.encode() + bad_line + b"\n" + json.dumps(LATE).encode() + b"\n"
    )


@pytest.mark.parametrize(("line", "problem"), BAD_LINES, ids=[p for _, p in BAD_LINES])
def test_a_bad_line_stops_the_run_naming_its_line(corpus, line, problem):
    corpus_with(line)
    result = run("dedup", "corpus.jsonl")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: corpus.jsonl:7: {problem}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert [project(report) for report in reports(result.stdout)] == REPORTS


@pytest.mark.parametrize(("line", "problem"), BAD_LINES, ids=[p for _, p in BAD_LINES])
def test_skip_bad_warns_and_goes_on(corpus, line, problem):
    corpus_with(line)
    result = ok("dedup", "corpus.jsonl", "--skip-bad")
    assert [r["id"] for r in reports(result.stdout)][-2:] == ["herald-storm", "late-2"]
    warning, summary = result.stderr.split("\n", 1)
    assert warning.startswith(f"Warning: corpus.jsonl:7: {problem}") and warning.endswith(
        " (skipped)"
    )
    assert summary.startswith("7 documents added, 1 skipped\n")


def test_blank_lines_are_not_records_but_count_in_line_numbers(corpus):
    Path("corpus.jsonl").write_text("\n" + CORPUS_JSONL + "  \n{}\n", encoding="utf-8")
    result = run("dedup", "corpus.jsonl")
    assert result.stderr == 'Error: corpus.jsonl:9: missing "id"\n'
    assert len(reports(result.stdout)) == 6


def test_integer_ids_and_a_byte_order_mark_are_accepted(corpus):
    Path("ids.jsonl").write_bytes(b'\xef\xbb\xbf{"id": 7, "text": "Seven."}\n')
    assert reports(ok("dedup", "ids.jsonl").stdout)[0]["id"] == "7"


def test_nothing_added_is_lost_when_a_later_line_is_bad(corpus):
    """300 good lines (a full batch of 256 and 44 more), a bad one, a good one: with --db the
    300 are in the database after the run stops, the line after the bad one is not."""
    stories = [
        {"id": f"story-{i}", "text": f"Story {i} tells how {i * 7} people met in town {i % 13}."}
        for i in range(300)
    ]
    lines = [json.dumps(s) for s in stories] + ['{"id": "broken"}', json.dumps(LATE)]
    Path("big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("dedup", "big.jsonl", "--db", "news.db", "--out", "results.jsonl")
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: big.jsonl:301: missing "text" or "html"\n',
    )
    assert len(Path("results.jsonl").read_text().splitlines()) == 300
    with Index("news.db") as index:
        assert len(index) == 300
        assert all(f"story-{i}" in index for i in range(300))
        assert "late-2" not in index and "broken" not in index
    # Run again, skipping: the 300 are already in the index, the last line goes in.
    again = ok("index", "add", "big.jsonl", "--db", "news.db", "--skip-bad")
    assert again.stderr.startswith('Warning: big.jsonl:1: id "story-0" is already in the index')
    assert [r["id"] for r in reports(again.stdout)] == ["late-2"]
    assert "1 document added, 301 skipped\n" in again.stderr
    with Index("news.db") as index:
        assert len(index) == 301


# -- a persistent index ---------------------------------------------------------------------------


def split_corpus():
    """early.jsonl: the wire story and three Gazette pages; late.jsonl: the two copies."""
    lines = CORPUS_JSONL.splitlines(keepends=True)
    Path("early.jsonl").write_text("".join(lines[:4]), encoding="utf-8")
    Path("late.jsonl").write_text("".join(lines[4:]), encoding="utf-8")


def test_index_add_then_query_finds_the_earlier_documents(corpus):
    split_corpus()
    added = ok("index", "add", "early.jsonl", "--db", "news.db")
    assert [project(r) for r in reports(added.stdout)] == REPORTS[:4]
    queried = ok("index", "query", "late.jsonl", "--db", "news.db")
    storm, herald = (project(r) for r in reports(queried.stdout))
    assert storm == REPORTS[4]
    # gazette-storm was only queried, not added: the Herald's copy matches the wire story alone.
    assert herald == (*REPORTS[5][:3], REPORTS[5][3][:1], "wire-storm")
    assert queried.stderr.startswith("2 documents queried\n\n1 cluster of copies")
    assert "  wire-storm <- herald-storm, gazette-storm\n" in queried.stderr
    assert json.loads(ok("index", "stats", "--db", "news.db").stdout)["documents"] == 4


def test_index_stats_is_json(corpus):
    ok("index", "add", "corpus.jsonl", "--db", "news.db")
    stats = json.loads(ok("index", "stats", "--db", "news.db").stdout)
    assert list(stats) == [
        "documents",
        "blocks",
        "postings",
        "bytes",
        "bytes_per_block",
        "sources",
        "recipe",
        "path",
    ]
    assert (stats["documents"], stats["sources"], stats["path"]) == (6, 3, "news.db")
    assert stats["recipe"] == Recipe().id


def test_index_remove_stops_matches(corpus):
    split_corpus()
    ok("index", "add", "early.jsonl", "--db", "news.db")
    assert ok("index", "remove", "wire-storm", "--db", "news.db").stdout == "removed 1 document\n"
    storm, herald = reports(ok("index", "query", "late.jsonl", "--db", "news.db").stdout)
    assert (storm["matches"], storm["origin"]) == ([], None)
    assert (herald["matches"], herald["origin"]) == ([], None)
    missing = run("index", "remove", "gazette-rates", "nope", "--db", "news.db")
    assert (missing.exit_code, missing.stdout) == (1, "removed 1 document\n")
    assert missing.stderr == "Error: news.db: not in the index: nope\n"
    assert json.loads(ok("index", "stats", "--db", "news.db").stdout)["documents"] == 2


def test_index_expire_removes_what_was_published_before_a_date(corpus):
    ok("index", "add", "corpus.jsonl", "--db", "news.db")
    # 07:00 UTC on May 1 (the Herald, 09:00+02:00) is before, 06:00 too, May 1 00:00 too.
    expired = ok("index", "expire", "--before", "2024-05-01T08:00:00+00:00", "--db", "news.db")
    assert expired.stdout == "removed 3 documents published before 2024-05-01T08:00:00+00:00\n"
    with Index("news.db") as index:
        assert sorted(d["id"] for d in CORPUS if d["id"] in index) == [
            "gazette-derby",
            "gazette-garden",
            "gazette-storm",
        ]


def test_the_installed_command_keeps_an_index_across_processes(corpus):
    split_corpus()
    script = installed_script()
    for args in (["index", "add", "early.jsonl"], ["dedup", "late.jsonl"]):
        done = subprocess.run([script, *args, "--db", "news.db"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert [project(r) for r in reports(done.stdout)] == REPORTS[4:]
    assert done.stderr.startswith(
        "2 documents added\n\n1 cluster of copies, largest first (origin <- copies):\n"
        "  wire-storm <- herald-storm, gazette-storm\n"
    )
    piped = subprocess.run(
        [script, "dedup", "-"], input=CORPUS_JSONL, capture_output=True, text=True
    )
    assert piped.returncode == 0 and piped.stderr == SUMMARY
    assert [project(r) for r in reports(piped.stdout)] == REPORTS
    bad = subprocess.run([script, "dedup", "-"], input="{}\n", capture_output=True, text=True)
    assert (bad.returncode, bad.stdout, bad.stderr) == (1, "", 'Error: <stdin>:1: missing "id"\n')


def test_a_progress_bar_is_drawn_on_a_terminal_only(corpus):
    """With standard error on a terminal (a pseudo-terminal here), the bar is drawn there."""
    primary, secondary = pty.openpty()
    args = [installed_script(), "dedup", "corpus.jsonl", "--out", "results.jsonl"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=secondary) as process:
        os.close(secondary)
        drawn = read_terminal(primary)
        summary = process.stdout.read().decode()
    assert process.returncode == 0
    assert summary == SUMMARY
    assert "corpus.jsonl  [####################################]  100%  6 documents" in drawn
    assert ok("dedup", "corpus.jsonl", "--out", "results.jsonl").stderr == ""


def read_terminal(primary):
    """Everything written to a pseudo-terminal until its other end closes."""
    chunks, deadline = [], time.monotonic() + 30
    while time.monotonic() < deadline:
        if select.select([primary], [], [], 1)[0]:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # Linux: the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    os.close(primary)
    return b"".join(chunks).decode()


# -- usage and input errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["dedup"],
        ["dedup", "corpus.jsonl", "--boilerplate-min", "0"],
        ["dedup", "corpus.jsonl", "--min-containment", "0"],
        ["dedup", "corpus.jsonl", "--min-containment", "1.5"],
        ["dedup", "corpus.jsonl", "--min-shared", "0"],
        ["dedup", "corpus.jsonl", "--encoding", "klingon"],
        ["dedup", "corpus.jsonl", "--out", "corpus.jsonl"],
        ["dedup", "corpus.jsonl", "--no-such-option"],
        ["index"],
        ["index", "add", "corpus.jsonl"],
        ["index", "query", "corpus.jsonl"],
        ["index", "remove", "--db", "news.db"],
        ["index", "expire", "--db", "news.db"],
        ["index", "expire", "--before", "soon", "--db", "news.db"],
        ["index", "stats"],
        ["index", "no-such-command"],
    ],
)
def test_wrong_usage_exits_2(corpus, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dedup", "missing.jsonl"], "Error: missing.jsonl: not found"),
        (["index", "query", "corpus.jsonl", "--db", "new.db"], "Error: new.db: not found"),
        (["index", "stats", "--db", "new.db"], "Error: new.db: not found"),
        (["index", "stats", "--db", "corpus.jsonl"], "Error: corpus.jsonl: not an index database"),
        (
            ["dedup", "corpus.jsonl", "--encoding", "utf-16"],
            "Error: corpus.jsonl: JSON lines cannot be read as utf-16; use UTF-8",
        ),
        (
            ["dedup", "corpus.jsonl", "--out", "no/such/dir/results.jsonl"],
            "Error: no/such/dir/results.jsonl: cannot write",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(corpus, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert (result.stdout, result.stderr.count("\n")) == ("", 1)
    assert result.stderr.startswith(message)
    assert not Path("new.db").exists()


def test_a_database_keeps_the_recipe_it_was_made_with(corpus):
    recipe = Recipe(num_perm=64)
    Index("other.db", recipe=recipe).close()
    assert run("index", "add", "corpus.jsonl", "--db", "other.db").exit_code == 0
    stats = json.loads(run("index", "stats", "--db", "other.db").stdout)
    assert stats["recipe"] == recipe.id
    assert stats["documents"] > 0


# -- docs -----------------------------------------------------------------------------------------


def command_paths(command=main, path=()):
    """Every command and subcommand, as the words that invoke it."""
    yield path
    if isinstance(command, click.Group):
        for name, subcommand in sorted(command.commands.items()):
            yield from command_paths(subcommand, (*path, name))


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "main")
def test_docs_quote_every_help_verbatim(path):
    """docs/cli.md cannot drift: every command's and subcommand's --help appears there as it is."""
    help_text = ok(*path, "--help").stdout
    quoted = f"```text\n$ fingerprint {' '.join([*path, '--help'])}\n{help_text}```"
    assert quoted in docs(), f"docs/cli.md must quote `fingerprint {' '.join(path)} --help`"


def test_docs_show_the_real_corpus_and_output(corpus):
    text = docs()
    assert f"```json\n{CORPUS_JSONL}```" in text
    result = ok("dedup", "corpus.jsonl", "--out", "results.jsonl")
    assert f"$ fingerprint dedup corpus.jsonl --out results.jsonl\n{result.stdout}```" in text
    line = Path("results.jsonl").read_text(encoding="utf-8").splitlines()[4]
    assert f"```json\n{json.dumps(json.loads(line), indent=2)}\n```" in text


def test_docs_show_the_real_output_of_the_index_session(corpus):
    split_corpus()
    for part in ("early.jsonl", "late.jsonl"):
        ok("index", "add", part, "--db", "news.db")
    session = "".join(
        f"$ fingerprint {' '.join(args)}\n{ok(*args).stdout}"
        for args in (
            ["index", "remove", "wire-storm", "--db", "news.db"],
            ["index", "expire", "--before", "2024-05-02", "--db", "news.db"],
        )
    )
    assert f"```text\n{session}```" in docs()


def test_module_examples_run():
    for module in (fingerprint.corpus, fingerprint.progress, fingerprint.summary):
        assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_every_index_command_takes_a_shared_index_url(corpus, shared_index):
    """--db redis://...#namespace: the same reports, counts and messages as a SQLite file's."""
    split_corpus()
    db = f"{shared_index['path']}#{shared_index['namespace']}"
    missing = run("index", "query", "late.jsonl", "--db", db)
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"Error: {db}: no index there (made by `index add` or `dedup --db`)\n",
    )
    ok("index", "add", "early.jsonl", "--db", db, "--out", "added.jsonl")
    ok("index", "add", "early.jsonl", "--db", "news.db", "--out", "added-sqlite.jsonl")
    assert Path("added.jsonl").read_text() == Path("added-sqlite.jsonl").read_text()
    queried = ok("index", "query", "late.jsonl", "--db", db)
    assert queried.stdout == ok("index", "query", "late.jsonl", "--db", "news.db").stdout
    stats = json.loads(ok("index", "stats", "--db", db).stdout)
    assert (stats["documents"], stats["path"]) == (4, db)
    assert ok("index", "remove", "wire-storm", "--db", db).stdout == "removed 1 document\n"
    expired = ok("index", "expire", "--before", "2024-05-02", "--db", db)
    assert expired.stdout.startswith("removed ")
    with Index(db) as index:
        assert "wire-storm" not in index
    deduped = ok("dedup", "corpus.jsonl", "--db", f"{shared_index['path']}#other")
    assert deduped.stdout == ok("dedup", "corpus.jsonl").stdout
