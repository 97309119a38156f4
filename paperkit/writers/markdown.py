"""Model blocks back to paperkit's Markdown, in one canonical layout.

The inverse of readers/markdown.py, used by `paperkit import`: reading what this writes gives
the same blocks, and a file already in the canonical layout is written back unchanged
(tests/test_import.py checks both on every sample paper). The layout is the one the docs
teach: a blank line between blocks and between list items, a numbered paragraph as `- ` with
what belongs to it indented two spaces, a label on a line of its own, a table's columns padded
to line up.
"""

from __future__ import annotations

import re
from typing import assert_never

from ..model import (
    Block,
    Group,
    Heading,
    Image,
    Inline,
    Item,
    ItemList,
    LineBreak,
    Link,
    Paragraph,
    Quote,
    Ref,
    Styled,
    Table,
    Text,
)

# Characters that would be read as markup if written as they are.
ESCAPED = re.compile(r"([\\`*_\[\]])")
# At the start of a paragraph, text that would begin a list, a heading or a quote.
LIST_OR_HEADING = re.compile(r"^([-+*>]|#{1,6})(?=\s|$)")
ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
ATTRIBUTE_LINE = re.compile(r"^\{[^}\n]*\}[ \t]*(\n|$)")
MARKS = {"em": "*", "strong": "**"}


def write_blocks(blocks: tuple[Block, ...]) -> str:
    """A section's or appendix's file: its blocks, a blank line between them, a final newline."""
    chunks = [_block(block) for block in blocks]
    text = "\n\n".join(chunk for chunk in chunks if chunk)
    return text + "\n" if text else ""


def _block(block: Block) -> str:
    match block:
        case Paragraph():
            return _labelled(block.label, _paragraph(block.inlines))
        case Heading():
            return _labelled(block.label, "#" * block.level + " " + write_inlines(block.inlines))
        case Quote():
            return "\n".join(("> " + line).rstrip() for line in write_blocks(block.blocks).rstrip("\n").split("\n"))
        case ItemList():
            return "\n\n".join(_item(item, block.numbered) for item in block.items)
        case Table():
            return _table(block)
        case Group():
            lead_in = _attributes(block) + "\n" + _paragraph(block.lead_in)
            body = write_blocks(block.blocks).rstrip("\n")
            return lead_in + ("\n\n" + body if body else "")
        case _:
            assert_never(block)


def _labelled(label: str | None, text: str) -> str:
    return f"{{#{label}}}\n{text}" if label else text


def _paragraph(inlines: tuple[Inline, ...]) -> str:
    """A paragraph's text, escaped where its start would otherwise be read as other markup."""
    text = write_inlines(inlines)
    text = LIST_OR_HEADING.sub(lambda m: "\\" + m.group(1), text, count=1)
    text = ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)
    return "\\" + text if ATTRIBUTE_LINE.match(text) else text


def _attributes(group: Group) -> str:
    parts = [".group"]
    if group.label:
        parts.append(f"#{group.label}")
    if group.name:
        parts.append(f"name={_attribute_value(group.name)}")
    if group.restart is not None:
        parts.append("numbering=" + ("restart" if group.restart else "continue"))
    return "{" + " ".join(parts) + "}"


def _attribute_value(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_-]+", value) else '"' + value.replace('"', "'") + '"'


def _item(item: Item, numbered: bool) -> str:
    """`- ` and the item's first paragraph (after its label's line), the rest indented by two."""
    blocks = item.blocks
    first = ""
    if blocks and isinstance(blocks[0], Paragraph):
        first, blocks = _paragraph(blocks[0].inlines), blocks[1:]
    head = f"{{#{item.label}}}\n{first}" if item.label else first
    rest = write_blocks(blocks).rstrip("\n")
    text = head + ("\n\n" + rest if rest else "")
    lines = text.split("\n")
    return "\n".join(["- " + lines[0], *(("  " + line) if line else "" for line in lines[1:])]).rstrip()


def _table(table: Table) -> str:
    rows = [[write_inlines(cell).replace("|", "\\|") for cell in row] for row in (table.header, *table.rows)]
    columns = len(table.header)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(3, *(len(row[c]) for row in rows)) for c in range(columns)]
    align = [*table.align, *[""] * columns][:columns]

    def line(cells: list[str]) -> str:
        padded = [cell.rjust(w) if a == "right" else cell.ljust(w) for cell, w, a in zip(cells, widths, align,
                                                                                          strict=True)]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(_rule(w, a) for w, a in zip(widths, align, strict=True)) + "|"
    out = [line(rows[0]), rule, *(line(row) for row in rows[1:])]
    attributes = []
    if table.label:
        attributes.append(f"#{table.label}")
    if table.caption:
        attributes.append(f'caption="{table.caption}"')
    if attributes:
        out.insert(0, "{" + " ".join(attributes) + "}")
    return "\n".join(out)


def _rule(width: int, align: str) -> str:
    """The separator under a column, as wide as the cell and its two spaces: |:----|, |----:|."""
    dashes = "-" * width
    return {"right": "-" + dashes + ":", "center": ":" + dashes + ":", "left": ":" + dashes + "-"}.get(
        align, "-" + dashes + "-")


def write_inlines(inlines: tuple[Inline, ...]) -> str:
    out = []
    for inline in inlines:
        match inline:
            case Text():
                out.append(ESCAPED.sub(r"\\\1", inline.text))
            case Styled() if inline.style == "code":
                out.append("`" + "".join(i.text for i in inline.children if isinstance(i, Text)) + "`")
            case Styled():
                mark = MARKS[inline.style]
                out.append(mark + write_inlines(inline.children) + mark)
            case Link():
                out.append(f"[{write_inlines(inline.children)}]({inline.file or inline.href})")
            case Image():
                out.append(f"![{inline.alt}]({inline.src})")
            case Ref():
                out.append("{ref}`" + ", ".join(inline.labels) + "`")
            case LineBreak():
                out.append("\\\n")
            case _:
                assert_never(inline)
    return "".join(out)
