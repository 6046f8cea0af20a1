"""Which shingle size k to use: exact shingle-set measurements for k = 1 to 6 on the real corpora.

Every number uses the exact sets of `fingerprint.shingle_hashes` (no MinHash estimate), so it shows
what the shingle size itself does, before any sampling error. Corpora (see ../shared/data):

- METER, courts (newspaper stories written from Press Association copy): each newspaper story
  ranks every PA text by containment of the story's shingle set in the PA text's. recall@1: the top
  PA text has the story's own story_key (a tie with another story's text counts as a miss). Also the
  median containment in the best own-story and the best other-story PA text, and recall at 1% false
  sources: the share of stories whose own-story best clears the 99th percentile of the other-story
  best, i.e. one fixed threshold that lets 1% of stories claim a wrong source.
- METER paragraphs (block-level evidence in one domain, with its stock phrases): the share of
  newspaper paragraphs contained >= 0.5 in some PA paragraph of their own catchline (true block
  evidence) and in some PA paragraph of another catchline (false block evidence).
- MSRP, train split (news sentence pairs): ROC AUC of exact Jaccard for the paraphrase label.
- BBC News, noise: random paragraph pairs from different articles of different categories. The
  share of pairs with Jaccard >= 0.2, the share with containment (of the smaller set in the larger)
  >= 0.5, both false evidence, and the mean Jaccard; the containment share again for the pairs whose
  shorter paragraph has under 20 tokens (short blocks).
- Clough-Stevenson (short answers reusing a source): mean containment of each answer in its source
  by category, whether it orders cut > light > heavy > non, the heavy minus non gap, and the ROC AUC
  of heavy against non (scale-free, so comparable across k).
- L3S-GN1, short blocks: the share of "supplemental" blocks (captions, datelines, bylines) with
  fewer than k tokens, which recipe v1 turns into one whole-block shingle that matches only itself.

Writes benchmarks/results/shingle_size.json (every number) and benchmarks/results/shingle_size.md
(the table), and prints the table. Takes about 20 seconds.

    python benchmarks/shingle_size.py
    python benchmarks/shingle_size.py --data /path/to/shared/data
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import corpora
import numpy as np
import scipy.sparse
from publish import write

import fingerprint

SHINGLE_SIZES = range(1, 7)
SEED = 0
NOISE_PAIRS = 20_000
SHORT_BLOCK_TOKENS = 20  # a paragraph under this many tokens counts as a short block
JACCARD_NOISE = 0.2
CONTAINMENT_NOISE = 0.5
FALSE_SOURCE_RATE = 0.01
REUSE_ORDER = ("cut", "light", "heavy", "non")
ROWS_PER_CHUNK = 500  # containment rows computed at once: 500 x 9,268 PA paragraphs, 19 MB
PA_PARAGRAPH = re.compile(r"<\s*\n")
BLANK_LINE = re.compile(r"\n\s*\n")

ShingleSet = frozenset[int]
Scores = dict[str, dict[str, Any]]  # shingle size -> corpus -> measure -> value


# Corpora ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """The texts of one side of METER, each with its story_key, and their paragraphs."""

    texts: list[str]
    stories: list[str]
    paragraphs: list[str]
    paragraph_catchlines: list[str]


@dataclass(frozen=True)
class Meter:
    pa: Side
    news: Side


@dataclass(frozen=True)
class Corpora:
    meter: Meter
    msrp: list[tuple[int, str, str]]  # (label, sentence 1, sentence 2)
    bbc: list[tuple[str, int, str]]  # (category, article number, paragraph)
    clough: list[tuple[str, str, str]]  # (category, answer, source)
    l3s_supplemental: list[str]


def require(path: Path) -> Path:
    if not path.exists():
        raise corpora.CorpusMissing(f"{path} not found: pass --data DIR, the shared corpora folder")
    return path


def meter_paragraphs(doc: dict[str, str]) -> list[str]:
    """PA copy ends each paragraph with "<" and a line break; newspapers leave a blank line."""
    chunks = (
        PA_PARAGRAPH.split(doc["text"]) if doc["side"] == "PA" else BLANK_LINE.split(doc["text"])
    )
    return [" ".join(chunk.split()) for chunk in chunks if chunk.strip()]


def load_meter(data: Path) -> Meter:
    """Courts-domain METER texts; the story of each is its row in the story groups file."""
    groups = require(data / "meter" / "meter_story_groups.tsv").read_text().splitlines()[1:]
    story_of = {}
    for row in groups:
        story, pa_files, news_files = row.split("\t")
        story_of.update(dict.fromkeys(f"{pa_files},{news_files}".split(","), story))
    sides: dict[str, Side] = {name: Side([], [], [], []) for name in ("PA", "newspapers")}
    with require(data / "meter" / "meter_docs.jsonl").open(encoding="utf-8") as lines:
        for doc in map(json.loads, lines):
            side, paragraphs = sides[doc["side"]], meter_paragraphs(doc)
            side.texts.append(doc["text"])
            side.stories.append(story_of.get(doc["id"], doc["story_key"]))
            side.paragraphs.extend(paragraphs)
            side.paragraph_catchlines.extend([doc["catchline"]] * len(paragraphs))
    return Meter(sides["PA"], sides["newspapers"])


def load_msrp(data: Path) -> list[tuple[int, str, str]]:
    path = require(data / "msrp" / "msr_paraphrase_train.txt")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]]
    return [(int(row[0]), row[3], row[4]) for row in rows if len(row) == 5]


def load_bbc(data: Path) -> list[tuple[str, int, str]]:
    """BBC paragraphs (headline left out), each with its category and article number."""
    paragraphs = []
    files = sorted(require(data / "bbc_news" / "bbc").glob("*/*.txt"))
    for number, path in enumerate(files):
        chunks = path.read_text(encoding="latin-1").split("\n\n")[1:]
        found = (" ".join(chunk.split()) for chunk in chunks)
        paragraphs.extend((path.parent.name, number, text) for text in found if text)
    return paragraphs


def read_any(path: Path) -> str:
    """Clough-Stevenson files mix UTF-8 and Windows-1252."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def load_clough(data: Path) -> list[tuple[str, str, str]]:
    folder = require(data / "clough_stevenson_reuse" / "data")
    rows = (folder / "file_information.csv").read_text().splitlines()[1:]
    answers = []
    for name, task, category in (row.split(",") for row in rows):
        if category in REUSE_ORDER:
            source = read_any(folder / f"orig_task{task}.txt")
            answers.append((category, read_any(folder / name), source))
    return answers


def load_l3s_supplemental(data: Path) -> list[str]:
    path = require(data / "l3s_gn1" / "l3s_gn1_blocks.jsonl")
    with path.open(encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines]
    return [b["text"] for page in pages for b in page["blocks"] if b["label"] == "supplemental"]


def load_all(data: Path) -> Corpora:
    return Corpora(
        load_meter(data),
        load_msrp(data),
        load_bbc(data),
        load_clough(data),
        load_l3s_supplemental(data),
    )


# Measures -----------------------------------------------------------------------------------------


def shingle_sets(texts: Iterable[str], k: int) -> list[ShingleSet]:
    recipe = fingerprint.Recipe(shingle_size=k)
    return [frozenset(fingerprint.shingle_hashes(t, recipe=recipe).tolist()) for t in texts]


def jaccard(a: ShingleSet, b: ShingleSet) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def containment(part: ShingleSet, whole: ShingleSet) -> float:
    return len(part & whole) / len(part) if part else 0.0


def smaller_in_larger(a: ShingleSet, b: ShingleSet) -> float:
    return containment(a, b) if len(a) <= len(b) else containment(b, a)


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Probability that a positive outscores a negative (ties count half): Mann-Whitney U."""
    values, positive = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    below = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ranks = (below + (counts + 1) / 2)[inverse]  # 1-based, ties averaged
    num_pos, num_neg = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - num_pos * (num_pos + 1) / 2) / (num_pos * num_neg))


def unique_hashes(texts: Iterable[str], k: int) -> list[np.ndarray]:
    recipe = fingerprint.Recipe(shingle_size=k)
    return [np.unique(fingerprint.shingle_hashes(t, recipe=recipe)) for t in texts]


def incidence(sets: list[np.ndarray], vocabulary: np.ndarray) -> scipy.sparse.csr_array:
    """A 0/1 matrix with a row per set and a column per shingle of `vocabulary`."""
    columns = np.searchsorted(vocabulary, np.concatenate(sets))
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    ones = np.ones(len(columns), dtype=np.float32)
    return scipy.sparse.csr_array((ones, (rows, columns)), shape=(len(sets), len(vocabulary)))


def containment_chunks(
    parts: list[np.ndarray], wholes: list[np.ndarray]
) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, block) where block[i, j] is the containment of parts[first + i] in wholes[j]."""
    vocabulary = np.unique(np.concatenate(parts + wholes))
    part_rows, whole_columns = incidence(parts, vocabulary), incidence(wholes, vocabulary).T.tocsc()
    sizes = np.maximum([len(p) for p in parts], 1)[:, None]
    for first in range(0, len(parts), ROWS_PER_CHUNK):
        rows = slice(first, first + ROWS_PER_CHUNK)
        yield first, (part_rows[rows] @ whole_columns).toarray() / sizes[rows]


def best_own_and_other(
    parts: list[np.ndarray],
    wholes: list[np.ndarray],
    part_groups: list[str],
    whole_groups: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Each part's best containment in a whole of its own group, and in a whole of another."""
    own, other = np.full(len(parts), np.nan), np.zeros(len(parts))
    groups = np.asarray(whole_groups)
    for first, block in containment_chunks(parts, wholes):
        for i, row in enumerate(block, start=first):
            mine = groups == part_groups[i]
            own[i] = row[mine].max() if mine.any() else np.nan
            other[i] = row[~mine].max()
    return own, other


def meter_scores(meter: Meter, k: int) -> dict[str, float]:
    news, pa = unique_hashes(meter.news.texts, k), unique_hashes(meter.pa.texts, k)
    own, other = best_own_and_other(news, pa, meter.news.stories, meter.pa.stories)
    has_source = ~np.isnan(own)
    own, other = own[has_source], other[has_source]
    threshold = np.quantile(other, 1 - FALSE_SOURCE_RATE)
    return {
        "stories": int(has_source.sum()),
        "recall_at_1": float(np.mean(own > other)),
        "median_own": float(np.median(own)),
        "median_other": float(np.median(other)),
        "recall_at_1pct_false": float(np.mean(own > threshold)),
        "threshold_1pct_false": float(threshold),
    }


def meter_block_scores(meter: Meter, k: int) -> dict[str, float]:
    """Newspaper paragraphs against PA paragraphs: own catchline (true) or another (false)."""
    news, pa = unique_hashes(meter.news.paragraphs, k), unique_hashes(meter.pa.paragraphs, k)
    own, other = best_own_and_other(
        news, pa, meter.news.paragraph_catchlines, meter.pa.paragraph_catchlines
    )
    own = np.nan_to_num(own)
    return {
        "paragraphs": len(news),
        "own_ge_0_5": float(np.mean(own >= CONTAINMENT_NOISE)),
        "other_ge_0_5": float(np.mean(other >= CONTAINMENT_NOISE)),
    }


def msrp_scores(pairs: list[tuple[int, str, str]], k: int) -> dict[str, float]:
    firsts, seconds = shingle_sets((p[1] for p in pairs), k), shingle_sets((p[2] for p in pairs), k)
    similarity = [jaccard(a, b) for a, b in zip(firsts, seconds, strict=True)]
    return {"pairs": len(pairs), "auc": roc_auc(similarity, [p[0] == 1 for p in pairs])}


def noise_pairs(bbc: list[tuple[str, int, str]], count: int) -> list[tuple[int, int]]:
    """`count` random paragraph pairs whose articles are of different categories (so different)."""
    rng = random.Random(SEED)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < count:
        i, j = rng.randrange(len(bbc)), rng.randrange(len(bbc))
        if bbc[i][0] != bbc[j][0]:
            pairs.append((i, j))
    return pairs


def noise_scores(
    bbc: list[tuple[str, int, str]], pairs: list[tuple[int, int]], short: list[bool], k: int
) -> dict[str, float]:
    sets = shingle_sets((p[2] for p in bbc), k)
    jac = np.array([jaccard(sets[i], sets[j]) for i, j in pairs])
    con = np.array([smaller_in_larger(sets[i], sets[j]) for i, j in pairs])
    is_short = np.asarray(short)
    return {
        "pairs": len(pairs),
        "short_pairs": int(is_short.sum()),
        "jaccard_ge_0_2": float(np.mean(jac >= JACCARD_NOISE)),
        "containment_ge_0_5": float(np.mean(con >= CONTAINMENT_NOISE)),
        "mean_jaccard": float(jac.mean()),
        "short_containment_ge_0_5": float(np.mean(con[is_short] >= CONTAINMENT_NOISE)),
    }


def short_pair_flags(bbc: list[tuple[str, int, str]], pairs: list[tuple[int, int]]) -> list[bool]:
    lengths = [len(fingerprint.tokens(p[2])) for p in bbc]
    return [min(lengths[i], lengths[j]) < SHORT_BLOCK_TOKENS for i, j in pairs]


def clough_scores(answers: list[tuple[str, str, str]], k: int) -> dict[str, object]:
    parts = shingle_sets((a[1] for a in answers), k)
    wholes = shingle_sets((a[2] for a in answers), k)
    found = [containment(p, w) for p, w in zip(parts, wholes, strict=True)]
    by_category = defaultdict(list)
    for (category, _, _), value in zip(answers, found, strict=True):
        by_category[category].append(value)
    means = [statistics.fmean(by_category[c]) for c in REUSE_ORDER]
    heavy, non = by_category["heavy"], by_category["non"]
    return {
        "mean_containment": dict(zip(REUSE_ORDER, means, strict=True)),
        "ordered": all(a > b for a, b in itertools.pairwise(means)),
        "heavy_minus_non": means[2] - means[3],
        "heavy_vs_non_auc": roc_auc(heavy + non, [True] * len(heavy) + [False] * len(non)),
    }


def short_block_share(blocks: list[str], k: int) -> dict[str, float]:
    lengths = np.array([len(fingerprint.tokens(b)) for b in blocks])
    lengths = lengths[lengths > 0]
    return {"blocks": int(lengths.size), "under_k_tokens": float(np.mean(lengths < k))}


def measure(data: Corpora) -> Scores:
    pairs = noise_pairs(data.bbc, NOISE_PAIRS)
    short = short_pair_flags(data.bbc, pairs)
    by_k: Scores = {}
    for k in SHINGLE_SIZES:
        by_k[str(k)] = {
            "meter": meter_scores(data.meter, k),
            "meter_blocks": meter_block_scores(data.meter, k),
            "msrp": msrp_scores(data.msrp, k),
            "bbc_noise": noise_scores(data.bbc, pairs, short, k),
            "clough": clough_scores(data.clough, k),
            "l3s_supplemental": short_block_share(data.l3s_supplemental, k),
        }
        print(f"k={k} measured", file=sys.stderr)
    return by_k


# Report -------------------------------------------------------------------------------------------


def pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def fixed3(value: float) -> str:
    return f"{value:.3f}"


def fixed4(value: float) -> str:
    return f"{value:.4f}"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


# measure, which way is better, where its number is in one k's results, how it is shown
Row = tuple[str, str, str, str, Callable[[Any], str]]
ROWS: list[Row] = [
    ("METER: own-story PA text ranked first", "higher", "meter", "recall_at_1", pct),
    ("METER: found at 1% false sources", "higher", "meter", "recall_at_1pct_false", pct),
    ("METER: median containment, own story", "", "meter", "median_own", fixed3),
    ("METER: median containment, best other", "", "meter", "median_other", fixed3),
    ("METER paragraphs: C ≥ 0.5 in own story", "higher", "meter_blocks", "own_ge_0_5", pct),
    ("METER paragraphs: C ≥ 0.5 in other story", "lower", "meter_blocks", "other_ge_0_5", pct),
    ("MSRP: ROC AUC of Jaccard", "higher", "msrp", "auc", fixed3),
    ("BBC unrelated pairs: J ≥ 0.2", "lower", "bbc_noise", "jaccard_ge_0_2", pct),
    ("BBC unrelated pairs: C ≥ 0.5", "lower", "bbc_noise", "containment_ge_0_5", pct),
    ("BBC unrelated short pairs: C ≥ 0.5", "lower", "bbc_noise", "short_containment_ge_0_5", pct),
    ("BBC unrelated pairs: mean J", "lower", "bbc_noise", "mean_jaccard", fixed4),
    ("Clough: cut > light > heavy > non", "yes", "clough", "ordered", yes_no),
    ("Clough: heavy minus non containment", "higher", "clough", "heavy_minus_non", fixed3),
    ("Clough: ROC AUC heavy vs non", "higher", "clough", "heavy_vs_non_auc", fixed3),
    ("L3S bylines, captions: < k tokens", "lower", "l3s_supplemental", "under_k_tokens", pct),
]


def markdown_table(by_k: Scores) -> str:
    """One row per measure, one column per shingle size."""
    header = "| measure | better | " + " | ".join(f"k={k}" for k in by_k) + " |"
    rule = "|---|---|" + "---:|" * len(by_k)
    lines = [
        f"| {name} | {better} | " + " | ".join(show(r[part][key]) for r in by_k.values()) + " |"
        for name, better, part, key, show in ROWS
    ]
    return "\n".join([header, rule, *lines])


def sizes(data: Corpora) -> dict[str, int]:
    return {
        "meter_pa_texts": len(data.meter.pa.texts),
        "meter_newspaper_texts": len(data.meter.news.texts),
        "meter_pa_paragraphs": len(data.meter.pa.paragraphs),
        "meter_newspaper_paragraphs": len(data.meter.news.paragraphs),
        "msrp_pairs": len(data.msrp),
        "bbc_paragraphs": len(data.bbc),
        "clough_answers": len(data.clough),
        "l3s_supplemental_blocks": len(data.l3s_supplemental),
    }


def write_results(data: Corpora, by_k: Scores) -> str:
    table = markdown_table(by_k)
    settings = {
        "seed": SEED,
        "noise_pairs": NOISE_PAIRS,
        "short_block_tokens": SHORT_BLOCK_TOKENS,
        "false_source_rate": FALSE_SOURCE_RATE,
    }
    results = {"settings": settings, "corpora": sizes(data), "by_shingle_size": by_k}
    write("shingle_size", results, table + "\n")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpora.add_data_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = load_all(args.data)
    except corpora.CorpusMissing as error:
        print(error, file=sys.stderr)
        return 2
    print(write_results(data, measure(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
