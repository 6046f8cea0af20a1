"""Documents: plain text cut into blocks with offsets, sketches, repeated blocks."""

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fingerprint
from fingerprint import Block, Document, Recipe
from fingerprint._core import DocumentSketch

words = st.text(alphabet="abcdefghij klmnop,.'", min_size=1, max_size=40)
paragraphs = st.lists(words.filter(str.strip), min_size=1, max_size=8)
line_breaks = st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n"])


@given(paragraphs, line_breaks)
def test_blocks_point_back_into_the_text(paras, gap):
    text = gap.join(paras)
    doc = Document.from_text(text)
    previous_end = 0
    for i, block in enumerate(doc.blocks):
        assert block.index == i
        assert previous_end <= block.start < block.end <= len(text)
        assert block.text.split() == text[block.start : block.end].split()
        previous_end = block.end
    assert sum(len(b.text.split()) for b in doc.blocks) == len(text.split())


def test_offsets_count_characters_not_bytes():
    text = "Zürich café ☕ news\n\nSecond paragraph with ümlauts."
    doc = Document.from_text(text)
    assert [text[b.start : b.end] for b in doc.blocks] == [b.text for b in doc.blocks]


def test_hard_wrapped_wire_copy_is_rejoined():
    wrapped = (
        "The minister said on Tuesday that the government would not\n"
        "raise taxes this year, despite a widening budget gap and\n"
        "calls from the opposition for more spending on schools.\n"
        "    Analysts said the decision was expected and that markets\n"
        "had already priced in a steady fiscal stance for the year."
    )
    doc = Document.from_text(wrapped)
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]
    assert doc.blocks[0].text.endswith("spending on schools.")
    assert "\n" not in doc.blocks[0].text


def test_document_signature_is_the_minimum_of_its_blocks():
    doc = Document.from_text("One block of text here.\n\nAnother block of text.")
    rows = doc.block_signatures
    assert rows.shape == (2, 128)
    assert np.array_equal(doc.signature.hashvalues, rows.min(axis=0))
    assert np.array_equal(rows[1], fingerprint.sketch("Another block of text.").hashvalues)


def test_repeated_blocks_groups_near_duplicates_only():
    caption = "Demonstrators in the square on Thursday. /Reuters/Photographer"
    text = f"Head\n\n{caption}\n\nA paragraph of story.\n\n{caption} \n\nAnother paragraph."
    doc = Document.from_text(text)
    assert doc.repeated_blocks() == [[1, 3]]
    assert doc.repeated_blocks(threshold=1.0) == [[1, 3]]
    with pytest.raises(ValueError, match=r"threshold \(0\) must be in \(0, 1\]"):
        doc.repeated_blocks(threshold=0)


def test_empty_blocks_never_repeat():
    doc = Document([Block(0, "...", "paragraph", 0, 3), Block(1, "...", "paragraph", 4, 7)])
    assert doc.repeated_blocks() == []


def test_metadata_is_kept_and_published_is_parsed():
    doc = Document.from_text("x", doc_id="a1", source="wire", published="2024-05-01T10:00")
    assert (doc.doc_id, doc.source, doc.published) == ("a1", "wire", datetime(2024, 5, 1, 10))
    assert Document.from_text("x", published=date(2024, 5, 1)).published == datetime(2024, 5, 1)
    with pytest.raises(ValueError, match=r"published \('yesterday'\) must be an ISO 8601"):
        Document.from_text("x", published="yesterday")
    with pytest.raises(TypeError, match="published must be a datetime, date, ISO string or None"):
        Document.from_text("x", published=5)


def test_recipe_reaches_block_signatures():
    doc = Document.from_text("a b c d e", recipe=Recipe(num_perm=32))
    assert doc.block_signatures.shape == (1, 32)
    assert len(doc.signature) == 32


@given(paragraphs, line_breaks)
def test_a_text_the_index_cut_and_sketched_is_cut_the_same_when_asked(paras, gap):
    # from_text cuts nothing until asked; Index.add_many cuts and sketches on its own threads.
    text = gap.join(paras)
    eager = Document.from_text(text)
    eager_blocks = eager.blocks
    lazy = Document.from_text(text, doc_id="lazy")
    fingerprint.Index().add_many([lazy])
    assert lazy.sketch.to_bytes() == DocumentSketch(eager.texts).to_bytes()
    assert lazy.blocks == eager_blocks and len(lazy) == len(eager)


def test_from_text_refuses_what_is_not_a_text_at_once():
    with pytest.raises(TypeError, match="text must be str, not bytes"):
        Document.from_text(b"Storm hits coast")
