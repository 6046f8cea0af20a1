"""HTML pages as blocks: which elements make blocks, their kinds, text, and source offsets."""

import html as html_module
import json
import re

from hypothesis import given
from hypothesis import strategies as st
from shared_data import require

from fingerprint.html import RawBlock, html_blocks
from fingerprint.reading import read_text

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def visible(source: str) -> str:
    """What a span of source shows as text: markup removed, entities unescaped, spaces collapsed."""
    source = _COMMENT.sub("", _SCRIPT_OR_STYLE.sub("", source))
    source = _TAG.sub("", _BR.sub(" ", source))
    return " ".join(html_module.unescape(source).split())


def squashed(text: str) -> str:
    return "".join(text.split())


def kinds_and_texts(page: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in html_blocks(page)]


def texts(page: str) -> list[str]:
    return [block.text for block in html_blocks(page)]


KINDS_PAGE = """<!DOCTYPE html>
<html><head><title>Storm hits coast | Daily News</title>
<meta name="description" content="Storm hits coast"><link rel="stylesheet" href="a.css"></head>
<body>
<h1>Storm hits coast</h1>
<p class="byline">By <a href="/a">A. Reporter</a></p>
<figure><img src="a.jpg" alt="Waves"><figcaption>Waves at dawn</figcaption></figure>
<div class="photo-Caption">Photo: Agency</div>
<p>Rain fell <em>all</em> night.</p>
<h3>What next</h3>
<ul><li>Roads closed</li><li>Schools shut</li></ul>
<dl><dt>Wind</dt><dd>90 mph</dd></dl>
<blockquote>We lost everything</blockquote>
<pre>  tide   6.1 m</pre>
<table><caption>Rainfall</caption><tr><th>Town</th><td>40 mm</td></tr></table>
<address>Newsroom, 1 High St</address>
</body></html>"""


def test_kinds():
    assert kinds_and_texts(KINDS_PAGE) == [
        ("title", "Storm hits coast | Daily News"),
        ("heading", "Storm hits coast"),
        ("paragraph", "By A. Reporter"),
        ("caption", "Waves at dawn"),
        ("caption", "Photo: Agency"),
        ("paragraph", "Rain fell all night."),
        ("heading", "What next"),
        ("list_item", "Roads closed"),
        ("list_item", "Schools shut"),
        ("list_item", "Wind"),
        ("list_item", "90 mph"),
        ("quote", "We lost everything"),
        ("preformatted", "tide 6.1 m"),
        ("caption", "Rainfall"),
        ("table_cell", "Town"),
        ("table_cell", "40 mm"),
        ("paragraph", "Newsroom, 1 High St"),
    ]


def test_blocks_are_raw_blocks():
    block = html_blocks("<p>Rain</p>")[0]
    assert isinstance(block, RawBlock)
    assert block == ("Rain", "paragraph", 3, 7)
    assert block._fields == ("text", "kind", "start", "end")


def test_non_text_elements_are_dropped():
    page = """<html><head><title>Kept</title><style>p { color: red }</style>
    <script>var headline = "Dropped";</script></head><body>
    <nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <script type="application/ld+json">{"articleBody": "Rain fell"}</script>
    <noscript>Enable JavaScript</noscript><template><p>Template text</p></template>
    <!-- <p>Commented out</p> -->
    <svg><title>Icon title</title><text>Icon</text></svg><iframe>Frame text</iframe>
    <form><label>Search <input value="query"></label><select><option>UK</option></select>
    <button>Go</button><textarea>Type here</textarea></form>
    <p>Rain fell</p></body></html>"""
    assert texts(page) == ["Kept", "Search", "Rain fell"]


def test_text_between_child_blocks_is_its_own_block():
    assert texts("<div>Intro text<p>Para</p>tail text</div>") == ["Intro text", "Para", "tail text"]


def test_nested_blocks_come_in_document_order():
    page = (
        "<article><header><h1>Head</h1><p>By X</p></header>"
        "<section>A<div>B<div>C</div>D</div>E</section></article><footer>F</footer>"
    )
    assert texts(page) == ["Head", "By X", "A", "B", "C", "D", "E", "F"]


def test_inline_elements_merge_into_their_block():
    page = '<p>Hello <b>big</b> <a href="#">world</a>! w<i>or</i>d <span>x</span><em>y</em></p>'
    assert texts(page) == ["Hello big world! word xy"]


def test_br_is_a_space():
    assert texts("<p>one<br>two<br/>three</p>") == ["one two three"]


def test_entities_are_unescaped_and_nbsp_is_a_space():
    page = "<p>Fish &amp; chips&nbsp;&nbsp;cost &pound;5 &#8211; &#x201C;cheap&#x201d; &lt;3</p>"
    assert texts(page) == ["Fish & chips cost \u00a35 \u2013 \u201ccheap\u201d <3"]


def test_whitespace_is_collapsed_and_empty_blocks_dropped():
    assert texts("<p>  \n a \t b </p><p> </p><div>&nbsp;</div><p><img src=x></p>") == ["a b"]


def test_plain_containers_take_the_kind_of_the_block_around_them():
    page = (
        "<ul><li><p>item</p></li></ul><blockquote><p>quoted</p></blockquote>"
        "<figure><figcaption><div>cap</div></figcaption></figure>"
        "<table><tr><td><p>layout table paragraph</p></td></tr></table>"
    )
    assert kinds_and_texts(page) == [
        ("list_item", "item"),
        ("quote", "quoted"),
        ("caption", "cap"),
        ("paragraph", "layout table paragraph"),
    ]


def test_empty_pages_have_no_blocks():
    assert html_blocks("") == []
    assert html_blocks(" \n ") == []
    assert html_blocks("<html><body><script>x()</script></body></html>") == []


def assert_offsets_round_trip(page: str) -> list[RawBlock]:
    blocks = html_blocks(page)
    previous_end = 0
    for block in blocks:
        assert previous_end <= block.start <= block.end <= len(page), block
        span = page[block.start : block.end]
        assert visible(span) == block.text, block
        assert not span[:1].isspace() and not span[-1:].isspace(), block
        previous_end = block.end
    return blocks


def test_offsets_point_at_each_blocks_text():
    assert len(assert_offsets_round_trip(KINDS_PAGE)) == 17


def test_offsets_span_inline_markup_and_escaped_entities():
    page = "<div>\n  By <b>A. Reporter</b>,\n<p>Fish &amp; chips&nbsp;</p></div>"
    spans = [page[block.start : block.end] for block in assert_offsets_round_trip(page)]
    assert spans == ["By <b>A. Reporter</b>,", "Fish &amp; chips&nbsp;"]


def test_offsets_skip_the_same_words_in_attributes_and_scripts():
    page = (
        '<head><meta content="Storm hits"><script>t = "Storm hits";</script></head>'
        '<body><img alt="Storm hits"><!-- Storm hits --><p>Storm hits</p></body>'
    )
    [block] = assert_offsets_round_trip(page)
    assert block.start == page.rindex("Storm hits")


def test_offsets_of_text_written_as_entities():
    page = "<p>&#1591;&#1575;&#1604;</p><p>&ldquo;&hellip;&rdquo;</p>"
    spans = [page[block.start : block.end] for block in assert_offsets_round_trip(page)]
    assert spans == ["&#1591;&#1575;&#1604;", "&ldquo;&hellip;&rdquo;"]


def test_offsets_of_text_the_parser_merged_or_changed():
    page = "<p>a</foo>b</p><pre>\nline one\r\n  line two</pre>"
    blocks = assert_offsets_round_trip(page)
    assert [(block.text, page[block.start : block.end]) for block in blocks] == [
        ("ab", "a</foo>b"),
        ("line one line two", "line one\r\n  line two"),
    ]


def test_offsets_are_python_string_indexes():
    page = "<p>\U0001f600 caf\u00e9</p><p>\u65e5\u672c</p>"
    spans = [page[block.start : block.end] for block in assert_offsets_round_trip(page)]
    assert spans == ["\U0001f600 caf\u00e9", "\u65e5\u672c"]


_CHARACTERS = "abcxyz \u00e9\u2019\u00a0&<>\"'\n"
_ENTITY_STYLES = st.sampled_from(["escaped", "numeric", "named"])


@st.composite
def text_source(draw) -> str:
    """Random text as real pages write it: escaped, and some characters as entities."""
    text = draw(st.text(alphabet=_CHARACTERS, max_size=12))
    style = draw(_ENTITY_STYLES)
    source = html_module.escape(text)
    if style == "numeric":
        source = re.sub(r"[^\x00-\x7f]", lambda match: f"&#{ord(match.group())};", source)
    elif style == "named":
        source = source.replace("\u00a0", "&nbsp;").replace("\u2019", "&rsquo;")
    return source


def element(children: list[str], tag: str, title: str) -> str:
    attribute = f' title="{html_module.escape(title)}"' if title else ""
    return f"<{tag}{attribute}>{''.join(children)}</{tag}>"


# Things that trip up finding text in the source: the same words in markup, scripts, comments and
# dropped elements, text the parser merges across a stray end tag, line breaks, blank entities.
DECOYS = st.sampled_from(
    ["<br>", "<!-- ab c -->", "<script>s = 'ab c';</script>", "</foo>", "<img alt='ab'>", "&nbsp;"]
)
NAV = "<nav>ab</nav>"
PAGES = st.lists(
    st.recursive(
        st.one_of(text_source(), DECOYS, st.just(NAV)),
        lambda inner: st.builds(
            element,
            st.lists(inner, max_size=4),
            st.sampled_from(["p", "div", "span", "b", "section", "li", "h2", "td", "blockquote"]),
            st.sampled_from(["", "ab", "ab c"]),
        ),
        max_leaves=24,
    ),
    max_size=5,
).map("".join)


@given(PAGES)
def test_offsets_of_generated_nested_pages(page):
    blocks = html_blocks(page)
    previous_end = 0
    for block in blocks:
        assert previous_end <= block.start <= block.end <= len(page), block
        previous_end = block.end
        shown = visible(page[block.start : block.end].replace(NAV, ""))
        assert squashed(shown) == squashed(block.text), block
    all_text = squashed("".join(block.text for block in blocks))
    assert all_text == squashed(visible(page.replace(NAV, "")))


def test_l3s_pages_parse_with_offsets_that_hold_their_words():
    pages = sorted(require("l3s_gn1/original").glob("*.html"))
    assert pages
    blocks_seen = words_missing = 0
    for path in pages:
        page = read_text(path)
        blocks = html_blocks(page)
        assert blocks, path
        previous_end = 0
        for block in blocks:
            assert previous_end <= block.start <= block.end <= len(page), (path, block)
            previous_end = block.end
            shown = squashed(visible(page[block.start : block.end]))
            words = block.text.split()
            blocks_seen += 1
            words_missing += not (words[0] in shown and words[-1] in shown)
    # Measured on the 288 shared pages: 6 of 29,033 blocks, all text that old document.write()
    # tricks leak out of scripts, where this test's own markup stripping differs from lexbor's.
    assert words_missing <= blocks_seen * 0.001, (words_missing, blocks_seen)


def _ascii_with_question_marks(text: str) -> str:
    # The labelled copy has "?" for every non-ASCII character of the page.
    return re.sub(r"[^\x00-\x7f]", "?", " ".join(text.split()))


def test_l3s_labelled_article_text_and_headlines_are_recovered():
    root = require("l3s_gn1")
    labelled = [
        json.loads(line) for line in (root / "l3s_gn1_blocks.jsonl").read_text().splitlines()
    ]
    fulltext_chars = recovered_chars = headlines = headlines_in_a_block = headline_blocks = 0
    for page in labelled:
        path = root / "original" / f"{page['uuid']}.html"
        if not path.exists():
            continue
        ours = [_ascii_with_question_marks(block.text) for block in html_blocks(read_text(path))]
        for label in page["blocks"]:
            text = _ascii_with_question_marks(label["text"])
            if label["label"] == "fulltext":
                fulltext_chars += len(text)
                recovered_chars += len(text) * any(text in block for block in ours)
            elif label["label"] == "headline":
                headlines += 1
                headlines_in_a_block += any(text in block for block in ours)
                headline_blocks += text in ours
    assert fulltext_chars > 0
    # Measured on the 288 shared pages: 99.6% of fulltext characters, every headline inside a
    # block and 294 of 336 exactly one block (the rest share a table cell or a linked block).
    assert recovered_chars / fulltext_chars >= 0.99
    assert headlines_in_a_block >= 0.98 * headlines
    assert headline_blocks >= 0.85 * headlines
