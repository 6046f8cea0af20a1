"""Generated corpora for tests of the index and the batch engines: shared paragraphs, near copies,
trimmed and merged copies, templated notices whose shingles are all common, furniture per source,
short and empty blocks, identical documents and equal dates."""

from __future__ import annotations

from hypothesis import strategies as st

_VOCABULARY = """the bank rate rain coast court heard police said storm rose fell city council
mayor vote road river night week power homes jury trial judge market shares price oil"""
WORDS = tuple(_VOCABULARY.split())
SOURCES = (None, "wire", "courier", "herald")
DATES = (None, "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04")
TEMPLATE = "said qtly div five cts vs five cts prior pay april one record march two"
#: Blocks that are not prose: empty of words, or too short to be evidence.
ODD_BLOCKS = ("—", "* * *", "By Jane Doe", "Reuters", "Photo: AP")
FOOTERS = {
    "wire": "Reporting by the wire desk editing by the night desk",
    "courier": "Sign up for the courier newsletter to get the top stories every day",
    "herald": "Search trends rain coast storm power homes",
}

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(
    lambda words: " ".join(words).capitalize() + "."
)
paragraphs = st.lists(sentences, min_size=1, max_size=3).map(" ".join)


@st.composite
def documents(draw: st.DrawFn, pool: list[str]) -> tuple[list[str], str | None, str | None]:
    """A document's paragraphs, source and date: a copy, trimmed or edited, of pool paragraphs,
    with local paragraphs, furniture and odd blocks."""
    kind = draw(st.sampled_from(["copy", "copy", "copy", "notice", "local"]))
    source = draw(st.sampled_from(SOURCES))
    if kind == "notice":
        company = draw(st.sampled_from(["Acme Corp", "Bolt Inc", "Cord Ltd", "Dune plc"]))
        body = [f"{company} {TEMPLATE}"]
    elif kind == "local":
        body = draw(st.lists(paragraphs, min_size=1, max_size=3))
    else:
        start = draw(st.integers(0, len(pool) - 1))
        length = draw(st.integers(1, 4))
        body = [pool[(start + i) % len(pool)] for i in range(length)]
        if draw(st.booleans()):
            at = draw(st.integers(0, len(body) - 1))
            words = body[at].split()
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            body[at] = " ".join(words)
        if len(body) > 1 and draw(st.booleans()):
            body[:2] = [body[0] + " " + body[1]]  # two paragraphs merged
        body += draw(st.lists(paragraphs, max_size=1))
    for _ in range(draw(st.integers(0, 2))):
        body.insert(draw(st.integers(0, len(body))), draw(st.sampled_from(ODD_BLOCKS)))
    if source in FOOTERS and draw(st.integers(0, 3)):
        body.append(FOOTERS[source])
    return body, source, draw(st.sampled_from(DATES))
