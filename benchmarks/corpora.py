"""Real news text for the benchmarks, read from the shared corpora folder.

The corpora live outside the repository, at ``<repo>/../shared/data`` (see that folder's README),
and are never copied into it. Scripts take ``--data DIR`` (see `add_data_argument`).

    corpus = load_reuters(data_dir)
    corpus.articles      # 19,779 non-empty Reuters-21578 bodies
    corpus.paragraphs    # ~107k paragraphs, wrapped lines rejoined
    corpus.article_of    # the article index of each paragraph
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
REUTERS = Path("reuters21578") / "reuters21578.jsonl"

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
