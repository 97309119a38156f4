"""Pass 2: collect every labelled target, then write each cross-reference's number.

Runs after numbering, like Sphinx resolving pending_xref nodes once the environment
knows every number. Unknown and duplicate labels are diagnostics with their locations.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from .diagnostics import Diagnostics, Loc
from .model import Block, Heading, Inline, Item, NumberParts, Paper, Paragraph, Ref, Table
from .walk import iter_blocks, map_inlines


@dataclass(frozen=True)
class Target:
    label: str
    number: str
    anchor: str
    parts: NumberParts
    loc: Loc


def collect_targets(paper: Paper, diags: Diagnostics) -> dict[str, Target]:
    """Label → target for every section (labelled by its id) and every labelled item."""
    targets: dict[str, Target] = {}

    def add(label: str, number: str | None, anchor: str | None, loc: Loc, parts: NumberParts = ()) -> None:
        if number is None or anchor is None:
            message = f"'{label}' labels text that has no number, so nothing can refer to it"
            diags.error(loc, "label-unnumbered", message)
            return
        if label in targets:
            first = targets[label].loc
            diags.error(loc, "label-duplicate", f"label '{label}' is already used at {first}")
            return
        targets[label] = Target(label, number, anchor, parts, loc)

    def add_blocks(blocks: tuple[Block, ...]) -> None:
        for node in iter_blocks(blocks):
            if isinstance(node, Item) and node.label:
                add(node.label, node.full_number, node.anchor, node.loc, node.reference_parts)
            elif isinstance(node, Table) and node.label:
                add(node.label, node.number, node.anchor, node.loc, node.reference_parts)
            elif isinstance(node, (Paragraph, Heading)) and node.label:
                add(node.label, None, None, node.loc)

    for section in paper.sections:
        add(section.id, section.number, section.anchor, section.loc, section.reference_parts)
        add_blocks(section.blocks)
    for appendix in paper.appendices:
        if appendix.label:
            add(appendix.label, appendix.number, appendix.anchor, appendix.loc, appendix.reference_parts)
        add_blocks(appendix.blocks)
    return targets


def resolve_refs(paper: Paper, diags: Diagnostics) -> Paper:
    targets = collect_targets(paper, diags)

    def resolve(inline: Inline) -> Inline:
        if not isinstance(inline, Ref):
            return inline
        target = targets.get(inline.label)
        if target is None:
            close = difflib.get_close_matches(inline.label, targets, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            diags.error(inline.loc, "xref-missing", f"no target labelled '{inline.label}'{hint}")
            return inline
        return replace(inline, number=target.number, anchor=target.anchor, parts=target.parts)

    sections = tuple(replace(s, blocks=map_inlines(s.blocks, resolve)) for s in paper.sections)
    appendices = tuple(replace(a, blocks=map_inlines(a.blocks, resolve)) for a in paper.appendices)
    return replace(paper, sections=sections, appendices=appendices)

