"""The body of a Word document: sections, numbered paragraphs, lists, tables, pictures and
cross-references, written with the Word template's named styles (so a council restyles
them in Word). Numbers are the model's strings; references are REF fields to bookmarks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, assert_never

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ..docx_source import GROUP_MARK, HEADING_MARK, REF_MARK, SourceRecord
from ..model import (
    Appendix,
    Block,
    Group,
    Heading,
    Image,
    Inline,
    Item,
    ItemList,
    LineBreak,
    Link,
    NumberParts,
    Paragraph,
    Quote,
    Ref,
    Section,
    Styled,
    Table,
    Text,
)
from ..walk import plain_text
from . import wordml
from .docx_template import appendix_file_words
from .wordml import Bookmarks, RunStyle

ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "center": WD_ALIGN_PARAGRAPH.CENTER}


@dataclass
class BodyWriter:
    """Writes the sections as paragraphs through `doc.add_paragraph(style)`."""

    doc: Any
    styles: dict[str, str]  # role → the Word template's style name (house style's word_styles)
    code_font: str  # the house style's font for `code` text
    text_width: int = 0  # EMU between the page margins: pictures wider than this are narrowed
    bookmarks: Bookmarks = field(default_factory=Bookmarks)
    record: SourceRecord = field(default_factory=SourceRecord)  # what `paperkit import` needs (docx_source.py)

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

    def note(self, text: str) -> None:
        """A paragraph of the style's own words before the sections (an exemption statement)."""
        self.run(self.doc.add_paragraph(style=self.styles["body"])._p, text, RunStyle(self.code_font))

    def appendix(self, appendix: Appendix) -> None:
        """On a new page: "Appendix A: title", the exempt notice if any, then its text."""
        heading = self.doc.add_paragraph(style=self.styles["section_heading"])
        heading.paragraph_format.page_break_before = True
        self.bookmarked_parts(heading, appendix.reference_parts)
        self.record_label(appendix.anchor, appendix.label)
        heading.add_run(": " + appendix.title)
        if appendix.exempt:
            notice = self.doc.add_paragraph(style=self.styles["body"])
            self.run(notice._p, appendix.notice, RunStyle(self.code_font, bold=True))
        if appendix.source == "pdf" and not appendix.withheld:
            # Word cannot hold the PDF's pages: the sign-off copy names the document (a link
            # where it is published beside the outputs; an exempt one never is).
            before, after = appendix.attached_words
            self.note(before + appendix.file + after)
        self.blocks(appendix.blocks, body_style=self.styles["body"], level=1)

    def appendix_list_line(self, paragraph: DocxParagraph, appendix: Appendix) -> None:
        """Its line in the list of appendices, written again: the number of an appendix without
        pages of its own is bookmarked here, for the references to it."""
        for run in list(paragraph._p.r_lst):
            paragraph._p.remove(run)
        before, after = appendix.list_words
        paragraph.add_run(before)
        if appendix.has_page:
            paragraph.add_run(appendix.number or "")
        else:
            self.bookmarked_parts(paragraph, appendix.reference_parts)
            self.record_label(appendix.anchor, appendix.label)
        paragraph.add_run(after + appendix_file_words(appendix))

    def blocks(self, blocks: tuple[Block, ...], body_style: str, level: int) -> None:
        for block in blocks:
            self.block(block, body_style, level)

    def block(self, block: Block, body_style: str, level: int) -> None:
        match block:
            case Paragraph():
                self.inlines(self.doc.add_paragraph(style=body_style), block.inlines)
            case Heading():
                heading = self.doc.add_paragraph(style=self.styles["subheading"])
                self.mark(heading, HEADING_MARK, self.record.headings, block.level)
                self.inlines(heading, block.inlines)
            case Quote():
                self.blocks(block.blocks, self.styles["quote"], level)
            case Group():
                lead_in = self.doc.add_paragraph(style=body_style)
                lead_in.paragraph_format.keep_with_next = True
                self.mark(lead_in, GROUP_MARK, self.record.groups,
                          {"name": block.name, "restart": block.restart, "label": block.label})
                self.inlines(lead_in, block.lead_in)
                self.blocks(block.blocks, body_style, level)
            case Table():
                self.table(block, body_style)
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
        self.record_label(item.anchor, item.label)
        first.add_run("\t")
        rest = self.continue_with_first_paragraph(first, item.blocks)
        self.blocks(rest, self.numbered_style(item.level, continued=True), item.level + 1)

    def bullet_item(self, item: Item, level: int) -> None:
        first = self.doc.add_paragraph(style=self.bullet_style(level))
        rest = self.continue_with_first_paragraph(first, item.blocks)
        self.blocks(rest, self.styles["body"], level + 1)

    def table(self, table: Table, body_style: str) -> None:
        """Caption (bookmarked number) if the table has a number, then the table, as wide as the
        text at most, with its header row repeated on each page."""
        if table.number:
            caption = self.doc.add_paragraph(style=self.styles["table_caption"])
            caption.paragraph_format.keep_with_next = True
            self.bookmarked_parts(caption, table.reference_parts)
            self.record_label(table.anchor, table.label)
            if table.caption:
                caption.add_run(": " + table.caption)
        grid = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.header), style=self.styles["table"])
        self.fit(grid, table)
        # Cells straight from each row's XML: python-docx's rows[i].cells[j] walks the whole
        # table on every call, which made a wide or long table take minutes.
        for row_index, (row, tr) in enumerate(zip((table.header, *table.rows), grid._tbl.tr_lst, strict=True)):
            for column, (cell, tc) in enumerate(zip(row[: len(table.header)], tr.tc_lst, strict=False)):
                paragraph = _Cell(tc, grid).paragraphs[0]
                if table.align[column]:  # "left" too, so that import tells it from no alignment
                    paragraph.alignment = ALIGNMENTS[table.align[column]]
                self.inlines(paragraph, cell, RunStyle(self.code_font, bold=row_index == 0))
        header = grid.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
        # Word has no space after a table: an empty paragraph gives it, as a Word user would
        # make it. It has the style of the paragraphs around the table, so import can tell
        # a table inside a numbered paragraph from one after it.
        self.doc.add_paragraph(style=body_style)

    def fit(self, grid: Any, table: Table) -> None:
        """Fixed column widths that share the text width by each column's longest line (at least
        a few characters each), so Word and LibreOffice keep the table inside the margins."""
        if not self.text_width:
            return
        rows = (table.header, *table.rows)
        weights = [max(4, *(len(plain_text(row[column])) for row in rows if column < len(row)))
                   for column in range(len(table.header))]
        # In whole twentieths of a point (635 EMU), as Word stores them: rounded down, so the
        # columns never add up to more than the text width.
        text_twips = self.text_width // 635
        widths = [text_twips * weight // sum(weights) * 635 for weight in weights]
        grid.autofit = False  # w:tblLayout fixed, in its place among the table's properties
        width = grid._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes one, "auto"
        if width is not None:
            width.set(qn("w:w"), str(sum(widths) // 635))
            width.set(qn("w:type"), "dxa")
        for column, column_width in zip(grid.columns, widths, strict=True):
            column.width = Emu(column_width)
        for tr in grid._tbl.tr_lst:
            for tc, column_width in zip(tr.tc_lst, widths, strict=False):
                _Cell(tc, grid).width = Emu(column_width)

    def continue_with_first_paragraph(self, paragraph: DocxParagraph, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """An item's first paragraph shares the line of its number or bullet; returns the rest."""
        if blocks and isinstance(blocks[0], Paragraph):
            self.inlines(paragraph, blocks[0].inlines)
            return blocks[1:]
        return blocks

    def bookmarked(self, paragraph: DocxParagraph, anchor: str | None, text: str) -> None:
        """`text` as a run, wrapped in a bookmark named after the model's anchor if it has one."""
        if anchor is None:
            paragraph.add_run(text)
        else:
            self.bookmarks.wrap(paragraph, anchor, text)

    def record_label(self, anchor: str | None, label: str | None) -> None:
        """Which label the bookmark around this number stands for (the number keeps its name)."""
        if anchor and label:
            self.record.labels[self.bookmarks.name(anchor)] = label

    def mark(self, paragraph: DocxParagraph, prefix: str, table: dict[str, Any], value: Any) -> None:
        """A hidden, empty bookmark `prefix`N at the paragraph's start; `value` recorded as N."""
        key = str(len(table) + 1)
        table[key] = value
        self.bookmarks.end(paragraph, self.bookmarks.start(paragraph, prefix + key))

    def bookmarked_parts(self, paragraph: DocxParagraph, parts: NumberParts) -> None:
        """A number in pieces ("Appendix ", "B"): each anchored piece inside its bookmark, so a
        REF field to it prints just that piece ("Appendices B and C")."""
        wrapped: set[str] = set()
        for text, anchor in parts:
            if anchor is None or anchor in wrapped:  # a bookmark name is used once
                paragraph.add_run(text)
            else:
                self.bookmarks.wrap(paragraph, anchor, text)
                wrapped.add(anchor)

    def inlines(self, paragraph: DocxParagraph, inlines: tuple[Inline, ...], style: RunStyle | None = None) -> None:
        style = style or RunStyle(self.code_font)
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

    def run(self, parent: Any, text: str, style: RunStyle) -> Any:
        return wordml.run(parent, text, style)

    def reference(self, paragraph: DocxParagraph, ref: Ref, style: RunStyle) -> None:
        """A cross-reference as REF fields: one per level of the number, each to the bookmark
        around that level's own number, with its result already filled in (Word need not
        update fields on opening; if it does, it finds the same text)."""
        key = str(len(self.record.refs) + 1)
        self.record.refs[key] = list(ref.labels)
        ident = self.bookmarks.start(paragraph, REF_MARK + key)  # the whole reference, for import
        self.reference_pieces(paragraph, ref, style)
        self.bookmarks.end(paragraph, ident)

    def reference_pieces(self, paragraph: DocxParagraph, ref: Ref, style: RunStyle) -> None:
        for piece in ref.pieces:
            if isinstance(piece, str):
                self.run(paragraph._p, piece, style)
                continue
            for text, anchor in piece.parts:
                if anchor is None:
                    self.run(paragraph._p, text, style)
                else:
                    wordml.ref_field(paragraph, text, self.bookmarks.name(anchor), style)

    def image(self, paragraph: DocxParagraph, image: Image) -> None:
        """The picture at its own size, or narrowed to the text width; its alt text as Word's description."""
        natural = DocxImage.from_blob(image.data)
        width = min(natural.width, self.text_width) if self.text_width else natural.width
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(image.data), width=width)
        for doc_pr in run._r.iter(qn("wp:docPr")):
            doc_pr.set("descr", image.alt)
            doc_pr.set("name", image.src)  # the file it came from, for import

    def link(self, paragraph: DocxParagraph, link: Link, style: RunStyle) -> None:
        text = plain_text(link.children)
        rel_id = paragraph.part.relate_to(
            link.href, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        wordml.hyperlink(paragraph, text, style, rel_id)
