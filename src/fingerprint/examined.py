"""From the core's examination of a document to its report, for the index and for the batch
engines alike: what each match says, which of them name the origin, and the origin itself (the
oldest document of the linked documents' clusters)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

from fingerprint._core import Examination, IndexMatch
from fingerprint.alignment import Verdict
from fingerprint.clusters import Clusters
from fingerprint.findings import Boilerplate, Match, Report

#: How documents are ordered for origin: earliest published first, undated ones after every
#: dated one, then first added.
Age = tuple[bool, datetime, int]


class Entry(NamedTuple):
    """What a report says of a document beyond its content."""

    doc_id: str
    source: str | None
    published: datetime | None


def age(published: datetime | None, number: int) -> Age:
    """The age of document ``number`` (numbered in the order added) for origin."""
    return (published is None, published or datetime.min, number)


def report_of(
    seen: Examination,
    doc_id: str,
    entry_of: Callable[[int], Entry],
    boilerplate_min: int,
    origin: Callable[[list[Match]], str | None],
) -> tuple[Report, list[int]]:
    """The report on a document the core examined, and the places among its matches of those
    that make one story with it (their clusters join). ``entry_of`` gives a match's entry by
    its number; ``origin`` the origin named by the matches that link to it."""
    found = seen.matches
    matches = [_match(m, entry_of(m.number)) for m in found]
    links = [matches[i] for i in seen.origin_links]
    report = Report(
        doc_id=doc_id,
        repeated=seen.repeated,
        boilerplate=tuple(
            Boilerplate(i, c) for i, c in enumerate(seen.furniture) if c >= boilerplate_min
        ),
        matches=tuple(matches),
        origin=origin(links) if links else None,
        origin_links=tuple(m.doc_id for m in links),
    )
    return report, [i for i, m in enumerate(found) if m.same_story]


def origin_among(
    clusters: Clusters,
    linked: Iterable[int],
    itself: tuple[Age, str],
    named: Callable[[int], tuple[Age, str]],
) -> str:
    """The origin of a document linked to documents ``linked`` (by number): the oldest of the
    document itself (its age and id) and the oldest member of each linked document's cluster
    (``named`` gives a member's age and id)."""
    oldest = {clusters.oldest(n) for n in linked}
    return min([*(named(n) for n in oldest), itself])[1]


def _match(found: IndexMatch, entry: Entry) -> Match:
    return Match(
        doc_id=entry.doc_id,
        source=entry.source,
        published=entry.published,
        containment=found.containment,
        contained=found.contained,
        jaccard=found.jaccard,
        pairs=tuple(found.pairs),
        verdict=Verdict(found.verdict),
    )
