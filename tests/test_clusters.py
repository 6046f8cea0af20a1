"""Clusters against a plain model: the connected components of the links between documents still
there, whatever the order of joins and removals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fingerprint.clusters import Clusters

operations = st.lists(
    st.one_of(
        st.tuples(st.just("join"), st.integers(0, 12), st.integers(0, 12)),
        st.tuples(st.just("remove"), st.integers(0, 12), st.just(0)),
        st.tuples(st.just("read"), st.integers(0, 12), st.just(0)),
    ),
    max_size=60,
)


def _component(links: set[tuple[int, int]], n: int) -> set[int]:
    found, frontier = {n}, [n]
    while frontier:
        at = frontier.pop()
        for a, b in links:
            for one, other in ((a, b), (b, a)):
                if one == at and other not in found:
                    found.add(other)
                    frontier.append(other)
    return found


@given(operations)
def test_clusters_are_the_components_of_the_live_links(ops: list[tuple[str, int, int]]) -> None:
    clusters = Clusters(age=lambda n: -n)  # the highest number is the oldest
    links: set[tuple[int, int]] = set()
    removed: set[int] = set()
    for op, a, b in ops:
        if op == "join" and a not in removed and b not in removed:
            clusters.join(a, b)
            if a != b:
                links.add((a, b))
        elif op == "remove":
            clusters.remove(a)
            removed.add(a)
            links = {(x, y) for x, y in links if a not in (x, y)}
        elif a not in removed:
            expected = _component(links, a)
            assert set(clusters.members(a)) == expected
            assert clusters.oldest(a) == max(expected)


def test_a_document_linked_while_the_clusters_wait_for_a_rebuild_is_forgotten_too() -> None:
    clusters = Clusters()
    clusters.join(1, 2)
    clusters.remove(1)  # the next read rebuilds
    clusters.join(3, 4)
    clusters.remove(4)
    assert clusters.members(3) == [3]
    assert sorted(clusters.members(2)) == [2]
