"""A plain-text outline of a resolved paper, like docutils' pformat(): for golden tests and debugging."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import fields, is_dataclass
from typing import assert_never

from .diagnostics import Loc
from .model import (
    Block,
    Group,
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
                out.append(f"[ref {', '.join(inline.labels)} → {inline.text}]")
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
            case Group():
                name = f" to {block.name}" if block.name else ""
                lines.append(f"{pad}group{name}: {inline_text(block.lead_in)}")
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


def pformat(node: object) -> str:
    """Every field of a model node and all below it, one per line, indented: the whole resolved
    paper in a stable form (docutils' pformat), for golden files and `paperkit dump`.

    Places print as path:line, dates as year-month-day, bytes (a picture) as their length and
    digest; a dataclass prints its class name, then its fields in declaration order.
    """
    lines: list[str] = []
    _pformat(node, 0, "", lines)
    return "\n".join(lines) + "\n"


def _pformat(node: object, depth: int, name: str, lines: list[str]) -> None:
    pad = "  " * depth
    head = f"{pad}- " if name == "-" else f"{pad}{name}: " if name else pad
    if isinstance(node, Loc):
        lines.append(f"{head}@{node}")
    elif is_dataclass(node) and not isinstance(node, type):
        lines.append(f"{head}{type(node).__name__}")
        for item in fields(node):
            _pformat(getattr(node, item.name), depth + 1, item.name, lines)
    elif isinstance(node, (tuple, list)) and node and not _is_scalar_tuple(node):
        lines.append(f"{head}[{len(node)}]")
        for value in node:
            _pformat(value, depth + 1, "-", lines)
    elif isinstance(node, dict) and node:
        lines.append(f"{head}{{{len(node)}}}")
        for key, value in node.items():
            _pformat(value, depth + 1, str(key), lines)
    else:
        lines.append(f"{head}{_scalar(node)}")


def _is_scalar_tuple(node: tuple[object, ...] | list[object]) -> bool:
    """A short tuple of plain values (a number's parts) prints on one line."""
    return all(not isinstance(v, (tuple, list, dict)) and not is_dataclass(v) for v in node) and len(node) <= 4


def _scalar(value: object) -> str:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes, sha256 {hashlib.sha256(value).hexdigest()[:16]}>"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_scalar(v) for v in value) + ")"
    return repr(value)
