"""A synthetic news stream of any size, grown from Reuters-21578 by documented perturbation.

Each document is a Reuters story, as published again by one of 50 sources: a new id, a date spread
over a year, and, for most, an edit. A document is, with these chances:

- 30%: the story as it is (its wire original);
- 50%: a copy of it: paragraphs trimmed from the end (keeping at least one), two neighbouring
  paragraphs merged, one paragraph split at a sentence, and one word in ten of one paragraph
  replaced by a word of another story;
- 20%: a local story: paragraphs of two different stories, each edited as above.

The same seed gives the same stream. Stories are drawn with replacement, so a large stream holds
many copies of each: the index's candidate lists, stop shingles and clusters grow as they would in
a long-running news index.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

SOURCES = 50
FIRST_DAY = date(2024, 1, 1)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class SyntheticDocument:
    doc_id: str
    text: str
    source: str
    published: str


def stream(stories: list[list[str]], count: int, seed: int = 0) -> Iterator[SyntheticDocument]:
    """``count`` documents grown from ``stories`` (each a list of paragraphs), in order."""
    rng = random.Random(seed)
    for n in range(count):
        story = rng.choice(stories)
        roll = rng.random()
        if roll < 0.3:
            paragraphs = list(story)
        elif roll < 0.8:
            paragraphs = _copy(story, rng.choice(stories), rng)
        else:
            other = rng.choice(stories)
            paragraphs = _copy(story, other, rng)[:2] + _copy(other, story, rng)[:2]
        day = FIRST_DAY + timedelta(days=rng.randrange(365))
        yield SyntheticDocument(
            doc_id=f"s{n}",
            text="\n\n".join(paragraphs),
            source=f"source-{rng.randrange(SOURCES)}",
            published=day.isoformat(),
        )


def _copy(story: list[str], donor: list[str], rng: random.Random) -> list[str]:
    paragraphs = list(story[: rng.randint(1, len(story))])
    if len(paragraphs) > 1 and rng.random() < 0.5:
        at = rng.randrange(len(paragraphs) - 1)
        paragraphs[at : at + 2] = [paragraphs[at] + " " + paragraphs[at + 1]]
    if rng.random() < 0.5:
        at = rng.randrange(len(paragraphs))
        halves = SENTENCE_END.split(paragraphs[at], maxsplit=1)
        paragraphs[at : at + 1] = halves
    at = rng.randrange(len(paragraphs))
    words, spare = paragraphs[at].split(), " ".join(donor).split() or ["news"]
    for i in range(0, len(words), 10):
        words[i] = rng.choice(spare)
    paragraphs[at] = " ".join(words)
    return paragraphs
