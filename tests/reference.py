"""Recipe v1 of docs/spec.md in plain Python: the reference the Rust core must match bit for bit."""

import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator

import xxhash

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF
EMPTY_VALUE = MASK32

APOSTROPHES = ("'", "\u2019", "\u02bc")

# Default_Ignorable_Code_Point (spec 3): invisible format characters, removed before tokenizing.
IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200C, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
SPACELESS_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Character classes of spec section 3.
SEPARATOR, WORD, SPACELESS, APOSTROPHE = "separator", "word", "spaceless", "apostrophe"


def normalize(text: str) -> str:
    """Lone surrogates to U+FFFD, then NFKC, then full case folding (spec 1 and 2)."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFKC", text).casefold()


def is_ignorable(char: str) -> bool:
    """Whether `char` is an invisible format character that tokenizing skips (spec 3)."""
    code = ord(char)
    return any(low <= code <= high for low, high in IGNORABLE_RANGES)


def char_class(char: str) -> str:
    """The class of one normalized character: SPACELESS, WORD, APOSTROPHE or SEPARATOR."""
    if char in APOSTROPHES:
        return APOSTROPHE
    if unicodedata.category(char)[0] not in "LMN":
        return SEPARATOR
    code = ord(char)
    if any(low <= code <= high for low, high in SPACELESS_RANGES):
        return SPACELESS
    return WORD


def tokens(text: str) -> list[str]:
    """The tokens of `text`: word runs (joined by inner apostrophes) and spaceless characters."""
    chars = [c for c in normalize(text) if not is_ignorable(c)]
    classes = [char_class(char) for char in chars] + [SEPARATOR]
    result: list[str] = []
    run: list[str] = []
    for i, char in enumerate(chars):
        kind = classes[i]
        if kind == WORD:
            run.append(char)
        elif kind == APOSTROPHE and i > 0 and classes[i - 1] == WORD and classes[i + 1] == WORD:
            run.append("'")
        else:
            if run:
                result.append("".join(run))
                run = []
            if kind == SPACELESS:
                result.append(char)
    if run:
        result.append("".join(run))
    return result


def token_hash(token: str, seed: int) -> int:
    """xxh3-64 of the token's UTF-8 bytes."""
    return xxhash.xxh3_64_intdigest(token.encode("utf-8"), seed=seed)


def hash_token_hashes(hashes: list[int], seed: int) -> int:
    """xxh3-64 of the token hashes as concatenated 8-byte little-endian integers."""
    return xxhash.xxh3_64_intdigest(struct.pack(f"<{len(hashes)}Q", *hashes), seed=seed)


def shingles(text: str, shingle_size: int = 3) -> list[tuple[str, ...]]:
    """The shingles of `text` in order: a short text (fewer tokens than the size) gives one."""
    words = tokens(text)
    if not words:
        return []
    count = max(len(words) - shingle_size + 1, 1)
    return [tuple(words[i : i + shingle_size]) for i in range(count)]


def shingle_hashes(text: str, shingle_size: int = 3, seed: int = 0) -> list[int]:
    """The hashes of the shingles of `text` in order, duplicates kept."""
    return [
        hash_token_hashes([token_hash(token, seed) for token in shingle], seed)
        for shingle in shingles(text, shingle_size)
    ]


def splitmix64(seed: int) -> Iterator[int]:
    """The SplitMix64 sequence seeded with `seed`."""
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def permutations(num_perm: int, seed: int) -> list[tuple[int, int]]:
    """The (a_i, b_i) of the permutations h_i(x) = (a_i * x + b_i) mod 2^32."""
    numbers = splitmix64(seed)
    return [((next(numbers) & MASK32) | 1, next(numbers) & MASK32) for _ in range(num_perm)]


def minhash(shingles: Iterable[int], num_perm: int = 128, seed: int = 0) -> list[int]:
    """The signature of a set of shingle hashes; the empty set gives all 0xFFFFFFFF."""
    xs = {s & MASK32 for s in shingles}
    return [
        min(((a * x + b) & MASK32 for x in xs), default=EMPTY_VALUE)
        for a, b in permutations(num_perm, seed)
    ]


def signature(text: str, shingle_size: int = 3, num_perm: int = 128, seed: int = 0) -> list[int]:
    """The MinHash signature of the shingle set of `text`, as unsigned 32-bit integers."""
    return minhash(shingle_hashes(text, shingle_size, seed), num_perm, seed)
