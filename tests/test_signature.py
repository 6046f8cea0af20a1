"""Signature: comparison, equality, pickling, rebuilding from values, and datasketch interop."""

import copy
import pickle

import numpy as np
import pytest
from datasketch import MinHashLSH

import fingerprint
from fingerprint import Recipe, Signature

STORY = (
    "The central bank raised its key interest rate by half a point on Tuesday, citing inflation."
)


def test_equal_texts_give_equal_signatures_and_hashes():
    a, b = fingerprint.sketch(STORY), fingerprint.sketch(STORY.upper())
    assert a == b and hash(a) == hash(b)
    assert a != fingerprint.sketch(STORY + " Markets fell.")
    assert a != fingerprint.sketch(STORY, Recipe(seed=1))


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickling_round_trips(protocol):
    recipe = Recipe(shingle_size=2, num_perm=32, seed=2**64 - 1)
    sig = fingerprint.sketch(STORY, recipe)
    back = pickle.loads(pickle.dumps(sig, protocol))
    assert back == sig and back.recipe == recipe
    assert pickle.loads(pickle.dumps(recipe, protocol)) == recipe
    assert copy.deepcopy(sig) == sig


def test_signature_rebuilds_from_its_values():
    sig = fingerprint.sketch(STORY)
    assert Signature(sig.hashvalues) == sig
    assert Signature(list(sig.hashvalues)) == sig
    with pytest.raises(
        ValueError, match=r"len\(hashvalues\) \(127\) must hold num_perm \(128\) values"
    ):
        Signature(sig.hashvalues[:127])


def test_hashvalues_is_a_copy():
    sig = fingerprint.sketch(STORY)
    values = sig.hashvalues
    values[:] = 0
    assert not (sig.hashvalues == 0).all()


def test_comparing_across_recipes_names_both():
    a, b = fingerprint.sketch(STORY), fingerprint.sketch(STORY, Recipe(num_perm=64))
    with pytest.raises(ValueError, match="v1-k3-p128-s0 and v1-k3-p64-s0"):
        a.jaccard(b)
    with pytest.raises(TypeError, match=r"other must be a fingerprint\.Signature, not str"):
        a.jaccard(STORY)


def test_datasketch_lsh_accepts_our_signatures():
    edited = STORY.replace("Tuesday", "Wednesday")
    other = "Heavy rain flooded the valley overnight and roads were closed to traffic."
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("story", fingerprint.sketch(STORY).to_datasketch())
    lsh.insert("other", fingerprint.sketch(other).to_datasketch())
    assert lsh.query(fingerprint.sketch(edited).to_datasketch()) == ["story"]
    lean = fingerprint.sketch(STORY).to_datasketch()
    assert np.array_equal(lean.hashvalues, fingerprint.sketch(STORY).hashvalues)
    assert lean.jaccard(fingerprint.sketch(edited).to_datasketch()) == pytest.approx(
        fingerprint.sketch(STORY).jaccard(fingerprint.sketch(edited))
    )


def test_the_empty_signature_has_no_datasketch_form():
    with pytest.raises(ValueError, match="empty signature"):
        fingerprint.sketch("...").to_datasketch()


def test_repr_says_what_it_is():
    assert repr(fingerprint.sketch(STORY)) == "Signature(num_perm=128, recipe='v1-k3-p128-s0')"
    assert (
        repr(Recipe(num_perm=64, seed=3))
        == "Recipe(version=1, shingle_size=3, num_perm=64, seed=3)"
    )
