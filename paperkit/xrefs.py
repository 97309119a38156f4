"""Pass 2: collect every labelled target, then write each cross-reference in words.

Runs after numbering, like Sphinx resolving pending_xref nodes once the environment
knows every number. Unknown and duplicate labels are diagnostics with their locations.

A reference may name several labels ({ref}`b, c`); it is written as a council writes it,
with the house style's words: "3.4, 3.6 and 3.9", three or more in a row "3.4 to 3.6", and
a shared leading word made plural, "Appendices B and C".
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, replace

from .diagnostics import Diagnostics, Loc
from .model import Block, Group, Heading, Inline, Item, NumberParts, Paper, Paragraph, Ref, RefPiece, RefTarget, Table
from .style import ReferenceWords
from .walk import iter_blocks, map_inlines


@dataclass(frozen=True)
class Target:
    label: str
    anchor: str
    parts: NumberParts
    loc: Loc

    @property
    def prefix(self) -> str:
        """The words before the number ("Appendix "), shared by a run of targets."""
        return _literal_run(self.parts)

    @property
    def suffix(self) -> str:
        """The words after it (" to Council")."""
        return _literal_run(tuple(reversed(self.parts)))

    @property
    def core(self) -> NumberParts:
        """The number without those words: "B", "2 (ii)"."""
        start = len(_literal_pieces(self.parts))
        end = len(self.parts) - len(_literal_pieces(tuple(reversed(self.parts))))
        return self.parts[start:end]

    @property
    def sequence(self) -> tuple[str, int]:
        """(its container, its count among siblings), from the anchor's last piece (numbering.py)."""
        container, _dash, count = self.anchor.rpartition("-")
        return container, int(count) if count.isdigit() else -1


def _literal_pieces(parts: NumberParts) -> NumberParts:
    pieces = []
    for text, anchor in parts:
        if anchor is not None:
            break
        pieces.append((text, anchor))
    return tuple(pieces)


def _literal_run(parts: NumberParts) -> str:
    return "".join(text for text, _anchor in _literal_pieces(parts))


def collect_targets(paper: Paper, diags: Diagnostics) -> dict[str, Target | Loc]:
    """Label → target for every section (labelled by its id) and every labelled item; a label
    on text with no number maps to its place, so a reference to it can say so."""
    targets: dict[str, Target | Loc] = {}

    def add(label: str, anchor: str | None, loc: Loc, parts: NumberParts = ()) -> None:
        if anchor is None or not parts:
            message = f"'{label}' labels text that has no number, so nothing can refer to it"
            diags.error(loc, "label-unnumbered", message)
            targets.setdefault(label, loc)
            return
        if label in targets:
            known = targets[label]
            first = known if isinstance(known, Loc) else known.loc
            diags.error(loc, "label-duplicate", f"label '{label}' is already used at {first}")
            return
        targets[label] = Target(label, anchor, parts, loc)

    def add_blocks(blocks: tuple[Block, ...]) -> None:
        for node in iter_blocks(blocks):
            if isinstance(node, (Item, Table)) and node.label:
                add(node.label, node.anchor, node.loc, node.reference_parts)
            elif isinstance(node, (Paragraph, Heading, Group)) and node.label:
                add(node.label, None, node.loc)

    for section in paper.sections:
        add(section.id, section.anchor, section.loc, section.reference_parts)
        add_blocks(section.blocks)
    for appendix in paper.appendices:
        if appendix.label:
            add(appendix.label, appendix.anchor, appendix.loc, appendix.reference_parts)
        add_blocks(appendix.blocks)
    return targets


def printed_numbers(paper: Paper) -> Counter[str]:
    """How often each number is printed as a reference would print it, labelled or not: a
    group restarting at 1 with no name to tell it apart makes "1" mean two things."""
    numbers: Counter[str] = Counter(s.number for s in paper.sections if s.number)
    numbers.update(a.number for a in paper.appendices if a.number)
    for blocks in (*(s.blocks for s in paper.sections), *(a.blocks for a in paper.appendices)):
        for node in iter_blocks(blocks):
            if isinstance(node, Item) and node.full_number:
                numbers[node.full_number] += 1
            elif isinstance(node, Table) and node.number:
                numbers[node.number] += 1
    return numbers


def resolve_refs(paper: Paper, words: ReferenceWords, diags: Diagnostics) -> Paper:
    targets = collect_targets(paper, diags)
    numbers = printed_numbers(paper)

    def resolve(inline: Inline) -> Inline:
        if not isinstance(inline, Ref):
            return inline
        found = [_find(label, targets, inline.loc, diags) for label in inline.labels]
        resolved = [target for target in found if target is not None]
        if len(resolved) < len(found):
            return inline
        for target in resolved:
            text = "".join(part for part, _anchor in target.parts)
            if numbers[text] > 1:
                diags.warning(inline.loc, "xref-ambiguous", f"'{target.label}' prints as '{text}', which numbers "
                              "more than one paragraph: give its recommendation group a name "
                              "({.group name=Council}) or continue the numbering")
        return replace(inline, pieces=write_reference(resolved, words))

    sections = tuple(replace(s, blocks=map_inlines(s.blocks, resolve)) for s in paper.sections)
    appendices = tuple(replace(a, blocks=map_inlines(a.blocks, resolve)) for a in paper.appendices)
    return replace(paper, sections=sections, appendices=appendices)


def _find(label: str, targets: dict[str, Target | Loc], loc: Loc, diags: Diagnostics) -> Target | None:
    target = targets.get(label)
    if isinstance(target, Loc):
        diags.error(loc, "xref-unnumbered", f"'{label}' (at {target}) labels text that has no number, such as "
                    "a group's lead-in, so it cannot be referred to; refer to a numbered paragraph")
        return None
    if target is None:
        close = difflib.get_close_matches(label, [k for k, v in targets.items() if isinstance(v, Target)], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        diags.error(loc, "xref-missing", f"no target labelled '{label}'{hint}")
    return target


def write_reference(targets: list[Target], words: ReferenceWords) -> tuple[RefPiece, ...]:
    """The pieces a reference prints. One target is its whole number, words and all, as one
    link. Several are grouped into runs sharing their words ("Appendix ", " to Council"); a
    run prints its words once (made plural) around its numbers, three or more in a row as a
    range; the runs are joined as a list."""
    if len(targets) == 1:
        return (_target(targets[0].anchor, targets[0].parts),)
    runs: list[list[Target]] = []
    for target in targets:
        if runs and (runs[-1][0].prefix, runs[-1][0].suffix) == (target.prefix, target.suffix):
            runs[-1].append(target)
        else:
            runs.append([target])
    return _joined([_run(run, words) for run in runs], words)


def _run(run: list[Target], words: ReferenceWords) -> list[RefPiece]:
    if len(run) == 1:
        return [_target(run[0].anchor, run[0].parts)]
    items: list[list[RefPiece]] = []
    for span in _spans(run):
        if len(span) >= 3:
            items.append(_range(span, words))
        else:
            items.extend([_target(t.anchor, t.core)] for t in span)
    prefix, suffix = run[0].prefix, run[0].suffix
    pieces: list[RefPiece] = [_plural(prefix, words)] if prefix else []
    pieces.extend(_joined(items, words))
    if suffix:
        pieces.append(suffix)
    return pieces


def _spans(run: list[Target]) -> list[list[Target]]:
    """The run cut into spans of consecutive siblings (3.4, 3.5, 3.6), in the order written."""
    spans: list[list[Target]] = []
    for target in run:
        container, count = target.sequence
        if spans and spans[-1][-1].sequence == (container, count - 1) and count > 0:
            spans[-1].append(target)
        else:
            spans.append([target])
    return spans


def _range(span: list[Target], words: ReferenceWords) -> list[RefPiece]:
    first, last = span[0], span[-1]
    return [_target(first.anchor, first.core), words.range, _target(last.anchor, last.core)]


def _joined(items: list[list[RefPiece]], words: ReferenceWords) -> tuple[RefPiece, ...]:
    """"a", "a and b", "a, b and c"."""
    pieces: list[RefPiece] = []
    for index, item in enumerate(items):
        if index:
            pieces.append(words.last if index == len(items) - 1 else words.separator)
        pieces.extend(item)
    return tuple(pieces)


def _plural(prefix: str, words: ReferenceWords) -> str:
    word = prefix.strip()
    return prefix.replace(word, words.plural[word]) if word in words.plural else prefix


def _target(anchor: str, parts: NumberParts) -> RefTarget:
    # A link goes to the deepest thing named: the target's own anchor, whatever its pieces.
    return RefTarget(anchor=anchor, text="".join(text for text, _a in parts), parts=parts)
