"""Jaccard estimates against exact Jaccard, on real Reuters paragraphs and their real variants.

MinHash theory: with J the true similarity, the estimate is Binomial(num_perm, J) / num_perm, so the
expected absolute error of each pair is known exactly. The estimates must be as good as theory
allows and unbiased.
"""

import json
import math
import random

import numpy as np
import pytest
from shared_data import require

import fingerprint

PAIRS = 2000


def reuters_paragraphs(path):
    """Paragraphs of at least 15 words, grouped by story; wire copy indents each new paragraph."""
    stories = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("body") or ""
            paras = [" ".join(p.split()) for p in body.split("\n    ")]
            paras = [p for p in paras if len(p.split()) >= 15]
            if len(paras) >= 2:
                stories.append(paras)
    return stories


def variant(rng, para, story, stories):
    """A partner for `para`: a trimmed, extended, edited or unrelated real paragraph."""
    words = para.split()
    other = rng.choice(rng.choice(stories)).split()
    kind = rng.randrange(5)
    if kind == 0:  # trimmed, as copies are
        return " ".join(words[: max(1, int(len(words) * rng.uniform(0.2, 1.0)))])
    if kind == 1:  # extended with another paragraph's words
        return " ".join(words + other[: rng.randrange(1, len(other) + 1)])
    if kind == 2:  # lightly to heavily edited
        rate = rng.uniform(0.02, 0.4)
        return " ".join(rng.choice(other) if rng.random() < rate else w for w in words)
    if kind == 3:  # another paragraph of the same story
        return rng.choice([p for p in story if p != para] or [para])
    return para  # identical


def expected_abs_error(j, n):
    """E|B/n - j| for B ~ Binomial(n, j)."""
    return sum(math.comb(n, k) * j**k * (1 - j) ** (n - k) * abs(k / n - j) for k in range(n + 1))


def exact_jaccard(a, b):
    sa, sb = (
        set(fingerprint.shingle_hashes(a).tolist()),
        set(fingerprint.shingle_hashes(b).tolist()),
    )
    return len(sa & sb) / len(sa | sb)


@pytest.fixture(scope="module")
def pairs():
    stories = reuters_paragraphs(require("reuters21578/reuters21578.jsonl"))
    rng = random.Random(20261124)
    chosen = []
    for _ in range(PAIRS):
        story = rng.choice(stories)
        para = rng.choice(story)
        chosen.append((para, variant(rng, para, story, stories)))
    return chosen


def test_estimates_are_as_accurate_as_theory_allows_and_unbiased(pairs):
    left = fingerprint.sketch_many([a for a, _ in pairs])
    right = fingerprint.sketch_many([b for _, b in pairs])
    estimated = (left == right).mean(axis=1)
    exact = np.array([exact_jaccard(a, b) for a, b in pairs])
    errors = estimated - exact
    theory = np.mean([expected_abs_error(j, 128) for j in exact])
    assert np.mean((exact > 0.1) & (exact < 0.9)) > 0.3, "pairs must spread over the range"
    assert np.mean(np.abs(errors)) <= 1.15 * theory, (np.mean(np.abs(errors)), theory)
    assert abs(np.mean(errors)) <= 0.005, np.mean(errors)
