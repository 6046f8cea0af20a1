"""What a run over a corpus found: the copies clustered by their origin, and each source's most
frequent page furniture."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime

from fingerprint.clusters import Clusters
from fingerprint.document import Document
from fingerprint.findings import Report
from fingerprint.report.printable import printable

TOP_CLUSTERS = 10
TOP_SOURCES = 10
TOP_BLOCKS = 5
SHOWN_COPIES = 8
BLOCK_WIDTH = 70


@dataclass(frozen=True, slots=True)
class Cluster:
    """Copies of one story: the earliest-published document, then the others, oldest first."""

    origin: str
    copies: list[str]


class Summary:
    """What a run found: documents read, copies clustered by origin, furniture per source.

    >>> from fingerprint import Document, Index
    >>> index, summary = Index(), Summary("added")
    >>> story = "Heavy rain fell overnight on the whole coast, flooding roads."
    >>> for doc_id, date in [("copy", "2024-05-02"), ("wire", "2024-05-01")]:
    ...     document = Document.from_text(story, doc_id=doc_id, published=date)
    ...     summary.count(document, index.add(document))
    >>> summary.clusters()
    [Cluster(origin='wire', copies=['copy'])]
    """

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.documents = 0
        self.skipped = 0
        # Only documents in clusters of copies are numbered, so memory grows with the copies.
        self._numbers: dict[str, int] = {}
        self._ages: list[tuple[bool, datetime, int]] = []
        self._ids: list[str] = []
        self._copies = Clusters()
        self._origins: dict[int, str] = {}
        self._furniture: dict[str, dict[str, int]] = {}

    def count(self, document: Document, report: Report) -> None:
        """Takes in one document and the index's report on it."""
        links = [(m.doc_id, m.published) for m in report.matches if m.doc_id in report.origin_links]
        furniture = [(b.count, document.blocks[b.block].text) for b in report.boilerplate]
        self.take(
            report.doc_id, document.published, document.source, links, report.origin, furniture
        )

    def take(
        self,
        doc_id: str,
        published: datetime | None,
        source: str | None,
        links: list[tuple[str, datetime | None]],
        origin: str | None,
        furniture: list[tuple[int, str]],
    ) -> None:
        """Takes in one document from what its report says: the ids and dates of the matches
        that name its origin, its origin, and each furniture block's count and text."""
        self.documents += 1
        if links and origin is not None:
            number = self._number(doc_id, published)
            for link_id, link_published in links:
                self._copies.join(number, self._number(link_id, link_published))
            self._origins[number] = origin
        if furniture and source is not None:
            blocks = self._furniture.setdefault(source, {})
            for count, text in furniture:
                # ``count`` other documents of the source hold the block, and so does this one.
                blocks[text] = max(blocks.get(text, 0), count + 1)

    def clusters(self) -> list[Cluster]:
        """Every cluster of copies, largest first. A cluster's origin is the oldest of the
        origins the index gave its documents (the last one given, when their dates are not
        known here); the others follow, oldest first."""
        groups: list[list[int]] = []
        group_of: dict[int, int] = {}
        for number in self._origins:
            if number not in group_of:
                members = self._copies.members(number)
                group_of.update((member, len(groups)) for member in members)
                groups.append(sorted(members, key=self._ages.__getitem__))
        origins: dict[int, str] = {}
        for number, origin in self._origins.items():  # in the order the documents came
            group = group_of[number]
            origins[group] = self._older(origins.get(group), origin)
        clusters = [
            Cluster(origins[i], [self._ids[m] for m in group if self._ids[m] != origins[i]])
            for i, group in enumerate(groups)
        ]
        return sorted(clusters, key=lambda cluster: -len(cluster.copies))

    def furniture(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """Per source, its furniture blocks with the documents holding each, most held first."""
        by_source = [
            (source, sorted(((n, text) for text, n in blocks.items()), key=lambda b: -b[0]))
            for source, blocks in self._furniture.items()
        ]
        return sorted(by_source, key=lambda s: (-s[1][0][0], s[0]))

    def render(self) -> str:
        """The summary as lines of text."""
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        lines = [f"{plural(self.documents, 'document')} {self.verb}{skipped}", ""]
        lines += self._cluster_lines()
        lines.append("")
        lines += self._furniture_lines()
        return "\n".join(lines)

    def _cluster_lines(self) -> list[str]:
        clusters = self.clusters()
        if not clusters:
            return ["No copies found."]
        lines = [f"{plural(len(clusters), 'cluster')} of copies, largest first (origin <- copies):"]
        for cluster in clusters[:TOP_CLUSTERS]:
            shown = ", ".join(map(printable, cluster.copies[:SHOWN_COPIES]))
            more = len(cluster.copies) - SHOWN_COPIES
            lines.append(
                f"  {printable(cluster.origin)} <- {shown}"
                + (f" and {more} more" if more > 0 else "")
            )
        if len(clusters) > TOP_CLUSTERS:
            lines.append(f"  and {plural(len(clusters) - TOP_CLUSTERS, 'more cluster')}")
        return lines

    def _furniture_lines(self) -> list[str]:
        sources = self.furniture()
        if not sources:
            return ["No page furniture found."]
        lines = ["Page furniture, most frequent blocks per source (documents holding each):"]
        for source, blocks in sources[:TOP_SOURCES]:
            lines.append(f"  {printable(source)}")
            lines += [f"  {n:5}  {_shorten(text)}" for n, text in blocks[:TOP_BLOCKS]]
            if len(blocks) > TOP_BLOCKS:
                lines.append(f"         and {plural(len(blocks) - TOP_BLOCKS, 'more block')}")
        if len(sources) > TOP_SOURCES:
            lines.append(f"  and {plural(len(sources) - TOP_SOURCES, 'more source')}")
        return lines

    def _older(self, known: str | None, given: str) -> str:
        """The older of two origins, or the one given last when either's date is not known."""
        if known is None or known not in self._numbers or given not in self._numbers:
            return given
        ages = self._ages
        return min(known, given, key=lambda doc_id: ages[self._numbers[doc_id]])

    def _number(self, doc_id: str, published: datetime | None) -> int:
        number = self._numbers.setdefault(doc_id, len(self._ids))
        if number == len(self._ids):
            self._ids.append(doc_id)
            self._ages.append((published is None, published or datetime.min, number))
        return number


def plural(count: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _shorten(text: str) -> str:
    return textwrap.shorten(printable(text), BLOCK_WIDTH, placeholder=" ...")
