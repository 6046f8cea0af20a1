"""The public functions: sketch, sketch_many, tokens, shingles, shingle_hashes, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fingerprint
from fingerprint import Recipe

texts = st.lists(st.text(max_size=200), max_size=40)


@given(texts, st.integers(1, 4))
def test_sketch_many_equals_a_loop_of_sketch(batch, threads):
    rows = fingerprint.sketch_many(batch, threads=threads)
    assert rows.shape == (len(batch), 128)
    assert rows.dtype == np.uint32
    for text, row in zip(batch, rows, strict=True):
        assert np.array_equal(row, fingerprint.sketch(text).hashvalues)


def test_sketch_many_spreads_large_batches_over_threads_without_changing_rows():
    batch = [f"paragraph {i} about item {i % 17} and {i % 5}" for i in range(5000)]
    one = fingerprint.sketch_many(batch, threads=1)
    assert np.array_equal(one, fingerprint.sketch_many(batch, threads=3))
    assert np.array_equal(one, fingerprint.sketch_many(iter(batch)))


def test_sketch_many_of_nothing_is_an_empty_array():
    assert fingerprint.sketch_many([], recipe=Recipe(num_perm=16)).shape == (0, 16)


def test_recipe_parameters_reach_the_signature():
    recipe = Recipe(shingle_size=2, num_perm=64, seed=7)
    sig = fingerprint.sketch("a b c d", recipe)
    assert len(sig) == 64 and sig.recipe == recipe
    assert fingerprint.sketch_many(["a b c d"], recipe).shape == (1, 64)
    assert len(fingerprint.shingle_hashes("a b c d", recipe)) == 3
    assert fingerprint.shingles("a b c d", recipe) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_first_permutations_do_not_depend_on_num_perm():
    full = fingerprint.sketch("a few words of text", Recipe(num_perm=128)).hashvalues
    half = fingerprint.sketch("a few words of text", Recipe(num_perm=64)).hashvalues
    assert np.array_equal(full[:64], half)


def test_short_blocks_match_only_their_equals():
    assert fingerprint.sketch("Reuters").jaccard(fingerprint.sketch("REUTERS")) == 1.0
    assert fingerprint.sketch("Reuters").jaccard(fingerprint.sketch("AP")) < 0.1
    assert fingerprint.sketch("By Jane").jaccard(fingerprint.sketch("By John")) < 0.1


def test_text_without_tokens_has_the_empty_signature():
    for text in ["", "   \n\t", "!!! --- ???", "\x00\x01"]:
        sig = fingerprint.sketch(text)
        assert sig.is_empty
        assert sig.jaccard(sig) == 0.0
        assert (sig.hashvalues == 0xFFFFFFFF).all()


def test_lone_surrogates_and_nul_are_separators():
    assert fingerprint.tokens("left\ud800right") == ["left", "right"]
    assert fingerprint.tokens("left\x00right") == ["left", "right"]
    assert fingerprint.sketch("a\udfffb c") == fingerprint.sketch("a b c")
    assert np.array_equal(
        fingerprint.sketch_many(["a\ud800b c"])[0], fingerprint.sketch("a b c").hashvalues
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: fingerprint.sketch(b"x"), TypeError, "text must be str, not bytes"),
        (lambda: fingerprint.sketch(None), TypeError, "text must be str, not NoneType"),
        (lambda: fingerprint.tokens(3), TypeError, "text must be str, not int"),
        (
            lambda: fingerprint.sketch_many("abc"),
            TypeError,
            "texts must be an iterable of str, not str",
        ),
        (
            lambda: fingerprint.sketch_many(5),
            TypeError,
            "texts must be an iterable of str, not int",
        ),
        (lambda: fingerprint.sketch_many(["a", 2]), TypeError, r"texts\[1\] must be str, not int"),
        (
            lambda: fingerprint.sketch_many(["a"], threads=0),
            ValueError,
            r"threads \(0\) must be positive",
        ),
        (
            lambda: fingerprint.sketch_many(["a"], threads="2"),
            TypeError,
            "threads must be int or None, not str",
        ),
        (
            lambda: fingerprint.sketch("a", recipe={}),
            TypeError,
            "recipe must be a fingerprint.Recipe or None, not dict",
        ),
        (lambda: Recipe(num_perm=0), ValueError, r"num_perm \(0\) must be between 1 and 8192"),
        (lambda: Recipe(num_perm=-5), ValueError, r"num_perm \(-5\) must be between 1 and 8192"),
        (
            lambda: Recipe(num_perm=2**200),
            ValueError,
            r"num_perm \(1606938044258990275541962092341162602522202993782792835301376\) must be",
        ),
        (
            lambda: Recipe(shingle_size=0),
            ValueError,
            r"shingle_size \(0\) must be between 1 and 64",
        ),
        (
            lambda: Recipe(seed=-1),
            ValueError,
            r"seed \(-1\) must be between 0 and 18446744073709551615",
        ),
        (lambda: Recipe(num_perm="128"), TypeError, "num_perm must be int, not str"),
        (lambda: Recipe(version=2), ValueError, r"version \(2\) is not supported"),
    ],
)
def test_bad_arguments_are_named_with_their_value(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_a_bad_text_deep_in_a_large_batch_is_named(threads):
    batch = ["some words of text"] * 5000
    batch[3000] = b"bytes"
    with pytest.raises(TypeError, match=r"texts\[3000\] must be str, not bytes"):
        fingerprint.sketch_many(batch, threads=threads)
    batch[3000] = "lone \ud800 surrogate"
    rows = fingerprint.sketch_many(batch, threads=threads)
    assert np.array_equal(rows[3000], fingerprint.sketch("lone surrogate").hashvalues)
    assert np.array_equal(rows[4999], fingerprint.sketch(batch[4999]).hashvalues)
