"""Syndication clusters: documents joined by copy relations, for finding a story's origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Clusters:
    """Union-find over document numbers, keeping each cluster's members and its oldest one.

    ``age(n)`` orders documents (the least is the oldest) and is None for one that is gone; each
    cluster remembers its oldest member, so finding it costs nothing however large the cluster
    (hundreds of templated notices join one).

    >>> clusters = Clusters(age=lambda n: -n)
    >>> clusters.join(1, 2); clusters.join(3, 2)
    >>> sorted(clusters.members(3)), clusters.members(9), clusters.oldest(1)
    ([1, 2, 3], [9], 3)
    """

    def __init__(self, age: Callable[[int], Any] = lambda n: n) -> None:
        self._age = age
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        self._oldest: dict[int, int] = {}

    def join(self, a: int, b: int) -> None:
        """Puts ``a`` and ``b`` in one cluster."""
        ra, rb = self._root(a), self._root(b)
        if ra == rb:
            return
        oldest = self._older(self.oldest(ra), self.oldest(rb))
        small, large = sorted((ra, rb), key=lambda r: len(self._members.get(r, [r])))
        self._parent[small] = large
        self._members.setdefault(large, [large]).extend(self._members.pop(small, [small]))
        self._oldest.pop(small, None)
        if oldest is not None:
            self._oldest[large] = oldest

    def members(self, n: int) -> list[int]:
        """The documents in ``n``'s cluster (``n`` alone when it joined none)."""
        return list(self._members.get(self._root(n), [n]))

    def oldest(self, n: int) -> int | None:
        """The oldest document still there in ``n``'s cluster, or None if none is."""
        root = self._root(n)
        known = self._oldest.get(root, root)
        if self._age(known) is not None:
            return known
        # The oldest one is gone (removed or expired): find the next, once.
        alive = [m for m in self.members(root) if self._age(m) is not None]
        found = min(alive, key=self._age) if alive else None
        if found is not None:
            self._oldest[root] = found
        return found

    def _older(self, a: int | None, b: int | None) -> int | None:
        if a is None or b is None:
            return b if a is None else a
        return min(a, b, key=self._age)

    def _root(self, n: int) -> int:
        path = []
        while self._parent.get(n, n) != n:
            path.append(n)
            n = self._parent[n]
        for m in path:
            self._parent[m] = n
        return n
