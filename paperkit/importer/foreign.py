"""A Cabinet report typed in Word, not built by paperkit, read into a paper by a style map.

The map (a YAML file, templates/walsall/cabinet/import-map.yaml for Walsall) says what the
document's paragraph styles mean and which heading texts name which sections; everything else
comes from the house style: its sections, heading facts, meeting line and date format. Word's
own list numbering (numbering properties, never typed numbers) becomes structure; a Word
cross-reference (a REF field to a bookmark) becomes a `{ref}`; tables, pictures and comments
come across. What cannot be placed is kept, with a warning, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..diagnostics import Diagnostics
from ..docx_source import SourceRecord
from ..frontmatter import date_from, date_pattern
from ..model import Block, Paragraph, Table
from ..style import HouseStyle
from ..yamlio import load_yaml
from .body import NOWHERE, BodyReader, Part, _Builder, _finish, _OpenItem
from .package import NotImportable, W, WordPackage

ROLES = {"title", "meeting-line", "heading", "subheading", "body"}
CLOSING = {"background_papers", "author"}


@dataclass
class StyleMap:
    styles: dict[str, str]  # Word style name (lower case) → role
    list_levels: dict[int, int]  # Word list level → paperkit level
    sections: dict[str, str]  # heading text (normalised) → section id
    closing: dict[str, str]  # heading text (normalised) → closing part


@dataclass
class ForeignPaper:
    parts: list[Part]
    meta: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def normalised(text: str) -> str:
    """A heading's words for matching: no number before it, no case, no punctuation."""
    text = re.sub(r"^\s*[\dA-Za-z]{0,3}[.)]?\s+(?=\w)", "", text) if re.match(r"^\s*\d", text) else text
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def read_map(path: Path, style: HouseStyle) -> StyleMap:
    diags = Diagnostics()
    data = load_yaml(path, diags)
    if not isinstance(data, dict) or diags.has_errors:
        raise NotImportable(f"{path}: not a style map (YAML with styles:, list_levels:, sections:, closing:)")
    styles = {str(k).lower(): str(v) for k, v in (data.get("styles") or {}).items()}
    unknown = sorted(set(styles.values()) - ROLES)
    if unknown:
        raise NotImportable(f"{path}: styles: '{unknown[0]}' is not one of {', '.join(sorted(ROLES))}")
    ids = {spec.id for spec in style.sections}
    sections = {normalised(spec.title): spec.id for spec in style.sections}
    for text, section in (data.get("sections") or {}).items():
        if str(section) not in ids:
            raise NotImportable(f"{path}: sections: '{section}' is not a section of {style.name}")
        sections[normalised(str(text))] = str(section)
    closing = {normalised(str(k)): str(v) for k, v in (data.get("closing") or {}).items() if str(v) in CLOSING}
    levels = {int(k): int(v) for k, v in (data.get("list_levels") or {1: 1, 2: 2, 3: 3}).items()}
    return StyleMap(styles, levels, sections, closing)


class ForeignReader:
    def __init__(self, package: WordPackage, style: HouseStyle, style_map: StyleMap, changes: str) -> None:
        self.package = package
        self.style = style
        self.map = style_map
        self.body = BodyReader(package, style, SourceRecord(), changes)
        self.body.word_refs = self.cross_reference_targets()
        self.warnings: list[str] = []

    def cross_reference_targets(self) -> dict[str, str]:
        """Bookmark → label for every bookmark a REF field points at: a label from the words of
        the paragraph it marks ("proposed-hours"), unique in the paper."""
        wanted = set()
        for instruction in self.package.document.iter(W + "instrText"):
            words = (instruction.text or "").split()
            if len(words) > 1 and words[0] == "REF":
                wanted.add(words[1])
        labels: dict[str, str] = {}
        for paragraph in self.package.document.iter(W + "p"):
            for mark in paragraph.iter(W + "bookmarkStart"):
                name = str(mark.get(W + "name"))
                if name in wanted and name not in labels:
                    text = "".join(t.text or "" for t in paragraph.iter(W + "t"))
                    labels[name] = _label(text, set(labels.values()))
        return labels

    def read(self) -> ForeignPaper:
        paper = ForeignPaper([], {"fields": {}, "background_papers": [], "author": []})
        builder: _Builder | None = None
        part: Part | None = None
        closing = ""
        last_numbered = False
        body = self.package.document.find(W + "body")
        for node in body if body is not None else ():
            if node.tag == W + "tbl":
                if builder is not None:
                    table = self.table(node)
                    if last_numbered and builder.items:
                        builder.in_item(len(builder.items)).append(table)
                    else:
                        builder.top().append(table)
                continue
            if node.tag != W + "p":
                continue
            role = self.role(node)
            text = "".join(t.text or "" for t in node.iter(W + "t")).strip()
            level = self.list_level(node)
            if role == "heading":
                key = normalised(text)
                if key in self.map.sections:
                    part = Part(section_id=self.map.sections[key])
                    paper.parts.append(part)
                    builder, closing = _Builder(part), ""
                    continue
                if key in self.map.closing:
                    builder, closing = None, self.map.closing[key]
                    continue
                self.warnings.append(f"heading '{text}' names no section of {self.style.name}: kept as a "
                                     "sub-heading" + (f" in '{part.section_id}'" if part else " of the first section"))
                role = "subheading"
            if closing:
                if text:
                    paper.meta["author" if closing == "author" else "background_papers"].append(text)
                continue
            if builder is None:
                self.heading_block(node, role, text, paper)
                continue
            last_numbered = self.add(builder, node, role, level)
        for each in paper.parts:
            each.final = _finish(each.blocks)
        paper.warnings = self.warnings
        return paper

    def role(self, node: etree._Element) -> str:
        style = node.find(f"{W}pPr/{W}pStyle")
        name = self.package.styles.get(str(style.get(W + "val")), "") if style is not None else "Normal"
        return self.map.styles.get(name.lower(), "body")

    def list_level(self, node: etree._Element) -> int | None:
        """The paperkit level of a paragraph in a Word list, from its numbering properties."""
        ilvl = node.find(f"{W}pPr/{W}numPr/{W}ilvl")
        num = node.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is None or num.get(W + "val") == "0":
            return None
        return self.map.list_levels.get(int(ilvl.get(W + "val", "0")) if ilvl is not None else 0)

    def add(self, builder: _Builder, node: etree._Element, role: str, level: int | None) -> bool:
        """One paragraph of a section; whether it is a numbered (list) paragraph."""
        inlines = self.body.inlines(node)
        if role == "subheading":
            from ..model import Heading

            builder.top().append(Heading(3, inlines, NOWHERE))
            return False
        if level is not None:
            spec = next(s for s in self.style.sections if s.id == builder.part.section_id)
            label = next((self.body.word_refs[b] for b in self.body.bookmarks(node) if b in self.body.word_refs),
                         None)
            builder.open_item(_OpenItem([Paragraph(inlines, NOWHERE)], label=label, numbered=spec.numbered), level)
            return True
        if not inlines:
            return False
        indent = node.find(f"{W}pPr/{W}ind")
        indented = indent is not None and int(indent.get(W + "left", indent.get(W + "start", "0")) or 0) > 0
        if indented and builder.items:  # an indented paragraph under a numbered one belongs to it
            builder.in_item(len(builder.items)).append(Paragraph(inlines, NOWHERE))
        else:
            builder.top().append(Paragraph(inlines, NOWHERE))
        return False

    def table(self, node: etree._Element) -> Table:
        table = self.body.table(node, None)
        return Table(table.header, table.rows, table.align, NOWHERE, caption="", label=None)

    def heading_block(self, node: etree._Element, role: str, text: str, paper: ForeignPaper) -> None:
        """Before the first section: the title, the meeting line and the heading facts."""
        if role == "title":
            paper.meta["title"] = text
            return
        if (role == "meeting-line" or not paper.meta.get("meeting")) and self.meeting_line(text, paper):
            return
        label, _colon, value = text.partition(":")
        spec = next((f for f in self.style.fields if f.label.lower() == label.strip().lower()), None)
        if spec is not None:
            paper.meta["fields"][spec.field] = (spec, value.strip())
        elif text:
            self.warnings.append(f"'{text[:60]}' before the first section is not a heading fact of "
                                 f"{self.style.name}: kept in the summary")
            paper.meta.setdefault("before", []).append(Paragraph(self.body.inlines(node), NOWHERE))

    def meeting_line(self, text: str, paper: ForeignPaper) -> bool:
        """The meeting and date, read by the house style's meeting_line and date_format."""
        line = re.escape(self.style.meeting_line).replace(r"\{meeting\}", "(?P<meeting>.+?)").replace(
            r"\{date\}", date_pattern(self.style))
        match = re.fullmatch(line, text)
        date = date_from(match, self.style) if match else None
        if match is None or date is None:
            return False
        paper.meta["meeting"] = match.group("meeting")
        paper.meta["date"] = date
        return True


def _label(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    words = [w for w in words if w not in {"the", "a", "an", "of", "to", "and", "that", "are", "is"}][:3]
    base = "-".join(words) or "paragraph"
    base = base if base[0].isalpha() else "p-" + base
    label, count = base, 1
    while label in taken:
        count += 1
        label = f"{base}-{count}"
    return label


def paper_yaml(meta: dict[str, Any], template: str, style: HouseStyle, source: str) -> str:
    """paper.yaml for the imported report: every value as a JSON string (valid YAML), kinds as
    the house style declares them."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [f"# Imported by paperkit from {source}; check each value against the report.",
             f"template: {template}", f"meeting: {q(meta.get('meeting', ''))}",
             f"date: {meta['date'].isoformat() if meta.get('date') else q('')}", f"title: {q(meta.get('title', ''))}"]
    for name, (spec, value) in meta["fields"].items():
        if spec.kind == "yes-no":
            lines.append(f"{name}: {'yes' if value.lower() in ('yes', 'y', 'true') else 'no'}")
        elif spec.kind == "list" and value in (style.words.get("empty"), ""):
            lines.append(f"{name}: []")
        else:
            lines.append(f"{name}: {q(value)}")
    author = [re.sub(r"^(☎|✉|Tel(ephone)?:?|E-?mail:?)\s*", "", line) for line in meta["author"]]
    if author:
        lines.append("author:")
        for key, value in zip(("name", "job_title", "telephone", "email"), author, strict=False):
            lines.append(f"  {key}: {q(value)}")
    if meta["background_papers"]:
        lines.append("background_papers:")
        lines.extend(f"  - {q(p)}" for p in meta["background_papers"])
    return "\n".join(lines) + "\n"


def prepend_unplaced(parts: list[Part], blocks: list[Block], first: str) -> None:
    """Paragraphs found before any section, kept at the start of the first section."""
    if not blocks:
        return
    part = next((p for p in parts if p.section_id == first), None)
    if part is None:
        parts.insert(0, Part(section_id=first, final=tuple(blocks)))
    else:
        part.final = (*blocks, *part.final)
