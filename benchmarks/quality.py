"""What the corpus index finds on real news, against the truth each corpus has (see ../shared/data).

- Ranking and thresholds on every corpus with a truth (METER courts, MSRP, Clough & Stevenson,
  Reuters and BBC identical groups, syndicated copies as generated and rewritten), beside brute
  force, cross-validated: `retrieval.py` and `retrieval_tasks.py`.
- METER courts: every Press Association text indexed (source "PA"), every newspaper story queried.
  recall@1: the top match is a PA text of the same story, measured with `min_containment` set to
  1e-9 and `min_shared` to 1 so that ranking is measured whatever the threshold; at the default
  thresholds, the precision of the matches that pass them and how many stories get one. Beside it,
  in the same run: datasketch's document-level MinHashLSH (128 permutations, word 3-grams,
  thresholds 0.5 and 0.2, its candidates ranked by estimated Jaccard).
- L3S-GN1: the pages of each site with at least 3 pages indexed (source = the URL's host), then
  every page queried again: a block is flagged as boilerplate when at least `boilerplate_min` (3)
  pages of its site carry it (the page itself included, since it is in the index). Our blocks get
  the human labels by text (see `PageLabels`). Reported: the share of flagged blocks that are not
  article text (`fulltext`), and the share of repeated furniture (`not_content`,
  `related_content` blocks whose text is on at least 3 pages of the site) that is flagged. The
  same as the pages stream in (flagged on the 4th page that carries a block) is shown too.
- The seed article: the repeated-block groups of `Index().add(doc)` are the two caption groups.
- Reuters-21578: all 19,779 stories added in NEWID order (source "reuters", published = date);
  each identical-body group is found when every later member matches an earlier one as
  same_article.
- BBC News: the same for groups of byte-identical files (source "bbc").
- Syndication: the seeded generator of tests/syndication.py run as a corpus: originals (source
  "bbc") and their syndicated variants (one of 20 outlets, published 1-72 hours later), added in
  publication order. A copy is right when its report's origin is its original; precision, recall
  and F1 over all copies and by the share of paragraphs kept.

Writes benchmarks/results/quality.json (machine, settings, every number) and
benchmarks/results/quality.md (the table), and prints the table.

    python benchmarks/quality.py             # everything, under a minute
    python benchmarks/quality.py --quick     # fewer syndicated pairs, writes quality.quick.*
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import random
import re
import shlex
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import corpora
import retrieval
import retrieval_tasks
from datasketch import MinHash, MinHashLSH
from publish import log, machine, met_cell, write
from selectolax.lexbor import LexborHTMLParser
from signatures import shingles

import fingerprint
from fingerprint import Document, Index
from fingerprint.alignment import COPY_VERDICTS
from fingerprint.reading import read_text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
import syndication  # noqa: E402  (tests/syndication.py: the generator with known truth)

NUM_PERM = 128
LSH_THRESHOLDS = (0.5, 0.2)
RANKING_CONTAINMENT = 1e-9  # lets every candidate through, to measure ranking alone
MIN_SITE_PAGES = 3
FURNITURE_LABELS = ("not_content", "related_content")
SYNDICATION_PAIRS = 2000  # asked of the generator; fewer are kept (see `syndication_corpus`)
SYNDICATION_SEED = 0
OUTLETS = 20
TRIM_BINS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # kept share of body paragraphs, [0.3, 0.4), ...


# METER courts.


def meter(data: Path) -> dict:
    texts = corpora.meter_texts(data, "courts")
    wire = [t for t in texts if t["side"] == "PA"]
    stories = [t for t in texts if t["side"] == "newspapers"]
    story_of = {t["id"]: t["story_key"] for t in wire}

    def same_story(doc_id: str, story: dict) -> bool:
        return story_of[doc_id] == story["story_key"]

    def ranked(min_containment: float, min_shared: int) -> list[list[str]]:
        index = Index(min_containment=min_containment, min_shared=min_shared)
        index.add_many([Document.from_text(t["text"], doc_id=t["id"], source="PA") for t in wire])
        return [
            [
                m.doc_id
                for m in index.query(Document.from_text(s["text"], source=s["publication"])).matches
            ]
            for s in stories
        ]

    start = time.perf_counter()
    by_rank = ranked(RANKING_CONTAINMENT, 1)
    seconds = time.perf_counter() - start
    passing = ranked(Index().min_containment, Index().min_shared)
    matches = [(doc_id, s) for found, s in zip(passing, stories, strict=True) for doc_id in found]
    top = [(found[0], s) for found, s in zip(passing, stories, strict=True) if found]
    ours = {
        "recall_at_1": _share(
            found and same_story(found[0], s) for found, s in zip(by_rank, stories, strict=True)
        ),
        "seconds_index_and_query": seconds,
        "default_min_containment": Index().min_containment,
        "stories_with_match": len(top),
        "matches_passing": len(matches),
        "precision": _share(same_story(d, s) for d, s in matches),
        "top_precision": _share(same_story(d, s) for d, s in top),
        "recall_at_1_default": sum(same_story(d, s) for d, s in top) / len(stories),
    }
    return {
        "pa_texts": len(wire),
        "stories": len(stories),
        "fingerprint": ours,
        "datasketch": {
            str(threshold): _datasketch_meter(wire, stories, threshold, same_story)
            for threshold in LSH_THRESHOLDS
        },
    }


def _peer_shingles(text: str) -> set[bytes]:
    return {shingle.encode() for shingle in shingles(text)}


def _datasketch_meter(wire: list[dict], stories: list[dict], threshold: float, same_story) -> dict:
    """Document-level LSH: candidates of each story, ranked by estimated Jaccard."""
    wire_hashes = MinHash.bulk([_peer_shingles(t["text"]) for t in wire], num_perm=NUM_PERM)
    story_hashes = MinHash.bulk([_peer_shingles(s["text"]) for s in stories], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for text, minhash in zip(wire, wire_hashes, strict=True):
        lsh.insert(text["id"], minhash)
    by_id = {t["id"]: m for t, m in zip(wire, wire_hashes, strict=True)}
    hits = with_candidates = candidates = right = 0
    for story, minhash in zip(stories, story_hashes, strict=True):
        found = lsh.query(minhash)
        if not found:
            continue
        with_candidates += 1
        best = max(found, key=lambda doc_id: (by_id[doc_id].jaccard(minhash), doc_id))
        hits += same_story(best, story)
        candidates += len(found)
        right += sum(same_story(doc_id, story) for doc_id in found)
    return {
        "recall_at_1": hits / len(stories),
        "stories_with_candidate": with_candidates,
        "candidates": candidates,
        "precision": right / candidates if candidates else None,
    }


# Ranking and thresholds, as retrieval on every corpus with a truth.


def ranking(data: Path, pairs: list) -> dict:
    tasks = [
        retrieval_tasks.meter(data),
        retrieval_tasks.msrp(data),
        retrieval_tasks.clough(data),
        retrieval_tasks.reuters(data),
        retrieval_tasks.bbc(data),
        retrieval_tasks.syndication(pairs, rewritten=False),
        retrieval_tasks.syndication(pairs, rewritten=True),
    ]
    measured = {}
    for task in tasks:
        measured[task.name] = retrieval.measure(task)
        log(f"  {task.name}: recall@1 {measured[task.name]['recall_at_1']:.3f}")
    validation = retrieval.cross_validate(measured, _defaults())
    for figures in measured.values():
        del figures["rows"]  # per query: for cross-validation, not for the JSON
    return {"tasks": measured, "cross_validation": validation, "defaults": _defaults()}


def _defaults() -> tuple[float, int]:
    index = Index()
    return index.min_containment, index.min_shared


def ranking_table(results: dict) -> str:
    return (
        "Ranking and thresholds, as retrieval: each query's top match against its truth "
        "(`benchmarks/retrieval.py`).\n\n"
        + retrieval.table(results["tasks"], results["cross_validation"], results["defaults"])
    )


# L3S-GN1.


LABEL_OF_CLASS = {
    "0": "not_content",
    "1": "headline",
    "2": "fulltext",
    "3": "supplemental",
    "4": "related_content",
    "5": "comments",
}
UNSELECTED = "unselected"  # text the assessors did not select: "regarded not content" (L3S)
SELECTION = re.compile(r"\bx-nc-sel(\d)\b")
INVISIBLE = frozenset({"script", "style", "noscript", "head", "title", "_comment"})
NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def l3s_text(text: str) -> str:
    """Text as the L3S files have it: whitespace collapsed, every non-ASCII run one '?'."""
    return NON_ASCII.sub("?", " ".join(text.split()))


class PageLabels:
    """The human labels of a page's text, character by character, to label our blocks by text.

    Labelled text comes from the labelled blocks of l3s_gn1_blocks.jsonl, as their <span>s sit in
    annotated/<uuid>.html; text of that page outside every labelled span is `UNSELECTED`. Texts
    are compared without whitespace and with non-ASCII as '?' (the L3S files have '?' for it). A
    block of ours is found when its text occurs in the page's text starting and ending at word
    boundaries, searched from where the previous block was found (then from the start); it takes
    the label of most of its characters.
    """

    def __init__(self, page: corpora.LabelledPage) -> None:
        chars: list[str] = []
        self.labels: list[str] = []
        self.bounds: set[int] = set()
        for text, label in _annotated_text(read_text(page.annotated)):
            for word in l3s_text(text).split():
                self.bounds.add(len(chars))
                chars.extend(word)
                self.labels.extend([label] * len(word))
                self.bounds.add(len(chars))
        self.text = "".join(chars)
        self._cursor = 0

    def label(self, block_text: str) -> str | None:
        wanted = "".join(l3s_text(block_text).split())
        if not wanted:
            return None
        for start in (self._cursor, 0):
            at = self.text.find(wanted, start)
            while at != -1 and not (at in self.bounds and at + len(wanted) in self.bounds):
                at = self.text.find(wanted, at + 1)
            if at != -1:
                self._cursor = at + len(wanted)
                counts = collections.Counter(self.labels[at : at + len(wanted)])
                return counts.most_common(1)[0][0]
        return None

    def label_counts(self) -> collections.Counter:
        return collections.Counter(self.labels)


def _annotated_text(html: str) -> list[tuple[str, str]]:
    """The visible text nodes of an annotated page, each with its label."""
    parser = LexborHTMLParser(html)
    found: list[tuple[str, str]] = []
    stack = [(parser.root, UNSELECTED)] if parser.root is not None else []
    while stack:  # depth first, in document order
        node, label = stack.pop()
        if node.tag == "-text":
            found.append((node.text_content or "", label))
            continue
        children = []
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                children.append((child, label))
            elif child.tag not in INVISIBLE:
                selected = SELECTION.search((child.attributes or {}).get("class") or "")
                children.append((child, LABEL_OF_CLASS[selected.group(1)] if selected else label))
        stack.extend(reversed(children))
    return found


def l3s(data: Path) -> dict:
    pages = corpora.l3s_pages(data)
    by_site = collections.defaultdict(list)
    for page in pages:
        by_site[page.site].append(page)
    sites = {site: group for site, group in sorted(by_site.items()) if len(group) >= MIN_SITE_PAGES}
    label_totals: collections.Counter = collections.Counter()
    flagged = {"after_all": collections.Counter(), "streaming": collections.Counter()}
    furniture = collections.Counter()
    fulltext_flagged: list[tuple[str, str]] = []
    check = {"labelled_characters_jsonl": 0, "labelled_characters_annotated": 0}
    for site, group in sites.items():
        docs = [
            Document.from_html(read_text(page.original), doc_id=page.uuid, source=site)
            for page in group
        ]
        index = Index()
        streaming = index.add_many(docs)  # in uuid order; no dates: published unknown
        after_all = [index.query(doc) for doc in docs]
        pages_with = collections.Counter(
            text for doc in docs for text in {" ".join(b.text.split()) for b in doc.blocks}
        )
        for page, doc, first, last in zip(group, docs, streaming, after_all, strict=True):
            labels = PageLabels(page)
            counts = labels.label_counts()
            check["labelled_characters_annotated"] += sum(
                n for label, n in counts.items() if label != UNSELECTED
            )
            check["labelled_characters_jsonl"] += sum(
                len("".join(l3s_text(b["text"]).split())) for b in page.blocks
            )
            flags = {
                "streaming": {b.block for b in first.boilerplate},
                "after_all": {b.block for b in last.boilerplate},
            }
            for i, block in enumerate(doc.blocks):
                label = labels.label(block.text) or "unlabelled"
                label_totals[label] += 1
                for mode, flagged_blocks in flags.items():
                    if i in flagged_blocks:
                        flagged[mode][label] += 1
                if label == "fulltext" and i in flags["after_all"]:
                    fulltext_flagged.append((site, block.text[:100]))
                repeated = pages_with[" ".join(block.text.split())] >= MIN_SITE_PAGES
                if repeated and label in (*FURNITURE_LABELS, UNSELECTED):
                    kind = "labelled" if label in FURNITURE_LABELS else UNSELECTED
                    if not fingerprint.tokens(block.text):
                        furniture[kind, "no_tokens"] += 1  # '|', '/': nothing to fingerprint
                        continue
                    furniture[kind, "total"] += 1
                    for mode, flagged_blocks in flags.items():
                        furniture[kind, mode] += i in flagged_blocks
    blocks = sum(label_totals.values())
    result = {
        "sites": len(sites),
        "pages": sum(len(group) for group in sites.values()),
        "blocks": blocks,
        "labels": dict(label_totals.most_common()),
        "labelled_share": 1 - label_totals["unlabelled"] / blocks,
        "labelled_by_jsonl_share": (blocks - label_totals["unlabelled"] - label_totals[UNSELECTED])
        / blocks,
        "check": check,
    }
    for mode, counts in flagged.items():
        labelled = sum(n for label, n in counts.items() if label != "unlabelled")
        by_jsonl = labelled - counts[UNSELECTED]
        result[mode] = {
            "flagged": sum(counts.values()),
            "flagged_labels": dict(counts.most_common()),
            "flagged_labelled": labelled,
            "not_fulltext_share": 1 - counts["fulltext"] / labelled if labelled else None,
            "flagged_jsonl_labelled": by_jsonl,
            "not_fulltext_share_jsonl": 1 - counts["fulltext"] / by_jsonl if by_jsonl else None,
            "furniture_flagged": furniture["labelled", mode],
            "furniture_total": furniture["labelled", "total"],
            "furniture_share": furniture["labelled", mode] / furniture["labelled", "total"],
            "unselected_flagged": furniture[UNSELECTED, mode],
            "unselected_total": furniture[UNSELECTED, "total"],
        }
    result["furniture_without_tokens"] = furniture["labelled", "no_tokens"]
    result["fulltext_flagged"] = fulltext_flagged
    return result


# The seed article, and identical documents in Reuters and BBC.


def seed(data: Path) -> dict:
    doc = Document.from_text(read_text(corpora.seed_article(data)))
    groups = Index().add(doc).repeated
    texts = [[" ".join(doc.blocks[i].text.split()) for i in group] for group in groups]
    # The captions: two blocks each, same text, one right after the other on the page.
    captions = [group for group in groups if len(group) == 2 and group[1] == group[0] + 1]
    return {
        "groups": groups,
        "texts": [group[0][:60] for group in texts],
        "exactly_two_caption_groups": len(groups) == 2 and len(captions) == 2,
    }


def found_groups(groups: list[list[str]], order: dict[str, int], reports: dict) -> dict:
    """A group is found when every later member matches an earlier one as same_article."""
    missed = []
    for group in groups:
        members = sorted(group, key=order.__getitem__)
        for k, doc_id in enumerate(members[1:], start=1):
            earlier = set(members[:k])
            if not any(
                m.doc_id in earlier and m.verdict == "same_article" for m in reports[doc_id].matches
            ):
                missed.append(members)
                break
    return {"groups": len(groups), "found": len(groups) - len(missed), "missed": missed}


def reuters(data: Path) -> dict:
    stories = corpora.reuters_stories(data)
    groups = corpora.reuters_duplicate_groups(data)
    docs = [
        Document.from_text(s.body, doc_id=s.newid, source="reuters", published=s.date)
        for s in stories
    ]
    order = {doc.doc_id: i for i, doc in enumerate(docs)}
    result = {"stories": len(docs)}
    for name, index in (("default", Index()), ("furniture_off", Index(boilerplate_min=10**9))):
        reports = {r.doc_id: r for r in index.add_many(docs)}
        found = found_groups(groups, order, reports)
        found["why_missed"] = [_why(reports[group[-1]], group) for group in found["missed"]]
        result[name] = found
    return result


def _why(report, group: list[str]) -> str:
    earlier = [m for m in report.matches if m.doc_id in group]
    if earlier:
        return f"matched {earlier[0].doc_id} as {earlier[0].verdict}"
    if report.matches:
        return f"{len(report.matches)} other matches, none of the group (max_candidates)"
    return f"no match; {len(report.boilerplate)} blocks are furniture of the source"


def bbc(data: Path) -> dict:
    articles = corpora.bbc_articles(data)
    by_hash = collections.defaultdict(list)
    by_text = collections.defaultdict(list)
    docs = []
    for article in articles:
        text = read_text(article.path)
        by_hash[hashlib.sha256(article.data).hexdigest()].append(article.name)
        by_text[" ".join(text.lower().split())].append(article.name)
        docs.append(Document.from_text(text, doc_id=article.name, source="bbc"))
    order = {doc.doc_id: i for i, doc in enumerate(docs)}
    reports = {r.doc_id: r for r in Index().add_many(docs)}
    identical = [group for group in by_hash.values() if len(group) > 1]
    normalized = [group for group in by_text.values() if len(group) > 1]
    return {
        "articles": len(docs),
        "byte_identical": found_groups(identical, order, reports),
        "identical_after_case_and_whitespace": found_groups(normalized, order, reports),
    }


# Syndication.


def syndication_corpus(data: Path, asked: int) -> tuple[list, dict]:
    """Generated pairs whose truth is complete in one corpus, and how many were left out.

    The truth only knows each original and its copy. But the generator fills a copy's local
    paragraphs from another BBC article (its donor), so the copy really does hold text of the
    donor (and two copies with one donor share text); and BBC has articles that are copies of
    each other (identical files, updated stories). So a pair is left out when its original or its
    donor is related to an original or donor of a pair already kept: the same article, or sharing
    at least half of the smaller one's word 3-grams (`related_articles`: exact, with the peers'
    tokenization).
    """
    pairs = syndication.syndicated_pairs(data / corpora.BBC, asked, seed=SYNDICATION_SEED)
    articles = corpora.bbc_articles(data)
    texts = {a.name: read_text(a.path) for a in articles}
    related = related_articles(texts)
    holders = collections.defaultdict(set)
    for name, text in texts.items():
        for block in Document.from_text(text).blocks[1:]:
            holders[" ".join(block.text.split())].add(name)
    kept, taken_originals, taken_donors = [], set(), set()
    left_out: collections.Counter = collections.Counter()
    for pair in pairs:
        family = related[pair.source]
        donors = {r for d in _donors(pair, holders) for r in related[d]}
        if family & taken_originals:
            left_out["original related to a kept original"] += 1
        elif family & taken_donors or donors & (taken_originals | taken_donors):
            left_out["original or donor related to a kept original or donor"] += 1
        else:
            kept.append(pair)
            taken_originals |= family
            taken_donors |= donors
    return kept, {
        "asked": asked,
        "kept": len(kept),
        "left_out": dict(left_out),
        "related_bbc_articles": sum(len(r) > 1 for r in related.values()),
    }


def related_articles(texts: dict[str, str], share: float = 0.5) -> dict[str, set[str]]:
    """For each article, itself and the articles sharing at least `share` of the smaller one's
    word 3-grams with it."""
    sets = {name: _peer_shingles(text) for name, text in texts.items()}
    holders = collections.defaultdict(list)
    for name, own in sets.items():
        for shingle in own:
            holders[shingle].append(name)
    related = {name: {name} for name in sets}
    for name, own in sets.items():
        shared = collections.Counter(other for s in own for other in holders[s] if other != name)
        for other, n in shared.items():
            if n >= share * min(len(own), len(sets[other])):
                related[name].add(other)
    return related


def _donors(pair, holders: dict[str, set[str]]) -> set[str]:
    """The BBC files holding the copy's local paragraphs (unpaired, not byline or caption)."""
    paired = {j for _i, j in pair.true_pairs}
    found: set[str] = set()
    for j, block in enumerate(Document.from_text(pair.variant).blocks):
        if j >= 2 and j not in paired and not block.text.endswith(syndication.CAPTION_AGENCIES):
            found |= holders.get(" ".join(block.text.split()), set())
    return found


def syndicated(pairs: list, selection: dict) -> dict:
    rng = random.Random(SYNDICATION_SEED)
    start = datetime(2005, 1, 1)
    timeline, truth, pair_of = [], {}, {}
    for pair in pairs:
        published = start + timedelta(hours=rng.uniform(0, 24 * 365))
        original, copy = f"original/{pair.source}", f"copy/{pair.source}"
        timeline.append((published, original, pair.original, "bbc"))
        later = published + timedelta(hours=rng.uniform(1, 72))
        timeline.append((later, copy, pair.variant, f"outlet{rng.randrange(OUTLETS)}"))
        truth[copy] = original
        pair_of[copy] = pair
    timeline.sort()
    docs = [
        Document.from_text(text, doc_id=doc_id, source=source, published=published)
        for published, doc_id, text, source in timeline
    ]
    index = Index()
    start_time = time.perf_counter()
    reports = index.add_many(docs)
    seconds = time.perf_counter() - start_time
    origin = {r.doc_id: r.origin for r in reports if r.origin and r.origin != r.doc_id}
    matched = {
        r.doc_id: {m.doc_id: m.verdict for m in r.matches} for r in reports if r.doc_id in truth
    }

    # Shuffled: the same documents added in random order, origins read by a query afterwards.
    shuffled = list(docs)
    random.Random(SYNDICATION_SEED + 1).shuffle(shuffled)
    later_index = Index()
    later_index.add_many(shuffled)
    origin_after = {}
    for doc in docs:
        found = later_index.query(doc).origin
        if found and found != doc.doc_id:
            origin_after[doc.doc_id] = found

    is_copy = {c for c, p in pair_of.items() if p.verdict in COPY_VERDICTS}
    result = {
        "selection": selection,
        "documents": len(docs),
        "seconds": seconds,
        "true_verdicts": dict(collections.Counter(p.verdict for p in pairs).most_common()),
        "publication_order": {
            "all_copies": _score(origin, truth, set(truth)),
            "copy_verdict_copies": _score(origin, truth, is_copy),
            "original_in_matches": _share(truth[c] in matched[c] for c in truth),
            "original_in_matches_as_copy": _share(
                matched[c].get(truth[c]) in COPY_VERDICTS for c in truth
            ),
            "by_kept_share": _by_trim(origin, truth, pair_of),
            "wrong_origins": _wrong(origin, truth)[:20],
        },
        "shuffled_then_queried": {
            "all_copies": _score(origin_after, truth, set(truth)),
            "copy_verdict_copies": _score(origin_after, truth, is_copy),
        },
    }
    return result


def _score(origin: dict[str, str], truth: dict[str, str], scored: set[str]) -> dict:
    """Precision, recall and F1 of (copy -> origin) over the copies in `scored`; copies outside
    it are ignored whatever their origin, every other document predicted a copy is wrong."""
    ignored = set(truth) - scored
    predicted = {d: o for d, o in origin.items() if d not in ignored}
    right = sum(truth.get(d) == o for d, o in predicted.items())
    precision = right / len(predicted) if predicted else 0.0
    recall = right / len(scored) if scored else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "copies": len(scored),
        "predicted": len(predicted),
        "right": right,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _by_trim(origin: dict[str, str], truth: dict[str, str], pair_of: dict) -> dict:
    bins: dict[str, list[int]] = {}
    for copy, original in truth.items():
        pair = pair_of[copy]
        share = pair.kept / pair.paragraphs
        low = max(b for b in TRIM_BINS if b <= share + 1e-9)
        key = f"{low:.1f}-{low + 0.1:.1f}" if low < TRIM_BINS[-1] else f"{low:.1f}-0.9"
        found = bins.setdefault(key, [0, 0, 0, 0])
        found[0] += origin.get(copy) == original
        found[1] += 1
        if pair.verdict in COPY_VERDICTS:
            found[2] += origin.get(copy) == original
            found[3] += 1
    return {
        key: {
            "copies": n,
            "recall": right / n,
            "copy_verdict_copies": m,
            "copy_verdict_recall": right_m / m if m else None,
        }
        for key, (right, n, right_m, m) in sorted(bins.items())
    }


def _wrong(origin: dict[str, str], truth: dict[str, str]) -> list[tuple[str, str, str | None]]:
    return [(d, o, truth.get(d)) for d, o in origin.items() if truth.get(d) != o]


def _share(flags: Iterable[object]) -> float:
    values = [bool(flag) for flag in flags]
    return sum(values) / len(values) if values else 0.0


# Report.


def table(results: dict) -> str:
    info, m, l3, sy = results["machine"], results["meter"], results["l3s"], results["syndication"]
    ours, ds = m["fingerprint"], m["datasketch"]
    after, stream = l3["after_all"], l3["streaming"]
    re_, bb = results["reuters"], results["bbc"]
    pub, shuffled = sy["publication_order"], sy["shuffled_then_queried"]
    rows = [
        (
            f"METER courts: {m['stories']} stories vs {m['pa_texts']} PA texts",
            "recall@1 (top match from the story's PA texts; threshold off)",
            f"{ours['recall_at_1']:.3f}",
            f"datasketch LSH {ds['0.5']['recall_at_1']:.3f} (t=0.5), "
            f"{ds['0.2']['recall_at_1']:.3f} (t=0.2); brute force: the ranking table below",
            ">= 0.95",
            ours["recall_at_1"] >= 0.95,
        ),
        (
            "",
            f"at the default min_containment {ours['default_min_containment']}: precision of "
            "passing matches; stories with a match",
            f"{ours['precision']:.3f} of {ours['matches_passing']:,}; "
            f"{ours['stories_with_match']}/{m['stories']} (top match right: "
            f"{ours['top_precision']:.3f})",
            f"datasketch candidates: {_precision(ds['0.5'])} of {ds['0.5']['candidates']}, "
            f"{ds['0.5']['stories_with_candidate']} stories (t=0.5); "
            f"{_precision(ds['0.2'])} of {ds['0.2']['candidates']}, "
            f"{ds['0.2']['stories_with_candidate']} stories (t=0.2)",
            "",
            None,
        ),
        (
            f"L3S-GN1: {l3['sites']} sites with >= 3 pages, {l3['pages']} pages, "
            f"{l3['blocks']:,} blocks ({l3['labelled_share']:.0%} labelled: "
            f"{l3['labelled_by_jsonl_share']:.0%} by a jsonl label, the rest unselected)",
            "flagged boilerplate that is not article text (`fulltext`), all pages queried "
            "after indexing the site",
            f"{after['not_fulltext_share']:.1%} ({after['flagged_labels'].get('fulltext', 0)} "
            f"fulltext of {after['flagged_labelled']:,} labelled flagged blocks)",
            f"of the {after['flagged_jsonl_labelled']} flagged with a jsonl label: "
            f"{_pct(after['not_fulltext_share_jsonl'])}",
            ">= 90%",
            after["not_fulltext_share"] >= 0.9,
        ),
        (
            "",
            "repeated furniture (`not_content`, `related_content` on >= 3 pages of the site) "
            "flagged",
            f"{after['furniture_share']:.1%} ({after['furniture_flagged']}/"
            f"{after['furniture_total']}); unselected text on >= 3 pages: "
            f"{after['unselected_flagged']}/{after['unselected_total']}",
            "",
            "most",
            after["furniture_share"] > 0.5,
        ),
        (
            "",
            "the same, as pages stream in (a block is flagged from its 4th page on)",
            f"not fulltext {_pct(stream['not_fulltext_share'])} of {stream['flagged']} flagged; "
            f"furniture flagged {stream['furniture_flagged']}/{stream['furniture_total']}",
            "",
            "",
            None,
        ),
        (
            "Seed article (CGTN)",
            "`Index().add(doc).repeated` is the two caption groups",
            f"{results['seed']['groups']}",
            "",
            "exactly 2",
            results["seed"]["exactly_two_caption_groups"],
        ),
        (
            f"Reuters-21578: {re_['stories']:,} stories",
            "identical-body groups found as copies (later member matches an earlier one as "
            "same_article)",
            f"{re_['default']['found']}/{re_['default']['groups']}",
            f"furniture off (boilerplate_min=10^9): {re_['furniture_off']['found']}/"
            f"{re_['furniture_off']['groups']}",
            "all",
            re_["default"]["found"] == re_["default"]["groups"],
        ),
        (
            f"BBC News: {bb['articles']:,} articles",
            "byte-identical groups found as copies",
            f"{bb['byte_identical']['found']}/{bb['byte_identical']['groups']}",
            f"identical after case and whitespace: "
            f"{bb['identical_after_case_and_whitespace']['found']}/"
            f"{bb['identical_after_case_and_whitespace']['groups']}",
            "all",
            bb["byte_identical"]["found"] == bb["byte_identical"]["groups"],
        ),
        (
            f"Syndication generator: {sy['selection']['kept']:,} BBC originals + their copies, "
            "publication order",
            "copy -> its original as origin: F1 (precision, recall), all copies",
            _prf(pub["all_copies"]),
            f"shuffled order, origin by a query after: {_prf(shuffled['all_copies'])}",
            ">= 0.95",
            pub["all_copies"]["f1"] >= 0.95,
        ),
        (
            "",
            f"the same over the {pub['copy_verdict_copies']['copies']} copies whose true verdict "
            "is a copy verdict (others ignored)",
            _prf(pub["copy_verdict_copies"]),
            f"shuffled: {_prf(shuffled['copy_verdict_copies'])}",
            ">= 0.95",
            pub["copy_verdict_copies"]["f1"] >= 0.95,
        ),
        (
            "",
            "recall by share of paragraphs kept (all copies / copy-verdict copies)",
            "; ".join(
                f"{key}: {b['recall']:.2f} / {_pct(b['copy_verdict_recall'], '.2f')} "
                f"(n={b['copies']})"
                for key, b in pub["by_kept_share"].items()
            ),
            f"original among the copy's matches: {pub['original_in_matches']:.3f}",
            "incl. 30%",
            None,
        ),
    ]
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        f"Quality on real news ({info['cpu']}, {info['usable_cpus']} usable CPUs, Python "
        f"{info['python']}, {versions}).",
        "",
        "| corpus | measure | fingerprint | peers / other settings | required | met |",
        "|---|---|---|---|---|---|",
    ]
    for corpus, measure, value, other, required, met in rows:
        mark = met_cell(met)
        lines.append(f"| {corpus} | {measure} | {value} | {other} | {required} | {mark} |")
    true = ", ".join(f"{n} {v}" for v, n in sy["true_verdicts"].items())
    lines += [
        "",
        f"METER recall@1 uses `Index(min_containment={RANKING_CONTAINMENT}, min_shared=1)` so "
        "every candidate is ranked; datasketch: 128 permutations over word 3-grams of whole "
        "documents, candidates ranked by estimated Jaccard. L3S labels: our blocks found by "
        "text in the annotated page (jsonl labels; text outside every label is 'unselected', "
        f"which L3S counts as not content); {l3['furniture_without_tokens']} repeated "
        "furniture blocks without a word ('|') are left out. Syndication truth verdicts: "
        f"{true}; of {sy['selection']['asked']} generated pairs, left out so that the truth is "
        f"complete (copies hold local paragraphs of a donor article; BBC has near-duplicate "
        f"articles): {sy['selection']['left_out']}.",
        "",
        f"`{results['command']}`",
    ]
    return "\n".join(lines) + "\n"


def _precision(peer: dict) -> str:
    return f"{peer['precision']:.3f}" if peer["precision"] is not None else "-"


def _pct(value: float | None, spec: str = ".1%") -> str:
    return "-" if value is None else format(value, spec)


def _prf(score: dict) -> str:
    return f"{score['f1']:.3f} ({score['precision']:.3f}, {score['recall']:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--quick", action="store_true", help="300 syndicated pairs asked")
    args = parser.parse_args()
    stem = "quality.quick" if args.quick else "quality"
    asked = 300 if args.quick else SYNDICATION_PAIRS
    results: dict = {
        "benchmark": "quality",
        "command": "python " + shlex.join(sys.argv),
        "machine": machine(fingerprint),
    }
    pairs, selection = syndication_corpus(args.data, asked)
    steps = {
        "retrieval": lambda: ranking(args.data, pairs),
        "meter": lambda: meter(args.data),
        "l3s": lambda: l3s(args.data),
        "seed": lambda: seed(args.data),
        "reuters": lambda: reuters(args.data),
        "bbc": lambda: bbc(args.data),
        "syndication": lambda: syndicated(pairs, selection),
    }
    try:
        for name, step in steps.items():
            start = time.perf_counter()
            results[name] = step()
            log(f"{name}: {time.perf_counter() - start:.1f} s")
    except corpora.CorpusMissing as error:
        sys.exit(f"error: {error}")
    markdown = table(results) + "\n" + ranking_table(results["retrieval"])
    write(stem, results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
