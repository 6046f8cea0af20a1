"""Comparisons and repeated blocks as text for a person: plain and stable when piped, highlighted on
a terminal.

Lines are wrapped here rather than by ``textwrap`` so that the colour codes of highlighted words do
not count towards a line's width. Text from the data (blocks, names) is made printable first: its
control characters are shown as escapes, never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby, zip_longest

import click

from fingerprint.alignment import BlockPair
from fingerprint.compare import Comparison
from fingerprint.document import Block, Document
from fingerprint.report.matches import counterparts, matching_words, relation_label
from fingerprint.report.printable import printable

GUTTER = " | "
INDENT = "  "

# A rendered line: its width on screen, and its text (with colour codes when highlighted).
Line = tuple[int, str]


def comparison_report(
    comparison: Comparison, names: tuple[str, str], width: int, color: bool
) -> str:
    """The summary line, aligned blocks side by side, blocks only in a or b, repeated blocks."""
    lines = _summary(comparison, names, color)
    lines += _aligned(comparison, width, color)
    for side, doc, only in (
        ("a", comparison.a, comparison.only_a),
        ("b", comparison.b, comparison.only_b),
    ):
        lines += _heading(f"Only in {side}: {_count(len(only), 'block')}", color)
        lines += [line for i in only for line in _listed(doc.blocks[i], width)]
    for side, doc, groups in (
        ("a", comparison.a, comparison.repeated_a),
        ("b", comparison.b, comparison.repeated_b),
    ):
        lines += _heading(f"Repeated in {side}: {_count(len(groups), 'group')}", color)
        lines += [line for group in groups for line in _repeat_group(doc, group, width)]
    return "\n".join(lines)


def repeats_report(
    document: Document, groups: list[list[int]], name: str, threshold: float, width: int
) -> str:
    """Each group of repeated blocks, with the text of every block in it."""
    found = _count(len(groups), "group") + " of repeated blocks" if groups else "no repeated blocks"
    counted = f"{found} among {_count(len(document), 'block')}"
    lines = [f"{printable(name)}: {counted} (threshold {threshold:.2f})"]
    for number, group in enumerate(groups, 1):
        lines += ["", f"Group {number}: blocks {', '.join(map(str, group))}"]
        lines += [line for i in group for line in _listed(document.blocks[i], width)]
    return "\n".join(lines)


def _summary(comparison: Comparison, names: tuple[str, str], color: bool) -> list[str]:
    verdict = comparison.verdict.replace("_", " ")
    scores = (
        f"jaccard {comparison.jaccard:.2f}, "
        f"a_in_b {comparison.a_in_b:.2f}, b_in_a {comparison.b_in_a:.2f}"
    )
    sides = (("a", comparison.a, comparison.coverage_a), ("b", comparison.b, comparison.coverage_b))
    return [
        f"{_bold(verdict, color)}: {scores}",
        *(
            f"{side}: {printable(name)} ({_count(len(doc), 'block')}, coverage {coverage:.2f})"
            for (side, doc, coverage), name in zip(sides, names, strict=True)
        ),
    ]


def _aligned(comparison: Comparison, width: int, color: bool) -> list[str]:
    lines = _heading(f"Aligned blocks: {_count(len(comparison.pairs), 'pair')}", color)
    of_a, of_b = counterparts(comparison)
    column = (width - len(GUTTER)) // 2
    for pairs in _connected(comparison.pairs):
        lines.append("")
        lines += [_pair_line(pair) for pair in pairs]
        left = _column(
            comparison.a, comparison.b, of_a, sorted({p.a for p in pairs}), column, color
        )
        right = _column(
            comparison.b, comparison.a, of_b, sorted({p.b for p in pairs}), column, color
        )
        lines += _side_by_side(left, right, column)
    return lines


def _connected(pairs: Sequence[BlockPair]) -> list[list[BlockPair]]:
    """Pairs grouped so that a paragraph split or merged by an outlet shows as one alignment."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for pair in pairs:
        parent[root(("b", pair.b))] = root(("a", pair.a))
    groups: dict[tuple[str, int], list[BlockPair]] = {}
    for pair in pairs:  # ordered by a, so groups come in the order of their first block of a
        groups.setdefault(root(("a", pair.a)), []).append(pair)
    return list(groups.values())


def _pair_line(pair: BlockPair) -> str:
    return f"a[{pair.a}] ~ b[{pair.b}]  {relation_label(pair)}, similarity {pair.similarity:.2f}"


def _column(
    doc: Document,
    other: Document,
    paired_with: dict[int, list[int]],
    indexes: list[int],
    width: int,
    color: bool,
) -> list[Line]:
    lines: list[Line] = []
    for i in indexes:
        text = doc.blocks[i].text
        if color:
            others = [other.blocks[j].text for j in paired_with[i]]
            words = matching_words(text, others, doc.recipe.shingle_size)
            pieces = [printable(text[w.start : w.end]) for w in words]
            wrapped = _wrap(pieces, width, f"[{i}] ", [w.matched for w in words])
        else:
            wrapped = _wrap(printable(text).split(), width, f"[{i}] ")
        lines += ([(0, "")] if lines else []) + wrapped
    return lines


def _side_by_side(left: list[Line], right: list[Line], column: int) -> list[str]:
    rows = zip_longest(left, right, fillvalue=(0, ""))
    return [
        (f"{text_l}{' ' * (column - len_l)}{GUTTER}{text_r}").rstrip()
        for (len_l, text_l), (_, text_r) in rows
    ]


def _listed(block: Block, width: int) -> list[str]:
    kind = "" if block.kind == "paragraph" else f"{block.kind}: "
    prefix = f"{INDENT}[{block.index}] "
    return [line for _, line in _wrap(printable(kind + block.text).split(), width, prefix)]


def _repeat_group(doc: Document, group: list[int], width: int) -> list[str]:
    first = doc.blocks[group[0]]
    prefix = f"{INDENT}blocks {', '.join(map(str, group))}: "
    return [line for _, line in _wrap(printable(first.text).split(), width, prefix)]


def _wrap(words: list[str], width: int, prefix: str, marks: list[bool] | None = None) -> list[Line]:
    """Words filled into lines of ``width``: the first line after ``prefix``, the rest indented.

    ``marks`` says which words to highlight; the plain path stays a tight loop, since a large
    file can have millions of words to print.
    """
    room = max(width - len(prefix), 10)
    lines: list[tuple[int, list[str], list[bool]]] = []
    line: list[str] = []
    flags: list[bool] = []
    length = -1
    for k, word in enumerate(words):
        for piece in (word,) if len(word) <= room else _pieces(word, room):
            if line and length + 1 + len(piece) > room:
                lines.append((length, line, flags))
                line, flags, length = [], [], -1
            line.append(piece)
            length += 1 + len(piece)
            if marks is not None:
                flags.append(marks[k])
    lines.append((max(length, 0), line, flags))
    indent = " " * len(prefix)
    return [
        (len(prefix) + n, (indent if i else prefix) + _rendered(parts, flags))
        for i, (n, parts, flags) in enumerate(lines)
    ]


def _rendered(parts: list[str], flags: list[bool]) -> str:
    """A line's words, each run of matching words in one colour span."""
    if not any(flags):
        return " ".join(parts)
    runs = [
        (" ".join(piece for piece, _ in run), matched)
        for matched, run in groupby(zip(parts, flags, strict=True), key=lambda part: part[1])
    ]
    return " ".join(click.style(text, fg="green", bold=True) if m else text for text, m in runs)


def _pieces(word: str, room: int) -> list[str]:
    """A word longer than a line, cut so that no line overflows (URLs, runs of symbols)."""
    return [word[i : i + room] for i in range(0, len(word), room)]


def _heading(title: str, color: bool) -> list[str]:
    return ["", _bold(title, color)]


def _bold(text: str, color: bool) -> str:
    return click.style(text, bold=True) if color else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
