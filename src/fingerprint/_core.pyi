"""Type stubs for the compiled core, ``fingerprint._core``, checked against it by stubtest."""

from collections.abc import Iterable, Sequence
from typing import Any, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "COPY_VERDICTS",
    "NO_SOURCE",
    "RELATIONS",
    "SEGMENTATION_VERSION",
    "VERDICTS",
    "BlockIndex",
    "BlockPair",
    "DocumentSketch",
    "Examination",
    "IndexMatch",
    "Ingestion",
    "Policy",
    "Recipe",
    "Signature",
    "__version__",
    "choose_candidates",
    "evidence_of",
    "examine_among",
    "posting_keys",
    "segment_text",
    "shingle_hashes",
    "shingles",
    "sketch",
    "sketch_documents",
    "sketch_many",
    "tokens",
]

__version__: str
#: How text and pages are cut into blocks; a stored index records it beside its recipe.
SEGMENTATION_VERSION: int

#: ``(pairs, coverage_a, coverage_b, verdict)``.
_Alignment = tuple[list[BlockPair], float, float, str]
#: The names of the verdicts, most related first.
VERDICTS: list[str]
#: The names of the verdicts that make one article a copy of the other.
COPY_VERDICTS: list[str]
#: The names of the relations of aligned blocks.
RELATIONS: list[str]
#: The source number of documents without a source: they share no furniture.
NO_SOURCE: int

@final
class Recipe:
    """The parameters that make a fingerprint: version, shingle size, permutations and seed."""

    def __new__(
        cls,
        shingle_size: int | None = None,
        num_perm: int | None = None,
        seed: int | None = None,
        *,
        version: int | None = None,
    ) -> Recipe: ...
    @property
    def version(self) -> int:
        """The recipe version: what normalization, tokenizer, hashes and permutations mean."""
    @property
    def shingle_size(self) -> int:
        """Consecutive tokens per shingle."""
    @property
    def num_perm(self) -> int:
        """Values per signature."""
    @property
    def seed(self) -> int:
        """The seed of every hash and permutation."""
    @property
    def id(self) -> str:
        """The short form stored with indexes, e.g. ``v1-k3-p128-s0``."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Recipe], tuple[int, int, int]]: ...

@final
class Signature:
    """The MinHash signature of a text: ``num_perm`` uint32 values and their recipe."""

    def __new__(
        cls, hashvalues: npt.ArrayLike | Sequence[int], recipe: Recipe | None = None
    ) -> Signature: ...
    @property
    def recipe(self) -> Recipe:
        """The recipe that made this signature."""
    @property
    def hashvalues(self) -> npt.NDArray[np.uint32]:
        """The values, as a new array of ``uint32``."""
    @property
    def is_empty(self) -> bool:
        """Whether this is the signature of a text with no token, which matches nothing."""
    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets; ValueError across recipes."""
    def to_datasketch(self) -> Any:
        """This signature as a ``datasketch.LeanMinHash``."""
    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Signature], tuple[npt.NDArray[np.uint32], Recipe]]: ...

def sketch(text: str, recipe: Recipe | None = None) -> Signature:
    """The MinHash signature of ``text`` under ``recipe`` (the default recipe when None)."""

def sketch_many(
    texts: Iterable[str], recipe: Recipe | None = None, threads: int | None = None
) -> npt.NDArray[np.uint32]:
    """The signatures of many texts as one array of shape ``(len(texts), num_perm)``."""

def tokens(text: str) -> list[str]:
    """The tokens of ``text``: normalized words, as the recipe sees them."""

def shingles(text: str, recipe: Recipe | None = None) -> list[tuple[str, ...]]:
    """The shingles of ``text``, as tuples of ``shingle_size`` tokens, in order."""

def shingle_hashes(text: str, recipe: Recipe | None = None) -> npt.NDArray[np.uint64]:
    """The 64-bit hashes of the shingles of ``text``, in order."""

def segment_text(text: str) -> list[tuple[int, int, str, str]]:
    """The blocks of plain text as ``(start, end, kind, text)``, offsets in characters."""

@final
class DocumentSketch:
    """Every block's exact shingle set, from one call; signatures when first asked for."""

    def __new__(cls, blocks: Iterable[str], recipe: Recipe | None = None) -> DocumentSketch: ...
    def __len__(self) -> int: ...
    def to_bytes(self) -> bytes:
        """The blocks' shingle sets as bytes, for storing; ``from_bytes`` reads them."""
    @staticmethod
    def from_bytes(data: bytes, recipe: Recipe | None = None) -> DocumentSketch:
        """A sketch from what ``to_bytes`` wrote, under ``recipe``."""
    @property
    def signatures(self) -> npt.NDArray[np.uint32]:
        """The block signatures, shape ``(blocks, num_perm)``."""
    @property
    def signature(self) -> Signature:
        """The signature of the whole document."""
    @property
    def shingle_counts(self) -> list[int]:
        """The number of distinct shingles of each block."""
    @property
    def size(self) -> int:
        """The number of distinct shingles of the whole document."""
    def compare(self, other: DocumentSketch, thresholds: Any) -> tuple[int, int, int, _Alignment]:
        """This document (a) compared with ``other`` (b) under ``thresholds``:
        ``(shared, size_a, size_b, (pairs, coverage_a, coverage_b, verdict))``."""
    def repeated(self, threshold: float) -> list[list[int]]:
        """Groups of near-duplicate blocks (Jaccard at least ``threshold``) in this document."""
    @property
    def block_identities(self) -> npt.NDArray[np.uint64]:
        """Each block's identity: equal for blocks of equal shingle sets, 0 for an empty block."""
    @property
    def identity(self) -> int:
        """The document's identity: equal for documents whose non-empty blocks are identical,
        in the same order; 0 for a document with no non-empty block."""

def sketch_documents(
    documents: Iterable[Iterable[str]], recipe: Recipe | None = None, threads: int | None = None
) -> list[DocumentSketch]:
    """The sketches of many documents (each a list of block texts), in one call, over threads."""

@final
class BlockPair:
    """Block ``a`` of the first article aligned with block ``b`` of the second.

    ``similarity`` is the Jaccard similarity of their shingle sets; ``a_in_b`` and ``b_in_a``
    are the containments. ``relation`` is identical, near-duplicate, or contained.

    >>> import fingerprint
    >>> merged = "The storm hit the coast at dawn. Rain fell for six hours on the town."
    >>> split = "The storm hit the coast at dawn.\n\nRain fell for six hours on the town."
    >>> [(p.a, p.b, p.relation, p.b_in_a) for p in fingerprint.compare(merged, split).pairs]
    [(0, 0, 'contained', 1.0), (0, 1, 'contained', 1.0)]
    """

    def __new__(
        cls, a: int, b: int, similarity: float, relation: str, a_in_b: float, b_in_a: float
    ) -> BlockPair: ...
    @property
    def a(self) -> int: ...
    @property
    def b(self) -> int: ...
    @property
    def similarity(self) -> float: ...
    @property
    def relation(self) -> str: ...
    @property
    def a_in_b(self) -> float: ...
    @property
    def b_in_a(self) -> float: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __getnewargs__(self) -> tuple[int, int, float, str, float, float]: ...

@final
class IndexMatch:
    """An earlier document sharing evidence with the query, as the core numbered it."""

    @property
    def number(self) -> int:
        """The document's number in the index."""
    @property
    def containment(self) -> float:
        """Share of the query's evidence shingles that are in the document."""
    @property
    def contained(self) -> float:
        """Share of the document's evidence shingles that are in the query."""
    @property
    def jaccard(self) -> float: ...
    @property
    def pairs(self) -> list[BlockPair]:
        """The aligned block pairs, the query as side ``a``."""
    @property
    def same_story(self) -> bool:
        """Whether the match and the query make one story, so that their clusters join
        (``Match::same_story`` in the core)."""
    @property
    def verdict(self) -> str:
        """The verdict, as `compare` gives it."""

@final
class Examination:
    """A document examined against the index: for each block its furniture count and whether it
    is evidence, its groups of repeated blocks, its matches (best first) and which of them name
    its origin."""

    @property
    def furniture(self) -> list[int]:
        """For each block, how many documents of the same source already carry it."""
    @property
    def evidence(self) -> list[bool]:
        """For each block, whether it is evidence."""
    @property
    def repeated(self) -> list[list[int]]:
        """Groups of near-duplicate blocks inside the document."""
    @property
    def matches(self) -> list[IndexMatch]:
        """Earlier documents sharing the document's evidence, best first (``IndexMatch``)."""
    @property
    def origin_links(self) -> list[int]:
        """The places in ``matches`` of those that name the document's origin."""

@final
class Policy:
    """What makes a block evidence, how a query ranks and limits its candidates, and how blocks
    align: every parameter that decides a report. Each defaults to the core's value.

    >>> from fingerprint._core import Policy
    >>> Policy().max_postings, Policy(same=0.9).same
    (16, 0.9)
    """

    def __new__(
        cls,
        *,
        boilerplate_min: int | None = None,
        min_evidence_shingles: int | None = None,
        max_postings: int | None = None,
        max_candidates: int | None = None,
        min_containment: float | None = None,
        min_shared: int | None = None,
        repeated: float | None = None,
        pair: float | None = None,
        near_duplicate: float | None = None,
        same: float | None = None,
        contains: float | None = None,
        partial: float | None = None,
    ) -> Policy: ...
    @property
    def boilerplate_min(self) -> int:
        """A block seen identical in at least this many other documents of its source is page
        furniture."""
    @property
    def min_evidence_shingles(self) -> int:
        """Blocks with fewer distinct shingles are not evidence."""
    @property
    def max_postings(self) -> int:
        """Shingles held by more blocks than this are stop shingles."""
    @property
    def max_candidates(self) -> int:
        """Candidate documents a query returns, at most."""
    @property
    def min_containment(self) -> float:
        """A candidate holding less than this share of the query's evidence is no match."""
    @property
    def min_shared(self) -> int:
        """A match shares at least this many evidence shingles (or the whole of either side)."""
    @property
    def repeated(self) -> float:
        """Blocks inside one document at least this similar (Jaccard) are repeats."""
    @property
    def pair(self) -> float:
        """Two blocks align when their Jaccard, or either's containment in the other, reaches
        it."""
    @property
    def near_duplicate(self) -> float:
        """An aligned pair at or above this Jaccard is a near-duplicate."""
    @property
    def same(self) -> float:
        """Both articles have at least this share in aligned blocks: the same article."""
    @property
    def contains(self) -> float:
        """One article has at least this share in aligned blocks: the other contains it."""
    @property
    def partial(self) -> float:
        """Either article has at least this share in aligned blocks: a partial overlap."""
    def to_dict(self) -> dict[str, int | float]:
        """Every parameter by name, in the order of the constructor's keywords."""

def evidence_of(
    sketch: DocumentSketch, furniture: list[int], policy: Policy | None = None
) -> list[bool]:
    """Which blocks of ``sketch`` are evidence, given each block's furniture count (documents of
    its source before it carrying the block) under ``policy`` (None: the core's defaults)."""

def posting_keys(
    sketch: DocumentSketch, evidence: list[bool]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The keys ``sketch`` posts with these evidence flags, in key order, and for each the
    number of evidence blocks holding it: two arrays."""

def examine_among(
    sketch: DocumentSketch,
    furniture: list[int],
    walked: dict[int, int],
    blocks: int,
    candidates: list[tuple[DocumentSketch, list[bool]]],
    policy: Policy | None = None,
) -> Examination:
    """``sketch`` examined as the index examines a document against every document before it,
    from its context alone: ``furniture``, one count per block; ``walked``, each key of its
    evidence blocks that is not a stop shingle with its postings before it (a key left out is a
    stop shingle); ``blocks``, the blocks before it; ``candidates``, ``(sketch, evidence)`` of
    the documents before it that ``choose_candidates`` kept (or of every one holding a walked
    key, and its first identical ones), in the order they were added. A match's number is its
    place in ``candidates``."""

def choose_candidates(
    walked: dict[int, int],
    blocks: int,
    holders: list[tuple[int, int, int]],
    twins: list[int],
    policy: Policy | None = None,
) -> list[int]:
    """The candidates a document's examination keeps (``examine_among`` needs no others): its
    ``twins`` (its first identical documents before it), then the best of ``holders``, each
    ``(key, document, its size)`` for a walked key and a document before it holding the key in
    an evidence block; ``walked`` and ``blocks`` as for ``examine_among``."""

@final
class Ingestion:
    """The results of ``BlockIndex.ingest``, in order: ``(number, examination, sketch)``; the
    whole batch goes in whether or not they are read."""

    def __iter__(self) -> Ingestion: ...
    def __next__(self) -> tuple[int, Examination, DocumentSketch | None]: ...

@final
class BlockIndex:
    """The in-memory corpus index of evidence blocks, safe to share between threads."""

    def __new__(
        cls,
        recipe: Recipe | None = None,
        policy: Policy | None = None,
        merge_at: int | None = None,
    ) -> BlockIndex: ...
    @property
    def policy(self) -> Policy:
        """The index's policy."""
    def examine(
        self, sketch: DocumentSketch, source: int, exclude: int | None = None
    ) -> Examination:
        """A document of source number ``source`` examined against the index, nothing added;
        when it is in the index already as number ``exclude``, it is not its own match."""
    def ingest(
        self, documents: list[DocumentSketch | str | list[str]], sources: list[int]
    ) -> Ingestion:
        """Examines and adds documents in order, each against all before it, on threads of the
        index's own; each document a sketch, a plain text (cut as ``segment_text`` cuts it) or
        its blocks' texts, sketched there:
        ``(number, examination, sketch)`` for each, in order, as soon as each is ready (the
        sketch None when one was given)."""
    def add_many(
        self, sketches: list[DocumentSketch], sources: list[int], evidence: list[list[bool]]
    ) -> list[int]:
        """Adds documents in order, nothing examined, their postings together (loading an
        index); returns their numbers."""
    def examine_many(
        self,
        sketches: list[DocumentSketch],
        sources: list[int],
        exclude: list[int | None],
        threads: int | None = None,
    ) -> list[Examination]:
        """Documents examined as ``examine`` would, nothing added, on ``threads`` threads (None:
        every core): each a sketch, its source number, and its own number if it is in the index
        (``exclude``, None for none)."""
    def remove(self, doc: int) -> bool:
        """Removes a document by number; returns whether it was there."""
    def without(self, removed: list[int]) -> tuple[BlockIndex, list[tuple[int, Examination, bool]]]:
        """This index without the documents numbered ``removed``, as if they had never been
        added, its live documents numbered anew in order; and each live document after the first
        removed one, examined again: (its number here, its examination, whether its evidence
        blocks changed), in order. This index is left as it was."""
    def reclaim(self) -> None:
        """Drops the postings of removed documents now."""
    def __len__(self) -> int: ...
    def stats(self) -> tuple[int, int, int, int]:
        """``(documents, blocks, postings, heap_bytes)``."""
