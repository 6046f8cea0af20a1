"""Real news text for the benchmarks, read from the shared corpora folder.

The corpora live outside the repository, at ``<repo>/../shared/data`` (see that folder's README),
and are never copied into it. Scripts take ``--data DIR`` (see `add_data_argument`).

    corpus = load_reuters(data_dir)
    corpus.articles      # 19,779 non-empty Reuters-21578 bodies
    corpus.paragraphs    # ~107k paragraphs, wrapped lines rejoined
    corpus.article_of    # the article index of each paragraph

Loaders for the other corpora (`meter_texts`, `bbc_articles`, `l3s_pages`, `reuters_stories`,
`reuters_duplicate_groups`, `msrp_pairs`, `clough_answers`) return the files' own records, with ids,
for the quality benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
REUTERS = Path("reuters21578") / "reuters21578.jsonl"
REUTERS_DUPLICATES = Path("reuters21578") / "exact_duplicate_body_groups.tsv"
METER = Path("meter") / "meter_docs.jsonl"
BBC = Path("bbc_news") / "bbc"
SEED = Path("seed")
L3S = Path("l3s_gn1")
MSRP = Path("msrp") / "msr_paraphrase_train.txt"
CLOUGH = Path("clough_stevenson_reuse") / "data"

# Reuters wire copy is hard-wrapped at ~70 columns and a paragraph starts on a line indented by four
# spaces. Lines indented by fewer are table rows and "reuter" sign-offs, which stay in a paragraph.
PARAGRAPH_BREAK = re.compile(r"\n(?= {4})")


class CorpusMissing(FileNotFoundError):
    """A corpus file is not where the data folder says it should be."""


@dataclass(frozen=True)
class Corpus:
    articles: list[str]
    paragraphs: list[str]
    article_of: list[int]  # article_of[i] is the index in `articles` of paragraphs[i]

    def head(self, num_articles: int) -> Corpus:
        """The first `num_articles` articles and their paragraphs, for quick runs."""
        end = self.article_of.index(num_articles) if num_articles < len(self.articles) else None
        return Corpus(self.articles[:num_articles], self.paragraphs[:end], self.article_of[:end])


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        metavar="DIR",
        help=f"the shared corpora folder (default: {DEFAULT_DATA})",
    )


def split_paragraphs(body: str) -> list[str]:
    """The paragraphs of a wire story, each with its wrapped lines joined by single spaces."""
    paragraphs = (" ".join(chunk.split()) for chunk in PARAGRAPH_BREAK.split(body))
    return [paragraph for paragraph in paragraphs if paragraph]


def reuters_articles(data_dir: Path = DEFAULT_DATA) -> list[str]:
    """The non-empty bodies of Reuters-21578, in NEWID order."""
    path = Path(data_dir) / REUTERS
    if not path.is_file():
        raise CorpusMissing(f"{path} not found: pass --data DIR, the shared corpora folder")
    with path.open(encoding="utf-8") as lines:
        bodies = (json.loads(line).get("body") for line in lines)
        return [body for body in bodies if body and body.strip()]


def load_reuters(data_dir: Path = DEFAULT_DATA) -> Corpus:
    articles = reuters_articles(data_dir)
    paragraphs: list[str] = []
    article_of: list[int] = []
    for index, body in enumerate(articles):
        found = split_paragraphs(body)
        paragraphs.extend(found)
        article_of.extend([index] * len(found))
    return Corpus(articles, paragraphs, article_of)


def _require(path: Path) -> Path:
    if not path.exists():
        raise CorpusMissing(f"{path} not found: pass --data DIR, the shared corpora folder")
    return path


@dataclass(frozen=True)
class Story:
    """One Reuters-21578 story with a non-empty body."""

    newid: str
    date: datetime | None
    body: str


def _reuters_date(text: str) -> datetime | None:
    """``26-FEB-1987 15:01:01.79``; one story has a broken time (``605:12:19``): its day only."""
    try:
        return datetime.strptime(text.strip().split(".")[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:
        try:
            return datetime.strptime(text.split()[0], "%d-%b-%Y")
        except (ValueError, IndexError):
            return None


def reuters_stories(data_dir: Path = DEFAULT_DATA) -> list[Story]:
    """The stories of `reuters_articles`, in NEWID order, with their ids and dates."""
    path = _require(Path(data_dir) / REUTERS)
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [
        Story(str(row["newid"]), _reuters_date(row.get("date") or ""), row["body"])
        for row in rows
        if row.get("body") and row["body"].strip()
    ]


def reuters_duplicate_groups(data_dir: Path = DEFAULT_DATA) -> list[list[str]]:
    """Groups of NEWIDs with identical normalized bodies (measured by the data fetcher)."""
    path = _require(Path(data_dir) / REUTERS_DUPLICATES)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("#")]


def meter_texts(data_dir: Path = DEFAULT_DATA, domain: str = "courts") -> list[dict]:
    """The METER records of one domain: id, side (PA or newspapers), story_key, publication,
    text."""
    path = _require(Path(data_dir) / METER)
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [row for row in rows if row["domain"] == domain]


@dataclass(frozen=True)
class SentencePair:
    """One MSRP pair: two sentences from one cluster of news stories, and whether annotators
    judged them equivalent."""

    equivalent: bool
    first_id: str
    second_id: str
    first: str
    second: str


def msrp_pairs(data_dir: Path = DEFAULT_DATA) -> list[SentencePair]:
    """The MSRP pairs in file order (tab-separated; quotes are text, not quoting)."""
    path = _require(Path(data_dir) / MSRP)
    with path.open(encoding="utf-8-sig", newline="") as lines:
        rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [SentencePair(q == "1", i1, i2, s1, s2) for q, i1, i2, s1, s2 in rows]


@dataclass(frozen=True)
class Answer:
    """One Clough & Stevenson short answer: its file, task (a-e) and how it was written
    (cut, light, heavy or non: copied, lightly or heavily revised, or written independently)."""

    name: str
    task: str
    category: str
    text: str


def clough_answers(data_dir: Path = DEFAULT_DATA) -> tuple[dict[str, str], list[Answer]]:
    """The five source texts by task, and the 95 answers."""
    folder = _require(Path(data_dir) / CLOUGH)
    with (folder / "file_information.csv").open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines))

    def text(name: str) -> str:
        return (folder / name).read_text(encoding="latin-1")

    sources = {task: text(f"orig_task{task}.txt") for task in "abcde"}
    answers = [
        Answer(row["File"], row["Task"], row["Category"], text(row["File"]))
        for row in rows
        if row["Category"] != "orig"
    ]
    return sources, answers


@dataclass(frozen=True)
class Article:
    """One BBC News file: ``category/NNN.txt`` and its bytes (mostly latin-1, some UTF-8: decode
    with ``fingerprint.reading.read_text``, as the syndication generator does)."""

    name: str
    path: Path
    data: bytes


def bbc_articles(data_dir: Path = DEFAULT_DATA) -> list[Article]:
    """The 2,225 BBC News articles in path order."""
    root = _require(Path(data_dir) / BBC)
    return [
        Article(f"{path.parent.name}/{path.name}", path, path.read_bytes())
        for path in sorted(root.glob("*/*.txt"))
    ]


def seed_article(data_dir: Path = DEFAULT_DATA) -> Path:
    """The seed article's file (the CGTN page with its captions rendered twice)."""
    found = [p for p in sorted(_require(Path(data_dir) / SEED).glob("*.txt")) if p.stem != "README"]
    if not found:
        raise CorpusMissing(f"no .txt file in {Path(data_dir) / SEED}")
    return found[0]


@dataclass(frozen=True)
class LabelledPage:
    """One L3S-GN1 page: its files and its labelled blocks (``{"label", "text"}``, in order)."""

    uuid: str
    url: str
    original: Path
    annotated: Path
    blocks: list[dict]

    @property
    def site(self) -> str:
        """The host name of the page's URL (``www.boston.com``)."""
        return urllib.parse.urlsplit(self.url).netloc.lower()


def l3s_pages(data_dir: Path = DEFAULT_DATA) -> list[LabelledPage]:
    """The L3S-GN1 pages of the shared split that have an original page, in uuid order."""
    root = _require(Path(data_dir) / L3S)
    with _require(root / "l3s_gn1_blocks.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    pages = [
        LabelledPage(
            row["uuid"],
            row["url"],
            root / "original" / f"{row['uuid']}.html",
            root / "annotated" / f"{row['uuid']}.html",
            row["blocks"],
        )
        for row in rows
    ]
    return sorted((page for page in pages if page.original.is_file()), key=lambda p: p.uuid)
