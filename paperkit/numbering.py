"""Pass 1: give every section, numbered paragraph and sub-item its number and anchor.

Numbers are formatted from the house style's patterns ("{section}.{n}", "{a})", "({i})"),
so the same strings reach every renderer. Within one container (a section, or an item),
items at the same level are counted straight through, even when an unnumbered paragraph
such as "Or" splits them into two lists.
"""

from __future__ import annotations

import string
from dataclasses import replace
from typing import assert_never

from .diagnostics import Diagnostics, Loc
from .model import (
    Appendix,
    Block,
    Group,
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


def pattern_parts(pattern: str, n: int, anchor: str, **context: str) -> NumberParts:
    """A numbering pattern's result in pieces: its words as plain text, its counters anchored,
    so "Appendix {A}" is ("Appendix ", None), ("B", "appendix-2"): a reference to several can
    print "Appendices B and C", and Word's bookmark holds just "B"."""
    values = {**counters(n), **context}
    return merge_parts(fill_parts(pattern, {name: ((value, anchor),) for name, value in values.items()}))


def fill_parts(pattern: str, fields: dict[str, NumberParts]) -> NumberParts:
    """A pattern's pieces: its words as plain text, each {field} as that field's pieces."""
    parts: list[NumberPart] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        if literal:
            parts.append((literal, None))
        if name is not None:
            parts.extend(fields.get(name, ()))
    return tuple(parts)


def merge_parts(parts: list[NumberPart] | NumberParts) -> NumberParts:
    """Neighbouring pieces with the same anchor (or none) as one piece."""
    merged: list[NumberPart] = []
    for text, anchor in parts:
        if merged and merged[-1][1] == anchor:
            merged[-1] = (merged[-1][0] + text, anchor)
        elif text:
            merged.append((text, anchor))
    return tuple(merged)


def number_paper(paper: Paper, style: HouseStyle, diags: Diagnostics) -> Paper:
    """Numbers, anchors and reference parts for everything numbered.

    Anchors (HTML ids, PDF destinations, Word bookmarks) come from each thing's place, never
    from its printed number: "para-3-9-1-1" is section 3's 9th paragraph, its 1st sub-item, its
    1st; "para-2-g2-1" the 1st recommendation of section 2's 2nd group. So they stay unique
    whatever the house style or the paper prints, and the last piece is always the count among
    siblings (which the resolving pass uses to write ranges, "3.4 to 3.6").
    """
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
    from the paper's start."""
    count = index + start - 1
    anchor = f"appendix-{index}"
    numberer = _ItemNumberer(format_number(pattern, count), f"para-a{index}", style, tables, diags)
    return replace(appendix, number=format_number(pattern, count), anchor=anchor,
                   reference_parts=pattern_parts(pattern, count, anchor),
                   blocks=numberer.blocks(appendix.blocks, style.levels, level=1, parent=(), frame=None))


class _TableNumberer:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.count = 0

    def __call__(self, table: Table) -> Table:
        if not table.caption and not table.label:
            return table  # a layout table: nothing names it, so it has no number
        self.count += 1
        anchor = f"table-{self.count}"
        return replace(table, number=format_number(self.pattern, self.count), anchor=anchor,
                       reference_parts=pattern_parts(self.pattern, self.count, anchor))


def _number_section(section: Section, index: int, style: HouseStyle, tables: _TableNumberer,
                    diags: Diagnostics) -> Section:
    number = format_number(style.section_number, index)
    anchor = f"section-{index}"
    numberer = _ItemNumberer(number, f"para-{index}", style, tables, diags)
    return replace(
        section,
        number=number,
        heading_number=format_number(style.section_heading_number, index),
        anchor=anchor,
        reference_parts=pattern_parts(style.section_number, index, anchor),
        blocks=numberer.blocks(section.blocks, style.levels_for(section.id), level=1, parent=(), frame=None),
    )


class _ItemNumberer:
    """Numbers the items of one section or appendix; `anchor_prefix` is its place ("para-3")."""

    def __init__(self, section_number: str, anchor_prefix: str, style: HouseStyle, tables: _TableNumberer,
                 diags: Diagnostics) -> None:
        self.section_number = section_number
        self.anchor_prefix = anchor_prefix
        self.style = style
        self.tables = tables
        self.diags = diags
        self.groups = 0  # groups met so far in this section
        self.group_count = 0  # the last number given in a group, for a group that continues

    def blocks(self, blocks: tuple[Block, ...], levels: tuple[LevelSpec, ...], level: int, parent: NumberParts,
               frame: Frame, anchor: str = "", count: int = 0) -> tuple[Block, ...]:
        """Number the items of one container. `count` is shared by every list in it, so "Or"
        does not restart it; `frame` wraps each item's reference ("{number} to Council")."""
        anchor = anchor or self.anchor_prefix
        out: list[Block] = []
        for block in blocks:
            match block:
                case ItemList() if block.numbered:
                    items = []
                    for item in block.items:
                        count += 1
                        items.append(self.item(item, count, levels, level, parent, frame, anchor))
                    out.append(replace(block, items=tuple(items)))
                case Quote():
                    out.append(replace(block, blocks=self.blocks(block.blocks, levels, level, parent, frame, anchor)))
                case Group():
                    out.append(self.group(block))
                case Table():
                    out.append(self.tables(block))
                case Paragraph() | Heading() | ItemList():  # nothing in them is numbered
                    out.append(block)
                case _:
                    assert_never(block)
        return tuple(out)

    def group(self, group: Group) -> Group:
        spec = self.style.groups
        if spec is None:
            self.diags.error(group.loc, "group-unsupported", "this house style has no recommendation groups "
                             "(numbering.groups in its style.yaml)")
            return group
        self.groups += 1
        restart = spec.restart if group.restart is None else group.restart
        start = 0 if restart else self.group_count
        frame = (spec.named_reference, group.name) if group.name else None
        blocks = self.blocks(group.blocks, spec.levels, level=1, parent=(), frame=frame,
                             anchor=f"{self.anchor_prefix}-g{self.groups}", count=start)
        self.group_count = start + sum(len(b.items) for b in blocks if isinstance(b, ItemList) and b.numbered)
        return replace(group, blocks=blocks)

    def item(self, item: Item, count: int, levels: tuple[LevelSpec, ...], level: int, parent: NumberParts,
             frame: Frame, container: str) -> Item:
        if level > len(levels):
            self.diags.error(
                item.loc, "numbering-too-deep",
                f"the house style numbers {len(levels)} levels of paragraphs; this item is at level {level}",
            )
            return item
        spec = levels[level - 1]
        own = format_number(spec.format, count, section=self.section_number)
        anchor = f"{container}-{count}"
        parts = reference_parts(spec.reference, (own, anchor), parent)
        return replace(
            item,
            number=own,
            full_number=parts_text(framed(frame, parts)),
            anchor=anchor,
            reference_parts=framed(frame, parts),
            blocks=self.blocks(item.blocks, levels, level + 1, parts, frame, anchor),
        )


# A named group's reference pattern and name ("{number} to {name}", "Council"), or None.
Frame = tuple[str, str] | None


def framed(frame: Frame, parts: NumberParts) -> NumberParts:
    """A reference's parts inside a group's frame: 2 (ii) → 2 (ii), " to Council"."""
    if frame is None:
        return parts
    pattern, name = frame
    return merge_parts(fill_parts(pattern, {"number": parts, "name": ((name, None),)}))


def reference_parts(pattern: str, own: NumberPart, parent: NumberParts) -> NumberParts:
    """A reference's number as pieces: each level's own number with its anchor, and the
    house style's joining text, so "3.9 a) (i)" is (3.9, para-3-9) " " (a), para-3-9-a) ..."""
    return fill_parts(pattern, {"own": (own,), "parent": parent})


def parts_text(parts: NumberParts) -> str:
    return "".join(text for text, _anchor in parts)
