"""The compiled library agrees bit for bit with the plain-Python reference recipe (docs/spec.md).

On the committed golden vectors, on generated text (hypothesis), and on every character that
Python's Unicode database assigns.
"""

import itertools
import json
import string
import sys
import unicodedata

import make_golden
import numpy as np
import pytest
import reference
from hypothesis import given
from hypothesis import strategies as st

import fingerprint

GOLDEN = [
    json.loads(line) for line in make_golden.GOLDEN_PATH.read_text(encoding="ascii").splitlines()
]
DEFAULT_PARAMETERS = {"shingle_size": 3, "num_perm": 128, "seed": 0}


def parameters(vector):
    return {name: vector[name] for name in DEFAULT_PARAMETERS}


def recipe_of(params):
    return fingerprint.Recipe(**params)


# -- golden vectors ---------------------------------------------------------------------------


@pytest.mark.parametrize("vector", GOLDEN, ids=[vector["name"] for vector in GOLDEN])
def test_golden_vector(vector):
    text, params = vector["text"], parameters(vector)
    recipe = recipe_of(params)
    assert fingerprint.tokens(text) == vector["tokens"]
    hashes = fingerprint.shingle_hashes(text, recipe)
    assert hashes.dtype == np.uint64
    assert hashes.tolist() == vector["shingle_hashes"]
    values = fingerprint.sketch(text, recipe).hashvalues
    assert values.dtype == np.uint32
    assert values.tolist() == vector["signature"]
    if params == DEFAULT_PARAMETERS:
        assert fingerprint.shingle_hashes(text).tolist() == vector["shingle_hashes"]
        assert fingerprint.sketch(text).hashvalues.tolist() == vector["signature"]


def test_golden_vectors_in_batches():
    by_recipe = itertools.groupby(
        sorted(GOLDEN, key=lambda v: sorted(parameters(v).items())), key=parameters
    )
    for params, group in by_recipe:
        vectors = list(group)
        batch = fingerprint.sketch_many([v["text"] for v in vectors], recipe_of(params), threads=2)
        assert batch.dtype == np.uint32
        assert batch.tolist() == [v["signature"] for v in vectors]


# -- generated text ---------------------------------------------------------------------------


def assigned(min_codepoint=0, max_codepoint=sys.maxunicode, categories=None):
    """Characters that Python's unicodedata assigns (no Cn), and no surrogates."""
    return st.characters(
        min_codepoint=min_codepoint,
        max_codepoint=max_codepoint,
        categories=categories,
        exclude_categories=None if categories else ("Cn", "Cs"),
    )


EMOJI = [
    "\U0001f600",
    "\u2764\ufe0f",
    "\U0001f44d\U0001f3fd",
    "\U0001f44b\U0001f3ff",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "1\ufe0f\u20e3",
    "\U0001f1ec\U0001f1e7",
    "\u200d",
    "\ufe0f",
]
APOSTROPHES = ["'", "\u2019", "''", "\u2019'", "\uff07", "\u02bc", "\u2018", "\u2032"]
WHITESPACE = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u2028", "\x85"]
LETTERS = string.ascii_letters + "\u00df\u00e9\u0130\u0131\u03a3\u03c2\u0416\u00c5\ufb01"

words = st.text(st.sampled_from(LETTERS), min_size=1, max_size=8)
pieces = st.one_of(
    assigned(),
    words,
    st.tuples(words | assigned(), st.sampled_from(APOSTROPHES), words | assigned()).map("".join),
    st.sampled_from(EMOJI),
    assigned(categories=("Mn", "Mc", "Me")),
    assigned(0x0590, 0x06FF),  # Hebrew, Arabic
    assigned(0x0900, 0x097F),  # Devanagari
    assigned(0x0E00, 0x0EFF),  # Thai, Lao
    assigned(0x3040, 0x30FF),  # Hiragana, Katakana
    assigned(0x4E00, 0x9FFF),  # CJK
    assigned(0xAC00, 0xD7A3),  # Hangul syllables
    assigned(0xFF00, 0xFFEF),  # fullwidth and halfwidth forms
    assigned(0x20000, 0x3FFFF),  # CJK extension B and later
    assigned(categories=("Cc", "Cf")),
    st.sampled_from(["\x00", *APOSTROPHES, *WHITESPACE]),
)
mixed_text = st.lists(pieces, max_size=40).map("".join)
joined_words = st.tuples(words, st.sampled_from(["'", "\u2019"]), words).map("".join)
wordy_text = st.lists(
    joined_words | words | st.sampled_from(APOSTROPHES + WHITESPACE), max_size=40
).map("".join)
long_token_text = st.tuples(
    mixed_text, st.text(st.sampled_from(LETTERS), min_size=1000, max_size=3000), mixed_text
).map("".join)
texts = st.one_of(
    mixed_text,
    wordy_text,
    st.text(assigned()),
    st.just(""),
    st.lists(st.sampled_from(WHITESPACE), min_size=1).map("".join),
    long_token_text,
)
recipe_parameters = st.fixed_dictionaries(
    {
        "shingle_size": st.integers(1, 6),
        "num_perm": st.integers(1, 300),
        "seed": st.integers(0, 2**64 - 1),
    }
)


@given(texts)
def test_tokens_agree(text):
    assert fingerprint.tokens(text) == reference.tokens(text)


@given(texts, recipe_parameters)
def test_shingles_agree(text, params):
    k, seed = params["shingle_size"], params["seed"]
    recipe = recipe_of(params)
    assert fingerprint.shingles(text, recipe) == reference.shingles(text, k)
    hashes = fingerprint.shingle_hashes(text, recipe)
    assert hashes.dtype == np.uint64
    assert hashes.tolist() == reference.shingle_hashes(text, k, seed)


@given(texts, recipe_parameters)
def test_signature_agrees(text, params):
    values = fingerprint.sketch(text, recipe_of(params)).hashvalues
    assert values.dtype == np.uint32
    assert values.tolist() == reference.signature(text, **params)


@given(st.lists(texts, max_size=8), recipe_parameters, st.sampled_from([None, 1, 3]))
def test_sketch_many_agrees(batch, params, threads):
    values = fingerprint.sketch_many(batch, recipe_of(params), threads=threads)
    assert values.dtype == np.uint32
    assert values.shape == (len(batch), params["num_perm"])
    assert values.tolist() == [reference.signature(text, **params) for text in batch]


# Surrogate pairs in a `str` are two lone surrogates, so two separators, not the character
# they would encode in UTF-16 (U+20000, U+1D400, U+1F600).
surrogate_text = st.lists(
    st.one_of(
        pieces,
        st.characters(categories=("Cs",)),
        st.sampled_from(["\ud840\udc00", "\ud835\udc00", "\ud83d\ude00", "a\ud800'b"]),
    ),
    max_size=30,
).map("".join)


@given(surrogate_text, recipe_parameters)
def test_lone_surrogates_are_replacement_characters(text, params):
    k, seed = params["shingle_size"], params["seed"]
    recipe = recipe_of(params)
    assert fingerprint.tokens(text) == reference.tokens(text)
    assert fingerprint.shingle_hashes(text, recipe).tolist() == reference.shingle_hashes(
        text, k, seed
    )
    assert fingerprint.sketch(text, recipe).hashvalues.tolist() == reference.signature(
        text, **params
    )


def test_largest_recipe_agrees():
    params = {"shingle_size": 64, "num_perm": 8192, "seed": 2**64 - 1}
    for text in (make_golden.NEWS_COUNCIL * 2, "Hello"):
        values = fingerprint.sketch(text, recipe_of(params)).hashvalues
        assert values.tolist() == reference.signature(text, **params)


# -- every assigned character -----------------------------------------------------------------


def test_every_assigned_character_is_classified_alike():
    """Each character between two letters shows its normalization and its class."""
    texts = [
        f"a{char}a"
        for char in map(chr, range(sys.maxunicode + 1))
        if unicodedata.category(char) not in ("Cn", "Cs")
    ]
    mismatches = [
        (text[1], fingerprint.tokens(text), reference.tokens(text))
        for text in texts
        if fingerprint.tokens(text) != reference.tokens(text)
    ]
    assert not mismatches, f"{len(mismatches)} characters differ, e.g. {mismatches[:5]}"
