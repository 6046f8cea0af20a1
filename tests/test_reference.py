"""Checks of the plain-Python reference recipe against hand-worked cases from docs/spec.md."""

import struct

import make_golden
import pytest
import reference
import xxhash
from hypothesis import given
from hypothesis import strategies as st

MASK32 = reference.MASK32

u64s = st.integers(0, 2**64 - 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They\u2019ve said Nazarbayev\u2019s", ["they've", "said", "nazarbayev's"]),
        ("They've said Nazarbayev's", ["they've", "said", "nazarbayev's"]),
        ("rock 'n' roll", ["rock", "n", "roll"]),
        ("dogs' 'tis it''s x\u2019\u2019y", ["dogs", "tis", "it", "s", "x", "y"]),
        ("a'b\u2019c", ["a'b'c"]),
        ("a'東 東'a", ["a", "東", "東", "a"]),
        ("東京タワー", ["東", "京", "タ", "ワ", "ー"]),
        ("東、京・タ", ["東", "京", "タ"]),
        ("안녕하세요 세계", ["안녕하세요", "세계"]),
        ("ภาษา", ["ภ", "า", "ษ", "า"]),
        ("Hello, world! 3.14", ["hello", "world", "3", "14"]),
        ("\uff21\uff22\uff23 \ufb01x x\u00b2", ["abc", "fix", "x2"]),
        ("\u00bd", ["1", "2"]),
        ("e\u0301t\u00e9", ["\u00e9t\u00e9"]),
        ("a\x00b\u200bc\u00add", ["a", "b", "cd"]),
        ("\u2f00 \u2e80", ["\u4e00"]),
        ("", []),
        (" \t\n ... \u3000", []),
    ],
)
def test_tokens(text, expected):
    assert reference.tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u00df", "ss"),
        ("STRASSE", "strasse"),
        ("\u03a3\u03c2", "\u03c3\u03c3"),
        ("\u0130", "i\u0307"),
        ("\u13a0", "\u13a0"),
        ("\uab70", "\u13a0"),
        ("\uff21", "a"),
        ("\ufb01", "fi"),
        ("e\u0301", "\u00e9"),
    ],
)
def test_normalize_is_nfkc_then_casefold(text, expected):
    assert reference.normalize(text) == expected


def test_lone_surrogates_become_replacement_characters():
    assert reference.normalize("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert reference.tokens("it\ud800s a\u2019\udc00") == ["it", "s", "a"]


def test_token_hash_is_seeded_xxh3_of_utf8():
    assert reference.token_hash("", 0) == 0x2D06800538D394C2  # XXH3_64bits("")
    assert reference.token_hash("東", 7) == xxhash.xxh3_64_intdigest("東".encode(), seed=7)
    assert reference.token_hash("a", 0) != reference.token_hash("a", 1)


def test_shingle_hash_is_xxh3_of_little_endian_token_hashes():
    t = [reference.token_hash(word, 5) for word in ("the", "cat", "sat")]
    data = b"".join(h.to_bytes(8, "little") for h in t)
    assert reference.shingle_hashes("The cat, sat", 3, 5) == [xxhash.xxh3_64_intdigest(data, 5)]


def test_shingles_are_windows_with_duplicates_kept():
    assert reference.shingles("a b a b a", 3) == [("a", "b", "a"), ("b", "a", "b"), ("a", "b", "a")]
    hashes = reference.shingle_hashes("a b a b a", 3)
    assert len(hashes) == 3
    assert hashes[0] == hashes[2] != hashes[1]


def test_single_token_shingle_is_not_the_token_hash():
    (shingle,) = reference.shingle_hashes("a", 1, 0)
    token = reference.token_hash("a", 0)
    assert shingle == xxhash.xxh3_64_intdigest(struct.pack("<Q", token))
    assert shingle != token


def test_short_text_gives_one_shingle_of_all_tokens():
    assert reference.shingles("Hello, world!", 3) == [("hello", "world")]
    assert reference.shingle_hashes("a b", 3) == reference.shingle_hashes("a b", 2)
    assert reference.shingle_hashes("a b", 5) == reference.shingle_hashes("a b", 64)
    short = {reference.shingle_hashes(text, 3)[0] for text in ("a", "b", "a b", "b a", "a a")}
    assert len(short) == 5


@pytest.mark.parametrize("text", ["", "   ", "!!! ... ---", "\x00", "\ud800", "\U0001f600"])
def test_text_without_tokens_has_no_shingle_and_the_empty_signature(text):
    assert reference.shingle_hashes(text) == []
    assert reference.signature(text, num_perm=16) == [0xFFFFFFFF] * 16


def test_splitmix64_matches_its_published_sequence():
    numbers = reference.splitmix64(0)
    assert [next(numbers) for _ in range(3)] == [
        0xE220A8397B1DCDAF,
        0x6E789E6AA1B965F4,
        0x06C45D188009454F,
    ]


def test_permutations_come_from_splitmix64_in_pairs():
    assert reference.permutations(2, 0) == [(0x7B1DCDAF, 0xA1B965F4), (0x8009454F, 0x724C81EC)]


@given(st.integers(1, 300), u64s)
def test_permutation_multipliers_are_odd_32_bit(num_perm, seed):
    perms = reference.permutations(num_perm, seed)
    assert len(perms) == num_perm
    assert all(a % 2 == 1 and 0 < a <= MASK32 and 0 <= b <= MASK32 for a, b in perms)


def test_permutations_of_a_shorter_recipe_are_a_prefix():
    assert reference.permutations(128, 9)[:64] == reference.permutations(64, 9)
    assert reference.permutations(64, 9) != reference.permutations(64, 10)


def test_signature_of_one_shingle_applies_each_permutation():
    (s,) = reference.shingle_hashes("Hello", 3, 3)
    expected = [(a * (s & MASK32) + b) & MASK32 for a, b in reference.permutations(32, 3)]
    assert reference.signature("Hello", 3, 32, 3) == expected


def test_signature_is_the_minimum_over_shingles_and_ignores_duplicates():
    text = "la la la la di da"
    hashes = reference.shingle_hashes(text)
    assert len(hashes) > len(set(hashes))
    per_shingle = [reference.minhash([s], 64) for s in hashes]
    assert reference.signature(text, num_perm=64) == [
        min(col) for col in zip(*per_shingle, strict=True)
    ]


@given(st.lists(u64s, max_size=50), st.lists(u64s, max_size=50), st.integers(1, 64), u64s)
def test_signature_of_a_union_is_the_elementwise_minimum(left, right, num_perm, seed):
    union = reference.minhash(left + right, num_perm, seed)
    left_sig = reference.minhash(left, num_perm, seed)
    right_sig = reference.minhash(right, num_perm, seed)
    assert union == [min(pair) for pair in zip(left_sig, right_sig, strict=True)]


def test_signature_agreement_estimates_jaccard():
    common = list(range(300))
    left, right = common + list(range(1000, 1300)), common + list(range(2000, 2300))
    true_jaccard = 300 / 900
    estimates = []
    for seed in range(8):
        a, b = reference.minhash(left, 256, seed), reference.minhash(right, 256, seed)
        estimates.append(sum(x == y for x, y in zip(a, b, strict=True)) / 256)
    standard_error = (true_jaccard * (1 - true_jaccard) / (256 * 8)) ** 0.5
    assert abs(sum(estimates) / 8 - true_jaccard) < 4 * standard_error


def test_golden_file_is_what_make_golden_writes():
    committed = make_golden.GOLDEN_PATH.read_text(encoding="ascii")
    assert committed == make_golden.golden_text(), "run `python tests/make_golden.py`"
