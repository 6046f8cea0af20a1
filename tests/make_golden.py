"""Write tests/data/golden/recipe_v1.jsonl, the recipe v1 golden vectors, from tests/reference.py.

Run `python tests/make_golden.py` after a deliberate change to the cases; tests/test_reference.py
checks that the committed file is what this script writes.
"""

# ruff: noqa: RUF001 - the cases are multilingual on purpose; invisible characters are escaped.

import json
from pathlib import Path

import reference

GOLDEN_PATH = Path(__file__).parent / "data" / "golden" / "recipe_v1.jsonl"

NEWS_COUNCIL = (
    "The city council voted 7–2 on Tuesday night to approve a $48.5 million budget for the new "
    "riverside library, ending a debate that has run for more than three years. “We’ve waited long "
    "enough,” said Councillor Maria Okafor, who chaired the committee. Construction is expected to "
    "begin in the spring."
)
NEWS_COUNCIL_EDITED = (
    "City councillors voted 7-2 on Tuesday to approve a $48.5m budget for the new riverside "
    "library, ending a debate that has run for more than three years. \"We've waited long "
    'enough," said Councillor Maria Okafor.'
)
NEWS_FLOOD = (
    "Heavy rain caused flooding across parts of northern England on Sunday, with the Environment "
    "Agency issuing 23 flood warnings. Residents in two villages were evacuated overnight, and "
    "rail services between Leeds and York were suspended until at least midday on Monday."
)
NEWS_FRENCH = (
    "L’Assemblée nationale a adopté mardi soir le projet de loi sur l’eau, par 312 voix contre "
    "198. Le texte, qu’a défendu la ministre, doit encore passer devant le Sénat au printemps."
)
NEWS_GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Klimaschutzgesetz beschlossen. Bis 2030 sollen "
    "die Emissionen um 65 Prozent gegenüber 1990 sinken, teilte das Ministerium in Berlin mit. "
    "Kritiker halten das Ziel für zu schwach; die STRASSENVERKEHRSBRANCHE müsse mehr leisten."
)
NEWS_JAPANESE = (
    "東京都は２日、大規模地震に備えた新しい防災計画を発表した。"
    "都内の避難所を約３００か所増やし、２０２６年度までに整備を終える方針だ。"
)
LONG_TOKEN = "abcdefghij" * 1000


def case(name, text, shingle_size=3, num_perm=128, seed=0):
    """One golden vector: the inputs and what the reference makes of them."""
    return {
        "name": name,
        "text": text,
        "shingle_size": shingle_size,
        "num_perm": num_perm,
        "seed": seed,
        "tokens": reference.tokens(text),
        "shingle_hashes": reference.shingle_hashes(text, shingle_size, seed),
        "signature": reference.signature(text, shingle_size, num_perm, seed),
    }


def cases():
    """The golden vectors, each chosen for one rule of the spec."""
    return [
        # Empty and separator-only texts have no shingle and the empty signature.
        case("empty", ""),
        case("whitespace_only", " \t\n\r\u00a0\u2003\u3000\u2028 "),
        case("punctuation_only", '...!?,;:-\u2014()[]{}"\u201c\u201d\u00ab\u00bb@#%&*/\\'),
        case("nul_only", "\x00\x00\x00"),
        case("replacement_character", "a\ufffdb \ufffd"),
        # Plain ASCII.
        case("ascii_sentence", "The quick brown fox jumps over the lazy dog."),
        case("ascii_case", "THE Quick BROWN fox"),
        case("ascii_repeated_shingles", "la la la la la la"),
        case("ascii_digits_in_words", "COVID-19 mp3 B2B 4x4 Win10"),
        case("numbers_with_separators", "3.14 1,000 1 000 000 10% $5 -7 2024-05-01 1'000"),
        # Apostrophes: join two word runs, stand as U+0027, separate otherwise.
        case("apostrophe_straight", "They've said Nazarbayev's"),
        case("apostrophe_curly", "They\u2019ve said Nazarbayev\u2019s"),
        case("apostrophe_rock_n_roll", "rock 'n' roll"),
        case("apostrophe_trailing", "the students' books and James' car"),
        case("apostrophe_leading", "'tis the \u2019twas season"),
        case("apostrophe_double", "it''s don\u2019\u2019t o'\u2019clock"),
        case("apostrophe_chain", "a'b'c\u2019d ne'er-do-well"),
        case("apostrophe_alone", "' \u2019 '' x' 'y \u2019z\u2019"),
        case("apostrophe_digits", "the '90s and 90's, rock'n'roll"),
        case("apostrophe_next_to_spaceless", "東'京 a'東 東\u2019a"),
        case("apostrophe_modifier_letter", "don\u02bct Hawai\u02bbi"),
        case("apostrophe_fullwidth", "don\uff07t"),
        case("apostrophe_prime_is_separator", "don\u2032t rock\u2018n"),
        # NFKC.
        case("nfkc_fullwidth", "\uff21\uff22\uff23 \uff44\uff45\uff46 \uff11\uff12\uff13"),
        case("nfkc_ligatures", "\ufb01nance \ufb02ow \ufb00 \ufb06"),
        case("nfkc_superscripts", "x\u00b2 + y\u00b3 = z\u2074, H\u2082O, E=mc\u00b2"),
        case("nfkc_fractions", "\u00bd cup and \u00bc teaspoon, \u2154 left"),
        case("nfkc_letterlike", "\u216b \u338f \u2121 \u2460 \u2122 \u00aa"),
        case("nfkc_spacing_accents", "a\u00b4b \u00a8 caf\u00e9\u00b4"),
        case("nfkc_titlecase_digraph", "\u01c5emal \u01c4 \u01c6 \u0149"),
        case("nfkc_math_alphanumeric", "\U0001d400\U0001d401\U0001d402 \U0001d7ce"),
        # Full case folding.
        case("casefold_sharp_s", "Stra\u00dfe STRASSE stra\u00dfe \u1e9e"),
        case("casefold_greek_sigma", "ΣΊΣΥΦΟΣ σίσυφος ΟΔΥΣΣΕΥΣ"),
        case("casefold_greek_iota", "\u0390 \u1f88 \u1fb3 \u1fbc"),
        case("casefold_turkish_i", "\u0130stanbul ISTANBUL \u0131stanbul istanbul"),
        case("casefold_cherokee", "ᏣᎳᎩ ꮳꮃꭹ"),
        case("casefold_cyrillic_armenian", "ПРИВЕТ Ёлка և ԱԲ"),
        # Combining marks are word characters.
        case("combining_acute", "e\u0301cole \u00e9cole E\u0301COLE"),
        case("combining_stack", "a\u0301\u0302\u0303 \u0301x \u0301"),
        case("devanagari", "नमस्ते दुनिया, हिन्दी समाचार।"),
        case("arabic_harakat", "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ"),
        case("hebrew_niqqud", "שָׁלוֹם עוֹלָם, חֲדָשׁוֹת"),
        case("rtl_mixed", "مرحبا hello שלום 123 \u200fabc\u200edef"),
        case("persian_zwnj", "می\u200cخواهم کتاب\u200cها"),
        case("format_characters", "co\u00adoperate zero\u200bwidth join\u200der \ufeffbom"),
        # Emoji are symbols; their variation selectors and keycaps are marks.
        case("emoji", "I \u2764\ufe0f Rust \U0001f980\U0001f680 news\U0001f4f0"),
        case(
            "emoji_zwj",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family "
            "\U0001f3f3\ufe0f\u200d\U0001f308 flag",
        ),
        case("emoji_skin_tones", "\U0001f44d\U0001f3fd thumbs \U0001f44b\U0001f3ff up"),
        case(
            "emoji_keycaps_flags",
            "1\ufe0f\u20e3 #\ufe0f\u20e3 \U0001f1ec\U0001f1e7 \U0001f1ef\U0001f1f5",
        ),
        # Spaceless scripts give one token per character; Hangul does not.
        case("cjk_tokyo_tower", "東京タワー"),
        case("chinese", "北京是中国的首都。"),
        case("japanese_mixed", "日本語のテキスト、カタカナとひらがな・\uff21\uff22\uff23"),
        case("halfwidth_katakana", "\uff76\uff80\uff76\uff85 \uff83\uff7d\uff84 \uff76\uff9e"),
        case("thai", "ภาษาไทยง่ายนิดเดียว ฿100 ฯลฯ"),
        case("lao_khmer_myanmar", "ພາສາລາວ ភាសាខ្មែរ မြန်မာ"),
        case("korean_hangul", "안녕하세요 세계, 한국어 뉴스"),
        case("cjk_extension_b", "\U00020000\U00020001 \U0002a6a5"),
        case("cjk_radicals", "\u2f00\u2f06 \u2e80\u2e8c"),
        case("cjk_compatibility", "\uf900 \ufa0e\ufa10"),
        case("mixed_scripts", "Привет мир, hello world, γειά σου κόσμε, 你好世界, שלום"),
        # Controls, NUL and other separators.
        case("control_chars", "a\x00b\x01c\x7fd\te\x85f\u2028g\x1bh"),
        case("private_use_and_noncharacters", "a\ue000b\U000f0000c\ufffed"),
        case("very_long_token", f"start {LONG_TOKEN} end"),
        # Short texts: fewer tokens than the shingle size give one shingle of all tokens.
        case("short_one_token", "Hello"),
        case("short_two_tokens", "Hello, world!"),
        case("exactly_shingle_size", "one two three"),
        case("short_k5", "one two three four", shingle_size=5),
        case("short_k64", NEWS_FLOOD, shingle_size=64),
        # Shingle sizes, permutation counts and seeds.
        case("k1", "the cat sat on the mat", shingle_size=1),
        case("k2", "the cat sat on the mat", shingle_size=2),
        case("k5", NEWS_FLOOD, shingle_size=5),
        case("num_perm_1", NEWS_FLOOD, num_perm=1),
        case("num_perm_16", NEWS_FLOOD, num_perm=16),
        case("num_perm_256", NEWS_FLOOD, num_perm=256),
        case("seed_1", NEWS_FLOOD, seed=1),
        case("seed_max", NEWS_FLOOD, seed=2**64 - 1),
        case("seed_max_short", "Hello", seed=2**64 - 1),
        case("all_parameters", NEWS_COUNCIL, shingle_size=5, num_perm=256, seed=2**64 - 1),
        # News paragraphs.
        case("news_council", NEWS_COUNCIL),
        case("news_council_edited", NEWS_COUNCIL_EDITED),
        case("news_flood", NEWS_FLOOD),
        case("news_french", NEWS_FRENCH),
        case("news_german", NEWS_GERMAN),
        case("news_japanese", NEWS_JAPANESE),
    ]


def golden_text():
    """The golden file's content: one JSON object per line, ASCII only."""
    return "".join(json.dumps(vector) + "\n" for vector in cases())


def main():
    GOLDEN_PATH.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN_PATH.write_text(golden_text(), encoding="ascii", newline="\n")
    print(f"wrote {len(cases())} vectors to {GOLDEN_PATH}")


if __name__ == "__main__":
    main()
