"""Syndicated variants rewritten by a subeditor: harder copies for ranking and thresholds.

`rewrite` takes a variant of `syndication.make_variant` (headline, byline, body paragraphs, local
paragraphs and captions, one paragraph each) and rewrites it as an outlet's desk would, seeded:

- the headline rewritten: a few of its words kept, in another order, among new ones;
- the lede (the first body paragraph) rewritten: its sentences in another order and a third of
  its words replaced or dropped;
- in the other paragraphs, the sentences reordered (half of the paragraphs with several);
- reworded sentences: in a quarter of the sentences, a fifth of the words replaced, dropped or
  swapped with their neighbour (a paraphrase-level edit, which breaks most of their 3-grams).

The truth does not change: the variant is still a copy of its original, only harder to find.
"""

from __future__ import annotations

import random
import re

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"']?[A-Z0-9])")
HEADLINE_WORDS = ("Report", "Latest", "Update", "Analysis", "Inside", "Explained", "Now", "Why")
FILLERS = (
    "meanwhile",
    "however",
    "according to reports",
    "it is understood",
    "in a statement",
    "this week",
    "critics say",
    "sources said",
)
LEDE_CHANGED = 1 / 3
REWORDED_SENTENCES = 1 / 4
REWORDED_WORDS = 1 / 5
REORDERED_PARAGRAPHS = 1 / 2


def rewrite(variant: str, rng: random.Random) -> str:
    """The variant with its headline and lede rewritten and its sentences reordered and
    reworded; paragraphs stay paragraphs (blank lines between them)."""
    headline, byline, *body = variant.split("\n\n")
    if body:
        body[0] = _reword(" ".join(_reordered(_sentences(body[0]), rng)), LEDE_CHANGED, rng)
        body[1:] = [_rewritten_paragraph(p, rng) for p in body[1:]]
    return "\n\n".join([_headline(headline, rng), byline, *body])


def _headline(headline: str, rng: random.Random) -> str:
    words = headline.split()
    kept = rng.sample(words, min(len(words), max(1, len(words) // 3)))
    return " ".join([rng.choice(HEADLINE_WORDS) + ":", *kept, rng.choice(FILLERS)]).capitalize()


def _rewritten_paragraph(paragraph: str, rng: random.Random) -> str:
    sentences = _sentences(paragraph)
    if len(sentences) > 1 and rng.random() < REORDERED_PARAGRAPHS:
        sentences = _reordered(sentences, rng)
    sentences = [
        _reword(s, REWORDED_WORDS, rng) if rng.random() < REWORDED_SENTENCES else s
        for s in sentences
    ]
    return " ".join(sentences)


def _sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_END.split(paragraph) if s]


def _reordered(sentences: list[str], rng: random.Random) -> list[str]:
    order = list(sentences)
    rng.shuffle(order)
    return order


def _reword(sentence: str, share: float, rng: random.Random) -> str:
    """`share` of the words replaced by a filler, dropped, or swapped with the next one."""
    words = sentence.split()
    for position in sorted(rng.sample(range(len(words)), round(share * len(words))), reverse=True):
        operation = rng.choice(("replace", "drop", "swap"))
        if operation == "replace":
            words[position] = rng.choice(FILLERS)
        elif operation == "drop" and len(words) > 1:
            del words[position]
        elif position + 1 < len(words):
            words[position], words[position + 1] = words[position + 1], words[position]
    return " ".join(words)
