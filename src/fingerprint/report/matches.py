"""What matches what in a comparison: counterparts, how they relate, and the words they share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fingerprint._core import tokens
from fingerprint.alignment import CONTAINED, BlockPair
from fingerprint.compare import Comparison

_WORD = re.compile(r"\S+")


class Word(NamedTuple):
    """A whitespace-separated word of a block, ``text[start:end]``, and whether it matches."""

    start: int
    end: int
    matched: bool


def counterparts(comparison: Comparison) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """For each aligned block of a and of b, the indexes of the blocks it is paired with."""
    of_a: dict[int, list[int]] = {}
    of_b: dict[int, list[int]] = {}
    for pair in comparison.pairs:
        of_a.setdefault(pair.a, []).append(pair.b)
        of_b.setdefault(pair.b, []).append(pair.a)
    return of_a, of_b


def relation_label(pair: BlockPair) -> str:
    """The pair's relation, saying which way containment goes: ``contained (a in b)``."""
    if pair.relation != CONTAINED:
        return pair.relation
    return f"{CONTAINED} (a in b)" if pair.a_in_b >= pair.b_in_a else f"{CONTAINED} (b in a)"


def matching_words(text: str, others: Iterable[str], run: int) -> list[Word]:
    """The words of ``text``, marked when they lie in a run of ``run`` tokens found in ``others``.

    Runs of tokens rather than single tokens, so that "the" or "said" light up only inside a shared
    phrase. A block shorter than ``run`` tokens matches when all of it appears in order.

    >>> words = matching_words("Storm hits the coast today", ["a storm hits the coast"], 3)
    >>> [("Storm hits the coast today"[w.start : w.end], w.matched) for w in words][-2:]
    [('coast', True), ('today', False)]
    """
    found = list(_WORD.finditer(text))
    word_tokens = [tokens(m.group()) for m in found]
    sequence = [t for toks in word_tokens for t in toks]
    size = min(run, len(sequence))
    shared = _token_runs(others, size) if size else set()
    in_shared_run = [False] * len(sequence)
    for i in range(len(sequence) - size + 1):
        if tuple(sequence[i : i + size]) in shared:
            in_shared_run[i : i + size] = [True] * size
    words, position = [], 0
    for m, toks in zip(found, word_tokens, strict=True):
        matched = any(in_shared_run[position : position + len(toks)])
        words.append(Word(m.start(), m.end(), matched))
        position += len(toks)
    return words


def _token_runs(texts: Iterable[str], size: int) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        toks: Sequence[str] = tokens(text)
        runs.update(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))
    return runs
