"""`fingerprint dedup --engine ray` and `fingerprint.engines.ray.dedup` on a local Ray instance
of 2 CPUs: the same lines as the in-process command on the shared corpora and on generated ones,
and bad records handled as the command handles them."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import batch_corpora
import pyarrow as pa
import pytest
from cli_runner import run
from hypothesis import given, settings
from hypothesis import strategies as st
from test_batch_stages import corpora, in_process

from fingerprint import Document

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
on_ray = pytest.importorskip("fingerprint.engines.ray")


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    on_ray.connect(num_cpus=2)
    yield
    ray.shutdown()


def corpus_lines(docs: list[Document]) -> str:
    """The documents as a JSON lines corpus."""
    rows = [
        {
            "id": d.doc_id,
            "text": "\n\n".join(d.texts),
            "source": d.source,
            "published": d.published.isoformat() if d.published else None,
        }
        for d in docs
    ]
    return "".join(json.dumps(row) + "\n" for row in rows)


def both_commands(corpus: Path, *options: str) -> tuple[object, object]:
    return run("dedup", str(corpus), *options), run(
        "dedup", str(corpus), "--engine", "ray", *options
    )


def test_the_command_on_ray_writes_the_in_process_lines_and_summary(tmp_path: Path) -> None:
    docs = batch_corpora.reuters(600) + batch_corpora.bbc(150) + batch_corpora.syndicated(40)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(corpus_lines(docs), encoding="utf-8")
    here, there = tmp_path / "here.jsonl", tmp_path / "there.jsonl"
    in_process_run = run("dedup", str(corpus), "--out", str(here))
    on_ray_run = run("dedup", str(corpus), "--out", str(there), "--engine", "ray")
    assert in_process_run.exit_code == on_ray_run.exit_code == 0, on_ray_run.output
    lines = here.read_text(encoding="utf-8")
    assert lines.count("\n") == len(docs)
    assert lines.count('"origin": "original-') > 20, "variants name their originals"
    assert there.read_text(encoding="utf-8") == lines
    assert on_ray_run.stdout == in_process_run.stdout, "the same summary"


def test_bad_lines_stop_or_are_skipped_as_in_process(tmp_path: Path) -> None:
    docs = batch_corpora.reuters(120)
    lines = corpus_lines(docs).splitlines(keepends=True)
    lines[40:40] = ['{"id": "x", "text": 7}\n', "not json\n", lines[3]]  # a duplicate id too
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(lines), encoding="utf-8")
    for options in ((), ("--skip-bad",)):
        here = run("dedup", str(corpus), *options)
        there = run("dedup", str(corpus), "--engine", "ray", *options)
        assert here.exit_code == there.exit_code == (0 if options else 1)
        assert there.stdout == here.stdout
        assert there.stdout.count("\n") == (120 if options else 40)
        assert there.stderr.splitlines()[-1] == here.stderr.splitlines()[-1]


def test_ray_refuses_a_database_and_an_address_needs_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "text": "Rain."}\n', encoding="utf-8")
    refused = run("dedup", str(corpus), "--engine", "ray", "--db", str(tmp_path / "i.db"))
    assert refused.exit_code == 2
    assert "--engine ray keeps no database" in refused.stderr
    alone = run("dedup", str(corpus), "--ray-address", "auto")
    assert alone.exit_code == 2
    assert "--ray-address needs --engine ray" in alone.stderr


@settings(max_examples=2, deadline=None, database=None)
@given(docs=corpora())
def test_the_dataset_entry_gives_the_in_process_reports_on_generated_corpora(
    docs: list[Document],
) -> None:
    rows = [json.loads(line) for line in corpus_lines(docs).splitlines()]
    rows[0]["html"] = "<p>" + rows[0].pop("text").replace("\n\n", "</p><p>") + "</p>"
    first = Document.from_html(
        rows[0]["html"], doc_id=docs[0].doc_id, source=docs[0].source, published=docs[0].published
    )
    policy = {"boilerplate_min": 2, "max_postings": 4, "max_candidates": 2}
    # Partitions of 3 documents: the reports come in many ranges, to be put in order.
    dedup = on_ray.dedup(
        ray.data.from_items(rows), policy=on_ray.Policy(**policy), documents_per_partition=3
    )
    reports = dedup.take_all()
    assert [row["seq"] for row in reports] == list(range(len(docs)))
    assert [row["id"] for row in reports] == [d.doc_id for d in docs]
    assert [row["report"] for row in reports] == in_process([first, *docs[1:]], **policy)


def test_the_dataset_entry_names_a_bad_row_or_skips_it() -> None:
    rain = "Rain fell on the coast all night long"
    rows = [
        {"id": "a", "text": f"{rain}."},
        {"id": "b"},
        {"id": "b", "text": f"{rain}, police said."},
        {"id": "a", "text": "A second a."},
        {"id": "c", "text": f"{rain}, officials said."},
    ]
    with pytest.raises(on_ray.BadRecord, match=r'row 2: missing "text" or "html"'):
        on_ray.dedup(ray.data.from_items(rows))
    with pytest.raises(on_ray.BadRecord, match=r'row 3: duplicate id "a" \(first at row 1\)'):
        on_ray.dedup(ray.data.from_items(rows[:1] + rows[2:]))
    skipped = on_ray.dedup(ray.data.from_items(rows), skip_bad=True).take_all()
    good = [Document.from_text(r["text"], doc_id=r["id"]) for r in (rows[0], rows[2], rows[4])]
    assert [row["id"] for row in skipped] == ["a", "b", "c"]
    assert [row["report"] for row in skipped] == in_process(good)
    assert json.loads(skipped[2]["report"])["matches"], "c matches a and b"


def test_a_shuffles_input_is_joined_up_into_few_blocks_in_order() -> None:
    # A shuffle's map task cuts each block it is given into a piece per partition: its input is
    # joined up first, so that the pieces are about as many as the partitions.
    tables = [pa.table({"seq": list(range(i * 50, i * 50 + 50))}) for i in range(40)]
    small = ray.data.from_arrow(tables)
    size = tables[0].nbytes * 10  # ten blocks' worth each
    joined = on_ray._joined_up(small, size)
    assert small.num_blocks() == 40
    assert joined.num_blocks() == 4
    assert [row["seq"] for row in joined.take_all()] == list(range(2000))


@given(st.integers(min_value=0, max_value=10**13))
def test_partitions_and_their_size_grow_as_the_square_root_of_the_corpus(documents: int) -> None:
    # A shuffle's map task holds a piece per partition and a reduce task one partition: neither
    # may grow as the corpus does.
    size = on_ray.partition_size(documents)
    partitions = math.ceil(documents / size)
    assert size >= on_ray.DOCUMENTS_PER_PARTITION
    assert partitions <= size + 2
    assert size <= max(on_ray.DOCUMENTS_PER_PARTITION, math.isqrt(documents))


@pytest.mark.parametrize("value", [0, -5, 2.5, True, "1000"])
def test_a_bad_partition_size_is_named_with_its_value(value: object) -> None:
    with pytest.raises(ValueError, match=rf"documents_per_partition \({value!r}\)"):
        on_ray.dedup(ray.data.from_items([]), documents_per_partition=value)  # type: ignore[arg-type]
