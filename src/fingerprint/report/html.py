"""A comparison as one self-contained HTML page: the two articles side by side, matching blocks
linked to each other and the words they share marked.

Nothing is loaded from elsewhere (inline CSS and a few lines of script), so the page can be mailed
or archived as it is. All article text is escaped.
"""

from __future__ import annotations

from html import escape
from string import Template

from fingerprint.alignment import BlockPair
from fingerprint.compare import Comparison
from fingerprint.document import Block, Document
from fingerprint.report.matches import Word, counterparts, matching_words, relation_label

EXPLANATIONS = {
    "same_article": "Both articles lie almost entirely in aligned blocks.",
    "a_contains_b": "Most of b lies in blocks aligned with a: b is a trimmed or edited copy of a.",
    "b_contains_a": "Most of a lies in blocks aligned with b: a is a trimmed or edited copy of b.",
    "partial_overlap": "Some blocks match, but neither article is mostly a copy of the other.",
    "unrelated": "Few or no blocks match.",
}

_CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f4; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0 0 4px; font-size: 24px; }
.explain { margin: 0 0 8px; color: #555; }
table.scores { border-collapse: collapse; margin-bottom: 8px; }
table.scores th, table.scores td { padding: 2px 14px 2px 0; text-align: left; }
table.scores td { font-variant-numeric: tabular-nums; }
.legend { margin: 0; color: #666; font-size: 13px; }
main { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; padding: 16px 24px; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
h2 { font-size: 16px; margin: 0 0 8px; word-break: break-all; }
.block { background: #fff; border-left: 4px solid #c8c8c8; padding: 6px 10px; margin: 0 0 8px;
  scroll-margin-top: 40vh; }
.block.aligned { border-left-color: #2e8b57; }
.block.counterpart, .block:target { outline: 3px solid #f0a500; background: #fffbea; }
.meta { font-size: 12px; color: #666; }
.meta a { color: #1a5fb4; margin-left: 8px; }
.label { font-weight: 600; color: #333; }
.badge { margin-left: 8px; padding: 0 6px; border-radius: 8px; background: #eee; }
.text { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #c9f0d2; color: inherit; padding: 0 1px; }
"""

# Hovering a block lights up its counterparts; clicking a link jumps there (and :target marks it).
_SCRIPT = """
document.querySelectorAll(".block[data-counterparts]").forEach(function (block) {
  var others = block.dataset.counterparts.split(" ").map(function (id) {
    return document.getElementById(id);
  });
  block.addEventListener("mouseenter", function () {
    others.forEach(function (other) { other.classList.add("counterpart"); });
  });
  block.addEventListener("mouseleave", function () {
    others.forEach(function (other) { other.classList.remove("counterpart"); });
  });
});
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
</head>
<body>
<header>
<h1 class="verdict">$verdict</h1>
<p class="explain">$explain</p>
<table class="scores">
<tr><th>jaccard</th><th>a_in_b</th><th>b_in_a</th><th>coverage a</th><th>coverage b</th></tr>
<tr>$scores</tr>
</table>
<p class="legend">Green-edged blocks are aligned with a block of the other article: hover to light
up the counterpart, follow its link to jump there. <mark>Marked</mark> words lie in runs of words
that the counterpart shares. Grey-edged blocks have no counterpart.</p>
</header>
<main>
$articles
</main>
<script>$script</script>
</body>
</html>
""")


def comparison_page(comparison: Comparison, names: tuple[str, str]) -> str:
    """The whole page, as one string of HTML."""
    of_a, of_b = counterparts(comparison)
    scores = (
        comparison.jaccard,
        comparison.a_in_b,
        comparison.b_in_a,
        comparison.coverage_a,
        comparison.coverage_b,
    )
    articles = (
        _article("a", names[0], comparison.a, comparison.b, of_a, comparison),
        _article("b", names[1], comparison.b, comparison.a, of_b, comparison),
    )
    return _PAGE.substitute(
        title=escape(f"fingerprint: {names[0]} vs {names[1]}"),
        css=_CSS,
        verdict=escape(comparison.verdict.replace("_", " ")),
        explain=escape(EXPLANATIONS.get(comparison.verdict, "")),
        scores="".join(f"<td>{score:.2f}</td>" for score in scores),
        articles="\n".join(articles),
        script=_SCRIPT,
    )


def _article(
    side: str,
    name: str,
    doc: Document,
    other: Document,
    paired_with: dict[int, list[int]],
    comparison: Comparison,
) -> str:
    other_side = "b" if side == "a" else "a"
    pairs = {(p.a, p.b) if side == "a" else (p.b, p.a): p for p in comparison.pairs}
    repeated = comparison.repeated_a if side == "a" else comparison.repeated_b
    repeats_of = {i: [j for j in group if j != i] for group in repeated for i in group}
    blocks = []
    for block in doc.blocks:
        partners = paired_with.get(block.index, [])
        links = [_pair_link(other_side, j, pairs[block.index, j]) for j in partners]
        links += [_link(side, j, f"repeat of {side}[{j}]") for j in repeats_of.get(block.index, [])]
        others = [other.blocks[j].text for j in partners]
        words = matching_words(block.text, others, doc.recipe.shingle_size)
        blocks.append(_block(side, other_side, block, partners, links, words))
    heading = f"<h2>{side}: {escape(name)} ({len(doc)} blocks)</h2>"
    return (
        f'<section class="article" id="{side}">\n{heading}\n' + "\n".join(blocks) + "\n</section>"
    )


def _block(
    side: str,
    other_side: str,
    block: Block,
    partners: list[int],
    links: list[str],
    words: list[Word],
) -> str:
    ids = " ".join(f"{other_side}-{j}" for j in partners)
    attributes = f'class="block aligned" data-counterparts="{ids}"' if partners else 'class="block"'
    where = f"{side}[{block.index}] {block.kind}, characters {block.start}-{block.end}"
    badge = "" if partners else f'<span class="badge">only in {side}</span>'
    return (
        f'<article id="{side}-{block.index}" {attributes} title="{escape(where)}">'
        f'<div class="meta"><span class="label">{side}[{block.index}]</span> '
        f'<span class="kind">{escape(block.kind)}</span>{badge}{"".join(links)}</div>'
        f'<p class="text">{_marked(block.text, words)}</p></article>'
    )


def _pair_link(other_side: str, j: int, pair: BlockPair) -> str:
    label = f"\u2194 {other_side}[{j}] {relation_label(pair)} {pair.similarity:.2f}"
    return _link(other_side, j, label)


def _link(side: str, index: int, text: str) -> str:
    return f'<a href="#{side}-{index}">{escape(text)}</a>'


def _marked(text: str, words: list[Word]) -> str:
    """The text, escaped, with each run of matching words (and the spaces inside it) in a mark."""
    runs: list[list[int]] = []
    previous_matched = False
    for word in words:
        if word.matched and previous_matched:
            runs[-1][1] = word.end
        elif word.matched:
            runs.append([word.start, word.end])
        previous_matched = word.matched
    parts, position = [], 0
    for start, end in runs:
        parts += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)
