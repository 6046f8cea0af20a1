"""Syndication clusters: documents joined by copy relations, for finding a story's origin."""

from __future__ import annotations


class Clusters:
    """Union-find over document numbers, keeping each cluster's members.

    >>> clusters = Clusters()
    >>> clusters.join(1, 2); clusters.join(3, 2)
    >>> sorted(clusters.members(3)), clusters.members(9)
    ([1, 2, 3], [9])
    """

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}

    def join(self, a: int, b: int) -> None:
        """Puts ``a`` and ``b`` in one cluster."""
        ra, rb = self._root(a), self._root(b)
        if ra == rb:
            return
        small, large = sorted((ra, rb), key=lambda r: len(self._members.get(r, [r])))
        self._parent[small] = large
        self._members.setdefault(large, [large]).extend(self._members.pop(small, [small]))

    def members(self, n: int) -> list[int]:
        """The documents in ``n``'s cluster (``n`` alone when it joined none)."""
        return list(self._members.get(self._root(n), [n]))

    def _root(self, n: int) -> int:
        path = []
        while self._parent.get(n, n) != n:
            path.append(n)
            n = self._parent[n]
        for m in path:
            self._parent[m] = n
        return n
