"""Raw text to 128-permutation MinHash signatures: fingerprint against rensa and datasketch.

On real wire copy (Reuters-21578, see corpora.py), in one run:

- Throughput from raw text, one batch per corpus: every paragraph (~107k) and every article
  (19,779). fingerprint.sketch_many on 1 thread and on all usable threads; rensa (RMinHash.update
  per text, and its batch RMinHash.digest_matrix_from_token_sets) and datasketch (MinHash.bulk),
  each after the Python tokenization it needs (lowercase, \\w+ words, word 3-gram shingles), which
  is timed with it; and that tokenization alone, the peers' floor. The tools run interleaved, in an
  order that rotates from run to run, and each rate is the median over --repeat runs.
- Accuracy on a fixed sample of real paragraph pairs spread over Jaccard 0 to 1: each tool's
  estimate against the exact Jaccard of its own shingle sets (fingerprint: of `shingle_hashes`),
  as mean absolute error and mean error (bias).

Writes benchmarks/results/signatures.json (machine, versions, every timing, every pair's numbers)
and benchmarks/results/signatures.md (the table for the README), and prints the table.

    python benchmarks/signatures.py            # full run: 5 repeats, 600 pairs
    python benchmarks/signatures.py --quick    # smoke run: 300 articles, 1 repeat, 100 pairs
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import re
import shlex
import statistics
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import corpora
import numpy as np
from datasketch import MinHash
from publish import RESULTS, log, machine, usable_cpus
from rensa import RMinHash

NUM_PERM = 128
SHINGLE_SIZE = 3
SEED = 42  # rensa's seed, and the pair sample's
WORD = re.compile(r"\w+")

QUICK_ARTICLES = 300
MIN_PAIR_WORDS = 8  # both sides of a pair have this many words, so every tool has shingles
JACCARD_BINS = 10  # pairs are sampled evenly over [0, 0.1), [0.1, 0.2), ... [0.9, 1.0)
REAL_KINDS = ("random", "same_article", "shared_3gram")  # preferred to cut or edited paragraphs


# Tools: raw texts in, signatures out, timed as one call per batch.


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    sketch: Callable[[list[str]], object]
    accuracy: str | None  # whose estimates its signatures give, in `accuracy()`; None if none


def shingles(text: str) -> list[str]:
    """The peers' tokenization: lowercase \\w+ words, then word 3-grams joined by spaces."""
    words = WORD.findall(text.lower())
    return [" ".join(words[i : i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)]


def python_tokenize(texts: list[str]) -> list[list[str]]:
    return [shingles(text) for text in texts]


def rensa_update(texts: list[str]) -> list[RMinHash]:
    minhashes = []
    for text in texts:
        minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update(shingles(text))
        minhashes.append(minhash)
    return minhashes


def rensa_batch(texts: list[str]) -> object:
    token_sets = (shingles(text) for text in texts)
    return RMinHash.digest_matrix_from_token_sets(token_sets, NUM_PERM, SEED)


def datasketch_bulk(texts: list[str]) -> list[MinHash]:
    token_sets = ([shingle.encode() for shingle in shingles(text)] for text in texts)
    return MinHash.bulk(token_sets, num_perm=NUM_PERM)


def make_tools(fingerprint, threads: int) -> list[Tool]:
    sketch_many = fingerprint.sketch_many
    return [
        Tool(
            "fingerprint_1", "fingerprint, 1 thread", partial(sketch_many, threads=1), "fingerprint"
        ),
        Tool(
            "fingerprint_all",
            f"fingerprint, {threads} threads",
            partial(sketch_many, threads=threads),
            "fingerprint",
        ),
        Tool("rensa", "rensa `RMinHash.update`", rensa_update, "rensa"),
        Tool("rensa_batch", "rensa `digest_matrix_from_token_sets`", rensa_batch, "rensa_batch"),
        Tool("datasketch", "datasketch `MinHash.bulk`", datasketch_bulk, "datasketch"),
        Tool("python_tokenize", "Python tokenization alone (peers)", python_tokenize, None),
    ]


# Throughput.


def time_call(sketch: Callable[[list[str]], object], texts: list[str]) -> float:
    gc.collect()
    start = time.perf_counter()
    result = sketch(texts)
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def measure(tools: list[Tool], batches: dict[str, list[str]], repeat: int) -> dict:
    """Seconds per call, as {batch: {tool key: [seconds per run]}}; tools interleaved."""
    for tool in tools:  # warm up: imports, thread pools, permutation tables
        tool.sketch(next(iter(batches.values()))[:100])
    timings = {batch: {tool.key: [] for tool in tools} for batch in batches}
    for run in range(repeat):
        order = tools[run % len(tools) :] + tools[: run % len(tools)]
        for batch, texts in batches.items():
            for tool in order:
                timings[batch][tool.key].append(time_call(tool.sketch, texts))
        log(f"run {run + 1}/{repeat} done")
    return timings


def summarize_throughput(tools: list[Tool], batches: dict, timings: dict) -> dict:
    summary = {}
    for batch, texts in batches.items():
        rates = {key: len(texts) / statistics.median(runs) for key, runs in timings[batch].items()}
        summary[batch] = {
            tool.key: {
                "label": tool.label,
                "seconds": timings[batch][tool.key],
                "median_seconds": statistics.median(timings[batch][tool.key]),
                "per_second": rates[tool.key],
                "vs_fingerprint_1_thread": rates[tool.key] / rates["fingerprint_1"],
            }
            for tool in tools
        }
    return summary


# Accuracy pairs: real paragraphs, and paragraphs cut or edited, spread evenly over Jaccard.


@dataclass(frozen=True)
class Pair:
    kind: str
    a: str
    b: str


def jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def random_pairs(paragraphs: list[str], rng: random.Random, count: int) -> Iterator[Pair]:
    for _ in range(count):
        a, b = rng.sample(paragraphs, 2)
        yield Pair("random", a, b)


def same_article_pairs(
    corpus: corpora.Corpus, eligible: list[int], rng: random.Random, count: int
) -> Iterator[Pair]:
    by_article = defaultdict(list)
    for index in eligible:
        by_article[corpus.article_of[index]].append(corpus.paragraphs[index])
    articles = [paragraphs for paragraphs in by_article.values() if len(paragraphs) > 1]
    for _ in range(count):
        a, b = rng.sample(rng.choice(articles), 2)
        yield Pair("same_article", a, b)


def shared_trigram_pairs(paragraphs: list[str]) -> Iterator[Pair]:
    """All pairs of distinct paragraphs sharing a rare 3-gram: retransmissions, corrections, quotes.

    Rare: in 2 to 5 paragraphs. Only 3-grams whose CRC-32 is 0 mod 8 are indexed, to save memory.
    """
    distinct = sorted(set(paragraphs))
    holders = defaultdict(list)
    for index, paragraph in enumerate(distinct):
        for trigram in set(shingles(paragraph)):
            if zlib.crc32(trigram.encode()) % 8 == 0:
                holders[trigram].append(index)
    found = {
        pair
        for indexes in holders.values()
        if 2 <= len(indexes) <= 5
        for pair in itertools.combinations(indexes, 2)
    }
    for a, b in sorted(found):
        yield Pair("shared_3gram", distinct[a], distinct[b])


def prefix_suffix_pairs(paragraphs: list[str], rng: random.Random, count: int) -> Iterator[Pair]:
    """A paragraph's beginning against its end, overlapping: a trimmed copy of a trimmed copy."""
    for paragraph in rng.sample(paragraphs, count):
        words = paragraph.split()
        end = rng.randint(len(words) // 2, len(words))
        start = rng.randint(0, max(0, end - SHINGLE_SIZE))
        yield Pair("prefix_suffix", " ".join(words[:end]), " ".join(words[start:]))


def edited_pairs(paragraphs: list[str], rng: random.Random, count: int) -> Iterator[Pair]:
    """A paragraph against a copy with a few words deleted or swapped for words of another one."""
    for paragraph in rng.sample(paragraphs, count):
        words = paragraph.split()
        donor = rng.choice(paragraphs).split()
        edited = list(words)
        for _ in range(rng.randint(1, max(1, len(words) // 6))):
            position = rng.randrange(len(edited))
            if rng.random() < 0.5 and len(edited) > MIN_PAIR_WORDS:
                del edited[position]
            else:
                edited[position] = rng.choice(donor)
        yield Pair("edited", paragraph, " ".join(edited))


def candidate_pairs(corpus: corpora.Corpus, rng: random.Random, count: int) -> list[Pair]:
    """`count` pairs of each made-up kind, every shared 3-gram pair; shuffled."""
    eligible = [
        index
        for index, paragraph in enumerate(corpus.paragraphs)
        if len(WORD.findall(paragraph)) >= MIN_PAIR_WORDS
    ]
    paragraphs = [corpus.paragraphs[index] for index in eligible]
    pairs = [
        *random_pairs(paragraphs, rng, count),
        *same_article_pairs(corpus, eligible, rng, count),
        *shared_trigram_pairs(paragraphs),
        *prefix_suffix_pairs(paragraphs, rng, count),
        *edited_pairs(paragraphs, rng, count),
    ]
    rng.shuffle(pairs)
    return pairs


def sample_pairs(corpus: corpora.Corpus, per_bin: int) -> list[Pair]:
    """`per_bin` pairs in each Jaccard bin (by the peers' shingles), real pairs first."""
    rng = random.Random(SEED)
    bins: list[list[Pair]] = [[] for _ in range(JACCARD_BINS)]
    for pair in candidate_pairs(corpus, rng, count=40 * per_bin):
        if min(len(WORD.findall(pair.a)), len(WORD.findall(pair.b))) < MIN_PAIR_WORDS:
            continue
        similarity = jaccard(set(shingles(pair.a)), set(shingles(pair.b)))
        if similarity < 1:
            bins[int(similarity * JACCARD_BINS)].append(pair)
    return [pair for members in bins for pair in fill_bin(members, per_bin)]


def fill_bin(members: list[Pair], per_bin: int) -> list[Pair]:
    """Real kinds in turn (one of each, then the next of each...), then made-up kinds in turn."""
    turn: Counter[str] = Counter()
    ranked = []
    for pair in members:
        ranked.append((pair.kind not in REAL_KINDS, turn[pair.kind], len(ranked), pair))
        turn[pair.kind] += 1
    return [pair for *_, pair in sorted(ranked)[:per_bin]]


# Accuracy: each estimator gives (exact, estimated) Jaccard per pair, from its own shingles.


def equal_fraction(signatures: np.ndarray) -> np.ndarray:
    """Jaccard estimates of rows 0 and 1, 2 and 3, ...: the fraction of equal positions."""
    return (signatures[0::2] == signatures[1::2]).mean(axis=1)


def peer_exact(pairs: list[Pair]) -> np.ndarray:
    return np.array([jaccard(set(shingles(pair.a)), set(shingles(pair.b))) for pair in pairs])


def texts_of(pairs: list[Pair]) -> list[str]:
    return [text for pair in pairs for text in (pair.a, pair.b)]


def fingerprint_estimates(fingerprint, pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    def shingle_set(text: str) -> set[int]:
        return set(fingerprint.shingle_hashes(text).tolist())

    exact = np.array([jaccard(shingle_set(pair.a), shingle_set(pair.b)) for pair in pairs])
    return exact, equal_fraction(np.asarray(fingerprint.sketch_many(texts_of(pairs))))


def rensa_estimates(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    minhashes = rensa_update(texts_of(pairs))
    estimates = [a.jaccard(b) for a, b in zip(minhashes[0::2], minhashes[1::2], strict=True)]
    return peer_exact(pairs), np.array(estimates)


def rensa_batch_estimates(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.array(rensa_batch(texts_of(pairs)).to_rows(), dtype=np.uint32)
    return peer_exact(pairs), equal_fraction(rows)


def datasketch_estimates(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    minhashes = datasketch_bulk(texts_of(pairs))
    estimates = [a.jaccard(b) for a, b in zip(minhashes[0::2], minhashes[1::2], strict=True)]
    return peer_exact(pairs), np.array(estimates)


def accuracy(fingerprint, pairs: list[Pair]) -> dict:
    estimators = {
        "fingerprint": partial(fingerprint_estimates, fingerprint),
        "rensa": rensa_estimates,
        "rensa_batch": rensa_batch_estimates,
        "datasketch": datasketch_estimates,
    }
    return {key: accuracy_summary(*estimate(pairs)) for key, estimate in estimators.items()}


def accuracy_summary(exact: np.ndarray, estimate: np.ndarray) -> dict:
    error = estimate - exact
    middle = (exact >= 0.1) & (exact <= 0.9)
    return {
        "mae": float(np.abs(error).mean()),
        "bias": float(error.mean()),
        "rmse": float(np.sqrt((error**2).mean())),
        "mae_0.1_to_0.9": float(np.abs(error[middle]).mean()) if middle.any() else None,
        "pairs_0.1_to_0.9": int(middle.sum()),
        "exact": exact.round(6).tolist(),
        "estimate": estimate.round(6).tolist(),
    }


def ideal_mae(exact: list[float]) -> float:
    """Expected MAE of an unbiased estimator with the binomial error of NUM_PERM permutations."""
    spread = np.sqrt(np.asarray(exact) * (1 - np.asarray(exact)) / NUM_PERM)
    return float((spread * np.sqrt(2 / np.pi)).mean())


# Report.


def corpus_stats(texts: list[str]) -> dict:
    return {
        "texts": len(texts),
        "characters": sum(map(len, texts)),
        "median_words": statistics.median(len(WORD.findall(text)) for text in texts),
    }


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"


def markdown(results: dict, tools: list[Tool]) -> str:
    info, stats, pairs = results["machine"], results["corpora"], results["accuracy"]
    versions = ", ".join(f"{name} {number}" for name, number in info["versions"].items())
    paragraphs, articles = stats["paragraphs"], stats["articles"]
    lines = [
        f"Raw text to {NUM_PERM}-permutation MinHash signatures, Reuters-21578: "
        f"{paragraphs['texts']:,} paragraphs (median {paragraphs['median_words']:g} words) and "
        f"{articles['texts']:,} articles (median {articles['median_words']:g} words), "
        f"one batch each; median of {plural(results['settings']['repeat'], 'run')}. "
        f"{info['cpu']}, {info['usable_cpus']} usable CPUs, "
        f"Python {info['python']}, {versions}.",
        "",
        "| | paragraphs/s | vs fingerprint 1 thread | articles/s | vs fingerprint 1 thread "
        "| MAE | bias |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for tool in tools:
        cells = [tool.label]
        for batch in ("paragraphs", "articles"):
            row = results["throughput"][batch][tool.key]
            cells += [f"{row['per_second']:,.0f}", ratio(row["vs_fingerprint_1_thread"])]
        scores = pairs["tools"].get(tool.accuracy)
        cells += [f"{scores['mae']:.4f}", f"{scores['bias']:+.4f}"] if scores else ["", ""]
        lines.append("| " + " | ".join(cells) + " |")
    kinds = ", ".join(f"{count} {kind}" for kind, count in pairs["kinds"].items())
    lines += [
        "",
        f"Peers' times include the Python tokenization they need (lowercase `\\w+` words, word "
        f"{SHINGLE_SIZE}-gram shingles). Accuracy: {pairs['pairs']} paragraph pairs ({kinds}), "
        f"{pairs['per_bin']} per Jaccard bin of width 0.1; each tool's estimate against the exact "
        f"Jaccard of its own shingle sets. MAE = mean |estimate - exact|, bias = mean (estimate - "
        f"exact); an ideal {NUM_PERM}-permutation MinHash has MAE {pairs['ideal_mae']:.4f} here.",
        "",
        f"`{results['command']}`",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    corpora.add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=None, help="runs per tool (default 5)")
    parser.add_argument("--threads", type=int, default=usable_cpus(), help="fingerprint's many")
    parser.add_argument("--pairs-per-bin", type=int, default=None, help="(default 60)")
    parser.add_argument("--quick", action="store_true", help="smoke run: small subset, 1 repeat")
    parser.add_argument("--json", type=Path, default=None, help="(default results/signatures.json)")
    parser.add_argument(
        "--markdown", type=Path, default=None, help="(default results/signatures.md)"
    )
    args = parser.parse_args()
    stem = "signatures.quick" if args.quick else "signatures"
    args.repeat = args.repeat or (1 if args.quick else 5)
    args.pairs_per_bin = args.pairs_per_bin or (10 if args.quick else 60)
    args.json = args.json or RESULTS / f"{stem}.json"
    args.markdown = args.markdown or RESULTS / f"{stem}.md"
    return args


def import_fingerprint():
    try:
        import fingerprint
    except ImportError as error:
        sys.exit(f"error: cannot import fingerprint ({error}); build it first (maturin develop)")
    return fingerprint


def main() -> None:
    args = parse_args()
    fingerprint = import_fingerprint()
    try:
        corpus = corpora.load_reuters(args.data)
    except corpora.CorpusMissing as error:
        sys.exit(f"error: {error}")
    if args.quick:
        corpus = corpus.head(QUICK_ARTICLES)
    batches = {"paragraphs": corpus.paragraphs, "articles": corpus.articles}
    tools = make_tools(fingerprint, args.threads)

    log(f"{len(corpus.paragraphs):,} paragraphs, {len(corpus.articles):,} articles; timing")
    timings = measure(tools, batches, args.repeat)
    log("accuracy")
    pairs = sample_pairs(corpus, args.pairs_per_bin)
    scores = accuracy(fingerprint, pairs)
    results = {
        "benchmark": "signatures",
        "command": "python " + shlex.join(sys.argv),
        "machine": machine(fingerprint),
        "settings": {
            "num_perm": NUM_PERM,
            "shingle_size": SHINGLE_SIZE,
            "seed": SEED,
            "repeat": args.repeat,
            "threads": args.threads,
            "quick": args.quick,
        },
        "corpora": {batch: corpus_stats(texts) for batch, texts in batches.items()},
        "throughput": summarize_throughput(tools, batches, timings),
        "accuracy": {
            "pairs": len(pairs),
            "per_bin": args.pairs_per_bin,
            "kinds": dict(Counter(pair.kind for pair in pairs).most_common()),
            "pair_kinds": [pair.kind for pair in pairs],
            "ideal_mae": ideal_mae(scores["fingerprint"]["exact"]),
            "tools": scores,
        },
    }
    table = markdown(results, tools)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
