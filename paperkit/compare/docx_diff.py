"""Two builds of a paper's sign-off DOCX compared, the differences written as Word tracked changes.

paperkit knows the structure behind the numbers, so it can mark only what a person changed:

- paragraphs are aligned by their text with every number masked (a paragraph's own number,
  each reference's words, which are keyed by the labels they name), so a new paragraph before
  3.3 renumbers nothing in the comparison;
- a paragraph that changed is diffed word by word, each word keeping its run's formatting;
- what the new build has and the old had not is inserted (`w:ins`, and the paragraph mark when
  the whole paragraph is new); what the old had is deleted (`w:del`, `w:delText`), with its
  bookmarks, fields and links taken out so that every bookmark name stays unique and every REF
  points at a bookmark that exists;
- the Word template's own parts (heading facts table, clearance table) are the new build's,
  never marked.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..docx_source import REF_MARK, SourceRecord

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SIMILAR = 0.5  # paragraphs at least this alike (by words) are one paragraph, changed


@dataclass(frozen=True)
class Token:
    key: str  # what is compared: a word, a space, "REF:labels", "NUM" for a number
    nodes: tuple[etree._Element, ...]  # what is written: runs, or a reference's whole range


@dataclass
class Summary:
    """What changed, per section, in words for the author."""

    sections: dict[str, list[int]] = field(default_factory=dict)  # title → [insertions, deletions]

    def add(self, section: str, insertions: int = 0, deletions: int = 0) -> None:
        counts = self.sections.setdefault(section or "Heading", [0, 0])
        counts[0] += insertions
        counts[1] += deletions

    @property
    def insertions(self) -> int:
        return sum(i for i, _d in self.sections.values())

    @property
    def deletions(self) -> int:
        return sum(d for _i, d in self.sections.values())


class Marker:
    """Makes the tracked-change elements: one author and date, ids unique in the document."""

    def __init__(self, author: str, date: str, first_id: int) -> None:
        self.author = author
        self.date = date
        self.next_id = first_id

    def element(self, kind: str) -> etree._Element:
        node = etree.Element(W + kind)
        node.set(W + "id", str(self.next_id))
        node.set(W + "author", self.author)
        node.set(W + "date", self.date)
        self.next_id += 1
        return node


def tokens(paragraph: etree._Element, record: SourceRecord) -> list[Token]:
    """The paragraph's content as tokens: words and spaces of its runs (one run each), and
    each reference, number, picture, link or field whole."""
    out: list[Token] = []
    children = [c for c in paragraph if c.tag != W + "pPr"]
    index = 0
    while index < len(children):
        child = children[index]
        if child.tag == W + "bookmarkStart":
            end = _bookmark_end(children, index)
            name = str(child.get(W + "name", ""))
            if name.startswith(REF_MARK):
                labels = ",".join(record.refs.get(name[len(REF_MARK):], []))
                out.append(Token(f"REF:{labels}", tuple(children[index:end + 1])))
            elif name.startswith("_"):  # a hidden mark (a group's or heading's): always the new one's
                out.append(Token("MARK", tuple(children[index:end + 1])))
            else:  # a number, which is paperkit's to write: never a change
                out.append(Token("NUM", tuple(children[index:end + 1])))
            index = end + 1
            continue
        if child.tag == W + "r":
            out.extend(_run_tokens(child))
        elif child.tag == W + "hyperlink":
            out.append(Token("LINK:" + "".join(t.text or "" for t in child.iter(W + "t")), (child,)))
        elif child.tag in (W + "ins", W + "del"):
            out.extend(tokens(child, record))
        index += 1
    return out


def _bookmark_end(children: list[etree._Element], start: int) -> int:
    ident = children[start].get(W + "id")
    for index in range(start + 1, len(children)):
        if children[index].tag == W + "bookmarkEnd" and children[index].get(W + "id") == ident:
            return index
    return start


def _run_tokens(run: etree._Element) -> list[Token]:
    """A run as tokens: each word and each space of its text a run of its own, same formatting."""
    props = run.find(W + "rPr")
    out: list[Token] = []
    for child in run:
        if child.tag == W + "t":
            for piece in re.findall(r"\s+|\w+|[^\w\s]", child.text or ""):  # words and punctuation apart
                out.append(Token(piece, (_run(props, piece),)))
        elif child.tag == W + "tab":
            out.append(Token("\t", (_run(props, None, W + "tab"),)))
        elif child.tag == W + "br":
            out.append(Token("\n", (copy.deepcopy(run),)))
        elif child.tag == W + "drawing":
            described = next((str(d.get("descr", "")) for d in child.iter() if d.get("descr") is not None), "")
            out.append(Token(f"IMG:{described}", (copy.deepcopy(run),)))
        elif child.tag in (W + "fldChar", W + "instrText"):
            out.append(Token("FIELD", (copy.deepcopy(run),)))
    return out


def _run(props: etree._Element | None, text: str | None, tag: str = W + "t") -> etree._Element:
    run = etree.Element(W + "r")
    if props is not None:
        run.append(copy.deepcopy(props))
    node = etree.SubElement(run, tag)
    if text is not None:
        node.text = text
        node.set(XML_SPACE, "preserve")
    return run


def paragraph_key(paragraph: etree._Element, record: SourceRecord) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    name = str(style.get(W + "val", "")) if style is not None else ""
    return name + "|" + "".join(t.key for t in tokens(paragraph, record))


def block_key(block: etree._Element, record: SourceRecord) -> str:
    if block.tag == W + "p":
        return paragraph_key(block, record)
    if block.tag == W + "tbl":
        own = block.find(f"{W}tr/{W}trPr/{W}tblHeader") is None
        cells = "|".join(paragraph_key(p, record) for p in block.iter(W + "p"))
        return ("TEMPLATE-TABLE:" if own else "TABLE:") + cells
    return "OTHER:" + str(block.tag)


class DocumentDiff:
    def __init__(self, old: etree._Element, new: etree._Element, old_record: SourceRecord, new_record: SourceRecord,
                 marker: Marker, clearance_title: str = "") -> None:
        self.old, self.new = old, new
        self.old_record, self.new_record = old_record, new_record
        self.marker = marker
        self.summary = Summary()
        self.section = ""
        self.clearance_title = clearance_title  # the sign-off table under it is always the new one, unmarked

    def body(self) -> etree._Element:
        """The new document's body with the differences from the old marked."""
        old_body, new_body = self.old.find(W + "body"), self.new.find(W + "body")
        old_blocks = [b for b in old_body if b.tag != W + "sectPr"]
        new_blocks = [b for b in new_body if b.tag != W + "sectPr"]
        section_properties = new_body.find(W + "sectPr")
        old_keys = [block_key(b, self.old_record) for b in old_blocks]
        new_keys = [block_key(b, self.new_record) for b in new_blocks]
        out: list[etree._Element] = []
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for block in new_blocks[j1:j2]:
                    self.note_heading(block)
                    out.append(block)
            else:
                out.extend(self.replaced(old_blocks[i1:i2], new_blocks[j1:j2]))
        for child in list(new_body):
            new_body.remove(child)
        for block in out:
            new_body.append(block)
        if section_properties is not None:
            new_body.append(section_properties)
        return new_body

    def note_heading(self, block: etree._Element) -> None:
        style = block.find(f"{W}pPr/{W}pStyle") if block.tag == W + "p" else None
        if style is not None and style.get(W + "val", "").lower().startswith("heading1"):
            text = "".join(t.text or "" for t in block.iter(W + "t"))
            self.section = re.sub(r"^\s*[\d.]+\s*", "", text).strip()

    def replaced(self, old: list[etree._Element], new: list[etree._Element]) -> list[etree._Element]:
        """Old blocks where new ones stand: alike pairs diffed word by word (in order), the rest
        deleted or inserted whole."""
        out: list[etree._Element] = []
        start = 0
        for block in new:
            best, score = None, SIMILAR
            for index in range(start, len(old)):
                ratio = self.likeness(old[index], block)
                if ratio >= score:
                    best, score = index, ratio
            if best is None:
                self.note_heading(block)
                out.append(self.inserted(block))
                continue
            for gone in old[start:best]:
                deleted = self.deleted(gone)
                if deleted is not None:
                    out.append(deleted)
            self.note_heading(block)
            out.append(self.changed(old[best], block))
            start = best + 1
        for gone in old[start:]:
            deleted = self.deleted(gone)
            if deleted is not None:
                out.append(deleted)
        return out

    def likeness(self, old: etree._Element, new: etree._Element) -> float:
        if old.tag != new.tag:
            return 0.0
        if old.tag == W + "tbl":
            own = new.find(f"{W}tr/{W}trPr/{W}tblHeader") is None
            return 1.0 if own and old.find(f"{W}tr/{W}trPr/{W}tblHeader") is None else 0.0
        a = [t.key for t in tokens(old, self.old_record) if t.key.strip()]
        b = [t.key for t in tokens(new, self.new_record) if t.key.strip()]
        if not a and not b:
            return 1.0
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

    # ------------------------------------------------------------------------ marking
    def inserted(self, block: etree._Element) -> etree._Element:
        if block.tag == W + "tbl":
            if block.find(f"{W}tr/{W}trPr/{W}tblHeader") is None:
                return block  # the template's own table: current, unmarked
            for row in block.iter(W + "tr"):
                _row_mark(row, self.marker.element("ins"))
                for paragraph in row.iter(W + "p"):
                    self.mark_paragraph(paragraph, "ins", whole=False)
            self.summary.add(self.section, insertions=1)
            return block
        self.mark_paragraph(block, "ins", whole=True)
        self.summary.add(self.section, insertions=1)
        return block

    def deleted(self, block: etree._Element) -> etree._Element | None:
        if block.tag == W + "tbl" and block.find(f"{W}tr/{W}trPr/{W}tblHeader") is None:
            return None  # the old template table: the new one stands in its place
        gone = _cleaned(copy.deepcopy(block))
        if gone.tag == W + "tbl":
            for row in gone.iter(W + "tr"):
                _row_mark(row, self.marker.element("del"))
                for paragraph in row.iter(W + "p"):
                    self.mark_paragraph(paragraph, "del", whole=False)
        else:
            self.mark_paragraph(gone, "del", whole=True)
        self.summary.add(self.section, deletions=1)
        return gone

    def mark_paragraph(self, paragraph: etree._Element, kind: str, whole: bool) -> None:
        """Every run of the paragraph inside one w:ins or w:del; its mark too when `whole`."""
        _wrap_runs(paragraph, lambda: self.marker.element(kind), deleting=kind == "del")
        if whole:
            props = paragraph.find(W + "pPr")
            if props is None:
                props = etree.Element(W + "pPr")
                paragraph.insert(0, props)
            run_props = props.find(W + "rPr")
            if run_props is None:
                run_props = etree.SubElement(props, W + "rPr")
            run_props.append(self.marker.element(kind))

    def changed(self, old: etree._Element, new: etree._Element) -> etree._Element:
        """The new paragraph, its words diffed against the old's, each keeping its formatting."""
        if new.tag == W + "tbl":
            return self.changed_table(old, new)
        a, b = tokens(old, self.old_record), tokens(new, self.new_record)
        out = etree.Element(W + "p")
        props = new.find(W + "pPr")
        if props is not None:
            out.append(copy.deepcopy(props))
        insertions = deletions = 0
        matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("delete", "replace"):
                nodes = [n for t in a[i1:i2] for n in _cleaned_nodes(t)]
                if nodes:
                    deletion = self.marker.element("del")
                    for node in nodes:
                        _to_deleted(node)
                        deletion.append(node)
                    out.append(deletion)
                    deletions += 1
            if op in ("insert", "replace"):
                insertion = None
                for token in b[j1:j2]:
                    for node in token.nodes:
                        if node.tag == W + "r":
                            if insertion is None:
                                insertion = self.marker.element("ins")
                                out.append(insertion)
                                insertions += 1
                            insertion.append(copy.deepcopy(node))
                        else:
                            insertion = None
                            out.append(copy.deepcopy(node))
            if op == "equal":
                for token in b[j1:j2]:
                    out.extend(copy.deepcopy(node) for node in token.nodes)
        if insertions or deletions:
            self.summary.add(self.section, insertions, deletions)
        return out


    def changed_table(self, old: etree._Element, new: etree._Element) -> etree._Element:
        """The Word template's own table (heading facts) diffed cell by cell when its shape is
        the same; the clearance table, and any table of another shape, as the new build has it."""
        if self.section == self.clearance_title:
            return new
        old_cells = [list(tr.iter(W + "tc")) for tr in old.iter(W + "tr")]
        new_cells = [list(tr.iter(W + "tc")) for tr in new.iter(W + "tr")]
        if [len(r) for r in old_cells] != [len(r) for r in new_cells]:
            return new
        for old_row, new_row in zip(old_cells, new_cells, strict=True):
            for old_cell, new_cell in zip(old_row, new_row, strict=True):
                olds, news = old_cell.findall(W + "p"), new_cell.findall(W + "p")
                for old_p, new_p in zip(olds, news, strict=False):
                    new_p.addprevious(self.changed(old_p, new_p))
                    new_cell.remove(new_p)
        return new


def _row_mark(row: etree._Element, mark: etree._Element) -> None:
    props = row.find(W + "trPr")
    if props is None:
        props = etree.Element(W + "trPr")
        row.insert(0, props)
    props.append(mark)


def _wrap_runs(paragraph: etree._Element, make: Callable[[], etree._Element], deleting: bool) -> None:
    """Each stretch of runs directly in the paragraph (or in a link) inside one change element."""
    for parent in [paragraph, *paragraph.iter(W + "hyperlink")]:
        group: etree._Element | None = None
        for child in list(parent):
            if child.tag == W + "r":
                if group is None:
                    group = make()
                    child.addprevious(group)
                if deleting:
                    _to_deleted(child)
                group.append(child)
            elif child.tag not in (W + "pPr",):
                group = None


def _to_deleted(run: etree._Element) -> None:
    for text in run.iter(W + "t"):
        text.tag = W + "delText"
    for instruction in run.iter(W + "instrText"):
        instruction.tag = W + "delInstrText"


def _cleaned(block: etree._Element) -> etree._Element:
    """Old content as it may stand in the new document: no bookmarks (their names are the new
    document's), no fields or links (they point at its bookmarks and relationships), no
    pictures (their parts are the old package's)."""
    for paragraph in [block] if block.tag == W + "p" else list(block.iter(W + "p")):
        for node in list(paragraph.iter(W + "bookmarkStart", W + "bookmarkEnd", W + "commentRangeStart",
                                        W + "commentRangeEnd")):
            node.getparent().remove(node)
        for link in list(paragraph.iter(W + "hyperlink")):
            for child in list(link):
                link.addprevious(child)
            link.getparent().remove(link)
        _without_field_codes(paragraph)
    return block


def _cleaned_nodes(token: Token) -> list[etree._Element]:
    holder = etree.Element(W + "p")
    for node in token.nodes:
        holder.append(copy.deepcopy(node))
    _cleaned(holder)
    return [n for n in holder if n.tag == W + "r"]


def _without_field_codes(paragraph: etree._Element) -> None:
    """Fields as their shown text: the begin, code and end runs go, the result stays."""
    for run in list(paragraph.iter(W + "r")):
        if run.find(W + "fldChar") is not None or run.find(W + "instrText") is not None \
                or run.find(W + "drawing") is not None or run.find(W + "commentReference") is not None:
            run.getparent().remove(run)
