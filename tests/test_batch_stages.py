"""The stages of a batch dedup (`fingerprint.engines.pipeline`), run by the local engine, give
the reports of the in-process index, line for line, whatever the partitions and batch sizes:
each document examined by the core against its candidates alone (`examine_among`) is examined as
against the whole corpus."""

from __future__ import annotations

import batch_corpora
from generated_corpora import documents, paragraphs
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprint import Document, Index
from fingerprint.engines import pipeline
from fingerprint.engines.local import LocalEngine
from fingerprint.report.printable import json_text

#: Small enough for furniture, stop shingles and a choice among candidates (ranked by their
#: weights) to appear in a few dozen documents.
SMALL = {"boilerplate_min": 2, "max_postings": 4, "max_candidates": 2}


def in_process(docs: list[Document], **policy: int) -> list[str]:
    return [json_text(report.to_dict()) for report in Index(**policy).add_many(docs)]


def in_stages(docs: list[Document], engine: LocalEngine, **policy: int) -> list[str]:
    index = Index(**policy)
    data = engine.split(pipeline.documents_table(docs, 0, 0))
    reports = pipeline.dedup(engine, data, index.recipe, index.policy)
    return [line for line, _ in pipeline.report_lines(engine, reports)]


@st.composite
def corpora(draw: st.DrawFn) -> list[Document]:
    pool = draw(st.lists(paragraphs, min_size=4, max_size=10, unique=True))
    drawn = draw(st.lists(documents(pool), min_size=1, max_size=30))
    return [
        Document.from_text("\n\n".join(body), doc_id=str(i), source=source, published=published)
        for i, (body, source, published) in enumerate(drawn)
    ]


@settings(max_examples=60, deadline=None)
@given(docs=corpora(), partitions=st.integers(1, 5), rows=st.integers(1, 9))
def test_stages_give_the_index_reports_on_generated_corpora(
    docs: list[Document], partitions: int, rows: int
) -> None:
    engine = LocalEngine(partitions, rows)
    assert in_stages(docs, engine, **SMALL) == in_process(docs, **SMALL)


def test_stages_give_the_index_reports_on_reuters() -> None:
    docs = batch_corpora.reuters(1_500)
    expected = in_process(docs)
    assert sum('"matches": []' not in line for line in expected) > 200, "stories have copies"
    assert in_stages(docs, LocalEngine(4, 200)) == expected


def test_stages_give_the_index_reports_on_bbc_and_syndication() -> None:
    docs = batch_corpora.bbc(300) + batch_corpora.syndicated(60)
    expected = in_process(docs, boilerplate_min=2)
    assert sum('"origin": "original-' in line for line in expected) > 40, "variants find originals"
    assert in_stages(docs, LocalEngine(3, 64), boilerplate_min=2) == expected
