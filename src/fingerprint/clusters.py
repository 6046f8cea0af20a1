"""Syndication clusters: documents joined by copy links, for finding a story's origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Clusters:
    """The connected components of copy links between documents, and each one's oldest member.

    ``age(n)`` orders documents (the least is the oldest). A removed document takes its links
    with it, as if it had never been added: a cluster it bridged falls apart (the union-find is
    rebuilt from the remaining links when next read). Each component remembers its oldest
    member, so finding it costs nothing however large the cluster (hundreds of templated
    notices join one).

    >>> clusters = Clusters(age=lambda n: -n)
    >>> clusters.join(1, 2); clusters.join(3, 2)
    >>> sorted(clusters.members(3)), clusters.members(9), clusters.oldest(1)
    ([1, 2, 3], [9], 3)
    >>> clusters.remove(2)
    >>> clusters.members(3), clusters.oldest(1)
    ([3], 1)
    """

    def __init__(self, age: Callable[[int], Any] = lambda n: n) -> None:
        self._age = age
        # Each link once, under the document that made it: a list per document holds less than a
        # set per end.
        self._links: dict[int, list[int]] = {}
        self._gone: set[int] = set()
        self._stale = False
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        self._oldest: dict[int, int] = {}

    @classmethod
    def of_links(cls, links: dict[int, list[int]], age: Callable[[int], Any]) -> Clusters:
        """The clusters of ``links``: for each document, those it linked to."""
        clusters = cls(age)
        clusters._links = {a: list(others) for a, others in links.items() if others}
        clusters._stale = True
        return clusters

    def links(self) -> dict[int, list[int]]:
        """For each document that made links, the documents still there it linked to."""
        self._refresh()
        return {a: list(others) for a, others in self._links.items() if others}

    def join(self, a: int, b: int) -> None:
        """Links ``a`` and ``b``: they are in one cluster."""
        if a == b:
            return
        self._links.setdefault(a, []).append(b)
        if not self._stale:
            self._union(a, b)

    def remove(self, n: int) -> None:
        """Forgets ``n`` and its links."""
        self._links.pop(n, None)
        # Up to date, the union-find holds every linked document; an unlinked one leaves no trace.
        if self._stale or n in self._parent or n in self._members:
            self._gone.add(n)
            self._stale = True

    def members(self, n: int) -> list[int]:
        """The documents in ``n``'s cluster (``n`` alone when it is linked to none)."""
        self._refresh()
        return list(self._members.get(self._root(n), [n]))

    def oldest(self, n: int) -> int:
        """The oldest document in ``n``'s cluster."""
        self._refresh()
        root = self._root(n)
        return self._oldest.get(root, root)

    def _refresh(self) -> None:
        """Rebuilds the union-find from the links of documents still there, after a removal."""
        if not self._stale:
            return
        self._parent, self._members, self._oldest = {}, {}, {}
        self._stale = False
        gone = self._gone
        for a, others in self._links.items():
            kept = [b for b in others if b not in gone]
            if len(kept) < len(others):
                self._links[a] = kept
            for b in kept:
                self._union(a, b)
        gone.clear()

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra == rb:
            return
        oldest = min(self._oldest.get(ra, ra), self._oldest.get(rb, rb), key=self._age)
        small, large = sorted((ra, rb), key=lambda r: len(self._members.get(r, [r])))
        self._parent[small] = large
        self._members.setdefault(large, [large]).extend(self._members.pop(small, [small]))
        self._oldest.pop(small, None)
        self._oldest[large] = oldest

    def _root(self, n: int) -> int:
        path = []
        while self._parent.get(n, n) != n:
            path.append(n)
            n = self._parent[n]
        for m in path:
            self._parent[m] = n
        return n
