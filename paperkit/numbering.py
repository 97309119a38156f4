"""Pass 1: give every section, numbered paragraph and sub-item its number and anchor.

Numbers are formatted from the house style's patterns ("{section}.{n}", "{a})", "({i})"),
so the same strings reach every renderer. Within one container (a section, or an item),
items at the same level are counted straight through, even when an unnumbered paragraph
such as "Or" splits them into two lists.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace
from typing import assert_never

from .diagnostics import Diagnostics, Loc
from .model import (
    Appendix,
    Block,
    Heading,
    Item,
    ItemList,
    NumberPart,
    NumberParts,
    Paper,
    Paragraph,
    Quote,
    Section,
    Table,
)
from .style import HouseStyle, LevelSpec

ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def to_roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def to_alpha(n: int) -> str:
    """1 → a, 26 → z, 27 → aa (as Word does for lettered lists)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def counters(n: int) -> dict[str, str]:
    """Every way a count can be written, keyed by the placeholders the house style uses."""
    return {"n": str(n), "a": to_alpha(n), "A": to_alpha(n).upper(), "i": to_roman(n), "I": to_roman(n).upper()}


def format_number(pattern: str, n: int, **context: str) -> str:
    return pattern.format(**counters(n), **context)


def anchor_for(prefix: str, number: str) -> str:
    """An id safe in HTML and (with - as _) as a Word bookmark: "3.9 a) (i)" → "para-3-9-a-i"."""
    return prefix + "-" + "-".join(re.findall(r"[A-Za-z0-9]+", number))


def number_paper(paper: Paper, style: HouseStyle, diags: Diagnostics) -> Paper:
    tables = _TableNumberer(style.table_number)  # tables count through the whole paper
    sections = tuple(_number_section(s, i, style, tables, diags) for i, s in enumerate(paper.sections, 1))
    pattern = _appendix_pattern(paper, style, diags)
    start = paper.meta.appendix_start
    appendices = tuple(_number_appendix(a, i, pattern, start, style, tables, diags)
                       for i, a in enumerate(paper.appendices, 1))
    return replace(paper, sections=sections, appendices=appendices)


def _appendix_pattern(paper: Paper, style: HouseStyle, diags: Diagnostics) -> str:
    """The house style's appendix numbering, or the one of its choices the paper picks."""
    chosen = paper.meta.appendix_style
    if chosen is None:
        return style.appendix_number
    if chosen not in style.appendix_choices:
        offered = ", ".join(sorted(style.appendix_choices)) or "none: it numbers them one way"
        diags.error(Loc(paper.meta.loc.path, paper.meta.lines.get("appendix_numbering", 1)), "appendix-numbering",
                    f"appendix_numbering.style '{chosen}' is not one the house style offers ({offered})")
        return style.appendix_number
    return style.appendix_choices[chosen]


def _number_appendix(appendix: Appendix, index: int, pattern: str, start: int, style: HouseStyle,
                     tables: _TableNumberer, diags: Diagnostics) -> Appendix:
    """"Appendix A", "Appendix B" ... in paper.yaml's order, whether or not withheld; counting
    from the paper's start. The anchor counts from the first whatever is printed, so it is
    unique however the paper numbers them."""
    number = format_number(pattern, index + start - 1)
    anchor = f"appendix-{to_alpha(index)}"
    numberer = _ItemNumberer(number, style.levels, tables, diags)
    return replace(appendix, number=number, anchor=anchor, reference_parts=((number, anchor),),
                   blocks=numberer.blocks(appendix.blocks, level=1, parent=()))


class _TableNumberer:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.count = 0

    def __call__(self, table: Table) -> Table:
        if not table.caption and not table.label:
            return table  # a layout table: nothing names it, so it has no number
        self.count += 1
        number = format_number(self.pattern, self.count)
        anchor = f"table-{self.count}"
        return replace(table, number=number, anchor=anchor, reference_parts=((number, anchor),))


def _number_section(section: Section, index: int, style: HouseStyle, tables: _TableNumberer,
                    diags: Diagnostics) -> Section:
    number = format_number(style.section_number, index)
    numberer = _ItemNumberer(number, style.levels_for(section.id), tables, diags)
    return replace(
        section,
        number=number,
        heading_number=format_number(style.section_heading_number, index),
        anchor=anchor_for("section", number),
        reference_parts=((number, anchor_for("section", number)),),
        blocks=numberer.blocks(section.blocks, level=1, parent=()),
    )


class _ItemNumberer:
    def __init__(self, section_number: str, levels: tuple[LevelSpec, ...], tables: _TableNumberer,
                 diags: Diagnostics) -> None:
        self.section_number = section_number
        self.levels = levels
        self.tables = tables
        self.diags = diags

    def blocks(self, blocks: tuple[Block, ...], level: int, parent: NumberParts) -> tuple[Block, ...]:
        count = 0  # shared by every list in this container, so "Or" does not restart it
        out: list[Block] = []
        for block in blocks:
            match block:
                case ItemList() if block.numbered:
                    items = []
                    for item in block.items:
                        count += 1
                        items.append(self.item(item, count, level, parent))
                    out.append(replace(block, items=tuple(items)))
                case Quote():
                    out.append(replace(block, blocks=self.blocks(block.blocks, level, parent)))
                case Table():
                    out.append(self.tables(block))
                case Paragraph() | Heading() | ItemList():  # nothing in them is numbered
                    out.append(block)
                case _:
                    assert_never(block)
        return tuple(out)

    def item(self, item: Item, count: int, level: int, parent: NumberParts) -> Item:
        if level > len(self.levels):
            self.diags.error(
                item.loc, "numbering-too-deep",
                f"the house style numbers {len(self.levels)} levels of paragraphs; this item is at level {level}",
            )
            return item
        spec = self.levels[level - 1]
        own = format_number(spec.format, count, section=self.section_number)
        full = spec.reference.format(own=own, parent=parts_text(parent))
        anchor = anchor_for("para", full)
        parts = reference_parts(spec.reference, (own, anchor), parent)
        return replace(
            item,
            number=own,
            full_number=full,
            anchor=anchor,
            reference_parts=parts,
            blocks=self.blocks(item.blocks, level + 1, parts),
        )


def reference_parts(pattern: str, own: NumberPart, parent: NumberParts) -> NumberParts:
    """A reference's number as pieces: each level's own number with its anchor, and the
    house style's joining text, so "3.9 a) (i)" is (3.9, para-3-9) " " (a), para-3-9-a) ..."""
    parts: list[NumberPart] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(pattern):
        if literal:
            parts.append((literal, None))
        if field == "own":
            parts.append(own)
        elif field == "parent":
            parts.extend(parent)
    return tuple(parts)


def parts_text(parts: NumberParts) -> str:
    return "".join(text for text, _anchor in parts)
