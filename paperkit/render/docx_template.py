"""The bridge to docxtpl: the Word template's own logic (heading block, closing parts,
clearance table) rendered with stand-ins for content, then the content put into the XML.
"""

from __future__ import annotations

import re
from typing import Any, cast, overload

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from ..model import AUTHOR_KEYS, Appendix
from ..resolved import Resolved

BODY_TOKEN = "PKSLOTBODYX"
APPENDICES_TOKEN = "PKSLOTAPPENDICESX"


class Slots:
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


def context(resolved: Resolved, slot: Slots, signoff: bool) -> dict[str, Any]:
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
        "appendices_title": slot(style.words["appendices_title"]),
        "appendix_list": [slot(appendix_line(a)) for a in paper.appendices],
        "author": None if author is None else {key: slot(getattr(author, key)) for key in AUTHOR_KEYS},
    }


def appendix_line(appendix: Appendix) -> str:
    """Its line in the list of appendices, with the file it is (by name) if it is one."""
    return appendix.list_line + appendix_file_words(appendix)


def appendix_file_words(appendix: Appendix) -> str:
    """" (scheme-costs.csv)" after a list line, for an appendix that is a file (not a withheld one)."""
    before, after = appendix.file_words
    return f" {before}{appendix.file_name}{after}" if appendix.file and not appendix.withheld and \
        appendix.source != "markdown" else ""


class InsertBefore:
    """Adds paragraphs where the template's body placeholder stands, in order."""

    def __init__(self, document: Any, placeholder: DocxParagraph) -> None:
        self.document = document
        self.placeholder = placeholder
        self.style_ids: dict[str, str | None] = {}

    def add_paragraph(self, style: str) -> DocxParagraph:
        paragraph = self.placeholder.insert_paragraph_before()
        style_id = self.style_id(style)
        if style_id is not None:  # None: the template's default paragraph style, named by no pStyle
            paragraph._p.style = style_id
        return paragraph

    def style_id(self, name: str) -> str | None:
        """A paragraph style's id, looked up once: python-docx looks again for every paragraph, and
        each look reads every style of the template (half the time a paper's DOCX took)."""
        if name not in self.style_ids:
            self.style_ids[name] = self.document.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self.style_ids[name]

    def add_table(self, rows: int, cols: int, style: str) -> Any:
        table = self.document.add_table(rows=rows, cols=cols, style=style)
        self.placeholder._p.addprevious(table._tbl)
        return table


@overload
def find_placeholder(document: Any, token: str) -> DocxParagraph: ...
@overload
def find_placeholder(document: Any, token: str, required: bool) -> DocxParagraph | None: ...
def find_placeholder(document: Any, token: str, required: bool = True) -> DocxParagraph | None:
    """The paragraph holding just `token`; a required one is always there (style.py checks)."""
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == token:
            return cast(DocxParagraph, paragraph)
    if required:
        raise ValueError(f"the Word template has no paragraph holding {token}")
    return None
