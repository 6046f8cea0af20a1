"""compare(): exact scores, alignment, verdicts, and their symmetry."""

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fingerprint
from fingerprint import Document, Recipe, Thresholds, compare

WIRE = [
    "The central bank raised its main interest rate by half a point on Tuesday.",
    "Officials said inflation had stayed above target for eleven months in a row.",
    "Markets had expected a smaller rise, and the currency gained against the dollar.",
    "The bank will meet again in six weeks to review its policy.",
]

word_lists = st.lists(
    st.sampled_from(["storm", "rain", "town", "coast", "road", "river", "bank", "fell", "hit"])
)
article = st.lists(word_lists.map(" ".join).filter(str.strip), min_size=1, max_size=6).map(
    "\n\n".join
)


def shingle_set(doc):
    return {h for b in doc.blocks for h in fingerprint.shingle_hashes(b.text).tolist()}


@given(article, article)
def test_scores_are_exact_set_scores(text_a, text_b):
    result = compare(text_a, text_b)
    a, b = shingle_set(result.a), shingle_set(result.b)
    shared = len(a & b)
    assert result.jaccard == pytest.approx(shared / len(a | b) if a | b else 0.0)
    assert result.a_in_b == pytest.approx(shared / len(a) if a else 0.0)
    assert result.b_in_a == pytest.approx(shared / len(b) if b else 0.0)


@given(article, article)
def test_comparison_mirrors_when_sides_swap(text_a, text_b):
    ab, ba = compare(text_a, text_b), compare(text_b, text_a)
    swap = {"a_contains_b": "b_contains_a", "b_contains_a": "a_contains_b"}
    assert ba.verdict == swap.get(ab.verdict, ab.verdict)
    assert (ab.a_in_b, ab.b_in_a) == (ba.b_in_a, ba.a_in_b)
    assert sorted((p.a, p.b) for p in ab.pairs) == sorted((p.b, p.a) for p in ba.pairs)
    assert (ab.only_a, ab.only_b) == (ba.only_b, ba.only_a)


@given(article)
def test_an_article_is_the_same_as_itself(text):
    result = compare(text, text)
    assert result.verdict == "same_article"
    assert result.jaccard == 1.0
    assert {(p.a, p.b) for p in result.pairs if p.relation == "identical"} >= {
        (i, i) for i in range(len(result.a))
    }


def test_a_trimmed_copy_is_contained():
    result = compare("\n\n".join(WIRE), "\n\n".join(WIRE[:2]))
    assert result.verdict == "a_contains_b"
    assert result.b_in_a == 1.0 and result.a_in_b < 0.6
    assert [(p.a, p.b, p.relation) for p in result.pairs] == [
        (0, 0, "identical"),
        (1, 1, "identical"),
    ]
    assert result.only_a == (2, 3) and result.only_b == ()


def test_merged_and_edited_paragraphs_align_one_to_many():
    merged = WIRE[0] + " " + WIRE[1].replace("eleven", "twelve")
    result = compare("\n\n".join(WIRE), merged + "\n\n" + WIRE[2])
    assert {(p.a, p.b) for p in result.pairs} == {(0, 0), (1, 0), (2, 1)}
    assert {p.relation for p in result.pairs if p.b == 0} == {"contained"}
    assert result.verdict == "a_contains_b"


def test_the_same_sentences_cut_into_other_paragraphs_are_the_same_article():
    # No paragraph of one holds half of a paragraph of the other, so no block pair aligns; but
    # each article holds nearly all of the other's shingles: the same text, cut differently.
    sentences = [" ".join(f"w{n}s{i}" for n in range(24)) + "." for i in range(9)]
    one = "\n\n".join(" ".join(sentences[i : i + 3]) for i in (0, 3, 6))
    other = "\n\n".join(" ".join(sentences[i::3]) for i in range(3))
    result = compare(one, other)
    assert result.pairs == ()
    assert min(result.a_in_b, result.b_in_a) >= Thresholds().same
    assert result.verdict == "same_article"


def test_block_pairs_are_values_that_pickle_and_name_a_bad_relation():
    merged = WIRE[0] + " " + WIRE[1]
    pairs = compare(merged, "\n\n".join(WIRE[:2])).pairs
    assert pickle.loads(pickle.dumps(pairs)) == pairs
    assert len({*pairs, *pickle.loads(pickle.dumps(pairs))}) == len(pairs) == 2
    assert pairs[0] != pairs[1] and pairs[0] != tuple(pairs)
    assert repr(pairs[0]).startswith("BlockPair(a=0, b=0, similarity=0.")
    with pytest.raises(ValueError, match='relation \\("same"\\) must be identical'):
        fingerprint.BlockPair(0, 0, 1.0, "same", 1.0, 1.0)


def test_unrelated_articles_share_nothing():
    result = compare("\n\n".join(WIRE), "Heavy snow closed the mountain pass.\n\nDrivers waited.")
    assert result.verdict == "unrelated"
    assert result.pairs == ()
    assert result.jaccard == 0.0


def test_thresholds_can_be_overridden():
    edited = "\n\n".join(WIRE).replace("half a point", "a quarter point")
    assert compare("\n\n".join(WIRE), edited).verdict == "same_article"
    strict = Thresholds(pair=0.99, same=0.99, contains=0.99)
    assert compare("\n\n".join(WIRE), edited, thresholds=strict).verdict != "same_article"


def test_json_schema_has_every_documented_key():
    data = compare("\n\n".join(WIRE), "\n\n".join(WIRE[1:])).to_dict()
    assert list(data) == [
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
    assert set(data["blocks"]["a"][0]) == {"index", "kind", "start", "end", "text"}
    assert set(data["pairs"][0]) == {"a", "b", "similarity", "relation", "a_in_b", "b_in_a"}


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="b must be a Document or str, not int"):
        compare("text", 3)
    small = Document.from_text("a b c", recipe=Recipe(num_perm=16))
    with pytest.raises(ValueError, match="v1-k3-p128-s0 and v1-k3-p16-s0"):
        compare("a b c", small)
