"""What the index finds about a document: repeats, page furniture, earlier copies, and origin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fingerprint.alignment import BlockPair, Verdict


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Block ``block`` of the document was already seen, identical, in ``count`` other documents
    of the same source: page furniture (teaser links, bylines, footers).

    >>> from fingerprint import Document, Index
    >>> index = Index(boilerplate_min=2)
    >>> page = "Read our newsletter every morning for the top stories\\n\\n{}"
    >>> for i, story in enumerate(["Rain fell all night.", "Markets rose.", "A team won."]):
    ...     report = index.add(Document.from_text(page.format(story), doc_id=str(i), source="site"))
    >>> report.boilerplate
    (Boilerplate(block=0, count=2),)
    """

    block: int
    count: int


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier document sharing content blocks with the new one.

    ``containment`` is how much of the new document is in it, ``contained`` how much of it is in
    the new document, ``jaccard`` the similarity of the two (all over the evidence
    blocks: no boilerplate, no short blocks). ``pairs`` align block ``a`` of the new document with
    block ``b`` of this one; ``verdict`` is as in ``compare(new, this)``: ``b_contains_a`` means
    the new document is a trimmed copy of this one.

    >>> from fingerprint import Index
    >>> index = Index()
    >>> _ = index.add("The bank raised its main rate by half a point on Tuesday, officials said.")
    >>> match = index.query("The bank raised its main rate by half a point on Tuesday.").matches[0]
    >>> match.doc_id, match.verdict, match.containment, round(match.contained, 2)
    ('0', 'same_article', 1.0, 0.83)
    """

    doc_id: str
    source: str | None
    published: datetime | None
    containment: float
    contained: float
    jaccard: float
    pairs: tuple[BlockPair, ...]
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.doc_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "containment": self.containment,
            "contained": self.contained,
            "jaccard": self.jaccard,
            "verdict": self.verdict,
            "pairs": [
                {"a": p.a, "b": p.b, "similarity": p.similarity, "relation": p.relation}
                for p in self.pairs
            ],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the index says about one document.

    ``repeated``: groups of near-duplicate blocks inside it. ``boilerplate``: its blocks already
    seen in other documents of its source. ``matches``: earlier documents sharing content with it,
    best first. ``origin``: the id of the earliest-published document of the syndication cluster
    it joins (None when it is a copy of nothing). ``origin_links``: the ids of the matches its
    origin comes from (not part of the JSON report).

    >>> from fingerprint import Index
    >>> report = Index().add("A first story about the harbour and the ships in it.")
    >>> report.to_dict()
    {'id': '0', 'repeated': [], 'boilerplate': [], 'matches': [], 'origin': None}
    """

    doc_id: str
    repeated: list[list[int]]
    boilerplate: tuple[Boilerplate, ...]
    matches: tuple[Match, ...]
    origin: str | None
    origin_links: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as one JSON object (the lines `fingerprint dedup` writes)."""
        return {
            "id": self.doc_id,
            "repeated": self.repeated,
            "boilerplate": [{"block": b.block, "count": b.count} for b in self.boilerplate],
            "matches": [m.to_dict() for m in self.matches],
            "origin": self.origin,
        }
