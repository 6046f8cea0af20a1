"""The retrieval tasks of `retrieval.py`: what is indexed, what is asked, and what is right.

- METER courts: the PA texts indexed (source "PA"), each newspaper story asked; right: a PA
  text of its story (same ``story_key``). Groups: stories.
- MSRP: the distinct first sentences indexed, each pair's second sentence asked; right: a
  sentence linked to it through the pairs (the component of the pair graph: one cluster of
  stories; sentences recur across pairs, so the pair's own partner alone would be no truth).
  Groups: components.
- Clough & Stevenson: the five source texts indexed, each answer asked; right: its task's source,
  except for answers written independently ("non"), which have no right match. Groups: students.
- Reuters-21578 and BBC News: every story indexed, each member of a group of identical bodies
  asked by its id (so not its own match); right: the group's other members. Groups: the groups.
- Syndication, and syndication rewritten (`tests/rewriting.py`): the originals indexed (source
  "bbc"), each copy asked (source "outlet"); right: its original. Groups: originals.
"""

from __future__ import annotations

import collections
import hashlib
import random
import sys
from pathlib import Path

import corpora
from retrieval import Query, Task

from fingerprint import Document
from fingerprint.reading import read_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import rewriting

REWRITE_SEED = 7


def meter(data: Path) -> Task:
    texts = corpora.meter_texts(data, "courts")
    wire = [t for t in texts if t["side"] == "PA"]
    by_story = collections.defaultdict(set)
    for t in wire:
        by_story[t["story_key"]].add(t["id"])
    queries = [
        Query(
            Document.from_text(t["text"], doc_id=t["id"], source=t["publication"]),
            frozenset(by_story[t["story_key"]]),
            t["story_key"],
        )
        for t in texts
        if t["side"] == "newspapers"
    ]
    sources = [Document.from_text(t["text"], doc_id=t["id"], source="PA") for t in wire]
    return Task("METER courts", sources, queries, "a PA text of the story")


def msrp(data: Path) -> Task:
    pairs = corpora.msrp_pairs(data)
    component = _components([(p.first, p.second) for p in pairs])
    firsts: dict[str, str] = {}
    for p in pairs:
        firsts.setdefault(p.first, p.first_id)
    by_component = collections.defaultdict(set)
    for text, doc_id in firsts.items():
        by_component[component[text]].add(doc_id)
    sources = [Document.from_text(text, doc_id=doc_id) for text, doc_id in firsts.items()]
    queries = [
        Query(
            Document.from_text(p.second, doc_id=f"pair{k}:{p.second_id}"),
            frozenset(by_component[component[p.second]]),
            str(component[p.second]),
        )
        for k, p in enumerate(pairs)
    ]
    return Task("MSRP", sources, queries, "a sentence of the pair's cluster")


def _components(edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's connected component, numbered by first appearance."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    numbers: dict[str, int] = {}
    return {x: numbers.setdefault(root(x), len(numbers)) for x in list(parent)}


def clough(data: Path) -> Task:
    sources, answers = corpora.clough_answers(data)
    queries = [
        Query(
            Document.from_text(a.text, doc_id=a.name),
            frozenset() if a.category == "non" else frozenset({f"orig_task{a.task}"}),
            a.name.split("_")[0],
        )
        for a in answers
    ]
    indexed = [Document.from_text(t, doc_id=f"orig_task{task}") for task, t in sources.items()]
    return Task("Clough & Stevenson", indexed, queries, "its task's source; none if written apart")


def reuters(data: Path) -> Task:
    docs = [
        Document.from_text(s.body, doc_id=s.newid, source="reuters", published=s.date)
        for s in corpora.reuters_stories(data)
    ]
    groups = corpora.reuters_duplicate_groups(data)
    return Task(
        "Reuters-21578", docs, _group_queries(docs, groups), "another of its identical group"
    )


def bbc(data: Path) -> Task:
    docs, by_hash = [], collections.defaultdict(list)
    for article in corpora.bbc_articles(data):
        docs.append(Document.from_text(read_text(article.path), doc_id=article.name, source="bbc"))
        by_hash[hashlib.sha256(article.data).hexdigest()].append(article.name)
    groups = [g for g in by_hash.values() if len(g) > 1]
    return Task("BBC News", docs, _group_queries(docs, groups), "another of its identical group")


def _group_queries(docs: list[Document], groups: list[list[str]]) -> list[Query]:
    by_id = {doc.doc_id: doc for doc in docs}
    return [
        Query(by_id[member], frozenset(set(group) - {member}), group[0])
        for group in groups
        for member in group
        if member in by_id
    ]


def syndication(pairs: list, rewritten: bool) -> Task:
    """`pairs`: `syndication.SyndicatedPair`s whose truth is complete (quality.py chooses)."""
    rng = random.Random(REWRITE_SEED)
    sources = [Document.from_text(p.original, doc_id=p.source, source="bbc") for p in pairs]
    queries = [
        Query(
            Document.from_text(
                rewriting.rewrite(p.variant, rng) if rewritten else p.variant,
                doc_id=f"copy/{p.source}",
                source="outlet",
            ),
            frozenset({p.source}),
            p.source,
        )
        for p in pairs
    ]
    name = "Syndication, rewritten" if rewritten else "Syndication"
    return Task(name, sources, queries, "its original")
