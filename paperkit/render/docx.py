"""The DOCX view: the house style's Word template, filled by docxtpl.

The heading block and closing parts are docxtpl tags in the template; content reaches
them through _Slots, never through docxtpl's text handling. The sections are written with
python-docx where the template says {{ body }}, using the template's own named styles, so
a council restyles the output by editing those styles in Word. Numbers are the model's
strings; cross-references are internal hyperlinks to bookmarks around their targets'
numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any, assert_never, cast

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate

from ..model import (
    Appendix,
    Block,
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
    Section,
    Styled,
    Table,
    Text,
)
from ..resolved import Resolved

BODY_TOKEN = "PKSLOTBODYX"
APPENDICES_TOKEN = "PKSLOTAPPENDICESX"
AUTHOR_FIELDS = ("name", "job_title", "telephone", "email")


def bookmark_name(anchor: str) -> str:
    # Word bookmark names: letters, digits and underscores, at most 40 characters.
    return anchor.replace("-", "_")[:40]


@dataclass
class _RunStyle:
    bold: bool = False
    italic: bool = False
    code: bool = False

    def with_style(self, style: str) -> _RunStyle:
        return _RunStyle(
            bold=self.bold or style == "strong",
            italic=self.italic or style == "em",
            code=self.code or style == "code",
        )


@dataclass
class _BodyWriter:
    """Writes the sections as paragraphs through `doc.add_paragraph(style)`."""

    doc: Any
    styles: dict[str, str]  # role → the Word template's style name (house style's word_styles)
    text_width: int = 0  # EMU between the page margins: pictures wider than this are narrowed
    next_bookmark: int = 1

    def numbered_style(self, level: int, continued: bool) -> str:
        return self.styles["numbered_continued" if continued else "numbered"].format(level=level)

    def bullet_style(self, level: int) -> str:
        return self.styles["bullet" if level <= 1 else "nested_bullet"]

    def section(self, section: Section) -> None:
        heading = self.doc.add_paragraph(style=self.styles["section_heading"])
        # The bookmark holds the number exactly as references print it ("3", not "3."),
        # so a REF field to it, updated in Word, prints what paperkit printed.
        before, number, after = (section.heading_number or "").partition(section.number or "")
        if before:
            heading.add_run(before)
        self.bookmarked(heading, section.anchor, number)
        heading.add_run(after + "\t" + section.title)
        self.blocks(section.blocks, body_style=self.styles["body"], level=1)

    def appendix(self, appendix: Appendix) -> None:
        """On a new page: "Appendix A: title", the exempt notice if any, then its text."""
        heading = self.doc.add_paragraph(style=self.styles["section_heading"])
        heading.paragraph_format.page_break_before = True
        self.bookmarked(heading, appendix.anchor, appendix.number or "")
        heading.add_run(": " + appendix.title)
        if appendix.exempt:
            notice = self.doc.add_paragraph(style=self.styles["body"])
            self.run(notice._p, appendix.notice, _RunStyle(bold=True))
        self.blocks(appendix.blocks, body_style=self.styles["body"], level=1)

    def blocks(self, blocks: tuple[Block, ...], body_style: str, level: int) -> None:
        for block in blocks:
            self.block(block, body_style, level)

    def block(self, block: Block, body_style: str, level: int) -> None:
        match block:
            case Paragraph():
                self.inlines(self.doc.add_paragraph(style=body_style), block.inlines)
            case Heading():
                self.inlines(self.doc.add_paragraph(style=self.styles["subheading"]), block.inlines)
            case Quote():
                self.blocks(block.blocks, self.styles["quote"], level)
            case Table():
                self.table(block)
            case ItemList():
                self.item_list(block, body_style, level)
            case _:
                assert_never(block)

    def item_list(self, block: ItemList, body_style: str, level: int) -> None:
        if block.numbered:
            for item in block.items:
                self.numbered_item(item)
        else:
            for item in block.items:
                self.bullet_item(item, level)

    def numbered_item(self, item: Item) -> None:
        """The number, a tab, then the item's first paragraph; later blocks continue under it."""
        first = self.doc.add_paragraph(style=self.numbered_style(item.level, continued=False))
        self.bookmarked(first, item.anchor, item.number or "")
        first.add_run("\t")
        rest = self.continue_with_first_paragraph(first, item.blocks)
        self.blocks(rest, self.numbered_style(item.level, continued=True), item.level + 1)

    def bullet_item(self, item: Item, level: int) -> None:
        first = self.doc.add_paragraph(style=self.bullet_style(level))
        rest = self.continue_with_first_paragraph(first, item.blocks)
        self.blocks(rest, self.styles["body"], level + 1)

    def table(self, table: Table) -> None:
        """Caption (bookmarked number), then the table with its header row repeated on each page."""
        caption = self.doc.add_paragraph(style=self.styles["table_caption"])
        caption.paragraph_format.keep_with_next = True
        self.bookmarked(caption, table.anchor, table.number or "")
        if table.caption:
            caption.add_run(": " + table.caption)
        grid = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.header), style=self.styles["table"])
        # Cells straight from each row's XML: python-docx's rows[i].cells[j] walks the whole
        # table on every call, which made a wide or long table take minutes.
        for row_index, (row, tr) in enumerate(zip((table.header, *table.rows), grid._tbl.tr_lst, strict=True)):
            for column, (cell, tc) in enumerate(zip(row[: len(table.header)], tr.tc_lst, strict=False)):
                paragraph = _Cell(tc, grid).paragraphs[0]
                if table.align[column] in ("right", "center"):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if table.align[column] == "right" else \
                        WD_ALIGN_PARAGRAPH.CENTER
                self.inlines(paragraph, cell, _RunStyle(bold=row_index == 0))
        header = grid.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)

    def continue_with_first_paragraph(self, paragraph: DocxParagraph, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """An item's first paragraph shares the line of its number or bullet; returns the rest."""
        if blocks and isinstance(blocks[0], Paragraph):
            self.inlines(paragraph, blocks[0].inlines)
            return blocks[1:]
        return blocks

    def bookmarked(self, paragraph: DocxParagraph, anchor: str | None, text: str) -> None:
        """`text` as a run wrapped in a bookmark named after the model's anchor."""
        if anchor is None:
            paragraph.add_run(text)
            return
        ident = str(self.next_bookmark)
        self.next_bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), ident)
        start.set(qn("w:name"), bookmark_name(anchor))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), ident)
        paragraph._p.append(start)
        paragraph.add_run(text)
        paragraph._p.append(end)

    def inlines(self, paragraph: DocxParagraph, inlines: tuple[Inline, ...], style: _RunStyle | None = None) -> None:
        style = style or _RunStyle()
        for inline in inlines:
            match inline:
                case Text():
                    self.run(paragraph._p, inline.text, style)
                case Styled():
                    self.inlines(paragraph, inline.children, style.with_style(inline.style))
                case LineBreak():
                    paragraph.add_run().add_break()
                case Ref():
                    self.reference(paragraph, inline, style)
                case Link():
                    self.link(paragraph, inline, style)
                case Image():
                    self.image(paragraph, inline)
                case _:
                    assert_never(inline)

    def run(self, parent: Any, text: str, style: _RunStyle) -> Any:
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        if style.code:
            fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi"):
                fonts.set(qn(attr), "Courier New")
            props.append(fonts)
        for flag, tag in ((style.bold, "w:b"), (style.italic, "w:i")):
            if flag:
                props.append(OxmlElement(tag))
        if len(props):
            run.append(props)
        node = OxmlElement("w:t")
        node.set(qn("xml:space"), "preserve")
        node.text = text
        run.append(node)
        parent.append(run)
        return run

    def reference(self, paragraph: DocxParagraph, ref: Ref, style: _RunStyle) -> None:
        """A cross-reference as REF fields: one per level of the number, each to the bookmark
        around that level's own number, with its result already filled in (Word need not
        update fields on opening; if it does, it finds the same text)."""
        for text, anchor in ref.parts:
            if anchor is None:
                self.run(paragraph._p, text, style)
            else:
                self.ref_field(paragraph, text, bookmark_name(anchor), style)

    def ref_field(self, paragraph: DocxParagraph, result: str, bookmark: str, style: _RunStyle) -> None:
        self.field_char(paragraph, "begin")
        code = self.run(paragraph._p, "", style)
        code.remove(code.find(qn("w:t")))
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = f" REF {bookmark} \\h "
        code.append(instruction)
        self.field_char(paragraph, "separate")
        shown = self.run(paragraph._p, result, style)
        props = shown.find(qn("w:rPr"))
        if props is None:
            props = OxmlElement("w:rPr")
            shown.insert(0, props)
        props.insert(0, _run_style("Hyperlink"))
        self.field_char(paragraph, "end")

    @staticmethod
    def field_char(paragraph: DocxParagraph, kind: str) -> None:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        paragraph._p.append(run)

    def hyperlink(self, paragraph: DocxParagraph, text: str, style: _RunStyle, anchor: str | None = None,
                  rel_id: str | None = None) -> None:
        link = OxmlElement("w:hyperlink")
        if anchor:
            link.set(qn("w:anchor"), bookmark_name(anchor))
        if rel_id:
            link.set(qn("r:id"), rel_id)
        link.set(qn("w:history"), "1")
        run = self.run(link, text, style)
        props = run.find(qn("w:rPr"))
        if props is None:
            props = OxmlElement("w:rPr")
            run.insert(0, props)
        props.insert(0, _run_style("Hyperlink"))
        paragraph._p.append(link)

    def image(self, paragraph: DocxParagraph, image: Image) -> None:
        """The picture at its own size, or narrowed to the text width; its alt text as Word's description."""
        natural = DocxImage.from_blob(image.data)
        width = min(natural.width, self.text_width) if self.text_width else natural.width
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(image.data), width=width)
        for doc_pr in run._r.iter(qn("wp:docPr")):
            doc_pr.set("descr", image.alt)

    def link(self, paragraph: DocxParagraph, link: Link, style: _RunStyle) -> None:
        text = "".join(_plain_text(child) for child in link.children)
        rel_id = paragraph.part.relate_to(
            link.href, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        self.hyperlink(paragraph, text, style, rel_id=rel_id)


def _run_style(name: str) -> Any:
    node = OxmlElement("w:rStyle")
    node.set(qn("w:val"), name)
    return node


def _plain_text(inline: Inline) -> str:
    match inline:
        case Text():
            return inline.text
        case Styled() | Link():
            return "".join(_plain_text(child) for child in inline.children)
        case Ref():
            return inline.number or inline.label
        case LineBreak() | Image():
            return " "
        case _:
            assert_never(inline)


class _Slots:
    """Stand-ins for content while docxtpl renders the template's own logic.

    docxtpl renders the document as one Jinja string and then rewrites it with regular
    expressions ("{_{" becomes "{{", tabs and line feeds become runs), so content passed
    through it would not come out as typed. Content therefore never goes through docxtpl:
    each value is a token there, and the real text is put into the XML nodes afterwards.
    """

    PATTERN = re.compile(r"PKSLOT\d{6}X")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        token = f"PKSLOT{len(self.values):06d}X"
        self.values[token] = text
        return token

    def fill(self, root: Any) -> None:
        for node in root.iter(qn("w:t")):
            if node.text and "PKSLOT" in node.text:
                node.text = self.PATTERN.sub(lambda m: self.values[m.group(0)], node.text)
                node.set(qn("xml:space"), "preserve")


def _context(resolved: Resolved, slot: _Slots, signoff: bool) -> dict[str, Any]:
    paper, style = resolved.paper, resolved.style
    heading, author = paper.heading, paper.meta.author
    assert heading is not None
    clearance = style.clearance
    rows = [{key: slot(getattr(row, key)) for key in ("role", "name", "date", "status")}
            for row in paper.clearance_rows] if signoff else []
    return {
        "draft": slot(clearance.draft_marking) if signoff else None,
        "clearance": {"title": slot(clearance.title), "rows": rows, "shown": signoff,
                      "none_recorded": slot(clearance.none_recorded)},
        "heading": {
            "agenda_item": slot(heading.agenda_item),
            "meeting_line": slot(heading.meeting_line),
            "title": slot(heading.title),
            "fields": [{"label": slot(f.label), "value": slot(f.value)} for f in heading.fields],
            "urgency": slot(heading.urgency),
        },
        "body": BODY_TOKEN,
        "appendices": APPENDICES_TOKEN,
        "closing": {key: slot(value) for key, value in style.closing.items()},
        "background_papers": [slot(p) for p in paper.meta.background_papers],
        "author": None if author is None else {key: slot(getattr(author, key)) for key in AUTHOR_FIELDS},
    }


class _InsertBefore:
    """Adds paragraphs where the template's body placeholder stands, in order."""

    def __init__(self, document: Any, placeholder: DocxParagraph) -> None:
        self.document = document
        self.placeholder = placeholder

    def add_paragraph(self, style: str) -> DocxParagraph:
        return self.placeholder.insert_paragraph_before(style=style)

    def add_table(self, rows: int, cols: int, style: str) -> Any:
        table = self.document.add_table(rows=rows, cols=cols, style=style)
        self.placeholder._p.addprevious(table._tbl)
        return table


def _placeholder(document: Any, token: str) -> DocxParagraph:
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == token:
            return cast(DocxParagraph, paragraph)
    raise ValueError(f"the Word template has no paragraph holding {token}")  # style.py checks templates first


def render_docx(resolved: Resolved, purpose: str = "signoff") -> bytes:
    """The Word document; for sign-off it carries the draft marking and the clearance table."""
    template = DocxTemplate(str(resolved.style.docx_template))
    slot = _Slots()
    template.render(_context(resolved, slot, signoff=purpose == "signoff"), autoescape=True)
    document = template.docx
    # Order matters: find the body's place while all content is still tokens, and fill the
    # slots before the body is written, so no content can be taken for a token.
    placeholder = _placeholder(document, BODY_TOKEN)
    appendix_place = _placeholder(document, APPENDICES_TOKEN)
    slot.fill(document.element)
    for rel in document.part.rels.values():
        # docxtpl swaps in new header and footer parts; reach them through the relationships.
        if rel.reltype.endswith(("/header", "/footer")):
            slot.fill(rel.target_part._element)
    page = document.sections[0]
    text_width = int(page.page_width - page.left_margin - page.right_margin)
    writer = _BodyWriter(_InsertBefore(document, placeholder), resolved.style.word_styles, text_width)
    for section in resolved.paper.sections:
        writer.section(section)
    placeholder._p.getparent().remove(placeholder._p)
    writer.doc = _InsertBefore(document, appendix_place)
    for appendix in resolved.paper.appendices:
        writer.appendix(appendix)
    appendix_place._p.getparent().remove(appendix_place._p)
    _set_properties(template, resolved)
    out = io.BytesIO()
    template.save(out)
    return reproducible_zip(out.getvalue(), resolved.timestamp)


def reproducible_zip(package: bytes, timestamp: dt.datetime) -> bytes:
    """The same package with every entry dated `timestamp`, in a fixed order, so that equal
    content always gives equal bytes ([Content_Types].xml first, as Office writes it)."""
    stamp = max(timestamp, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()


PROPERTY_LIMIT = 255  # characters in a DOCX core property (python-docx and Word refuse more)


def _property(text: str) -> str:
    """`text` as a document property: cut to the limit, with an ellipsis (the page keeps it whole)."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def _set_properties(template: DocxTemplate, resolved: Resolved) -> None:
    """Title and author (set after rendering, so docxtpl never reads them as Jinja)."""
    props = template.docx.core_properties
    meta = resolved.paper.meta
    heading = resolved.paper.heading
    props.title = _property(meta.title)
    props.subject = _property(heading.meeting_line if heading else meta.meeting)
    props.author = _property(meta.author.name if meta.author else "")
    props.keywords = _property("; ".join(v for v in (meta.meeting, str(meta.fields.get("service", "")),
                                                     str(meta.fields.get("portfolio", ""))) if v))
    props.last_modified_by = ""
    props.comments = ""
    props.created = props.modified = resolved.timestamp.replace(tzinfo=None)
    props.revision = 1
