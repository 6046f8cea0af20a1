"""The in-memory corpus index: add, query, remove, expire, furniture, matches and origin."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from index_worker import article
from shared_data import require

from fingerprint import Boilerplate, Document, Index, Recipe, Report, Thresholds, shingles

STORY = [
    "The city council voted on Tuesday to close the old harbour bridge for two years of repairs.",
    "Engineers found cracks in three of the steel supports during an inspection last spring.",
    "Traffic will be diverted through the northern ring road, adding ten minutes to most journeys.",
    "Local shop owners said they feared losing customers while the works went on.",
    "The mayor promised a temporary ferry service for pedestrians and cyclists from June.",
]
LOCAL = [
    "A second ferry operator has offered to run night crossings if the council pays for staff.",
    "Opposition members called the plan rushed and asked for an independent review of the costs.",
]
FOOTER = "Sign up for our morning newsletter to get the top stories in your inbox every day."
BYLINE = "By Jane Smith"


def doc(text: str, doc_id: str, **kwargs: object) -> Document:
    return Document.from_text(text, doc_id=doc_id, **kwargs)  # type: ignore[arg-type]


def join(*blocks: str) -> str:
    return "\n\n".join(blocks)


def distinct_shingles(*blocks: str) -> set[tuple[str, ...]]:
    return {s for block in blocks for s in shingles(block)}


# -- add and query -----------------------------------------------------------------------------


def test_query_gives_the_report_add_gives_and_inserts_nothing() -> None:
    index = Index()
    index.add(doc(join(*STORY), "wire", source="pa", published="2024-03-01"))
    before = index.stats()
    copy = doc(join(*STORY[:3]), "copy", source="paper", published="2024-03-02")
    queried = index.query(copy)
    assert len(index) == 1
    assert "copy" not in index
    assert index.stats() == before
    assert index.query(copy) == queried
    assert index.add(copy) == queried
    assert len(index) == 2
    assert "copy" in index


def test_a_document_queried_again_is_not_its_own_match() -> None:
    index = Index()
    index.add(doc(join(*STORY[:4], *LOCAL), "paper", source="paper", published="2024-03-02"))
    index.add(doc(join(*STORY), "wire", source="pa", published="2024-03-01"))
    again = index.query(doc(join(*STORY[:4], *LOCAL), "paper", published="2024-03-02"))
    assert [m.doc_id for m in again.matches] == ["wire"]
    assert again.origin == "wire", "the wire story came first, though it was added second"
    alone = index.query(doc(join(*STORY), "wire"))
    assert [m.doc_id for m in alone.matches] == ["paper"]


def test_a_trimmed_copy_matches_its_original_with_exact_scores() -> None:
    index = Index()
    index.add(doc(join(*STORY), "wire", source="pa", published="2024-03-01"))
    report = index.add(doc(join(*STORY[:2]), "trim", source="paper"))
    [match] = report.matches
    whole, kept = distinct_shingles(*STORY), distinct_shingles(*STORY[:2])
    assert (match.doc_id, match.source, match.published) == ("wire", "pa", datetime(2024, 3, 1))
    assert match.containment == 1.0
    assert match.contained == pytest.approx(len(kept) / len(whole))
    assert match.jaccard == pytest.approx(len(kept) / len(whole))
    assert match.verdict == "b_contains_a"
    assert [(p.a, p.b, p.relation) for p in match.pairs] == [
        (0, 0, "identical"),
        (1, 1, "identical"),
    ]
    assert report.origin == "wire"


def test_the_original_added_after_its_copy_contains_it() -> None:
    index = Index()
    index.add(doc(join(*STORY[1:4]), "trim", published="2024-03-02"))
    [match] = index.add(doc(join(*STORY), "wire", published="2024-03-01")).matches
    part, whole = distinct_shingles(*STORY[1:4]), distinct_shingles(*STORY)
    assert match.doc_id == "trim"
    assert match.containment == pytest.approx(len(part) / len(whole))
    assert match.contained == 1.0
    assert match.verdict == "a_contains_b"
    assert [(p.a, p.b) for p in match.pairs] == [(1, 0), (2, 1), (3, 2)]


def test_an_identical_copy_is_the_same_article_and_unrelated_text_matches_nothing() -> None:
    index = Index()
    index.add(doc(join(*STORY), "wire"))
    [match] = index.query(doc(join(*STORY), "again")).matches
    assert (match.containment, match.contained, match.jaccard) == (1.0, 1.0, 1.0)
    assert match.verdict == "same_article"
    assert index.query(doc(article("elsewhere"), "other")).matches == ()


def test_min_containment_drops_matches_below_it() -> None:
    text = join(STORY[0], *LOCAL, article("local news", paragraphs=4))
    low, high = Index(min_containment=0.05), Index(min_containment=0.5)
    for index in (low, high):
        index.add(doc(join(*STORY), "wire"))
    [match] = low.query(doc(text, "new")).matches
    assert match.containment < 0.5
    assert high.query(doc(text, "new")).matches == ()


def test_repeated_blocks_inside_a_document_are_reported() -> None:
    caption = "Workers inspect the cracked steel supports under the harbour bridge on Monday."
    report = Index().add(doc(join(STORY[0], caption, STORY[1], caption), "a"))
    assert report.repeated == [[1, 3]]


# -- furniture and evidence --------------------------------------------------------------------


def page(story: str, doc_id: str, source: str | None = "site", **kwargs: object) -> Document:
    return doc(join(FOOTER, story), doc_id, source=source, **kwargs)


def test_furniture_of_the_same_source_is_flagged_with_its_count() -> None:
    index = Index(boilerplate_min=3)
    for i in range(2):
        index.add(page(article(f"story {i}"), f"s{i}"))
    assert index.query(page(article("story 9"), "new")).boilerplate == ()
    index.add(page(article("story 2"), "s2"))
    assert index.query(page(article("story 9"), "new")).boilerplate == (Boilerplate(0, 3),)
    index.add(page(article("story 3"), "s3"))
    assert index.query(page(article("story 9"), "new")).boilerplate == (Boilerplate(0, 4),)
    assert index.query(page(article("story 9"), "new", source="other")).boilerplate == ()


def test_furniture_is_counted_per_document_not_per_block() -> None:
    index = Index(boilerplate_min=3)
    for i in range(2):
        index.add(doc(join(FOOTER, article(f"story {i}"), FOOTER), f"s{i}", source="site"))
    assert index.query(page(article("story 9"), "new")).boilerplate == ()


@settings(max_examples=25)
@given(boilerplate_min=st.integers(1, 5), others=st.integers(0, 6))
def test_furniture_flagged_exactly_from_boilerplate_min_on(
    boilerplate_min: int, others: int
) -> None:
    index = Index(boilerplate_min=boilerplate_min)
    index.add_many(page(article(f"story {i}"), f"s{i}") for i in range(others))
    expected = (Boilerplate(0, others),) if others >= boilerplate_min else ()
    assert index.query(page(article("story x"), "new")).boilerplate == expected


def test_furniture_stops_being_flagged_when_its_pages_are_removed() -> None:
    index = Index(boilerplate_min=3)
    for i in range(3):
        index.add(page(article(f"story {i}"), f"s{i}"))
    assert index.query(page(article("story 9"), "new")).boilerplate == (Boilerplate(0, 3),)
    assert index.remove("s1")
    assert index.query(page(article("story 9"), "new")).boilerplate == ()


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_page_furniture_made_is_evidence_again_once_the_pages_before_it_go(
    on_disk: bool, tmp_path
) -> None:
    # At boilerplate_min 2 the footer is furniture of s2 (s0 and s1 printed it), so s2 posted its
    # story alone. Without s0, s2 is the second page to print it: as if s0 had never been added,
    # the footer is evidence of s2, and a page of another source holding it matches s1 and s2.
    path = tmp_path / "index.db" if on_disk else None
    pages = [page(article(f"story {i}"), f"s{i}") for i in range(4)]
    index = Index(path, boilerplate_min=2)
    index.add_many(pages)
    assert index.remove("s0")
    if on_disk:  # reopened: the stored records of s1 to s3 were rewritten with the removal
        index.close()
        index = Index(path, boilerplate_min=2)
    never = Index(boilerplate_min=2)
    never.add_many(pages[1:])
    probe = page(article("story 9"), "elsewhere", source="other")
    found = index.query(probe)
    assert found == never.query(probe)
    assert {m.doc_id for m in found.matches} == {"s1", "s2"}
    index.close()


def test_furniture_is_counted_within_the_window() -> None:
    index = Index(boilerplate_min=3)
    for day in range(1, 6):
        index.add(page(article(f"story {day}"), f"s{day}", published=date(2024, 1, day)))
    assert index.query(page(article("story 9"), "new")).boilerplate == (Boilerplate(0, 5),)
    assert index.expire(before=date(2024, 1, 3)) == 2
    assert index.query(page(article("story 9"), "new")).boilerplate == (Boilerplate(0, 3),)
    assert index.expire(before=date(2024, 1, 4)) == 1
    assert index.query(page(article("story 9"), "new")).boilerplate == ()


def test_documents_without_a_source_share_no_furniture() -> None:
    # Four identical wire copies with no source (Reuters-21578 has such a group): the fourth is
    # a copy of the other three, not page furniture of an unknown source.
    index = Index(boilerplate_min=3)
    reports = [index.add(doc(join(*STORY[:2]), f"copy{i}")) for i in range(4)]
    assert reports[3].boilerplate == ()
    assert {m.doc_id for m in reports[3].matches} == {"copy0", "copy1", "copy2"}
    assert reports[3].origin == "copy0"


def test_a_real_group_of_four_identical_wire_stories_are_copies() -> None:
    # reuters21578/exact_duplicate_body_groups.tsv: 1971, 7031, 12456 and 12471 share one body.
    path = require("reuters21578/reuters21578.jsonl")
    group = ("1971", "7031", "12456", "12471")
    with path.open(encoding="utf-8") as lines:
        bodies = {
            str(row["newid"]): row["body"]
            for line in lines
            if line.startswith(tuple(f'{{"newid": {n},' for n in group))
            for row in [json.loads(line)]
        }
    index = Index()
    for i, newid in enumerate(group):
        report = index.add(doc(bodies[newid], newid))
        assert [m.doc_id for m in report.matches] == list(group[:i]), newid
        assert report.boilerplate == ()


def test_shares_and_block_pairs_are_exact_when_shingles_are_common() -> None:
    # The first paragraph is everywhere: its shingles find no candidate (stop shingles at
    # max_postings 2), but the match found by the others counts them, block pairs too.
    index = Index(max_postings=2)
    index.add(doc(join(*STORY), "wire"))
    for n in range(3):
        index.add(doc(join(STORY[0], LOCAL[n % 2], f"Item {n} of the day's news."), f"other{n}"))
    [best, *_] = index.query(doc(join(*STORY[:3]), "copy")).matches
    assert best.doc_id == "wire"
    assert (best.containment, best.contained) == (1.0, pytest.approx(3 / 5, abs=0.05))
    assert [(p.a, p.b, p.relation) for p in best.pairs] == [(i, i, "identical") for i in range(3)]
    assert best.verdict == "b_contains_a"


def test_identical_documents_come_first_oldest_first_even_when_all_common() -> None:
    notice = "Qtly div five cts vs five cts prior\n\nPay April one\n\nRecord March two"
    index = Index(max_candidates=2, max_postings=2)
    for n in range(5):  # the same notice again and again, then notices that differ by a word
        index.add(doc(notice, f"same{n}"))
        index.add(doc(notice.replace("five", "six"), f"other{n}"))
    report = index.query(doc(notice, "new"))
    assert [(m.doc_id, m.verdict, m.containment) for m in report.matches] == [
        ("same0", "same_article", 1.0),
        ("same1", "same_article", 1.0),
    ]
    assert report.origin == "same0"


def test_two_pages_sharing_only_furniture_do_not_match() -> None:
    index = Index(boilerplate_min=3)
    for i in range(3):
        index.add(page(article(f"story {i}"), f"s{i}"))
    report = index.add(page(article("story 9"), "new"))
    assert report.boilerplate == (Boilerplate(0, 3),)
    assert report.matches == ()
    # The same furniture is evidence on a page of a source that has not shown it to be furniture.
    assert [m.doc_id for m in index.query(doc(FOOTER, "bare", source="other")).matches]


def test_short_blocks_are_not_evidence() -> None:
    index = Index()
    index.add(doc(join(BYLINE, "Search Trends", article("story 1")), "a"))
    assert index.query(doc(join(BYLINE, "Search Trends", article("story 2")), "b")).matches == ()
    assert index.query(doc(join(BYLINE, "Search Trends"), "c")).matches == ()
    # A shared paragraph is evidence: the byline alone was what did not count.
    [match] = index.query(doc(join(BYLINE, article("story 1")), "d")).matches
    assert match.doc_id == "a"


# -- origin ------------------------------------------------------------------------------------

CHAIN = {
    "A": (join(*STORY), "2024-01-01"),  # the wire story
    "B": (join(*STORY[:3], *LOCAL), "2024-01-02"),  # part of A, with local paragraphs
    "C": (join(*LOCAL), "2024-01-03"),  # B's local paragraphs only: nothing of A
}


@pytest.mark.parametrize("order", list(itertools.permutations("ABC")))
def test_origin_is_the_earliest_of_the_cluster_whatever_the_order_added(order: tuple) -> None:
    index = Index()
    reports = [index.add(doc(CHAIN[i][0], i, published=CHAIN[i][1])) for i in order]
    assert reports[-1].origin == "A"
    later = index.query(doc(join(*LOCAL), "D", published="2024-01-04"))
    assert {m.doc_id for m in later.matches} == {"B", "C"}
    assert later.origin == "A"


def test_when_the_origin_is_removed_the_next_oldest_copy_is_the_origin() -> None:
    index = Index()
    for n, day in enumerate(["2024-01-03", "2024-01-01", "2024-01-02"]):
        index.add(doc(join(*STORY), f"copy{n}", published=day))
    assert index.query(doc(join(*STORY), "new", published="2024-01-09")).origin == "copy1"
    index.remove("copy1")
    assert index.query(doc(join(*STORY), "new", published="2024-01-09")).origin == "copy2"
    index.remove("copy2")
    index.remove("copy0")
    assert index.query(doc(join(*STORY), "new", published="2024-01-09")).origin is None


def test_origin_is_none_for_a_document_that_copies_nothing() -> None:
    index = Index()
    index.add(doc(join(*STORY), "A", published="2024-01-01"))
    assert index.query(doc(article("other"), "X", published="2023-01-01")).origin is None


def test_unknown_dates_count_as_later_than_any_known() -> None:
    index = Index()
    index.add(doc(join(*STORY), "undated"))
    assert index.add(doc(join(*STORY[:3]), "dated", published="2024-01-02")).origin == "dated"
    assert index.query(doc(join(*STORY[:2]), "new")).origin == "dated"


def test_without_dates_the_first_added_is_the_origin() -> None:
    index = Index()
    index.add(doc(join(*STORY), "first"))
    index.add(doc(join(*STORY[:3]), "second"))
    assert index.query(doc(join(*STORY[:2]), "third")).origin == "first"


def test_a_paragraph_carried_over_names_an_origin_but_joins_no_cluster() -> None:
    extra = [
        "Volunteers painted the station walls over the weekend in colours chosen by pupils.",
        "The library will open late on Thursdays from next month, the council said on Friday.",
    ]
    index = Index()
    index.add(doc(join(*STORY), "wire", published="2024-03-01"))
    # One wire paragraph among local ones: a partial overlap, but the wire story's copy.
    paper = index.add(doc(join(STORY[0], *LOCAL, *extra), "paper", published="2024-03-02"))
    assert [(m.doc_id, m.verdict) for m in paper.matches] == [("wire", "partial_overlap")]
    assert paper.origin == "wire"
    # A copy of the paper's own paragraphs comes from the paper, not from the wire story.
    blog = index.add(doc(join(*LOCAL, *extra), "blog", published="2024-03-03"))
    assert [(m.doc_id, m.verdict) for m in blog.matches] == [("paper", "b_contains_a")]
    assert blog.origin == "paper"


def test_a_copy_verdict_joins_clusters_only_when_the_shingles_agree() -> None:
    novel = "Residents of the old quarter have complained for months about noise at the market."
    index = Index()
    index.add(doc(join(*STORY), "wire", published="2024-03-01"))
    # Its blocks lie mostly in the wire story, but under half of its shingles do.
    paper = index.add(
        doc(join(f"{STORY[0]} {novel}", STORY[1], *LOCAL), "paper", published="2024-03-02")
    )
    [wire] = paper.matches
    assert (wire.verdict, paper.origin) == ("b_contains_a", "wire")
    assert wire.containment < Thresholds().contains
    blog = index.add(doc(join(novel, *LOCAL), "blog", published="2024-03-03"))
    assert [(m.doc_id, m.verdict) for m in blog.matches] == [("paper", "b_contains_a")]
    assert blog.origin == "paper", "the paper did not join the wire story's cluster"


def test_an_earlier_copy_added_later_becomes_the_origin() -> None:
    index = Index()
    index.add(doc(join(*STORY), "late", published="2024-01-05"))
    assert index.add(doc(join(*STORY[:3]), "early", published="2024-01-01")).origin == "early"


def test_origin_with_dates_with_and_without_a_utc_offset() -> None:
    # Feeds mix "2024-01-01T09:00:00+00:00" and "2024-01-02": both are dates of articles.
    index = Index()
    index.add(doc(join(*STORY), "utc", published="2024-01-01T09:00:00+00:00"))
    report = index.add(doc(join(*STORY[:3]), "naive", published="2024-01-02"))
    assert report.origin == "utc"
    assert index.expire(before="2024-01-02T00:00:00+00:00") == 1
    assert index.query(doc(join(*STORY[:3]), "q")).matches[0].doc_id == "naive"


# -- errors ------------------------------------------------------------------------------------


def test_a_duplicate_doc_id_raises_naming_it() -> None:
    index = Index()
    index.add(doc(join(*STORY), "wire-1"))
    with pytest.raises(ValueError, match=r"doc_id \('wire-1'\)"):
        index.add(doc(article("other"), "wire-1"))
    assert len(index) == 1


def test_a_batch_with_a_duplicate_adds_nothing() -> None:
    index = Index()
    index.add(doc(article("a"), "a"))
    before = index.stats()
    batch = [doc(article("b"), "b"), doc(article("c"), "c"), doc(article("b2"), "b")]
    with pytest.raises(ValueError, match=r"'b'"):
        index.add_many(batch)
    assert len(index) == 1
    assert "b" not in index and "c" not in index
    assert index.stats()["documents"] == before["documents"]
    assert index.query(doc(article("c"), "q")).matches == ()
    assert index.add_many([doc(article("b"), "b"), doc(article("c"), "c")])[1].matches == ()


@pytest.mark.parametrize("size", [4, 100], ids=["inline", "threaded"])
def test_a_batch_failing_half_way_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    # The core adds a batch on its own thread, ahead of the reports: a failure while reporting
    # on the second document must still take out every document the core added.
    index = Index()
    index.add(doc(article("a"), "a"))
    report = Index._report

    def failing(self: Index, document: Document, *rest: object) -> object:
        if document.doc_id == "c":
            raise RuntimeError("report failed")
        return report(self, document, *rest)

    monkeypatch.setattr(Index, "_report", failing)
    names = ["b", "c", *(f"d{i}" for i in range(size - 2))]
    batch = [doc(article(name), name) for name in names]
    with pytest.raises(RuntimeError, match="report failed"):
        index.add_many(batch)
    monkeypatch.undo()
    assert len(index) == 1 and index.stats()["blocks"] == len(doc(article("a"), "a"))
    assert all(name not in index for name in names)
    assert index.query(doc(article(names[-1]), "q")).matches == ()
    assert [r.doc_id for r in index.add_many(batch)] == names


def test_unnamed_documents_get_ids_that_do_not_collide() -> None:
    index = Index()
    index.add(doc(article("named"), "1"))
    ids = [index.add(article(f"unnamed {i}")).doc_id for i in range(3)]
    assert len({"1", *ids}) == 4
    assert all(i in index for i in ids)


def test_a_document_of_another_recipe_raises_naming_both_recipes() -> None:
    other = Recipe(shingle_size=4)
    index = Index()
    document = Document.from_text(join(*STORY), doc_id="a", recipe=other)
    for call in (index.add, index.query):
        with pytest.raises(ValueError) as error:
            call(document)
        assert other.id in str(error.value)
        assert Recipe().id in str(error.value)
    with pytest.raises(ValueError, match=other.id):
        index.add_many([doc(article("x"), "x"), document])
    assert len(index) == 0
    assert Index(recipe=other).add(document).doc_id == "a"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"boilerplate_min": 0}, r"boilerplate_min \(0\)"),
        ({"boilerplate_min": -2}, r"boilerplate_min \(-2\)"),
        ({"boilerplate_min": 2.5}, r"boilerplate_min \(2\.5\)"),
        ({"min_containment": 2}, r"min_containment \(2\)"),
        ({"min_containment": 0}, r"min_containment \(0\)"),
        ({"min_containment": -0.1}, r"min_containment \(-0\.1\)"),
        ({"max_candidates": 0}, r"max_candidates \(0\)"),
        ({"max_postings": -1}, r"max_postings \(-1\)"),
    ],
)
def test_bad_arguments_are_named_with_their_value(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Index(**kwargs)


def test_bad_documents_and_dates_are_refused() -> None:
    index = Index()
    with pytest.raises(TypeError, match="int"):
        index.add(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'last week'"):
        index.expire(before="last week")
    with pytest.raises(ValueError, match="'soon'"):
        doc("text", "a", published="soon")
    assert len(index) == 0


# -- removal and expiry ------------------------------------------------------------------------


def test_remove_really_removes() -> None:
    index = Index()
    index.add(doc(join(*STORY), "wire"))
    index.add(doc(article("other"), "other"))
    assert index.remove("wire") is True
    assert index.remove("wire") is False
    assert index.remove("never") is False
    assert "wire" not in index and len(index) == 1
    assert index.query(doc(join(*STORY), "copy")).matches == ()
    assert index.stats()["documents"] == 1
    # The id is free again, and the new document under it is what matches.
    index.add(doc(join(*LOCAL), "wire"))
    assert [m.doc_id for m in index.query(doc(LOCAL[0], "q")).matches] == ["wire"]
    assert index.query(doc(join(*STORY), "copy")).matches == ()


def test_removal_reclaims_postings() -> None:
    index = Index()
    ids = [f"d{i}" for i in range(40)]
    index.add_many(doc(article(i), i) for i in ids)
    full = index.stats()
    for i in ids[:30]:
        index.remove(i)
    after = index.stats()
    assert after["documents"] == 10
    assert after["blocks"] == full["blocks"] // 4
    assert after["postings"] <= full["postings"] // 2
    for i in ids[30:]:
        index.remove(i)
    assert index.stats()["postings"] == 0
    assert index.stats()["blocks"] == 0


def test_removed_documents_stop_matching_one_by_one() -> None:
    index = Index()
    # Each from its own source: five identical copies from one source would be its furniture.
    index.add_many(doc(join(*STORY), f"copy{i}", source=f"outlet{i}") for i in range(5))
    for i in range(5):
        found = {m.doc_id for m in index.query(doc(join(*STORY), "q")).matches}
        assert found == {f"copy{j}" for j in range(i, 5)}
        index.remove(f"copy{i}")
    assert index.query(doc(join(*STORY), "q")).matches == ()


@settings(max_examples=40)
@given(
    days=st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=1, max_size=10),
    cutoff=st.integers(1, 10),
    form=st.sampled_from(["date", "datetime", "str"]),
)
def test_expire_removes_exactly_the_older_documents(days: list, cutoff: int, form: str) -> None:
    index = Index()
    docs = [
        doc(article(f"e{i}"), f"e{i}", published=date(2024, 5, d) if d else None)
        for i, d in enumerate(days)
    ]
    index.add_many(docs)
    before = {"date": date(2024, 5, cutoff), "datetime": datetime(2024, 5, cutoff)}.get(
        form, f"2024-05-{cutoff:02d}"
    )
    old = {f"e{i}" for i, d in enumerate(days) if d is not None and d < cutoff}
    assert index.expire(before=before) == len(old)
    assert {d.doc_id for d in docs if d.doc_id in index} == {d.doc_id for d in docs} - old
    assert len(index) == len(days) - len(old)
    for document in docs:
        found = {m.doc_id for m in index.query(doc(article(document.doc_id), "q")).matches}
        assert found == ({document.doc_id} - old)
    assert index.expire(before=before) == 0


# -- add_many ----------------------------------------------------------------------------------

POOL = [*STORY, *LOCAL, FOOTER, BYLINE, article("pool a", 1), article("pool b", 1)]


@st.composite
def corpora(draw: st.DrawFn) -> list[tuple[str, str | None, str | None]]:
    docs = []
    for _ in range(draw(st.integers(1, 8))):
        blocks = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=5))
        source = draw(st.sampled_from([None, "pa", "paper"]))
        day = draw(st.one_of(st.none(), st.integers(1, 5)))
        docs.append((join(*blocks), source, f"2024-02-0{day}" if day else None))
    return docs


def build(corpus: list) -> list[Document]:
    return [doc(t, f"d{i}", source=s, published=p) for i, (t, s, p) in enumerate(corpus)]


@settings(max_examples=60)
@given(corpus=corpora(), boilerplate_min=st.integers(1, 3))
def test_add_many_equals_add_one_by_one_and_query_equals_add(
    corpus: list, boilerplate_min: int
) -> None:
    batch = Index(boilerplate_min=boilerplate_min)
    single = Index(boilerplate_min=boilerplate_min)
    together = batch.add_many(build(corpus))
    one_by_one = []
    for document in build(corpus):
        queried = single.query(document)
        one_by_one.append(single.add(document))
        assert queried == one_by_one[-1]
    assert together == one_by_one
    assert len(batch) == len(single) == len(corpus)
    # The same documents, blocks and postings; the memory held may differ with the batching.
    held = {"bytes", "bytes_per_block"}
    assert {k: v for k, v in batch.stats().items() if k not in held} == {
        k: v for k, v in single.stats().items() if k not in held
    }
    for report in together:
        assert isinstance(report, Report)
        for match in report.matches:
            assert 0.1 <= match.containment <= 1.0
            assert 0.0 < match.contained <= 1.0
            assert match.jaccard <= min(match.containment, match.contained) + 1e-12


# -- threads -----------------------------------------------------------------------------------


def test_threads_adding_and_querying_leave_a_consistent_index() -> None:
    index = Index()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(worker: int) -> None:
        try:
            start.wait()
            for i in range(15):
                ids = [f"t{worker}-{i}-{j}" for j in range(2)]
                if i % 2:
                    index.add_many(doc(article(d), d) for d in ids)
                else:
                    for d in ids:
                        index.add(doc(article(d), d))
                [match] = index.query(doc(article(ids[0]), "q")).matches
                assert (match.doc_id, match.containment) == (ids[0], 1.0)
                len(index)
                index.stats()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [f"t{w}-{i}-{j}" for w in range(4) for i in range(15) for j in range(2)]
    assert len(index) == len(ids) == index.stats()["documents"]
    assert all(i in index for i in ids)
    for i in ids[::7]:
        assert [m.doc_id for m in index.query(doc(article(i), "q")).matches] == [i]


def test_threads_racing_to_add_the_same_ids_add_each_once() -> None:
    index = Index()
    ids = [f"r{i}" for i in range(20)]
    added: list[str] = []
    refused: list[str] = []
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        for i in ids:
            try:
                index.add(doc(article(i), i))
                added.append(i)
            except ValueError:
                refused.append(i)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(added) == sorted(ids)
    assert len(refused) == 3 * len(ids)
    assert len(index) == len(ids)


def test_a_repeat_is_the_same_article_after_its_shared_blocks_became_furniture() -> None:
    footer = (
        "Subscribe to the Daily Courier for the latest local news, sport and weather every day."
    )
    story = "The harbour board approved a new ferry terminal on Tuesday after a long public debate."
    index = Index(boilerplate_min=2)
    index.add(Document.from_text(f"{story}\n\n{footer}", doc_id="first", source="courier"))
    for n, other in enumerate(
        ["Rain closed the coast road overnight.", "The mayor opened a park."]
    ):
        index.add(
            Document.from_text(
                f"{other} More follows.\n\n{footer}", doc_id=str(n), source="courier"
            )
        )
    report = index.add(Document.from_text(f"{story}\n\n{footer}", doc_id="again", source="courier"))
    assert [b.block for b in report.boilerplate] == [1]
    assert [(m.doc_id, m.verdict) for m in report.matches] == [("first", "same_article")]


def test_querying_many_is_querying_each_and_adds_nothing() -> None:
    stories = [
        f"Story {i} tells how the harbour of town {i % 13} took {i % 7} new cranes this spring."
        for i in range(300)
    ]
    index = Index()
    index.add_many(Document.from_text(s, doc_id=str(i)) for i, s in enumerate(stories[:200]))
    probes = [Document.from_text(s, doc_id=str(i)) for i, s in enumerate(stories[150:], 150)]
    many = index.query_many(probes, threads=2)
    assert [r.to_dict() for r in many] == [index.query(p).to_dict() for p in probes]
    assert any(r.matches for r in many[50:]), "new stories find earlier ones"
    assert all(r.doc_id not in [m.doc_id for m in r.matches] for r in many), "none its own match"
    assert len(index) == 200 and index.query_many([]) == []
