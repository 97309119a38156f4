"""A paperkit DOCX's body back into model blocks, part by part (sections and appendices).

The inverse of render/docx_body.py: each paragraph's Word style says what it is (the house
style's word_styles), the bookmarks around numbers say which section, appendix and label, and
the hidden bookmarks and record of docx_source.py give back what Word does not show: which
labels each reference names, the groups' names, the sub-headings' levels. Numbers are never
read as text: paperkit writes them again.

Tracked changes are read as `changes` says: "accept" keeps insertions and drops deletions,
"reject" the other way round (the text as built). Every change and comment found is recorded
with the block it belongs to, for the report.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..diagnostics import Loc
from ..docx_source import GROUP_MARK, HEADING_MARK, REF_MARK, SourceRecord
from ..model import (
    Block,
    Cell,
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
from ..style import HouseStyle
from .package import R, W, WordPackage

NOWHERE = Loc("", 0)
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# A sentinel pair around a change's or comment's number, put into the text so the report can
# find the line it lands on once the Markdown is written; taken out again before writing.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK_TAG = "{https://paperkit.invalid/import}mark"  # where a paragraph mark's change is noted


@dataclass
class Change:
    kind: str  # insertion | deletion | comment | paragraph-insertion | paragraph-deletion | formatting
    author: str
    text: str


@dataclass
class Part:
    """A section (`section_id`) or an appendix (`appendix` index from 1) and its blocks."""

    section_id: str = ""
    appendix: int = 0
    blocks: list[Any] = field(default_factory=list)  # while reading: blocks, and lists and groups still open
    final: tuple[Block, ...] = ()


@dataclass
class _Run:
    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    kind: str = "text"  # text | break | tab | image | ref | link-start | link-end
    value: object = None


class BodyReader:
    def __init__(self, package: WordPackage, style: HouseStyle, record: SourceRecord, changes: str) -> None:
        self.package = package
        self.document = copy.deepcopy(package.document)  # reading notes changes in it: a copy of its own
        self.style = style
        self.record = record
        self.changes = changes
        self.found: list[Change] = []  # in document order; each is marked in the text by its index
        self.word_refs: dict[str, str] = {}  # a Word cross-reference's bookmark → label (foreign documents)
        self.in_clearance = False
        self.clearance_rows: list[list[str]] | None = None  # the sign-off table's rows, as the reviewers left them
        roles: dict[str, tuple[str, int]] = {}
        for role, name in style.word_styles.items():
            for level in (1, 2, 3, 4, 5, 6):
                roles.setdefault(name.format(level=level).lower(), (role, level))
        self.roles = roles
        self.section_titles = {spec.title: spec.id for spec in style.sections}

    # ------------------------------------------------------------------ paragraphs to parts
    def parts(self) -> list[Part]:
        body = self.document.find(W + "body")
        parts: list[Part] = []
        current: _Builder | None = None
        pending_table: Table | None = None
        pending_caption: tuple[str, str | None] | None = None
        joining: etree._Element | None = None  # a paragraph whose mark a change removed: joins the next
        for node in body if body is not None else ():
            if node.tag == W + "p" and joining is not None:
                node, joining = self.joined(joining, node), None
            if node.tag == W + "p" and self.mark_removed(node):
                joining = node
                continue
            if node.tag == W + "tbl":
                # The paper's tables repeat their header row; the Word template's own (heading
                # facts, clearances) are not content.
                if node.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None:
                    pending_table = self.table(node, pending_caption)
                elif self.in_clearance:
                    self.clearance_rows = [[_cell_text(self, tc) for tc in tr.iter(W + "tc")]
                                           for tr in node.iter(W + "tr")][1:]
                pending_caption = None
                continue
            if node.tag != W + "p":
                continue
            role, level = self.role(node)
            bookmarks = self.bookmarks(node)
            if role == "section_heading":
                current = self.start_part(bookmarks, parts)
                heading = "".join(r.text for r in self.runs(node) if r.kind == "text").strip()
                self.in_clearance = current is None and heading == self.style.clearance.title
                continue
            if current is None:
                continue
            if pending_table is not None:  # the empty paragraph after a table says where it belongs
                current.add_table(pending_table, role, level)
                pending_table = None
                if not self.inlines(node):
                    continue
            if role == "table_caption":
                pending_caption = self.caption(node, bookmarks)
                continue
            current.add(self, node, role, level, bookmarks)
        for part in parts:
            part.final = _finish(part.blocks)
        return parts

    def start_part(self, bookmarks: list[str], parts: list[Part]) -> _Builder | None:
        for name in bookmarks:
            if name.startswith("section_") and name[8:].isdigit():
                index = int(name[8:])
                if 0 < index <= len(self.style.sections):
                    parts.append(Part(section_id=self.style.sections[index - 1].id))
                    return _Builder(parts[-1])
            if name.startswith("appendix_") and name[9:].isdigit():
                parts.append(Part(appendix=int(name[9:])))
                return _Builder(parts[-1])
        return None  # a closing heading (background papers, author, clearance): nothing to read

    def role(self, node: etree._Element) -> tuple[str, int]:
        style = node.find(f"{W}pPr/{W}pStyle")
        name = self.package.styles.get(str(style.get(W + "val")), "") if style is not None else "Normal"
        role: tuple[str, int] = self.roles.get(name.lower(), ("other", 1))
        return role

    def bookmarks(self, node: etree._Element) -> list[str]:
        return [str(b.get(W + "name")) for b in node.iter(W + "bookmarkStart")]

    def mark_removed(self, node: etree._Element) -> bool:
        """Whether a tracked change takes this paragraph's mark away (an inserted mark rejected, a
        deleted one accepted), joining it to the next paragraph, as Word does. The change is
        recorded either way, at the paragraph's end."""
        props = node.find(f"{W}pPr/{W}rPr")
        change = None if props is None else next((c for c in props if c.tag in (W + "ins", W + "del")), None)
        if change is None:
            return False
        inserted = change.tag == W + "ins"
        props.remove(change)  # recorded once, here
        found = Change("paragraph-insertion" if inserted else "paragraph-deletion", str(change.get(W + "author", "")),
                       "new paragraph" if inserted else "paragraphs joined")
        self.found.append(found)
        node.append(etree.Element(MARK_TAG, n=str(len(self.found) - 1)))
        return bool(inserted != (self.changes == "accept"))

    def joined(self, first: etree._Element, second: etree._Element) -> etree._Element:
        """Two paragraphs as one, as Word joins them when the first's mark goes: the first's
        properties (style, bookmarks) when any of its text stays, else the second's alone
        (a paragraph deleted whole leaves no trace, its label included)."""
        if not self.keeps_text(first):
            marks = [child for child in first if child.tag == MARK_TAG]
            for mark in marks:  # its change is still reported, with the paragraph that stays
                second.insert(1 if second.find(W + "pPr") is not None else 0, mark)
            return second
        return _joined(first, second)

    def keeps_text(self, node: etree._Element) -> bool:
        """Whether any text of the paragraph stays once its tracked changes are applied."""
        inserted = (W + "ins", W + "moveTo")
        for text in node.iter(W + "t", W + "delText"):
            within_insertion = any(a.tag in inserted for a in text.iterancestors())
            if text.tag == W + "delText":
                kept = self.changes != "accept"
            else:
                kept = self.changes == "accept" or not within_insertion
            if kept and (text.text or "").strip():
                return True
        return next(node.iter(W + "drawing"), None) is not None

    def caption(self, node: etree._Element, bookmarks: list[str]) -> tuple[str, str | None]:
        text = "".join(r.text for r in self.runs(node) if r.kind == "text")
        caption = text.split(": ", 1)[1] if ": " in text else ""
        label = next((self.record.labels[b] for b in bookmarks if b in self.record.labels), None)
        return caption, label

    def table(self, node: etree._Element, caption: tuple[str, str | None] | None) -> Table:
        rows: list[tuple[Cell, ...]] = []
        align: list[str] = []
        for index, tr in enumerate(node.iter(W + "tr")):
            cells = []
            for tc in tr.iter(W + "tc"):
                paragraphs = list(tc.iter(W + "p"))
                inlines: list[Inline] = []
                for paragraph in paragraphs:
                    inlines.extend(self.inlines(paragraph, strip_bold=index == 0))
                cells.append(tuple(inlines))
                if index == 0:
                    jc = paragraphs[0].find(f"{W}pPr/{W}jc") if paragraphs else None
                    value = str(jc.get(W + "val")) if jc is not None else ""
                    align.append({"left": "left", "start": "left", "right": "right", "end": "right",
                                  "center": "center"}.get(value, ""))
            rows.append(tuple(cells))
        text, label = caption or ("", None)
        header, body = (rows[0] if rows else ()), tuple(rows[1:])
        return Table(header, body, tuple(align), NOWHERE, caption=text, label=label)

    # ---------------------------------------------------------------------------- inlines
    def runs(self, node: etree._Element) -> list[_Run]:
        """The paragraph's runs in order, tracked changes applied, references and links marked."""
        out: list[_Run] = []
        self._runs(node, out)
        return out

    def _runs(self, node: etree._Element, out: list[_Run]) -> None:
        for child in node:
            tag = child.tag
            if tag == W + "ins" or tag == W + "moveTo":
                self._changed(child, "insertion", out, keep=self.changes == "accept")
            elif tag == W + "del" or tag == W + "moveFrom":
                self._changed(child, "deletion", out, keep=self.changes != "accept")
            elif tag == W + "r":
                self._run(child, out)
            elif tag == W + "hyperlink":
                out.append(_Run(kind="link-start", value=self.package.links.get(str(child.get(R + "id")), "")))
                self._runs(child, out)
                out.append(_Run(kind="link-end"))
            elif tag == W + "bookmarkStart" and str(child.get(W + "name", "")).startswith(REF_MARK):
                out.append(_Run(kind="ref", value=str(child.get(W + "name"))[len(REF_MARK):]))
                out.append(_Run(kind="ref-open", value=str(child.get(W + "id"))))
            elif tag == W + "bookmarkEnd":
                out.append(_Run(kind="bookmark-end", value=str(child.get(W + "id"))))
            elif tag == MARK_TAG:
                out.append(_Run(kind="mark", value=int(child.get("n", "0"))))
            elif tag == W + "commentRangeStart":
                author, text = self.package.comments.get(str(child.get(W + "id")), ("", ""))
                self._mark(out, Change("comment", author, text))
            elif tag in (W + "smartTag", W + "customXml", W + "sdt", W + "sdtContent", W + "fldSimple"):
                self._runs(child, out)

    def _changed(self, node: etree._Element, kind: str, out: list[_Run], keep: bool) -> None:
        text = "".join(t.text or "" for t in node.iter(W + "t", W + "delText"))
        self._mark(out, Change(kind, str(node.get(W + "author", "")), text))
        if keep:
            self._runs(node, out)

    def _mark(self, out: list[_Run], change: Change) -> None:
        self.found.append(change)
        out.append(_Run(kind="mark", value=len(self.found) - 1))

    def _run(self, run: etree._Element, out: list[_Run]) -> None:
        props = run.find(W + "rPr")
        bold = props is not None and _on(props.find(W + "b"))
        italic = props is not None and _on(props.find(W + "i"))
        fonts = props.find(W + "rFonts") if props is not None else None
        code = fonts is not None and fonts.get(W + "ascii") == self.style.code_font
        if props is not None and props.find(W + "rPrChange") is not None:
            change = props.find(W + "rPrChange")
            self._mark(out, Change("formatting", str(change.get(W + "author", "")), "".join(
                t.text or "" for t in run.iter(W + "t"))))
        for child in run:
            if child.tag in (W + "t", W + "delText"):
                out.append(_Run(child.text or "", bold, italic, code))
            elif child.tag == W + "tab":
                out.append(_Run("\t", kind="tab"))
            elif child.tag == W + "br" and child.get(W + "type", "textWrapping") == "textWrapping":
                out.append(_Run(kind="break"))  # a page break is layout (LibreOffice writes them), not content
            elif child.tag == W + "fldChar":
                out.append(_Run(kind="field-" + str(child.get(W + "fldCharType"))))
            elif child.tag == W + "instrText":
                out.append(_Run(child.text or "", kind="instruction"))
            elif child.tag == W + "drawing":
                image = self.image(child)
                if image is not None:
                    out.append(_Run(kind="image", value=image))

    def image(self, drawing: etree._Element) -> Image | None:
        doc_pr = next(drawing.iter(WP + "docPr"), None)
        blip = next(drawing.iter(A + "blip"), None)
        rel_id = str(blip.get(R + "embed")) if blip is not None else ""
        data = self.package.media.get(rel_id)
        if doc_pr is None or data is None:
            return None
        # paperkit writes the picture's file name as its name; Word writes "Picture 1".
        name = str(doc_pr.get("name", ""))
        media = self.package.links.get(rel_id, "image.png").rsplit("/", 1)[-1]
        src = name if re.fullmatch(r"[\w./-]+\.(png|jpe?g|gif)", name, re.IGNORECASE) else media
        return Image(src=src, alt=str(doc_pr.get("descr", "")), path="", uri="", data=data, mime="", loc=NOWHERE)

    def inlines(self, node: etree._Element, after_tab: bool = False, strip_bold: bool = False) -> tuple[Inline, ...]:
        runs = self.runs(node)
        if after_tab:  # a numbered paragraph: its number and the tab after it are paperkit's
            tab = next((i for i, r in enumerate(runs) if r.kind == "tab"), None)
            runs = [r for r in runs[:tab] if r.kind == "mark"] + runs[tab + 1:] if tab is not None else runs
        if strip_bold:  # a table's header row: bold is the table's, not the content's
            runs = [replace(r, bold=False) for r in runs]
        return tuple(self.file_links(i) for i in _build_inlines(_resolve(runs, self.record, self.word_refs)))

    def file_links(self, inline: Inline) -> Inline:
        """A link to a file published beside the outputs is a link to that file of the paper."""
        if isinstance(inline, Link):
            href, name = file_link(inline.href, self.record.paper)
            return Link(href, inline.children, file=name)
        if isinstance(inline, Styled):
            return Styled(inline.style, tuple(self.file_links(i) for i in inline.children))
        return inline


def _cell_text(reader: BodyReader, cell: etree._Element) -> str:
    """A table cell's words, tracked changes applied as the reader applies them."""
    return " ".join("".join(r.text for r in reader.runs(p) if r.kind == "text") for p in cell.iter(W + "p")).strip()


def _joined(first: etree._Element, second: etree._Element) -> etree._Element:
    """One paragraph: the first's properties (so its style and place), then both contents."""
    joined = copy.deepcopy(first)
    for child in second:
        if child.tag != W + "pPr":
            joined.append(copy.deepcopy(child))
    return joined


def _on(flag: etree._Element | None) -> bool:
    return flag is not None and flag.get(W + "val", "true") not in ("0", "false", "off")


def _resolve(runs: list[_Run], record: SourceRecord, word_refs: dict[str, str] | None = None) -> list[_Run]:
    """References (everything inside a `_pkr_N` bookmark) as one run each; fields' codes out;
    links as runs that carry their address. In a document paperkit did not build, a Word
    cross-reference (a REF field to a bookmark in `word_refs`) is a reference to that label."""
    out: list[_Run] = []
    open_ref: str | None = None
    instruction = ""
    state = ""  # "code" between a field's begin and separate, "result" between separate and end
    skip_result = False
    link: str | None = None
    for run in runs:
        if run.kind == "ref":
            out.append(_Run(kind="ref", value=record.refs.get(str(run.value), [])))
        elif run.kind == "ref-open":
            open_ref = str(run.value)
        elif run.kind == "bookmark-end":
            if open_ref is not None and run.value == open_ref:
                open_ref = None
        elif open_ref is not None and run.kind != "mark":
            continue  # the reference's own words and fields: written again from its labels
        elif run.kind == "field-begin":
            state, instruction = "code", ""
        elif run.kind == "instruction":
            instruction += run.text
        elif run.kind == "field-separate":
            state = "result"
            words = instruction.split()
            target = words[1] if len(words) > 1 and words[0] == "REF" else ""
            skip_result = bool(word_refs) and target in (word_refs or {})
            if skip_result:
                out.append(_Run(kind="ref", value=[(word_refs or {})[target]]))
        elif run.kind == "field-end":
            state, skip_result = "", False
        elif state == "code" or (state == "result" and skip_result):
            continue
        elif run.kind == "link-start":
            link = str(run.value)
        elif run.kind == "link-end":
            link = None
        else:
            out.append(replace(run, value=link) if link is not None and run.kind == "text" else run)
    return out


def _build_inlines(runs: list[_Run]) -> tuple[Inline, ...]:
    """Runs as inline nodes: neighbouring runs of one format joined, bold and italic as nesting,
    the runs of one link (text runs carrying its address) as a Link."""
    out: list[Inline] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        if run.kind in ("text", "mark"):
            link = run.value if run.kind == "text" else None
            end = index + 1
            while end < len(runs) and (runs[end].kind == "mark" or (runs[end].kind == "text"
                                                                     and runs[end].value == link)):
                end += 1
            span = [replace(r, value=None) if r.kind == "text" else r for r in runs[index:end]]
            if link is not None:
                out.append(Link(str(link), _styled(span)))
            else:
                out.extend(_styled(span))
            index = end
            continue
        if run.kind == "break":
            out.append(LineBreak())
        elif run.kind == "image":
            assert isinstance(run.value, Image)
            out.append(run.value)
        elif run.kind == "ref":
            out.append(Ref(tuple(run.value) if isinstance(run.value, list) else (), NOWHERE))
        elif run.kind == "tab":
            out.append(Text("\t"))
        index += 1
    return _merge_text(out)


def _styled(runs: list[_Run]) -> tuple[Inline, ...]:
    """Formatted text: the longest stretches in bold, then italic, then code, as nested nodes."""
    out: list[Inline] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        if run.kind == "mark":
            out.append(Text(f"{MARK_OPEN}{run.value}{MARK_CLOSE}"))
            index += 1
            continue
        for flag, style in (("bold", "strong"), ("italic", "em"), ("code", "code")):
            if getattr(run, flag):
                end = index
                while end < len(runs) and (runs[end].kind == "mark" or getattr(runs[end], flag)):
                    end += 1
                while end > index and runs[end - 1].kind == "mark":
                    end -= 1
                inner = [_without(r, flag) for r in runs[index:end]]
                out.append(Styled(style, _styled(inner)))
                index = end
                break
        else:
            out.append(Text(run.text))
            index += 1
    return _merge_text(out)


def _without(run: _Run, flag: str) -> _Run:
    plain = replace(run)
    setattr(plain, flag, False)
    return plain


def _merge_text(inlines: list[Inline] | tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + inline.text)
        elif not (isinstance(inline, Text) and not inline.text):
            out.append(inline)
    return tuple(out)


class _Builder:
    """Blocks of one part, nested by the paragraphs' roles and levels."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self.items: list[_OpenItem | None] = []  # the open item at each level (index 0: level 1)

    def container(self) -> list[Any]:
        """Where a top-level block goes: the open group, or the part itself."""
        if self.part.blocks and isinstance(self.part.blocks[-1], _OpenGroup):
            return self.part.blocks[-1].blocks
        return self.part.blocks

    def add(self, reader: BodyReader, node: etree._Element, role: str, level: int, bookmarks: list[str]) -> None:
        if role == "numbered":
            label = next((reader.record.labels[b] for b in bookmarks if b in reader.record.labels), None)
            first = Paragraph(reader.inlines(node, after_tab=True), NOWHERE)
            self.open_item(_OpenItem([first], label=label, numbered=True), level)
        elif role in ("bullet", "nested_bullet"):
            first = Paragraph(reader.inlines(node), NOWHERE)
            self.open_item(_OpenItem([first], numbered=False), 1 if role == "bullet" else 2)
        elif role == "numbered_continued":
            self.in_item(level).append(Paragraph(reader.inlines(node), NOWHERE))
        elif role == "subheading":
            mark = next((b for b in bookmarks if b.startswith(HEADING_MARK)), "")
            depth = reader.record.headings.get(mark[len(HEADING_MARK):], 3)
            self.top().append(Heading(depth, reader.inlines(node), NOWHERE))
        elif role == "quote":
            quote_in = self.top()
            paragraph = Paragraph(reader.inlines(node), NOWHERE)
            if quote_in and isinstance(quote_in[-1], Quote):
                quote_in[-1] = Quote((*quote_in[-1].blocks, paragraph), NOWHERE)
            else:
                quote_in.append(Quote((paragraph,), NOWHERE))
        else:
            mark = next((b for b in bookmarks if b.startswith(GROUP_MARK)), "")
            inlines = reader.inlines(node)
            if mark:
                attrs = reader.record.groups.get(mark[len(GROUP_MARK):], {})
                self.items = []
                self.part.blocks.append(_OpenGroup(inlines, attrs))
            elif inlines:
                self.top().append(Paragraph(inlines, NOWHERE))

    def top(self) -> list[Any]:
        """A top-level block closes every open item."""
        self.items = []
        return self.container()

    def in_item(self, level: int) -> list[Any]:
        """The blocks of the open item at `level`, closing those below it (or the top level)."""
        item = self.items[level - 1] if 0 < level <= len(self.items) else None
        if item is None:
            return self.top()
        del self.items[level:]
        return item.blocks

    def open_item(self, item: _OpenItem, level: int) -> None:
        """A new item at `level`: in the list its open parent item ends with, or a new list."""
        parent = self.top() if level == 1 else self.in_item(level - 1)
        if parent and isinstance(parent[-1], _OpenList) and parent[-1].numbered == item.numbered:
            parent[-1].items.append(item)
        else:
            parent.append(_OpenList([item], item.numbered, level))
        self.items = self.items[: level - 1]
        self.items.extend([None] * (level - 1 - len(self.items)))
        self.items.append(item)

    def add_table(self, table: Table, role: str, level: int) -> None:
        """A table, into the numbered paragraph whose continuation style its spacer has."""
        (self.in_item(level) if role == "numbered_continued" else self.top()).append(table)


@dataclass
class _OpenItem:
    blocks: list[Any]
    label: str | None = None
    numbered: bool = True


@dataclass
class _OpenList:
    items: list[_OpenItem]
    numbered: bool
    level: int


@dataclass
class _OpenGroup:
    lead_in: tuple[Inline, ...]
    attrs: dict[str, object]
    blocks: list[Any] = field(default_factory=list)


def _finish(blocks: list[Any]) -> tuple[Block, ...]:
    """The open (mutable) lists, items and groups as the model's frozen nodes."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, _OpenList):
            items = tuple(Item(_finish(list(i.blocks)), NOWHERE, label=i.label, level=block.level)
                          for i in block.items)
            out.append(ItemList(items, NOWHERE, numbered=block.numbered, level=block.level))
        elif isinstance(block, _OpenGroup):
            attrs = block.attrs
            restart = attrs.get("restart")
            out.append(Group(block.lead_in, _finish(block.blocks), NOWHERE, name=str(attrs.get("name") or ""),
                             restart=restart if isinstance(restart, bool) else None,
                             label=str(attrs["label"]) if attrs.get("label") else None))
        elif isinstance(block, Quote):
            out.append(block)
        else:
            assert isinstance(block, (Paragraph, Heading, Table))
            out.append(block)
    return tuple(out)


def file_link(href: str, paper: str) -> tuple[str, str]:
    """(href, file): a link to a file published beside the outputs is to that file of the paper."""
    prefix = f"{paper}-files/"
    return (href, unquote(href[len(prefix):])) if href.startswith(prefix) else (href, "")
