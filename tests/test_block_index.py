"""The core's index as `fingerprint._core.BlockIndex`: numbered documents, `IndexMatch` results."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fingerprint import BlockPair
from fingerprint._core import BlockIndex, Examination, IndexMatch, Policy, sketch_documents

STORY = [
    "The central bank raised its main interest rate by half a point on Tuesday morning.",
    "Officials said inflation had stayed above target for eleven months in a row now.",
]
# Shares the story's first four words, nothing else.
WEAK = (
    "The central bank raised hopes among farmers that the long drought in the north would "
    "finally end this spring after three dry years and two failed harvests."
)


def _add(index: BlockIndex, sketch, source: int, evidence: list[bool]) -> int:
    [number] = index.add_many([sketch], [source], [evidence])
    return number


def test_an_examination_holds_numbered_matches_with_pairs_made_on_reading() -> None:
    index = BlockIndex()
    story, unrelated, copy = sketch_documents(
        [STORY, ["Snow closed the mountain pass overnight again."], STORY]
    )
    assert _add(index, story, 0, [True, True]) == 0
    assert _add(index, unrelated, 0, [True]) == 1
    seen = index.examine(copy, 1)
    assert isinstance(seen, Examination)
    [found] = seen.matches
    assert isinstance(found, IndexMatch)
    assert (found.number, found.containment, found.contained, found.jaccard) == (0, 1.0, 1.0, 1.0)
    assert found.verdict == "same_article" and found.same_story
    assert [(p.a, p.b, p.relation) for p in found.pairs] == [
        (0, 0, "identical"),
        (1, 1, "identical"),
    ]
    assert all(isinstance(p, BlockPair) for p in found.pairs)
    assert "number=0" in repr(found) and "same_article" in repr(found)
    assert (seen.furniture, seen.evidence, seen.origin_links) == ([0, 0], [True, True], [0])
    assert index.examine(story, 0, 0).matches == [], "a document is not its own match"


def test_by_default_a_shared_phrase_is_not_a_match() -> None:
    story, weak = sketch_documents([[" ".join(STORY)], [WEAK]])
    strict, loose = BlockIndex(), BlockIndex(policy=Policy(min_containment=1e-9, min_shared=1))
    for index in (strict, loose):
        _add(index, story, 0, [True])
    assert strict.examine(weak, 0).matches == []
    [found] = loose.examine(weak, 0).matches
    assert 0.0 < found.containment < 0.1


def _words(n: int, start: int = 0) -> str:
    return " ".join(f"w{i}" for i in range(start, start + n))


@pytest.mark.parametrize(("shared_words", "is_match"), [(9, False), (10, True)])
def test_a_match_shares_min_shared_shingles(shared_words: int, is_match: bool) -> None:
    # Long documents: 10 words in common are 8 shared 3-gram shingles, the default minimum.
    earlier, query = sketch_documents(
        [
            [_words(shared_words) + " " + _words(40, 100)],
            [_words(shared_words) + " " + _words(40, 500)],
        ]
    )
    index = BlockIndex(policy=Policy(min_containment=1e-9))
    _add(index, earlier, 0, [True])
    assert bool(index.examine(query, 0).matches) is is_match


def test_a_short_document_wholly_inside_the_other_is_a_match_however_few_its_shingles() -> None:
    short, long = sketch_documents([[_words(6)], [_words(6) + " " + _words(20, 100)]])
    index = BlockIndex()
    _add(index, short, 0, [True])
    [found] = index.examine(long, 0).matches
    assert found.contained == 1.0 and found.verdict == "a_contains_b"


def test_a_close_copy_outranks_a_long_document_holding_a_little_more_of_the_query() -> None:
    story = _words(30)
    digest = " ".join([story] + [_words(30, 1000 + 100 * i) for i in range(8)])
    close = story.replace("w20", "x20")  # holds all of the query but three shingles
    digest_sketch, close_sketch, query = sketch_documents([[digest], [close], [story]])
    index = BlockIndex()
    _add(index, digest_sketch, 0, [True])
    _add(index, close_sketch, 0, [True])
    found = index.examine(query, 0).matches
    assert [m.number for m in found] == [1, 0]
    assert found[0].containment < found[1].containment, "ranked by containment both ways"
    assert [m.containment + m.contained for m in found] == sorted(
        (m.containment + m.contained for m in found), reverse=True
    )


def test_evidence_flags_must_match_the_blocks() -> None:
    [story] = sketch_documents([STORY])
    with pytest.raises(ValueError, match=r"len\(evidence\) \(1\)"):
        _add(BlockIndex(), story, 0, [True])


# -- batches -----------------------------------------------------------------------------------

SENTENCES = [
    f"Sentence {i} tells how the {w} in {town} changed over the {span} before the vote."
    for i, (w, town, span) in enumerate(
        (w, t, s)
        for w in ("river", "market", "council", "harbour", "school")
        for t in ("Leeds", "Hull", "York", "Bath")
        for s in ("winter", "decade", "summer")
    )
]

# Documents of one to three blocks, each block one or two sentences of a shared pool.
documents = st.lists(
    st.lists(
        st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=2).map(" ".join),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=40,
)


def _found(matches: list[IndexMatch]) -> list[tuple]:
    return [
        (
            m.number,
            m.containment,
            m.contained,
            m.jaccard,
            m.verdict,
            *((p.a, p.b, p.relation) for p in m.pairs),
        )
        for m in matches
    ]


@given(corpus=documents, split=st.integers(0, 40), threads=st.integers(1, 3))
def test_adding_and_examining_in_batches_is_one_by_one(
    corpus: list[list[str]], split: int, threads: int
) -> None:
    sketches = sketch_documents(corpus)
    evidence = [[True] * len(blocks) for blocks in corpus]
    sources = [i % 3 for i in range(len(corpus))]
    alone, together = BlockIndex(), BlockIndex()
    numbers = [_add(alone, *added) for added in zip(sketches, sources, evidence, strict=True)]
    split = min(split, len(corpus))
    assert (
        together.add_many(sketches[:split], sources[:split], evidence[:split])
        + (together.add_many(sketches[split:], sources[split:], evidence[split:]))
        == numbers
    )
    assert together.stats()[:3] == alone.stats()[:3]
    exclude = [n if n % 2 else None for n in numbers]
    one_by_one = [
        _examined(alone.examine(s, source, n))
        for s, source, n in zip(sketches, sources, exclude, strict=True)
    ]
    many = together.examine_many(sketches, sources, exclude, threads)
    assert [_examined(seen) for seen in many] == one_by_one
    assert any(seen[3] for seen in one_by_one[::2]), "a document not left out finds itself"


def test_thousands_of_paragraphs_added_together_merge_their_postings() -> None:
    # Enough postings for a merge in one batch: the batch goes straight into it.
    corpus = [[f"{a} {b}"] for a in SENTENCES for b in SENTENCES]
    sketches = sketch_documents(corpus)
    evidence = [[True]] * len(corpus)
    together = BlockIndex()
    together.add_many(sketches, [0] * len(corpus), evidence)
    assert together.stats()[2] > 1 << 16, "more postings than the first merge takes"
    alone = BlockIndex()
    for sketch in sketches:
        _add(alone, sketch, 0, [True])
    probes = sketches[::101]
    found = together.examine_many(probes, [0] * len(probes), [None] * len(probes))
    assert [_examined(seen) for seen in found] == [_examined(alone.examine(p, 0)) for p in probes]


def test_batch_arguments_hold_one_item_per_sketch() -> None:
    sketches = sketch_documents([STORY, STORY[:1]])
    index = BlockIndex()
    with pytest.raises(
        ValueError, match=r"len\(sources\) \(1\) must hold one item per sketch \(2\)"
    ):
        index.add_many(sketches, [0], [[True, True], [True]])
    with pytest.raises(ValueError, match=r"len\(exclude\) \(3\)"):
        index.examine_many(sketches, [0, 0], [None, None, None])
    with pytest.raises(ValueError, match=r"len\(evidence\) \(2\) must hold one flag per block"):
        index.add_many(sketches, [0, 0], [[True, True], [True, False]])
    with pytest.raises(ValueError, match=r"threads \(0\) must be positive"):
        index.examine_many(sketches, [0, 0], [None, None], threads=0)
    assert len(index) == 0, "nothing of a refused batch went in"


def _examined(seen: Examination) -> tuple:
    return seen.furniture, seen.evidence, seen.repeated, _found(seen.matches), seen.origin_links


@pytest.mark.parametrize("documents", [5, 300], ids=["inline", "threaded"])
def test_ingesting_texts_and_sketches_is_examining_and_adding_one_by_one(documents: int) -> None:
    # Documents of two blocks from the pool, the first its source's (furniture once seen
    # twice), every third from the same source.
    corpus = [
        [SENTENCES[i % 3], f"{SENTENCES[i * 7 % 60]} {SENTENCES[i * 11 % 60]}"]
        for i in range(documents)
    ]
    sketches = sketch_documents(corpus)
    sources = [i % 3 for i in range(documents)]
    # Sketched, block texts, or one plain text (blocks apart by a blank line), in turn.
    given = [
        (sketch, blocks, "\n\n".join(blocks))[i % 3]
        for i, (sketch, blocks) in enumerate(zip(sketches, corpus, strict=True))
    ]
    alone = BlockIndex(policy=Policy(boilerplate_min=2))
    expected = []
    for sketch, source in zip(sketches, sources, strict=True):
        seen = alone.examine(sketch, source)
        expected.append((_add(alone, sketch, source, seen.evidence), _examined(seen)))
    together = BlockIndex(policy=Policy(boilerplate_min=2))
    done = list(together.ingest(given, sources))
    assert [(number, _examined(seen)) for number, seen, _ in done] == expected
    made = [(i, sketch) for i, (_, _, sketch) in enumerate(done) if sketch is not None]
    assert [i for i, _ in made] == [i for i in range(documents) if i % 3], "texts are sketched"
    assert all(sketch.to_bytes() == sketches[i].to_bytes() for i, sketch in made)
    assert any(seen.matches for _, seen, _ in done)
    assert any(max(seen.furniture) for _, seen, _ in done)


def test_ingest_names_a_document_that_is_neither_sketch_nor_texts() -> None:
    with pytest.raises(TypeError, match=r"documents\[1\] must be DocumentSketch, str or list"):
        BlockIndex().ingest([["a text"], 7], [0, 0])
    with pytest.raises(TypeError, match=r"texts\[0\] must be str"):
        BlockIndex().ingest([[b"bytes"]], [0])
