"""Generic walks over the model, so each pass states only what it does to the nodes it cares about."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import assert_never

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

InlineFn = Callable[[Inline], Inline]


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block | Item]:
    """Every block and item below `blocks`, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, (Quote, Group)):
            yield from iter_blocks(block.blocks)
        elif isinstance(block, ItemList):
            for item in block.items:
                yield item
                yield from iter_blocks(item.blocks)


def iter_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    for inline in inlines:
        yield inline
        if isinstance(inline, (Styled, Link)):
            yield from iter_inlines(inline.children)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words of inline nodes as a reader sees them: a reference is its number, a picture its
    description. Every kind of inline node is handled, or mypy fails (assert_never)."""
    out = []
    for inline in inlines:
        match inline:
            case Text():
                out.append(inline.text)
            case Styled() | Link():
                out.append(plain_text(inline.children))
            case Ref():
                out.append(inline.text)
            case LineBreak():
                out.append("\n")
            case Image():
                out.append(inline.alt)
            case _:
                assert_never(inline)
    return "".join(out)


def inlines_of(node: Block | Item) -> tuple[Inline, ...]:
    """The inline nodes a block holds itself (a table's from every cell), not those of blocks inside it."""
    if isinstance(node, (Paragraph, Heading)):
        return node.inlines
    if isinstance(node, Group):
        return node.lead_in
    if isinstance(node, Table):
        return tuple(inline for row in (node.header, *node.rows) for cell in row for inline in cell)
    return ()


def iter_paper_inlines(paper: Paper) -> Iterator[Inline]:
    """Every inline node of a paper's sections and appendices, in document order."""
    for blocks in (*(s.blocks for s in paper.sections), *(a.blocks for a in paper.appendices)):
        for node in iter_blocks(blocks):
            yield from iter_inlines(inlines_of(node))


def map_inlines(blocks: tuple[Block, ...], fn: InlineFn) -> tuple[Block, ...]:
    """A copy of `blocks` with fn applied to every inline node, innermost first."""
    return tuple(_map_block(block, fn) for block in blocks)


def _map_block(block: Block, fn: InlineFn) -> Block:
    match block:
        case Paragraph() | Heading():
            return replace(block, inlines=_map_runs(block.inlines, fn))
        case Table():
            header = tuple(_map_runs(cell, fn) for cell in block.header)
            rows = tuple(tuple(_map_runs(cell, fn) for cell in row) for row in block.rows)
            return replace(block, header=header, rows=rows)
        case Quote():
            return replace(block, blocks=map_inlines(block.blocks, fn))
        case Group():
            return replace(block, lead_in=_map_runs(block.lead_in, fn), blocks=map_inlines(block.blocks, fn))
        case ItemList():
            items = tuple(replace(item, blocks=map_inlines(item.blocks, fn)) for item in block.items)
            return replace(block, items=items)
        case _:
            assert_never(block)


def _map_runs(inlines: tuple[Inline, ...], fn: InlineFn) -> tuple[Inline, ...]:
    out = []
    for inline in inlines:
        if isinstance(inline, (Styled, Link)):
            inline = replace(inline, children=_map_runs(inline.children, fn))
        out.append(fn(inline))
    return tuple(out)
