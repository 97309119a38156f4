"""A plain-text outline of a resolved paper, like docutils' pformat(): for golden tests and debugging."""

from __future__ import annotations

from typing import assert_never

from .model import (
    Block,
    Heading,
    Image,
    Inline,
    Item,
    ItemList,
    LineBreak,
    Link,
    Paper,
    Paragraph,
    Quote,
    Ref,
    Styled,
    Table,
    Text,
)


def dump(paper: Paper) -> str:
    lines: list[str] = []
    if paper.heading:
        lines.append(f"heading: {paper.heading.meeting_line} | {paper.heading.title}")
        lines.extend(f"  {f.label}: {f.value}" for f in paper.heading.fields)
    for section in paper.sections:
        lines.append(f"section {section.number} [{section.anchor}] {section.title}")
        _blocks(section.blocks, 1, lines)
    return "\n".join(lines) + "\n"


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """Inline nodes as lightly marked text: *em*, **strong**, `code`, [ref → number]."""
    out = []
    for inline in inlines:
        match inline:
            case Text():
                out.append(inline.text)
            case Styled():
                mark = {"em": "*", "strong": "**", "code": "`"}[inline.style]
                out.append(mark + inline_text(inline.children) + mark)
            case Link():
                out.append(f"[{inline_text(inline.children)}]({inline.href})")
            case Ref():
                out.append(f"[ref {inline.label} → {inline.number}]")
            case LineBreak():
                out.append("\\n")
            case Image():
                out.append(f"![{inline.alt}]({inline.src})")
            case _:
                assert_never(inline)
    return "".join(out)


def _blocks(blocks: tuple[Block, ...], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    for block in blocks:
        match block:
            case Paragraph():
                lines.append(f"{pad}p: {inline_text(block.inlines)}")
            case Heading():
                lines.append(f"{pad}h{block.level}: {inline_text(block.inlines)}")
            case Quote():
                lines.append(f"{pad}quote:")
                _blocks(block.blocks, depth + 1, lines)
            case ItemList():
                for item in block.items:
                    _item(item, depth, lines)
            case Table():
                label = f" #{block.label}" if block.label else ""
                lines.append(f"{pad}table {block.number} [{block.anchor}]{label}: {block.caption}")
                for row in (block.header, *block.rows):
                    lines.append(f"{pad}  | " + " | ".join(inline_text(cell) for cell in row) + " |")
            case _:
                assert_never(block)


def _item(item: Item, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    label = f" #{item.label}" if item.label else ""
    lines.append(f"{pad}{item.number or '•'} [{item.full_number or ''}]{label}")
    _blocks(item.blocks, depth + 1, lines)
